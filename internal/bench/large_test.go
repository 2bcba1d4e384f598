package bench

import (
	"context"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
	"github.com/codescoring-gate/codescoring-gate/internal/gate"
	"github.com/codescoring-gate/codescoring-gate/internal/githubpr"
	"github.com/codescoring-gate/codescoring-gate/internal/report"
	"github.com/codescoring-gate/codescoring-gate/internal/simulator"
)

// The large alert set: 10 000 alerts, 100 pages of 100, each alerts page
// answered 20 ms late.
const (
	largeAlerts = 10000
	largeDelay  = 20 * time.Millisecond
)

// largeServer serves LargeScenario(n) with instant analyses, every alerts
// page delayed by delay, behind a counter of the alerts requests in flight.
func largeServer(tb testing.TB, n int, delay time.Duration) (*inFlight, string) {
	tb.Helper()
	return largeServerFor(tb, simulator.LargeScenario(n), delay)
}

// largeServerFor is largeServer of the scenario sc.
func largeServerFor(tb testing.TB, sc simulator.Scenario, delay time.Duration) (*inFlight, string) {
	tb.Helper()
	for i := range sc.Projects {
		sc.Projects[i].Lifecycle = simulator.Lifecycle{}
	}
	sim := simulator.New(simulator.Options{Scenario: sc, Token: benchToken})
	counter := &inFlight{next: slow{next: sim, prefix: pathAlerts, delay: delay}, prefix: pathAlerts}
	srv := httptest.NewServer(counter)
	tb.Cleanup(srv.Close)
	return counter, srv.URL
}

// slow is middleware that answers the requests under a path prefix delay
// late, or not at all when the client gives up meanwhile.
type slow struct {
	next   http.Handler
	prefix string
	delay  time.Duration
}

func (s slow) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, s.prefix) {
		t := time.NewTimer(s.delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return
		}
	}
	s.next.ServeHTTP(w, r)
}

// largeResult is what one fetch-decide-render of the large set produced.
type largeResult struct {
	out              *gate.Outcome
	comment, summary string
	render           time.Duration // of the comment and the summary
}

// fetchDecideRender runs the gate against the server (it starts an
// analysis that finishes at once, reads the policies and every alert page,
// decides) and renders the PR comment and the job summary.
func fetchDecideRender(tb testing.TB, client *api.Client) largeResult {
	tb.Helper()
	return fetchDecideRenderCfg(tb, client, gate.Config{Project: "340", Ref: "main", Commit: headSHA, Mode: gate.ModeEnforce, Start: true, WaitTimeout: time.Minute})
}

// fetchDecideRenderCfg is fetchDecideRender with the gate's cfg.
func fetchDecideRenderCfg(tb testing.TB, client *api.Client, cfg gate.Config) largeResult {
	tb.Helper()
	out := gate.Run(context.Background(), client, cfg, gate.Options{})
	if out.Decision == nil {
		tb.Fatalf("verdict %s (%v), want a decision", out.Verdict, out.Err)
	}
	marker := githubpr.Marker{ProjectID: 340, Workflow: "security", Job: "gate", HeadSHA: headSHA}
	start := time.Now()
	res := largeResult{
		out:     out,
		comment: report.Comment(out, report.CommentOptions{Version: "bench", Marker: marker.String(), SummaryURL: "https://github.com/acme/app/actions/runs/1"}),
		summary: report.Summary(out, report.SummaryOptions{Version: "bench"}),
	}
	res.render = time.Since(start)
	return res
}

// findings counts every alert of a decision (not the baseline's fixed ones).
func findings(d *gate.Decision) int {
	return len(d.Blocking) + len(d.Upcoming) + len(d.Warnings) + len(d.Ignored) + len(d.Resolved) + len(d.AlreadyOnBase)
}

