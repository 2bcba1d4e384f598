package app

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"

	"github.com/codescoring-gate/codescoring-gate/internal/runnertest"
	"github.com/codescoring-gate/codescoring-gate/internal/simulator"
)

// TestVerdictsAndExitCodes runs the gate through Main on a push event for
// each verdict and checks exit code, verdict output and the message a user
// sees.
func TestVerdictsAndExitCodes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		inputs    map[string]string
		lifecycle *simulator.Lifecycle
		cancel    bool
		wantCode  int
		wantVerd  string
		wantOut   []string
	}{
		{name: "blocking in enforce fails", inputs: map[string]string{}, wantCode: 1, wantVerd: "fail", wantOut: []string{"FAIL", "log4j-core"}},
		{name: "blocking in warn mode warns", inputs: map[string]string{"mode": "warn"}, wantCode: 0, wantVerd: "warn", wantOut: []string{"WARN"}},
		{name: "stage dev leaves one blocker policy", inputs: map[string]string{"stage": "dev"}, wantCode: 1, wantVerd: "fail", wantOut: []string{"2 alerts of 1 policy block"}},
		{name: "clean project passes", inputs: map[string]string{"project": "payments-gateway"}, wantCode: 0, wantVerd: "pass", wantOut: []string{"PASS"}},
		{name: "failed analysis is an error", lifecycle: &simulator.Lifecycle{Outcome: simulator.OutcomeFailed, Error: "git clone failed: repository not found"},
			wantCode: 2, wantVerd: "error", wantOut: []string{"git clone failed: repository not found"}},
		{name: "failed analysis with on-error warn", inputs: map[string]string{"on-error": "warn"}, lifecycle: &simulator.Lifecycle{Outcome: simulator.OutcomeFailed},
			wantCode: 0, wantVerd: "error", wantOut: []string{"on-error is warn", "::warning"}},
		{name: "canceled analysis is an error", lifecycle: &simulator.Lifecycle{Outcome: simulator.OutcomeCanceled}, wantCode: 2, wantVerd: "error", wantOut: []string{"cancel"}},
		// Long enough for the start and a status poll (the error must say
		// in_progress).
		{name: "never finishes: error at wait-timeout", inputs: map[string]string{"wait-timeout": "2s"}, lifecycle: &simulator.Lifecycle{Outcome: simulator.OutcomeNever},
			wantCode: 2, wantVerd: "error", wantOut: []string{"wait-timeout", "in_progress"}},
		{name: "unknown project is bad input even with on-error warn", inputs: map[string]string{"project": "payments", "on-error": "warn"},
			wantCode: 2, wantVerd: "error", wantOut: []string{`"payments-service" (id 340)`, "::error title="}},
		{name: "wrong token names the token input", inputs: map[string]string{"token": "wrong-token"}, wantCode: 2, wantVerd: "error", wantOut: []string{"401", "token"}},
		{name: "cancelled job exits non-zero with on-error warn", inputs: map[string]string{"on-error": "warn"}, cancel: true, wantCode: 2, wantVerd: "error"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				sim, tr := memSim(t, nil, nil)
				if tc.lifecycle != nil {
					if err := sim.SetLifecycle(simulator.DemoProjectID, *tc.lifecycle); err != nil {
						t.Fatal(err)
					}
				}
				in := map[string]string{"url": memSimURL, "token": canary, "project": "payments-service"}
				for k, v := range tc.inputs {
					in[k] = v
				}
				env := actionEnv(t, in, nil)
				env["GITHUB_EVENT_NAME"] = "push"
				env["GITHUB_REF_NAME"] = "main"
				env["GITHUB_HEAD_REF"] = ""
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				if tc.cancel {
					cancel()
				}
				r := runMainVia(t, ctx, tr, nil, env)
				if r.Code != tc.wantCode {
					t.Errorf("exit code = %d, want %d", r.Code, tc.wantCode)
				}
				if got := r.Outputs["verdict"]; got != tc.wantVerd {
					t.Errorf("verdict output = %q, want %q", got, tc.wantVerd)
				}
				for _, w := range tc.wantOut {
					if !strings.Contains(r.Stdout+r.Stderr, w) {
						t.Errorf("output lacks %q:\n%s%s", w, r.Stdout, r.Stderr)
					}
				}
				if strings.Contains(r.Stdout+r.Stderr, "goroutine ") || strings.Contains(r.Stdout+r.Stderr, "panic") {
					t.Errorf("a stack trace reached the user:\n%s", r.Stderr)
				}
			})
		})
	}
}

