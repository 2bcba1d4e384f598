package e2e_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"
	"testing/synctest"

	"github.com/codescoring-gate/codescoring-gate/internal/app"
	"github.com/codescoring-gate/codescoring-gate/internal/simulator"
)

// movedAlerts is where the installation of these tests serves the alerts.
const movedAlerts = "/api/sca/alerts/"

// doctorJSON runs `codescoring-gate doctor --json` against cs, outside
// GitHub Actions, with args, and decodes its report; with cs in memory,
// in the caller's synctest bubble.
func doctorJSON(t *testing.T, cs *csServer, args ...string) (int, map[string]any, string) {
	t.Helper()
	env := map[string]string{"CODESCORING_TOKEN": canary}
	var stdout, stderr bytes.Buffer
	sys := app.System{Getenv: func(k string) string { return env[k] }, ReadFile: os.ReadFile, Stdout: &stdout, Stderr: &stderr}
	if cs.Srv == nil {
		sys.Transport = cs.transport(nil)
	}
	args = append([]string{"doctor", "--json", "--url", cs.URL, "--project", "payments-service"}, args...)
	code := app.Main(t.Context(), args, sys)
	if strings.Contains(stdout.String()+stderr.String(), canary) {
		t.Errorf("doctor printed the token")
	}
	var rep map[string]any
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("doctor --json: %v\nstdout: %s\nstderr: %s", err, stdout.String(), stderr.String())
	}
	return code, rep, stderr.String()
}

// TestInstallationThatDiffers is issue 18 end to end: an installation that
// serves the alerts at another path fails the gate with the built-in table
// and advice to run doctor; doctor suggests the api-paths value; the gate
// with it passes, and every report names the override.
func TestInstallationThatDiffers(t *testing.T) {
	t.Parallel()
	synctest.Test(t, testInstallationThatDiffers)
}

func testInstallationThatDiffers(t *testing.T) {
	cs := startCS(t, csOptions{Options: func(o *simulator.Options) {
		o.Paths = map[simulator.Endpoint]string{simulator.EndpointAlerts: movedAlerts}
	}})
	// At stage test no policy blocks: with the alerts read, the verdict is pass.
	inputs := map[string]string{"stage": "test"}

	// 1. The built-in table: the gate cannot read the alerts, and says what to do.
	r := runGate(t, cs, inputs, runOptions{})
	if r.Code != 2 || r.Outputs["verdict"] != "error" {
		t.Fatalf("with the built-in table: exit %d, verdict %q; want 2, error\n%s", r.Code, r.Outputs["verdict"], r.out())
	}
	// The annotation has the advice on one line; the terminal report wraps it.
	advice := "What to do: this installation does not serve the path the gate calls for alerts: " +
		"run the action once with `command: doctor` (and the same `api-paths`), and set the `api-paths` input to the value it prints"
	wantIn(t, "the log", r.out(), "GET /api/sca/policy_alerts/ with 404 Not Found", "::error title=CodeScoring gate could not decide::", advice)
	if len(r.comments) != 1 {
		t.Fatalf("%d PR comments, want 1", len(r.comments))
	}
	wantIn(t, "the PR comment", r.comments[0], "run the action once with `command: doctor`", "set the `api-paths` input to the value it prints")
	if strings.Contains(r.out(), "api-paths in force") {
		t.Errorf("the log names an override, but none was set:\n%s", r.out())
	}

	// 2. doctor finds where the alerts are, and prints the value to set.
	code, rep, _ := doctorJSON(t, cs, "--stage", "test")
	if code != 1 || rep["suggested_api_paths"] != "alerts="+movedAlerts {
		t.Fatalf("doctor: exit %d, suggested_api_paths %q; want 1, alerts=%s\n%v", code, rep["suggested_api_paths"], movedAlerts, rep)
	}
	var alerts map[string]any
	for _, e := range rep["endpoints"].([]any) {
		if e := e.(map[string]any); e["key"] == "alerts" {
			alerts = e
		}
	}
	sug, _ := alerts["suggestion"].(map[string]any)
	if alerts["presence"] != "missing" || sug == nil || sug["api_paths"] != "alerts="+movedAlerts {
		t.Fatalf("doctor's alerts endpoint = %v", alerts)
	}
	if cands := sug["candidates"].([]any); len(cands) == 0 || cands[0].(map[string]any)["path"] != movedAlerts {
		t.Errorf("doctor's candidates = %v", cands)
	}
	suggested := rep["suggested_api_paths"].(string)

	// 3. doctor with the override: every endpoint is where the gate calls it.
	code, rep, _ = doctorJSON(t, cs, "--stage", "test", "--api-paths", suggested)
	if code != 0 || rep["api_paths"] != suggested || rep["suggested_api_paths"] != "" {
		t.Errorf("doctor with the override: exit %d, api_paths %q, suggested %q; want 0, %q, \"\"",
			code, rep["api_paths"], rep["suggested_api_paths"], suggested)
	}

	// 4. The gate with the override passes, and says it used it.
	alertsBefore := cs.count(http.MethodGet, movedAlerts)
	inputs["api-paths"] = suggested
	r = runGate(t, cs, inputs, runOptions{})
	if r.Code != 0 || r.Outputs["verdict"] != "pass" {
		t.Fatalf("with api-paths %q: exit %d, verdict %q; want 0, pass\n%s", suggested, r.Code, r.Outputs["verdict"], r.out())
	}
	if got := cs.count(http.MethodGet, movedAlerts) - alertsBefore; got == 0 {
		t.Errorf("the gate never read %s", movedAlerts)
	}
	wantIn(t, "the log", r.Stdout, "api-paths in force: alerts=/api/sca/alerts/ (the other endpoints are the built-in ones)",
		"codescoring-gate dev · api-paths: alerts=/api/sca/alerts/")
	wantIn(t, "the job summary", r.Summary, "· api-paths: alerts=/api/sca/alerts/</sub>")
	if len(r.comments) != 1 {
		t.Fatalf("%d PR comments, want 1", len(r.comments))
	}
	wantIn(t, "the PR comment", r.comments[0], "· api-paths: alerts=/api/sca/alerts/")
}

