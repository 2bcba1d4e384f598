package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/cenkalti/backoff/v4"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
	"github.com/codescoring-gate/codescoring-gate/internal/gate"
	"github.com/codescoring-gate/codescoring-gate/internal/simulator"
)

// fleetClock is simulated time for many gates at once, a discrete-event
// scheduler: time stands still while any gate runs (sends a request,
// decides) and moves to the earliest timer only once every gate waits on
// one. simclock cannot do this: its sleeper timers jump the clock as soon as
// one gate waits, past the others' timers. Each gate is a participant; its
// poll timers (NewTimer) and the API client's retry sleeps are where it
// waits. The wait-timeout timers never fire: a fleet run sets a
// wait-timeout it cannot reach (a run that would wait on them alone is
// reported as stuck).
type fleetClock struct {
	mu      sync.Mutex
	cond    *sync.Cond
	now     time.Time
	timers  []*fleetTimer // pending, in no order
	seq     int           // orders timers due at the same instant
	running int           // participants not waiting on a timer
	alive   int           // participants that have not ended
}

func newFleetClock(start time.Time) *fleetClock {
	c := &fleetClock{now: start}
	c.cond = sync.NewCond(&c.mu)
	return c
}

// Now returns the simulated time; it makes fleetClock a backoff.Clock.
func (c *fleetClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// fleetTimer is a backoff.Timer whose waiter is a participant.
type fleetTimer struct {
	c       *fleetClock
	ch      chan time.Time
	at      time.Time
	seq     int
	pending bool
}

// NewTimer returns a timer a participant waits on: starting it counts the
// participant as waiting until it fires.
func (c *fleetClock) NewTimer() backoff.Timer {
	return &fleetTimer{c: c, ch: make(chan time.Time, 1)}
}

func (t *fleetTimer) Start(d time.Duration) {
	c := t.c
	c.mu.Lock()
	defer c.mu.Unlock()
	select { // no stale tick
	case <-t.ch:
	default:
	}
	if !t.pending {
		c.timers = append(c.timers, t)
		c.running--
		c.cond.Broadcast()
	}
	c.seq++
	t.at, t.seq, t.pending = c.now.Add(max(d, 0)), c.seq, true
}

// Stop disarms the timer. A participant that stops a pending timer is not
// waiting on it any more.
func (t *fleetTimer) Stop() {
	c := t.c
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.pending {
		t.pending = false
		c.remove(t)
		c.running++
	}
}

func (t *fleetTimer) C() <-chan time.Time { return t.ch }

func (c *fleetClock) remove(t *fleetTimer) {
	for i, x := range c.timers {
		if x == t {
			c.timers = append(c.timers[:i], c.timers[i+1:]...)
			return
		}
	}
}

// neverTimer is the wait-timeout timer of a fleet run: it never fires.
type neverTimer struct{}

func (neverTimer) Start(time.Duration) {}
func (neverTimer) Stop()               {}
func (neverTimer) C() <-chan time.Time { return nil }
func newNeverTimer() backoff.Timer     { return neverTimer{} }

// Sleep is the API client's retry wait: a participant waiting on a timer.
func (c *fleetClock) Sleep(ctx context.Context, d time.Duration) error {
	t := c.NewTimer()
	t.Start(d)
	select {
	case <-t.C():
		return nil
	case <-ctx.Done():
		t.Stop()
		return ctx.Err()
	}
}

// join counts a new participant, running.
func (c *fleetClock) join() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.alive++
	c.running++
}

// leave counts a participant out; it ends running.
func (c *fleetClock) leave() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.alive--
	c.running--
	c.cond.Broadcast()
}

// settle waits until no participant runs.
func (c *fleetClock) settle() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for c.running > 0 {
		c.cond.Wait()
	}
}

// step waits until no participant runs, then fires the earliest timer at
// its time. It returns false when no participant is left, and an error
// when they all wait on nothing.
func (c *fleetClock) step() (bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for c.running > 0 {
		c.cond.Wait()
	}
	if c.alive == 0 {
		return false, nil
	}
	if len(c.timers) == 0 {
		return false, fmt.Errorf("%d gates wait, on no timer, at %v", c.alive, c.now)
	}
	next := c.timers[0]
	for _, t := range c.timers[1:] {
		if t.at.Before(next.at) || (t.at.Equal(next.at) && t.seq < next.seq) {
			next = t
		}
	}
	c.remove(next)
	next.pending = false
	if next.at.After(c.now) {
		c.now = next.at
	}
	c.running++
	next.ch <- next.at
	return true, nil
}

