package report

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
	"github.com/codescoring-gate/codescoring-gate/internal/gate"
)

// mdStyle is what differs between the comment and the job summary.
type mdStyle struct {
	title   string // heading of the headline, e.g. "###"
	heading string // heading of a section, e.g. "####"
	// collapse puts warnings and ignored alerts in <details>; resolved
	// alerts are then a count line, else a table.
	collapse bool
	// Cut server text to these many runes: names and versions, codes and
	// licenses, each matched criterion, reasons and notes.
	nameLen, codeLen, criterionLen, reasonLen int
	// maxCriteria and maxNotes cap how many criteria of one alert and notes
	// are shown.
	maxCriteria, maxNotes int
}

// esc returns s cut to n runes and escaped for markdown.
func esc(s string, n int) string {
	return EscapeMarkdown(clip(PlainText(s), n))
}

// verdictEmoji is the headline's picture of v.
func verdictEmoji(v gate.Verdict) string {
	switch v {
	case gate.VerdictPass:
		return "✅"
	case gate.VerdictWarn:
		return "⚠️"
	case gate.VerdictFail:
		return "❌"
	case gate.VerdictError:
		return "⛔"
	}
	return "❔"
}

// verdictWord is the verdict as the headline shows it; a verdict the gate
// does not define is "unknown" rather than server or caller text.
func verdictWord(v gate.Verdict) string {
	switch v {
	case gate.VerdictPass, gate.VerdictWarn, gate.VerdictFail, gate.VerdictError:
		return string(v)
	}
	return "unknown"
}

// why is the one sentence under the headline. It holds no server text, so
// it is the same in markdown and plain text.
func why(o *gate.Outcome) string {
	blocking, _, upcoming := o.Counts()
	switch o.Verdict {
	case gate.VerdictFail:
		if blocking == 0 {
			return "The gate failed the build."
		}
		verb := "block"
		if blocking == 1 {
			verb = "blocks"
		}
		return fmt.Sprintf("%s of %s %s the build.", plural(blocking, "alert", "alerts"),
			plural(len(groupByPolicy(o.Decision.Blocking)), "policy", "policies"), verb)
	case gate.VerdictWarn:
		if blocking == 0 {
			return "The gate passed the build with a warning."
		}
		return fmt.Sprintf("%s of %s would block the build, but the mode is warn, so the build goes on.",
			plural(blocking, "alert", "alerts"), plural(len(groupByPolicy(o.Decision.Blocking)), "policy", "policies"))
	case gate.VerdictPass:
		if upcoming == 0 {
			return "No alert blocks the build."
		}
		first := sortedUpcoming(o.Decision.Upcoming)[0].BlocksAt
		return fmt.Sprintf("No alert blocks the build yet: %s blocking later, the first on %s.",
			plural(upcoming, "delayed block starts", "delayed blocks start"), fmtDate(first))
	case gate.VerdictError:
		return "The gate could not decide whether the build passes."
	}
	return "The gate gave no known verdict."
}

// policyGroup is the findings of one policy, in the order of the decision.
type policyGroup struct {
	name, level string
	findings    []gate.Finding
}

// groupByPolicy groups fs by policy in order of first appearance, which is
// the decision's order (by policy name).
func groupByPolicy(fs []gate.Finding) []policyGroup {
	type key struct {
		id   int64
		name string
	}
	index := map[key]int{}
	var groups []policyGroup
	for _, f := range fs {
		k := key{f.Alert.Policy, policyName(f)}
		i, ok := index[k]
		if !ok {
			i = len(groups)
			index[k] = i
			groups = append(groups, policyGroup{name: k.name, level: policyLevel(f)})
		}
		groups[i].findings = append(groups[i].findings, f)
	}
	return groups
}

// policyName is the name of f's policy: from the policy list, else from the
// alert, else its id.
func policyName(f gate.Finding) string {
	if f.Policy != nil && PlainText(f.Policy.Name) != "" {
		return f.Policy.Name
	}
	if PlainText(f.Alert.PolicyName) != "" {
		return f.Alert.PolicyName
	}
	return "policy " + strconv.FormatInt(f.Alert.Policy, 10)
}

func policyLevel(f gate.Finding) string {
	if f.Policy != nil && PlainText(f.Policy.Level) != "" {
		return f.Policy.Level
	}
	return f.Alert.Level
}

