package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cenkalti/backoff/v4"

	"github.com/codescoring-gate/codescoring-gate/internal/app"
	"github.com/codescoring-gate/codescoring-gate/internal/runnertest"
	"github.com/codescoring-gate/codescoring-gate/internal/simulator"
)

// monorepoT is how long the analysis of each project of the monorepo
// measurement takes.
const monorepoT = 60 * time.Second

// monorepoProjects are the four projects of one monorepo run, each its own
// CodeScoring project (the demo's three and one more).
var monorepoProjects = []string{"payments-service", "payments-service-legacy", "payments-gateway", "payments-ledger"}

// monorepoResult is what one run over the four projects cost.
type monorepoResult struct {
	wall     time.Duration // simulated waiting + the real time of the run
	starts   int           // POST of a start
	analyses int           // projects with an analysis id in the projects output
	verdict  string
}

// groupClock is simulated time for one program that runs n gates at once
// (app.Main over n projects) without telling the clock when each starts or
// ends: a discrete-event scheduler that moves time to the earliest timer
// only once every gate still waiting for its analysis waits on a timer.
// simclock cannot do this (a sleeper jumps the clock as soon as one gate
// waits, past the others' timers: four pollers move time four times as
// fast); fleetClock needs each gate to join and leave. Here the n gates are
// running from the start; a gate waits while its poll timer is pending, and
// leaves once it stops a timer that is not pending (its wait is over: the
// poll loop defers the Stop). Between its last poll and its decision a
// gate reads policies and alerts while time may move for the others: its
// decision is then late in simulated time, never early.
type groupClock struct {
	mu      sync.Mutex
	cond    *sync.Cond
	now     time.Time
	timers  []*groupTimer
	seq     int
	running int
	done    bool
}

func newGroupClock(start time.Time, n int) *groupClock {
	c := &groupClock{now: start, running: n}
	c.cond = sync.NewCond(&c.mu)
	return c
}

func (c *groupClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

type groupTimer struct {
	c       *groupClock
	ch      chan time.Time
	at      time.Time
	seq     int
	pending bool
}

func (c *groupClock) NewTimer() backoff.Timer { return &groupTimer{c: c, ch: make(chan time.Time, 1)} }

func (t *groupTimer) Start(d time.Duration) {
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

// Stop of a pending timer: the gate runs again. Of a fired one: its wait
// is over, it leaves.
func (t *groupTimer) Stop() {
	c := t.c
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.pending {
		t.pending = false
		c.timers = slices.DeleteFunc(c.timers, func(x *groupTimer) bool { return x == t })
		c.running++
		return
	}
	c.running--
	c.cond.Broadcast()
}

func (t *groupTimer) C() <-chan time.Time { return t.ch }

// Sleep is the API client's retry wait: a wait on a timer that ends
// running.
func (c *groupClock) Sleep(ctx context.Context, d time.Duration) error {
	t := &groupTimer{c: c, ch: make(chan time.Time, 1)}
	t.Start(d)
	select {
	case <-t.C():
		return nil
	case <-ctx.Done():
		t.Stop()
		return ctx.Err()
	}
}

// end says the program returned.
func (c *groupClock) end() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.done = true
	c.cond.Broadcast()
}

// drive fires the earliest timer each time no gate runs, until the program
// returns.
func (c *groupClock) drive() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for {
		for !c.done && (c.running > 0 || len(c.timers) == 0) {
			c.cond.Wait()
		}
		if c.done {
			return
		}
		next := c.timers[0]
		for _, t := range c.timers[1:] {
			if t.at.Before(next.at) || (t.at.Equal(next.at) && t.seq < next.seq) {
				next = t
			}
		}
		c.timers = slices.DeleteFunc(c.timers, func(x *groupTimer) bool { return x == next })
		next.pending = false
		if next.at.After(c.now) {
			c.now = next.at
		}
		c.running++
		next.ch <- next.at
	}
}

