package simclock_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/simclock"
)

// t0 is when every clock of these tests starts.
var t0 = time.Date(2026, 11, 26, 10, 15, 0, 0, time.UTC)

// fired returns when the channel ticked, or -1 when it has no tick waiting.
func fired(c <-chan time.Time) time.Duration {
	select {
	case at := <-c:
		return at.Sub(t0)
	default:
		return -1
	}
}

func TestClock(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		// run drives a fresh clock and returns the times it saw, as
		// durations since t0 (-1: a timer that did not fire).
		run  func(c *simclock.Clock) []time.Duration
		want []time.Duration
	}{
		{
			name: "a sleeper advances the clock to its end",
			run: func(c *simclock.Clock) []time.Duration {
				s := c.NewSleeper()
				s.Start(3 * time.Second)
				<-s.C()
				s.Start(500 * time.Millisecond)
				<-s.C()
				return []time.Duration{c.Now().Sub(t0)}
			},
			want: []time.Duration{3500 * time.Millisecond},
		},
		{
			name: "a deadline fires when a sleeper passes it, at its own time",
			run: func(c *simclock.Clock) []time.Duration {
				d := c.NewDeadline()
				d.Start(2 * time.Second)
				s := c.NewSleeper()
				s.Start(5 * time.Second)
				return []time.Duration{fired(d.C()), c.Now().Sub(t0)}
			},
			want: []time.Duration{2 * time.Second, 5 * time.Second},
		},
		{
			name: "a deadline alone does not move the clock",
			run: func(c *simclock.Clock) []time.Duration {
				d := c.NewDeadline()
				d.Start(time.Hour)
				return []time.Duration{c.Now().Sub(t0), fired(d.C())}
			},
			want: []time.Duration{0, -1},
		},
		{
			name: "After does not move the clock and fires when it is passed",
			run: func(c *simclock.Clock) []time.Duration {
				a := c.After(3 * time.Second)
				before := fired(a)
				c.Advance(10 * time.Second)
				return []time.Duration{before, fired(a), c.Now().Sub(t0)}
			},
			want: []time.Duration{-1, 3 * time.Second, 10 * time.Second},
		},
		{
			name: "a stopped timer does not fire",
			run: func(c *simclock.Clock) []time.Duration {
				d := c.NewDeadline()
				d.Start(time.Second)
				d.Stop()
				c.Advance(time.Minute)
				return []time.Duration{fired(d.C()), c.Now().Sub(t0)}
			},
			want: []time.Duration{-1, time.Minute},
		},
		{
			name: "a restarted timer drops its stale tick",
			run: func(c *simclock.Clock) []time.Duration {
				d := c.NewDeadline()
				d.Start(time.Second)
				c.Advance(2 * time.Second) // fires, nobody receives
				d.Start(10 * time.Second)
				stale := fired(d.C())
				c.Advance(10 * time.Second)
				return []time.Duration{stale, fired(d.C())}
			},
			want: []time.Duration{-1, 12 * time.Second},
		},
		{
			name: "AdvanceTo the past fires nothing new and leaves the clock",
			run: func(c *simclock.Clock) []time.Duration {
				c.Advance(time.Minute)
				c.AdvanceTo(t0)
				return []time.Duration{c.Now().Sub(t0)}
			},
			want: []time.Duration{time.Minute},
		},
		{
			name: "AdvanceToNext jumps to the earliest running timer only",
			run: func(c *simclock.Clock) []time.Duration {
				late, early := c.NewDeadline(), c.NewDeadline()
				late.Start(time.Hour)
				early.Start(time.Minute)
				ok := c.AdvanceToNext()
				return []time.Duration{c.Now().Sub(t0), fired(early.C()), fired(late.C()), boolDuration(ok)}
			},
			want: []time.Duration{time.Minute, time.Minute, -1, 1},
		},
		{
			name: "AdvanceToNext without a running timer leaves the clock",
			run: func(c *simclock.Clock) []time.Duration {
				ok := c.AdvanceToNext()
				return []time.Duration{c.Now().Sub(t0), boolDuration(ok)}
			},
			want: []time.Duration{0, 0},
		},
		{
			name: "Sleep moves the clock and fires what is due on the way",
			run: func(c *simclock.Clock) []time.Duration {
				a := c.After(time.Second)
				if err := c.Sleep(context.Background(), 2*time.Second); err != nil {
					return []time.Duration{-2}
				}
				return append([]time.Duration{c.Now().Sub(t0), fired(a)}, c.Sleeps()...)
			},
			want: []time.Duration{2 * time.Second, time.Second, 2 * time.Second},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := tc.run(simclock.New(t0))
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func boolDuration(b bool) time.Duration {
	if b {
		return 1
	}
	return 0
}

// TestSleepAtDeadline checks that a Sleep that would pass a running deadline
// stops the clock there and returns only when its context ends, as the
// deadline's owner cancels it.
func TestSleepAtDeadline(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		// cancelled: ctx is cancelled before Sleep is called.
		cancelled bool
		wantNow   time.Duration
		wantErr   error
		wantFired bool
		wantSleep []time.Duration
	}{
		{name: "deadline within the sleep", wantNow: 10 * time.Second, wantErr: context.Canceled, wantFired: true, wantSleep: []time.Duration{time.Minute}},
		{name: "context already ended", cancelled: true, wantNow: 0, wantErr: context.Canceled, wantSleep: nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := simclock.New(t0)
			d := c.NewDeadline()
			d.Start(10 * time.Second)
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			if tc.cancelled {
				cancel()
			} else {
				go func() {
					<-d.C() // the deadline's owner cancels the context
					cancel()
				}()
			}
			err := c.Sleep(ctx, time.Minute)
			if !errors.Is(err, tc.wantErr) {
				t.Errorf("Sleep() error = %v, want %v", err, tc.wantErr)
			}
			if got := c.Now().Sub(t0); got != tc.wantNow {
				t.Errorf("the clock moved %v, want %v", got, tc.wantNow)
			}
			if got := c.Sleeps(); !slices.Equal(got, tc.wantSleep) {
				t.Errorf("Sleeps() = %v, want %v", got, tc.wantSleep)
			}
			if !tc.wantFired && fired(d.C()) >= 0 {
				t.Errorf("the deadline fired")
			}
		})
	}
}

