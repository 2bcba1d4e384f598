package report

import (
	"cmp"

	"github.com/codescoring-gate/codescoring-gate/internal/gate"
	"github.com/codescoring-gate/codescoring-gate/internal/i18n"
)

// DefaultSummaryMaxLen is GitHub's limit on a step's job summary (1 MiB).
const DefaultSummaryMaxLen = 1 << 20

// SummaryOptions configures Summary.
type SummaryOptions struct {
	// Version is the gate's version, shown in the footer; may be empty.
	Version string
	// Language is the language of every word but server text; empty is
	// English.
	Language i18n.Language
	// APIPaths is the api-paths override in force, named in the footer;
	// empty when the built-in paths were used.
	APIPaths string
	// MaxLen is the most bytes the summary may have; zero or less means
	// DefaultSummaryMaxLen.
	MaxLen int
}

// summaryStyle is the job summary's look: fuller cells, every section
// open, every row while the size limit allows, and the decision's times.
var summaryStyle = mdStyle{
	title:        "##",
	heading:      "###",
	times:        true,
	nameLen:      300,
	codeLen:      200,
	criterionLen: 1000,
	reasonLen:    1000,
	maxCriteria:  20,
	maxNotes:     100,
}

// style is the job summary's style in opts' language and its size limit.
func (opts SummaryOptions) style() (mdStyle, int) {
	return summaryStyle.in(opts.Language), cmp.Or(max(opts.MaxLen, 0), DefaultSummaryMaxLen)
}

// Summary returns the job summary markdown for o: the same information as
// Comment, with every table open and whole, the resolved alerts listed too,
// and when the decision was made. It has at most opts.MaxLen bytes: tables
// are cut at row boundaries, the least important first, with a line that
// counts the rows left out and links the CodeScoring report. A nil o
// renders as an error verdict.
func Summary(o *gate.Outcome, opts SummaryOptions) string {
	body, _ := summary(orNil(o), opts)
	return body
}

// summary renders the job summary and returns its sections, whose groups
// say how many rows were shown.
func summary(o *gate.Outcome, opts SummaryOptions) (string, []mdSection) {
	st, maxLen := opts.style()
	p := st.p
	where := p.T("where.project.the")
	if u, ok := SafeURL(o.ReportURL); ok {
		where = p.T("where.the", mdLink(p.T("where.report"), u))
	}
	post := mdDiagnostics(o, st) + "---\n<sub>" + footer(opts.Version, opts.APIPaths) + "</sub>\n"
	secs := mdSections(o, st, budgetPlaces{p: p})
	return layout(mdPre(o, st), secs, post, maxLen, leftOutNote(p, p.T("limit.summary"), where)), secs
}

// summaryShowsAll says, for each section and group of o's job summary
// rendered with maxLen, whether it shows every row.
func summaryShowsAll(o *gate.Outcome, opts SummaryOptions) map[sectionKind][]bool {
	_, secs := summary(o, opts)
	all := map[sectionKind][]bool{}
	for _, s := range secs {
		for _, g := range s.groups {
			all[s.kind] = append(all[s.kind], g.shown == len(g.rows))
		}
	}
	return all
}