// sortedUpcoming returns a copy of fs ordered by the date each starts
// blocking, soonest first; ties keep the decision's order.
func sortedUpcoming(fs []gate.Finding) []gate.Finding {
	out := append([]gate.Finding(nil), fs...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].BlocksAt.Before(out[j].BlocksAt) })
	return out
}

// fmtTime writes t in UTC to the second; the zero time is "unknown".
func fmtTime(t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	return t.UTC().Format("2006-01-02 15:04:05 UTC")
}

// fmtDate writes t in UTC to the minute; the zero time is "unknown".
func fmtDate(t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

// shortCommit is the first 7 characters of a hex commit id, else c cut.
func shortCommit(c string) string {
	c = PlainText(c)
	if len(c) > 7 && strings.Trim(c, "0123456789abcdefABCDEF") == "" {
		return c[:7]
	}
	return clip(c, 40)
}

// refOf and commitOf are those of the analysis, else those configured.
// Server text that is blank as plain text counts as absent.
func refOf(o *gate.Outcome) string {
	if o.Analysis != nil && PlainText(o.Analysis.BranchOrTag) != "" {
		return o.Analysis.BranchOrTag
	}
	return o.Config.Ref
}

func commitOf(o *gate.Outcome) string {
	if o.Analysis != nil && PlainText(o.Analysis.Commit) != "" {
		return o.Analysis.Commit
	}
	return o.Config.Commit
}

// projectNameOf is the project's name, else what was configured.
func projectNameOf(o *gate.Outcome) string {
	if o.Project != nil && PlainText(o.Project.Name) != "" {
		return o.Project.Name
	}
	return o.Config.Project
}

// errText is Err's message, or a stand-in when the verdict is error
// without one.
func errText(o *gate.Outcome) string {
	if o.Err != nil && PlainText(o.Err.Error()) != "" {
		return o.Err.Error()
	}
	return "no error was recorded"
}

// hintText is Hint, or general advice when there is none.
func hintText(o *gate.Outcome) string {
	if PlainText(o.Hint) != "" {
		return o.Hint
	}
	return "Re-run the job; if it fails again, read the log of this step."
}

// serverError is the analysis's own error message when Err does not
// already say it.
func serverError(o *gate.Outcome) string {
	if o.Analysis == nil || PlainText(o.Analysis.Error) == "" {
		return ""
	}
	if o.Err != nil && strings.Contains(o.Err.Error(), o.Analysis.Error) {
		return ""
	}
	return o.Analysis.Error
}

// mdPre is the headline, the facts, the error or the notes: everything
// before the tables.
func mdPre(o *gate.Outcome, st mdStyle) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s CodeScoring gate: %s\n\n%s\n\n", st.title, verdictEmoji(o.Verdict), verdictWord(o.Verdict), why(o))

	var lines []string
	project := esc(projectNameOf(o), st.nameLen)
	if project == "" {
		project = "unknown"
	}
	if u, ok := SafeURL(o.ReportURL); ok {
		project = mdLink(project, u)
	}
	lines = append(lines, "**Project:** "+project)
	var rc []string
	if r := esc(refOf(o), st.nameLen); r != "" {
		rc = append(rc, "**Ref:** "+r)
	}
	if c := EscapeMarkdown(shortCommit(commitOf(o))); c != "" {
		rc = append(rc, "**Commit:** "+c)
	}
	if len(rc) > 0 {
		lines = append(lines, strings.Join(rc, " · "))
	}
	var an []string
	if a := o.Analysis; a != nil {
		s := "**Analysis:** " + strconv.FormatInt(a.ID, 10)
		if a.Status != "" && a.Status != api.StatusSuccess {
			s += ", status " + esc(string(a.Status), st.codeLen)
		}
		if o.Attached {
			s += " (already running; the gate waited for it)"
		}
		an = append(an, s)
	}
	stage := esc(o.Config.Stage, st.codeLen)
	if stage == "" {
		stage = "any"
	}
	an = append(an, "**Stage:** "+stage)
	if m := esc(string(o.Config.Mode), st.codeLen); m != "" {
		an = append(an, "**Mode:** "+m)
	}
	lines = append(lines, strings.Join(an, " · "))
	if !o.DecidedAt.IsZero() {
		s := "**Decided:** " + fmtTime(o.DecidedAt)
		if o.Elapsed > 0 {
			s += ", after " + o.Elapsed.Round(time.Second).String()
		}
		lines = append(lines, s)
	}
	for _, l := range lines {
		b.WriteString("- " + l + "\n")
	}
	b.WriteString("\n")

	if o.Verdict == gate.VerdictError {
		b.WriteString("**What failed:** " + esc(errText(o), 2000) + "\n\n")
		if s := serverError(o); s != "" {
			b.WriteString("**CodeScoring says:** " + esc(s, 1000) + "\n\n")
		}
		b.WriteString("**What to do:** " + EscapeAdvice(clip(hintText(o), 1000)) + "\n\n")
	}
	if o.Decision != nil && len(o.Decision.Notes) > 0 {
		b.WriteString("**Notes:**\n\n")
		notes := o.Decision.Notes
		for i, n := range notes {
			if i == st.maxNotes {
				fmt.Fprintf(&b, "- and %s more\n", plural(len(notes)-i, "note", "notes"))
				break
			}
			b.WriteString("- " + esc(n, st.reasonLen) + "\n")
		}
		b.WriteString("\n")
	}
	return b.String()
}

