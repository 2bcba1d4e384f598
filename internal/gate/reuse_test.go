package gate

import (
	"fmt"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
	"github.com/codescoring-gate/codescoring-gate/internal/i18n"
)

// finishedAgo adds a successful analysis of project 340 that took 45 s and
// finished ago before t0.
func finishedAgo(s *fakeServer, id int64, ref, commit string, ago time.Duration, final api.AnalysisStatus) {
	s.addAnalysis(id, ref, commit, 45*time.Second+ago, lifecycle(45*time.Second, final))
}

// succeeded960 scripts analysis 960 of feature/login @ c, a success that
// finished ago before t0.
func succeeded960(c string, ago time.Duration) func(*fakeServer) {
	return func(s *fakeServer) { finishedAgo(s, 960, "feature/login", c, ago, api.StatusSuccess) }
}

func withReuse(d time.Duration) func(*Config) { return func(c *Config) { c.ReuseMaxAge = d } }

// TestRunReuse checks which analysis of the history a run decides on
// instead of starting one: only the newest analysis of the same commit, and
// only a success that finished within reuse-max-age.
func TestRunReuse(t *testing.T) {
	t.Parallel()
	for _, tc := range []runCase{
		{
			name: "a success of the same commit a minute ago is reused",
			cfg:  withReuse(time.Hour),
			setup: func(s *fakeServer) {
				blockingData(s)
				finishedAgo(s, 960, "feature/login", commit, time.Minute, api.StatusSuccess)
			},
			wantVerdict: VerdictFail, wantAnalysis: 960, wantAttached: true, wantStarts: 0,
			check: func(t *testing.T, s *fakeServer, o *Outcome) {
				t.Helper()
				if !o.Reused() || o.Source != SourceReused {
					t.Errorf("Source %v, Reused() %t, want reused", o.Source, o.Reused())
				}
				if got, want := o.ReusedAge, time.Minute; got != want {
					t.Errorf("ReusedAge %v, want %v", got, want)
				}
				// Decided now, on what the server says now.
				if got, want := fmt.Sprint(s.alertsArgs), fmt.Sprint([][2]int64{{340, 960}}); got != want {
					t.Errorf("alerts read for %s, want %s", got, want)
				}
				if got := s.count("Policies"); got != 1 {
					t.Errorf("policies read %d times, want 1", got)
				}
				if got := s.count("GetAnalysis"); got != 0 {
					t.Errorf("%d status requests, want 0", got)
				}
				if o.Elapsed != 0 {
					t.Errorf("Elapsed %v on simulated time, want 0: nothing to wait for", o.Elapsed)
				}
			},
		},
		{
			name:        "reuse-max-age 0 starts one",
			cfg:         withReuse(0),
			setup:       succeeded960(commit, time.Minute),
			wantVerdict: VerdictPass, wantAnalysis: 977, wantStarts: 1,
			check: func(t *testing.T, _ *fakeServer, o *Outcome) {
				t.Helper()
				if o.Reused() || o.Source != SourceStarted {
					t.Errorf("Source %v, want started", o.Source)
				}
			},
		},
		{
			name:        "exactly reuse-max-age ago is still reused",
			cfg:         withReuse(time.Hour),
			setup:       succeeded960(commit, time.Hour),
			wantVerdict: VerdictPass, wantAnalysis: 960, wantAttached: true,
		},
		{
			name:        "older than reuse-max-age starts one",
			cfg:         withReuse(time.Hour),
			setup:       succeeded960(commit, time.Hour+time.Second),
			wantVerdict: VerdictPass, wantAnalysis: 977, wantStarts: 1,
		},
		{
			name:        "the commit matches in any case and with spaces",
			cfg:         func(c *Config) { c.ReuseMaxAge = time.Hour; c.Commit = " " + strings.ToUpper(commit) + " " },
			setup:       succeeded960(commit, time.Minute),
			wantVerdict: VerdictPass, wantAnalysis: 960, wantAttached: true,
		},
		{
			name:        "a fresh success of another commit is not reused",
			cfg:         withReuse(time.Hour),
			setup:       succeeded960("0123456789abcdef", time.Minute),
			wantVerdict: VerdictPass, wantAnalysis: 977, wantStarts: 1,
		},
		{
			name: "a newer failure of the same commit starts one",
			cfg:  withReuse(time.Hour),
			setup: func(s *fakeServer) {
				finishedAgo(s, 960, "feature/login", commit, 5*time.Minute, api.StatusSuccess)
				finishedAgo(s, 961, "feature/login", commit, time.Minute, api.StatusFailed)
			},
			wantVerdict: VerdictPass, wantAnalysis: 977, wantStarts: 1,
		},
		{
			name: "a newer run of the same commit still running is waited for",
			cfg:  withReuse(time.Hour),
			setup: func(s *fakeServer) {
				finishedAgo(s, 960, "feature/login", commit, 5*time.Minute, api.StatusSuccess)
				s.addAnalysis(961, "feature/login", commit, 10*time.Second, lifecycle(20*time.Second, api.StatusSuccess))
			},
			wantVerdict: VerdictPass, wantAnalysis: 961, wantAttached: true,
			check: func(t *testing.T, _ *fakeServer, o *Outcome) {
				t.Helper()
				if o.Source != SourceAttached {
					t.Errorf("Source %v, want attached", o.Source)
				}
			},
		},
		{
			name: "a success without a finish time is not reused",
			cfg:  withReuse(time.Hour),
			setup: func(s *fakeServer) {
				finishedAgo(s, 960, "feature/login", commit, time.Minute, api.StatusSuccess)
				s.analyses[960].noFinishedAt = true
			},
			wantVerdict: VerdictPass, wantAnalysis: 977, wantStarts: 1,
		},
		{
			name:        "without a commit nothing is reused",
			cfg:         func(c *Config) { c.ReuseMaxAge = time.Hour; c.Commit = "" },
			setup:       succeeded960("", time.Minute),
			wantVerdict: VerdictPass, wantAnalysis: 977, wantStarts: 1,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				srv, cfg, got := runFake(testOptions(), func(s *fakeServer, c *Config) { tc.cfg(c); tc.setup(s) })
				checkOutcome(t, tc, srv, cfg, got)
			})
		})
	}
}

