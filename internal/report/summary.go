package report

import (
	"github.com/codescoring-gate/codescoring-gate/internal/gate"
)

// DefaultSummaryMaxLen is GitHub's limit on a step's job summary (1 MiB).
const DefaultSummaryMaxLen = 1 << 20

// SummaryOptions configures Summary.
type SummaryOptions struct {
	// Version is the gate's version, shown in the footer; may be empty.
	Version string
	// MaxLen is the most bytes the summary may have; zero or less means
	// DefaultSummaryMaxLen.
	MaxLen int
}

// summaryStyle is the job summary's look: fuller cells, every section open.
var summaryStyle = mdStyle{
	title:        "##",
	heading:      "###",
	nameLen:      300,
	codeLen:      200,
	criterionLen: 1000,
	reasonLen:    1000,
	maxCriteria:  20,
	maxNotes:     100,
}

// Summary returns the job summary markdown for o: the same information as
// Comment, with every table open and the resolved alerts listed too. It
// has at most opts.MaxLen bytes: tables are cut at row boundaries, the
// least important first, with a line that counts the rows left out and
// links the CodeScoring report. A nil o renders as an error verdict.
func Summary(o *gate.Outcome, opts SummaryOptions) string {
	o = orNil(o)
	maxLen := opts.MaxLen
	if maxLen <= 0 {
		maxLen = DefaultSummaryMaxLen
	}
	where := "the project in CodeScoring"
	if u, ok := SafeURL(o.ReportURL); ok {
		where = "the " + mdLink("CodeScoring report", u)
	}
	post := "---\n<sub>" + footer(opts.Version) + "</sub>\n"
	return layout(mdPre(o, summaryStyle), mdSections(o, summaryStyle), post, maxLen, leftOutNote("job summary", where))
}