// TestHoldSleepers checks that sleepers after the first n wait for the
// clock instead of moving it, and say so.
func TestHoldSleepers(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		hold    int
		starts  int
		wantNow time.Duration
		// wantHeld: the channel has a receive waiting.
		wantHeld bool
	}{
		{name: "within n", hold: 2, starts: 2, wantNow: 2 * time.Second},
		{name: "past n", hold: 2, starts: 3, wantNow: 2 * time.Second, wantHeld: true},
		{name: "n zero holds every sleeper", hold: 0, starts: 2, wantNow: 0, wantHeld: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := simclock.New(t0)
			held := c.HoldSleepers(tc.hold)
			s := c.NewSleeper()
			for range tc.starts {
				s.Start(time.Second)
			}
			if got := c.Now().Sub(t0); got != tc.wantNow {
				t.Errorf("the clock moved %v, want %v", got, tc.wantNow)
			}
			gotHeld := false
			select {
			case <-held:
				gotHeld = true
			default:
			}
			if gotHeld != tc.wantHeld {
				t.Errorf("held signalled = %v, want %v", gotHeld, tc.wantHeld)
			}
			// A held sleeper fires when the test moves time past it.
			if tc.wantHeld {
				c.Advance(time.Second)
				if got := fired(s.C()); got != tc.wantNow+time.Second {
					t.Errorf("the held sleeper fired at %v, want %v", got, tc.wantNow+time.Second)
				}
			}
		})
	}
}
