package report

import (
	"errors"
	"fmt"
	"strings"

	"github.com/codescoring-gate/codescoring-gate/internal/gate"
)

// DefaultCommentMaxLen is GitHub's limit on the body of a comment.
const DefaultCommentMaxLen = 65536

// CommentOptions configures Comment.
type CommentOptions struct {
	// Version is the gate's version, shown in the footer; may be empty.
	Version string
	// Marker is a hidden HTML comment line that finds the sticky comment
	// again. It is put verbatim on its own line at the end of the body; it
	// is the caller's to make safe. Empty means no marker.
	Marker string
	// SummaryURL links to the job summary or the workflow run, where every
	// row is shown; may be empty. Only an http(s) URL is linked.
	SummaryURL string
	// MaxLen is the most bytes the body may have (bytes bound characters
	// in any unit GitHub counts); zero or less means DefaultCommentMaxLen.
	// A MaxLen too small for even the headline, the notes and the footer
	// (a few KiB) gives a body cut at a line boundary.
	MaxLen int
}

// commentStyle is the comment's look: short cells, lesser alerts collapsed.
var commentStyle = mdStyle{
	title:        "###",
	heading:      "####",
	collapse:     true,
	nameLen:      120,
	codeLen:      80,
	criterionLen: 300,
	reasonLen:    300,
	maxCriteria:  5,
	maxNotes:     10,
}

// Comment returns the markdown body of the sticky pull-request comment for
// o: the verdict and why, the project and analysis, then the blocking
// alerts grouped by policy, the upcoming delayed blocks, and the warnings
// and ignored alerts collapsed; for an error verdict, what failed and what
// to do instead of tables. The footer names the gate's version and ends
// with opts.Marker on its own line.
//
// The body has at most opts.MaxLen bytes: tables are cut at row boundaries,
// the least important first, with a line that counts the rows left out and
// links the job summary and the CodeScoring report. Server text is escaped
// with EscapeMarkdown and SafeURL. The same o and opts always give the
// same body. A nil o renders as an error verdict.
func Comment(o *gate.Outcome, opts CommentOptions) string {
	o = orNil(o)
	maxLen := opts.MaxLen
	if maxLen <= 0 {
		maxLen = DefaultCommentMaxLen
	}
	st := commentStyle
	where := whereToSee(opts.SummaryURL, o.ReportURL)

	var post strings.Builder
	if o.Decision != nil && o.Verdict != gate.VerdictError && len(o.Decision.Resolved) > 0 {
		fmt.Fprintf(&post, "✔️ %s no longer true.\n\n", plural(len(o.Decision.Resolved), "resolved alert is", "resolved alerts are"))
	}
	post.WriteString("---\n<sub>" + footer(opts.Version))
	if u, ok := SafeURL(opts.SummaryURL); ok {
		post.WriteString(" · " + mdLink("job summary", u))
	}
	post.WriteString("</sub>\n")
	if m := strings.TrimRight(opts.Marker, "\r\n"); m != "" {
		post.WriteString("\n" + m + "\n")
	}
	return layout(mdPre(o, st), mdSections(o, st), post.String(), maxLen, leftOutNote("comment", where))
}

// footer names the tool and its version.
func footer(version string) string {
	if v := esc(version, 40); v != "" {
		return "codescoring-gate " + v
	}
	return "codescoring-gate"
}

// orNil returns o, or an error outcome in place of nil.
func orNil(o *gate.Outcome) *gate.Outcome {
	if o != nil {
		return o
	}
	return &gate.Outcome{Verdict: gate.VerdictError, Err: errors.New("the gate produced no outcome")}
}
