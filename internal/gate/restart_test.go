package gate

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
)

// refused is what the client returns after its retries against a
// CodeScoring that is down.
var refused = &api.AttemptsError{Attempts: 9, Err: &api.NetworkError{Method: "GET", Path: "/api/analyses/projects/history/977/",
	Host: "cs.example", Err: errors.New("dial tcp 10.0.0.5:443: connect: connection refused")}}

// restartRun runs the gate on the real clock of a synctest bubble with the
// status requests failing with statusErr from the first one until down has
// passed (forever when down is negative).
func restartRun(t *testing.T, ctx context.Context, waitTimeout, down time.Duration, statusErr error) (*Outcome, *fakeServer, string) {
	t.Helper()
	srv := newFakeServer()
	srv.errs["GetAnalysis"] = statusErr
	var wg sync.WaitGroup
	if down >= 0 {
		wg.Go(func() {
			time.Sleep(down)
			srv.mu.Lock()
			delete(srv.errs, "GetAnalysis")
			srv.mu.Unlock()
		})
	}
	cfg := defaultConfig()
	cfg.WaitTimeout = waitTimeout
	opts, log := logText(testOptions())
	opts.ReportURL = func(id int64) string { return fmt.Sprintf("https://cs.example/projects/%d", id) }
	o := Run(ctx, srv, cfg, opts)
	wg.Wait()
	return o, srv, log()
}

// TestPollingSurvivesARestart checks that status requests failing for
// minutes (CodeScoring restarting) do not end the run: the gate polls on,
// within the schedule's cap, and decides once CodeScoring answers again.
func TestPollingSurvivesARestart(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		err  error
	}{
		{"connection refused", refused},
		{"503 from the proxy", &api.AttemptsError{Attempts: 9, Err: &api.APIError{StatusCode: 503, Method: "GET", Path: "/api/x/"}}},
		{"429 past the retry budget", &api.AttemptsError{Attempts: 1, Err: &api.APIError{StatusCode: 429, Method: "GET", Path: "/api/x/"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				start := time.Now()
				o, srv, log := restartRun(t, t.Context(), 30*time.Minute, 5*time.Minute, tc.err)
				if o.Verdict != VerdictPass {
					t.Fatalf("verdict %s (%v), want pass once CodeScoring answers again", o.Verdict, o.Err)
				}
				// The analysis finished after 45 s; CodeScoring answers
				// again after 5 min; the next poll is at most 10 s later.
				if got, hi := time.Since(start), 5*time.Minute+MaxPollInterval; got < 5*time.Minute || got > hi {
					t.Errorf("decided after %s, want between 5m and %s", got, hi)
				}
				// The schedule's cap holds while it fails: about one status
				// request per 10 s.
				if n, limit := srv.count("GetAnalysis"), 5*60/10+15; n > limit {
					t.Errorf("%d status requests in 5 min, want at most %d", n, limit)
				}
				for _, want := range []string{"analysis 977: the status request failed (" + tc.err.Error() + "); polling on until the wait-timeout",
					"analysis 977: CodeScoring answers again"} {
					if !strings.Contains(log, want) {
						t.Errorf("log lacks %q:\n%s", want, log)
					}
				}
				if n := strings.Count(log, "polling on until the wait-timeout"); n != 1 {
					t.Errorf("the failure is logged %d times, want once:\n%s", n, log)
				}
			})
		})
	}
}

// TestPollingFailsAtTheDeadlineWithTheLastError checks that status
// requests failing until the wait-timeout end in an error that carries the
// last attempt's error and its advice, not "raise wait-timeout", and says
// the analysis still runs in CodeScoring.
func TestPollingFailsAtTheDeadlineWithTheLastError(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		o, _, _ := restartRun(t, t.Context(), 10*time.Minute, -1, refused)
		if o.Verdict != VerdictError || !errors.Is(o.Err, ErrWaitTimeout) {
			t.Fatalf("outcome %s, %v; want a wait-timeout error", o.Verdict, o.Err)
		}
		if got := time.Since(start); got != 10*time.Minute {
			t.Errorf("ended after %s, want the wait-timeout of 10m", got)
		}
		for _, want := range []string{
			"analysis 977 did not finish within 10m (last status pending, waited 10m0s); the last status request failed: " +
				"reach CodeScoring at cs.example (GET /api/analyses/projects/history/977/): dial tcp 10.0.0.5:443: connect: connection refused",
			"; analysis 977 is still pending in CodeScoring: https://cs.example/projects/340",
		} {
			if !strings.Contains(o.Err.Error(), want) {
				t.Errorf("Err %q lacks %q", o.Err, want)
			}
		}
		if want := "check the `url` input, DNS, the firewall"; !strings.Contains(o.Hint, want) || strings.Contains(o.Hint, "wait-timeout") {
			t.Errorf("Hint %q, want the network advice (%q), not raise wait-timeout", o.Hint, want)
		}
		if api.ClassOf(o.Err) != api.Outage {
			t.Errorf("ClassOf = %s, want an outage", api.ClassOf(o.Err))
		}
	})
}

// TestCancelledRunSaysTheAnalysisRuns checks that a job cancelled while it
// waits says the analysis goes on in CodeScoring, with its id and link.
func TestCancelledRunSaysTheAnalysisRuns(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		go func() {
			time.Sleep(20 * time.Second)
			cancel()
		}()
		o, _, _ := restartRun(t, ctx, 30*time.Minute, 0, nil)
		if !errors.Is(o.Err, ErrCancelled) {
			t.Fatalf("Err %v, want cancelled", o.Err)
		}
		if want := "wait for analysis 977: cancelled; analysis 977 is still in_progress in CodeScoring: https://cs.example/projects/340"; o.Err.Error() != want {
			t.Errorf("Err %q, want %q", o.Err, want)
		}
		if want := "the job was cancelled; re-run it"; !strings.Contains(o.Hint, want) {
			t.Errorf("Hint %q, want %q", o.Hint, want)
		}
	})
}
