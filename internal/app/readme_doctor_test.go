package app

import (
	"bytes"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/simulator"
)

// TestReadmeDoctorRunIsReal keeps the doctor run of the README's "When
// your installation differs" real: doctor against the simulator serving
// the alerts elsewhere prints it, but for the address and the age of the
// newest analysis.
func TestReadmeDoctorRunIsReal(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	const intro = "(`codescoring-gate simulator --serve-at alerts=/api/sca/alerts/`):\n\n```\n"
	_, rest, ok := strings.Cut(string(readme), intro)
	want, _, ok2 := strings.Cut(rest, "```")
	if !ok || !ok2 {
		t.Fatalf("README has no doctor run after %q", intro)
	}

	sc := simulator.DemoScenario()
	sc.Analyses = []simulator.SeedAnalysis{{Project: 340, StartedAgo: time.Minute, Lifecycle: simulator.Lifecycle{Running: 30 * time.Second}}}
	sim := simulator.New(simulator.Options{Scenario: sc, Token: "tok-readme",
		Paths: map[simulator.Endpoint]string{simulator.EndpointAlerts: "/api/sca/alerts/"}})
	base, err := sim.Start("")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	env := map[string]string{"CODESCORING_TOKEN": "tok-readme"}
	var stdout, stderr bytes.Buffer
	sys := System{Getenv: func(k string) string { return env[k] }, ReadFile: os.ReadFile, Stdout: &stdout, Stderr: &stderr}
	code := Main(t.Context(), []string{"doctor", "--url", strings.TrimSuffix(base, "/"), "--project", "payments-service", "--stage", "source"}, sys)
	if code != 1 {
		t.Errorf("doctor exit %d, want 1 (the endpoints check fails)\n%s%s", code, stdout.String(), stderr.String())
	}
	norm := func(s string) string {
		s = regexp.MustCompile(`127\.0\.0\.1:\d+`).ReplaceAllString(s, "127.0.0.1:PORT")
		s = regexp.MustCompile(`newest analysis \d+ \(main\) succeeded \d+[smh] ago`).ReplaceAllString(s, "newest analysis N (main) succeeded AGO")
		return s
	}
	if got := norm(stdout.String()); got != norm(want) {
		t.Errorf("README's doctor run differs from a real one:\n--- README\n%s--- doctor\n%s", norm(want), got)
	}
}
