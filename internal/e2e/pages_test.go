package e2e_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/simulator"
)

// TestPageSizeNeverAbove100 reads 450 alerts, more than one page holds: the
// gate pages through them without ever asking for more than 100 a page
// (CodeScoring answers 400 above that), and decides on all of them. Every
// other test checks the same bound when its simulator closes.
func TestPageSizeNeverAbove100(t *testing.T) {
	t.Parallel()
	cs := startCS(t, csOptions{Scenario: func(sc *simulator.Scenario) {
		*sc = simulator.LargeScenario(450)
		for i := range sc.Projects {
			sc.Projects[i].Lifecycle = simulator.Lifecycle{Running: 3 * time.Second}
		}
	}})

	r := runGate(t, cs, nil, runOptions{})

	if r.Code != 1 {
		t.Errorf("exit code = %d, want 1\n%s", r.Code, r.out())
	}
	// LargeScenario cycles 8 kinds of alert: of each 8, 2 block, 3 warn
	// and 1 is upcoming; 450 = 56×8 + 2 more that block.
	wantOutputs(t, r, map[string]string{"verdict": "fail", "blocking-count": "114", "warning-count": "168", "upcoming-count": "56"})
	if got := cs.Sim.MaxPerPage(); got < 1 || got > 100 {
		t.Errorf("largest per_page asked = %d, want 1..100", got)
	}
	pages := 0
	for _, req := range cs.Sim.Requests() {
		if req.Status == http.StatusBadRequest {
			t.Errorf("CodeScoring answered 400 to %s %s?%s", req.Method, req.Path, req.Query)
		}
		if req.Path == pathAlerts {
			pages++
			if q, err := url.ParseQuery(req.Query); err != nil || q.Get("per_page") == "" {
				t.Errorf("alerts asked without per_page: %q", req.Query)
			}
		}
	}
	if pages < 5 {
		t.Errorf("alerts were read in %d requests; 450 alerts need at least 5 pages of 100", pages)
	}
}
