package e2e_test

import (
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/codescoring-gate/codescoring-gate/internal/simulator"
)

// TestSignals sends SIGTERM (a cancelled GitHub job) and SIGINT (Ctrl-C) to
// the built program while it polls an analysis that never finishes: it stops
// polling at once, still writes verdict=error and the job summary, and exits
// 2, also with on-error warn.
func TestSignals(t *testing.T) {
	t.Parallel()
	cases := []struct {
		sig     os.Signal
		onError string
	}{
		{syscall.SIGTERM, "fail"},
		{syscall.SIGTERM, "warn"},
		{os.Interrupt, "warn"},
	}
	for _, tc := range cases {
		t.Run(tc.sig.String()+"/on-error="+tc.onError, func(t *testing.T) {
			t.Parallel()
			cs := startCS(t, csOptions{Socket: true})
			if err := cs.Sim.SetLifecycle(simulator.DemoProjectID, simulator.Lifecycle{Outcome: simulator.OutcomeNever}); err != nil {
				t.Fatal(err)
			}
			polling := make(chan struct{})
			var once sync.Once
			var atSignal atomic.Int64
			atSignal.Store(-1)
			cs.onRequest(func(r *http.Request) {
				if r.URL.Path == pathStatus {
					once.Do(func() { close(polling) })
				}
			})

			p := startProcess(t, map[string]string{"url": cs.URL, "on-error": tc.onError, "wait-timeout": "30m"}, nil)
			select {
			case <-polling:
			case <-p.ctx.Done():
				t.Fatal("the program never polled the analysis")
			}
			atSignal.Store(int64(len(cs.Sim.Requests())))
			if err := p.cmd.Process.Signal(tc.sig); err != nil {
				t.Fatalf("signal the program: %v", err)
			}
			r := p.wait(t)

			wantResult(t, r, 2, map[string]string{"verdict": "error", "analysis-id": "1000", "blocking-count": "0"})
			wantIn(t, "the log", r.out(), "cancelled", "the job was cancelled; re-run it to gate the build")
			wantIn(t, "the job summary", r.Summary, "could not decide", "cancelled")
			// At most the status request under way when the signal came.
			if after := int64(len(cs.Sim.Requests())) - atSignal.Load(); after > 1 {
				t.Errorf("%d requests after the signal, want at most 1", after)
			}
		})
	}
}
