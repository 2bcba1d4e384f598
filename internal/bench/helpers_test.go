package bench

import (
	"net/http"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/runnertest"
	"github.com/codescoring-gate/codescoring-gate/internal/simulator"
)

// benchToken is the CodeScoring token of every run here. It must never show
// in a failure message: failures print output through hideToken.
const benchToken = "bench-cs-token-7c41e9"

// t0 is when every run on simulated time starts.
var t0 = time.Date(2026, 11, 26, 10, 15, 0, 0, time.UTC)

// headSHA is the commit every run analyses: the pull request's head of the
// runs on a pull_request event.
const headSHA = runnertest.HeadSHA

// The paths below the simulator's prefix that the measurements count.
const (
	pathStart  = "/api/analyses/projects/sca/start/"
	pathAlerts = "/api/sca/policy_alerts/"
)

// analysisPath is the status request path of analysis id.
func analysisPath(id int64) string {
	return "/api/analyses/projects/history/" + strconv.FormatInt(id, 10) + "/"
}

// hideToken removes the token from text a failure message shows.
func hideToken(s string) string { return strings.ReplaceAll(s, benchToken, "***") }

// demoWithLifecycle returns the demo scenario whose analyses run as life.
func demoWithLifecycle(life simulator.Lifecycle) simulator.Scenario {
	sc := simulator.DemoScenario()
	for i := range sc.Projects {
		sc.Projects[i].Lifecycle = life
	}
	return sc
}

// startSim serves opts on 127.0.0.1 until the test ends and returns the
// server and its base URL (ending in "/").
func startSim(tb testing.TB, opts simulator.Options) (*simulator.Server, string) {
	tb.Helper()
	if opts.Token == "" && opts.Tokens == nil {
		opts.Token = benchToken
	}
	sim := simulator.New(opts)
	base, err := sim.Start("127.0.0.1:0")
	if err != nil {
		tb.Fatalf("start simulator: %v", err)
	}
	tb.Cleanup(func() { sim.Close() })
	return sim, base
}

// seenLag returns how long after finish the first status request of the
// analysis at path arrived that saw it finished (the first one at or after
// finish: the simulator reads the time once per request), and how many
// status requests there were. seen is false when none saw it finished.
func seenLag(reqs []simulator.Request, path string, finish time.Time) (lag time.Duration, requests int, seen bool) {
	for _, r := range reqs {
		if r.Method != http.MethodGet || r.Path != path {
			continue
		}
		requests++
		if !seen && !r.Time.Before(finish) && r.Status == http.StatusOK {
			lag, seen = r.Time.Sub(finish), true
		}
	}
	return lag, requests, seen
}

// startedAt returns when the simulator received the request that started
// an analysis; false when there was none.
func startedAt(reqs []simulator.Request) (time.Time, bool) {
	for _, r := range reqs {
		if r.Method == http.MethodPost && r.Path == pathStart && (r.Status == http.StatusCreated || r.Status == http.StatusAccepted) {
			return r.Time, true
		}
	}
	return time.Time{}, false
}

// inFlight is middleware that counts the requests under a path prefix that
// are being answered at once, and the most at any time.
type inFlight struct {
	next   http.Handler
	prefix string

	mu       sync.Mutex
	cur, max int
	total    int
}

func (f *inFlight) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.URL.Path, f.prefix) {
		f.next.ServeHTTP(w, r)
		return
	}
	f.mu.Lock()
	f.cur++
	f.total++
	f.max = max(f.max, f.cur)
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		f.cur--
		f.mu.Unlock()
	}()
	f.next.ServeHTTP(w, r)
}

// peak returns the most requests answered at once and how many there were
// since the last reset.
func (f *inFlight) peak() (most, total int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.max, f.total
}

func (f *inFlight) reset() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.max, f.total = f.cur, 0
}

// heapSampler records the peak heap in use (MemStats.HeapInuse: live and
// not yet swept objects plus the unused part of their spans) while it runs.
// It reads runtime/metrics, which does not stop the world, so sampling
// every millisecond barely slows what it measures.
type heapSampler struct {
	stop, done chan struct{}
	samples    []metrics.Sample
	peak       uint64
	allocs0    uint64
	allocs     uint64
}

func startHeapSampler(every time.Duration) *heapSampler {
	s := &heapSampler{
		stop: make(chan struct{}),
		done: make(chan struct{}),
		samples: []metrics.Sample{
			{Name: "/memory/classes/heap/objects:bytes"},
			{Name: "/memory/classes/heap/unused:bytes"},
			{Name: "/gc/heap/allocs:bytes"},
		},
	}
	s.read()
	s.allocs0 = s.allocs
	go func() {
		defer close(s.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				s.read()
			case <-s.stop:
				s.read()
				return
			}
		}
	}()
	return s
}

func (s *heapSampler) read() {
	metrics.Read(s.samples)
	s.peak = max(s.peak, s.samples[0].Value.Uint64()+s.samples[1].Value.Uint64())
	s.allocs = s.samples[2].Value.Uint64()
}

// Stop ends the sampling and returns the peak heap in use and the bytes
// allocated meanwhile.
func (s *heapSampler) Stop() (peak, allocated uint64) {
	close(s.stop)
	<-s.done
	return s.peak, s.allocs - s.allocs0
}

const mib = 1 << 20

// TestHeapSampler is not parallel: it runs while the parallel tests wait, so
// their garbage cannot raise the peaks it measures.
func TestHeapSampler(t *testing.T) {
	for _, tc := range []struct {
		name string
		size int
	}{
		{"16 MiB", 16 * mib},
		{"48 MiB", 48 * mib},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Sequential: the sizes would add up.
			runtime.GC()
			s := startHeapSampler(time.Millisecond)
			buf := make([]byte, tc.size)
			for i := 0; i < len(buf); i += 4096 {
				buf[i] = 1
			}
			peak, allocated := s.Stop()
			runtime.KeepAlive(buf)
			if peak < uint64(tc.size) {
				t.Errorf("peak heap %d MiB with %d MiB live, want at least that", peak/mib, tc.size/mib)
			}
			if allocated < uint64(tc.size) {
				t.Errorf("allocated %d MiB after allocating %d MiB, want at least that", allocated/mib, tc.size/mib)
			}
		})
	}
}

func TestInFlight(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		path      string
		at        int // requests held at once
		wantMost  int
		wantTotal int
	}{
		{"counted path", "/api/sca/policy_alerts/", 3, 3, 3},
		{"other path", "/api/policies/", 3, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			release := make(chan struct{})
			entered := make(chan struct{}, tc.at)
			f := &inFlight{prefix: pathAlerts, next: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				entered <- struct{}{}
				<-release
			})}
			var wg sync.WaitGroup
			for range tc.at {
				wg.Go(func() {
					req, _ := http.NewRequest(http.MethodGet, "http://sim"+tc.path, nil)
					f.ServeHTTP(nil, req)
				})
			}
			for range tc.at {
				<-entered // all held at once
			}
			close(release)
			wg.Wait()
			most, total := f.peak()
			if most != tc.wantMost || total != tc.wantTotal {
				t.Errorf("peak() = %d at once of %d, want %d of %d", most, total, tc.wantMost, tc.wantTotal)
			}
			f.reset()
			if most, total := f.peak(); most != 0 || total != 0 {
				t.Errorf("after reset peak() = %d of %d, want 0 of 0", most, total)
			}
		})
	}
}
