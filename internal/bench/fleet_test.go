package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
	"github.com/codescoring-gate/codescoring-gate/internal/gate"
	"github.com/codescoring-gate/codescoring-gate/internal/simulator"
)

// fleetT is how long each analysis of the fleet runs.
const fleetT = 60 * time.Second

// fleetSizes are the fleet sizes measured.
var fleetSizes = []int{1, 5, 20}

// fleetResult is what one fleet run showed.
type fleetResult struct {
	Gates    int
	Makespan time.Duration // the start → the last gate's decision
	// StatusRate is status requests (GET of an analysis or of the history)
	// per gate-minute after each gate's first minute of waiting, over the
	// gates that waited 2 minutes or more (Waited of them); MaxRate the
	// highest of one such gate.
	StatusRate, MaxRate float64
	Waited              int
	Status              int // status requests in all
	Starts              int // start requests (POST), refused ones included
	WrongCommit         int // verdicts on an analysis of another commit, or none
	Duplicates          int // analyses of a commit beyond the first
}

// callLog records when one gate called the Server.
type callLog struct {
	mu     sync.Mutex
	status []time.Time
}

// countingServer is the API client with the status calls of one gate
// recorded: no fault is injected, so a call is one request.
type countingServer struct {
	*api.Client
	log *callLog
}

func (s countingServer) note() {
	s.log.mu.Lock()
	defer s.log.mu.Unlock()
	s.log.status = append(s.log.status, time.Now())
}

func (s countingServer) GetAnalysis(ctx context.Context, id int64) (*api.Analysis, error) {
	s.note()
	return s.Client.GetAnalysis(ctx, id)
}

func (s countingServer) RecentAnalyses(ctx context.Context, projectID int64, limit int) ([]api.Analysis, error) {
	s.note()
	return s.Client.RecentAnalyses(ctx, projectID, limit)
}

// fleetScenario is the demo scenario with analyses of fleetT on projects
// (the first is the demo's 340, the others copies of it), each with a
// success of main an hour ago for the gates' ETA.
func fleetScenario(projects int) (simulator.Scenario, []int64) {
	sc := demoWithLifecycle(simulator.Lifecycle{Pending: time.Second, Running: fleetT - time.Second})
	base := sc.Projects[0]
	sc.Projects = sc.Projects[:1]
	ids := []int64{base.ID}
	for i := 1; i < projects; i++ {
		p := base
		p.ID, p.Name = 1000+int64(i), fmt.Sprintf("monorepo-part-%02d", i)
		sc.Projects = append(sc.Projects, p)
		ids = append(ids, p.ID)
	}
	for _, id := range ids {
		sc.Analyses = append(sc.Analyses, simulator.SeedAnalysis{Project: id, BranchOrTag: "main",
			StartedAgo: time.Hour, Lifecycle: base.Lifecycle})
	}
	return sc, ids
}

// fleetCommit is the head commit of the pull request of gate i.
func fleetCommit(i int) string { return fmt.Sprintf("%040x", 0xc0ffee000+i) }

// fleetOnce starts n gates together (gate.Run with the API client, over
// HTTP through testnet.Memory) in a synctest bubble against one simulator:
// each for its own commit, all of one project (sameProject) or each of its
// own, every analysis lasting fleetT, and CodeScoring running one analysis
// of a project at a time (a start meanwhile is refused with 409). In the
// bubble time stands still while any gate runs (sends a request, decides)
// and moves to the earliest timer only once every gate waits.
func fleetOnce(t *testing.T, n int, sameProject bool, seed uint64) fleetResult {
	t.Helper()
	var res fleetResult
	synctest.Test(t, func(t *testing.T) {
		res = fleetBubble(t, n, sameProject, seed)
	})
	return res
}

