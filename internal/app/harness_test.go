package app

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/codescoring-gate/codescoring-gate/internal/runnertest"
	"github.com/codescoring-gate/codescoring-gate/internal/simulator"
	"github.com/codescoring-gate/codescoring-gate/internal/simulator/simtest"
	"github.com/codescoring-gate/codescoring-gate/internal/testnet"
)

// canary is the CodeScoring token of every test run: it must never appear in
// anything the gate writes.
const canary = "CANARY-cs-token-5f2b9c7e1d"

// ghCanary is the GitHub token of the runner tests.
const ghCanary = "ghs_CANARYgithubtoken0042"

// startSim serves the demo scenario with instant analyses and the canary
// token on 127.0.0.1; tweak may change the options first.
func startSim(t *testing.T, tweak func(*simulator.Options)) (*simtest.Server, string) {
	t.Helper()
	sim := newSim(tweak)
	srv := httptest.NewServer(sim)
	t.Cleanup(func() {
		sim.Close() // first: it releases hung requests, which srv.Close waits for
		srv.Close()
	})
	return sim, srv.URL
}

func newSim(tweak func(*simulator.Options)) *simtest.Server {
	sc := simulator.DemoScenario()
	for i := range sc.Projects {
		sc.Projects[i].Lifecycle = simulator.Lifecycle{}
	}
	opts := simulator.Options{Scenario: sc, Token: canary}
	if tweak != nil {
		tweak(&opts)
	}
	return simtest.New(opts)
}

// memSimURL is where memSim serves: a port of 127.0.0.1 that a request
// missing the transport finds closed.
const memSimURL = "http://127.0.0.1:9"

// memSim is startSim in memory, for a test in a testing/synctest bubble: it
// returns the simulator at memSimURL and the System.Transport that reaches
// it, and gh (when set) at runnertest.MemoryAPIURL (see memEnv). Time in
// the bubble is fake, so analyses may take their time.
func memSim(t *testing.T, tweak func(*simulator.Options), gh *runnertest.GitHub) (*simtest.Server, http.RoundTripper) {
	t.Helper()
	sim := newSim(tweak)
	t.Cleanup(func() { sim.Close() })
	hosts := map[string]http.RoundTripper{strings.TrimPrefix(memSimURL, "http://"): testnet.Memory(sim)}
	if gh != nil {
		u, _ := url.Parse(runnertest.MemoryAPIURL)
		hosts[u.Host] = gh.Transport()
	}
	return sim, hostTransport(hosts)
}

// hostTransport sends each request to the transport of its host.
type hostTransport map[string]http.RoundTripper

func (h hostTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if rt, ok := h[req.URL.Host]; ok {
		return rt.RoundTrip(req)
	}
	return nil, fmt.Errorf("no test server at %s", req.URL.Host)
}

// memEnv is actionEnv for a test on memSim with gh.
func memEnv(t *testing.T, inputs map[string]string) map[string]string {
	t.Helper()
	env := actionEnv(t, inputs, nil)
	env["GITHUB_API_URL"] = runnertest.MemoryAPIURL
	return env
}

// runMain runs Main as the GitHub runner runs a step with env: when env has
// GITHUB_ACTIONS=true, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY point at fresh
// files (see runnertest.NewStep).
func runMain(t *testing.T, ctx context.Context, args []string, env map[string]string) runnertest.Result {
	t.Helper()
	return runMainVia(t, ctx, nil, args, env)
}

// runMainVia is runMain with System.Transport tr.
func runMainVia(t *testing.T, ctx context.Context, tr http.RoundTripper, args []string, env map[string]string) runnertest.Result {
	t.Helper()
	st := runnertest.NewStep(t, env)
	code := Main(ctx, args, System{Getenv: st.Getenv, ReadFile: os.ReadFile, Stdout: &st.Stdout, Stderr: &st.Stderr, Transport: tr})
	return st.Result(t, code)
}

// actionEnv is the environment of a pull_request run of the action, with the
// given inputs (names as in action.yml); gh, when set, is the GitHub API.
func actionEnv(t *testing.T, inputs map[string]string, gh *runnertest.GitHub) map[string]string {
	t.Helper()
	return runnertest.Action{Event: runnertest.PullRequest, Inputs: inputs, GitHubToken: ghCanary, GitHub: gh}.Env(t)
}
