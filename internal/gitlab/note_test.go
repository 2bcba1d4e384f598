package gitlab

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	gl "gitlab.com/gitlab-org/api/client-go/v2"

	"github.com/codescoring-gate/codescoring-gate/internal/githubpr"
	"github.com/codescoring-gate/codescoring-gate/internal/gitlabtest"
	"github.com/codescoring-gate/codescoring-gate/internal/testcert"
)

const (
	testToken = "glpat-testtokenNEVERPRINTED012345"
	project   = "4242"
	iid       = int64(7)
	head      = "9fceb02d0ae598e95dc970b74767f19372d61af8"
)

var (
	bot   = gitlabtest.User{ID: 501, Username: "project_4242_bot_3f2a"}
	alice = gitlabtest.User{ID: 12, Username: "alice"}
)

// setup starts a fake GitLab under a self-managed path prefix and a Note
// talking to it through client-go.
func setup(t *testing.T, opts ...Option) (*gitlabtest.Server, *Note) {
	t.Helper()
	fake := gitlabtest.New(t, "/gitlab/api/v4", project)
	fake.AddToken(testToken, bot)
	fake.SetHead(iid, head)
	c, err := NewClient(ClientConfig{Token: testToken, APIURL: fake.APIURL})
	if err != nil {
		t.Fatal(err)
	}
	return fake, NewNoteFromClient(c, opts...)
}

func marker(job string) githubpr.Marker {
	return githubpr.Marker{ProjectID: 340, Workflow: "gitlab", Job: job}
}

func request(fake *gitlabtest.Server, job, body string) Request {
	return Request{Project: project, MergeRequest: iid, WebURL: fake.WebURL(iid), HeadSHA: head,
		Marker: marker(job), Body: body, Policy: githubpr.PolicyAlways, Failing: true}
}

func post(t *testing.T, n *Note, req Request) githubpr.Result {
	t.Helper()
	res, err := n.Post(context.Background(), req)
	if err != nil {
		t.Fatalf("Post: %v", err)
	}
	return res
}

func TestCreateThenUpdate(t *testing.T) {
	t.Parallel()
	fake, n := setup(t)
	res := post(t, n, request(fake, "codescoring", "## fail\n\n2 alerts block"))
	if res.Action != githubpr.ActionCreated {
		t.Fatalf("first run: %+v, want created", res)
	}
	notes := fake.Notes(iid)
	if len(notes) != 1 {
		t.Fatalf("%d notes, want 1", len(notes))
	}
	id := notes[0].ID
	if want := fmt.Sprintf("%s#note_%d", fake.WebURL(iid), id); res.URL != want {
		t.Errorf("URL = %q, want %q", res.URL, want)
	}
	if m, ok := githubpr.ParseMarker(notes[0].Body); !ok || !m.SameKey(marker("codescoring")) || m.HeadSHA != head {
		t.Errorf("note has marker %+v (%v), want the request's with the head SHA", m, ok)
	}

	res = post(t, n, request(fake, "codescoring", "## pass\n\nnothing blocks"))
	if res.Action != githubpr.ActionUpdated {
		t.Fatalf("second run: %+v, want updated", res)
	}
	notes = fake.Notes(iid)
	if len(notes) != 1 || notes[0].ID != id || !strings.HasPrefix(notes[0].Body, "## pass") {
		t.Fatalf("notes after the update = %+v, want the one note with the new body", notes)
	}
	if got := fake.Calls(gitlabtest.RouteCreate); got != 1 {
		t.Errorf("%d creates, want 1", got)
	}
	if got := fake.Calls(gitlabtest.RouteUser); got != 1 {
		t.Errorf("GET /user asked %d times, want once per Note", got)
	}
}

