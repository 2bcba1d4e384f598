package bench

import (
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/app"
	"github.com/codescoring-gate/codescoring-gate/internal/runnertest"
	"github.com/codescoring-gate/codescoring-gate/internal/simulator"
	"github.com/codescoring-gate/codescoring-gate/internal/testnet"
)

// ghToken is the GitHub token of the comment runs.
const ghToken = "ghs_benchgithubtoken0042"

// hosts is a RoundTripper that sends each request on to the RoundTripper of
// its host: the simulator and the fake GitHub in one run's
// app.System.Transport.
type hosts map[string]http.RoundTripper

func (h hosts) RoundTrip(r *http.Request) (*http.Response, error) {
	rt, ok := h[r.URL.Host]
	if !ok {
		return nil, fmt.Errorf("no test server at %s", r.URL.Host)
	}
	return rt.RoundTrip(r)
}

// prRun runs the program as the GitHub runner runs the action on a
// pull_request event for acme/app#12, with the given inputs, through
// transport, and returns its exit code.
func prRun(t *testing.T, transport http.RoundTripper, inputs map[string]string) int {
	t.Helper()
	inputs = maps.Clone(inputs)
	inputs["token"] = benchToken
	env := runnertest.Action{Event: runnertest.PullRequest, Inputs: inputs, GitHubToken: ghToken}.Env(t)
	env["GITHUB_API_URL"] = runnertest.MemoryAPIURL
	st := runnertest.NewStep(t, env)
	sys := app.System{Getenv: st.Getenv, ReadFile: os.ReadFile, Stdout: &st.Stdout, Stderr: &st.Stderr, Transport: transport}
	code := app.Main(t.Context(), nil, sys)
	if strings.Contains(st.Stdout.String(), "::warning title=PR comment") || strings.Contains(st.Stderr.String(), "PR comment") {
		t.Errorf("the PR comment failed:\nstdout:\n%s\nstderr:\n%s", hideToken(st.Stdout.String()), hideToken(st.Stderr.String()))
	}
	return code
}

// TestStickyCommentCalls counts the GitHub API calls of the sticky comment
// per run of the whole program on a pull_request event: one page of comment
// listing for a PR with fewer than 100 comments, at most one write, and no
// write when the body has not changed.
func TestStickyCommentCalls(t *testing.T) {
	t.Parallel()
	// Each step is one run of the same job, in order.
	steps := []stickyStep{
		{
			name:     "first run creates the comment",
			want:     map[string]int{runnertest.RouteList: 1, runnertest.RoutePull: 1, runnertest.RouteCreate: 1},
			wantOurs: 1,
		},
		{
			name:     "re-run with the same outcome writes nothing",
			want:     map[string]int{runnertest.RouteList: 1, runnertest.RouteUser: 1},
			wantOurs: 1,
		},
		{
			name:     "run with a new outcome edits the comment",
			inputs:   map[string]string{"mode": "warn"},
			want:     map[string]int{runnertest.RouteList: 1, runnertest.RouteUser: 1, runnertest.RoutePull: 1, runnertest.RouteEdit: 1},
			wantOurs: 1,
		},
		{
			// A new analysis has a new id, so the body changes.
			name:     "run that starts a new analysis edits the comment",
			inputs:   map[string]string{"start": "true"},
			want:     map[string]int{runnertest.RouteList: 1, runnertest.RouteUser: 1, runnertest.RoutePull: 1, runnertest.RouteEdit: 1},
			wantOurs: 1,
		},
	}
	for _, others := range []int{0, 40, 98} {
		t.Run(fmt.Sprintf("%d other comments", others), func(t *testing.T) {
			t.Parallel()
			// In a bubble, whose clock stands still while the runs do not
			// wait, so that equal outcomes render equal comments.
			synctest.Test(t, func(t *testing.T) { stickyCommentCalls(t, others, steps) })
		})
	}
}

// stickyStep is one run of TestStickyCommentCalls.
type stickyStep struct {
	name   string
	inputs map[string]string
	// want is every call of the run, by route.
	want map[string]int
	// wantOurs is how many comments the gate has written by then.
	wantOurs int
}

// stickyCommentCalls runs steps one after the other on a pull request with
// others comments that are not the gate's, and checks the calls of each.
func stickyCommentCalls(t *testing.T, others int, steps []stickyStep) {
	t.Helper()
	// An analysis of the PR head finished an hour ago: with start
	// false every run waits for that one, so equal runs decide the
	// same.
	sc := demoWithLifecycle(simulator.Lifecycle{})
	sc.Analyses = []simulator.SeedAnalysis{{Project: simulator.DemoProjectID,
		BranchOrTag: "feature/login", Commit: headSHA, StartedAgo: time.Hour}}
	sim := newSim(t, simulator.Options{Scenario: sc})
	gh := runnertest.NewGitHub(t, ghToken)
	ghURL, err := url.Parse(runnertest.MemoryAPIURL)
	if err != nil {
		t.Fatal(err)
	}
	transport := hosts{ghURL.Host: gh.Transport(), simHost: testnet.Memory(sim)}
	for i := range others {
		gh.AddComment(fmt.Sprintf("reviewer-%d", i%3), fmt.Sprintf("Looks good, but see line %d.", i))
	}
	common := map[string]string{"url": simURL, "project": "payments-service", "start": "false"}

	for _, step := range steps {
		inputs := map[string]string{}
		for k, v := range common {
			inputs[k] = v
		}
		for k, v := range step.inputs {
			inputs[k] = v
		}
		code := prRun(t, transport, inputs)
		if code != 0 && code != 1 {
			t.Fatalf("%s: exit code %d, want 0 or 1 (a verdict)", step.name, code)
		}
		got := gh.TakeCalls()
		if fmt.Sprint(got) != fmt.Sprint(step.want) {
			t.Errorf("%s: GitHub calls %v, want %v", step.name, got, step.want)
		}
		if got[runnertest.RouteList] > 1 {
			t.Errorf("%s: %d pages of comments listed, want 1 for %d comments", step.name, got[runnertest.RouteList], others+1)
		}
		if writes := got[runnertest.RouteCreate] + got[runnertest.RouteEdit]; writes > 1 {
			t.Errorf("%s: %d writes, want at most 1", step.name, writes)
		}
		if ours := gh.Ours(); len(ours) != step.wantOurs {
			t.Errorf("%s: the gate has %d comments, want %d", step.name, len(ours), step.wantOurs)
		}
	}
	for _, body := range gh.Ours() {
		if !strings.Contains(body, "codescoring-gate:marker") || strings.Contains(body, benchToken) {
			t.Errorf("the comment lacks its marker or shows the token:\n%s", hideToken(body))
		}
	}
}
