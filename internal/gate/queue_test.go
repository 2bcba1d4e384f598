package gate

import (
	"context"
	"math/rand/v2"
	"regexp"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
)

// call is a Server call at a time of the bubble.
type call struct {
	method string
	at     time.Time
}

// queueServer returns a fake, to be used in a bubble, whose analysis 960 of another commit runs
// from 10 s before t0 for run, refusing starts meanwhile, and which
// records its calls; then, when a history read comes at or after 960's
// end, it calls next once (with the server locked) to start another
// analysis as another job would.
func queueServer(t *testing.T, run time.Duration, next func(s *fakeServer)) (*fakeServer, func() []call) {
	t.Helper()
	srv := newFakeServer()
	srv.addAnalysis(960, "main", "0123456789abcdef", 10*time.Second, lifecycle(run, api.StatusSuccess))
	srv.busy, srv.busyNamesID = true, true
	end := t0.Add(run - 10*time.Second)
	var (
		mu    sync.Mutex
		calls []call
		done  bool
	)
	srv.onCall = func(method string) {
		now := time.Now()
		mu.Lock()
		calls = append(calls, call{method, now})
		fire := next != nil && !done && method == "RecentAnalyses" && !now.Before(end)
		done = done || fire
		mu.Unlock()
		if fire {
			srv.mu.Lock()
			next(srv)
			srv.mu.Unlock()
		}
	}
	return srv, func() []call {
		mu.Lock()
		defer mu.Unlock()
		return append([]call(nil), calls...)
	}
}

// startedNow adds analysis id of commit c to s, started at the current time
// and running for run.
func startedNow(s *fakeServer, id int64, c string, run time.Duration) {
	s.addAnalysis(id, "feature/other", c, time.Until(t0), lifecycle(run, api.StatusSuccess))
}

// TestQueueBehindTheNextAnalysis checks that a gate waiting behind another
// commit's analysis, when another job starts the next one first, waits
// behind that one too without a start request, and that once the project
// is free it waits a jittered moment, reads the history again and only
// then starts.
func TestQueueBehindTheNextAnalysis(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		atT0()
		srv, calls := queueServer(t, 30*time.Second, func(s *fakeServer) { startedNow(s, 961, "fedcba9876543210", 40*time.Second) })
		opts, lines := recordLog()
		opts.Rand = rand.New(rand.NewPCG(1, 2))
		out := Run(context.Background(), srv, defaultConfig(), opts)
		if out.Verdict != VerdictPass || out.Analysis == nil || out.Analysis.ID != 977 {
			t.Fatalf("verdict %s (%v) on %+v, want a pass on its own analysis 977", out.Verdict, out.Err, out.Analysis)
		}
		// The 409 at the start, then one start once 961 finished.
		if got := len(srv.starts); got != 2 {
			t.Errorf("%d start requests, want 2", got)
		}
		if end := srv.analyses[961].finishesAt(); out.Analysis.StartedAt.Before(end) {
			t.Errorf("started at %v, before analysis 961 finished at %v", out.Analysis.StartedAt.Sub(t0), end.Sub(t0))
		}
		var log strings.Builder
		for _, l := range lines() {
			log.WriteString(l.text + "\n")
		}
		for _, want := range []string{
			"analysis 961 of feature/other @ fedcba987654 started meanwhile (for 0s): waiting behind it",
			"analysis 961 of feature/other @ fedcba987654 finished (success): the project is free",
		} {
			if !strings.Contains(log.String(), want) {
				t.Errorf("log:\n%s\nwant a line with %q", log.String(), want)
			}
		}
		// The last start: a history read at the same instant, and the read that
		// saw the project free at most StartJitter before.
		cs := calls()
		var reads []time.Time
		var start time.Time
		for _, c := range cs {
			switch c.method {
			case "RecentAnalyses":
				reads = append(reads, c.at)
			case "StartAnalysis":
				start = c.at
			}
		}
		if len(reads) < 3 {
			t.Fatalf("%d history reads, want at least 3", len(reads))
		}
		last, free := reads[len(reads)-1], reads[len(reads)-2]
		if !last.Equal(start) {
			t.Errorf("the last history read at %v, the start at %v: want a read right before the start", last.Sub(t0), start.Sub(t0))
		}
		if gap := start.Sub(free); gap <= 0 || gap > StartJitter {
			t.Errorf("started %v after the read that saw the project free, want within (0, %v]", gap, StartJitter)
		}
	})
}