func TestNoWriteWhenUnchanged(t *testing.T) {
	t.Parallel()
	fake, n := setup(t)
	req := request(fake, "codescoring", "## fail\n\n2 alerts block")
	post(t, n, req)
	writes, mrReads := fake.Writes(), fake.Calls(gitlabtest.RouteMR)
	req.Body += "\r\n\n" // white space and line endings do not count
	res := post(t, n, req)
	if res.Action != githubpr.ActionUnchanged || res.URL == "" {
		t.Errorf("re-run: %+v, want unchanged with the URL", res)
	}
	if fake.Writes() != writes || fake.Calls(gitlabtest.RouteMR) != mrReads {
		t.Errorf("a re-run with the same body wrote or read the merge request: writes %d→%d", writes, fake.Writes())
	}
}

func TestLookAlikeByAnotherUserIsLeftAlone(t *testing.T) {
	t.Parallel()
	fake, n := setup(t)
	copied := "## fail\n\nquoted by a person\n\n" + marker("codescoring").String()
	otherID := fake.AddNote(iid, alice, copied, false)
	fake.AddNote(iid, bot, "system: added 1 commit\n\n"+marker("codescoring").String(), true)

	res := post(t, n, request(fake, "codescoring", "## pass"))
	if res.Action != githubpr.ActionCreated {
		t.Fatalf("%+v, want created: the look-alike is not ours", res)
	}
	for _, note := range fake.Notes(iid) {
		if note.ID == otherID && note.Body != copied {
			t.Errorf("alice's note was edited")
		}
	}
	if got := len(fake.Notes(iid)); got != 3 {
		t.Errorf("%d notes, want 3", got)
	}
}

func TestTwoJobsKeptApart(t *testing.T) {
	t.Parallel()
	fake, n := setup(t)
	post(t, n, request(fake, "sca/build", "build leg: fail"))
	post(t, n, request(fake, "sca/prod", "prod leg: pass"))
	if res := post(t, n, request(fake, "sca/build", "build leg: pass")); res.Action != githubpr.ActionUpdated {
		t.Fatalf("%+v, want updated", res)
	}
	notes := fake.Notes(iid)
	if len(notes) != 2 {
		t.Fatalf("%d notes, want one per job", len(notes))
	}
	if !strings.HasPrefix(notes[0].Body, "build leg: pass") || !strings.HasPrefix(notes[1].Body, "prod leg: pass") {
		t.Errorf("notes = %q and %q, want each job's own", notes[0].Body, notes[1].Body)
	}
}

func TestStalePipelineWritesNothing(t *testing.T) {
	t.Parallel()
	fake, n := setup(t)
	post(t, n, request(fake, "codescoring", "old"))
	fake.SetHead(iid, "1111111111111111111111111111111111111111")
	res := post(t, n, request(fake, "codescoring", "newer text from an older pipeline"))
	if res.Action != githubpr.ActionSkippedStale || !strings.Contains(res.Message.String(), "111111111111") {
		t.Fatalf("%+v, want skipped-stale naming the new head", res)
	}
	if fake.Writes() != 1 || !strings.HasPrefix(fake.Notes(iid)[0].Body, "old") {
		t.Errorf("a stale pipeline wrote")
	}
}

func TestJobTokenOnlySendsNothing(t *testing.T) {
	t.Parallel()
	fake := gitlabtest.New(t, "/api/v4", project)
	fake.SetHead(iid, head)
	fake.AddJobToken("job-token")
	c, err := gl.NewJobClient("job-token", gl.WithBaseURL(fake.APIURL))
	if err != nil {
		t.Fatal(err)
	}
	n := NewNoteFromClient(c, WithJobTokenOnly())
	res := post(t, n, request(fake, "codescoring", "body"))
	if res.Action != githubpr.ActionDenied {
		t.Fatalf("%+v, want denied", res)
	}
	for _, want := range []string{"CI_JOB_TOKEN", "project access token", "`api` scope", "GITLAB_TOKEN"} {
		if !strings.Contains(res.Message.String(), want) {
			t.Errorf("message %q does not say %q", res.Message.String(), want)
		}
	}
	if got := fake.Requests(); len(got) != 0 {
		t.Errorf("requests %v, want none", got)
	}
}