// fleetBubble is fleetOnce inside the bubble.
func fleetBubble(t *testing.T, n int, sameProject bool, seed uint64) fleetResult {
	t.Helper()
	projects := n
	if sameProject {
		projects = 1
	}
	sc, ids := fleetScenario(projects)
	t0 := time.Now()
	sim := newSim(t, simulator.Options{Scenario: sc})

	outs := make([]*gate.Outcome, n)
	logs := make([]*callLog, n)
	cfgs := make([]gate.Config, n)
	var wg sync.WaitGroup
	for i := range n {
		logs[i] = &callLog{}
		cfgs[i] = gate.Config{Project: fmt.Sprint(ids[i%projects]), Ref: fmt.Sprintf("feature/pr-%d", i+1),
			Commit: fleetCommit(i), Mode: gate.ModeEnforce, Start: true, WaitTimeout: 10 * time.Hour,
			ReuseMaxAge: time.Hour}
		opts := gate.Options{Rand: rand.New(rand.NewPCG(seed, uint64(i)))}
		client := memoryClient(t, sim)
		wg.Go(func() {
			outs[i] = gate.Run(t.Context(), countingServer{client, logs[i]}, cfgs[i], opts)
		})
		// One after the other at the same instant, so that the order of
		// the first requests does not depend on the goroutine scheduler.
		synctest.Wait()
	}
	wg.Wait()

	res := fleetResult{Gates: n}
	var after int
	var minutes float64
	for i, o := range outs {
		if o.Verdict == gate.VerdictError || o.Analysis == nil || o.Analysis.Status != api.StatusSuccess ||
			o.Analysis.Commit != cfgs[i].Commit || fmt.Sprint(o.Analysis.Project) != cfgs[i].Project {
			res.WrongCommit++
			t.Logf("gate %d (%s): verdict %s on %+v (%v)", i, cfgs[i].Commit, o.Verdict, o.Analysis, o.Err)
		}
		res.Makespan = max(res.Makespan, o.DecidedAt.Sub(t0))
		from := t0.Add(time.Minute)
		mins := o.DecidedAt.Sub(from).Minutes()
		if mins < 1 {
			// Less than a minute after the first: a rate says nothing.
			continue
		}
		res.Waited++
		k := 0
		for _, at := range logs[i].status {
			if at.After(from) {
				k++
			}
		}
		after += k
		minutes += mins
		res.MaxRate = max(res.MaxRate, float64(k)/mins)
	}
	if minutes > 0 {
		res.StatusRate = float64(after) / minutes
	}
	reqs := sim.requests()
	res.Starts = count(reqs, http.MethodPost, pathStart)
	res.Status = count(reqs, http.MethodGet, pathHistory)
	var recorded int
	for _, l := range logs {
		recorded += len(l.status)
	}
	if recorded != res.Status {
		t.Fatalf("the gates made %d status calls, the simulator saw %d status requests", recorded, res.Status)
	}
	res.Duplicates = duplicateAnalyses(t, memoryClient(t, sim), ids)
	return res
}

// duplicateAnalyses counts the analyses of a project and commit beyond the
// first, read from the simulator's history.
func duplicateAnalyses(tb testing.TB, client *api.Client, projects []int64) int {
	tb.Helper()
	dup := 0
	for _, id := range projects {
		all, err := client.RecentAnalyses(context.Background(), id, 100)
		if err != nil {
			tb.Fatalf("list analyses of %d: %v", id, err)
		}
		seen := map[string]bool{}
		for _, a := range all {
			if seen[a.Commit] {
				dup++
			}
			seen[a.Commit] = true
		}
	}
	return dup
}

