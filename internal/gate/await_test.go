package gate

import (
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
)

// TestStartFalseWaitsForTheCommit checks that start: false waits for an
// analysis of the build's commit to appear (started by CodeScoring's own
// webhook), ignoring another commit's newer analysis, and labels it as
// attached while running.
func TestStartFalseWaitsForTheCommit(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := newFakeServer()
		start := time.Now()
		srv.analyses[960] = &fakeAnalysis{Analysis: api.Analysis{ID: 960, Project: 340, BranchOrTag: "main", Commit: "0123456789abcdef", StartedAt: start},
			phases: lifecycle(20*time.Second, api.StatusSuccess)}
		srv.order = []int64{960}
		var wg sync.WaitGroup
		wg.Go(func() {
			time.Sleep(2 * time.Minute)
			srv.mu.Lock()
			defer srv.mu.Unlock()
			srv.analyses[961] = &fakeAnalysis{Analysis: api.Analysis{ID: 961, Project: 340, BranchOrTag: "feature/login", Commit: commit, StartedAt: time.Now()},
				phases: lifecycle(30*time.Second, api.StatusSuccess)}
			srv.order = append([]int64{961}, srv.order...)
		})
		cfg := defaultConfig()
		cfg.Start = false
		opts, log := logText(Options{})
		o := Run(t.Context(), srv, cfg, opts)
		wg.Wait()
		if o.Verdict != VerdictPass || o.Analysis == nil || o.Analysis.ID != 961 {
			t.Fatalf("outcome %s, %v, analysis %+v; want a pass on analysis 961", o.Verdict, o.Err, o.Analysis)
		}
		if o.Source != SourceAttached || !o.Attached || !o.Fallback.IsZero() {
			t.Errorf("Source %v, Attached %t, Fallback %q; want attached while running, no fallback", o.Source, o.Attached, o.Fallback)
		}
		if got := time.Since(start); got < 2*time.Minute+30*time.Second || got > 2*time.Minute+30*time.Second+2*MaxPollInterval {
			t.Errorf("decided after %s, want soon after 2m30s", got)
		}
		if len(srv.starts) != 0 {
			t.Errorf("started %d analyses, want none", len(srv.starts))
		}
		for _, want := range []string{
			"start is false: waiting for an analysis of commit 9fceb02d0ae5 to appear in CodeScoring (its webhook or schedule starts it), for up to 30m",
			"still no analysis of commit 9fceb02d0ae5, ",
			"(the newest is 960, of main @ 0123456789ab)",
			"attaching to analysis 961 (feature/login @ 9fceb02d0ae5, in_progress): it is the newest for the same commit (start is false)",
		} {
			if !strings.Contains(log(), want) {
				t.Errorf("log lacks %q:\n%s", want, log())
			}
		}
		if strings.Contains(log(), "attaching to analysis 960") {
			t.Errorf("attached to another commit's analysis:\n%s", log())
		}
	})
}

// TestSource checks how the outcome labels its analysis.
func TestSource(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		setup func(*fakeServer, *Config)
		want  Source
	}{
		{"started by this run", func(*fakeServer, *Config) {}, SourceStarted},
		{"already running for the commit", func(s *fakeServer, _ *Config) {
			s.addAnalysis(950, "feature/login", commit, 10*time.Second, lifecycle(time.Minute, api.StatusSuccess))
		}, SourceAttached},
		{"finished, start false", func(s *fakeServer, c *Config) {
			c.Start = false
			s.addAnalysis(950, "feature/login", commit, time.Hour, lifecycle(time.Minute, api.StatusSuccess))
		}, SourceFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				_, _, o := runFake(testOptions(), tc.setup)
				if o.Verdict != VerdictPass || o.Source != tc.want {
					t.Errorf("verdict %s (%v), Source %q; want pass, %q", o.Verdict, o.Err, o.Source, tc.want)
				}
			})
		})
	}
}
