package report

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/gate"
	"github.com/codescoring-gate/codescoring-gate/internal/i18n"
)

// What every report says about the baseline, in one place.
const badgeNew = "🆕"

// compared reports whether o's alerts were compared with a baseline.
func compared(o *gate.Outcome) bool {
	return o.Decision != nil && o.Decision.Compared && o.Verdict != gate.VerdictError
}

// baseRef is the baseline's branch as plain text, "the baseline" without one.
func baseRef(o *gate.Outcome, p i18n.Printer) string {
	if o.Baseline != nil {
		if r := clip(PlainText(o.Baseline.Ref), 80); r != "" {
			return r
		}
	}
	return p.T("base.the")
}

// whyBaseline is the headline sentence when a baseline was compared and it
// changes what the sentence says; "" leaves why's own. It counts what is
// new and what was already on the base: "2 new alerts block the build; 5
// more were already on main."
func whyBaseline(o *gate.Outcome, p i18n.Printer) string {
	if !compared(o) {
		return ""
	}
	d := o.Decision
	ref := baseRef(o, p)
	newB, oldB, _ := d.BaselineCounts()
	warn := o.Verdict == gate.VerdictWarn
	switch o.Verdict {
	case gate.VerdictFail, gate.VerdictWarn:
		newKey, oldKey := "why.new", "why.old"
		if warn {
			newKey, oldKey = "why.new.warn", "why.old.warn"
		}
		switch {
		case newB == 0 && oldB > 0:
			return p.N(oldKey, oldB, ref)
		case oldB == 0:
			return p.N(newKey, newB) + "."
		case d.BlockOn == gate.BlockOnNew:
			return p.N(newKey, newB) + p.N("why.more.new", oldB, ref)
		}
		return p.N(newKey, newB) + p.N("why.more", oldB, ref)
	case gate.VerdictPass:
		if oldB > 0 {
			return p.N("why.pass.old", oldB, ref)
		}
	}
	return ""
}

// baselineUnavailable is the headline's line when a baseline was asked for
// and there is none, with the reason (which may hold server text) passed
// through escape; "" otherwise.
func baselineUnavailable(o *gate.Outcome, p i18n.Printer, escape func(string) string) string {
	b := o.Baseline
	if b == nil || b.Analysis != nil || o.Decision == nil || o.Verdict == gate.VerdictError {
		return ""
	}
	why := clip(PlainText(strings.TrimSuffix(b.Unavailable.In(p.Language()), ".")), 300)
	if why == "" {
		why = p.T("base.noreason")
	}
	if o.Config.BlockOn == gate.BlockOnNew {
		return p.T("base.fallback", escape(why))
	}
	return p.T("base.nocompare", escape(why))
}

