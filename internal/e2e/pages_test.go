package e2e_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/codescoring-gate/codescoring-gate/internal/simulator"
)

// TestPageSizeNeverAbove100 reads 450 alerts, more than one page holds: the
// gate pages through them without ever asking for more than 100 a page
// (CodeScoring answers 400 above that), and decides on all of them. Every
// other test checks the same bound when its simulator closes.
func TestPageSizeNeverAbove100(t *testing.T) {
	t.Parallel()
	synctest.Test(t, testPageSizeNeverAbove100)
}

func testPageSizeNeverAbove100(t *testing.T) {
	cs := startCS(t, csOptions{Scenario: func(sc *simulator.Scenario) {
		*sc = simulator.LargeScenario(450)
		for i := range sc.Projects {
			sc.Projects[i].Lifecycle = simulator.Lifecycle{Running: 3 * time.Second}
		}
	}})

	r := runGate(t, cs, nil, runOptions{})

	wantExit(t, r, 1)
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

// TestAlertRepeatedOnNextPage reads 450 alerts from a list that grows while
// it is paged: every page after the first repeats the previous page's last
// alert. The counts, the annotations and the comment are those of the list
// read whole, each alert once, and every report notes that the list
// changed while it was read.
func TestAlertRepeatedOnNextPage(t *testing.T) {
	t.Parallel()
	synctest.Test(t, testAlertRepeatedOnNextPage)
}

func testAlertRepeatedOnNextPage(t *testing.T) {
	run := func(repeat bool) gateRun {
		cs := startCS(t, csOptions{
			Scenario: func(sc *simulator.Scenario) { *sc = simulator.LargeScenario(450) },
			Options: func(o *simulator.Options) {
				if repeat {
					o.RepeatLastEndpoints = []simulator.Endpoint{simulator.EndpointAlerts}
				}
			},
		})
		return runGate(t, cs, nil, runOptions{})
	}
	plain, repeated := run(false), run(true)

	want := map[string]string{"verdict": "fail", "blocking-count": "114", "warning-count": "168", "upcoming-count": "56"}
	for _, r := range []gateRun{plain, repeated} {
		wantResult(t, r, 1, want)
	}
	annotations := func(r gateRun) []string {
		var out []string
		for _, l := range strings.Split(r.Stdout, "\n") {
			if strings.HasPrefix(l, "::error title=CodeScoring policy") || strings.HasPrefix(l, "::notice") {
				out = append(out, l)
			}
		}
		return out
	}
	if diff := cmp.Diff(annotations(plain), annotations(repeated)); diff != "" || len(annotations(plain)) == 0 {
		t.Errorf("annotations of the repeating list differ from the whole list's (-whole +repeating):\n%s", diff)
	}
	// Each page after the first repeated the previous page's last alert.
	note := []string{"the alert list changed while it was read", "alerts 5099, 5199, 5299, 5399 were listed more than once and counted once"}
	wantIn(t, "the log", repeated.Stdout, note...)
	wantIn(t, "the job summary", repeated.Summary, note...)
	if len(repeated.comments) != 1 {
		t.Fatalf("%d PR comments, want 1", len(repeated.comments))
	}
	wantIn(t, "the PR comment", repeated.comments[0], note...)
	if strings.Contains(plain.all(), "the alert list changed") {
		t.Error("the whole list was said to have changed")
	}
}
