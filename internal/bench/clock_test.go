package bench

import (
	"sync"
	"testing"
	"time"

	"github.com/cenkalti/backoff/v4"
)

// t0 is when every simulated run starts.
var t0 = time.Date(2026, 11, 26, 10, 15, 0, 0, time.UTC)

// simClock is simulated time shared by the simulator (Options.Now) and the
// gate (Options.Clock, NewTimer, NewDeadlineTimer). Time moves only when a
// sleeper timer starts: the clock jumps to its end at once, firing every
// timer due on the way, so a poll loop runs through an hour of waits in
// milliseconds while each HTTP request still sees the time it was sent at.
// Passive timers (the gate's deadline) only fire when the clock passes them.
type simClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*simTimer
}

func newSimClock(start time.Time) *simClock { return &simClock{now: start} }

// Now returns the simulated time.
func (c *simClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// sleeper returns a timer that advances the clock to its end when started.
func (c *simClock) sleeper() backoff.Timer { return c.newTimer(true) }

// passive returns a timer that fires only when the clock passes its end.
func (c *simClock) passive() backoff.Timer { return c.newTimer(false) }

func (c *simClock) newTimer(auto bool) *simTimer {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &simTimer{clk: c, c: make(chan time.Time, 1), auto: auto}
	c.timers = append(c.timers, t)
	return t
}

// advance moves the clock on by d, firing the timers due on the way.
func (c *simClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.advanceLocked(c.now.Add(d))
}

func (c *simClock) advanceLocked(to time.Time) {
	for {
		var next *simTimer
		for _, t := range c.timers {
			if t.running && !t.at.After(to) && (next == nil || t.at.Before(next.at)) {
				next = t
			}
		}
		if next == nil {
			break
		}
		if next.at.After(c.now) {
			c.now = next.at
		}
		next.running = false
		select {
		case next.c <- next.at:
		default:
		}
	}
	if to.After(c.now) {
		c.now = to
	}
}

// simTimer is a backoff.Timer on a simClock.
type simTimer struct {
	clk     *simClock
	c       chan time.Time
	at      time.Time
	running bool
	auto    bool
}

// Start arms the timer for d; like time.Timer.Reset since Go 1.23 it drops a
// tick that was not received.
func (t *simTimer) Start(d time.Duration) {
	c := t.clk
	c.mu.Lock()
	defer c.mu.Unlock()
	select {
	case <-t.c:
	default:
	}
	t.at, t.running = c.now.Add(d), true
	if t.auto {
		c.advanceLocked(t.at)
	}
}

// Stop disarms the timer.
func (t *simTimer) Stop() {
	t.clk.mu.Lock()
	defer t.clk.mu.Unlock()
	t.running = false
}

// C returns the channel the timer fires on.
func (t *simTimer) C() <-chan time.Time { return t.c }

// fixedClock is a clock that never moves: two runs on it decide at the same
// instant, so they render the same report.
type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

func TestSimClock(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		// run drives a fresh clock and returns the times it saw.
		run  func(c *simClock) []time.Duration
		want []time.Duration
	}{
		{
			name: "a sleeper advances the clock to its end",
			run: func(c *simClock) []time.Duration {
				s := c.sleeper()
				s.Start(3 * time.Second)
				<-s.C()
				s.Start(500 * time.Millisecond)
				<-s.C()
				return []time.Duration{c.Now().Sub(t0)}
			},
			want: []time.Duration{3500 * time.Millisecond},
		},
		{
			name: "a passive timer fires when a sleeper passes it, at its own time",
			run: func(c *simClock) []time.Duration {
				p := c.passive()
				p.Start(2 * time.Second)
				s := c.sleeper()
				s.Start(5 * time.Second)
				fired := (<-p.C()).Sub(t0)
				return []time.Duration{fired, c.Now().Sub(t0)}
			},
			want: []time.Duration{2 * time.Second, 5 * time.Second},
		},
		{
			name: "a passive timer alone does not move the clock",
			run: func(c *simClock) []time.Duration {
				p := c.passive()
				p.Start(time.Hour)
				return []time.Duration{c.Now().Sub(t0)}
			},
			want: []time.Duration{0},
		},
		{
			name: "a stopped timer does not fire",
			run: func(c *simClock) []time.Duration {
				p := c.passive()
				p.Start(time.Second)
				p.Stop()
				c.advance(time.Minute)
				select {
				case <-p.C():
					return []time.Duration{-1}
				default:
				}
				return []time.Duration{c.Now().Sub(t0)}
			},
			want: []time.Duration{time.Minute},
		},
		{
			name: "a restarted timer drops its stale tick",
			run: func(c *simClock) []time.Duration {
				p := c.passive()
				p.Start(time.Second)
				c.advance(2 * time.Second) // fires, nobody receives
				p.Start(10 * time.Second)
				select {
				case <-p.C():
					return []time.Duration{-1}
				default:
				}
				c.advance(10 * time.Second)
				return []time.Duration{(<-p.C()).Sub(t0)}
			},
			want: []time.Duration{12 * time.Second},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := tc.run(newSimClock(t0))
			if len(got) != len(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("got %v, want %v", got, tc.want)
					break
				}
			}
		})
	}
}