// BenchmarkFleet starts N gates together, for N commits of one project
// (CodeScoring runs one analysis of a project at a time, each takes
// T = 60 s), and N gates on N projects, on fake time over HTTP (a synctest
// bubble in a child process: see fleetOnce). It
// reports makespan_s (the start → the last decision) beside ideal_s = N·T
// for one project (T for N), status_requests_per_gate_minute after each
// gate's first minute, over the gates that waited 2 minutes or more
// (max_gate_rate: the highest of one of them; neither when none did),
// start_requests, wrong_commit_verdicts and duplicate_analyses.
// Targets for one project: makespan ≤ 1.1·N·T + 10 s, ≤ 6 status requests
// per gate-minute, start_requests ≤ 3N, the other two 0.
func BenchmarkFleet(b *testing.B) {
	for _, layout := range []struct {
		name string
		same bool
	}{{"one-project", true}, {"own-projects", false}} {
		for _, n := range fleetSizes {
			b.Run(fmt.Sprintf("%s/N=%d", layout.name, n), func(b *testing.B) {
				var w fleetResult
				var seed uint64
				for b.Loop() {
					r := inChild[fleetResult](b, "fleet", fleetArgs{N: n, SameProject: layout.same, Seed: seed})
					seed++
					w.Makespan = max(w.Makespan, r.Makespan)
					w.StatusRate = max(w.StatusRate, r.StatusRate)
					w.MaxRate = max(w.MaxRate, r.MaxRate)
					w.Waited = max(w.Waited, r.Waited)
					w.Starts = max(w.Starts, r.Starts)
					w.WrongCommit = max(w.WrongCommit, r.WrongCommit)
					w.Duplicates = max(w.Duplicates, r.Duplicates)
				}
				ideal := fleetT
				if layout.same {
					ideal = time.Duration(n) * fleetT
				}
				b.ReportMetric(w.Makespan.Seconds(), "makespan_s")
				b.ReportMetric(ideal.Seconds(), "ideal_s")
				// Only gates that waited 2 minutes have a rate after
				// their first minute; a fleet without one reports none.
				if w.Waited > 0 {
					b.ReportMetric(w.StatusRate, "status_requests_per_gate_minute")
					b.ReportMetric(w.MaxRate, "max_gate_rate")
				}
				b.ReportMetric(float64(w.Starts), "start_requests")
				b.ReportMetric(float64(w.WrongCommit), "wrong_commit_verdicts")
				b.ReportMetric(float64(w.Duplicates), "duplicate_analyses")
			})
		}
	}
}

// fleetArgs are the arguments of the "fleet" measurement of a child
// process.
type fleetArgs struct {
	N           int
	SameProject bool
	Seed        uint64
}

// fleetFigures is the "fleet" measurement.
func fleetFigures(t *testing.T, a fleetArgs) fleetResult {
	t.Helper()
	return fleetOnce(t, a.N, a.SameProject, a.Seed)
}

// fleetTarget is the longest makespan allowed for n gates of one project.
func fleetTarget(n int) time.Duration {
	return time.Duration(float64(n)*1.1*float64(fleetT)) + 10*time.Second
}

// TestFleetTargets asserts the targets of BenchmarkFleet that follow from
// the schedule, not the machine, for fleets of one project over a few
// jitter seeds.
func TestFleetTargets(t *testing.T) {
	t.Parallel()
	sizes := []int{1, 5, 12}
	if testing.Short() {
		sizes = []int{1, 5}
	}
	for _, n := range sizes {
		t.Run(fmt.Sprintf("N=%d", n), func(t *testing.T) {
			t.Parallel()
			for seed := range uint64(3) {
				r := fleetOnce(t, n, true, seed)
				if r.Makespan > fleetTarget(n) || r.Makespan < time.Duration(n)*fleetT {
					t.Errorf("seed %d: makespan %v, want %v to %v", seed, r.Makespan, time.Duration(n)*fleetT, fleetTarget(n))
				}
				if r.StatusRate > 6 {
					t.Errorf("seed %d: %.2f status requests per gate-minute after the first minute, want at most 6", seed, r.StatusRate)
				}
				if r.Starts > 3*n || r.Starts < n {
					t.Errorf("seed %d: %d start requests, want %d to %d", seed, r.Starts, n, 3*n)
				}
				if r.WrongCommit != 0 || r.Duplicates != 0 {
					t.Errorf("seed %d: %d wrong-commit verdicts, %d duplicate analyses, want 0 and 0", seed, r.WrongCommit, r.Duplicates)
				}
			}
		})
	}
}
