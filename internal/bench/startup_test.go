package bench

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/simulator"
)

// startupRuns is how many times one iteration of BenchmarkStartup starts
// the binary; it reports the median.
const startupRuns = 21

// mainPackage is the import path of the codescoring-gate command.
const mainPackage = "github.com/codescoring-gate/codescoring-gate"

// firstRequest is middleware that tells, once armed, when the next request
// arrived.
type firstRequest struct {
	next http.Handler

	mu sync.Mutex
	ch chan time.Time
}

// arm returns a channel that receives the arrival time of the next request.
func (f *firstRequest) arm() <-chan time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.ch = make(chan time.Time, 1)
	return f.ch
}

func (f *firstRequest) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	now := time.Now()
	f.mu.Lock()
	if f.ch != nil {
		f.ch <- now
		f.ch = nil
	}
	f.mu.Unlock()
	f.next.ServeHTTP(w, r)
}

// buildBinary builds the command as the Dockerfile does (static, trimmed,
// stripped) into dir and returns its path. It skips when go is not on PATH.
func buildBinary(tb testing.TB, dir string) string {
	tb.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		tb.Skip("skipped: the go tool is not on PATH, and BenchmarkStartup builds the binary with it: put Go's bin directory on PATH")
	}
	bin := filepath.Join(dir, "codescoring-gate")
	cmd := exec.Command(goTool, "build", "-trimpath", "-ldflags=-s -w", "-o", bin, mainPackage)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("build %s: %v\n%s", mainPackage, err, out)
	}
	return bin
}

// startOnce starts the binary against the simulator at url and returns how
// long after the start the simulator received its first request. It waits
// for the run to end, which must be a verdict (exit 0 or 1).
func startOnce(tb testing.TB, bin, url string, first *firstRequest) time.Duration {
	tb.Helper()
	arrived := first.arm()
	cmd := exec.Command(bin, "--url", url, "--project", "340", "--wait-timeout", "30s")
	// Only the token: nothing of the test's environment (GITHUB_ACTIONS…)
	// may change what the gate does.
	cmd.Env = []string{"CODESCORING_TOKEN=" + benchToken}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	if err := cmd.Start(); err != nil {
		tb.Fatalf("start %s: %v", bin, err)
	}
	var at time.Time
	select {
	case at = <-arrived:
	case <-time.After(30 * time.Second): // a guard against a hang, not a measure
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		tb.Fatalf("the binary sent no request within 30 s:\n%s", hideToken(out.String()))
	}
	err := cmd.Wait()
	var exit *exec.ExitError
	if err != nil && (!errors.As(err, &exit) || exit.ExitCode() != 1) {
		tb.Fatalf("the gate ended with %v, want a verdict (exit 0 or 1):\n%s", err, hideToken(out.String()))
	}
	return at.Sub(start)
}

// BenchmarkStartup builds the binary once (go build -trimpath -ldflags='-s
// -w', CGO_ENABLED=0 as in the Dockerfile) and measures, startupRuns times,
// from starting it (`codescoring-gate --url … --project 340`, the token in
// CODESCORING_TOKEN) to the first HTTP request the local simulator
// receives. It reports startup_ms, the median (target < 50 ms), and
// binary_mb, the size of the binary in MiB. It skips when go is not on
// PATH.
func BenchmarkStartup(b *testing.B) {
	bin := buildBinary(b, b.TempDir())
	info, err := os.Stat(bin)
	if err != nil {
		b.Fatal(err)
	}
	sim := simulator.New(simulator.Options{Scenario: demoWithLifecycle(simulator.Lifecycle{}), Token: benchToken})
	first := &firstRequest{next: sim}
	srv := httptest.NewServer(first)
	b.Cleanup(srv.Close)
	b.Cleanup(func() { sim.Close() })

	var startups []time.Duration
	for b.Loop() {
		for range startupRuns {
			startups = append(startups, startOnce(b, bin, srv.URL, first))
		}
	}
	b.ReportMetric(float64(median(startups).Microseconds())/1000, "startup_ms")
	b.ReportMetric(float64(info.Size())/mib, "binary_mb")
}

func TestFirstRequest(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		armed    bool
		requests int
		want     int // arrival times received
	}{
		{"armed, one request", true, 1, 1},
		{"armed, later requests are not told", true, 3, 1},
		{"not armed", false, 2, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			served := 0
			f := &firstRequest{next: http.HandlerFunc(func(http.ResponseWriter, *http.Request) { served++ })}
			var ch <-chan time.Time
			if tc.armed {
				ch = f.arm()
			}
			before := time.Now()
			for range tc.requests {
				f.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/api/projects/340/", nil))
			}
			got := 0
			for done := false; !done && ch != nil; {
				select {
				case at := <-ch:
					got++
					if at.Before(before) {
						t.Errorf("arrival %v is before the request was sent (%v)", at, before)
					}
				default:
					done = true
				}
			}
			if got != tc.want {
				t.Errorf("%d arrival times told, want %d", got, tc.want)
			}
			if served != tc.requests {
				t.Errorf("%d requests passed on, want %d", served, tc.requests)
			}
		})
	}
}
