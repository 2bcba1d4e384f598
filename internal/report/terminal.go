package report

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
	"github.com/codescoring-gate/codescoring-gate/internal/gate"
)

// TerminalOptions configures Terminal.
type TerminalOptions struct {
	// Color writes ANSI colours; off by default. Honouring NO_COLOR or a
	// terminal check is the caller's.
	Color bool
	// Version is the gate's version, shown on the last line; may be empty.
	Version string
}

// ANSI SGR sequences used when TerminalOptions.Color is set.
const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
)

// Cut server text to these many runes in the terminal report.
const (
	termNameLen      = 200
	termCriterionLen = 500
	termMaxCriteria  = 5
	termMaxNotes     = 20
)

// Terminal writes a plain-text report of o to w, for a terminal or a CI log
// that is not GitHub's: the verdict and why, the project and analysis, the
// blocking alerts grouped by policy with what to do about each, the upcoming
// delayed blocks with their dates, counts of warnings and ignored and
// resolved alerts, and the notes; for an error verdict, what failed and
// what to do. Server text is stripped of control characters (PlainText), so
// it cannot move the cursor or change colours. Terminal writes once; it
// returns the writer's error, wrapped. A nil o renders as an error verdict.
func Terminal(w io.Writer, o *gate.Outcome, opts TerminalOptions) error {
	o = orNil(o)
	t := termWriter{color: opts.Color}
	b := &t.buf

	t.style(verdictColor(o.Verdict), "CodeScoring gate: "+strings.ToUpper(verdictWord(o.Verdict)))
	b.WriteString("\n" + why(o) + "\n\n")

	project := txt(projectNameOf(o), termNameLen)
	if project == "" {
		project = "unknown"
	}
	if u, ok := SafeURL(o.ReportURL); ok {
		project += "  " + u
	}
	fmt.Fprintf(b, "Project:  %s\n", project)
	var rc []string
	if r := txt(refOf(o), termNameLen); r != "" {
		rc = append(rc, r)
	}
	if c := shortCommit(commitOf(o)); c != "" {
		rc = append(rc, "commit "+c)
	}
	if len(rc) > 0 {
		fmt.Fprintf(b, "Ref:      %s\n", strings.Join(rc, ", "))
	}
	var an []string
	if a := o.Analysis; a != nil {
		s := strconv.FormatInt(a.ID, 10)
		if a.Status != "" && a.Status != api.StatusSuccess {
			s += ", status " + txt(string(a.Status), termNameLen)
		}
		if o.Attached {
			s += " (already running; the gate waited for it)"
		}
		an = append(an, s)
	}
	stage := txt(o.Config.Stage, termNameLen)
	if stage == "" {
		stage = "any"
	}
	an = append(an, "stage "+stage)
	if m := txt(string(o.Config.Mode), termNameLen); m != "" {
		an = append(an, "mode "+m)
	}
	fmt.Fprintf(b, "Analysis: %s\n", strings.Join(an, ", "))
	if !o.DecidedAt.IsZero() {
		s := fmtTime(o.DecidedAt)
		if o.Elapsed > 0 {
			s += " after " + o.Elapsed.Round(time.Second).String()
		}
		fmt.Fprintf(b, "Decided:  %s\n", s)
	}

	if o.Verdict == gate.VerdictError {
		b.WriteString("\n")
		t.style(ansiRed, "What failed:")
		b.WriteString(" " + txt(errText(o), 2000) + "\n")
		if s := serverError(o); s != "" {
			b.WriteString("CodeScoring says: " + txt(s, 1000) + "\n")
		}
		b.WriteString("What to do: " + txt(hintText(o), 1000) + "\n")
	} else if d := o.Decision; d != nil {
		t.decision(o, d)
	}
	if d := o.Decision; d != nil && len(d.Notes) > 0 {
		b.WriteString("\nNotes:\n")
		for i, n := range d.Notes {
			if i == termMaxNotes {
				fmt.Fprintf(b, "  - and %s more\n", plural(len(d.Notes)-i, "note", "notes"))
				break
			}
			b.WriteString("  - " + txt(n, termCriterionLen) + "\n")
		}
	}
	fmt.Fprintf(b, "\n%s\n", PlainText(footerPlain(opts.Version)))
	if _, err := w.Write(t.buf.Bytes()); err != nil {
		return fmt.Errorf("write terminal report: %w", err)
	}
	return nil
}

