package bench

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cenkalti/backoff/v4"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
	"github.com/codescoring-gate/codescoring-gate/internal/gate"
	"github.com/codescoring-gate/codescoring-gate/internal/simulator"
)

// pollRuns is how many runs each poll measurement takes the worst case
// over. Run k has jitter seed k and finishes k/pollRuns of the longest wait
// between two status requests before T, so that the runs cover every phase
// of the finish between two requests, not only the one T happens to fall
// on. Before T, not after: the targets grow with the duration, so those of
// T hold for every run.
const pollRuns = 20

// pollDurations are the analysis durations the poll benchmarks measure.
var pollDurations = []time.Duration{5 * time.Second, 30 * time.Second, 60 * time.Second, 600 * time.Second, 3600 * time.Second}

// pollResult is what one gate run on fake time showed the simulator.
type pollResult struct {
	Lag      time.Duration // the analysis finished → the status request that saw it
	Requests int           // status requests: GET of the analysis
}

// schedule is a poll schedule under measurement.
type schedule struct {
	// make returns the schedule of one run; nil is the gate's default.
	make func() backoff.BackOff
	// span is the longest wait between two status requests around T: the
	// range of phases the finish is moved through.
	span func(T time.Duration) time.Duration
}

// defaultSchedule is the gate's own: its waits are at most lagTarget(T).
var defaultSchedule = schedule{span: lagTarget}

// fixed10s is the baseline the README compares with: a status request
// every 10 s. Below 10 s there is one request, at 10 s, whatever the phase.
var fixed10s = schedule{
	make: func() backoff.BackOff { return backoff.NewConstantBackOff(10 * time.Second) },
	span: func(T time.Duration) time.Duration { return min(10*time.Second, max(0, T-10*time.Second)) },
}

// schedules are the schedules a child process measures, by name.
var schedules = map[string]schedule{"default": defaultSchedule, "fixed10s": fixed10s}

// pollOnce runs the gate (gate.Run with the api client) in a synctest
// bubble against the simulator, reached over HTTP through testnet.Memory,
// with an analysis that finishes T after it starts, and measures the lag
// and the status requests at the simulator. In the bubble time moves only
// when the gate and the simulator both wait: a request takes no time, a
// wait of the schedule exactly its length.
func pollOnce(t *testing.T, T time.Duration, seed uint64, sched schedule) pollResult {
	t.Helper()
	var res pollResult
	synctest.Test(t, func(t *testing.T) {
		pending := min(T, time.Second)
		sim := newSim(t, simulator.Options{
			Scenario: demoWithLifecycle(simulator.Lifecycle{Pending: pending, Running: T - pending}),
		})
		opts := gate.Options{Rand: rand.New(rand.NewPCG(seed, 0x9a7e))}
		if sched.make != nil {
			opts.Schedule = sched.make()
		}
		cfg := gate.Config{Project: "340", Ref: "feature/login", Commit: headSHA, Mode: gate.ModeEnforce,
			Start: true, WaitTimeout: T + time.Hour}
		out := gate.Run(t.Context(), memoryClient(t, sim), cfg, opts)
		if out.Verdict == gate.VerdictError || out.Analysis == nil || out.Analysis.Status != api.StatusSuccess {
			t.Fatalf("T=%v seed %d: verdict %s (%v), want a decision on a successful analysis", T, seed, out.Verdict, out.Err)
		}
		reqs := sim.requests()
		start, ok := startedAt(reqs)
		if !ok {
			t.Fatalf("T=%v seed %d: the gate started no analysis", T, seed)
		}
		lag, requests, seen := seenLag(reqs, analysisPath(out.Analysis.ID), start.Add(T))
		if !seen {
			t.Fatalf("T=%v seed %d: no status request saw the analysis finished", T, seed)
		}
		res = pollResult{Lag: lag, Requests: requests}
	})
	return res
}

// pollRun is one measured run of an analysis of duration T.
type pollRun struct {
	T    time.Duration
	seed uint64
	pollResult
}

// measurePoll runs the gate n times for analyses of T, T − δ, T − 2δ, …,
// where δ is 1/n of the schedule's longest wait around T, each with its own
// jitter seed.
func measurePoll(t *testing.T, T time.Duration, n int, sched schedule) []pollRun {
	t.Helper()
	runs := make([]pollRun, n)
	for k := range runs {
		d := T - time.Duration(k)*sched.span(T)/time.Duration(n)
		seed := uint64(k)
		runs[k] = pollRun{T: d, seed: seed, pollResult: pollOnce(t, d, seed, sched)}
	}
	return runs
}

// worst returns the worst lag and the most status requests of runs.
func worst(runs []pollRun) pollResult {
	var w pollResult
	for _, r := range runs {
		w.Lag = max(w.Lag, r.Lag)
		w.Requests = max(w.Requests, r.Requests)
	}
	return w
}

// pollArgs are the arguments of the "poll" measurement of a child process.
type pollArgs struct {
	T        time.Duration
	Schedule string // a key of schedules
}

