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
		{nil, []string{"CodeScoring gate: FAIL", "log4j-core", "would exit 1 (fail", "codescoring-gate demo --block-on new", "codescoring-gate demo --stage test",
			"baseline: analysis 999 of main"}},
		{[]string{"--block-on", "new"}, []string{"CodeScoring gate: PASS", "--baseline-ref main --block-on new", "would exit 0 (pass"}},
		{[]string{"--mode", "warn"}, []string{"CodeScoring gate: WARN", "would exit 0"}},
		{[]string{"--stage", "dev"}, []string{"2 alerts block the build; all were already on main, none is new in this change.", "would exit 1"}},
		{[]string{"--language", "ru"}, []string{"Демо: симулятор CodeScoring", "Гейт CodeScoring: НЕ ПРОЙДЕН", "запущен анализ 1000",
			"база сравнения: анализ 999", "с кодом 1 (fail", "codescoring-gate demo --language ru --block-on new", "Чтобы увидеть другой вердикт"}},
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

// instantDemo makes the demo's analyses finish at once, for the test.
func instantDemo(t *testing.T) {
	t.Helper()
	orig := demoScenario
	t.Cleanup(func() { demoScenario = orig })
	demoScenario = func() simulator.Scenario {
		sc := orig()
		for i := range sc.Projects {
			sc.Projects[i].Lifecycle = simulator.Lifecycle{}
		}
		return sc
	}
}

// runDemoArgs runs the demo as go run does and returns its output and the
// exit code it says a CI job would get.
func runDemoArgs(t *testing.T, args []string) (out string, ciCode string) {
	t.Helper()
	var o, e bytes.Buffer
	sys := System{Getenv: func(string) string { return "" }, ReadFile: os.ReadFile, Stdout: &o, Stderr: &e,
		Program: "/tmp/go-build2519/b001/exe/codescoring-gate"}
	if code := Main(context.Background(), append([]string{"demo"}, args...), sys); code != 0 {
		t.Fatalf("demo %v exit = %d\n%s%s", args, code, o.String(), e.String())
	}
	_, rest, ok := strings.Cut(o.String(), "A CI job running it would exit ")
	if !ok {
		t.Fatalf("demo %v does not say the exit code:\n%s", args, o.String())
	}
	return o.String(), rest[:1]
}

// TestDemoTipsChangeTheVerdict runs every run the demo suggests and checks
// that each really changes the verdict, that the tips name the command the
// user ran (go run . demo), and that no version line is left at the end of
// the report.
// Not parallel: it replaces demoScenario.
func TestDemoTipsChangeTheVerdict(t *testing.T) {
	instantDemo(t)
	for _, start := range [][]string{nil, {"--stage", "dev"}, {"--block-on", "new"}, {"--mode", "warn"}, {"--stage", "test"}} {
		out, code := runDemoArgs(t, start)
		if strings.Contains(out, "\ncodescoring-gate dev\n") {
			t.Errorf("demo %v leaves the report's version line:\n%s", start, out)
		}
		var tips [][]string
		for _, l := range strings.Split(out, "\n") {
			l = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(l, "To see the build fail, run `"), "`."))
			cmd, ok := strings.CutPrefix(l, "go run . demo")
			if !ok {
				continue
			}
			if i := strings.Index(cmd, "   ("); i >= 0 {
				cmd = cmd[:i]
			}
			tips = append(tips, strings.Fields(cmd))
		}
		if len(tips) == 0 {
			t.Errorf("demo %v suggests no run of `go run . demo`:\n%s", start, out)
		}
		for _, tip := range tips {
			if _, got := runDemoArgs(t, tip); got == code {
				t.Errorf("demo %v exits %s; its tip demo %v exits %s too: it does not change the verdict", start, code, tip, got)
			}
		}
	}
}

func TestDemoCommand(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ program, want string }{
		{"/tmp/go-build2519/b001/exe/codescoring-gate", "go run . demo"},
		{`C:\Users\me\AppData\Local\Temp\go-build1234\b001\exe\codescoring-gate.exe`, "go run . demo"},
		{"./codescoring-gate", "./codescoring-gate demo"},
		{"codescoring-gate", "codescoring-gate demo"},
		{"", "codescoring-gate demo"},
	} {
		if got := demoCommand(tc.program); got != tc.want {
			t.Errorf("demoCommand(%q) = %q, want %q", tc.program, got, tc.want)
		}
	}
}
