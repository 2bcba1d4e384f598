package report

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
	"github.com/codescoring-gate/codescoring-gate/internal/gate"
	"github.com/codescoring-gate/codescoring-gate/internal/i18n"
	"github.com/codescoring-gate/codescoring-gate/internal/textwrap"
)

// DefaultTerminalWidth is the width Terminal wraps to when none is given.
const DefaultTerminalWidth = textwrap.DefaultWidth

// TerminalOptions configures Terminal.
type TerminalOptions struct {
	// Language is the language of every word but server text; empty is
	// English.
	Language i18n.Language
	// Color writes ANSI colours; off by default. Deciding it (a terminal,
	// NO_COLOR, FORCE_COLOR) is the caller's: see ColorFromEnv.
	Color bool
	// Width is the terminal's width in columns; lines are wrapped and
	// indented to it. Zero or less means DefaultTerminalWidth; it is never
	// taken below 40.
	Width int
	// Version is the gate's version, shown on the last line; may be empty.
	Version string
	// NoFooter leaves out the last line (the tool and its version), for a
	// report its caller frames itself, as the demo does.
	NoFooter bool
	// APIPaths is the api-paths override in force, named on the last line;
	// empty when the built-in paths were used.
	APIPaths string
}

// ColorFromEnv decides whether a report to a terminal is in colour:
// NO_COLOR (any non-empty value) turns colours off; otherwise FORCE_COLOR
// or CLICOLOR_FORCE (non-empty and not "0") turn them on; otherwise they
// are on when the output is a terminal and TERM is not "dumb".
func ColorFromEnv(getenv func(string) string, isTerminal bool) bool {
	if getenv("NO_COLOR") != "" {
		return false
	}
	for _, k := range []string{"FORCE_COLOR", "CLICOLOR_FORCE"} {
		if v := getenv(k); v != "" && v != "0" {
			return true
		}
	}
	return isTerminal && getenv("TERM") != "dumb"
}

// ANSI SGR sequences used when TerminalOptions.Color is set.
const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
)

// Cut server text to these many runes in the terminal report, and print at
// most these many alerts of one policy, alerts that do not block, and
// notes.
const (
	termNameLen      = 200
	termCriterionLen = 500
	termMaxCriteria  = 5
	termMaxRows      = 20
	termMaxWarnings  = 20
	termMaxNotes     = 20
)

// Terminal writes a plain-text report of o to w, for a terminal or a CI log
// that is not GitHub's: the verdict and why, the project and analysis, the
// alerts that block grouped by policy (the most severe first, at most 20 a
// policy, with what to do about each), the upcoming delayed blocks with
// their dates, the first 20 alerts that do not block with why, counts of
// ignored and resolved alerts, a line when no policy can block at the
// chosen stage, and the diagnostics; for an error verdict, what failed and
// what to do. Lines are wrapped to opts.Width with their indentation kept.
// Server text is stripped of control characters (PlainText), so it cannot
// move the cursor or change colours. Terminal writes once; it returns the
// writer's error, wrapped. A nil o renders as an error verdict.
func Terminal(w io.Writer, o *gate.Outcome, opts TerminalOptions) error {
	o = orNil(o)
	width := opts.Width
	if width <= 0 {
		width = DefaultTerminalWidth
	}
	p := i18n.New(opts.Language)
	t := &termWriter{color: opts.Color, width: max(width, 40), p: p}

	t.styled(ansiBold+verdictColor(o.Verdict), p.T("headline", strings.ToUpper(verdictWord(p, o.Verdict))))
	t.para("", why(o, p))
	if !o.Fallback.IsZero() {
		t.para("", txt(o.Fallback.In(p.Language()), 1000))
	}
	if s := baselineUnavailable(o, p, func(s string) string { return s }); s != "" {
		t.paraStyled(ansiYellow, "", s)
	}
	t.blank()

	project := txt(projectNameOf(o), termNameLen)
	if project == "" {
		project = p.T("unknown")
	}
	if u, ok := SafeURL(o.ReportURL); ok {
		project += "  " + u
	}
	t.para(p.T("term.project"), project)
	var rc []string
	if r := txt(refOf(o), termNameLen); r != "" {
		rc = append(rc, r)
	}
	if c := shortCommit(commitOf(o)); c != "" {
		rc = append(rc, p.T("term.commit", c))
	}
	if len(rc) > 0 {
		t.para(p.T("term.ref"), strings.Join(rc, ", "))
	}
	var an []string
	if a := o.Analysis; a != nil {
		s := strconv.FormatInt(a.ID, 10)
		if a.Status != "" && a.Status != api.StatusSuccess {
			s += p.T("fact.status", txt(string(a.Status), termNameLen))
		}
		if l := sourceLabel(o, p); l != "" {
			s += " (" + l + ")"
		}
		an = append(an, s)
	}
	stage := txt(o.Config.Stage, termNameLen)
	if stage == "" {
		stage = p.T("fact.any")
	}
	an = append(an, p.T("term.stage", stage))
	if m := txt(string(o.Config.Mode), termNameLen); m != "" {
		an = append(an, p.T("term.mode", m))
	}
	if compared(o) {
		an = append(an, "block-on "+txt(string(o.Decision.BlockOn), termNameLen))
	}
	t.para(p.T("term.analysis"), strings.Join(an, ", "))
	if f := baselineFacts(o, p, true); f != "" {
		t.para(p.T("term.baseline"), f)
	}
	if !o.DecidedAt.IsZero() {
		s := fmtTime(p, o.DecidedAt)
		if o.Elapsed > 0 {
			s += p.T("term.after", o.Elapsed.Round(time.Second).String())
		}
		t.para(p.T("term.decided"), s)
	}

	if o.Verdict == gate.VerdictError {
		t.blank()
		t.paraStyled(ansiRed, p.T("term.failed"), txt(errText(o, p), 2000))
		if s := serverError(o); s != "" {
			t.para(p.T("term.server"), txt(s, 1000))
		}
		t.para(p.T("term.todo"), txt(hintText(o, p), 1000))
	} else if d := o.Decision; d != nil {
		t.decision(o, d)
	}
	if d := o.Decision; d != nil && len(d.Notes) > 0 {
		t.blank()
		t.styled(ansiBold, p.T("term.diag", len(d.Notes)))
		for i, n := range d.Notes {
			if i == termMaxNotes {
				t.para("  - ", p.N("more.notes", len(d.Notes)-i))
				break
			}
			t.para("  - ", txt(n.In(p.Language()), termCriterionLen))
		}
	}
	if !opts.NoFooter {
		t.blank()
		t.para("", PlainText(footerPlain(opts.Version, opts.APIPaths)))
	}
	if _, err := w.Write(t.buf.Bytes()); err != nil {
		return fmt.Errorf("write terminal report: %w", err)
	}
	return nil
}

