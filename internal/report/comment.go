package report

import (
	"cmp"
	"errors"
	"strings"

	"github.com/codescoring-gate/codescoring-gate/internal/gate"
	"github.com/codescoring-gate/codescoring-gate/internal/i18n"
)

// DefaultCommentMaxLen is GitHub's limit on the body of a comment, in
// characters.
const DefaultCommentMaxLen = 65536

// CommentOptions configures Comment.
type CommentOptions struct {
	// Version is the gate's version, shown in the footer; may be empty.
	Version string
	// Language is the language of every word but server text; empty is
	// English. The marker does not depend on it.
	Language i18n.Language
	// APIPaths is the api-paths override in force (api.Paths.String()),
	// named in the footer; empty when the built-in paths were used.
	APIPaths string
	// Marker is a hidden HTML comment line that finds the sticky comment
	// again. It is put verbatim on its own line at the end of the body; it
	// is the caller's to make safe. Empty means no marker.
	Marker string
	// SummaryURL links to the job summary (the workflow run's page); empty
	// when the job summary was not written. Only an http(s) URL is linked.
	SummaryURL string
	// SummaryMaxLen is the MaxLen the job summary was rendered with (zero
	// or less: DefaultSummaryMaxLen): the comment links the summary for the
	// rows it leaves out only when the summary shows them.
	SummaryMaxLen int
	// MaxLen is the most characters (code points, as GitHub counts them)
	// the body may have; zero or less means DefaultCommentMaxLen.
	// A MaxLen too small for even the headline, the notes and the footer
	// (a few KiB) gives a body cut at a line boundary.
	MaxLen int
}

// commentMaxRows is the most rows of one policy's table in the comment.
const commentMaxRows = 20

// commentStyle is the comment's look: short cells, at most commentMaxRows
// rows a policy, lesser alerts collapsed, no times.
var commentStyle = mdStyle{
	title:        "###",
	heading:      "####",
	collapse:     true,
	chars:        true,
	maxRows:      commentMaxRows,
	nameLen:      120,
	codeLen:      80,
	criterionLen: 300,
	reasonLen:    300,
	maxCriteria:  5,
	maxNotes:     10,
}

// style is the comment's style in opts' language and its size limit.
func (opts CommentOptions) style() (mdStyle, int) {
	return commentStyle.in(opts.Language), cmp.Or(max(opts.MaxLen, 0), DefaultCommentMaxLen)
}

// Comment returns the markdown body of the sticky pull-request comment for
// o: the verdict and why, the project and analysis, every policy named
// with its count, then a table for each policy that blocks (the most
// severe first), the upcoming delayed blocks, the alerts that do not block
// and the ignored ones collapsed, and the diagnostics last, collapsed; for
// an error verdict, what failed and what to do instead of tables. The
// footer names the gate's version and ends with opts.Marker on its own
// line.
//
// A table shows at most 20 rows; a line above it says how many more there
// are and links where they all are: the job summary when it shows them,
// else the project in CodeScoring. The body has at most opts.MaxLen
// characters:
// beyond that, tables are cut at row boundaries, the least important
// first, with a line that counts the rows left out. Server text is escaped
// with EscapeMarkdown and SafeURL. The body holds no time: the same o
// (but for DecidedAt and Elapsed) and opts always give the same body, so a
// re-run with the same result does not edit the comment. A nil o renders
// as an error verdict.
func Comment(o *gate.Outcome, opts CommentOptions) string {
	o = orNil(o)
	st, maxLen := opts.style()
	p := st.p
	places := budgetPlaces{p: p}
	if u, ok := SafeURL(opts.SummaryURL); ok {
		places.summaryURL = u
		places.inSummary = summaryShowsAll(o, SummaryOptions{MaxLen: opts.SummaryMaxLen, Version: opts.Version, APIPaths: opts.APIPaths, Language: opts.Language})
	}
	if u, ok := SafeURL(o.ReportURL); ok {
		places.reportURL = u
	}

	var post strings.Builder
	if o.Decision != nil && o.Verdict != gate.VerdictError && len(o.Decision.Resolved) > 0 {
		post.WriteString(p.N("comment.resolved", len(o.Decision.Resolved)) + "\n\n")
	}
	post.WriteString(mdDiagnostics(o, st))
	post.WriteString("---\n<sub>" + footer(opts.Version, opts.APIPaths))
	if places.summaryURL != "" {
		post.WriteString(" · " + mdLink(p.T("footer.summary"), places.summaryURL))
	}
	post.WriteString("</sub>\n")
	if m := strings.TrimRight(opts.Marker, "\r\n"); m != "" {
		post.WriteString("\n" + m + "\n")
	}
	return layoutBy(st.size, mdPre(o, st), mdSections(o, st, places), post.String(), maxLen,
		leftOutNote(p, p.T("limit.comment"), whereToSee(p, places.summaryURL, places.reportURL)))
}

// whereToSee says where the rows left out are: the links that are known.
func whereToSee(p i18n.Printer, summaryURL, reportURL string) string {
	var places []string
	if summaryURL != "" {
		places = append(places, p.T("where.the", mdLink(p.T("where.summary"), summaryURL)))
	}
	if reportURL != "" {
		places = append(places, p.T("where.the", mdLink(p.T("where.report"), reportURL)))
	}
	switch len(places) {
	case 0:
		return p.T("where.run")
	case 1:
		return places[0]
	}
	return p.T("where.or", places[0], places[1])
}

// footer names the tool and its version, and the api-paths override in
// force, so that a result is never read without knowing that the gate
// talked to non-default paths.
func footer(version, apiPaths string) string {
	f := "codescoring-gate"
	if v := esc(version, 40); v != "" {
		f += " " + v
	}
	if p := esc(apiPaths, 1000); p != "" {
		f += " · api-paths: " + p
	}
	return f
}

// orNil returns o, or an error outcome in place of nil.
func orNil(o *gate.Outcome) *gate.Outcome {
	if o != nil {
		return o
	}
	return &gate.Outcome{Verdict: gate.VerdictError, Err: errors.New("the gate produced no outcome")}
}