// baselineFacts names the baseline analysis as plain text: "main, analysis
// 999, commit 937b858, finished 2026-11-30 08:00 UTC", and with age (the
// summary and the terminal; the comment holds no time that changes between
// re-runs) ", 1 day before this run". "" when none was compared.
func baselineFacts(o *gate.Outcome, p i18n.Printer, age bool) string {
	if !compared(o) || o.Baseline == nil || o.Baseline.Analysis == nil {
		return ""
	}
	a := o.Baseline.Analysis
	parts := []string{baseRef(o, p), p.T("base.analysis", a.ID)}
	if c := shortCommit(a.Commit); c != "" {
		parts = append(parts, p.T("base.commit", c))
	}
	at := a.FinishedAt
	if at.IsZero() {
		at = a.StartedAt
	}
	if !at.IsZero() {
		s := p.T("base.finished", fmtDate(p, at))
		if age && !o.DecidedAt.IsZero() && o.DecidedAt.After(at) {
			s += p.T("base.ago", ago(p, o.DecidedAt.Sub(at)))
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

// ago writes an age in the largest whole unit: "3 days", "5 hours", "12
// minutes", "under a minute".
func ago(p i18n.Printer, d time.Duration) string {
	switch {
	case d >= 24*time.Hour:
		return p.N("n.day", int(d/(24*time.Hour)))
	case d >= time.Hour:
		return p.N("n.hour", int(d/time.Hour))
	case d >= time.Minute:
		return p.N("n.minute", int(d/time.Minute))
	}
	return p.T("base.underminute")
}

// rowBadge is the mark before a row's package: "🆕 **new** · " when the
// finding is new in this change (the word too: not every reader shows the
// emoji).
func rowBadge(p i18n.Printer, f gate.Finding) string {
	if f.Origin == gate.OriginNew {
		return badgeNew + nbsp + "**" + p.T("base.new") + "**" + nbsp + "· "
	}
	return ""
}

// legend explains badge, when some row of o can carry it.
func legend(o *gate.Outcome, p i18n.Printer, badge string) string {
	if !compared(o) {
		return ""
	}
	d := o.Decision
	if len(d.Blocking)+len(d.Upcoming)+len(d.Warnings)+len(d.AlreadyOnBase) == 0 {
		return ""
	}
	return p.T("base.legend", badge, baseRef(o, p))
}

// mdBaselineOverview is the overview's lines about the findings already on
// the base (block-on new) and those fixed.
func mdBaselineOverview(o *gate.Outcome, st mdStyle, names func([]alertGroup) string) []string {
	if !compared(o) {
		return nil
	}
	d := o.Decision
	p := st.p
	var lines []string
	ref := EscapeMarkdown(baseRef(o, p))
	if len(d.AlreadyOnBase) > 0 {
		lines = append(lines, "📌 **"+p.T("overview.onbase", ref)+":** "+names(groupFindings(p, d.AlreadyOnBase, false)))
	}
	if len(d.Fixed) > 0 {
		lines = append(lines, "✅ **"+p.T("label.fixed")+":** "+fixedCounts(d.Fixed, st))
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
		name := policyName(st.p, f)
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
	p := st.p
	s := st.listSection(kindAlreadyOnBase, "n.onbase", p.T("label.onbase", EscapeMarkdown(baseRef(o, p))), p.T("what.onbase"), len(d.AlreadyOnBase))
	for gi, g := range groupFindings(p, d.AlreadyOnBase, false) {
		head := fmt.Sprintf("**%s** · %s\n\n", esc(g.policy, st.nameLen), p.N("alerts", len(g.findings)))
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
	p := st.p
	s := st.listSection(kindFixed, "n.fixed", p.T("label.fixed"), p.T("what.fixed", EscapeMarkdown(baseRef(o, p))), len(d.Fixed))
	fs := d.Fixed
	if len(fs) > fixedShown {
		fs = fs[:fixedShown]
		s.open += p.T("fixed.first", len(fs), len(d.Fixed)) + "\n\n"
	}
	for gi, g := range groupFindings(p, fs, false) {
		head := fmt.Sprintf("**%s** · %s\n\n", esc(g.policy, st.nameLen), p.N("alerts", len(g.findings)))
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
		head += st.p.T("table.cut.severe", len(shown), len(g.findings), len(g.findings), where) + "\n\n"
	}
	grp := mdGroup{head: head + mdTableHead(st.p.T("col.packagebase"), st.p.T("col.finding")), tail: "\n"}
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
	p := t.p
	ref := baseRef(o, p)
	if len(d.AlreadyOnBase) > 0 {
		t.blank()
		t.paraStyled(ansiBold, p.T("term.count.lead", p.T("label.onbase", ref), len(d.AlreadyOnBase)), p.T("what.onbase"))
		for i, f := range d.AlreadyOnBase {
			if i == termMaxRows {
				t.para("  ", p.T("term.more", len(d.AlreadyOnBase)-i, where))
				break
			}
			t.para("  - ", txt(policyName(p, f), termNameLen)+": "+alertLine(p, f.Alert))
		}
	}
	if len(d.Fixed) > 0 {
		t.blank()
		t.paraStyled(ansiBold+ansiGreen, p.T("term.count.lead", p.T("label.fixed"), len(d.Fixed)), p.T("what.fixed", ref))
		for i, f := range d.Fixed {
			if i == termMaxRows {
				t.para("  ", p.T("term.more", len(d.Fixed)-i, where))
				break
			}
			t.para("  - ", txt(policyName(p, f), termNameLen)+": "+alertLine(p, f.Alert))
		}
	}
}

// termBadge is the terminal's mark of a new finding.
func termBadge(p i18n.Printer, f gate.Finding) string {
	if f.Origin == gate.OriginNew {
		return "[" + p.T("base.new") + "] "
	}
	return ""
}

// newCount returns the overview's ", 2 new" of a group when o was compared
// with a baseline and some of the group's findings are new.
func newCount(o *gate.Outcome, p i18n.Printer) func(g alertGroup) string {
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
		return p.N("overview.new", n)
	}
}