// decision writes the blocking, upcoming and other alerts of d.
func (t *termWriter) decision(o *gate.Outcome, d *gate.Decision) {
	p := t.p
	where := p.T("where.term")
	if u, ok := SafeURL(o.ReportURL); ok {
		where = p.T("where.term.url", u)
	}
	if l := legend(o, p, "["+p.T("base.new")+"]"); l != "" {
		t.blank()
		t.para("", l)
	}
	if len(d.Blocking) > 0 {
		t.blank()
		color := ansiRed
		if o.Verdict == gate.VerdictWarn {
			color = ansiYellow
		}
		t.styled(ansiBold+color, p.T("term.count", blockLabel(o, p), len(d.Blocking)))
		for _, g := range groupFindings(p, d.Blocking, false) {
			t.para("  ", fmt.Sprintf("%s (%s)", txt(g.policy, termNameLen), p.N("alerts", len(g.findings))))
			for i, f := range g.findings {
				if i == termMaxRows {
					t.para("    ", p.T("term.morepol", len(g.findings)-i, where))
					break
				}
				t.alert("    - ", f.Alert, termBadge(p, f))
			}
		}
	}
	if len(d.Upcoming) > 0 {
		t.blank()
		t.paraStyled(ansiBold+ansiYellow, p.T("term.count.lead", p.T("label.upcoming"), len(d.Upcoming)), p.T("term.notyet"))
		for i, f := range sortedUpcoming(d.Upcoming) {
			if i == termMaxRows {
				t.para("  ", p.T("term.more", len(d.Upcoming)-i, where))
				break
			}
			t.alert("  - ", f.Alert, termBadge(p, f)+p.T("term.from", fmtDate(p, f.BlocksAt), txt(policyName(p, f), termNameLen)))
		}
	}
	t.baseline(o, where)
	if len(d.Warnings) > 0 {
		t.blank()
		t.styled(ansiBold, p.T("term.count", p.T("label.nonblock"), len(d.Warnings)))
		n := 0
		for _, g := range groupFindings(p, d.Warnings, true) {
			for _, f := range g.findings {
				if n == termMaxWarnings {
					break
				}
				n++
				t.para("  - ", fmt.Sprintf("%s%s: %s (%s)", termBadge(p, f), txt(g.policy, termNameLen), alertLine(p, f.Alert), txt(reasonText(p, g.why), termCriterionLen)))
			}
		}
		if rest := len(d.Warnings) - n; rest > 0 {
			t.para("  ", p.T("term.more", rest, where))
		}
	}
	if len(d.Ignored) > 0 || len(d.Resolved) > 0 {
		t.blank()
		t.para(p.T("term.also"), p.N("n.ignored", len(d.Ignored))+", "+p.N("n.resolved", len(d.Resolved))+".")
	}
	if noStageBlocks(o) {
		t.blank()
		t.paraStyled(ansiYellow, p.T("term.note"), stageNote(p, txt(o.Config.Stage, termNameLen)))
	}
}

