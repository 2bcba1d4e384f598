package gate

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
)

func TestPollCap(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		waited time.Duration
		want   time.Duration
	}{
		{0, MinPollCap},
		{4 * time.Second, MinPollCap},
		{4500 * time.Millisecond, 900 * time.Millisecond},
		{5 * time.Second, time.Second},
		{10 * time.Second, 2 * time.Second},
		{30 * time.Second, 6 * time.Second},
		{50 * time.Second, 10 * time.Second},
		{time.Hour, 10 * time.Second},
	} {
		t.Run(tc.waited.String(), func(t *testing.T) {
			t.Parallel()
			if got := PollCap(tc.waited); got != tc.want {
				t.Errorf("PollCap(%v) = %v, want %v", tc.waited, got, tc.want)
			}
		})
	}
}

// TestPollScheduleBounds walks the schedule for an hour of a bubble's time
// with many jitter seeds, also when the schedule starts after the gate did.
func TestPollScheduleBounds(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		ahead time.Duration // how long the clock ran before Reset: not waited
	}{
		{"from reset", 0},
		{"clock ran before reset", 10 * time.Minute},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				for seed := range uint64(100) {
					time.Sleep(tc.ahead)
					s := NewPollSchedule(rand.New(rand.NewPCG(seed, 1)))
					start := time.Now()
					for time.Since(start) < time.Hour {
						waited := time.Since(start)
						got := s.NextBackOff()
						limit := PollCap(waited)
						if got > limit {
							t.Fatalf("seed %d: after %v waited the wait is %v, want at most %v", seed, waited, got, limit)
						}
						if floor := time.Duration(float64(limit) * (1 - pollJitter)); got < floor {
							t.Fatalf("seed %d: after %v waited the wait is %v, want at least %v (jitter at most %.2f%%)",
								seed, waited, got, floor, pollJitter*100)
						}
						time.Sleep(got)
					}
				}
			})
		})
	}
}

// TestPollScheduleJitter checks that the jitter is there: two seeds give
// different waits, the same seed the same waits.
func TestPollScheduleJitter(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		waits := func(seed uint64) []time.Duration {
			s := NewPollSchedule(rand.New(rand.NewPCG(seed, 1)))
			var ds []time.Duration
			for range 50 {
				d := s.NextBackOff()
				ds = append(ds, d)
				time.Sleep(d)
			}
			return ds
		}
		if got, want := fmt.Sprint(waits(1)), fmt.Sprint(waits(1)); got != want {
			t.Errorf("seed 1 twice: %s, then %s; want the same", got, want)
		}
		if a, b := fmt.Sprint(waits(1)), fmt.Sprint(waits(2)); a == b {
			t.Errorf("seeds 1 and 2 both wait %s; want jitter", a)
		}
	})
}

func TestPollScheduleReset(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		s := NewPollSchedule(rand.New(rand.NewPCG(3, 3)))
		time.Sleep(time.Hour)
		var got time.Duration
		for range 10 { // ×1.5 from 0.9 s reaches the 10 s cap in 6 steps
			got = s.NextBackOff()
			time.Sleep(got)
		}
		if want := time.Duration(float64(MaxPollInterval) * (1 - pollJitter)); got < want {
			t.Fatalf("an hour after the start the wait has grown to %v, want at least %v", got, want)
		}
		s.Reset()
		if got := s.NextBackOff(); got > time.Second {
			t.Errorf("after Reset the wait is %v, want at most 1s", got)
		}
	})
}

// TestPollTargets runs the whole gate in a bubble and checks the targets
// internal/bench's BenchmarkPollSchedule reports: the lag from finish to the
// status request that sees it is at most max(0.9 s, 20 % of T) and at most
// 10 s, and there are at most T/10 s + 15 status requests.
func TestPollTargets(t *testing.T) {
	t.Parallel()
	durations := []time.Duration{
		500 * time.Millisecond, 5 * time.Second, 7 * time.Second, 60 * time.Second, 97 * time.Second,
		600 * time.Second, 1234 * time.Second, 3600 * time.Second,
	}
	for _, T := range durations {
		t.Run("T="+T.String(), func(t *testing.T) {
			t.Parallel()
			maxLag := min(MaxPollInterval, max(MinPollCap, T/5))
			maxRequests := int(T/(10*time.Second)) + 15
			for seed := range uint64(20) {
				lag, requests := simulate(t, T, seed)
				if lag > maxLag || lag < 0 {
					t.Errorf("seed %d: lag %v, want 0..%v", seed, lag, maxLag)
				}
				if requests > maxRequests {
					t.Errorf("seed %d: %d status requests, want at most %d", seed, requests, maxRequests)
				}
			}
		})
	}
}

// TestPollProgress checks the progress lines: one per status change, none
// more than ProgressEvery apart, in the documented format.
func TestPollProgress(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		atT0()
		srv := newFakeServer()
		srv.newPhases = []phase{
			{0, api.StatusPending},
			{20 * time.Second, api.StatusInProgress},
			{7 * time.Minute, "queued"},
			{8 * time.Minute, api.StatusInProgress},
			{9*time.Minute + 30*time.Second, api.StatusSuccess},
		}
		opts, lines := recordLog()
		out := Run(t.Context(), srv, Config{Project: "340", Start: true, WaitTimeout: time.Hour}, opts)
		wantPass(t, out)

		progress := regexp.MustCompile(`^analysis 977: (\w+), (\w+) elapsed$`)
		var (
			statuses []string
			last     time.Time
			unknown  int
		)
		for _, l := range lines() {
			if strings.Contains(l.text, `unknown status "queued"`) {
				unknown++
			}
			m := progress.FindStringSubmatch(l.text)
			if m == nil {
				continue
			}
			if want := l.at.Sub(t0).Round(time.Second).String(); m[2] != want {
				t.Errorf("line %q at %v: elapsed %s, want %s", l.text, l.at.Sub(t0), m[2], want)
			}
			if !last.IsZero() && l.at.Sub(last) > ProgressEvery {
				t.Errorf("progress lines %v apart (until %q), want at most %v", l.at.Sub(last), l.text, ProgressEvery)
			}
			last = l.at
			if len(statuses) == 0 || statuses[len(statuses)-1] != m[1] {
				statuses = append(statuses, m[1])
			}
		}
		if got, want := strings.Join(statuses, " "), "pending in_progress queued in_progress success"; got != want {
			t.Errorf("statuses of the progress lines: %s, want %s", got, want)
		}
		if unknown != 1 {
			t.Errorf("the unknown status was logged %d times, want once", unknown)
		}
		if got, want := out.Analysis.Status, api.StatusSuccess; got != want {
			t.Errorf("final status %s, want %s", got, want)
		}
	})
}
