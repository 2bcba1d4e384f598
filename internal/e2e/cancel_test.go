package e2e_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"

	"github.com/codescoring-gate/codescoring-gate/internal/simulator/simtest"
)

// TestCancelledJob cancels the job (the context main.go cancels on SIGTERM
// and SIGINT) at each point of a run: the gate stops asking CodeScoring at
// once, sets verdict=error and exits 2, also with on-error warn. The real
// signals are TestSignals.
func TestCancelledJob(t *testing.T) {
	t.Parallel()
	type when struct {
		name   string
		faults []simtest.Fault
		// arm cancels the run at its point by calling stop, and returns
		// how many more requests may arrive after stop was called.
		arm func(cs *csServer, stop func()) (after int)
		out []string
	}
	cases := []when{
		{
			name: "before the gate starts",
			arm:  func(cs *csServer, stop func()) int { stop(); return 0 },
			out:  []string{"cancelled"},
		},
		{
			name: "while waiting between status requests",
			arm: func(cs *csServer, stop func()) int {
				var once sync.Once
				cs.onRequest(func(r *http.Request) {
					if r.URL.Path == pathStatus {
						// Once the gate waits for the next status request.
						once.Do(func() {
							go func() {
								synctest.Wait()
								stop()
							}()
						})
					}
				})
				// The baseline's history is read while the gate waits:
				// that request may have been sent before stop and be
				// recorded after it.
				return 1
			},
			out: []string{"What failed: wait for analysis 1000: cancelled", "the job was cancelled; re-run it to gate the build"},
		},
		{
			name:   "while a request hangs",
			faults: []simtest.Fault{{PathPrefix: pathPolicies, Kind: simtest.FaultHang}},
			arm: func(cs *csServer, stop func()) int {
				cs.onRequest(func(r *http.Request) {
					if r.URL.Path == pathPolicies {
						stop()
					}
				})
				// The request that hangs, and the alerts: the gate reads
				// policies and alerts at once, so that request may be on
				// its way already.
				return 2
			},
			out: []string{"cancelled", "the job was cancelled; re-run it to gate the build"},
		},
		{
			name:   "while retrying a 503",
			faults: []simtest.Fault{{PathPrefix: pathAlerts, Kind: simtest.FaultStatus, Status: 503}},
			arm: func(cs *csServer, stop func()) int {
				var n atomic.Int32
				cs.onRequest(func(r *http.Request) {
					if r.URL.Path == pathAlerts && n.Add(1) == 3 {
						stop()
					}
				})
				// The request that stops the job is recorded after it,
				// and the policies read runs at once with the alerts: on
				// a loaded machine it can be sent as late as this.
				return 2
			},
			out: []string{"cancelled", "the job was cancelled; re-run it to gate the build"},
		},
	}
	for _, tc := range cases {
		for _, onError := range []string{"fail", "warn"} {
			t.Run(tc.name+"/on-error="+onError, func(t *testing.T) {
				t.Parallel()
				synctest.Test(t, func(t *testing.T) { testCancelledJob(t, tc.arm, tc.faults, onError, tc.out) })
			})
		}
	}
}

// testCancelledJob runs the gate, in a synctest bubble, with faults,
// cancelled where arm says.
func testCancelledJob(t *testing.T, arm func(cs *csServer, stop func()) int, faults []simtest.Fault, onError string, out []string) {
	t.Helper()
	cs := startCS(t, csOptions{})
	for _, f := range faults {
		cs.Sim.Inject(f)
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var atStop atomic.Int64
	atStop.Store(-1)
	stop := func() {
		atStop.Store(int64(len(cs.Sim.Requests())))
		cancel()
	}
	maxAfter := arm(cs, stop)

	r := runGate(t, cs, map[string]string{"on-error": onError}, runOptions{Ctx: ctx})

	if r.Code != 2 {
		t.Errorf("exit code = %d, want 2 (a cancelled job never passes)\n%s", r.Code, r.out())
	}
	wantOutputs(t, r, errorVerdict)
	wantIn(t, "the log", r.out(), out...)
	if onError == "warn" && !strings.Contains(r.Stdout, "::error title=CodeScoring gate could not decide::") {
		t.Errorf("a cancelled job with on-error warn is not an error annotation:\n%s", r.Stdout)
	}
	n := atStop.Load()
	if n < 0 {
		t.Fatal("the run was never cancelled")
	}
	if after := int64(len(cs.Sim.Requests())) - n; after > int64(maxAfter) {
		t.Errorf("%d requests after the job was cancelled, want at most %d: %+v", after, maxAfter, cs.Sim.Requests()[n:])
	}
}
