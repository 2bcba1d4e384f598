package bench

import (
	"context"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/app"
	"github.com/codescoring-gate/codescoring-gate/internal/runnertest"
	"github.com/codescoring-gate/codescoring-gate/internal/simclock"
	"github.com/codescoring-gate/codescoring-gate/internal/simulator"
)

// rerunT is how long an analysis of the rerun measurement takes; the job
// is re-run rerunAfter after the same commit's analysis finished.
const (
	rerunT     = 60 * time.Second
	rerunAfter = time.Minute
)

// rerunResult is what one re-run job cost.
type rerunResult struct {
	wall     time.Duration // simulated waiting + the real time of the run
	status   int           // GET of an analysis
	history  int           // GET of the analysis list
	starts   int           // POST of a start
	reused   bool          // the reused output
	analysis string        // the analysis-id output
}

// rerunOnce runs the whole program (app.Main as a GitHub Actions push job)
// on simulated time against a simulator whose history has a successful
// analysis of the job's commit that finished rerunAfter ago, with the
// reuse-max-age given. Its wall time is the simulated time it waited plus
// the real time it took: on simulated time a request takes no time, so the
// real time is the work (requests, decision, reports).
func rerunOnce(tb testing.TB, reuseMaxAge string) rerunResult {
	tb.Helper()
	clk := simclock.New(t0)
	life := simulator.Lifecycle{Pending: time.Second, Running: rerunT - time.Second}
	sc := demoWithLifecycle(life)
	sc.Analyses = append(sc.Analyses, simulator.SeedAnalysis{ID: 1012, Project: simulator.DemoProjectID,
		BranchOrTag: "feature/login", Commit: headSHA, StartedAgo: rerunT + rerunAfter, Lifecycle: life})
	sim, base := serveSim(tb, simulator.Options{Scenario: sc, Now: clk.Now})

	st := runnertest.NewStep(tb, map[string]string{
		"CODESCORING_TOKEN": benchToken,
		"GITHUB_ACTIONS":    "true",
		"GITHUB_EVENT_NAME": "push",
		"GITHUB_REPOSITORY": runnertest.Repository,
	})
	sys := app.System{Getenv: st.Getenv, ReadFile: os.ReadFile, Stdout: &st.Stdout, Stderr: &st.Stderr,
		Clock: clk, NewTimer: clk.NewSleeper, NewDeadlineTimer: clk.NewDeadline, Sleep: clk.Sleep}
	args := []string{"--url", base, "--project", "payments-service", "--ref", "feature/login",
		"--commit", headSHA, "--wait-timeout", "30m", "--reuse-max-age", reuseMaxAge}
	real0 := time.Now()
	code := app.Main(context.Background(), args, sys)
	work := time.Since(real0)
	r := st.Result(tb, code)
	if r.Code != 1 {
		tb.Fatalf("exit code %d, want 1 (fail)\nstdout:\n%s\nstderr:\n%s", r.Code, hideToken(r.Stdout), hideToken(r.Stderr))
	}
	out := rerunResult{wall: clk.Now().Sub(t0) + work, reused: r.Outputs["reused"] == "true", analysis: r.Outputs["analysis-id"]}
	for _, req := range sim.requests() {
		switch {
		case req.method == http.MethodPost && req.path == pathStart:
			out.starts++
		case req.method == http.MethodGet && req.path == pathHistory:
			out.history++
		case req.method == http.MethodGet && strings.HasPrefix(req.path, pathHistory):
			out.status++
		}
	}
	return out
}

// BenchmarkRerun measures a job re-run a minute after the same commit's
// 60 s analysis finished, through app.Main on simulated time: wall_s (the
// time waited, simulated, plus the real time of the run), status_requests
// (GET of an analysis) and start_requests, with the default reuse-max-age
// (1h: the analysis is reused) and with 0 (a new analysis: T + lag).
// Target with reuse: wall_s ≤ 1.5, start_requests 0.
func BenchmarkRerun(b *testing.B) {
	for _, age := range []string{"1h", "0"} {
		b.Run("reuse-max-age="+age, func(b *testing.B) {
			var worst rerunResult
			for b.Loop() {
				r := rerunOnce(b, age)
				worst.wall = max(worst.wall, r.wall)
				worst.status = max(worst.status, r.status)
				worst.history = max(worst.history, r.history)
				worst.starts = max(worst.starts, r.starts)
			}
			b.ReportMetric(worst.wall.Seconds(), "wall_s")
			b.ReportMetric(float64(worst.status), "status_requests")
			b.ReportMetric(float64(worst.history), "history_reads")
			b.ReportMetric(float64(worst.starts), "start_requests")
		})
	}
}

// TestRerunTargets asserts what does not depend on the machine: with the
// default reuse-max-age a re-run reuses the analysis (the output says so),
// waits no simulated time and sends no start and no status request; with 0
// it starts one and waits for it.
func TestRerunTargets(t *testing.T) {
	t.Parallel()
	t.Run("reuse", func(t *testing.T) {
		t.Parallel()
		r := rerunOnce(t, "1h")
		if !r.reused || r.analysis != "1012" {
			t.Errorf("outputs reused=%t analysis-id=%s, want true and 1012", r.reused, r.analysis)
		}
		if r.starts != 0 || r.status != 0 || r.history != 1 {
			t.Errorf("%d starts, %d status requests, %d history reads; want 0, 0, 1", r.starts, r.status, r.history)
		}
	})
	t.Run("reuse-max-age 0", func(t *testing.T) {
		t.Parallel()
		r := rerunOnce(t, "0")
		if r.reused || r.analysis == "1012" || r.analysis == "" {
			t.Errorf("outputs reused=%t analysis-id=%s, want false and a new analysis", r.reused, r.analysis)
		}
		if r.starts != 1 {
			t.Errorf("%d starts, want 1", r.starts)
		}
		if r.wall < rerunT {
			t.Errorf("wall %v, want at least the analysis' %v", r.wall, rerunT)
		}
	})
}
