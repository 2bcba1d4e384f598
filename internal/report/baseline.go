package report

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/gate"
)

// What every report says about the baseline, in one place.
const (
	badgeNew      = "🆕"
	wordNew       = "new"
	textLegend    = "%s marks the alerts new in this change; the others were already on %s."
	textFixedWhat = "on %s, no longer in this analysis"
	textAlready   = "they block, or will on their dates, but block-on is new: they do not fail the build"
	textFallback  = "Baseline unavailable: %s. Every blocking alert blocks, as with block-on all (fail-closed)."
	textNoCompare = "Baseline unavailable: %s. New and existing alerts are not told apart."
)

// compared reports whether o's alerts were compared with a baseline.
func compared(o *gate.Outcome) bool {
	return o.Decision != nil && o.Decision.Compared && o.Verdict != gate.VerdictError
}

// baseRef is the baseline's branch as plain text, "the baseline" without one.
func baseRef(o *gate.Outcome) string {
	if o.Baseline != nil {
		if r := clip(PlainText(o.Baseline.Ref), 80); r != "" {
			return r
		}
	}
	return "the baseline"
}

// whyBaseline is the headline sentence when a baseline was compared and it
// changes what the sentence says; "" leaves why's own. It counts what is
// new and what was already on the base: "2 new alerts block the build; 5
// more were already on main."
func whyBaseline(o *gate.Outcome) string {
	if !compared(o) {
		return ""
	}
	d := o.Decision
	ref := baseRef(o)
	newB, oldB, _ := d.BaselineCounts()
	warn := o.Verdict == gate.VerdictWarn
	verb := func(n int) string {
		switch {
		case warn:
			return "would block"
		case n == 1:
			return "blocks"
		}
		return "block"
	}
	theBuild := "the build"
	if warn {
		theBuild = "the build, but the mode is warn, so the build goes on"
	}
	was := func(n int) string {
		if n == 1 {
			return "was"
		}
		return "were"
	}
	switch o.Verdict {
	case gate.VerdictFail, gate.VerdictWarn:
		switch {
		case newB == 0 && oldB == 1:
			return fmt.Sprintf("1 alert %s %s; it was already on %s, it is not new in this change.", verb(1), theBuild, ref)
		case newB == 0 && oldB > 0:
			return fmt.Sprintf("%s %s %s; all were already on %s, none is new in this change.", plural(oldB, "alert", "alerts"), verb(oldB), theBuild, ref)
		case oldB == 0:
			return fmt.Sprintf("%s %s %s.", plural(newB, "new alert", "new alerts"), verb(newB), theBuild)
		case d.BlockOn == gate.BlockOnNew:
			doNot := "do not"
			if oldB == 1 {
				doNot = "does not"
			}
			return fmt.Sprintf("%s %s %s; %d more %s already on %s and %s (block-on: new).", plural(newB, "new alert", "new alerts"), verb(newB), theBuild, oldB, was(oldB), ref, doNot)
		}
		return fmt.Sprintf("%s %s %s; %d more %s already on %s.", plural(newB, "new alert", "new alerts"), verb(newB), theBuild, oldB, was(oldB), ref)
	case gate.VerdictPass:
		if oldB > 0 {
			return fmt.Sprintf("No new alert blocks the build; %s %s already on %s (block-on: new).",
				plural(oldB, "blocking alert", "blocking alerts"), was(oldB), ref)
		}
	}
	return ""
}

// baselineUnavailable is the headline's line when a baseline was asked for
// and there is none, with the reason (which may hold server text) passed
// through escape; "" otherwise.
func baselineUnavailable(o *gate.Outcome, escape func(string) string) string {
	b := o.Baseline
	if b == nil || b.Analysis != nil || o.Decision == nil || o.Verdict == gate.VerdictError {
		return ""
	}
	why := clip(PlainText(strings.TrimSuffix(b.Unavailable, ".")), 300)
	if why == "" {
		why = "no reason was recorded"
	}
	if o.Config.BlockOn == gate.BlockOnNew {
		return fmt.Sprintf(textFallback, escape(why))
	}
	return fmt.Sprintf(textNoCompare, escape(why))
}

