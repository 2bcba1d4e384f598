package e2e_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"

	"github.com/codescoring-gate/codescoring-gate/internal/runnertest"
)

// TestStartFalse runs the action with start: false through main: it never
// starts an analysis; it waits for one of the PR's head commit that
// CodeScoring's own webhook starts, and decides on it; when none appears
// within the wait-timeout it fails naming the newest commit it saw, never
// deciding on another commit's analysis.
func TestStartFalse(t *testing.T) {
	t.Parallel()
	// webhook starts an analysis of commit in CodeScoring, as its own
	// webhook would, when the gate lists the analyses for the third time.
	// It returns the number of analyses the gate itself asked to start.
	webhook := func(cs *csServer, ref, commit string) *atomic.Int32 {
		var listings, starts atomic.Int32
		cs.onRequest(func(r *http.Request) {
			if r.Method == http.MethodPost {
				starts.Add(1)
			}
			if r.Method != http.MethodGet || r.URL.Path != pathHistory || listings.Add(1) != 3 {
				return
			}
			req := httptest.NewRequest(http.MethodPost, pathStart,
				strings.NewReader(`{"project": 340, "branch_or_tag": "`+ref+`", "commit": "`+commit+`"}`))
			req.Header.Set("Authorization", "Token "+canary)
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			cs.Sim.ServeHTTP(rec, req)
			if rec.Code != http.StatusCreated && rec.Code != http.StatusOK {
				t.Errorf("the webhook's start answered %d: %s", rec.Code, rec.Body)
			}
		})
		return &starts
	}
	for _, tc := range []struct {
		name   string
		commit string // of the analysis the webhook starts
		want   map[string]string
		code   int
		out    []string
	}{
		{
			name:   "the webhook analyses the head commit",
			commit: runnertest.HeadSHA,
			want:   demoFail,
			code:   1,
			out: []string{"start is false: waiting for an analysis of commit 9fceb02d0ae5 to appear in CodeScoring",
				"attaching to analysis 1000 (feature/login @ 9fceb02d0ae5, ",
				"Analysis: 1000 (already running; the gate waited for it), stage any, mode enforce"},
		},
		{
			name:   "only another commit is analysed",
			commit: "0123456789abcdef0123456789abcdef01234567",
			want:   map[string]string{"verdict": "error", "analysis-id": "", "blocking-count": "0"},
			code:   2,
			out: []string{"What failed: no analysis of commit 9fceb02d0ae5 appeared in CodeScoring within the wait-timeout of 10m (start is false); " +
				"the newest analysis of project 340 is 1000, of feature/login @ 0123456789ab (success)",
				"What to do: check that CodeScoring analyses commit 9fceb02d0ae5 on its own"},
		},
	} {
		for _, onError := range []string{"fail", "warn"} {
			t.Run(tc.name+"/on-error="+onError, func(t *testing.T) {
				t.Parallel()
				synctest.Test(t, func(t *testing.T) {
					cs := startCS(t, csOptions{})
					starts := webhook(cs, runnertest.HeadRef, tc.commit)

					r := runGate(t, cs, map[string]string{"start": "false", "wait-timeout": "10m", "on-error": onError}, runOptions{})

					want := tc.code
					if onError == "warn" && tc.code == 2 {
						want = 0 // no analysis in time is an outage, not a configuration error
					}
					wantResult(t, r, want, tc.want)
					wantIn(t, "the log", r.out(), tc.out...)
					if n := starts.Load(); n != 0 {
						t.Errorf("the gate started %d analyses, want none", n)
					}
				})
			})
		}
	}
}
