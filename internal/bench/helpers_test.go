package bench

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"runtime"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
	"github.com/codescoring-gate/codescoring-gate/internal/runnertest"
	"github.com/codescoring-gate/codescoring-gate/internal/simulator"
	"github.com/codescoring-gate/codescoring-gate/internal/testnet"
)

// benchToken is the CodeScoring token of every run here. It must never show
// in a failure message: failures print output through hideToken.
const benchToken = "bench-cs-token-7c41e9"

// headSHA is the commit every run analyses: the pull request's head of the
// runs on a pull_request event.
const headSHA = runnertest.HeadSHA

// simURL is the base URL of a simulator reached through testnet.Memory: no
// name is resolved and no socket opened.
const simURL = "http://" + simHost + "/"

// simHost is the host of simURL.
const simHost = "codescoring.bench"

// The paths below the simulator's prefix that the measurements count.
const (
	pathStart  = "/api/analyses/projects/sca/start/"
	pathAlerts = "/api/sca/policy_alerts/"
	// pathHistory is the analysis list; an analysis is below it.
	pathHistory = "/api/analyses/projects/history/"
)

// analysisPath is the status request path of analysis id.
func analysisPath(id int64) string {
	return pathHistory + strconv.FormatInt(id, 10) + "/"
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

// newSim returns the simulator of opts (the bench token unless opts names
// one) behind a recorder of its requests. It serves on the clock of the
// goroutine that calls it: inside a synctest bubble, the bubble's.
func newSim(tb testing.TB, opts simulator.Options) *recorder {
	tb.Helper()
	if opts.Token == "" && opts.Tokens == nil {
		opts.Token = benchToken
	}
	sim := simulator.New(opts)
	tb.Cleanup(func() { sim.Close() })
	return &recorder{next: sim}
}

// serveSim serves the simulator of opts, behind a recorder of its
// requests, on 127.0.0.1 until the test ends, for the measurements on the
// real clock, and returns the recorder and the base URL.
func serveSim(tb testing.TB, opts simulator.Options) (*recorder, string) {
	tb.Helper()
	rec := newSim(tb, opts)
	srv := httptest.NewServer(rec)
	// Cleanups run last first: the simulator releases what it holds, then
	// the server stops.
	tb.Cleanup(srv.Close)
	return rec, srv.URL + "/"
}

// memoryClient returns an API client of the bench token that reaches h
// through testnet.Memory, as tests inside a synctest bubble must.
func memoryClient(tb testing.TB, h http.Handler) *api.Client {
	tb.Helper()
	client, err := api.NewClient(simURL, benchToken, api.WithTransport(testnet.Memory(h)))
	if err != nil {
		tb.Fatalf("new client: %v", err)
	}
	return client
}

// request is the record of one request the simulator answered.
type request struct {
	method, path string
	at           time.Time // when it arrived
	status       int       // the status answered
	// finished is true for a status request (GET of one analysis) answered
	// with an analysis that has finished.
	finished bool
}

// recorder is middleware that records every request it passes on, with
// the time it arrived (the simulator reads the time once per request, when
// it arrives) and what it answered.
type recorder struct {
	next http.Handler

	mu   sync.Mutex
	reqs []request
}

func (rc *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rq := request{method: r.Method, path: r.URL.Path, at: time.Now()}
	rw := &recordingWriter{ResponseWriter: w, status: http.StatusOK}
	// Only a status request's body is kept: whether it said finished.
	rw.keep = r.Method == http.MethodGet && strings.HasPrefix(rq.path, pathHistory) && rq.path != pathHistory
	rc.next.ServeHTTP(rw, r)
	rq.status = rw.status
	if rw.keep && rw.status == http.StatusOK {
		var a struct {
			Status string `json:"status"`
		}
		rq.finished = json.Unmarshal(rw.body.Bytes(), &a) == nil && api.AnalysisStatus(a.Status).Finished()
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.reqs = append(rc.reqs, rq)
}

// requests returns the records so far, in the order they were answered.
func (rc *recorder) requests() []request {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return slices.Clone(rc.reqs)
}

// reset forgets the records.
func (rc *recorder) reset() {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.reqs = nil
}

// recordingWriter keeps the status and, when keep is set, the body written.
type recordingWriter struct {
	http.ResponseWriter
	status      int
	wroteHeader bool
	keep        bool
	body        bytes.Buffer
}

func (w *recordingWriter) WriteHeader(code int) {
	if !w.wroteHeader {
		w.status, w.wroteHeader = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *recordingWriter) Write(b []byte) (int, error) {
	w.wroteHeader = true
	if w.keep {
		w.body.Write(b)
	}
	return w.ResponseWriter.Write(b)
}

func (w *recordingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// seenLag returns how long after finish the first status request of the
// analysis at path arrived that was answered with the analysis finished,
// and how many status requests of it there were. seen is false when none
// saw it finished.
func seenLag(reqs []request, path string, finish time.Time) (lag time.Duration, requests int, seen bool) {
	for _, r := range reqs {
		if r.method != http.MethodGet || r.path != path {
			continue
		}
		requests++
		if !seen && r.finished {
			lag, seen = r.at.Sub(finish), true
		}
	}
	return lag, requests, seen
}

// startedAt returns when the simulator received the request that started
// an analysis; false when there was none.
func startedAt(reqs []request) (time.Time, bool) {
	for _, r := range reqs {
		if r.method == http.MethodPost && r.path == pathStart && (r.status == http.StatusCreated || r.status == http.StatusAccepted) {
			return r.at, true
		}
	}
	return time.Time{}, false
}

// count returns how many of reqs had method and a path starting with
// prefix.
func count(reqs []request, method, prefix string) int {
	n := 0
	for _, r := range reqs {
		if r.method == method && strings.HasPrefix(r.path, prefix) {
			n++
		}
	}
	return n
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