// TestCLIOutsideGitHub runs the gate as a GitLab job would: flags and
// CODESCORING_* variables, no workflow commands, no files.
func TestCLIOutsideGitHub(t *testing.T) {
	t.Parallel()
	_, url := startSim(t, nil)
	env := map[string]string{
		"CODESCORING_URL":     url,
		"CODESCORING_TOKEN":   canary,
		"CI_COMMIT_REF_NAME":  "feature/login",
		"CI_COMMIT_SHA":       runnertest.HeadSHA,
		"CODESCORING_PROJECT": "340",
	}
	r := runMain(t, context.Background(), []string{"--mode", "warn"}, env)
	if r.Code != 0 {
		t.Fatalf("exit = %d\n%s%s", r.Code, r.Stdout, r.Stderr)
	}
	if strings.Contains(r.Stdout, "::") {
		t.Errorf("workflow commands outside GitHub Actions:\n%s", r.Stdout)
	}
	for _, w := range []string{"CodeScoring gate: WARN", "feature/login @ " + runnertest.HeadSHA[:12]} {
		if !strings.Contains(r.Stdout, w) {
			t.Errorf("stdout lacks %q:\n%s", w, r.Stdout)
		}
	}
}

func TestBadInputReportedTogether(t *testing.T) {
	t.Parallel()
	env := actionEnv(t, map[string]string{"url": "cs.example.com", "mode": "strict", "wait-timeout": "0"}, nil)
	r := runMain(t, context.Background(), nil, env)
	if r.Code != 2 {
		t.Errorf("exit = %d, want 2", r.Code)
	}
	for _, w := range []string{"`url`", "`token` is required", "`project` is required", "`mode`", "`wait-timeout`", "5 invalid input(s)"} {
		if !strings.Contains(r.Stderr, w) {
			t.Errorf("stderr lacks %q:\n%s", w, r.Stderr)
		}
	}
	if got := strings.Count(r.Stdout, "::error title=CodeScoring gate%3A invalid input::"); got != 5 {
		t.Errorf("%d error annotations, want 5:\n%s", got, r.Stdout)
	}
	if r.Outputs["verdict"] != "error" {
		t.Errorf("verdict output = %q, want error", r.Outputs["verdict"])
	}
	if !strings.Contains(r.Summary, "invalid input") || !strings.Contains(r.Summary, "is required") {
		t.Errorf("job summary does not list the invalid inputs:\n%s", r.Summary)
	}
}

func TestCommandsAndHelp(t *testing.T) {
	t.Parallel()
	cases := []struct {
		args     []string
		wantCode int
		want     string
	}{
		{[]string{"--help"}, 0, "--wait-timeout"},
		{[]string{"help"}, 0, "Verdicts and exit codes"},
		{[]string{"version"}, 0, "codescoring-gate dev"},
		{[]string{"--no-such-flag"}, 2, "flag provided but not defined"},
		{[]string{"deploy"}, 2, `unexpected argument "deploy"`},
	}
	for _, tc := range cases {
		r := runMain(t, context.Background(), tc.args, nil)
		if r.Code != tc.wantCode || !strings.Contains(r.Stdout+r.Stderr, tc.want) {
			t.Errorf("%v: exit %d, output lacks %q?\n%s%s", tc.args, r.Code, tc.want, r.Stdout, r.Stderr)
		}
	}
}

// TestDoctorCommand runs doctor through Main, as a subcommand and as the
// action's command input, and checks that it starts nothing.
func TestDoctorCommand(t *testing.T) {
	t.Parallel()
	sim, url := startSim(t, nil)
	r := runMain(t, context.Background(), []string{"doctor", "--url", url, "--token", canary, "--project", "payments-service", "--stage", "source"}, nil)
	if r.Code != 0 {
		t.Errorf("doctor exit = %d, want 0:\n%s%s", r.Code, r.Stdout, r.Stderr)
	}
	for _, w := range []string{"✔ token", "✔ project", "✔ endpoints"} {
		if !strings.Contains(r.Stdout, w) {
			t.Errorf("doctor output lacks %q:\n%s", w, r.Stdout)
		}
	}
	rj := runMain(t, context.Background(), []string{"doctor", "--json", "--url", url, "--token", canary, "--project", "nope"}, nil)
	if rj.Code != 1 || !strings.Contains(rj.Stdout, `"ok": false`) {
		t.Errorf("doctor --json for an unknown project: exit %d\n%s%s", rj.Code, rj.Stdout, rj.Stderr)
	}
	env := actionEnv(t, map[string]string{"url": url, "token": canary, "project": "340", "command": "doctor"}, nil)
	ra := runMain(t, context.Background(), nil, env)
	if ra.Code != 0 || !strings.Contains(ra.Summary, "CodeScoring doctor") {
		t.Errorf("doctor as the action: exit %d, summary %q", ra.Code, head(ra.Summary))
	}
	for _, req := range sim.Requests() {
		if req.Method != http.MethodGet {
			t.Errorf("doctor sent %s %s", req.Method, req.Path)
		}
	}
	if all := r.All() + rj.All() + strings.ReplaceAll(ra.All(), "::add-mask::"+canary, ""); strings.Contains(all, canary) {
		t.Errorf("the token leaked:\n%s", all)
	}
}
