package githubpr

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseEvent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		event   string
		payload string
		want    *PullRequest
		wantErr []string
	}{
		{
			name:    "pull_request from the same repository",
			event:   "pull_request",
			payload: string(readTestdata(t, "pull_request.json")),
			want: &PullRequest{Number: 12, HeadSHA: "9fceb02d0ae598e95dc970b74767f19372d61af8", HeadRef: "feature/login",
				HeadRepo: "acme/payments-service", BaseOwner: "acme", BaseRepo: "payments-service", BaseRef: "main"},
		},
		{
			name:    "pull_request_target from a fork",
			event:   "pull_request_target",
			payload: string(readTestdata(t, "pull_request_target_fork.json")),
			want: &PullRequest{Number: 7, HeadSHA: "1111111111111111111111111111111111111111", HeadRef: "patch-1",
				HeadRepo: "contributor/payments-service", BaseOwner: "acme", BaseRepo: "payments-service", BaseRef: "main", Fork: true},
		},
		{
			name:  "a deleted head repository counts as a fork",
			event: "pull_request",
			payload: `{"number":3,"pull_request":{"number":3,"head":{"sha":"abc","ref":"x","repo":null},
				"base":{"ref":"main","repo":{"id":1,"name":"app","full_name":"acme/app","owner":{"login":"acme"}}}}}`,
			want: &PullRequest{Number: 3, HeadSHA: "abc", HeadRef: "x", BaseOwner: "acme", BaseRepo: "app", BaseRef: "main", Fork: true},
		},
		{
			name:  "without ids, repositories compare by full name, ignoring case",
			event: "pull_request",
			payload: `{"pull_request":{"number":4,"head":{"sha":"abc","ref":"x","repo":{"full_name":"ACME/App"}},
				"base":{"ref":"main","repo":{"name":"app","full_name":"acme/app","owner":{"login":"acme"}}}}}`,
			want: &PullRequest{Number: 4, HeadSHA: "abc", HeadRef: "x", HeadRepo: "ACME/App", BaseOwner: "acme", BaseRepo: "app", BaseRef: "main"},
		},
		{
			name:  "number and base repository fall back to the top level",
			event: "pull_request",
			payload: `{"number":5,"pull_request":{"head":{"sha":"abc","ref":"x","repo":{"id":9,"full_name":"acme/app"}}},
				"repository":{"id":9,"full_name":"acme/app"}}`,
			want: &PullRequest{Number: 5, HeadSHA: "abc", HeadRef: "x", HeadRepo: "acme/app", BaseOwner: "acme", BaseRepo: "app"},
		},
		{name: "push is not a pull request", event: "push", payload: `{"ref":"refs/heads/main"}`},
		{name: "issue_comment is not a pull request", event: "issue_comment", payload: `{"issue":{"number":1,"pull_request":{}}}`},
		{name: "other events ignore a malformed payload", event: "workflow_dispatch", payload: `not json`},
		{name: "no event", payload: ``},
		{
			name: "malformed payload", event: "pull_request", payload: `{"pull_request":`,
			wantErr: []string{"parse pull_request event payload", "unexpected end of JSON input", "GITHUB_EVENT_PATH"},
		},
		{
			name: "wrong type", event: "pull_request", payload: `{"pull_request":{"number":"twelve"}}`,
			wantErr: []string{"parse pull_request event payload", "cannot unmarshal"},
		},
		{
			name: "no pull_request object", event: "pull_request_target", payload: `{"action":"opened"}`,
			wantErr: []string{"parse pull_request_target event payload: no pull_request object"},
		},
		{
			name: "missing fields are all named", event: "pull_request", payload: `{"pull_request":{"head":{"ref":"x"}}}`,
			wantErr: []string{"no pull request number", "no pull_request.head.sha", "no pull_request.base.repo owner and name"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseEvent(tc.event, []byte(tc.payload))
			if tc.wantErr != nil {
				if err == nil {
					t.Fatalf("ParseEvent() = %+v, want an error", got)
				}
				for _, w := range tc.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error = %q, want it to contain %q", err, w)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseEvent() error = %v", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ParseEvent() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
