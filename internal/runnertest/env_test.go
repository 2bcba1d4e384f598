package runnertest_test

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/codescoring-gate/codescoring-gate/internal/runnertest"
)

func TestActionEnv(t *testing.T) {
	t.Parallel()
	gh := runnertest.NewGitHub(t, "ghs_token")
	for _, tc := range []struct {
		name   string
		action runnertest.Action
		// want are variables the environment must have; "" must be unset
		// or empty.
		want map[string]string
		// wantEvent: GITHUB_EVENT_PATH names a pull_request payload.
		wantEvent bool
	}{
		{
			name:   "push with the defaults",
			action: runnertest.Action{GitHubToken: "ghs_token"},
			want: map[string]string{
				"GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "push", "GITHUB_REPOSITORY": "acme/app",
				"GITHUB_SHA": runnertest.HeadSHA, "GITHUB_REF_NAME": "main", "GITHUB_EVENT_PATH": "", "GITHUB_API_URL": "",
				"GITHUB_OUTPUT": "", "GITHUB_STEP_SUMMARY": "",
				"INPUT_MODE": "enforce", "INPUT_WAIT-TIMEOUT": "30m", "INPUT_ON-ERROR": "fail", "INPUT_COMMENT": "always",
				"INPUT_START": "true", "INPUT_COMMAND": "gate", "INPUT_GITHUB-TOKEN": "ghs_token", "INPUT_URL": "",
			},
		},
		{
			name: "pull request with inputs and the API",
			action: runnertest.Action{Event: runnertest.PullRequest, GitHubToken: "ghs_token", GitHub: gh,
				Inputs: map[string]string{"url": "https://cs.example.com", "wait-timeout": "1m", "ca-cert": "/ca.pem"}},
			want: map[string]string{
				"GITHUB_EVENT_NAME": "pull_request", "GITHUB_SHA": runnertest.MergeSHA, "GITHUB_REF_NAME": "12/merge",
				"GITHUB_HEAD_REF": "feature/login", "GITHUB_API_URL": gh.APIURL(),
				"INPUT_URL": "https://cs.example.com", "INPUT_WAIT-TIMEOUT": "1m", "INPUT_CA-CERT": "/ca.pem", "INPUT_MODE": "enforce",
			},
			wantEvent: true,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := tc.action.Env(t)
			for k, want := range tc.want {
				if got := env[k]; got != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
			if !tc.wantEvent {
				return
			}
			b, err := os.ReadFile(env["GITHUB_EVENT_PATH"])
			if err != nil {
				t.Fatalf("read the event: %v", err)
			}
			var ev struct {
				Number      int
				PullRequest struct {
					Number int
					Head   struct{ SHA, Ref string }
					Base   struct {
						Ref  string
						Repo struct {
							FullName string `json:"full_name"`
						}
					}
				} `json:"pull_request"`
				Repository struct {
					Name  string
					Owner struct{ Login string }
				}
			}
			if err := json.Unmarshal(b, &ev); err != nil {
				t.Fatalf("the event is not JSON: %v\n%s", err, b)
			}
			got := []any{ev.Number, ev.PullRequest.Number, ev.PullRequest.Head.SHA, ev.PullRequest.Head.Ref,
				ev.PullRequest.Base.Ref, ev.PullRequest.Base.Repo.FullName, ev.Repository.Owner.Login, ev.Repository.Name}
			want := []any{12, 12, runnertest.HeadSHA, "feature/login", "main", "acme/app", "acme", "app"}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("event payload mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestInputVar(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"url", "INPUT_URL"},
		{"wait-timeout", "INPUT_WAIT-TIMEOUT"},
		{"github-token", "INPUT_GITHUB-TOKEN"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			if got := runnertest.InputVar(tc.in); got != tc.want {
				t.Errorf("InputVar(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
