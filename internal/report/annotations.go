package report

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/codescoring-gate/codescoring-gate/internal/gate"
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
func Annotations(o *gate.Outcome) []Annotation {
	o = orNil(o)
	if o.Verdict == gate.VerdictError {
		msg := "What failed: " + PlainText(errText(o))
		if s := serverError(o); s != "" {
			msg += " CodeScoring says: " + PlainText(s)
		}
		return []Annotation{{
			Level:   LevelError,
			Title:   "CodeScoring gate could not decide",
			Message: fitBytes(msg, maxMessageLen-len(" What to do: ")-200) + " What to do: " + fitBytes(PlainText(hintText(o)), 200),
		}}
	}
	d := o.Decision
	if d == nil {
		return nil
	}
	level, verb, verbs := LevelWarning, "would block the build (warn mode)", "would block the build (warn mode)"
	if o.Verdict == gate.VerdictFail {
		level, verb, verbs = LevelError, "blocks the build", "block the build"
	}
	var out []Annotation
	room := MaxAnnotations
	if len(d.Upcoming) > 0 {
		room--
	}
	groups := groupFindings(d.Blocking, false)
	for i, g := range groups {
		if len(groups) > room && i == room-1 {
			out = append(out, restAnnotation(level, verbs, groups[i:]))
			break
		}
		var items []string
		for _, f := range g.findings {
			item := alertLine(f.Alert)
			if s := severityText(f.Alert); s != "" {
				item += " [" + s + "]"
			}
			if fix := fixHint(f.Alert); fix != "" {
				item += " (fix: " + fix + ")"
			}
			items = append(items, item)
		}
		out = append(out, Annotation{
			Level:   level,
			Title:   fitBytes(fmt.Sprintf("CodeScoring policy %q %s", txt(g.policy, termNameLen), verb), maxTitleLen),
			Message: listMessage(plural(len(g.findings), "alert", "alerts")+": ", items, ". See the job summary for details."),
		})
	}
	if len(d.Upcoming) > 0 {
		var items []string
		for _, f := range sortedUpcoming(d.Upcoming) {
			items = append(items, fmt.Sprintf("from %s, %s: %s", fmtDate(f.BlocksAt), txt(policyName(f), termNameLen), alertLine(f.Alert)))
		}
		out = append(out, Annotation{
			Level:   LevelNotice,
			Title:   plural(len(d.Upcoming), "delayed block starts", "delayed blocks start") + " blocking later",
			Message: listMessage("", items, ". Fix or ignore them before then."),
		})
	}
	return out
}

// restAnnotation sums up the blocking policies that got no annotation of
// their own.
func restAnnotation(level, verb string, groups []alertGroup) Annotation {
	alerts := 0
	var items []string
	for _, g := range groups {
		alerts += len(g.findings)
		items = append(items, fmt.Sprintf("%q (%s)", txt(g.policy, termNameLen), plural(len(g.findings), "alert", "alerts")))
	}
	return Annotation{
		Level: level,
		// groups has at least two policies: one would get its own.
		Title:   fmt.Sprintf("%d more policies with %s %s", len(groups), plural(alerts, "alert", "alerts"), verb),
		Message: listMessage("Policies: ", items, ". See the job summary for details."),
	}
}

// listMessage joins items after prefix with "; " and ends with suffix,
// leaving out items (and saying how many) to stay within maxMessageLen.
func listMessage(prefix string, items []string, suffix string) string {
	var b strings.Builder
	b.WriteString(prefix)
	for i, it := range items {
		sep := ""
		if i > 0 {
			sep = "; "
		}
		more := fmt.Sprintf("; and %d more", len(items)-i)
		if b.Len()+len(sep)+len(it)+len(more)+len(suffix) > maxMessageLen {
			if i == 0 {
				// Even one item is too long: cut it.
				b.WriteString(fitBytes(it, maxMessageLen-b.Len()-len(more)-len(suffix)))
				if len(items) > 1 {
					fmt.Fprintf(&b, "; and %d more", len(items)-1)
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