// mdSections are the tables of a decision, most important first. An error
// verdict has none.
func mdSections(o *gate.Outcome, st mdStyle) []mdSection {
	d := o.Decision
	if d == nil || o.Verdict == gate.VerdictError {
		return nil
	}
	var secs []mdSection
	if len(d.Blocking) > 0 {
		title := "🚫 Blocking alerts"
		if o.Verdict == gate.VerdictWarn {
			title = "⚠️ Alerts that would block (mode warn)"
		}
		s := mdSection{one: "blocking alert", many: "blocking alerts", open: fmt.Sprintf("%s %s (%d)\n\n", st.heading, title, len(d.Blocking))}
		for _, g := range groupByPolicy(d.Blocking) {
			head := "**" + esc(g.name, st.nameLen) + "**"
			if l := esc(g.level, st.codeLen); l != "" {
				head += " · level " + l
			}
			head += " · " + plural(len(g.findings), "alert", "alerts") + "\n\n" +
				mdTableHead("Dependency", "Version", "Vulnerability", "License", "Fix", "Relation", "Matched criteria")
			grp := mdGroup{head: head, tail: "\n"}
			for _, f := range g.findings {
				a := f.Alert
				grp.rows = append(grp.rows, mdRow(depCell(a, st), esc(a.DependencyVersion, st.nameLen),
					vulnCell(a, st), esc(a.LicenseCode, st.codeLen), fixCell(a, st),
					esc(a.Relation, st.codeLen), criteriaCell(a, st)))
			}
			s.groups = append(s.groups, grp)
		}
		secs = append(secs, s)
	}
	if len(d.Upcoming) > 0 {
		s := mdSection{one: "upcoming block", many: "upcoming blocks", open: fmt.Sprintf("%s ⏳ Upcoming blocks (%d)\n\n"+
			"These alerts do not block yet: each starts blocking on its date unless it is fixed or ignored.\n\n",
			st.heading, len(d.Upcoming))}
		grp := mdGroup{head: mdTableHead("Blocks from", "Policy", "Dependency", "Version", "Vulnerability", "License", "Fix"), tail: "\n"}
		for _, f := range sortedUpcoming(d.Upcoming) {
			a := f.Alert
			grp.rows = append(grp.rows, mdRow(fmtDate(f.BlocksAt), esc(policyName(f), st.nameLen), depCell(a, st),
				esc(a.DependencyVersion, st.nameLen), vulnCell(a, st), esc(a.LicenseCode, st.codeLen), fixCell(a, st)))
		}
		s.groups = []mdGroup{grp}
		secs = append(secs, s)
	}
	if len(d.Warnings) > 0 {
		grp := mdGroup{head: mdTableHead("Policy", "Dependency", "Version", "Vulnerability", "License", "Fix", "Why it does not block"), tail: "\n"}
		for _, f := range d.Warnings {
			a := f.Alert
			grp.rows = append(grp.rows, mdRow(esc(policyName(f), st.nameLen), depCell(a, st),
				esc(a.DependencyVersion, st.nameLen), vulnCell(a, st), esc(a.LicenseCode, st.codeLen),
				fixCell(a, st), esc(f.Reason, st.reasonLen)))
		}
		secs = append(secs, st.listSection("warning", "warnings", "Warnings", "active alerts that do not block", len(d.Warnings), grp))
	}
	if len(d.Ignored) > 0 {
		secs = append(secs, st.listSection("ignored alert", "ignored alerts", "Ignored alerts", "a policy ignore applies", len(d.Ignored), simpleGroup(d.Ignored, st)))
	}
	if len(d.Resolved) > 0 && !st.collapse {
		secs = append(secs, st.listSection("resolved alert", "resolved alerts", "Resolved alerts", "no longer true", len(d.Resolved), simpleGroup(d.Resolved, st)))
	}
	return secs
}