// TestRunReuseLog checks the log line of a reuse: which analysis, of which
// commit, how long ago, and that nothing was started.
func TestRunReuseLog(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		opts, log := logText(testOptions())
		if _, _, o := runFake(opts, func(s *fakeServer, c *Config) {
			finishedAgo(s, 960, "feature/login", commit, 12*time.Minute+30*time.Second, api.StatusSuccess)
			c.ReuseMaxAge = time.Hour
		}); o.Verdict != VerdictPass || !o.Reused() {
			t.Fatalf("verdict %s (%v), reused %t, want a pass on the reused analysis", o.Verdict, o.Err, o.Reused())
		}
		want := "reused analysis 960 of " + commit[:12] + ", finished 12 min ago (reuse-max-age 1h): no analysis started"
		if !strings.Contains(log(), want) {
			t.Errorf("log:\n%s\nwant a line with %q", log(), want)
		}
	})
}

func TestAgo(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		d        time.Duration
		want, ru string
	}{
		{0, "just now", "только что"},
		{999 * time.Millisecond, "just now", "только что"},
		{40 * time.Second, "40 s ago", "40 с назад"},
		{12*time.Minute + 59*time.Second, "12 min ago", "12 мин назад"},
		{time.Hour + 30*time.Second, "1 h ago", "1 ч назад"},
		{2*time.Hour + 5*time.Minute, "2 h 5 min ago", "2 ч 5 мин назад"},
	} {
		if got := ago(tc.d).String(); got != tc.want {
			t.Errorf("ago(%v) = %q, want %q", tc.d, got, tc.want)
		}
		if got := ago(tc.d).In(i18n.Russian); got != tc.ru {
			t.Errorf("ago(%v) in Russian = %q, want %q", tc.d, got, tc.ru)
		}
	}
}