// TestJobTokenIsRefusedWrites shows why: the fake, like GitLab, lets a job
// token list notes but answers 403 to a write; Post reports it as denied.
func TestJobTokenIsRefusedWrites(t *testing.T) {
	t.Parallel()
	fake := gitlabtest.New(t, "/api/v4", project)
	fake.SetHead(iid, head)
	fake.AddJobToken("job-token")
	c, err := gl.NewJobClient("job-token", gl.WithBaseURL(fake.APIURL))
	if err != nil {
		t.Fatal(err)
	}
	res := post(t, NewNoteFromClient(c), request(fake, "codescoring", "body"))
	if res.Action != githubpr.ActionDenied || !strings.Contains(res.Message.String(), "GitLab answered 403") {
		t.Fatalf("%+v, want denied with 403", res)
	}
	if len(fake.Notes(iid)) != 0 {
		t.Errorf("a note was written")
	}
}

func TestForbiddenAndUnauthorized(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		route string
		code  int
		want  string
	}{
		{"403 on create (Guest role)", gitlabtest.RouteCreate, http.StatusForbidden, "GitLab answered 403: the token may not write notes on merge request !7"},
		{"403 on list", gitlabtest.RouteList, http.StatusForbidden, "GitLab answered 403: the token may not read the notes of"},
		{"401 on list (revoked)", gitlabtest.RouteList, http.StatusUnauthorized, "GitLab answered 401: GitLab rejected the token"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake, n := setup(t)
			fake.Fail(tc.route, gitlabtest.Fault{Status: tc.code, Body: fmt.Sprintf("%d Forbidden", tc.code)})
			res := post(t, n, request(fake, "codescoring", "body"))
			if res.Action != githubpr.ActionDenied || !strings.Contains(res.Message.String(), tc.want) || !strings.Contains(res.Message.String(), "api") {
				t.Errorf("%+v, want denied saying %q and which token to create", res, tc.want)
			}
			if strings.Contains(res.Message.String(), testToken) {
				t.Errorf("the message holds the token")
			}
		})
	}
}

func TestServerErrorsAreRetried(t *testing.T) {
	t.Parallel()
	t.Run("list and user", func(t *testing.T) {
		t.Parallel()
		fake, n := setup(t)
		fake.AddNote(iid, bot, "old\n\n"+marker("codescoring").String(), false)
		fake.Fail(gitlabtest.RouteList, gitlabtest.Fault{Status: http.StatusBadGateway, Body: "502 Bad Gateway"})
		fake.Fail(gitlabtest.RouteUser, gitlabtest.Fault{Status: http.StatusServiceUnavailable})
		if res := post(t, n, request(fake, "codescoring", "new")); res.Action != githubpr.ActionUpdated {
			t.Fatalf("%+v, want updated after the retries", res)
		}
		if got := fake.Calls(gitlabtest.RouteList); got != 2 {
			t.Errorf("%d list requests, want 2", got)
		}
	})
	t.Run("a create that landed is not repeated", func(t *testing.T) {
		t.Parallel()
		fake, n := setup(t)
		fake.Fail(gitlabtest.RouteCreate, gitlabtest.Fault{Status: http.StatusGatewayTimeout, Land: true})
		res := post(t, n, request(fake, "codescoring", "body"))
		if res.Action != githubpr.ActionCreated || !strings.HasSuffix(res.URL, fmt.Sprintf("#note_%d", fake.Notes(iid)[0].ID)) {
			t.Fatalf("%+v, want created with the landed note's URL", res)
		}
		if got := len(fake.Notes(iid)); got != 1 {
			t.Errorf("%d notes, want 1: a retried create duplicated the note", got)
		}
		if got := fake.Calls(gitlabtest.RouteCreate); got != 1 {
			t.Errorf("%d creates, want 1", got)
		}
	})
	t.Run("a create that failed is tried again", func(t *testing.T) {
		t.Parallel()
		fake, n := setup(t)
		fake.Fail(gitlabtest.RouteCreate, gitlabtest.Fault{Status: http.StatusInternalServerError})
		if res := post(t, n, request(fake, "codescoring", "body")); res.Action != githubpr.ActionCreated {
			t.Fatalf("%+v, want created", res)
		}
		if got, calls := len(fake.Notes(iid)), fake.Calls(gitlabtest.RouteCreate); got != 1 || calls != 2 {
			t.Errorf("%d notes after %d creates, want 1 after 2", got, calls)
		}
	})
	t.Run("a 400 is not retried", func(t *testing.T) {
		t.Parallel()
		fake, n := setup(t)
		fake.Fail(gitlabtest.RouteCreate, gitlabtest.Fault{Status: http.StatusBadRequest, Body: "400 Bad request - Note {:note=>[\"is too long (maximum is 1000000 characters)\"]}"})
		_, err := n.Post(context.Background(), request(fake, "codescoring", "body"))
		if err == nil || !strings.Contains(err.Error(), "400") {
			t.Fatalf("err = %v, want the 400", err)
		}
		if got := fake.Calls(gitlabtest.RouteCreate); got != 1 {
			t.Errorf("%d creates, want 1", got)
		}
	})
}