// BenchmarkLargeAlertSet fetches 10 000 alerts over 100 pages, each answered
// 20 ms late, decides and renders the comment and the summary. It reports
// wall_ms (the worst run; target < 1 s, where fetching the pages one after
// another would take ≥ 2 s) and the render_ms part of it, peak_heap_mb (the most heap in use of the whole
// process, simulator included, sampled every millisecond; target < 64 MiB),
// alloc_mb (bytes allocated per run) and max_in_flight (the most alerts
// requests the simulator answered at once; the client's bound is 4).
func BenchmarkLargeAlertSet(b *testing.B) {
	benchmarkLarge(b, simulator.LargeScenario(largeAlerts),
		gate.Config{Project: "340", Ref: "main", Commit: headSHA, Mode: gate.ModeEnforce, Start: true, WaitTimeout: time.Minute})
}

// benchmarkLarge is BenchmarkLargeAlertSet on sc with the gate's cfg.
func benchmarkLarge(b *testing.B, sc simulator.Scenario, cfg gate.Config) {
	b.Helper()
	counter, url := largeServerFor(b, sc, largeDelay)
	client, err := api.NewClient(url, benchToken)
	if err != nil {
		b.Fatalf("new client: %v", err)
	}
	var (
		wall, render time.Duration
		peak, mem    uint64
		most         int
	)
	for b.Loop() {
		runtime.GC()
		counter.reset()
		sampler := startHeapSampler(time.Millisecond)
		start := time.Now()
		res := fetchDecideRenderCfg(b, client, cfg)
		elapsed := time.Since(start)
		p, allocated := sampler.Stop()

		if got := findings(res.out.Decision); got != largeAlerts {
			b.Fatalf("decided %d alerts, want %d", got, largeAlerts)
		}
		if len(res.comment) > report.DefaultCommentMaxLen || len(res.summary) > report.DefaultSummaryMaxLen {
			b.Fatalf("comment %d bytes, summary %d bytes: over GitHub's limits", len(res.comment), len(res.summary))
		}
		m, _ := counter.peak()
		wall, render = max(wall, elapsed), max(render, res.render)
		peak, mem, most = max(peak, p), max(mem, allocated), max(most, m)
	}
	b.ReportMetric(float64(wall.Milliseconds()), "wall_ms")
	b.ReportMetric(float64(render.Milliseconds()), "render_ms")
	b.ReportMetric(float64(peak)/mib, "peak_heap_mb")
	b.ReportMetric(float64(mem)/mib, "alloc_mb")
	b.ReportMetric(float64(most), "max_in_flight")
}

// TestLargeAlertSet checks what the benchmark relies on, on a smaller set:
// every alert is fetched and decided, one request per page, never more
// than the client's 4 pages in flight, and the reports stay within
// GitHub's limits.
func TestLargeAlertSet(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		alerts    int
		wantPages int
	}{
		{"one page", 80, 1},
		{"pages fetched concurrently", 2500, 25},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			counter, url := largeServer(t, tc.alerts, time.Millisecond)
			client, err := api.NewClient(url, benchToken)
			if err != nil {
				t.Fatalf("new client: %v", err)
			}
			res := fetchDecideRender(t, client)
			if got := findings(res.out.Decision); got != tc.alerts {
				t.Errorf("decided %d alerts, want %d", got, tc.alerts)
			}
			most, total := counter.peak()
			if total != tc.wantPages {
				t.Errorf("%d alerts requests, want %d (one per page)", total, tc.wantPages)
			}
			if most < 1 || most > 4 {
				t.Errorf("%d alerts requests in flight at most, want 1..4", most)
			}
			if len(res.comment) > report.DefaultCommentMaxLen {
				t.Errorf("comment of %d bytes, want at most %d", len(res.comment), report.DefaultCommentMaxLen)
			}
			if len(res.summary) > report.DefaultSummaryMaxLen {
				t.Errorf("summary of %d bytes, want at most %d", len(res.summary), report.DefaultSummaryMaxLen)
			}
		})
	}
}
