package e2e_test

import (
	"net/http"
	"testing"
	"testing/synctest"

	"github.com/codescoring-gate/codescoring-gate/internal/simulator/simtest"
)

// TestHangingResponseIsRetried lets one answer hang: the client gives up on
// it at its per-request timeout of 30 s and asks again, and the verdict is
// right. That the wait-timeout holds while a request hangs is in
// TestFaultMatrix.
func TestHangingResponseIsRetried(t *testing.T) {
	t.Parallel()
	synctest.Test(t, testHangingResponseIsRetried)
}

func testHangingResponseIsRetried(t *testing.T) {
	cs := startCS(t, csOptions{})
	id := cs.Sim.Inject(simtest.Fault{PathPrefix: pathPolicies, Kind: simtest.FaultHang, Times: 1})

	r := runGate(t, cs, nil, runOptions{})

	wantResult(t, r, 1, demoFail)
	wantIn(t, "the log", r.out(), "GET /api/policies/", "within 30s", "retrying in")
	if got := cs.Sim.FaultHits(id); got != 1 {
		t.Errorf("the hang answered %d requests, want 1", got)
	}
	if got, want := cs.count(http.MethodGet, pathPolicies), 2; got != want {
		t.Errorf("policies were asked %d times, want %d (the hung one, then the retry)", got, want)
	}
}
