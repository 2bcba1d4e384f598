package gate

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
	"github.com/codescoring-gate/codescoring-gate/internal/i18n"
)

func TestUsualDuration(t *testing.T) {
	t.Parallel()
	at := func(id int64, status api.AnalysisStatus, d time.Duration) api.Analysis {
		a := api.Analysis{ID: id, Status: status, StartedAt: t0}
		if d != 0 {
			a.FinishedAt = t0.Add(d)
		}
		return a
	}
	for _, tc := range []struct {
		name   string
		recent []api.Analysis
		want   time.Duration
	}{
		{"none", nil, 0},
		{"only running", []api.Analysis{at(1, api.StatusInProgress, 0)}, 0},
		{"one success", []api.Analysis{at(1, api.StatusSuccess, 6*time.Minute)}, 6 * time.Minute},
		{"median of three, failures left out", []api.Analysis{
			at(1, api.StatusSuccess, 7*time.Minute), at(2, api.StatusFailed, 10*time.Second),
			at(3, api.StatusSuccess, 5*time.Minute), at(4, api.StatusSuccess, 6*time.Minute),
		}, 6 * time.Minute},
		{"even count: the upper one", []api.Analysis{
			at(1, api.StatusSuccess, 4*time.Minute), at(2, api.StatusSuccess, 2*time.Minute),
		}, 4 * time.Minute},
		{"without times or negative", []api.Analysis{
			{ID: 1, Status: api.StatusSuccess}, at(2, api.StatusSuccess, -time.Minute),
		}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := UsualDuration(tc.recent); got != tc.want {
				t.Errorf("UsualDuration = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestUsualText(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{44*time.Second + 600*time.Millisecond, "45s"},
		{5*time.Minute + 34*time.Second, "5m30s"},
		{6*time.Minute + 2*time.Second, "6m"},
		{12*time.Minute + 40*time.Second, "13m"},
		{65 * time.Minute, "1h5m"},
	} {
		if got := usualText(tc.d); got != tc.want {
			t.Errorf("usualText(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}

// logLine is a log line with the bubble's time it was written at.
type logLine struct {
	at   time.Time
	text string
}

// recordLog returns Options that log into the returned func's lines.
func recordLog() (Options, func() []logLine) {
	var (
		mu    sync.Mutex
		lines []logLine
	)
	opts := testOptions()
	opts.Logf = func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		lines = append(lines, logLine{time.Now(), fmt.Sprintf(format, args...)})
	}
	return opts, func() []logLine {
		mu.Lock()
		defer mu.Unlock()
		return append([]logLine(nil), lines...)
	}
}

// usuallySixMinutes scripts a project whose recent successes took 5, 7 and
// 6 minutes (usually 6m) and whose new analysis succeeds after run.
func usuallySixMinutes(run time.Duration) func(*fakeServer, *Config) {
	return func(s *fakeServer, _ *Config) {
		for i, d := range []time.Duration{5 * time.Minute, 7 * time.Minute, 6 * time.Minute} {
			s.addAnalysis(int64(950+i), "main", fmt.Sprintf("%040d", i), time.Duration(3-i)*time.Hour, lifecycle(d, api.StatusSuccess))
		}
		s.newPhases = lifecycle(run, api.StatusSuccess)
	}
}

// TestProgressETA checks that the progress lines of an analysis say how
// long the project's analyses usually take (the median of its recent
// successes) and when this one is expected, and that a run of three times
// that is said once.
func TestProgressETA(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		opts, lines := recordLog()
		_, _, out := runFake(opts, usuallySixMinutes(20*time.Minute))
		wantPass(t, out)
		// Started at t0 (10:15 UTC): expected by 10:21 UTC.
		progress := regexp.MustCompile(`^analysis 977: in_progress, (\S+) elapsed, usually 6m \(expected by 10:21 UTC\)$`)
		var progressLines, slow int
		for _, l := range lines() {
			if progress.MatchString(l.text) {
				progressLines++
			}
			if strings.Contains(l.text, "taking 3× longer than usual") {
				slow++
				if want := "analysis 977 is taking 3× longer than usual (18m so far, usually 6m)"; !strings.HasPrefix(l.text, want) {
					t.Errorf("line %q, want it to start with %q", l.text, want)
				}
				if l.at.Before(t0.Add(18*time.Minute)) || l.at.After(t0.Add(18*time.Minute+MaxPollInterval)) {
					t.Errorf("said at %v, want within a poll of 18m", l.at.Sub(t0))
				}
			}
			if strings.HasPrefix(l.text, "analysis 977: success") && strings.Contains(l.text, "usually") {
				t.Errorf("the final line %q has an ETA", l.text)
			}
		}
		if progressLines < int(20*time.Minute/ProgressEvery) {
			t.Errorf("%d progress lines with the ETA, want at least one per %v of 20m", progressLines, ProgressEvery)
		}
		if slow != 1 {
			t.Errorf("said %d times that it takes longer than usual, want once", slow)
		}
	})
}

// TestProgressWithoutHistory checks that without a successful analysis in
// the history the progress lines say no ETA and nothing is slow.
func TestProgressWithoutHistory(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		opts, lines := recordLog()
		_, _, out := runFake(opts, func(s *fakeServer, _ *Config) {
			s.addAnalysis(950, "main", "0123456789abcdef", time.Hour, lifecycle(time.Minute, api.StatusFailed))
			s.newPhases = lifecycle(10*time.Minute, api.StatusSuccess)
		})
		wantPass(t, out)
		for _, l := range lines() {
			if strings.Contains(l.text, "usually") || strings.Contains(l.text, "longer than usual") {
				t.Errorf("line %q says an ETA without any successful analysis in the history", l.text)
			}
		}
	})
}

// TestETAPoll checks that an analysis that takes as long as usual is seen
// within etaSlack of its finish, whatever the poll schedule says.
func TestETAPoll(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		_, _, out := runFake(testOptions(), func(s *fakeServer, _ *Config) {
			s.addAnalysis(950, "main", "0123456789abcdef", time.Hour, lifecycle(6*time.Minute, api.StatusSuccess))
			s.newPhases = lifecycle(6*time.Minute, api.StatusSuccess)
		})
		wantPass(t, out)
		if lo, hi := 6*time.Minute, 6*time.Minute+etaSlack; out.Elapsed < lo || out.Elapsed > hi {
			t.Errorf("Elapsed %v, want %v to %v: a status request right after the expected finish", out.Elapsed, lo, hi)
		}
	})
}

// With the audience's language ru, the ETA the gate composes into the
// progress line is Russian (the line's own words are app's to translate).
func TestProgressETAInRussian(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		opts, lines := recordLog()
		opts.Audience.Lang = i18n.Russian
		_, _, out := runFake(opts, usuallySixMinutes(8*time.Minute))
		wantPass(t, out)
		progress := regexp.MustCompile(`^analysis 977: in_progress, (\S+) elapsed, обычно 6m \(ожидается к 10:21 UTC\)$`)
		n := 0
		for _, l := range lines() {
			if progress.MatchString(l.text) {
				n++
			}
			if strings.Contains(l.text, "usually") || strings.Contains(l.text, "expected by") {
				t.Errorf("line %q has the English ETA", l.text)
			}
		}
		if n == 0 {
			t.Error("no progress line with the Russian ETA")
		}
	})
}