// listSection is a section of lesser alerts: collapsed in the comment.
func (st mdStyle) listSection(one, many, title, what string, n int, grp mdGroup) mdSection {
	s := mdSection{one: one, many: many, groups: []mdGroup{grp}}
	if st.collapse {
		s.open = fmt.Sprintf("<details>\n<summary>%s (%d): %s</summary>\n\n", title, n, what)
		s.close = "</details>\n\n"
	} else {
		s.open = fmt.Sprintf("%s %s (%d): %s\n\n", st.heading, title, n, what)
	}
	return s
}

// simpleGroup is a table of ignored or resolved alerts.
func simpleGroup(fs []gate.Finding, st mdStyle) mdGroup {
	grp := mdGroup{head: mdTableHead("Policy", "Dependency", "Version", "Vulnerability", "License"), tail: "\n"}
	for _, f := range fs {
		a := f.Alert
		grp.rows = append(grp.rows, mdRow(esc(policyName(f), st.nameLen), depCell(a, st),
			esc(a.DependencyVersion, st.nameLen), vulnCell(a, st), esc(a.LicenseCode, st.codeLen)))
	}
	return grp
}

// depCell is the dependency's name, else its purl.
func depCell(a api.Alert, st mdStyle) string {
	if s := esc(a.DependencyName, st.nameLen); s != "" {
		return s
	}
	return esc(a.DependencyPurl, st.nameLen)
}

// vulnCell is the vulnerability id, linked when the link is http(s). A link
// that is not is shown as text.
func vulnCell(a api.Alert, st mdStyle) string {
	code := esc(a.VulnerabilityCode, st.codeLen)
	if u, ok := SafeURL(a.VulnerabilityLink); ok {
		if code == "" {
			code = "advisory"
		}
		return mdLink(code, u)
	}
	link := esc(a.VulnerabilityLink, st.nameLen)
	switch {
	case link == "":
		return code
	case code == "":
		return link
	}
	return code + " (" + link + ")"
}

// fixCell says which version to upgrade to, when the server knows one.
func fixCell(a api.Alert, st mdStyle) string {
	if v := esc(a.MaxFixedVersion, st.nameLen); v != "" {
		return "upgrade to " + v
	}
	return ""
}

// criteriaCell lists the matched criteria, one a line.
func criteriaCell(a api.Alert, st mdStyle) string {
	var parts []string
	for i, c := range a.MatchedCriteria {
		if i == st.maxCriteria {
			parts = append(parts, fmt.Sprintf("and %d more", len(a.MatchedCriteria)-i))
			break
		}
		if s := esc(c, st.criterionLen); s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, "<br>")
}

// leftOutNote returns the layout note for the rows left out to fit the
// limit of what (e.g. "comment"), pointing to where, e.g. "_9870 of 10000
// blocking alerts are left out to fit the comment size limit: see …._".
func leftOutNote(what, where string) func(s *mdSection, n int) string {
	return func(s *mdSection, n int) string {
		total, noun, verb := s.rowCount(), s.many, "are"
		if total == 1 {
			noun = s.one
		}
		if n == 1 {
			verb = "is"
		}
		return fmt.Sprintf("_%d of %d %s %s left out to fit the %s size limit: see %s._\n\n",
			n, total, noun, verb, what, where)
	}
}

// whereToSee says where the rows left out are: the links that are known.
func whereToSee(summaryURL, reportURL string) string {
	var places []string
	if u, ok := SafeURL(summaryURL); ok {
		places = append(places, "the "+mdLink("job summary", u))
	}
	if u, ok := SafeURL(reportURL); ok {
		places = append(places, "the "+mdLink("CodeScoring report", u))
	}
	switch len(places) {
	case 0:
		return "the job summary of this workflow run or the project in CodeScoring"
	case 1:
		return places[0]
	}
	return places[0] + " or " + places[1]
}
