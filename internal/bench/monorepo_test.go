package bench

import (
	"encoding/json"
	"fmt"
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

// monorepoT is how long the analysis of each project of the monorepo
// measurement takes.
const monorepoT = 60 * time.Second

// monorepoProjects are the four projects of one monorepo run, each its own
// CodeScoring project (the demo's three and one more).
var monorepoProjects = []string{"payments-service", "payments-service-legacy", "payments-gateway", "payments-ledger"}

// monorepoResult is what one run over the four projects cost.
type monorepoResult struct {
	Wall     time.Duration // fake waiting + the real time of the run
	Starts   int           // POST of a start
	Analyses int           // projects with an analysis id in the projects output
	Verdict  string
}

// monorepoOnce runs app.Main as a GitHub Actions push job over n of the
// four projects in a synctest bubble, each analysis taking monorepoT. The n
// gates wait together: the bubble's time moves only once every one of them
// waits. Its wall time is the fake time waited plus the real time of the
// run (see rerunOnce).
func monorepoOnce(t *testing.T, n int) monorepoResult {
	t.Helper()
	var out monorepoResult
	real0 := time.Now()
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		projects := monorepoProjects[:n]
		life := simulator.Lifecycle{Pending: time.Second, Running: monorepoT - time.Second}
		sc := demoWithLifecycle(life)
		extra := sc.Projects[0]
		extra.ID, extra.Name, extra.Repository = 353, "payments-ledger", "https://github.com/acme/payments-ledger"
		sc.Projects = append(sc.Projects, extra)
		sim := newSim(t, simulator.Options{Scenario: sc})

		st := runnertest.NewStep(t, map[string]string{
			"CODESCORING_TOKEN": benchToken,
			"GITHUB_ACTIONS":    "true",
			"GITHUB_EVENT_NAME": "push",
			"GITHUB_REPOSITORY": runnertest.Repository,
		})
		sys := app.System{Getenv: st.Getenv, ReadFile: os.ReadFile, Stdout: &st.Stdout, Stderr: &st.Stderr,
			Transport: testnet.Memory(sim)}
		args := []string{"--url", simURL, "--project", strings.Join(projects, "\n"), "--ref", "feature/login",
			"--commit", headSHA, "--wait-timeout", "30m", "--reuse-max-age", "0"}
		code := app.Main(t.Context(), args, sys)
		out.Wall = time.Since(start)
		r := st.Result(t, code)
		if r.Code != 1 {
			t.Fatalf("exit code %d, want 1 (payments-service fails)\nstdout:\n%s\nstderr:\n%s", r.Code, hideToken(r.Stdout), hideToken(r.Stderr))
		}
		out.Verdict = r.Outputs["verdict"]
		var ps []struct {
			AnalysisID *int64 `json:"analysis_id"`
		}
		if err := json.Unmarshal([]byte(r.Outputs["projects"]), &ps); err != nil {
			t.Fatalf("projects output: %v", err)
		}
		for _, p := range ps {
			if p.AnalysisID != nil {
				out.Analyses++
			}
		}
		out.Starts = count(sim.requests(), http.MethodPost, pathStart)
	})
	out.Wall += time.Since(real0)
	return out
}

// BenchmarkMonorepo measures one run over one and over four projects whose
// analyses take 60 s each, through app.Main on fake time (a synctest bubble
// in a child process): wall_s (the time waited, fake, plus the real time of
// the run) and
// start_requests. Target: four projects decide in about the time of one
// (60 s plus one poll's lag, ≤ 75 s), not four times that.
func BenchmarkMonorepo(b *testing.B) {
	for _, n := range []int{1, len(monorepoProjects)} {
		b.Run(fmt.Sprintf("projects=%d", n), func(b *testing.B) {
			var worst monorepoResult
			for b.Loop() {
				r := inChild[monorepoResult](b, "monorepo", n)
				worst.Wall = max(worst.Wall, r.Wall)
				worst.Starts = max(worst.Starts, r.Starts)
			}
			b.ReportMetric(worst.Wall.Seconds(), "wall_s")
			b.ReportMetric(float64(worst.Starts), "start_requests")
		})
	}
}

// TestMonorepoTargets asserts what does not depend on the machine: the four
// analyses are started and waited for together, so the run waits about one
// analysis (60 s plus lag in fake time), not four.
func TestMonorepoTargets(t *testing.T) {
	t.Parallel()
	one := monorepoOnce(t, 1)
	r := monorepoOnce(t, len(monorepoProjects))
	if one.Wall < monorepoT || r.Wall > one.Wall+5*time.Second {
		t.Errorf("four projects waited %v, one %v: want about the same (at least %v)", r.Wall, one.Wall, monorepoT)
	}
	if r.Starts != 4 || r.Analyses != 4 || r.Verdict != "fail" {
		t.Errorf("%d starts, %d analyses, verdict %s; want 4, 4, fail", r.Starts, r.Analyses, r.Verdict)
	}
	if r.Wall < monorepoT || r.Wall > monorepoT+15*time.Second {
		t.Errorf("wall %v, want between %v and %v (four analyses waited for together)", r.Wall, monorepoT, monorepoT+15*time.Second)
	}
}
