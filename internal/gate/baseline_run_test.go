package gate

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
	"github.com/codescoring-gate/codescoring-gate/internal/i18n"
)

// baselineData scripts a head analysis with one existing and one new
// blocking alert, and a baseline analysis 880 of main with the existing one
// and one that the head fixed.
func baselineData(s *fakeServer) {
	s.policies = basePolicies()
	s.alerts = []api.Alert{
		vuln(1, 12, "commons-text", "1.10.0", "CVE-2022-42889"),
		vuln(2, 12, "commons-collections4", "4.0", "CVE-2015-7501"),
	}
	s.baseline = &api.Analysis{ID: 880, Project: 340, Status: api.StatusSuccess, BranchOrTag: "main", Commit: "1b2e3c4d5e6f7a8b"}
	s.baseAlerts = []api.Alert{
		vuln(801, 12, "commons-text", "1.9", "CVE-2022-42889"),
		vuln(802, 12, "commons-fileupload", "1.3", "CVE-2016-1000031"),
	}
}

// onlyExisting leaves the head with the existing alert only.
func onlyExisting(s *fakeServer) {
	baselineData(s)
	s.alerts = s.alerts[:1]
}

// baselineRun runs the gate inside a synctest bubble on the real clock and
// timers (which the bubble fakes), with a fixed jitter, and returns the
// server and the outcome; the log is printed when the test has failed.
func baselineRun(t *testing.T, cfg Config, setup func(*fakeServer)) (srv *fakeServer, got *Outcome) {
	t.Helper()
	var logs []string
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("log:\n%s", strings.Join(logs, "\n"))
		}
	})
	synctest.Test(t, func(t *testing.T) {
		srv = newFakeServer()
		setup(srv)
		opts := Options{Rand: rand.New(rand.NewPCG(1, 2)), Logf: func(f string, args ...any) {
			logs = append(logs, strings.TrimSpace(fmt.Sprintf(f, args...)))
		}}
		got = Run(context.Background(), srv, cfg, opts)
		srv.mu.Lock()
		inflight := srv.inflight
		srv.mu.Unlock()
		if inflight != 0 {
			t.Errorf("%d Server calls still running after Run returned", inflight)
		}
	})
	return srv, got
}

func baselineConfig(blockOn BlockOn) Config {
	cfg := defaultConfig()
	cfg.BaselineRef, cfg.BlockOn = "main", blockOn
	return cfg
}

