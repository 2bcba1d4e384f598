// Package simclock is simulated time for tests and benchmarks: a
// backoff.Clock, backoff.Timers and a sleep that advance together, so that a
// gate run through an hour of poll waits and retries takes milliseconds while
// everything that reads the clock (the gate, the API client, the simulator)
// sees the same instant, and each HTTP request the time it was sent at.
//
// Time moves only when something moves it:
//   - a sleeper timer (NewSleeper), when started, jumps the clock to its end
//     at once, firing every timer due on the way: the gate's poll wait;
//   - a deadline timer (NewDeadline) and the channel of After are passive:
//     they fire only when the clock passes them (the gate's wait-timeout, the
//     simulator's slow answers);
//   - Sleep, a retry wait, moves the clock on by its duration, but not past a
//     running deadline: there it stops and waits for its context to end, as a
//     real sleep does when the deadline cancels it;
//   - the test moves it by hand with Advance, AdvanceTo and AdvanceToNext
//     (a call that hangs lasts until something else happens).
//
// A Clock is safe for concurrent use.
package simclock

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/cenkalti/backoff/v4"
)

// stuckBound is how long, in real time, Sleep waits at a deadline for its
// context to end. The code under test cancels it from its own goroutine at
// once; the bound only keeps a broken one from hanging the test.
const stuckBound = 10 * time.Second

// Clock is simulated time; its zero value is not usable, see New.
type Clock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*timer
	sleeps []time.Duration

	// starts counts the starts of sleeper timers; from the (holdAfter+1)th
	// on, once held is set, a sleeper does not move the clock.
	starts    int
	holdAfter int
	held      chan struct{}
}

// New returns a clock that reads start until something moves it.
func New(start time.Time) *Clock { return &Clock{now: start} }

// Now returns the simulated time; it makes Clock a backoff.Clock.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// kind is how a timer moves the clock.
type kind int

const (
	// sleeper timers move the clock to their end when started.
	sleeper kind = iota
	// passive timers fire only when the clock passes their end.
	passive
	// deadline timers are passive, and a Sleep does not pass them.
	deadline
)

// NewSleeper returns a timer that moves the clock to its end as soon as it
// is started (firing every timer due on the way), so that whoever waits on it
// gets its tick at once: the gate's poll timer.
func (c *Clock) NewSleeper() backoff.Timer { return c.newTimer(sleeper) }

// NewDeadline returns a passive timer that fires only when the clock passes
// its end, and that stops a Sleep: the gate's wait-timeout, which must not
// move time on its own.
func (c *Clock) NewDeadline() backoff.Timer { return c.newTimer(deadline) }

// After returns a channel that receives the time once the clock has passed
// d from now; it has the signature of time.After (the simulator's
// Options.After) and never moves the clock itself.
func (c *Clock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := c.newTimerLocked(passive)
	t.startLocked(d)
	return t.c
}

func (c *Clock) newTimer(k kind) *timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.newTimerLocked(k)
}

func (c *Clock) newTimerLocked(k kind) *timer {
	t := &timer{clk: c, c: make(chan time.Time, 1), kind: k}
	c.timers = append(c.timers, t)
	return t
}

// Advance moves the clock on by d, firing every timer due on the way.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.advanceLocked(c.now.Add(d))
}

// AdvanceTo moves the clock to to, firing every timer due on the way; a time
// in the past fires what is due and leaves the clock where it is.
func (c *Clock) AdvanceTo(to time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.advanceLocked(to)
}

// AdvanceToNext moves the clock to the earliest running timer and fires it:
// a call that hangs lasts until something else happens. It returns false,
// and leaves the clock, when no timer runs.
func (c *Clock) AdvanceToNext() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	next := c.nextLocked(time.Time{})
	if next == nil {
		return false
	}
	c.advanceLocked(next.at)
	return true
}

// Sleep waits d on the clock, for a retry wait (api.WithSleep,
// app.System.Sleep): it records d and moves the clock on by d. When a
// running deadline timer falls within d, the clock stops there and Sleep
// returns when ctx ends, as a real sleep does when the deadline cancels it.
// It returns ctx's error when ctx ended, else nil.
func (c *Clock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	c.sleeps = append(c.sleeps, d)
	end := c.now.Add(d)
	var first *timer
	for _, t := range c.timers {
		if t.kind == deadline && t.running && !t.at.After(end) && (first == nil || t.at.Before(first.at)) {
			first = t
		}
	}
	if first == nil {
		c.advanceLocked(end)
		c.mu.Unlock()
		return nil
	}
	c.advanceLocked(first.at)
	c.mu.Unlock()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(stuckBound):
		return nil
	}
}

// Sleeps returns the durations Sleep was asked for so far, in order.
func (c *Clock) Sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.sleeps)
}

// HoldSleepers makes the code under test really wait: from the (n+1)th
// start of a sleeper timer on (counted since New), a sleeper no longer moves
// the clock and fires only when the clock passes it. The channel it returns
// receives each time a held sleeper starts, unless an earlier receive is
// still pending, so that the test knows the code is waiting.
func (c *Clock) HoldSleepers(n int) <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.holdAfter, c.held = n, make(chan struct{}, 1)
	return c.held
}

// nextLocked returns the earliest running timer due by limit (any, when
// limit is zero).
func (c *Clock) nextLocked(limit time.Time) *timer {
	var next *timer
	for _, t := range c.timers {
		if !t.running || (!limit.IsZero() && t.at.After(limit)) {
			continue
		}
		if next == nil || t.at.Before(next.at) {
			next = t
		}
	}
	return next
}

// advanceLocked fires the timers due by to in the order they are due, each
// at its own time, then moves the clock to to (never back).
func (c *Clock) advanceLocked(to time.Time) {
	for t := c.nextLocked(to); t != nil; t = c.nextLocked(to) {
		if t.at.After(c.now) {
			c.now = t.at
		}
		t.running = false
		select {
		case t.c <- t.at:
		default:
		}
	}
	if to.After(c.now) {
		c.now = to
	}
}

// timer is a backoff.Timer on a Clock.
type timer struct {
	clk     *Clock
	c       chan time.Time
	at      time.Time
	running bool
	kind    kind
}

// Start arms the timer for d from now; a sleeper moves the clock there (see
// HoldSleepers for when it does not).
func (t *timer) Start(d time.Duration) {
	c := t.clk
	c.mu.Lock()
	defer c.mu.Unlock()
	t.startLocked(d)
	if t.kind != sleeper {
		return
	}
	c.starts++
	if c.held != nil && c.starts > c.holdAfter {
		select {
		case c.held <- struct{}{}:
		default:
		}
		return
	}
	c.advanceLocked(t.at)
}

func (t *timer) startLocked(d time.Duration) {
	select { // like time.Timer.Reset since Go 1.23: no stale tick
	case <-t.c:
	default:
	}
	t.at, t.running = t.clk.now.Add(d), true
}

// Stop disarms the timer.
func (t *timer) Stop() {
	t.clk.mu.Lock()
	defer t.clk.mu.Unlock()
	t.running = false
}

// C returns the channel the timer fires on.
func (t *timer) C() <-chan time.Time { return t.c }
