package app

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"testing/synctest"

	"github.com/codescoring-gate/codescoring-gate/internal/simulator"
	"github.com/codescoring-gate/codescoring-gate/internal/testnet"
)

// TestDoctorThroughTransport runs the doctor command in a synctest bubble
// with the simulator reached through System.Transport, as the e2e harness
// reaches it: every request of doctor goes there (the host name exists
// nowhere else), and the report is in the language asked for.
func TestDoctorThroughTransport(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		sim := simulator.New(simulator.Options{Scenario: simulator.DemoScenario(), Token: "tok-doctor"})
		defer sim.Close()
		var stdout, stderr bytes.Buffer
		env := map[string]string{"CODESCORING_TOKEN": "tok-doctor"}
		code := Main(context.Background(), []string{"doctor", "--url", "http://codescoring.test", "--project", "payments-service",
			"--stage", "source", "--language", "ru"},
			System{Getenv: func(k string) string { return env[k] }, ReadFile: os.ReadFile, Stdout: &stdout, Stderr: &stderr,
				Transport: testnet.Memory(sim)})
		// The demo's project has no analysis yet, and the URL is plain http:
		// two warnings.
		if code != exitPass {
			t.Fatalf("doctor exit %d, want %d\n%s%s", code, exitPass, stdout.String(), stderr.String())
		}
		for _, want := range []string{
			"✔ dns        codescoring.test: первый запрос дошел (его транспорт не сообщает, как)",
			"✔ api        GET /api/projects/?page=1&per_page=1 отвечает в JSON (200 OK)",
			// Not a terminal: wrapped to 100 columns.
			"Ни одна проверка не провалена, 2 предупреждения: гейт может работать; прочитайте предупреждения (код\n0)."} {
			if !strings.Contains(stdout.String(), want) {
				t.Errorf("the report lacks %q:\n%s", want, stdout.String())
			}
		}
		if strings.Contains(stdout.String(), "tok-doctor") {
			t.Errorf("the report shows the token:\n%s", stdout.String())
		}
	})
}