// fleetT is how long each analysis of the fleet runs.
const fleetT = 60 * time.Second

// fleetSizes are the fleet sizes measured.
var fleetSizes = []int{1, 5, 20}

// fleetResult is what one fleet run showed.
type fleetResult struct {
	gates    int
	makespan time.Duration // the start → the last gate's decision
	// statusRate is status requests (GET of an analysis or of the history)
	// per gate-minute after each gate's first minute of waiting, over the
	// gates that waited 2 minutes or more (waited of them); maxRate the
	// highest of one such gate.
	statusRate, maxRate float64
	waited              int
	status              int // status requests in all
	starts              int // start requests (POST), refused ones included
	wrongCommit         int // verdicts on an analysis of another commit, or none
	duplicates          int // analyses of a commit beyond the first
}

// callLog records when one gate called the Server, on the fleet clock.
type callLog struct {
	mu     sync.Mutex
	clk    *fleetClock
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
	s.log.status = append(s.log.status, s.log.clk.Now())
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
// HTTP) on the fleet clock against one simulator: each for its own commit,
// all of one project (sameProject) or each of its own, every analysis
// lasting fleetT, and CodeScoring running one analysis of a project at a
// time (a start meanwhile is refused with 409).
func fleetOnce(tb testing.TB, n int, sameProject bool, seed uint64) fleetResult {
	tb.Helper()
	projects := n
	if sameProject {
		projects = 1
	}
	sc, ids := fleetScenario(projects)
	clk := newFleetClock(t0)
	sim, base := startSim(tb, simulator.Options{Scenario: sc, Now: clk.Now})
	defer sim.Close()

	outs := make([]*gate.Outcome, n)
	logs := make([]*callLog, n)
	cfgs := make([]gate.Config, n)
	done := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		client, err := api.NewClient(base, benchToken, api.WithClock(clk.Now), api.WithSleep(clk.Sleep))
		if err != nil {
			tb.Fatalf("new client: %v", err)
		}
		logs[i] = &callLog{clk: clk}
		cfgs[i] = gate.Config{Project: fmt.Sprint(ids[i%projects]), Ref: fmt.Sprintf("feature/pr-%d", i+1),
			Commit: fleetCommit(i), Mode: gate.ModeEnforce, Start: true, WaitTimeout: 10 * time.Hour,
			ReuseMaxAge: time.Hour}
		opts := gate.Options{
			Clock: clk, NewTimer: clk.NewTimer, NewDeadlineTimer: newNeverTimer,
			Rand: rand.New(rand.NewPCG(seed, uint64(i))),
		}
		clk.join()
		wg.Go(func() {
			defer clk.leave()
			outs[i] = gate.Run(context.Background(), countingServer{client, logs[i]}, cfgs[i], opts)
		})
		// One after the other at the same instant, so that the order of
		// the first requests does not depend on the goroutine scheduler.
		clk.settle()
	}
	go func() { wg.Wait(); close(done) }()
	for {
		more, err := clk.step()
		if err != nil {
			tb.Fatalf("fleet of %d: %v", n, err)
		}
		if !more {
			break
		}
	}
	<-done

	res := fleetResult{gates: n}
	var after int
	var minutes float64
	for i, o := range outs {
		if o.Verdict == gate.VerdictError || o.Analysis == nil || o.Analysis.Status != api.StatusSuccess ||
			o.Analysis.Commit != cfgs[i].Commit || fmt.Sprint(o.Analysis.Project) != cfgs[i].Project {
			res.wrongCommit++
			tb.Logf("gate %d (%s): verdict %s on %+v (%v)", i, cfgs[i].Commit, o.Verdict, o.Analysis, o.Err)
		}
		res.makespan = max(res.makespan, o.DecidedAt.Sub(t0))
		from := t0.Add(time.Minute)
		mins := o.DecidedAt.Sub(from).Minutes()
		if mins < 1 {
			// Less than a minute after the first: a rate says nothing.
			continue
		}
		res.waited++
		k := 0
		for _, at := range logs[i].status {
			if at.After(from) {
				k++
			}
		}
		after += k
		minutes += mins
		res.maxRate = max(res.maxRate, float64(k)/mins)
	}
	if minutes > 0 {
		res.statusRate = float64(after) / minutes
	}
	for _, r := range sim.Requests() {
		switch {
		case r.Method == http.MethodPost && r.Path == pathStart:
			res.starts++
		case r.Method == http.MethodGet && len(r.Path) >= len(pathHistory) && r.Path[:len(pathHistory)] == pathHistory:
			res.status++
		}
	}
	var recorded int
	for _, l := range logs {
		recorded += len(l.status)
	}
	if recorded != res.status {
		tb.Fatalf("the gates made %d status calls, the simulator saw %d status requests", recorded, res.status)
	}
	res.duplicates = duplicateAnalyses(tb, base, ids)
	return res
}

