package bench

import (
	"context"
	"fmt"
	"maps"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/app"
	"github.com/codescoring-gate/codescoring-gate/internal/runnertest"
	"github.com/codescoring-gate/codescoring-gate/internal/simulator"
)

// ghToken is the GitHub token of the comment runs.
const ghToken = "ghs_benchgithubtoken0042"

// fixedClock is a clock that never moves: two runs on it decide at the same
// instant, so they render the same report.
type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

// prRun runs the program as the GitHub runner runs the action on a
// pull_request event for acme/app#12, with the given inputs, on a clock that
// never moves (so that equal outcomes render equal comments), and returns
// its exit code.
func prRun(t *testing.T, gh *runnertest.GitHub, clock fixedClock, inputs map[string]string) int {
	t.Helper()
	inputs = maps.Clone(inputs)
	inputs["token"] = benchToken
	st := runnertest.NewStep(t, runnertest.Action{Event: runnertest.PullRequest, Inputs: inputs, GitHubToken: ghToken, GitHub: gh}.Env(t))
	sys := app.System{Getenv: st.Getenv, ReadFile: os.ReadFile, Stdout: &st.Stdout, Stderr: &st.Stderr, Clock: clock}
	code := app.Main(context.Background(), nil, sys)
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
	steps := []struct {
		name   string
		inputs map[string]string
		// want is every call of the run, by route.
		want map[string]int
		// wantOurs is how many comments the gate has written by then.
		wantOurs int
	}{
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
			now := time.Now().UTC().Truncate(time.Second)
			clock := fixedClock{now}
			// An analysis of the PR head finished an hour ago: with start
			// false every run waits for that one, so equal runs decide the
			// same.
			sc := demoWithLifecycle(simulator.Lifecycle{})
			sc.Analyses = []simulator.SeedAnalysis{{Project: simulator.DemoProjectID,
				BranchOrTag: "feature/login", Commit: headSHA, StartedAgo: time.Hour}}
			_, base := serveSim(t, simulator.Options{Scenario: sc, Now: clock.Now})
			gh := runnertest.NewGitHub(t, ghToken)
			for i := range others {
				gh.AddComment(fmt.Sprintf("reviewer-%d", i%3), fmt.Sprintf("Looks good, but see line %d.", i))
			}
			common := map[string]string{"url": base, "project": "payments-service", "start": "false"}

			for _, step := range steps {
				inputs := map[string]string{}
				for k, v := range common {
					inputs[k] = v
				}
				for k, v := range step.inputs {
					inputs[k] = v
				}
				code := prRun(t, gh, clock, inputs)
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
		})
	}
}