func TestRunBaseline(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name            string
		blockOn         BlockOn
		setup           func(*fakeServer)
		wantVerdict     Verdict
		wantCounts      [3]int // new blocking, existing blocking, fixed
		wantBlocking    int
		wantBaseline    int64
		wantUnavailable string
		wantRU          string // Unavailable in Russian, when set
	}{
		{name: "new blocks under new", blockOn: BlockOnNew, setup: baselineData,
			wantVerdict: VerdictFail, wantCounts: [3]int{1, 1, 1}, wantBlocking: 1, wantBaseline: 880},
		{name: "all blocks both under all", blockOn: BlockOnAll, setup: baselineData,
			wantVerdict: VerdictFail, wantCounts: [3]int{1, 1, 1}, wantBlocking: 2, wantBaseline: 880},
		{name: "only existing passes under new", blockOn: BlockOnNew, setup: onlyExisting,
			wantVerdict: VerdictPass, wantCounts: [3]int{0, 1, 1}, wantBlocking: 0, wantBaseline: 880},
		{name: "only existing fails under all", blockOn: BlockOnAll, setup: onlyExisting,
			wantVerdict: VerdictFail, wantCounts: [3]int{0, 1, 1}, wantBlocking: 1, wantBaseline: 880},
		{
			name: "no baseline analysis: new fails closed", blockOn: BlockOnNew,
			setup:       func(s *fakeServer) { onlyExisting(s); s.baseline = nil },
			wantVerdict: VerdictFail, wantCounts: [3]int{1, 0, 0}, wantBlocking: 1,
			wantUnavailable: "project 340 has no successful analysis of main in its history",
			wantRU:          "у проекта 340 нет успешного анализа main в истории",
		},
		{
			name: "history unreadable: new fails closed", blockOn: BlockOnNew,
			setup:       func(s *fakeServer) { onlyExisting(s); s.errs["BaselineAnalysis"] = errBoom },
			wantVerdict: VerdictFail, wantCounts: [3]int{1, 0, 0}, wantBlocking: 1,
			wantUnavailable: "the history of project 340 could not be read: boom",
			wantRU:          "историю проекта 340 не удалось прочитать: boom",
		},
		{
			name: "baseline alerts unreadable: new fails closed", blockOn: BlockOnNew,
			setup:       func(s *fakeServer) { onlyExisting(s); s.errs["BaselineAlerts"] = errBoom },
			wantVerdict: VerdictFail, wantCounts: [3]int{1, 0, 0}, wantBlocking: 1,
			wantUnavailable: "the alerts of baseline analysis 880 could not be read: boom",
			wantRU:          "алерты анализа базы сравнения 880 не удалось прочитать: boom",
		},
		{
			name: "a panicking baseline read fails closed", blockOn: BlockOnNew,
			setup:       func(s *fakeServer) { onlyExisting(s); s.panics["BaselineAlerts"] = true },
			wantVerdict: VerdictFail, wantCounts: [3]int{1, 0, 0}, wantBlocking: 1,
			wantUnavailable: "internal error: fake BaselineAlerts panics",
		},
		{
			name: "the head analysis is not its own baseline", blockOn: BlockOnNew,
			setup: func(s *fakeServer) {
				onlyExisting(s)
				s.baseline.ID = 977 // its alerts are the base's two
			},
			wantVerdict: VerdictFail, wantCounts: [3]int{2, 0, 0}, wantBlocking: 2,
			wantUnavailable: "the newest successful analysis of main is analysis 977, the one being gated",
			wantRU:          "последний успешный анализ main — анализ 977, тот самый, что проверяется",
		},
		{
			name: "a pass stays a pass without a baseline", blockOn: BlockOnNew,
			setup:       func(s *fakeServer) { s.errs["BaselineAnalysis"] = errBoom },
			wantVerdict: VerdictPass, wantUnavailable: "could not be read: boom",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := baselineConfig(tc.blockOn)
			_, got := baselineRun(t, cfg, tc.setup)
			{
				if got.Verdict != tc.wantVerdict {
					t.Errorf("verdict %s (%v), want %s", got.Verdict, got.Err, tc.wantVerdict)
				}
				if got.Err != nil || got.Decision == nil {
					t.Fatalf("Err %v, Decision %v: want a decision", got.Err, got.Decision)
				}
				n, e, f := got.Decision.BaselineCounts()
				if gotCounts := [3]int{n, e, f}; gotCounts != tc.wantCounts {
					t.Errorf("BaselineCounts %v, want %v", gotCounts, tc.wantCounts)
				}
				if b, _, _ := got.Counts(); b != tc.wantBlocking {
					t.Errorf("%d blocking, want %d", b, tc.wantBlocking)
				}
				b := got.Baseline
				if b == nil || b.Ref != "main" {
					t.Fatalf("Baseline %+v, want one for main", b)
				}
				var gotID int64
				if b.Analysis != nil {
					gotID = b.Analysis.ID
				}
				if gotID != tc.wantBaseline || !strings.Contains(b.Unavailable.String(), tc.wantUnavailable) || (tc.wantUnavailable == "") != b.Unavailable.IsZero() {
					t.Errorf("baseline analysis %d, unavailable %q; want %d, %q", gotID, b.Unavailable, tc.wantBaseline, tc.wantUnavailable)
				}
				if ru := b.Unavailable.In(i18n.Russian); tc.wantRU != "" && ru != tc.wantRU {
					t.Errorf("unavailable in Russian %q, want %q", ru, tc.wantRU)
				}
				if got.Decision.Compared != (tc.wantBaseline != 0) {
					t.Errorf("Compared %t with baseline %d", got.Decision.Compared, tc.wantBaseline)
				}
			}
		})
	}
}

