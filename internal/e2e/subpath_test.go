package e2e_test

import (
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
)

// subPath is where a reverse proxy serves the installation in these tests.
const subPath = "/tools/codescoring"

// TestSubPath runs the gate against an installation that a reverse proxy
// serves under a path prefix (docs/codescoring-api.md §1): it starts the analysis, polls
// it, reads policies and alerts, and links the project's page, all below
// the prefix (the simulator answers 404 to anything outside it).
func TestSubPath(t *testing.T) {
	t.Parallel()
	for _, u := range []string{"", "/"} {
		t.Run("url"+u, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) { testSubPath(t, u) })
		})
	}
}

// testSubPath is TestSubPath with the url ending in u, in a synctest bubble.
func testSubPath(t *testing.T, u string) {
	t.Helper()
	cs := startCS(t, csOptions{Prefix: subPath})
	r := runGate(t, cs, map[string]string{"url": cs.URL + u}, runOptions{})

	wantResult(t, r, 1, demoFail)
	link := cs.Root + subPath + "/projects/340"
	wantOutputs(t, r, map[string]string{"report-url": link, "analysis-id": "1000"})
	if len(r.comments) != 1 || !strings.Contains(r.comments[0], link) {
		t.Errorf("PR comments = %d, want one that links %s:\n%s", len(r.comments), link, strings.Join(r.comments, "\n---\n"))
	}
	for _, c := range []struct {
		method, path string
		atLeast      int
	}{
		{http.MethodGet, pathProjects, 1},
		{http.MethodPost, pathStart, 1},
		{http.MethodGet, pathStatus, 2}, // polled while pending and running
		{http.MethodGet, pathPolicies, 1},
		{http.MethodGet, pathAlerts, 1},
	} {
		if n := cs.count(c.method, c.path); n < c.atLeast {
			t.Errorf("%s %s%s: %d requests, want at least %d", c.method, subPath, c.path, n, c.atLeast)
		}
	}
	for _, req := range cs.Sim.Requests() {
		if req.Status == http.StatusNotFound {
			t.Errorf("%s %s answered 404: a request missed the prefix", req.Method, req.Path)
		}
	}
}

// TestSubPathDoctor runs doctor through the program against the same
// installation: every check passes, the endpoints are found below the
// prefix, and the url check names the prefix.
func TestSubPathDoctor(t *testing.T) {
	t.Parallel()
	synctest.Test(t, testSubPathDoctor)
}

func testSubPathDoctor(t *testing.T) {
	cs := startCS(t, csOptions{Prefix: subPath})
	r := runGate(t, cs, map[string]string{"url": cs.URL + "/", "command": "doctor"}, runOptions{Push: true})
	wantExit(t, r, 0)
	wantIn(t, "the log", r.out(),
		cs.URL+"/ is an installation under the path prefix "+subPath,
		"all 7 endpoints the gate calls are present",
		`✔ project    "payments-service" (id 340`)
	if strings.Contains(r.out(), "✖") {
		t.Errorf("a check failed:\n%s", r.out())
	}
}
