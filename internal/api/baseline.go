package api

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// baselinePages is how many pages of a project's history BaselineAnalysis
// reads at most when the server does not filter it (docs/codescoring-api.md §3).
const baselinePages = 5

// The history filters BaselineAnalysis sends [assumed]; DRF ignores a query
// parameter it does not know, so each item is checked as well.
const (
	filterBranch = "branch_or_tag"
	filterStatus = "status"
)

// NoBaselineError says that the project's history holds no successful
// analysis of the ref among the analyses read.
type NoBaselineError struct {
	Project int64
	Ref     string
	// Checked is how many analyses of the history were read.
	Checked int
	// More is true when the history goes on beyond what was read.
	More bool
}

// Error names the project and ref. It does not count the analyses read but
// when the history went on beyond them: a message that changes with every
// analysis would make a re-run rewrite an unchanged PR comment.
func (e *NoBaselineError) Error() string {
	if e.More {
		return fmt.Sprintf("project %d has no successful analysis of %s among its %d newest analyses", e.Project, e.Ref, e.Checked)
	}
	return fmt.Sprintf("project %d has no successful analysis of %s in its history", e.Project, e.Ref)
}

// BaselineAnalysis returns the newest successful analysis of the project
// for ref (a branch or tag; "refs/heads/" and "refs/tags/" are ignored on
// both sides), from the project's history newest first (docs/codescoring-api.md §3). It
// asks the server to filter by branch and status, checks every item itself
// and reads at most a few pages. None found is a *NoBaselineError.
func (c *Client) BaselineAnalysis(ctx context.Context, projectID int64, ref string) (_ *Analysis, err error) {
	defer func() { err = c.named(epListAnalyses, err) }()
	want := shortRef(ref)
	q := url.Values{
		"project":    {strconv.FormatInt(projectID, 10)},
		filterBranch: {want},
		filterStatus: {string(StatusSuccess)},
		"ordering":   {"-started_at"},
	}
	checked := 0
	for n := 1; n <= baselinePages; n++ {
		u := c.pageURL(epListAnalyses, q, n)
		p, err := fetchPage[wireAnalysis](ctx, c, u)
		if err != nil {
			return nil, err
		}
		items, err := convertAll(p.Results, wireAnalysis.analysis)
		if err != nil {
			return nil, &DecodeError{Path: u.Path, Err: fmt.Errorf("page %d: %w", n, err)}
		}
		checked += len(items)
		for i := range items {
			if a := &items[i]; a.Status == StatusSuccess && shortRef(a.BranchOrTag) == want {
				return a, nil
			}
		}
		more := !p.Bare && p.Next != "" && len(items) > 0
		if !more {
			return nil, &NoBaselineError{Project: projectID, Ref: want, Checked: checked}
		}
	}
	return nil, &NoBaselineError{Project: projectID, Ref: want, Checked: checked, More: true}
}

// shortRef drops a "refs/heads/" or "refs/tags/" prefix and spaces.
func shortRef(ref string) string {
	ref = strings.TrimSpace(ref)
	for _, p := range []string{"refs/heads/", "refs/tags/"} {
		if s, ok := strings.CutPrefix(ref, p); ok {
			return s
		}
	}
	return ref
}
