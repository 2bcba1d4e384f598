package bench

import (
	"net/http"
	"os"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/app"
	"github.com/codescoring-gate/codescoring-gate/internal/runnertest"
	"github.com/codescoring-gate/codescoring-gate/internal/simulator"
	"github.com/codescoring-gate/codescoring-gate/internal/testnet"
)

// rerunT is how long an analysis of the rerun measurement takes; the job
// is re-run rerunAfter after the same commit's analysis finished.
const (
	rerunT     = 60 * time.Second
	rerunAfter = time.Minute
)

// rerunResult is what one re-run job cost.
type rerunResult struct {
	Wall     time.Duration // fake waiting + the real time of the run
	Status   int           // GET of an analysis
	History  int           // GET of the analysis list
	Starts   int           // POST of a start
	Reused   bool          // the reused output
	Analysis string        // the analysis-id output
}

// rerunOnce runs the whole program (app.Main as a GitHub Actions push job)
// in a synctest bubble against a simulator, reached through
// testnet.Memory, whose history has a successful analysis of the job's
// commit that finished rerunAfter ago, with the reuse-max-age given. Its
// wall time is the fake time it waited plus the real time the bubble took:
// on fake time a request takes no time, so the real time is the work
// (requests, decision, reports).
func rerunOnce(t *testing.T, reuseMaxAge string) rerunResult {
	t.Helper()
	var out rerunResult
	real0 := time.Now()
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		life := simulator.Lifecycle{Pending: time.Second, Running: rerunT - time.Second}
		sc := demoWithLifecycle(life)
		sc.Analyses = append(sc.Analyses, simulator.SeedAnalysis{ID: 1012, Project: simulator.DemoProjectID,
			BranchOrTag: "feature/login", Commit: headSHA, StartedAgo: rerunT + rerunAfter, Lifecycle: life})
		sim := newSim(t, simulator.Options{Scenario: sc})

		st := runnertest.NewStep(t, map[string]string{
			"CODESCORING_TOKEN": benchToken,
			"GITHUB_ACTIONS":    "true",
			"GITHUB_EVENT_NAME": "push",
			"GITHUB_REPOSITORY": runnertest.Repository,
		})
		sys := app.System{Getenv: st.Getenv, ReadFile: os.ReadFile, Stdout: &st.Stdout, Stderr: &st.Stderr,
			Transport: testnet.Memory(sim)}
		args := []string{"--url", simURL, "--project", "payments-service", "--ref", "feature/login",
			"--commit", headSHA, "--wait-timeout", "30m", "--reuse-max-age", reuseMaxAge}
		code := app.Main(t.Context(), args, sys)
		out.Wall = time.Since(start)
		r := st.Result(t, code)
		if r.Code != 1 {
			t.Fatalf("exit code %d, want 1 (fail)\nstdout:\n%s\nstderr:\n%s", r.Code, hideToken(r.Stdout), hideToken(r.Stderr))
		}
		out.Reused, out.Analysis = r.Outputs["reused"] == "true", r.Outputs["analysis-id"]
		for _, req := range sim.requests() {
			switch {
			case req.method == http.MethodPost && req.path == pathStart:
				out.Starts++
			case req.method == http.MethodGet && req.path == pathHistory:
				out.History++
			case req.method == http.MethodGet && strings.HasPrefix(req.path, pathHistory):
				out.Status++
			}
		}
	})
	out.Wall += time.Since(real0)
	return out
}

// BenchmarkRerun measures a job re-run a minute after the same commit's
// 60 s analysis finished, through app.Main on fake time (a synctest bubble
// in a child process): wall_s (the time waited, fake, plus the real time of
// the run), status_requests
// (GET of an analysis) and start_requests, with the default reuse-max-age
// (1h: the analysis is reused) and with 0 (a new analysis: T + lag).
// Target with reuse: wall_s ≤ 1.5, start_requests 0.
func BenchmarkRerun(b *testing.B) {
	for _, age := range []string{"1h", "0"} {
		b.Run("reuse-max-age="+age, func(b *testing.B) {
			var worst rerunResult
			for b.Loop() {
				r := inChild[rerunResult](b, "rerun", age)
				worst.Wall = max(worst.Wall, r.Wall)
				worst.Status = max(worst.Status, r.Status)
				worst.History = max(worst.History, r.History)
				worst.Starts = max(worst.Starts, r.Starts)
			}
			b.ReportMetric(worst.Wall.Seconds(), "wall_s")
			b.ReportMetric(float64(worst.Status), "status_requests")
			b.ReportMetric(float64(worst.History), "history_reads")
			b.ReportMetric(float64(worst.Starts), "start_requests")
		})
	}
}

// TestRerunTargets asserts what does not depend on the machine: with the
// default reuse-max-age a re-run reuses the analysis (the output says so),
// waits no fake time and sends no start and no status request; with 0
// it starts one and waits for it.
func TestRerunTargets(t *testing.T) {
	t.Parallel()
	t.Run("reuse", func(t *testing.T) {
		t.Parallel()
		r := rerunOnce(t, "1h")
		if !r.Reused || r.Analysis != "1012" {
			t.Errorf("outputs reused=%t analysis-id=%s, want true and 1012", r.Reused, r.Analysis)
		}
		if r.Starts != 0 || r.Status != 0 || r.History != 1 {
			t.Errorf("%d starts, %d status requests, %d history reads; want 0, 0, 1", r.Starts, r.Status, r.History)
		}
	})
	t.Run("reuse-max-age 0", func(t *testing.T) {
		t.Parallel()
		r := rerunOnce(t, "0")
		if r.Reused || r.Analysis == "1012" || r.Analysis == "" {
			t.Errorf("outputs reused=%t analysis-id=%s, want false and a new analysis", r.Reused, r.Analysis)
		}
		if r.Starts != 1 {
			t.Errorf("%d starts, want 1", r.Starts)
		}
		if r.Wall < rerunT {
			t.Errorf("wall %v, want at least the analysis' %v", r.Wall, rerunT)
		}
	})
}
