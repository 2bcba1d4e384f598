package report

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
	"github.com/codescoring-gate/codescoring-gate/internal/gate"
	"github.com/codescoring-gate/codescoring-gate/internal/i18n"
)

// mdStyle is what differs between the comment and the job summary.
type mdStyle struct {
	p       i18n.Printer // the language of every word
	title   string       // heading of the headline, e.g. "###"
	heading string       // heading of a policy's table, e.g. "####"
	// collapse puts the alerts that do not block, the ignored alerts, the
	// matched criteria and the diagnostics in <details>; resolved alerts
	// are then a count line, else a table.
	collapse bool
	// chars counts the size limit in characters (a comment), else in
	// bytes (the job summary).
	chars bool
	// times shows what differs between runs with the same result: the
	// analysis (each run starts its own), whether the gate attached to it,
	// when the decision was made and how long it took. The comment leaves
	// them out but for an error, so that a re-run with the same result
	// leaves it as it is.
	times bool
	// maxRows is the most rows of one policy's table; zero is no limit.
	maxRows int
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

// verdictEmoji is the headline's picture of v: a failed build (a policy
// blocks) and an error (the gate could not decide) look different.
func verdictEmoji(v gate.Verdict) string {
	switch v {
	case gate.VerdictPass:
		return "✅"
	case gate.VerdictWarn:
		return "⚠️"
	case gate.VerdictFail:
		return "❌"
	case gate.VerdictError:
		return "❓"
	}
	return "❔"
}

// verdictWord is the verdict as the headline shows it; a verdict the gate
// does not define is "unknown" rather than server or caller text.
func verdictWord(p i18n.Printer, v gate.Verdict) string {
	switch v {
	case gate.VerdictPass:
		return p.T("verdict.pass")
	case gate.VerdictWarn:
		return p.T("verdict.warn")
	case gate.VerdictFail:
		return p.T("verdict.fail")
	case gate.VerdictError:
		return p.T("verdict.error")
	}
	return p.T("verdict.unknown")
}

// why is the one sentence under the headline. It holds no server text, so
// it is the same in markdown and plain text.
func why(o *gate.Outcome, p i18n.Printer) string {
	if s := whyBaseline(o, p); s != "" {
		return s
	}
	blocking, _, upcoming := o.Counts()
	switch o.Verdict {
	case gate.VerdictFail:
		if blocking == 0 {
			return p.T("why.fail.none")
		}
		return p.N("why.fail", blocking, p.N("n.policy.of", len(groupFindings(p, o.Decision.Blocking, false))))
	case gate.VerdictWarn:
		if blocking == 0 {
			return p.T("why.warn.none")
		}
		return p.N("why.warn", blocking, p.N("n.policy.of", len(groupFindings(p, o.Decision.Blocking, false))))
	case gate.VerdictPass:
		if upcoming == 0 {
			return p.T("why.pass")
		}
		first := sortedUpcoming(o.Decision.Upcoming)[0].BlocksAt
		return p.N("why.pass.later", upcoming, fmtDate(p, first))
	case gate.VerdictError:
		return p.T("why.error")
	}
	return p.T("why.unknown")
}

// blockWord is what the blocking alerts do in o's verdict, and label the
// same as a heading.
func blockWord(o *gate.Outcome, p i18n.Printer) string {
	if o.Verdict == gate.VerdictWarn {
		return p.T("word.wouldblock")
	}
	return p.T("word.blocks")
}

func blockLabel(o *gate.Outcome, p i18n.Printer) string {
	if o.Verdict == gate.VerdictWarn {
		return p.T("label.wouldblock")
	}
	return p.T("label.blocks")
}

// alertGroup is the findings of one policy (and, for alerts that do not
// block, one reason: why, by its English words), the most severe first.
type alertGroup struct {
	policy, reason string
	why            gate.Text
	findings       []gate.Finding
}

// groupFindings groups fs by policy, and by reason too when byReason is
// set. Findings are ordered by severity, most severe first, ties in the
// decision's order; groups by their most severe finding, then by size,
// then by name.
func groupFindings(p i18n.Printer, fs []gate.Finding, byReason bool) []alertGroup {
	type key struct {
		id           int64
		name, reason string
	}
	index := map[key]int{}
	var groups []alertGroup
	for _, f := range fs {
		k := key{id: f.Alert.Policy, name: policyName(p, f)}
		if byReason {
			k.reason = f.Reason.String()
		}
		i, ok := index[k]
		if !ok {
			i = len(groups)
			index[k] = i
			groups = append(groups, alertGroup{policy: k.name, reason: k.reason})
			if byReason {
				groups[i].why = f.Reason
			}
		}
		groups[i].findings = append(groups[i].findings, f)
	}
	for i := range groups {
		slices.SortStableFunc(groups[i].findings, func(a, b gate.Finding) int { return bySeverity(a.Alert, b.Alert) })
	}
	slices.SortStableFunc(groups, func(a, b alertGroup) int {
		return cmp.Or(bySeverity(a.findings[0].Alert, b.findings[0].Alert),
			cmp.Compare(len(b.findings), len(a.findings)),
			strings.Compare(a.policy, b.policy), strings.Compare(a.reason, b.reason))
	})
	return groups
}

// severityRank orders severities: critical is 5, unknown 0.
func severityRank(s string) int {
	switch s {
	case api.SeverityCritical:
		return 5
	case api.SeverityHigh:
		return 4
	case api.SeverityMedium:
		return 3
	case api.SeverityLow:
		return 2
	case api.SeverityNone:
		return 1
	}
	return 0
}

// bySeverity orders the more severe alert first: by severity, then score.
func bySeverity(a, b api.Alert) int {
	if c := cmp.Compare(severityRank(b.Severity), severityRank(a.Severity)); c != 0 {
		return c
	}
	return cmp.Compare(score(b), score(a))
}

func score(a api.Alert) float64 {
	if a.CVSSScore == nil {
		return -1
	}
	return *a.CVSSScore
}

// severityEmoji is the coloured dot of a severity.
func severityEmoji(s string) string {
	switch s {
	case api.SeverityCritical:
		return "🔴"
	case api.SeverityHigh:
		return "🟠"
	case api.SeverityMedium:
		return "🟡"
	case api.SeverityLow:
		return "🔵"
	case api.SeverityNone:
		return "⚪"
	}
	return ""
}

// severityText is "critical 9.8", "high" or "9.8"; "" when unknown.
func severityText(p i18n.Printer, a api.Alert) string {
	var parts []string
	if w := severityWord(p, a.Severity); w != "" {
		parts = append(parts, w)
	}
	if a.CVSSScore != nil {
		parts = append(parts, strconv.FormatFloat(*a.CVSSScore, 'f', 1, 64))
	}
	return strings.Join(parts, " ")
}

// severityWord is the severity api decoded, in p's language.
func severityWord(p i18n.Printer, s string) string {
	switch s {
	case api.SeverityCritical:
		return p.T("severity.critical")
	case api.SeverityHigh:
		return p.T("severity.high")
	case api.SeverityMedium:
		return p.T("severity.medium")
	case api.SeverityLow:
		return p.T("severity.low")
	case api.SeverityNone:
		return p.T("severity.none")
	}
	return s
}

// relationWord is a dependency's relation in p's language when it is one
// CodeScoring defines (direct, transitive: in its Russian interface прямая,
// транзитивная), else as the server sent it.
func relationWord(p i18n.Printer, r string) string {
	switch r {
	case "direct":
		return p.T("relation.direct")
	case "transitive":
		return p.T("relation.transitive")
	}
	return r
}

// reasonText is the gate's reason for a finding's category in p's
// language; what the server sent (a stage, a status) stays as it is.
func reasonText(p i18n.Printer, reason gate.Text) string {
	return reason.In(p.Language())
}

// policyName is the name of f's policy: from the policy list, else from the
// alert, else its id.
func policyName(p i18n.Printer, f gate.Finding) string {
	if f.Policy != nil && PlainText(f.Policy.Name) != "" {
		return f.Policy.Name
	}
	if PlainText(f.Alert.PolicyName) != "" {
		return f.Alert.PolicyName
	}
	return p.T("policy.id", f.Alert.Policy)
}

// sortedUpcoming returns a copy of fs ordered by the date each starts
// blocking, soonest first; ties keep the decision's order.
func sortedUpcoming(fs []gate.Finding) []gate.Finding {
	out := slices.Clone(fs)
	slices.SortStableFunc(out, func(a, b gate.Finding) int { return a.BlocksAt.Compare(b.BlocksAt) })
	return out
}

// fmtTime writes t in UTC to the second; the zero time is "unknown".
func fmtTime(p i18n.Printer, t time.Time) string {
	if t.IsZero() {
		return p.T("unknown")
	}
	return t.UTC().Format("2006-01-02 15:04:05 UTC")
}

// fmtDate writes t in UTC to the minute; the zero time is "unknown".
func fmtDate(p i18n.Printer, t time.Time) string {
	if t.IsZero() {
		return p.T("unknown")
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

// sourceLabel says how the analysis came to be the one decided on: started
// by this run, attached while running, or found finished.
func sourceLabel(o *gate.Outcome, p i18n.Printer) string {
	src := o.Source
	if src == gate.SourceNone && o.Attached {
		src = gate.SourceAttached
	}
	switch src {
	case gate.SourceStarted:
		return p.T("source.started")
	case gate.SourceAttached:
		return p.T("source.attached")
	case gate.SourceFound:
		return p.T("source.found")
	case gate.SourceReused:
		return p.T("source.reused.ago", agoText(p, o.ReusedAge))
	}
	return src.String()
}

// agoText says how long ago something happened: "just now", "40 s ago",
// "12 min ago", "2 h 5 min ago".
func agoText(p i18n.Printer, d time.Duration) string {
	switch {
	case d < time.Second:
		return p.T("ago.now")
	case d < time.Minute:
		return p.T("ago.s", int(d/time.Second))
	case d < time.Hour:
		return p.T("ago.min", int(d/time.Minute))
	case d%time.Hour < time.Minute:
		return p.T("ago.h", int(d/time.Hour))
	}
	return p.T("ago.hmin", int(d/time.Hour), int(d%time.Hour/time.Minute))
}

// errText is Err's message, or a stand-in when the verdict is error
// without one.
func errText(o *gate.Outcome, p i18n.Printer) string {
	if o.Err != nil && PlainText(o.Err.Error()) != "" {
		return gate.Fact(o.Err, p.Language())
	}
	return p.T("no.error")
}

// hintText is Hint, or general advice when there is none.
func hintText(o *gate.Outcome, p i18n.Printer) string {
	if PlainText(o.Hint) != "" {
		return o.Hint
	}
	return p.T("hint.default")
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

// noStageBlocks reports whether a stage was chosen and no policy of o's
// alerts can block at it: nothing can fail the build there, which a reader
// should not mistake for a clean result.
func noStageBlocks(o *gate.Outcome) bool {
	d := o.Decision
	if d == nil || PlainText(o.Config.Stage) == "" || len(d.Blocking) > 0 || len(d.Upcoming) > 0 {
		return false
	}
	seen := false
	for _, fs := range [][]gate.Finding{d.Warnings, d.Ignored, d.Resolved} {
		for _, f := range fs {
			p := f.Policy
			if p == nil {
				continue
			}
			seen = true
			if p.IsActive && p.IsBlocksBuild && slices.ContainsFunc(p.Stages, func(s string) bool {
				return strings.EqualFold(strings.TrimSpace(s), strings.TrimSpace(o.Config.Stage))
			}) {
				return false
			}
		}
	}
	return seen
}

// stageNote is the line noStageBlocks asks for, without server text but
// the stage (escaped by the caller's function e).
func stageNote(p i18n.Printer, stage string) string {
	return p.T("stage.note", stage)
}

// mdPre is the headline, the facts, the error and the overview: everything
// before the tables.
func mdPre(o *gate.Outcome, st mdStyle) string {
	var b strings.Builder
	p := st.p
	fmt.Fprintf(&b, "%s %s %s\n\n%s\n\n", st.title, verdictEmoji(o.Verdict), p.T("headline", verdictWord(p, o.Verdict)), why(o, p))
	if !o.Fallback.IsZero() {
		b.WriteString("⚠️ " + esc(o.Fallback.In(p.Language()), 1000) + "\n\n")
	}
	if s := baselineUnavailable(o, p, EscapeMarkdown); s != "" {
		b.WriteString("⚠️ " + s + "\n\n")
	}

	var lines []string
	project := esc(projectNameOf(o), st.nameLen)
	if project == "" {
		project = p.T("unknown")
	}
	if u, ok := SafeURL(o.ReportURL); ok {
		project = mdLink(project, u)
	}
	bold := func(key string) string { return "**" + p.T(key) + ":** " }
	lines = append(lines, bold("fact.project")+project)
	var rc []string
	if r := esc(refOf(o), st.nameLen); r != "" {
		rc = append(rc, bold("fact.ref")+r)
	}
	if c := EscapeMarkdown(shortCommit(commitOf(o))); c != "" {
		rc = append(rc, bold("fact.commit")+c)
	}
	if len(rc) > 0 {
		lines = append(lines, strings.Join(rc, " · "))
	}
	var an []string
	if a := o.Analysis; a != nil && (st.times || o.Verdict == gate.VerdictError) {
		s := bold("fact.analysis") + strconv.FormatInt(a.ID, 10)
		if a.Status != "" && a.Status != api.StatusSuccess {
			s += p.T("fact.status", esc(string(a.Status), st.codeLen))
		}
		if l := sourceLabel(o, p); l != "" {
			s += " (" + l + ")"
		}
		an = append(an, s)
	}
	stage := esc(o.Config.Stage, st.codeLen)
	if stage == "" {
		stage = p.T("fact.any")
	}
	an = append(an, bold("fact.stage")+stage)
	if m := esc(string(o.Config.Mode), st.codeLen); m != "" {
		an = append(an, bold("fact.mode")+m)
	}
	if compared(o) {
		an = append(an, bold("fact.blockon")+esc(string(o.Decision.BlockOn), st.codeLen))
	}
	lines = append(lines, strings.Join(an, " · "))
	if f := baselineFacts(o, p, st.times); f != "" {
		lines = append(lines, bold("fact.baseline")+EscapeMarkdown(f))
	}
	if st.times && !o.DecidedAt.IsZero() {
		s := bold("fact.decided") + fmtTime(p, o.DecidedAt)
		if o.Elapsed > 0 {
			s += p.T("fact.after", o.Elapsed.Round(time.Second).String())
		}
		lines = append(lines, s)
	}
	for _, l := range lines {
		b.WriteString("- " + l + "\n")
	}
	b.WriteString("\n")

	if o.Verdict == gate.VerdictError {
		b.WriteString(bold("fact.failed") + esc(errText(o, p), 2000) + "\n\n")
		if s := serverError(o); s != "" {
			b.WriteString(bold("fact.server") + esc(s, 1000) + "\n\n")
		}
		b.WriteString(bold("fact.todo") + EscapeAdvice(clip(hintText(o, p), 1000)) + "\n\n")
		return b.String()
	}
	b.WriteString(mdOverview(o, st))
	return b.String()
}

// mdOverview names every policy with its count, by what it does to the
// build, so that a reader sees all of them before any table is cut.
func mdOverview(o *gate.Outcome, st mdStyle) string {
	d := o.Decision
	if d == nil {
		return ""
	}
	names := func(groups []alertGroup, extra func(g alertGroup) string) string {
		parts := make([]string, 0, len(groups))
		for _, g := range groups {
			s := esc(g.policy, st.nameLen) + " (" + strconv.Itoa(len(g.findings))
			if extra != nil {
				s += extra(g)
			}
			parts = append(parts, s+")")
		}
		return strings.Join(parts, ", ")
	}
	p := st.p
	var lines []string
	if len(d.Blocking) > 0 {
		emoji := "🚫"
		if o.Verdict == gate.VerdictWarn {
			emoji = "⚠️"
		}
		lines = append(lines, emoji+" **"+blockLabel(o, p)+":** "+names(groupFindings(p, d.Blocking, false), newCount(o, p)))
	}
	if len(d.Upcoming) > 0 {
		lines = append(lines, "⏳ **"+p.T("label.upcoming")+":** "+names(groupFindings(p, d.Upcoming, false), func(g alertGroup) string {
			return newCount(o, p)(g) + p.T("overview.from", fmtDate(p, sortedUpcoming(g.findings)[0].BlocksAt))
		}))
	}
	lines = append(lines, mdBaselineOverview(o, st, func(gs []alertGroup) string { return names(gs, nil) })...)
	var rest []string
	if len(d.Warnings) > 0 {
		rest = append(rest, names(groupFindings(p, d.Warnings, false), nil))
	}
	if n := len(d.Ignored); n > 0 {
		rest = append(rest, p.N("n.ignored", n))
	}
	if n := len(d.Resolved); n > 0 {
		rest = append(rest, p.N("n.resolved", n))
	}
	if len(rest) > 0 {
		lines = append(lines, "**"+p.T("label.nonblock")+":** "+strings.Join(rest, "; "))
	}
	// '*' starts a list of its own after the facts' '-' list.
	var b strings.Builder
	for _, l := range lines {
		b.WriteString("* " + l + "\n")
	}
	if len(lines) > 0 {
		b.WriteString("\n")
	}
	if l := legend(o, p, badgeNew); l != "" {
		b.WriteString(EscapeMarkdown(l) + "\n\n")
	}
	if noStageBlocks(o) {
		b.WriteString(stageNote(p, esc(o.Config.Stage, st.codeLen)) + "\n\n")
	}
	return b.String()
}

// sectionKind names a part of the report that layout may cut.
type sectionKind int

const (
	kindBlocking sectionKind = iota
	kindUpcoming
	kindWarning
	kindIgnored
	kindResolved
	kindAlreadyOnBase
	kindFixed
)

// mdSections are the tables of a decision, most important first, and, for
// each group, all its rows (for the budget lines). An error verdict has
// none. full, when not nil, says for each section and group whether the
// job summary shows all its rows; the comment links there for the rows it
// leaves out, else to the project in CodeScoring.
func mdSections(o *gate.Outcome, st mdStyle, places budgetPlaces) []mdSection {
	d := o.Decision
	if d == nil || o.Verdict == gate.VerdictError {
		return nil
	}
	p := st.p
	var secs []mdSection
	if len(d.Blocking) > 0 {
		emoji := "🚫"
		if o.Verdict == gate.VerdictWarn {
			emoji = "⚠️"
		}
		s := mdSection{kind: kindBlocking, noun: "n.blocking"}
		for gi, g := range groupFindings(p, d.Blocking, false) {
			head := fmt.Sprintf("%s %s %s · %s · %s\n\n", st.heading, emoji, esc(g.policy, st.nameLen), blockWord(o, p),
				p.N("alerts", len(g.findings)))
			s.groups = append(s.groups, st.alertTable(head, g, kindBlocking, places.at(kindBlocking, gi)))
		}
		secs = append(secs, s)
	}
	if len(d.Upcoming) > 0 {
		s := mdSection{kind: kindUpcoming, noun: "n.upcoming"}
		for gi, g := range groupFindings(p, d.Upcoming, false) {
			g.findings = sortedUpcoming(g.findings)
			head := fmt.Sprintf("%s ⏳ %s · %s · %s\n\n%s\n\n",
				st.heading, esc(g.policy, st.nameLen), p.T("word.upcoming"), p.N("alerts", len(g.findings)), p.T("upcoming.each"))
			s.groups = append(s.groups, st.alertTable(head, g, kindUpcoming, places.at(kindUpcoming, gi)))
		}
		secs = append(secs, s)
	}
	secs = append(secs, mdAlreadySection(o, st, places)...)
	if len(d.Warnings) > 0 {
		s := st.listSection(kindWarning, "n.nonblocking", p.T("label.nonblock"), p.T("what.nonblock"), len(d.Warnings))
		for gi, g := range groupFindings(p, d.Warnings, true) {
			head := fmt.Sprintf("**%s** · %s · %s\n\n", esc(g.policy, st.nameLen), esc(reasonText(p, g.why), st.reasonLen),
				p.N("alerts", len(g.findings)))
			s.groups = append(s.groups, st.alertTable(head, g, kindWarning, places.at(kindWarning, gi)))
		}
		secs = append(secs, s)
	}
	if len(d.Ignored) > 0 {
		s := st.listSection(kindIgnored, "n.ignored", p.T("label.ignored"), p.T("what.ignored"), len(d.Ignored))
		for gi, g := range groupFindings(p, d.Ignored, false) {
			head := fmt.Sprintf("**%s** · %s\n\n", esc(g.policy, st.nameLen), p.N("alerts", len(g.findings)))
			s.groups = append(s.groups, st.alertTable(head, g, kindIgnored, places.at(kindIgnored, gi)))
		}
		secs = append(secs, s)
	}
	secs = append(secs, mdFixedSection(o, st, places)...)
	if len(d.Resolved) > 0 && !st.collapse {
		s := st.listSection(kindResolved, "n.resolved", p.T("label.resolved"), p.T("what.resolved"), len(d.Resolved))
		for gi, g := range groupFindings(p, d.Resolved, false) {
			head := fmt.Sprintf("**%s** · %s\n\n", esc(g.policy, st.nameLen), p.N("alerts", len(g.findings)))
			s.groups = append(s.groups, st.alertTable(head, g, kindResolved, places.at(kindResolved, gi)))
		}
		secs = append(secs, s)
	}
	return secs
}

// listSection is a section of alerts that do not block: collapsed in the
// comment.
func (st mdStyle) listSection(kind sectionKind, noun, title, what string, n int) mdSection {
	s := mdSection{kind: kind, noun: noun}
	if st.collapse {
		s.open = fmt.Sprintf("<details>\n<summary>%s (%d): %s</summary>\n\n", title, n, what)
		s.close = "</details>\n\n"
	} else {
		s.open = fmt.Sprintf("%s %s (%d): %s\n\n", st.heading, title, n, what)
	}
	return s
}

// budgetPlaces says, for the rows a comment's table leaves out, where they
// are shown.
type budgetPlaces struct {
	// inSummary[kind][group] is true when the job summary shows every row
	// of that group and can be linked.
	inSummary  map[sectionKind][]bool
	summaryURL string // a SafeURL result, or ""
	reportURL  string // a SafeURL result, or ""
	p          i18n.Printer
}

// at returns the markdown for where the rows of a group left out are.
func (p budgetPlaces) at(kind sectionKind, group int) string {
	if g := p.inSummary[kind]; p.summaryURL != "" && group < len(g) && g[group] {
		return p.p.T("where.the", mdLink(p.p.T("where.summary"), p.summaryURL))
	}
	if p.reportURL != "" {
		return p.p.T("where.the", mdLink(p.p.T("where.project"), p.reportURL))
	}
	return p.p.T("where.project.the")
}

// column is one column of an alert table: its title and each row's cell.
type column struct {
	title string
	cell  func(f gate.Finding) string
}

// alertTable is the table of one group: head, the budget line when rows
// are left out, the header and rows (the most severe first), and the
// matched criteria under it. Columns empty in every row are left out.
func (st mdStyle) alertTable(head string, g alertGroup, kind sectionKind, where string) mdGroup {
	upcoming := kind == kindUpcoming
	p := st.p
	cols := []column{
		{p.T("col.package"), func(f gate.Finding) string { return rowBadge(p, f) + packageCell(f.Alert, st) }},
		{p.T("col.finding"), func(f gate.Finding) string { return findingCell(f.Alert, st) }},
		{p.T("col.severity"), func(f gate.Finding) string { return severityCell(p, f.Alert) }},
		{p.T("col.fixedin"), func(f gate.Finding) string { return fixCell(f.Alert, st) }},
	}
	if !slices.ContainsFunc(g.findings, func(f gate.Finding) bool { return PlainText(f.Alert.VulnerabilityCode) != "" }) {
		cols[3].title = p.T("col.todo") // a license has no fixed version
	}
	if upcoming {
		cols = append([]column{{p.T("col.blocksfrom"), func(f gate.Finding) string { return fmtDate(p, f.BlocksAt) }}}, cols...)
	}
	shown := g.findings
	if st.maxRows > 0 && len(shown) > st.maxRows {
		shown = shown[:st.maxRows]
		key := "table.cut.severe"
		if upcoming {
			key = "table.cut.soonest"
		}
		head += p.T(key, len(shown), len(g.findings), len(g.findings), where) + "\n\n"
	}
	cells := make([][]string, len(shown))
	keep := make([]bool, len(cols))
	for i, f := range shown {
		cells[i] = make([]string, len(cols))
		for j, c := range cols {
			cells[i][j] = c.cell(f)
			if cells[i][j] != "" {
				keep[j] = true
			}
		}
	}
	var titles []string
	for j, c := range cols {
		if keep[j] {
			titles = append(titles, c.title)
		}
	}
	grp := mdGroup{head: head + mdTableHead(titles...), tail: "\n"}
	if !st.collapse || kind == kindBlocking || kind == kindUpcoming {
		// The comment keeps to what the reader must act on.
		grp.tail += st.criteria(shown)
	}
	for _, row := range cells {
		var kept []string
		for j, c := range row {
			if keep[j] {
				kept = append(kept, c)
			}
		}
		grp.rows = append(grp.rows, mdRow(kept...))
	}
	return grp
}

// packageCell is the dependency's name (else its purl) and, on a line of
// its own, its version and whether it is direct or transitive.
func packageCell(a api.Alert, st mdStyle) string {
	name := esc(a.DependencyName, st.nameLen)
	if name == "" {
		name = esc(a.DependencyPurl, st.nameLen)
	}
	var about []string
	if v := esc(a.DependencyVersion, st.nameLen); v != "" {
		about = append(about, v)
	}
	if r := esc(relationWord(st.p, a.Relation), st.codeLen); r != "" {
		about = append(about, r)
	}
	switch {
	case len(about) == 0:
		return name
	case name == "":
		return strings.Join(about, " · ")
	}
	return name + "<br>" + strings.Join(about, " · ")
}

// findingCell is the vulnerability id, linked when the link is http(s),
// and the license. A link that is not http(s) is shown as text.
func findingCell(a api.Alert, st mdStyle) string {
	var parts []string
	if v := vulnCell(a, st); v != "" {
		parts = append(parts, v)
	}
	if l := esc(a.LicenseCode, st.codeLen); l != "" {
		parts = append(parts, st.p.T("cell.license", l))
	}
	return strings.Join(parts, ", ")
}

// vulnCell is the vulnerability id, linked when the link is http(s).
func vulnCell(a api.Alert, st mdStyle) string {
	code := esc(a.VulnerabilityCode, st.codeLen)
	if u, ok := SafeURL(a.VulnerabilityLink); ok {
		if code == "" {
			code = st.p.T("cell.advisory")
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

// severityCell is "🔴 critical 9.8", kept on one line by no-break spaces;
// "" when unknown. Severity is decoded from the server's fields (api), so
// it is one of a few words and a number.
func severityCell(p i18n.Printer, a api.Alert) string {
	t := strings.ReplaceAll(severityText(p, a), " ", nbsp)
	if t == "" {
		return ""
	}
	if e := severityEmoji(a.Severity); e != "" {
		return e + nbsp + t
	}
	return t
}

// nbsp (U+00A0 NO-BREAK SPACE) keeps a short cell on one line.
const nbsp = "\u00a0"

// fixCell says what to do: the version to upgrade to when the server knows
// one, else replace the dependency or ask for an ignore.
func fixCell(a api.Alert, st mdStyle) string {
	if v := esc(a.MaxFixedVersion, st.nameLen); v != "" {
		return v
	}
	if PlainText(a.VulnerabilityCode) == "" && PlainText(a.LicenseCode) != "" {
		return st.p.T("fix.license")
	}
	return st.p.T("fix.noversion")
}

// criterionText is criterion c of a without the "name@version " the row
// already shows, as plain text.
func criterionText(a api.Alert, c string) string {
	c = PlainText(c)
	for _, prefix := range []string{
		PlainText(a.DependencyName) + "@" + PlainText(a.DependencyVersion) + " ",
		PlainText(a.DependencyPurl) + " ",
	} {
		if len(prefix) > 2 && strings.HasPrefix(c, prefix) {
			c = strings.TrimSpace(strings.TrimPrefix(c, prefix))
			c = strings.TrimPrefix(c, "has ")
			break
		}
	}
	if code := PlainText(a.VulnerabilityCode); code != "" && strings.HasPrefix(c, code+", ") {
		c = strings.TrimSpace(strings.TrimPrefix(c, code+", "))
	}
	return c
}

// criteriaOf returns the criteria of a as plain text, cut and capped.
func (st mdStyle) criteriaOf(a api.Alert) []string {
	var out []string
	for i, c := range a.MatchedCriteria {
		if i == st.maxCriteria {
			out = append(out, st.p.T("more.n", len(a.MatchedCriteria)-i))
			break
		}
		if s := clip(criterionText(a, c), st.criterionLen); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// criteria writes what the policy matched, out of the table: one line when
// every row matched the same, else a list by package (collapsed in the
// comment).
func (st mdStyle) criteria(fs []gate.Finding) string {
	if len(fs) == 0 {
		return ""
	}
	all := make([][]string, len(fs))
	same, some := true, false
	for i, f := range fs {
		all[i] = st.criteriaOf(f.Alert)
		some = some || len(all[i]) > 0
		same = same && slices.Equal(all[i], all[0])
	}
	if !some {
		return ""
	}
	escAll := func(cs []string) string {
		out := make([]string, len(cs))
		for i, c := range cs {
			out[i] = EscapeMarkdown(c)
		}
		return strings.Join(out, "; ")
	}
	if same {
		return st.p.T("matched.one") + escAll(all[0]) + "\n\n"
	}
	var b strings.Builder
	if st.collapse {
		b.WriteString("<details>\n<summary>" + st.p.T("matched.title") + "</summary>\n\n")
	} else {
		b.WriteString(st.p.T("matched.title") + ":\n\n")
	}
	for i, f := range fs {
		if len(all[i]) == 0 {
			continue
		}
		name := esc(f.Alert.DependencyName, st.nameLen)
		if name == "" {
			name = esc(f.Alert.DependencyPurl, st.nameLen)
		}
		if name == "" {
			name = st.p.T("alert.id", f.Alert.ID)
		}
		b.WriteString("- " + name + ": " + escAll(all[i]) + "\n")
	}
	b.WriteString("\n")
	if st.collapse {
		b.WriteString("</details>\n\n")
	}
	return b.String()
}

// mdDiagnostics lists the decision's notes: what the gate noticed about the
// data. They come last, collapsed in the comment.
func mdDiagnostics(o *gate.Outcome, st mdStyle) string {
	d := o.Decision
	if d == nil || len(d.Notes) == 0 {
		return ""
	}
	var b strings.Builder
	title := st.p.T("diag.title", len(d.Notes))
	if st.collapse {
		b.WriteString("<details>\n<summary>" + title + "</summary>\n\n")
	} else {
		b.WriteString(st.heading + " " + title + "\n\n")
	}
	for i, n := range d.Notes {
		if i == st.maxNotes {
			b.WriteString("- " + st.p.N("more.notes", len(d.Notes)-i) + "\n")
			break
		}
		b.WriteString("- " + esc(n.In(st.p.Language()), st.reasonLen) + "\n")
	}
	b.WriteString("\n")
	if st.collapse {
		b.WriteString("</details>\n\n")
	}
	return b.String()
}

// leftOutNote returns the layout note for the rows left out to fit the
// limit of what (e.g. "comment"), pointing to where, e.g. "_9870 of 10000
// blocking alerts are left out to fit the comment size limit: see …._".
func leftOutNote(p i18n.Printer, what, where string) func(s *mdSection, n int) string {
	return func(s *mdSection, n int) string {
		return p.N("note.leftout", n, p.N(s.noun, s.rowCount()), what, where) + "\n\n"
	}
}