// pollFigures is the "poll" measurement: the worst of pollRuns runs.
func pollFigures(t *testing.T, a pollArgs) pollResult {
	t.Helper()
	sched, ok := schedules[a.Schedule]
	if !ok {
		t.Fatalf("no schedule %q", a.Schedule)
	}
	return worst(measurePoll(t, a.T, pollRuns, sched))
}

// lagTarget is the longest the gate may take to see that an analysis of T
// finished: max(1 s, 20 % of T), and at most 10 s.
func lagTarget(T time.Duration) time.Duration { return min(10*time.Second, max(time.Second, T/5)) }

// requestTarget is the most status requests the gate may send for an
// analysis of T: T/10 s + 15.
func requestTarget(T time.Duration) int { return int(T/(10*time.Second)) + 15 }

// benchmarkPoll measures the schedule named sched (a key of schedules) in a
// child process for each of pollDurations: every iteration measures the
// same runs, so one says it all.
func benchmarkPoll(b *testing.B, sched string) {
	b.Helper()
	for _, T := range pollDurations {
		b.Run(fmt.Sprintf("T=%ds", int(T.Seconds())), func(b *testing.B) {
			var w pollResult
			for b.Loop() {
				w = inChild[pollResult](b, "poll", pollArgs{T: T, Schedule: sched})
			}
			b.ReportMetric(w.Lag.Seconds(), "lag_s")
			b.ReportMetric(float64(w.Requests), "status_requests")
		})
	}
}

// BenchmarkPollSchedule measures the gate's default poll schedule over HTTP
// against the simulator, on fake time (a synctest bubble in a child
// process): for an analysis of T, the worst
// lag (finish → the status request that sees it) and the most status
// requests over pollRuns runs (jitter seeds and finish phases, see
// pollRuns). Targets: lag_s ≤ max(1 s, 20 % of T) and ≤ 10 s;
// status_requests ≤ T/10 s + 15.
func BenchmarkPollSchedule(b *testing.B) { benchmarkPoll(b, "default") }

// BenchmarkPollScheduleFixed10s measures the baseline the same way: a status
// request every 10 s (gate.Options.Schedule = a constant 10 s backoff).
func BenchmarkPollScheduleFixed10s(b *testing.B) { benchmarkPoll(b, "fixed10s") }

// TestPollTargets asserts the poll targets of the default schedule on every
// run, measured as BenchmarkPollSchedule measures them, against the targets
// of the run's own duration.
func TestPollTargets(t *testing.T) {
	t.Parallel()
	durations := []time.Duration{
		2 * time.Second, 5 * time.Second, 13 * time.Second, 60 * time.Second, 97 * time.Second,
		600 * time.Second, 3600 * time.Second,
	}
	n := 8
	if testing.Short() {
		n = 3
	}
	for _, T := range durations {
		t.Run("T="+T.String(), func(t *testing.T) {
			t.Parallel()
			for _, r := range measurePoll(t, T, n, defaultSchedule) {
				if want := lagTarget(r.T); r.Lag > want || r.Lag < 0 {
					t.Errorf("analysis of %v, seed %d: lag %v, want 0..%v", r.T, r.seed, r.Lag, want)
				}
				if want := requestTarget(r.T); r.Requests > want {
					t.Errorf("analysis of %v, seed %d: %d status requests, want at most %d", r.T, r.seed, r.Requests, want)
				}
			}
		})
	}
}

// TestPollBaseline checks the measurement on the fixed 10 s baseline, whose
// figures follow from arithmetic: polls at 10 s, 20 s, … after the start.
func TestPollBaseline(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		T    time.Duration
		want pollResult
	}{
		{5 * time.Second, pollResult{Lag: 5 * time.Second, Requests: 1}},
		{60 * time.Second, pollResult{Lag: 0, Requests: 6}},
		{61 * time.Second, pollResult{Lag: 9 * time.Second, Requests: 7}},
		{601 * time.Second, pollResult{Lag: 9 * time.Second, Requests: 61}},
	} {
		t.Run("T="+tc.T.String(), func(t *testing.T) {
			t.Parallel()
			if got := pollOnce(t, tc.T, 1, fixed10s); got != tc.want {
				t.Errorf("lag %v after %d status requests, want %v after %d", got.Lag, got.Requests, tc.want.Lag, tc.want.Requests)
			}
		})
	}
}

func TestTargets(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		T            time.Duration
		wantLag      time.Duration
		wantRequests int
	}{
		{2 * time.Second, time.Second, 15},
		{5 * time.Second, time.Second, 15},
		{60 * time.Second, 10 * time.Second, 21},
		{30 * time.Second, 6 * time.Second, 18},
		{3600 * time.Second, 10 * time.Second, 375},
	} {
		t.Run("T="+tc.T.String(), func(t *testing.T) {
			t.Parallel()
			if got := lagTarget(tc.T); got != tc.wantLag {
				t.Errorf("lagTarget(%v) = %v, want %v", tc.T, got, tc.wantLag)
			}
			if got := requestTarget(tc.T); got != tc.wantRequests {
				t.Errorf("requestTarget(%v) = %d, want %d", tc.T, got, tc.wantRequests)
			}
		})
	}
}
