package e2e_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/simulator/simtest"
)

// TestNoGoroutineLeftBehind runs the program through a pass, retries, a
// hang cut by the wait-timeout, a cancelled job (each in a synctest bubble)
// and a TLS error (on 127.0.0.1). After each run no goroutine of the
// program's own packages may be left; after all of them, with every server
// closed, no goroutine started meanwhile may be left at all (synctest.Test
// itself fails on a goroutine left in its bubble). It is not parallel: other tests' goroutines would blur the
// picture.
func TestNoGoroutineLeftBehind(t *testing.T) {
	before := goroutines()

	runs := []struct {
		name string
		// socket runs on 127.0.0.1 and real time; else in a synctest bubble.
		socket bool
		run    func(t *testing.T)
	}{
		{name: "pass", run: func(t *testing.T) {
			t.Helper()
			cs := startCS(t, csOptions{})
			runGate(t, cs, map[string]string{"project": "payments-gateway"}, runOptions{})
		}},
		{name: "503 burst and reset", run: func(t *testing.T) {
			t.Helper()
			cs := startCS(t, csOptions{})
			cs.Sim.Inject(simtest.Fault{PathPrefix: pathPolicies, Kind: simtest.FaultStatus, Status: 503, Times: 2})
			cs.Sim.Inject(simtest.Fault{PathPrefix: pathAlerts, Kind: simtest.FaultReset, Times: 2})
			runGate(t, cs, nil, runOptions{})
		}},
		{name: "hang cut by the wait-timeout", run: func(t *testing.T) {
			t.Helper()
			cs := startCS(t, csOptions{})
			cs.Sim.Inject(simtest.Fault{PathPrefix: pathStatus, Kind: simtest.FaultHang})
			runGate(t, cs, map[string]string{"wait-timeout": "1h"}, runOptions{RequestTimeout: 2 * time.Hour})
		}},
		{name: "cancelled while a request hangs", run: func(t *testing.T) {
			t.Helper()
			cs := startCS(t, csOptions{})
			cs.Sim.Inject(simtest.Fault{PathPrefix: pathAlerts, Kind: simtest.FaultHang})
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			cs.onRequest(func(r *http.Request) {
				if r.URL.Path == pathAlerts {
					cancel()
				}
			})
			runGate(t, cs, nil, runOptions{Ctx: ctx})
		}},
		{name: "TLS error", socket: true, run: func(t *testing.T) {
			t.Helper()
			cs := startCS(t, csOptions{Serve: func(s *httptest.Server) { s.StartTLS() }})
			runGate(t, cs, nil, runOptions{})
		}},
	}
	own := func(id, stack string) bool { return ownGoroutine(stack) }
	for _, r := range runs {
		// Each run's servers close when its subtest ends.
		t.Run(r.name, func(t *testing.T) {
			if r.socket {
				r.run(t)
				// Main has returned; the servers still listen.
				checkLeft(t, settle(own))
				return
			}
			synctest.Test(t, func(t *testing.T) {
				r.run(t)
				// Main has returned; every goroutine left in the bubble
				// now waits for good.
				synctest.Wait()
				checkLeft(t, running(own))
			})
		})
	}

	left := settle(func(id, _ string) bool {
		_, old := before[id]
		return !old
	})
	if len(left) > 0 {
		t.Errorf("%d goroutines are still running after Main returned and the servers closed:\n\n%s",
			len(left), strings.Join(left, "\n\n"))
	}
}

// ownGoroutine reports whether a goroutine's stack runs code of the
// program's packages, and not of the test or the simulator.
func ownGoroutine(stack string) bool {
	if strings.Contains(stack, "/internal/e2e_test.") || strings.Contains(stack, "/internal/simulator.") {
		return false
	}
	for _, pkg := range []string{"app", "gate", "api", "githubpr", "report"} {
		if strings.Contains(stack, "codescoring-gate/internal/"+pkg+".") {
			return true
		}
	}
	return false
}

// checkLeft fails t when goroutines of the program are left.
func checkLeft(t *testing.T, left []string) {
	t.Helper()
	if len(left) > 0 {
		t.Errorf("%d goroutines of the program are still running after Main returned:\n\n%s", len(left), strings.Join(left, "\n\n"))
	}
}

// running returns the sorted stacks of the goroutines that leaked says
// are leaks.
func running(leaked func(id, stack string) bool) []string {
	var left []string
	for id, stack := range goroutines() {
		if leaked(id, stack) {
			left = append(left, stack)
		}
	}
	slices.Sort(left)
	return left
}

// settle returns running(leaked) once it is empty or 2 s have passed: closed
// connections and servers wind down on their own goroutines, so it polls
// before calling anything a leak.
func settle(leaked func(id, stack string) bool) []string {
	for end := time.Now().Add(2 * time.Second); ; {
		left := running(leaked)
		if len(left) == 0 || time.Now().After(end) {
			return left
		}
		runtime.Gosched()
		time.Sleep(10 * time.Millisecond)
	}
}

var goroutineHeader = regexp.MustCompile(`^goroutine (\d+) `)

// goroutines returns the stack of every goroutine by its id.
func goroutines() map[string]string {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	out := map[string]string{}
	for _, g := range strings.Split(string(buf), "\n\n") {
		if m := goroutineHeader.FindStringSubmatch(g); m != nil {
			out[m[1]] = g
		}
	}
	return out
}