func TestPagination(t *testing.T) {
	t.Parallel()
	for _, p := range []struct {
		name string
		p    gitlabtest.Pagination
	}{
		{"both", gitlabtest.PaginationBoth},
		{"X-Next-Page only", gitlabtest.PaginationHeaders},
		{"Link only", gitlabtest.PaginationLink},
	} {
		t.Run(p.name, func(t *testing.T) {
			t.Parallel()
			fake, n := setup(t)
			fake.SetPagination(p.p)
			ours := fake.AddNote(iid, bot, "old\n\n"+marker("codescoring").String(), false)
			for i := range 250 { // newer notes push ours to page 3
				fake.AddNote(iid, alice, fmt.Sprintf("review comment %d", i), false)
			}
			res := post(t, n, request(fake, "codescoring", "new"))
			if res.Action != githubpr.ActionUpdated || !strings.HasSuffix(res.URL, fmt.Sprintf("#note_%d", ours)) {
				t.Fatalf("%+v, want our note on page 3 updated", res)
			}
			if got := fake.Calls(gitlabtest.RouteList); got != 3 {
				t.Errorf("%d list pages read, want 3 (100 per page)", got)
			}
			for _, r := range fake.Requests() {
				if strings.Contains(r, "/notes") && strings.HasPrefix(r, "GET") && !strings.HasPrefix(r, "GET /gitlab/api/v4/projects/4242/merge_requests/7/notes") {
					t.Errorf("request %q left the API prefix", r)
				}
			}
		})
	}
}

