package e2e_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/simulator"
)

// TestHangingResponseIsRetried lets one answer hang: the client gives up on
// it at its per-request timeout (30 s) and asks again, and the verdict is
// right. app.Main has no way to shorten that timeout, so this test waits
// for it on the real clock (about 30 s, in parallel with the others; see
// the report: System.RequestTimeout would make it instant). That the
// wait-timeout holds while a request hangs is in TestFaultMatrix.
func TestHangingResponseIsRetried(t *testing.T) {
	t.Parallel()
	cs := startCS(t, csOptions{})
	id := cs.Sim.Inject(simulator.Fault{PathPrefix: pathPolicies, Kind: simulator.FaultHang, Times: 1})

	// A short per-request timeout (real time: the hang is real).
	r := runGate(t, cs, nil, runOptions{RequestTimeout: 300 * time.Millisecond})

	if r.Code != 1 {
		t.Errorf("exit code = %d, want 1\n%s", r.Code, r.out())
	}
	wantOutputs(t, r, demoFail)
	wantIn(t, "the log", r.out(), "GET /api/policies/", "within 300ms", "retrying in")
	if got := cs.Sim.FaultHits(id); got != 1 {
		t.Errorf("the hang answered %d requests, want 1", got)
	}
	if got, want := cs.count(http.MethodGet, pathPolicies), 2; got != want {
		t.Errorf("policies were asked %d times, want %d (the hung one, then the retry)", got, want)
	}
}