// duplicateAnalyses counts the analyses of a project and commit beyond the
// first, read from the simulator's history.
func duplicateAnalyses(tb testing.TB, base string, projects []int64) int {
	tb.Helper()
	client, err := api.NewClient(base, benchToken)
	if err != nil {
		tb.Fatalf("new client: %v", err)
	}
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
// T = 60 s), and N gates on N projects, on simulated time over HTTP. It
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
					r := fleetOnce(b, n, layout.same, seed)
					seed++
					w.makespan = max(w.makespan, r.makespan)
					w.statusRate = max(w.statusRate, r.statusRate)
					w.maxRate = max(w.maxRate, r.maxRate)
					w.waited = max(w.waited, r.waited)
					w.starts = max(w.starts, r.starts)
					w.wrongCommit = max(w.wrongCommit, r.wrongCommit)
					w.duplicates = max(w.duplicates, r.duplicates)
				}
				ideal := fleetT
				if layout.same {
					ideal = time.Duration(n) * fleetT
				}
				b.ReportMetric(w.makespan.Seconds(), "makespan_s")
				b.ReportMetric(ideal.Seconds(), "ideal_s")
				// Only gates that waited 2 minutes have a rate after
				// their first minute; a fleet without one reports none.
				if w.waited > 0 {
					b.ReportMetric(w.statusRate, "status_requests_per_gate_minute")
					b.ReportMetric(w.maxRate, "max_gate_rate")
				}
				b.ReportMetric(float64(w.starts), "start_requests")
				b.ReportMetric(float64(w.wrongCommit), "wrong_commit_verdicts")
				b.ReportMetric(float64(w.duplicates), "duplicate_analyses")
			})
		}
	}
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
				if r.makespan > fleetTarget(n) || r.makespan < time.Duration(n)*fleetT {
					t.Errorf("seed %d: makespan %v, want %v to %v", seed, r.makespan, time.Duration(n)*fleetT, fleetTarget(n))
				}
				if r.statusRate > 6 {
					t.Errorf("seed %d: %.2f status requests per gate-minute after the first minute, want at most 6", seed, r.statusRate)
				}
				if r.starts > 3*n || r.starts < n {
					t.Errorf("seed %d: %d start requests, want %d to %d", seed, r.starts, n, 3*n)
				}
				if r.wrongCommit != 0 || r.duplicates != 0 {
					t.Errorf("seed %d: %d wrong-commit verdicts, %d duplicate analyses, want 0 and 0", seed, r.wrongCommit, r.duplicates)
				}
			}
		})
	}
}

// TestFleetClock checks the scheduler: time stands still while a
// participant runs and moves to the earliest timer once all wait, in the
// order the timers are due.
func TestFleetClock(t *testing.T) {
	t.Parallel()
	clk := newFleetClock(t0)
	var (
		mu    sync.Mutex
		woken []string
	)
	for _, p := range []struct {
		name  string
		waits []time.Duration
	}{{"a", []time.Duration{3 * time.Second, 3 * time.Second}}, {"b", []time.Duration{5 * time.Second}}} {
		clk.join()
		go func() {
			defer clk.leave()
			tm := clk.NewTimer()
			for _, d := range p.waits {
				tm.Start(d)
				at := <-tm.C()
				mu.Lock()
				woken = append(woken, fmt.Sprintf("%s@%v", p.name, at.Sub(t0)))
				mu.Unlock()
			}
		}()
		clk.settle()
	}
	for {
		more, err := clk.step()
		if err != nil {
			t.Fatal(err)
		}
		if !more {
			break
		}
	}
	if got, want := fmt.Sprint(woken), "[a@3s b@5s a@6s]"; got != want {
		t.Errorf("woken %s, want %s", got, want)
	}
	if got := clk.Now().Sub(t0); got != 6*time.Second {
		t.Errorf("clock at %v, want 6s", got)
	}
}