func TestSelfManagedURLAndCA(t *testing.T) {
	t.Parallel()
	var (
		mu    sync.Mutex
		paths []string
	)
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths = append(paths, r.URL.EscapedPath())
		mu.Unlock()
		if r.Header.Get("PRIVATE-TOKEN") != testToken {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"id": 501, "username": "project_4242_bot_3f2a"}`)
	}))
	t.Cleanup(srv.Close)
	ca := testcert.PEM(srv.Certificate())

	c, err := NewClient(ClientConfig{Token: testToken, APIURL: srv.URL + "/tools/gitlab/api/v4", CACert: ca})
	if err != nil {
		t.Fatal(err)
	}
	u, _, err := c.Users.CurrentUser()
	if err != nil || u.ID != 501 {
		t.Fatalf("CurrentUser = %+v, %v; want user 501 over TLS with the CA file", u, err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(paths) != 1 || paths[0] != "/tools/gitlab/api/v4/user" {
		t.Errorf("paths %q, want /tools/gitlab/api/v4/user", paths)
	}

	// Without the CA the certificate is not trusted.
	c2, err := NewClient(ClientConfig{Token: testToken, APIURL: srv.URL + "/tools/gitlab/api/v4"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, _, err := c2.Users.CurrentUser(gl.WithContext(ctx)); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("err = %v, want a certificate error without the CA", err)
	}
}

func TestNewClientRejects(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		cfg  ClientConfig
		want string
	}{
		{"relative URL", ClientConfig{APIURL: "gitlab.example.com/api/v4"}, "not an absolute http(s) URL"},
		{"credentials", ClientConfig{APIURL: "https://u:p@gitlab.example.com/api/v4"}, "must not carry credentials"},
		{"CA without certificate", ClientConfig{APIURL: "https://gitlab.example.com/api/v4", CACert: []byte("not pem")}, "holds no PEM certificate"},
	} {
		if _, err := NewClient(tc.cfg); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
	}
}

func TestPolicies(t *testing.T) {
	t.Parallel()
	fake, n := setup(t)
	req := request(fake, "codescoring", "body")
	req.Policy = githubpr.PolicyNever
	if res := post(t, n, req); res.Action != githubpr.ActionSkippedPolicy || len(fake.Requests()) != 0 {
		t.Errorf("never: %+v after %d requests, want skipped with none", res, len(fake.Requests()))
	}
	req.Policy, req.Failing = githubpr.PolicyOnFailure, false
	if res := post(t, n, req); res.Action != githubpr.ActionSkippedPolicy || fake.Writes() != 0 {
		t.Errorf("on-failure, clean, no note: %+v, want skipped", res)
	}
	req.Failing = true
	if res := post(t, n, req); res.Action != githubpr.ActionCreated {
		t.Errorf("on-failure, failing: %+v, want created", res)
	}
	req.Failing, req.Body = false, "clean now"
	if res := post(t, n, req); res.Action != githubpr.ActionUpdated {
		t.Errorf("on-failure, clean, with a note: %+v, want updated", res)
	}
	req.Policy = "sometimes"
	if _, err := n.Post(context.Background(), req); err == nil || !strings.Contains(err.Error(), "sometimes") {
		t.Errorf("unknown policy: err = %v", err)
	}
}

func TestTooManyRequestsIsRetried(t *testing.T) {
	t.Parallel()
	fake, n := setup(t)
	fake.Fail(gitlabtest.RouteCreate, gitlabtest.Fault{Status: http.StatusTooManyRequests, Body: "429 Too Many Requests"})
	if res := post(t, n, request(fake, "codescoring", "body")); res.Action != githubpr.ActionCreated {
		t.Fatalf("%+v, want created after the 429", res)
	}
	if got, calls := len(fake.Notes(iid)), fake.Calls(gitlabtest.RouteCreate); got != 1 || calls != 2 {
		t.Errorf("%d notes after %d creates, want 1 after 2 (a 429 is refused before it is applied)", got, calls)
	}
}

// TestNoteCalls counts the GitLab API calls of one run on a merge request
// with fewer than 100 notes: one page of notes, at most one write, and no
// write (nor merge request read) when the body has not changed.
func TestNoteCalls(t *testing.T) {
	t.Parallel()
	fake, n := setup(t)
	for i := range 60 {
		fake.AddNote(iid, alice, fmt.Sprintf("review %d", i), false)
	}
	steps := []struct {
		name string
		body string
		want map[string]int
	}{
		{"first run creates the note", "fail", map[string]int{gitlabtest.RouteList: 1, gitlabtest.RouteMR: 1, gitlabtest.RouteCreate: 1}},
		{"same result writes nothing", "fail", map[string]int{gitlabtest.RouteList: 1}},
		{"new result edits the note", "pass", map[string]int{gitlabtest.RouteList: 1, gitlabtest.RouteMR: 1, gitlabtest.RouteUpdate: 1}},
	}
	routes := []string{gitlabtest.RouteList, gitlabtest.RouteMR, gitlabtest.RouteCreate, gitlabtest.RouteUpdate, gitlabtest.RouteUser}
	before := map[string]int{}
	for _, st := range steps {
		post(t, n, request(fake, "codescoring", st.body))
		for _, r := range routes {
			got := fake.Calls(r) - before[r]
			before[r] = fake.Calls(r)
			if r == gitlabtest.RouteUser {
				if got > 1 {
					t.Errorf("%s: GET /user %d times", st.name, got)
				}
				continue
			}
			if got != st.want[r] {
				t.Errorf("%s: %d %s calls, want %d", st.name, got, r, st.want[r])
			}
		}
	}
}
