package app

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/codescoring-gate/codescoring-gate/internal/simulator"
)

// TestDemo runs `codescoring-gate demo` with instant analyses: it reports
// the verdict a CI job would get and exits 0 because the demo worked.
// Not parallel: it replaces demoScenario.
func TestDemo(t *testing.T) {
	orig := demoScenario
	t.Cleanup(func() { demoScenario = orig })
	demoScenario = func() simulator.Scenario {
		sc := orig()
		for i := range sc.Projects {
			sc.Projects[i].Lifecycle = simulator.Lifecycle{}
		}
		return sc
	}
	cases := []struct {
		args []string
		want []string
	}{
		{nil, []string{"CodeScoring gate: FAIL", "log4j-core", "would exit 1 (fail", "--block-on new", "--stage dev",
			"baseline: analysis 999 of main"}},
		{[]string{"--block-on", "new"}, []string{"CodeScoring gate: PASS", "--baseline-ref main --block-on new", "would exit 0 (pass"}},
		{[]string{"--mode", "warn"}, []string{"CodeScoring gate: WARN", "would exit 0"}},
		{[]string{"--stage", "dev"}, []string{"2 alerts block the build; all were already on main, none is new in this change.", "would exit 1"}},
	}
	for _, tc := range cases {
		var out, errb bytes.Buffer
		// The demo must ignore the real CI environment it runs in.
		sys := System{Getenv: func(k string) string { return map[string]string{"GITHUB_ACTIONS": "true"}[k] },
			ReadFile: os.ReadFile, Stdout: &out, Stderr: &errb}
		code := Main(context.Background(), append([]string{"demo"}, tc.args...), sys)
		if code != 0 {
			t.Errorf("demo %v exit = %d, want 0\n%s%s", tc.args, code, out.String(), errb.String())
		}
		for _, w := range tc.want {
			if !strings.Contains(out.String(), w) {
				t.Errorf("demo %v output lacks %q:\n%s", tc.args, w, out.String())
			}
		}
		if strings.Contains(out.String(), simulator.DefaultToken) || strings.Contains(out.String(), "::") {
			t.Errorf("demo %v printed the token or workflow commands:\n%s", tc.args, out.String())
		}
	}
}

func TestParseServeAt(t *testing.T) {
	t.Parallel()
	got, err := parseServeAt(" alerts=/api/sca/alerts/ , analysis=/api/scans/{id}/")
	if err != nil || got[simulator.EndpointAlerts] != "/api/sca/alerts/" || got[simulator.EndpointAnalysis] != "/api/scans/{id}/" || len(got) != 2 {
		t.Errorf("parseServeAt = %v, %v", got, err)
	}
	for _, bad := range []string{"alerts", "alert=/x/", "analysis=/api/scans/", "alerts=api/x/"} {
		if _, err := parseServeAt(bad); err == nil {
			t.Errorf("parseServeAt(%q) = nil error", bad)
		}
	}
}