// decision writes the blocking, upcoming and other alerts of d.
func (t *termWriter) decision(o *gate.Outcome, d *gate.Decision) {
	b := &t.buf
	if len(d.Blocking) > 0 {
		b.WriteString("\n")
		title := "Blocking alerts"
		color := ansiRed
		if o.Verdict == gate.VerdictWarn {
			title, color = "Alerts that would block (mode warn)", ansiYellow
		}
		t.style(color, fmt.Sprintf("%s (%d):", title, len(d.Blocking)))
		b.WriteString("\n")
		for _, g := range groupByPolicy(d.Blocking) {
			var meta []string
			if l := txt(g.level, termNameLen); l != "" {
				meta = append(meta, "level "+l)
			}
			meta = append(meta, plural(len(g.findings), "alert", "alerts"))
			fmt.Fprintf(b, "  %s (%s)\n", txt(g.name, termNameLen), strings.Join(meta, ", "))
			for _, f := range g.findings {
				a := f.Alert
				fmt.Fprintf(b, "    - %s\n", alertLine(a))
				if fix := fixHint(a); fix != "" {
					fmt.Fprintf(b, "      fix: %s\n", fix)
				}
				for i, c := range a.MatchedCriteria {
					if i == termMaxCriteria {
						fmt.Fprintf(b, "      matched: and %d more\n", len(a.MatchedCriteria)-i)
						break
					}
					if c := txt(c, termCriterionLen); c != "" {
						fmt.Fprintf(b, "      matched: %s\n", c)
					}
				}
			}
		}
	}
	if len(d.Upcoming) > 0 {
		b.WriteString("\n")
		t.style(ansiYellow, fmt.Sprintf("Upcoming blocks (%d):", len(d.Upcoming)))
		b.WriteString(" not blocking yet; each starts blocking on its date\n")
		for _, f := range sortedUpcoming(d.Upcoming) {
			fmt.Fprintf(b, "  - from %s, %s: %s\n", fmtDate(f.BlocksAt), txt(policyName(f), termNameLen), alertLine(f.Alert))
			if fix := fixHint(f.Alert); fix != "" {
				fmt.Fprintf(b, "      fix: %s\n", fix)
			}
		}
	}
	fmt.Fprintf(b, "\nAlso: %s, %s, %s.\n", plural(len(d.Warnings), "warning", "warnings"),
		plural(len(d.Ignored), "ignored alert", "ignored alerts"), plural(len(d.Resolved), "resolved alert", "resolved alerts"))
}

// alertLine is "name version, relation: code link license".
func alertLine(a api.Alert) string {
	dep := txt(a.DependencyName, termNameLen)
	if dep == "" {
		dep = txt(a.DependencyPurl, termNameLen)
	}
	if v := txt(a.DependencyVersion, termNameLen); v != "" {
		dep += " " + v
	}
	if r := txt(a.Relation, termNameLen); r != "" {
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
		what = append(what, "license "+l)
	}
	if len(what) == 0 {
		return dep
	}
	return dep + ": " + strings.Join(what, " ")
}

// fixHint says what to do about a blocking alert.
func fixHint(a api.Alert) string {
	if v := txt(a.MaxFixedVersion, termNameLen); v != "" {
		return "upgrade to " + v
	}
	if a.VulnerabilityCode != "" {
		return "no fixed version is known; replace the dependency or ask for a policy ignore"
	}
	if l := txt(a.LicenseCode, termNameLen); l != "" {
		return "replace the dependency, or ask for a policy ignore of license " + l
	}
	return ""
}

// footerPlain names the tool and its version, as plain text.
func footerPlain(version string) string {
	if v := clip(PlainText(version), 40); v != "" {
		return "codescoring-gate " + v
	}
	return "codescoring-gate"
}

// txt returns s as plain text cut to n runes.
func txt(s string, n int) string {
	return clip(PlainText(s), n)
}

// termWriter buffers the report and adds colours when asked.
type termWriter struct {
	buf   bytes.Buffer
	color bool
}

// style writes s in the SGR style, or plain when colours are off.
func (t *termWriter) style(sgr, s string) {
	if t.color && sgr != "" {
		t.buf.WriteString(sgr + s + ansiReset)
		return
	}
	t.buf.WriteString(s)
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
	return ansiBold + ansiRed
}