// baselineFacts names the baseline analysis as plain text: "main, analysis
// 999, commit 937b858, finished 2026-11-30 08:00 UTC", and with age (the
// summary and the terminal; the comment holds no time that changes between
// re-runs) ", 1 day before this run". "" when none was compared.
func baselineFacts(o *gate.Outcome, age bool) string {
	if !compared(o) || o.Baseline == nil || o.Baseline.Analysis == nil {
		return ""
	}
	a := o.Baseline.Analysis
	parts := []string{baseRef(o), "analysis " + strconv.FormatInt(a.ID, 10)}
	if c := shortCommit(a.Commit); c != "" {
		parts = append(parts, "commit "+c)
	}
	at := a.FinishedAt
	if at.IsZero() {
		at = a.StartedAt
	}
	if !at.IsZero() {
		s := "finished " + fmtDate(at)
		if age && !o.DecidedAt.IsZero() && o.DecidedAt.After(at) {
			s += ", " + ago(o.DecidedAt.Sub(at)) + " before this run"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

// ago writes an age in the largest whole unit: "3 days", "5 hours", "12
// minutes", "under a minute".
func ago(d time.Duration) string {
	switch {
	case d >= 24*time.Hour:
		return plural(int(d/(24*time.Hour)), "day", "days")
	case d >= time.Hour:
		return plural(int(d/time.Hour), "hour", "hours")
	case d >= time.Minute:
		return plural(int(d/time.Minute), "minute", "minutes")
	}
	return "under a minute"
}

// rowBadge is the mark before a row's package: "🆕 **new** · " when the
// finding is new in this change (the word too: not every reader shows the
// emoji).
func rowBadge(f gate.Finding) string {
	if f.Origin == gate.OriginNew {
		return badgeNew + nbsp + "**" + wordNew + "**" + nbsp + "· "
	}
	return ""
}

// legend explains badge, when some row of o can carry it.
func legend(o *gate.Outcome, badge string) string {
	if !compared(o) {
		return ""
	}
	d := o.Decision
	if len(d.Blocking)+len(d.Upcoming)+len(d.Warnings)+len(d.AlreadyOnBase) == 0 {
		return ""
	}
	return fmt.Sprintf(textLegend, badge, baseRef(o))
}

// mdBaselineOverview is the overview's lines about the findings already on
// the base (block-on new) and those fixed.
func mdBaselineOverview(o *gate.Outcome, st mdStyle, names func([]alertGroup) string) []string {
	if !compared(o) {
		return nil
	}
	d := o.Decision
	var lines []string
	ref := EscapeMarkdown(baseRef(o))
	if len(d.AlreadyOnBase) > 0 {
		lines = append(lines, "📌 **Already on "+ref+", not blocking (block-on: new):** "+names(groupFindings(d.AlreadyOnBase, false)))
	}
	if len(d.Fixed) > 0 {
		lines = append(lines, "✅ **Fixed by this change:** "+fixedCounts(d.Fixed, st))
	}
	return lines
}

// fixedShown is the most fixed findings a markdown report shows: they are
// good news, not work, and a baseline may hold ten thousand.
const fixedShown = 100

// fixedCounts names the policies of the fixed findings with their counts,
// the most first: "No critical CVEs (2), High CVEs (1)". It counts without
// grouping the findings (there may be ten thousand).
func fixedCounts(fs []gate.Finding, st mdStyle) string {
	type count struct {
		name string
		n    int
	}
	index := map[string]int{}
	var counts []count
	for _, f := range fs {
		name := policyName(f)
		i, ok := index[name]
		if !ok {
			i = len(counts)
			index[name] = i
			counts = append(counts, count{name: name})
		}
		counts[i].n++
	}
	slices.SortStableFunc(counts, func(a, b count) int { return cmp.Compare(b.n, a.n) })
	parts := make([]string, len(counts))
	for i, c := range counts {
		parts[i] = esc(c.name, st.nameLen) + " (" + strconv.Itoa(c.n) + ")"
	}
	return strings.Join(parts, ", ")
}

// mdAlreadySection is the tables of the findings already on the base that
// block-on new keeps from blocking, collapsed in the comment; nil when none.
func mdAlreadySection(o *gate.Outcome, st mdStyle, places budgetPlaces) []mdSection {
	if !compared(o) || len(o.Decision.AlreadyOnBase) == 0 {
		return nil
	}
	d := o.Decision
	s := st.listSection(kindAlreadyOnBase, "alert already on the base", "alerts already on the base",
		"Already on "+EscapeMarkdown(baseRef(o)), textAlready, len(d.AlreadyOnBase))
	for gi, g := range groupFindings(d.AlreadyOnBase, false) {
		head := fmt.Sprintf("**%s** · %s\n\n", esc(g.policy, st.nameLen), plural(len(g.findings), "alert", "alerts"))
		s.groups = append(s.groups, st.alertTable(head, g, kindAlreadyOnBase, places.at(kindAlreadyOnBase, gi)))
	}
	return []mdSection{s}
}

// mdFixedSection is the tables of the findings this change fixed (the
// first fixedShown), collapsed in the comment; nil when none.
func mdFixedSection(o *gate.Outcome, st mdStyle, places budgetPlaces) []mdSection {
	if !compared(o) || len(o.Decision.Fixed) == 0 {
		return nil
	}
	d := o.Decision
	s := st.listSection(kindFixed, "fixed alert", "fixed alerts", "Fixed by this change",
		fmt.Sprintf(textFixedWhat, EscapeMarkdown(baseRef(o))), len(d.Fixed))
	fs := d.Fixed
	if len(fs) > fixedShown {
		fs = fs[:fixedShown]
		s.open += fmt.Sprintf("_The first %d of %d are shown; the baseline analysis in CodeScoring has them all._\n\n", len(fs), len(d.Fixed))
	}
	for gi, g := range groupFindings(fs, false) {
		head := fmt.Sprintf("**%s** · %s\n\n", esc(g.policy, st.nameLen), plural(len(g.findings), "alert", "alerts"))
		s.groups = append(s.groups, st.fixedTable(head, g, places.at(kindFixed, gi)))
	}
	return []mdSection{s}
}

// fixedTable is the table of one policy's fixed findings: package and
// finding, as the baseline had them.
func (st mdStyle) fixedTable(head string, g alertGroup, where string) mdGroup {
	shown := g.findings
	if st.maxRows > 0 && len(shown) > st.maxRows {
		shown = shown[:st.maxRows]
		head += fmt.Sprintf("_The %d most severe of %d are shown; all %d are in %s._\n\n", len(shown), len(g.findings), len(g.findings), where)
	}
	grp := mdGroup{head: head + mdTableHead("Package on the base", "Finding"), tail: "\n"}
	for _, f := range shown {
		grp.rows = append(grp.rows, mdRow(packageCell(f.Alert, st), findingCell(f.Alert, st)))
	}
	return grp
}

// baseline writes the terminal's lines about the findings already on the
// base and those fixed.
func (t *termWriter) baseline(o *gate.Outcome, where string) {
	if !compared(o) {
		return
	}
	d := o.Decision
	ref := baseRef(o)
	if len(d.AlreadyOnBase) > 0 {
		t.blank()
		t.paraStyled(ansiBold, fmt.Sprintf("Already on %s (%d): ", ref, len(d.AlreadyOnBase)), textAlready)
		for i, f := range d.AlreadyOnBase {
			if i == termMaxRows {
				t.para("  ", fmt.Sprintf("and %d more: see %s", len(d.AlreadyOnBase)-i, where))
				break
			}
			t.para("  - ", txt(policyName(f), termNameLen)+": "+alertLine(f.Alert))
		}
	}
	if len(d.Fixed) > 0 {
		t.blank()
		t.paraStyled(ansiBold+ansiGreen, fmt.Sprintf("Fixed by this change (%d): ", len(d.Fixed)), fmt.Sprintf(textFixedWhat, ref))
		for i, f := range d.Fixed {
			if i == termMaxRows {
				t.para("  ", fmt.Sprintf("and %d more: see %s", len(d.Fixed)-i, where))
				break
			}
			t.para("  - ", txt(policyName(f), termNameLen)+": "+alertLine(f.Alert))
		}
	}
}

// termBadge is the terminal's mark of a new finding.
func termBadge(f gate.Finding) string {
	if f.Origin == gate.OriginNew {
		return "[" + wordNew + "] "
	}
	return ""
}

// newCount returns the overview's ", 2 new" of a group when o was compared
// with a baseline and some of the group's findings are new.
func newCount(o *gate.Outcome) func(g alertGroup) string {
	return func(g alertGroup) string {
		if !compared(o) {
			return ""
		}
		n := 0
		for _, f := range g.findings {
			if f.Origin == gate.OriginNew {
				n++
			}
		}
		if n == 0 {
			return ""
		}
		return ", " + strconv.Itoa(n) + " " + wordNew
	}
}