// alert writes one alert: what and where after lead (and prefix), then its
// severity, fix and matched criteria indented under it.
func (t *termWriter) alert(lead string, a api.Alert, prefix string) {
	p := t.p
	line := prefix + alertLine(p, a)
	if s := severityText(p, a); s != "" {
		line += " [" + s + "]"
	}
	t.para(lead, line)
	indent := strings.Repeat(" ", utf8.RuneCountInString(lead))
	t.para(indent+p.T("term.fix"), fixHint(p, a))
	for i, c := range a.MatchedCriteria {
		if i == termMaxCriteria {
			t.para(indent+p.T("term.matched"), p.T("more.n", len(a.MatchedCriteria)-i))
			break
		}
		if c := clip(criterionText(a, c), termCriterionLen); c != "" {
			t.para(indent+p.T("term.matched"), c)
		}
	}
}

// alertLine is "name version, relation: code link license".
func alertLine(p i18n.Printer, a api.Alert) string {
	dep := txt(a.DependencyName, termNameLen)
	if dep == "" {
		dep = txt(a.DependencyPurl, termNameLen)
	}
	if v := txt(a.DependencyVersion, termNameLen); v != "" {
		dep += " " + v
	}
	if r := txt(relationWord(p, a.Relation), termNameLen); r != "" {
		dep += ", " + r
	}
	var what []string
	if c := txt(a.VulnerabilityCode, termNameLen); c != "" {
		what = append(what, c)
	}
	if u, ok := SafeURL(a.VulnerabilityLink); ok {
		what = append(what, u)
	} else if l := txt(a.VulnerabilityLink, termNameLen); l != "" {
		what = append(what, l)
	}
	if l := txt(a.LicenseCode, termNameLen); l != "" {
		what = append(what, p.T("cell.license", l))
	}
	if len(what) == 0 {
		return dep
	}
	return dep + ": " + strings.Join(what, " ")
}

// fixHint says what to do about an alert, as the comment's Fix cell does.
func fixHint(p i18n.Printer, a api.Alert) string {
	if v := txt(a.MaxFixedVersion, termNameLen); v != "" {
		return p.T("term.upgrade", v)
	}
	if PlainText(a.VulnerabilityCode) == "" && PlainText(a.LicenseCode) != "" {
		return p.T("term.fixlic", txt(a.LicenseCode, termNameLen))
	}
	return p.T("term.fixnone")
}

// footerPlain names the tool, its version and the api-paths override in
// force, as plain text.
func footerPlain(version, apiPaths string) string {
	f := "codescoring-gate"
	if v := clip(PlainText(version), 40); v != "" {
		f += " " + v
	}
	if p := clip(PlainText(apiPaths), 1000); p != "" {
		f += " · api-paths: " + p
	}
	return f
}

// txt returns s as plain text cut to n runes.
func txt(s string, n int) string {
	return clip(PlainText(s), n)
}

// termWriter buffers the report, wraps it to a width and adds colours when
// asked.
type termWriter struct {
	buf   bytes.Buffer
	color bool
	width int
	p     i18n.Printer
}

func (t *termWriter) blank() { t.buf.WriteString("\n") }

// styled writes s on a line of its own in the SGR style, or plain when
// colours are off. s is never wrapped: it is a short heading.
func (t *termWriter) styled(sgr, s string) {
	if t.color && sgr != "" {
		t.buf.WriteString(sgr + s + ansiReset + "\n")
		return
	}
	t.buf.WriteString(s + "\n")
}

// para writes lead and text wrapped to the width; the lines after the
// first are indented by lead's width, so a list item or a label keeps its
// shape.
func (t *termWriter) para(lead, text string) { t.paraStyled("", lead, text) }

// paraStyled is para with lead in the SGR style.
func (t *termWriter) paraStyled(sgr, lead, text string) {
	indent := utf8.RuneCountInString(lead)
	lines := textwrap.Lines(text, max(t.width-indent, 20))
	for i, l := range lines {
		if i == 0 {
			if t.color && sgr != "" && lead != "" {
				t.buf.WriteString(sgr + lead + ansiReset)
			} else {
				t.buf.WriteString(lead)
			}
		} else {
			t.buf.WriteString(strings.Repeat(" ", indent))
		}
		t.buf.WriteString(l + "\n")
	}
}

func verdictColor(v gate.Verdict) string {
	switch v {
	case gate.VerdictPass:
		return ansiGreen
	case gate.VerdictWarn:
		return ansiYellow
	case gate.VerdictFail:
		return ansiRed
	}
	return ansiRed
}
