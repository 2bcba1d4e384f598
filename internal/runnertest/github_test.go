package runnertest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/codescoring-gate/codescoring-gate/internal/runnertest"
)

const token = "ghs_faketoken"

// answer is what the fake said to one call.
type answer struct {
	status int
	body   string
	link   string
}

// call sends one request to gh's API at path (below the API URL) with
// token tok and returns the answer.
func call(t *testing.T, gh *runnertest.GitHub, method, path, tok, body string) answer {
	t.Helper()
	req, err := http.NewRequest(method, gh.APIURL()+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return answer{status: resp.StatusCode, body: string(b), link: resp.Header.Get("Link")}
}

// listed returns the ids and logins of a comment list.
func listed(t *testing.T, body string) []string {
	t.Helper()
	var list []struct {
		ID   int64
		User struct{ Login string }
		URL  string `json:"html_url"`
	}
	if err := json.Unmarshal([]byte(body), &list); err != nil {
		t.Fatalf("the list is not JSON: %v\n%s", err, body)
	}
	var out []string
	for _, c := range list {
		out = append(out, c.User.Login+" "+c.URL)
	}
	return out
}

func TestGitHub(t *testing.T) {
	t.Parallel()
	const comments = "/repos/acme/app/issues/12/comments"
	for _, tc := range []struct {
		name string
		// run makes the calls and returns what the test compares.
		run       func(t *testing.T, gh *runnertest.GitHub) []any
		want      []any
		wantCalls map[string]int
		wantOurs  []string
	}{
		{
			name: "create, list and edit our comment",
			run: func(t *testing.T, gh *runnertest.GitHub) []any {
				t.Helper()
				gh.AddComment("reviewer", "LGTM")
				created := call(t, gh, http.MethodPost, comments, token, `{"body":"first"}`)
				edited := call(t, gh, http.MethodPatch, "/repos/acme/app/issues/comments/2", token, `{"body":"second"}`)
				list := call(t, gh, http.MethodGet, comments, token, "")
				return []any{created.status, edited.status, list.status, listed(t, list.body)}
			},
			want: []any{http.StatusCreated, http.StatusOK, http.StatusOK, []string{
				"reviewer https://github.com/acme/app/pull/12#issuecomment-1",
				"github-actions[bot] https://github.com/acme/app/pull/12#issuecomment-2",
			}},
			wantCalls: map[string]int{runnertest.RouteCreate: 1, runnertest.RouteEdit: 1, runnertest.RouteList: 1},
			wantOurs:  []string{"second"},
		},
		{
			name: "lists are paged as GitHub pages them",
			run: func(t *testing.T, gh *runnertest.GitHub) []any {
				t.Helper()
				for range 5 {
					gh.AddComment("reviewer", "nit")
				}
				first := call(t, gh, http.MethodGet, comments+"?per_page=2", token, "")
				last := call(t, gh, http.MethodGet, comments+"?per_page=2&page=3", token, "")
				return []any{len(listed(t, first.body)), strings.Contains(first.link, `page=2`) && strings.HasSuffix(first.link, `>; rel="next"`),
					len(listed(t, last.body)), last.link}
			},
			want:      []any{2, true, 1, ""},
			wantCalls: map[string]int{runnertest.RouteList: 2},
		},
		{
			name: "a call without the token is refused and counted",
			run: func(t *testing.T, gh *runnertest.GitHub) []any {
				t.Helper()
				list := call(t, gh, http.MethodGet, comments, "", "")
				create := call(t, gh, http.MethodPost, comments, "ghs_other", `{"body":"x"}`)
				return []any{list.status, create.status, gh.Denied()}
			},
			want:      []any{http.StatusUnauthorized, http.StatusUnauthorized, 2},
			wantCalls: map[string]int{runnertest.RouteList: 1, runnertest.RouteCreate: 1},
		},
		{
			name: "denied writes",
			run: func(t *testing.T, gh *runnertest.GitHub) []any {
				t.Helper()
				gh.DenyWrites(http.StatusForbidden)
				create := call(t, gh, http.MethodPost, comments, token, `{"body":"x"}`)
				return []any{create.status, gh.Denied()}
			},
			want:      []any{http.StatusForbidden, 0},
			wantCalls: map[string]int{runnertest.RouteCreate: 1},
		},
		{
			name: "editing a comment that does not exist",
			run: func(t *testing.T, gh *runnertest.GitHub) []any {
				t.Helper()
				missing := call(t, gh, http.MethodPatch, "/repos/acme/app/issues/comments/9", token, `{"body":"x"}`)
				bad := call(t, gh, http.MethodPatch, "/repos/acme/app/issues/comments/x", token, `{"body":"x"}`)
				return []any{missing.status, bad.status}
			},
			want:      []any{http.StatusNotFound, http.StatusNotFound},
			wantCalls: map[string]int{runnertest.RouteEdit: 2},
		},
		{
			name: "a body that is not JSON",
			run: func(t *testing.T, gh *runnertest.GitHub) []any {
				t.Helper()
				return []any{call(t, gh, http.MethodPost, comments, token, `{`).status}
			},
			want:      []any{http.StatusBadRequest},
			wantCalls: map[string]int{runnertest.RouteCreate: 1},
		},
		{
			name: "the pull request's head, the user and other routes",
			run: func(t *testing.T, gh *runnertest.GitHub) []any {
				t.Helper()
				before := call(t, gh, http.MethodGet, "/repos/acme/app/pulls/12", token, "")
				gh.SetHead("2222222222222222222222222222222222222222")
				after := call(t, gh, http.MethodGet, "/repos/acme/app/pulls/12", token, "")
				user := call(t, gh, http.MethodGet, "/user", token, "")
				other := call(t, gh, http.MethodGet, "/repos/acme/app/pulls/13", token, "")
				return []any{strings.Contains(before.body, runnertest.HeadSHA), strings.Contains(after.body, "2222222222"),
					user.status, other.status}
			},
			want: []any{true, true, http.StatusForbidden, http.StatusNotFound},
			wantCalls: map[string]int{runnertest.RoutePull: 2, runnertest.RouteUser: 1,
				"unexpected GET /api/v3/repos/acme/app/pulls/13": 1},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			gh := runnertest.NewGitHub(t, token)
			if diff := cmp.Diff(tc.want, tc.run(t, gh)); diff != "" {
				t.Errorf("answers mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantCalls, gh.TakeCalls()); diff != "" {
				t.Errorf("calls mismatch (-want +got):\n%s", diff)
			}
			if got := gh.TakeCalls(); len(got) != 0 {
				t.Errorf("a second TakeCalls() = %v, want none", got)
			}
			if diff := cmp.Diff(tc.wantOurs, gh.Ours()); diff != "" {
				t.Errorf("Ours() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
