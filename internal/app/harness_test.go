package app

import (
	"context"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/codescoring-gate/codescoring-gate/internal/runnertest"
	"github.com/codescoring-gate/codescoring-gate/internal/simulator"
	"github.com/codescoring-gate/codescoring-gate/internal/simulator/simtest"
)

// canary is the CodeScoring token of every test run: it must never appear in
// anything the gate writes.
const canary = "CANARY-cs-token-5f2b9c7e1d"

// ghCanary is the GitHub token of the runner tests.
const ghCanary = "ghs_CANARYgithubtoken0042"

// startSim serves the demo scenario with instant analyses and the canary
// token; tweak may change the options first.
func startSim(t *testing.T, tweak func(*simulator.Options)) (*simtest.Server, string) {
	t.Helper()
	sc := simulator.DemoScenario()
	for i := range sc.Projects {
		sc.Projects[i].Lifecycle = simulator.Lifecycle{}
	}
	opts := simulator.Options{Scenario: sc, Token: canary}
	if tweak != nil {
		tweak(&opts)
	}
	sim := simtest.New(opts)
	srv := httptest.NewServer(sim)
	t.Cleanup(func() {
		sim.Close() // first: it releases hung requests, which srv.Close waits for
		srv.Close()
	})
	return sim, srv.URL + opts.Prefix
}

// runMain runs Main as the GitHub runner runs a step with env: when env has
// GITHUB_ACTIONS=true, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY point at fresh
// files (see runnertest.NewStep).
func runMain(t *testing.T, ctx context.Context, args []string, env map[string]string) runnertest.Result {
	t.Helper()
	st := runnertest.NewStep(t, env)
	code := Main(ctx, args, System{Getenv: st.Getenv, ReadFile: os.ReadFile, Stdout: &st.Stdout, Stderr: &st.Stderr})
	return st.Result(t, code)
}

// actionEnv is the environment of a pull_request run of the action, with the
// given inputs (names as in action.yml); gh, when set, is the GitHub API.
func actionEnv(t *testing.T, inputs map[string]string, gh *runnertest.GitHub) map[string]string {
	t.Helper()
	return runnertest.Action{Event: runnertest.PullRequest, Inputs: inputs, GitHubToken: ghCanary, GitHub: gh}.Env(t)
}
