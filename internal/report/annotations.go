package report

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/codescoring-gate/codescoring-gate/internal/gate"
	"github.com/codescoring-gate/codescoring-gate/internal/i18n"
)

// Annotation is one workflow annotation (a `::error::`, `::warning::` or
// `::notice::` command): plain, single-line text. The caller's library
// escapes '%', CR and LF of the workflow command format.
type Annotation struct {
	Level   string // "error", "warning" or "notice"
	Title   string
	Message string
}

// The annotation levels.
const (
	LevelError   = "error"
	LevelWarning = "warning"
	LevelNotice  = "notice"
)

// MaxAnnotations is how many annotations Annotations returns at most:
// GitHub shows no more than 10 of a kind per step.
const MaxAnnotations = 10

// Limits of one annotation, in bytes, well under GitHub's.
const (
	maxTitleLen   = 200
	maxMessageLen = 1000
)

// Annotations returns the annotations for o, at most MaxAnnotations: one per
// blocking policy (level error for a fail verdict, warning otherwise) naming
// its alerts and fixes — when there are more policies than room, all but one
// of the room and one that sums up the rest — then one notice for the
// upcoming delayed blocks. An error verdict gives one error annotation with
// what failed and what to do. A pass without upcoming blocks gives none.
// Titles have at most 200 bytes and messages 1000, on one line.
func Annotations(o *gate.Outcome, lang i18n.Language) []Annotation {
	return annotations(orNil(o), i18n.New(lang), MaxAnnotations)
}

// annotations is Annotations with at most room of them (room < 1: none);
// the last one sums up the blocking policies left without their own.
func annotations(o *gate.Outcome, p i18n.Printer, room int) []Annotation {
	if room < 1 {
		return nil
	}
	if o.Verdict == gate.VerdictError {
		msg := p.T("ann.failed", PlainText(errText(o, p)))
		if s := serverError(o); s != "" {
			msg += p.T("ann.server", PlainText(s))
		}
		todo := p.T("ann.todo")
		return []Annotation{{
			Level:   LevelError,
			Title:   p.T("ann.undecided"),
			Message: fitBytes(msg, maxMessageLen-len(todo)-200) + todo + fitBytes(PlainText(hintText(o, p)), 200),
		}}
	}
	d := o.Decision
	if d == nil {
		return nil
	}
	level, titleKey, restKey := LevelWarning, "ann.wouldblock", "ann.rest.warn"
	if o.Verdict == gate.VerdictFail {
		level, titleKey, restKey = LevelError, "ann.block", "ann.rest"
	}
	var out []Annotation
	upcoming := len(d.Upcoming) > 0 && (room > 1 || len(d.Blocking) == 0)
	if upcoming {
		room--
	}
	groups := groupFindings(p, d.Blocking, false)
	for i, g := range groups {
		if len(groups) > room && i == room-1 {
			out = append(out, restAnnotation(p, level, restKey, groups[i:]))
			break
		}
		var items []string
		for _, f := range g.findings {
			item := termBadge(p, f) + alertLine(p, f.Alert)
			if s := severityText(p, f.Alert); s != "" {
				item += " [" + s + "]"
			}
			if fix := fixHint(p, f.Alert); fix != "" {
				item += p.T("ann.fix", fix)
			}
			items = append(items, item)
		}
		out = append(out, Annotation{
			Level:   level,
			Title:   fitBytes(p.T(titleKey, txt(g.policy, termNameLen)), maxTitleLen),
			Message: listMessage(p, p.T("ann.count", p.N("alerts", len(g.findings))), items, p.T("ann.details")),
		})
	}
	if upcoming {
		var items []string
		for _, f := range sortedUpcoming(d.Upcoming) {
			items = append(items, p.T("ann.from", fmtDate(p, f.BlocksAt), txt(policyName(p, f), termNameLen), alertLine(p, f.Alert)))
		}
		out = append(out, Annotation{
			Level:   LevelNotice,
			Title:   p.N("ann.upcoming", len(d.Upcoming)),
			Message: listMessage(p, "", items, p.T("ann.upcoming.do")),
		})
	}
	return out
}

// restAnnotation sums up the blocking policies that got no annotation of
// their own.
func restAnnotation(p i18n.Printer, level, titleKey string, groups []alertGroup) Annotation {
	alerts := 0
	var items []string
	for _, g := range groups {
		alerts += len(g.findings)
		items = append(items, fmt.Sprintf("%q (%s)", txt(g.policy, termNameLen), p.N("alerts", len(g.findings))))
	}
	return Annotation{
		Level: level,
		// groups has at least two policies: one would get its own.
		Title:   p.N(titleKey, len(groups), p.N("alerts", alerts)),
		Message: listMessage(p, p.T("ann.policies"), items, p.T("ann.details")),
	}
}

// listMessage joins items after prefix with "; " and ends with suffix,
// leaving out items (and saying how many) to stay within maxMessageLen.
func listMessage(p i18n.Printer, prefix string, items []string, suffix string) string {
	var b strings.Builder
	b.WriteString(prefix)
	for i, it := range items {
		sep := ""
		if i > 0 {
			sep = "; "
		}
		more := p.T("ann.more", len(items)-i)
		if b.Len()+len(sep)+len(it)+len(more)+len(suffix) > maxMessageLen {
			if i == 0 {
				// Even one item is too long: cut it.
				b.WriteString(fitBytes(it, maxMessageLen-b.Len()-len(more)-len(suffix)))
				if len(items) > 1 {
					b.WriteString(p.T("ann.more", len(items)-1))
				}
			} else {
				b.WriteString(more)
			}
			break
		}
		b.WriteString(sep + it)
	}
	b.WriteString(suffix)
	return b.String()
}

// fitBytes cuts s to at most n bytes at a rune boundary, ending in "…" when
// cut.
func fitBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	const ell = "…"
	if n < len(ell) {
		return ""
	}
	cut := n - len(ell)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + ell
}