// TestQueueAttachesToTheSameCommit checks that a gate waiting behind
// another commit attaches when another job of its own commit starts the
// next analysis.
func TestQueueAttachesToTheSameCommit(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		atT0()
		srv, _ := queueServer(t, 30*time.Second, func(s *fakeServer) { startedNow(s, 962, commit, 40*time.Second) })
		opts, lines := recordLog()
		out := Run(context.Background(), srv, defaultConfig(), opts)
		if out.Verdict != VerdictPass || out.Analysis == nil || out.Analysis.ID != 962 || out.Source != SourceAttached {
			t.Fatalf("verdict %s (%v) on %+v (%v), want a pass on analysis 962, attached", out.Verdict, out.Err, out.Analysis, out.Source)
		}
		if got := len(srv.starts); got != 1 {
			t.Errorf("%d start requests, want only the refused first one", got)
		}
		found := false
		for _, l := range lines() {
			found = found || strings.Contains(l.text, "attaching to analysis 962") && strings.Contains(l.text, "another job of the same commit started it meanwhile")
		}
		if !found {
			t.Errorf("no log line says it attached to 962 started meanwhile: %v", lines())
		}
	})
}

// TestQueueProgressAndLoad checks the progress lines while waiting behind a
// long analysis of another commit (how long it has run, how long analyses
// usually take, when it is expected) and that the gate then reads the
// history at most every 15 s, with no status request.
func TestQueueProgressAndLoad(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		atT0()
		srv, calls := queueServer(t, time.Hour, nil)
		// A success of 6 minutes an hour ago: usually 6m.
		srv.addAnalysis(950, "main", "00000000000000000000", 2*time.Hour, lifecycle(6*time.Minute, api.StatusSuccess))
		srv.order = []int64{960, 950}
		opts, lines := recordLog()
		cfg := defaultConfig()
		cfg.WaitTimeout = 30 * time.Minute
		out := Run(context.Background(), srv, cfg, opts)
		if !strings.Contains(errString(out.Err), "analysis 960 did not finish within 30m") {
			t.Fatalf("Err %v, want the wait-timeout behind analysis 960", out.Err)
		}
		// 960 started at 10:14:50 UTC: expected by 10:20 UTC.
		progress := regexp.MustCompile(`^waiting behind analysis 960 of main @ 0123456789ab: in_progress for \S+, usually 6m \(expected by 10:20 UTC\); \S+ elapsed$`)
		n := 0
		for _, l := range lines() {
			if progress.MatchString(l.text) {
				n++
			}
		}
		if n < int(29*time.Minute/ProgressEvery) {
			t.Errorf("%d progress lines behind analysis 960, want one at least every %v: %v", n, ProgressEvery, lines())
		}
		var reads int
		for _, c := range calls() {
			if c.method == "RecentAnalyses" && c.at.After(t0.Add(time.Minute)) {
				reads++
			}
		}
		if most := int(29*time.Minute/(15*time.Second)) + 1; reads > most {
			t.Errorf("%d history reads after the first minute of 30, want at most %d (one per 15 s)", reads, most)
		}
		if got := srv.count("GetAnalysis"); got != 1 {
			t.Errorf("%d status requests, want 1 (of the analysis the 409 named)", got)
		}
	})
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// TestQueueWakesAtTheETA checks that behind an analysis whose usual
// duration the history tells, the gate reads the history every 30 s until
// it is expected to finish, then right after that, and starts within the
// jitter.
func TestQueueWakesAtTheETA(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		atT0()
		srv, calls := queueServer(t, 6*time.Minute, nil)
		srv.addAnalysis(950, "main", "00000000000000000000", 2*time.Hour, lifecycle(6*time.Minute, api.StatusSuccess))
		srv.order = []int64{960, 950}
		out := Run(context.Background(), srv, defaultConfig(), testOptions())
		if out.Verdict != VerdictPass || out.Analysis == nil || out.Analysis.ID != 977 {
			t.Fatalf("verdict %s (%v) on %+v, want a pass on analysis 977", out.Verdict, out.Err, out.Analysis)
		}
		end := srv.analyses[960].finishesAt()
		if got := out.Analysis.StartedAt.Sub(end); got < etaSlack || got > etaSlack+StartJitter {
			t.Errorf("started %v after analysis 960 finished, want %v to %v", got, etaSlack, etaSlack+StartJitter)
		}
		reads := 0
		for _, c := range calls() {
			if c.method == "RecentAnalyses" && c.at.Before(end) {
				reads++
			}
		}
		if most := int(end.Sub(t0)/behindBeforeETA) + 2; reads > most {
			t.Errorf("%d history reads before analysis 960 finished, want at most %d (one per %v)", reads, most, behindBeforeETA)
		}
	})
}
