package bench

import (
	"context"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/app"
	"github.com/codescoring-gate/codescoring-gate/internal/runnertest"
	"github.com/codescoring-gate/codescoring-gate/internal/simulator"
)

// realAnalysis is how long the analysis of BenchmarkGateRealTime runs.
const realAnalysis = 2 * time.Second

// realTimeRuns is how many whole gate runs one iteration of
// BenchmarkGateRealTime makes: the lag depends on where the finish falls
// between two status requests, so one run says little.
const realTimeRuns = 3

// realTimeRun is one whole gate run on the real clock.
type realTimeRun struct {
	overhead time.Duration // wall time − the analysis
	lag      time.Duration // the analysis finished → the status request that saw it
}

// gateRealTime runs the whole program (app.Main: resolve the project by
// name, start, poll, fetch, decide, render the log report, the annotations,
// the job summary and the step outputs) against sim on the real clock, as a
// GitHub Actions push job would, and returns what it cost beyond the
// analysis.
// extra are more flags, e.g. a baseline ref.
func gateRealTime(tb testing.TB, sim *recorder, base string, extra ...string) realTimeRun {
	tb.Helper()
	sim.reset()
	// The CLI's flags on a runner, without the action's inputs.
	st := runnertest.NewStep(tb, map[string]string{
		"CODESCORING_TOKEN": benchToken,
		"GITHUB_ACTIONS":    "true",
		"GITHUB_EVENT_NAME": "push",
		"GITHUB_REPOSITORY": runnertest.Repository,
	})
	sys := app.System{Getenv: st.Getenv, ReadFile: os.ReadFile, Stdout: &st.Stdout, Stderr: &st.Stderr}
	args := []string{"--url", base, "--project", "payments-service", "--ref", "feature/login",
		"--commit", headSHA, "--wait-timeout", "1m",
		// The demo's history has a fresh analysis of this commit: without
		// this the gate reuses it and measures no analysis at all.
		"--reuse-max-age", "0"}
	args = append(args, extra...)
	start := time.Now()
	code := app.Main(context.Background(), args, sys)
	wall := time.Since(start)
	r := st.Result(tb, code)
	// The demo scenario's alerts block: exit 1. Exit 2 is a gate error.
	if r.Code != 1 {
		tb.Fatalf("exit code %d, want 1 (fail)\nstdout:\n%s\nstderr:\n%s", r.Code, hideToken(r.Stdout), hideToken(r.Stderr))
	}
	if !strings.Contains(r.Summary, "log4j-core") {
		tb.Fatalf("no job summary with the blocking alerts")
	}
	if slices.Contains(extra, "--baseline-ref") && !strings.Contains(r.Stdout, "baseline: analysis ") {
		tb.Fatalf("the run compared with no baseline:\n%s", hideToken(r.Stdout))
	}
	reqs := sim.requests()
	started, ok := startedAt(reqs)
	if !ok {
		tb.Fatalf("the gate started no analysis")
	}
	id, err := strconv.ParseInt(r.Outputs["analysis-id"], 10, 64)
	if err != nil {
		tb.Fatalf("analysis-id output %q: %v", r.Outputs["analysis-id"], err)
	}
	lag, _, seen := seenLag(reqs, analysisPath(id), started.Add(realAnalysis))
	if !seen {
		tb.Fatalf("no status request saw the analysis finished")
	}
	return realTimeRun{overhead: wall - realAnalysis, lag: lag}
}

// BenchmarkGateRealTime runs the whole gate through app.Main against the
// in-process simulator with a 2 s analysis on the real clock, as a GitHub
// Actions push job (no PR comment: TestStickyCommentCalls counts those). It
// reports overhead_s, the worst wall time − 2 s over its runs (target ≤ 1 s), and
// splits it: lag_s, the analysis finished → the status request that saw it
// (the poll granularity), and work_s = overhead − lag (resolve, start,
// fetch, decide, render). median_overhead_s is the median run.
func BenchmarkGateRealTime(b *testing.B) {
	benchmarkGateRealTime(b, demoWithLifecycle(realLifecycle))
}

// realLifecycle is the 2 s analysis of BenchmarkGateRealTime.
var realLifecycle = simulator.Lifecycle{Pending: realAnalysis / 4, Running: realAnalysis - realAnalysis/4}

// benchmarkGateRealTime is BenchmarkGateRealTime on sc, with more flags.
func benchmarkGateRealTime(b *testing.B, sc simulator.Scenario, extra ...string) {
	b.Helper()
	sim, base := serveSim(b, simulator.Options{Scenario: sc})
	var runs []realTimeRun
	for b.Loop() {
		for range realTimeRuns {
			runs = append(runs, gateRealTime(b, sim, base, extra...))
		}
	}
	overheads := make([]time.Duration, len(runs))
	var top realTimeRun
	var work time.Duration
	for i, r := range runs {
		overheads[i] = r.overhead
		top.overhead = max(top.overhead, r.overhead)
		top.lag = max(top.lag, r.lag)
		work = max(work, r.overhead-r.lag)
	}
	b.ReportMetric(top.overhead.Seconds(), "overhead_s")
	b.ReportMetric(median(overheads).Seconds(), "median_overhead_s")
	b.ReportMetric(top.lag.Seconds(), "lag_s")
	b.ReportMetric(work.Seconds(), "work_s")
}

// median returns the median of ds (the upper one of an even count); zero
// for none.
func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func TestMedian(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		in   []time.Duration
		want time.Duration
	}{
		{"none", nil, 0},
		{"one", []time.Duration{3}, 3},
		{"odd, unsorted", []time.Duration{9, 1, 5}, 5},
		{"even: the upper one", []time.Duration{4, 1, 3, 2}, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := median(tc.in); got != tc.want {
				t.Errorf("median(%v) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}