// TestRunBaselineDuringWait checks that the baseline is read while the head
// analysis runs, so it adds no time: the run takes exactly as long as without
// a baseline.
func TestRunBaselineDuringWait(t *testing.T) {
	t.Parallel()
	var elapsed [2]time.Duration
	var baseAt time.Duration
	for i, ref := range []string{"", "main"} {
		cfg := baselineConfig(BlockOnNew)
		cfg.BaselineRef = ref
		srv, got := baselineRun(t, cfg, func(s *fakeServer) {
			baselineData(s)
			start := time.Now()
			s.onCall = func(method string) {
				if method == "BaselineAlerts" {
					baseAt = time.Since(start)
				}
			}
		})
		elapsed[i] = got.Elapsed
		if want := map[string]int{"": 0, "main": 1}[ref]; srv.count("BaselineAlerts") != want {
			t.Errorf("baseline ref %q: %d baseline alert reads, want %d", ref, srv.count("BaselineAlerts"), want)
		}
	}
	if elapsed[0] != elapsed[1] || elapsed[0] < 45*time.Second {
		t.Errorf("run took %v without a baseline and %v with one: want the same, at least the 45 s analysis", elapsed[0], elapsed[1])
	}
	if baseAt >= 45*time.Second {
		t.Errorf("baseline alerts read %v after the start, want before the head analysis finished (45 s)", baseAt)
	}
}

// TestRunBaselineHangs checks that a baseline read that hangs past the head
// decision ends at the wait-timeout without making the verdict an error, and
// that a head failure stops the read at once.
func TestRunBaselineHangs(t *testing.T) {
	t.Parallel()
	cfg := baselineConfig(BlockOnNew)
	cfg.WaitTimeout = 10 * time.Minute
	_, got := baselineRun(t, cfg, func(s *fakeServer) { onlyExisting(s); s.hang["BaselineAlerts"] = true })
	if got.Verdict != VerdictFail || got.Baseline == nil || got.Baseline.Analysis != nil ||
		got.Baseline.Unavailable.String() != "it was not read before the run ended (wait-timeout or cancel)" {
		t.Errorf("verdict %s (%v), baseline %+v: want fail, baseline unavailable", got.Verdict, got.Err, got.Baseline)
	}
	if got.Elapsed != cfg.WaitTimeout {
		t.Errorf("Elapsed %v, want the wait-timeout %v", got.Elapsed, cfg.WaitTimeout)
	}
	_, got = baselineRun(t, cfg, func(s *fakeServer) {
		onlyExisting(s)
		s.hang["BaselineAlerts"] = true
		s.newPhases = lifecycle(45*time.Second, api.StatusFailed)
	})
	if got.Verdict != VerdictError || got.Elapsed >= time.Minute {
		t.Errorf("verdict %s after %v, want error as soon as the analysis failed", got.Verdict, got.Elapsed)
	}
}

// TestRunBaselineNotAsked checks that without a baseline ref nothing is read
// and the outcome has no baseline.
func TestRunBaselineNotAsked(t *testing.T) {
	t.Parallel()
	cfg := defaultConfig()
	cfg.BlockOn = BlockOnNew
	srv, got := baselineRun(t, cfg, baselineData)
	if got.Baseline != nil || srv.count("BaselineAnalysis") != 0 {
		t.Errorf("Baseline %+v after %d lookups, want none", got.Baseline, srv.count("BaselineAnalysis"))
	}
	n, e, f := got.Decision.BaselineCounts()
	if diff := cmp.Diff([3]int{2, 0, 0}, [3]int{n, e, f}); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
}