// TestBadAPIPaths: overrides that cannot be right are bad input: exit 2,
// every problem at once with the known names, and nothing sent.
func TestBadAPIPaths(t *testing.T) {
	t.Parallel()
	cs := startCS(t, csOptions{Socket: true})
	// After every subtest, and before startCS's cleanup closes the server.
	t.Cleanup(func() {
		if n := len(cs.Sim.Requests()); n != 0 {
			t.Errorf("CodeScoring got %d requests for bad input, want 0", n)
		}
	})
	for _, tc := range []struct{ name, value string }{
		{"unknown name", "alert=/api/sca/alerts/"},
		{"no slashes", "alerts=api/sca/alerts"},
		{"placeholder dropped", "analysis=/api/analyses/history/"},
		{"not a pair", "/api/sca/alerts/"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := runGate(t, cs, map[string]string{"api-paths": tc.value, "on-error": "warn"}, runOptions{Push: true})
			if r.Code != 2 || r.Outputs["verdict"] != "error" {
				t.Errorf("api-paths %q: exit %d, verdict %q; want 2, error", tc.value, r.Code, r.Outputs["verdict"])
			}
			wantIn(t, "stderr", r.Stderr, "error: `api-paths` ",
				"the names and their defaults: project (/api/projects/{id}/), projects (/api/projects/), start (/api/analyses/projects/sca/start/)",
				"alerts (/api/sca/policy_alerts/)", "nothing was sent to CodeScoring")
			wantIn(t, "the job summary", r.Summary, "invalid input", "api-paths")
		})
	}
	// doctor refuses them the same way.
	env := map[string]string{"CODESCORING_TOKEN": canary}
	var stdout, stderr bytes.Buffer
	sys := app.System{Getenv: func(k string) string { return env[k] }, ReadFile: os.ReadFile, Stdout: &stdout, Stderr: &stderr}
	if code := app.Main(t.Context(), []string{"doctor", "--url", cs.URL, "--project", "340", "--api-paths", "alerts=/x"}, sys); code != 2 {
		t.Errorf("doctor with a bad api-paths: exit %d, want 2", code)
	}
	wantIn(t, "doctor's stderr", stderr.String(), "`api-paths` alerts=/x: the path must start and end with a slash", "the names and their defaults")
}

// TestAnswerWithoutRequiredField: an analysis without status names the
// endpoint, the field and what would help, and is never waited on.
func TestAnswerWithoutRequiredField(t *testing.T) {
	t.Parallel()
	synctest.Test(t, testAnswerWithoutRequiredField)
}

func testAnswerWithoutRequiredField(t *testing.T) {
	cs := startCS(t, csOptions{Front: func(_ *csServer, w http.ResponseWriter, r *http.Request) bool {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.Method == http.MethodPost && r.URL.Path == pathStart:
			w.WriteHeader(http.StatusCreated)
			_, _ = w.Write([]byte(`{"id": 1000, "project": 340, "status": "pending"}`))
		case r.Method == http.MethodGet && r.URL.Path == pathStatus:
			_, _ = w.Write([]byte(`{"id": 1000, "project": 340, "state": "done"}`))
		default:
			w.Header().Del("Content-Type")
			return false
		}
		return true
	}})
	r := runGate(t, cs, nil, runOptions{Push: true})
	if r.Code != 2 || r.Outputs["verdict"] != "error" {
		t.Fatalf("exit %d, verdict %q; want 2, error\n%s", r.Code, r.Outputs["verdict"], r.out())
	}
	wantIn(t, "the log", r.out(),
		"CodeScoring's answer from the analysis endpoint (/api/analyses/projects/history/1000/) is not what the gate expects: the analysis has no status field",
		"What to do: this installation may serve other objects than the gate reads there for analysis: run the action once with `command: doctor`")
	// A configuration error: on-error: warn does not tolerate it.
	if r := runGate(t, cs, map[string]string{"on-error": "warn"}, runOptions{Push: true}); r.Code != 2 {
		t.Errorf("with on-error: warn: exit %d, want 2", r.Code)
	}
}