// monorepoOnce runs app.Main as a GitHub Actions push job over the four
// projects on simulated time (groupClock), each analysis taking monorepoT.
// Its wall time is the simulated time waited plus the real time of the run
// (see rerunOnce).
func monorepoOnce(tb testing.TB, n int) monorepoResult {
	tb.Helper()
	projects := monorepoProjects[:n]
	clk := newGroupClock(t0, n)
	life := simulator.Lifecycle{Pending: time.Second, Running: monorepoT - time.Second}
	sc := demoWithLifecycle(life)
	extra := sc.Projects[0]
	extra.ID, extra.Name, extra.Repository = 353, "payments-ledger", "https://github.com/acme/payments-ledger"
	sc.Projects = append(sc.Projects, extra)
	sim, base := serveSim(tb, simulator.Options{Scenario: sc, Now: clk.Now})

	st := runnertest.NewStep(tb, map[string]string{
		"CODESCORING_TOKEN": benchToken,
		"GITHUB_ACTIONS":    "true",
		"GITHUB_EVENT_NAME": "push",
		"GITHUB_REPOSITORY": runnertest.Repository,
	})
	sys := app.System{Getenv: st.Getenv, ReadFile: os.ReadFile, Stdout: &st.Stdout, Stderr: &st.Stderr,
		Clock: clk, NewTimer: clk.NewTimer, NewDeadlineTimer: newNeverTimer, Sleep: clk.Sleep}
	args := []string{"--url", base, "--project", strings.Join(projects, "\n"), "--ref", "feature/login",
		"--commit", headSHA, "--wait-timeout", "30m", "--reuse-max-age", "0"}
	go clk.drive()
	real0 := time.Now()
	code := app.Main(context.Background(), args, sys)
	work := time.Since(real0)
	clk.end()
	r := st.Result(tb, code)
	if r.Code != 1 {
		tb.Fatalf("exit code %d, want 1 (payments-service fails)\nstdout:\n%s\nstderr:\n%s", r.Code, hideToken(r.Stdout), hideToken(r.Stderr))
	}
	out := monorepoResult{wall: clk.Now().Sub(t0) + work, verdict: r.Outputs["verdict"]}
	var ps []struct {
		AnalysisID *int64 `json:"analysis_id"`
	}
	if err := json.Unmarshal([]byte(r.Outputs["projects"]), &ps); err != nil {
		tb.Fatalf("projects output: %v", err)
	}
	for _, p := range ps {
		if p.AnalysisID != nil {
			out.analyses++
		}
	}
	out.starts = count(sim.requests(), http.MethodPost, pathStart)
	return out
}

// BenchmarkMonorepo measures one run over one and over four projects whose
// analyses take 60 s each, through app.Main on simulated time: wall_s (the
// time waited, simulated, plus the real time of the run) and
// start_requests. Target: four projects decide in about the time of one
// (60 s plus one poll's lag, ≤ 75 s), not four times that.
func BenchmarkMonorepo(b *testing.B) {
	for _, n := range []int{1, len(monorepoProjects)} {
		b.Run(fmt.Sprintf("projects=%d", n), func(b *testing.B) {
			var worst monorepoResult
			for b.Loop() {
				r := monorepoOnce(b, n)
				worst.wall = max(worst.wall, r.wall)
				worst.starts = max(worst.starts, r.starts)
			}
			b.ReportMetric(worst.wall.Seconds(), "wall_s")
			b.ReportMetric(float64(worst.starts), "start_requests")
		})
	}
}

// TestMonorepoTargets asserts what does not depend on the machine: the four
// analyses are started and waited for together, so the run waits about one
// analysis (60 s plus lag in simulated time), not four.
func TestMonorepoTargets(t *testing.T) {
	t.Parallel()
	one := monorepoOnce(t, 1)
	r := monorepoOnce(t, len(monorepoProjects))
	if one.wall < monorepoT || r.wall > one.wall+5*time.Second {
		t.Errorf("four projects waited %v, one %v: want about the same (at least %v)", r.wall, one.wall, monorepoT)
	}
	if r.starts != 4 || r.analyses != 4 || r.verdict != "fail" {
		t.Errorf("%d starts, %d analyses, verdict %s; want 4, 4, fail", r.starts, r.analyses, r.verdict)
	}
	if r.wall < monorepoT || r.wall > monorepoT+15*time.Second {
		t.Errorf("wall %v, want between %v and %v (four analyses waited for together)", r.wall, monorepoT, monorepoT+15*time.Second)
	}
}

// t0 is when every run on simulated time starts.
var t0 = time.Date(2026, 11, 26, 10, 15, 0, 0, time.UTC)

// neverTimer is the wait-timeout timer of a groupClock run: it never fires.
type neverTimer struct{}

func (neverTimer) Start(time.Duration) {}
func (neverTimer) Stop()               {}
func (neverTimer) C() <-chan time.Time { return nil }
func newNeverTimer() backoff.Timer     { return neverTimer{} }
