package githubpr

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-github/v62/github"

	"github.com/codescoring-gate/codescoring-gate/internal/gate"
	"github.com/codescoring-gate/codescoring-gate/internal/runnertest"
)

// The services of *github.Client satisfy the narrow interfaces.
var (
	_ IssuesClient       = (*github.IssuesService)(nil)
	_ PullRequestsClient = (*github.PullRequestsService)(nil)
	_ UsersClient        = (*github.UsersService)(nil)
)

const (
	sha1 = "9fceb02d0ae598e95dc970b74767f19372d61af8"
	sha2 = "1111111111111111111111111111111111111111"
)

var testMarker = Marker{ProjectID: 340, Workflow: "CI", Job: "gate"}

func baseRequest() Request {
	return Request{
		Owner: "acme", Repo: "app", Number: 12,
		HeadSHA: sha1,
		Marker:  testMarker,
		Body:    "body v1",
		Policy:  PolicyAlways,
	}
}

// ours is a comment with the marker m, as Post writes it.
func ours(id int64, login, text string, m Marker) fakeComment {
	if m.HeadSHA == "" {
		m.HeadSHA = sha1
	}
	return fakeComment{ID: id, Login: login, Body: text + "\n\n" + m.String()}
}

// summary describes comments for a diff: id, author, key and text.
func summary(cs []fakeComment) []string {
	var out []string
	for _, c := range cs {
		text, _, _ := strings.Cut(c.Body, "\n\n<!--")
		key := "no marker"
		if m, ok := ParseMarker(c.Body); ok {
			key = fmt.Sprintf("project=%d workflow=%s job=%s", m.ProjectID, m.Workflow, m.Job)
		}
		out = append(out, fmt.Sprintf("%d %s %s: %s", c.ID, c.Login, key, text))
	}
	return out
}

type run struct {
	head    string           // the PR's head before the run; "" keeps it
	change  func(r *Request) // changes to baseRequest
	faults  map[string][]fault
	want    Result   // Message is checked by wantMsg instead
	wantMsg []string // substrings of Result.Message
	wantErr []string // substrings of the error; nil: no error
}

func TestStickyPost(t *testing.T) {
	t.Parallel()
	jobB := testMarker
	jobB.Job = "gate-b"
	otherProject := testMarker
	otherProject.ProjectID = 341

	tests := []struct {
		name         string
		viewer       string // GET /user login; "" is the Actions token (403)
		seed         []fakeComment
		opts         []Option
		runs         []run
		wantComments []string
		wantWaits    []time.Duration // nil: not checked; -1: a first backoff interval, 0.5 s to 1.5 s
		wantRetries  int
		wantCalls    map[string]int // nil: not checked
	}{
		{
			name: "creates once, then updates the same comment on the next run",
			runs: []run{
				{want: Result{Action: ActionCreated, URL: htmlURL(1)}},
				{head: sha2, change: func(r *Request) { r.HeadSHA, r.Body = sha2, "body v2" },
					want: Result{Action: ActionUpdated, URL: htmlURL(1)}},
			},
			wantComments: []string{"1 github-actions[bot] project=340 workflow=CI job=gate: body v2"},
		},
		{
			name: "no write when the body is unchanged",
			runs: []run{
				{want: Result{Action: ActionCreated, URL: htmlURL(1)}},
				{want: Result{Action: ActionUnchanged, URL: htmlURL(1)}},
				{change: func(r *Request) { r.Body = "body v1\r\n" },
					want: Result{Action: ActionUnchanged, URL: htmlURL(1)}},
			},
			wantComments: []string{"1 github-actions[bot] project=340 workflow=CI job=gate: body v1"},
			wantCalls:    map[string]int{routeList: 3, routeCreate: 1, routePull: 1, routeUser: 1},
		},
		{
			name:   "a personal token finds its comments by its login",
			viewer: "octocat",
			seed:   []fakeComment{ours(1, "octocat", "old", testMarker)},
			runs: []run{
				{want: Result{Action: ActionUpdated, URL: htmlURL(1)}},
			},
			wantComments: []string{"1 octocat project=340 workflow=CI job=gate: body v1"},
		},
		{
			name: "ignores a marker comment by another user",
			seed: []fakeComment{
				ours(1, "mallory", "look-alike", testMarker),
				ours(2, "github-actions", "no [bot] suffix", testMarker),
			},
			runs: []run{
				{want: Result{Action: ActionCreated, URL: htmlURL(3)}},
			},
			wantComments: []string{
				"1 mallory project=340 workflow=CI job=gate: look-alike",
				"2 github-actions project=340 workflow=CI job=gate: no [bot] suffix",
				"3 github-actions[bot] project=340 workflow=CI job=gate: body v1",
			},
		},
		{
			name: "keeps two jobs separate",
			runs: []run{
				{want: Result{Action: ActionCreated, URL: htmlURL(1)}},
				{change: func(r *Request) { r.Marker, r.Body = jobB, "job b" },
					want: Result{Action: ActionCreated, URL: htmlURL(2)}},
				{change: func(r *Request) { r.Body = "job a again" },
					want: Result{Action: ActionUpdated, URL: htmlURL(1)}},
			},
			wantComments: []string{
				"1 github-actions[bot] project=340 workflow=CI job=gate: job a again",
				"2 github-actions[bot] project=340 workflow=CI job=gate-b: job b",
			},
		},
		{
			name: "keeps two projects separate",
			seed: []fakeComment{ours(1, ActionsBotLogin, "project 340", testMarker)},
			runs: []run{
				{change: func(r *Request) { r.Marker, r.Body = otherProject, "project 341" },
					want: Result{Action: ActionCreated, URL: htmlURL(2)}},
			},
			wantComments: []string{
				"1 github-actions[bot] project=340 workflow=CI job=gate: project 340",
				"2 github-actions[bot] project=341 workflow=CI job=gate: project 341",
			},
		},
		{
			name: "edits the newest of two of our comments",
			seed: []fakeComment{
				ours(1, ActionsBotLogin, "older", testMarker),
				ours(2, ActionsBotLogin, "newer", testMarker),
			},
			runs: []run{
				{want: Result{Action: ActionUpdated, URL: htmlURL(2)}},
			},
			wantComments: []string{
				"1 github-actions[bot] project=340 workflow=CI job=gate: older",
				"2 github-actions[bot] project=340 workflow=CI job=gate: body v1",
			},
		},
		{
			name: "newest is by creation time, not list order",
			seed: []fakeComment{
				{ID: 1, Login: ActionsBotLogin, Body: ours(0, "", "newer", testMarker).Body, Created: baseTime.Add(time.Hour)},
				{ID: 2, Login: ActionsBotLogin, Body: ours(0, "", "older", testMarker).Body, Created: baseTime},
			},
			runs: []run{
				{want: Result{Action: ActionUpdated, URL: htmlURL(1)}},
			},
			wantComments: []string{
				"1 github-actions[bot] project=340 workflow=CI job=gate: body v1",
				"2 github-actions[bot] project=340 workflow=CI job=gate: older",
			},
		},
		{
			name: "on-failure does not create on a clean first run",
			runs: []run{
				{change: func(r *Request) { r.Policy = PolicyOnFailure },
					want: Result{Action: ActionSkippedPolicy}, wantMsg: []string{"on-failure"}},
			},
			wantCalls: map[string]int{routeList: 1},
		},
		{
			name: "on-failure creates on failure, then clears the stale failure comment",
			runs: []run{
				{change: func(r *Request) { r.Policy, r.Failing, r.Body = PolicyOnFailure, true, "red" },
					want: Result{Action: ActionCreated, URL: htmlURL(1)}},
				{head: sha2, change: func(r *Request) { r.Policy, r.HeadSHA, r.Body = PolicyOnFailure, sha2, "green" },
					want: Result{Action: ActionUpdated, URL: htmlURL(1)}},
			},
			wantComments: []string{"1 github-actions[bot] project=340 workflow=CI job=gate: green"},
		},
		{
			name: "never touches GitHub",
			seed: []fakeComment{ours(1, ActionsBotLogin, "old", testMarker)},
			runs: []run{
				{change: func(r *Request) { r.Policy, r.Failing = PolicyNever, true },
					want: Result{Action: ActionSkippedPolicy}, wantMsg: []string{"never"}},
			},
			wantComments: []string{"1 github-actions[bot] project=340 workflow=CI job=gate: old"},
			wantCalls:    map[string]int{},
		},
		{
			name: "stale run: a newer commit is the PR head",
			seed: []fakeComment{ours(1, ActionsBotLogin, "newer run's result", testMarker)},
			runs: []run{
				{head: sha2, want: Result{Action: ActionSkippedStale},
					wantMsg: []string{"analysed commit " + sha1[:12], "head is now " + sha2[:12], "newer run"}},
			},
			wantComments: []string{"1 github-actions[bot] project=340 workflow=CI job=gate: newer run's result"},
			wantCalls:    map[string]int{routeList: 1, routeUser: 1, routePull: 1},
		},
		{
			name: "stale run guard is off without a head SHA",
			runs: []run{
				{head: sha2, change: func(r *Request) { r.HeadSHA = "" },
					want: Result{Action: ActionCreated, URL: htmlURL(1)}},
			},
			wantComments: []string{"1 github-actions[bot] project=340 workflow=CI job=gate: body v1"},
			wantCalls:    map[string]int{routeList: 1, routeCreate: 1},
		},
		{
			name: "a PR that cannot be read skips the guard with a note",
			runs: []run{
				{faults: map[string][]fault{routePull: {forbiddenIntegration()}},
					want:    Result{Action: ActionCreated, URL: htmlURL(1)},
					wantMsg: []string{"could not read pull request #12", "pull-requests: write"}},
			},
			wantComments: []string{"1 github-actions[bot] project=340 workflow=CI job=gate: body v1"},
		},
		{
			name: "fork: 403 on create is denied with advice, not an error",
			runs: []run{
				{change: func(r *Request) { r.Fork = true },
					faults: map[string][]fault{routeCreate: {forbiddenIntegration()}},
					want:   Result{Action: ActionDenied},
					wantMsg: []string{"GitHub answered 403", "Resource not accessible by integration",
						"comes from a fork", "read-only", "job summary", "pull_request_target"}},
			},
			wantCalls: map[string]int{routeList: 1, routePull: 1, routeCreate: 1},
		},
		{
			name: "403 on edit is denied",
			seed: []fakeComment{ours(1, ActionsBotLogin, "old", testMarker)},
			runs: []run{
				{faults: map[string][]fault{routeEdit: {forbiddenIntegration()}},
					want: Result{Action: ActionDenied}, wantMsg: []string{"edit its comment", "permissions: pull-requests: write", "forks", "job summary"}},
			},
			wantComments: []string{"1 github-actions[bot] project=340 workflow=CI job=gate: old"},
		},
		{
			name: "404 on list is denied",
			runs: []run{
				{faults: map[string][]fault{routeList: {notFound()}},
					want: Result{Action: ActionDenied}, wantMsg: []string{"GitHub answered 404", "read the comments"}},
			},
			wantCalls: map[string]int{routeList: 1},
		},
		{
			name: "5xx is retried, then succeeds",
			runs: []run{
				{faults: map[string][]fault{
					routeList:   {serverError(502)},
					routeCreate: {serverError(503), serverError(500)},
				}, want: Result{Action: ActionCreated, URL: htmlURL(1)}},
			},
			wantComments: []string{"1 github-actions[bot] project=340 workflow=CI job=gate: body v1"},
			wantRetries:  3,
		},
		{
			name: "a create that landed despite a 502 is not posted twice",
			runs: []run{
				{faults: map[string][]fault{routeCreate: {{Status: 502, Body: "<html>502</html>", Land: true}}},
					want: Result{Action: ActionCreated, URL: htmlURL(1)}},
			},
			wantComments: []string{"1 github-actions[bot] project=340 workflow=CI job=gate: body v1"},
			wantRetries:  1,
			wantCalls:    map[string]int{routeList: 2, routeCreate: 1, routePull: 1, routeUser: 1},
		},
		{
			name: "5xx retries run out",
			opts: []Option{WithMaxRetries(2)},
			runs: []run{
				{faults: map[string][]fault{routeList: {serverError(502), serverError(502), serverError(502)}},
					wantErr: []string{"list comments on acme/app#12", "502"}},
			},
			wantRetries: 2,
			wantCalls:   map[string]int{routeList: 3},
		},
		{
			name: "501 is not retried",
			runs: []run{
				{faults: map[string][]fault{routeList: {serverError(501)}},
					wantErr: []string{"list comments on acme/app#12", "501"}},
			},
			wantCalls: map[string]int{routeList: 1},
		},
		{
			name: "a secondary rate limit is retried",
			runs: []run{
				{faults: map[string][]fault{routeCreate: {secondaryLimit("0")}},
					want: Result{Action: ActionCreated, URL: htmlURL(1)}},
			},
			wantComments: []string{"1 github-actions[bot] project=340 workflow=CI job=gate: body v1"},
			wantWaits:    []time.Duration{-1}, // GitHub's 0 is shorter than the backoff
			wantRetries:  1,
		},
		{
			name: "a secondary rate limit asking for too long a wait gives up",
			runs: []run{
				{faults: map[string][]fault{routeList: {secondaryLimit("3600")}},
					wantErr: []string{"secondary rate limit", "1h0m0s", "re-run the job later"}},
			},
			wantCalls: map[string]int{routeList: 1},
		},
		{
			name: "429 honours Retry-After",
			runs: []run{
				{faults: map[string][]fault{routeList: {tooManyRequests("7")}},
					want: Result{Action: ActionCreated, URL: htmlURL(1)}},
			},
			wantComments: []string{"1 github-actions[bot] project=340 workflow=CI job=gate: body v1"},
			wantWaits:    []time.Duration{7 * time.Second},
			wantRetries:  1,
		},
		{
			name: "a primary rate limit that resets soon is waited for",
			runs: []run{
				{faults: map[string][]fault{routePull: {primaryLimit(bubbleStart.Add(10 * time.Second))}},
					want: Result{Action: ActionCreated, URL: htmlURL(1)}},
			},
			wantComments: []string{"1 github-actions[bot] project=340 workflow=CI job=gate: body v1"},
			wantWaits:    []time.Duration{11 * time.Second},
			wantRetries:  1,
		},
		{
			name: "a primary rate limit that resets late gives up",
			runs: []run{
				{faults: map[string][]fault{routeList: {primaryLimit(bubbleStart.Add(time.Hour))}},
					wantErr: []string{"rate limit", "resets at 2000-01-01T01:00:00Z", "in 1h0m1s", "re-run the job later"}},
			},
			wantCalls: map[string]int{routeList: 1},
		},
		{
			name: "other errors are returned",
			runs: []run{
				{faults: map[string][]fault{routeCreate: {{Status: 422, Body: `{"message":"Validation Failed","errors":[{"resource":"IssueComment","code":"custom","field":"body","message":"body is too long (maximum is 65536 characters)"}]}`}}},
					wantErr: []string{"create comment on acme/app#12", "422", "Validation Failed"}},
			},
			wantCalls: map[string]int{routeList: 1, routePull: 1, routeCreate: 1},
		},
		{
			name: "WithLogin overrides the identity",
			seed: []fakeComment{ours(1, "codescoring-app[bot]", "old", testMarker)},
			opts: []Option{WithLogin("codescoring-app[bot]")},
			runs: []run{
				{want: Result{Action: ActionUnchanged, URL: htmlURL(1)},
					change: func(r *Request) {
						r.Body = ours(0, "", "old", testMarker).Body
					}},
			},
			wantComments: []string{"1 codescoring-app[bot] project=340 workflow=CI job=gate: old"},
			wantCalls:    map[string]int{routeList: 1},
		},
		{
			name: "a body with the request's marker is posted as is",
			runs: []run{
				{change: func(r *Request) {
					m := testMarker
					m.HeadSHA = sha1
					r.Body = "## Gate\n\nfooter\n" + m.String() + "\n"
				}, want: Result{Action: ActionCreated, URL: htmlURL(1)}},
			},
			wantComments: []string{"1 github-actions[bot] project=340 workflow=CI job=gate: ## Gate\n\nfooter\n" +
				`<!-- codescoring-gate:marker {"tool":"codescoring-gate","v":2,"project_id":340,"workflow":"CI","job":"gate","head_sha":"` + sha1 + `"} -->` + "\n"},
		},
		{
			name: "a body with another key's marker is an error",
			runs: []run{
				{change: func(r *Request) { r.Body = "text\n" + jobB.String() },
					wantErr: []string{"body's marker", `job "gate-b"`, `job "gate"`}},
			},
			wantCalls: map[string]int{},
		},
		{
			name: "an invalid request is an error",
			runs: []run{
				{change: func(r *Request) { r.Owner, r.Number, r.Policy = "", 0, "sometimes" },
					wantErr: []string{"owner and name are empty", "number 0", `"sometimes" is unknown`}},
			},
			wantCalls: map[string]int{},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				testStickyPost(t, tc.viewer, tc.seed, tc.opts, tc.runs, tc.wantComments, tc.wantWaits, tc.wantRetries, tc.wantCalls)
			})
		})
	}
}

func testStickyPost(t *testing.T, viewer string, seed []fakeComment, opts []Option, runs []run,
	wantComments []string, wantWaits []time.Duration, wantRetries int, wantCalls map[string]int) {
	t.Helper()
	f := newFakeGitHub(t, sha1, viewer, seed...)
	s, log := newTestSticky(t, f, opts...)
	for i, r := range runs {
		if r.head != "" {
			f.SetHead(r.head)
		}
		for route, fs := range r.faults {
			f.AddFaults(route, fs...)
		}
		req := baseRequest()
		if r.change != nil {
			r.change(&req)
		}
		got, err := s.Post(context.Background(), req)
		checkErr(t, fmt.Sprintf("run %d", i+1), err, r.wantErr)
		if err != nil {
			continue
		}
		for _, w := range r.wantMsg {
			if !strings.Contains(got.Message.String(), w) {
				t.Errorf("run %d: Message = %q, want it to contain %q", i+1, got.Message, w)
			}
		}
		if len(r.wantMsg) == 0 && !got.Message.IsZero() {
			t.Errorf("run %d: Message = %q, want none", i+1, got.Message)
		}
		got.Message = gate.Text{}
		if diff := cmp.Diff(r.want, got); diff != "" {
			t.Errorf("run %d: Post() mismatch (-want +got):\n%s", i+1, diff)
		}
	}
	if diff := cmp.Diff(wantComments, summary(f.Comments())); diff != "" {
		t.Errorf("comments mismatch (-want +got):\n%s", diff)
	}
	gotWaits := log.waits()
	if got := len(gotWaits); got != wantRetries || log.retries != wantRetries {
		t.Errorf("retries = %d (%v), %d logged; want %d", got, gotWaits, log.retries, wantRetries)
	}
	if wantWaits != nil {
		if len(gotWaits) != len(wantWaits) {
			t.Errorf("waits = %v, want %v", gotWaits, wantWaits)
		}
		for i := range min(len(gotWaits), len(wantWaits)) {
			got, want := gotWaits[i], wantWaits[i]
			if want < 0 && (got < 500*time.Millisecond || got > 1500*time.Millisecond) || want >= 0 && got != want {
				t.Errorf("wait %d = %v, want %v (-1: a backoff of 0.5 s to 1.5 s)", i+1, got, want)
			}
		}
	}
	calls := f.TakeCalls()
	checkNoUnexpected(t, calls)
	if wantCalls != nil {
		if diff := cmp.Diff(wantCalls, calls); diff != "" {
			t.Errorf("calls mismatch (-want +got):\n%s", diff)
		}
	}
}

func checkErr(t *testing.T, where string, err error, want []string) {
	t.Helper()
	if want == nil {
		if err != nil {
			t.Errorf("%s: error = %v, want none", where, err)
		}
		return
	}
	if err == nil {
		t.Errorf("%s: no error, want one containing %q", where, want)
		return
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("%s: error = %q, want it to contain %q", where, err, w)
		}
	}
	if strings.Contains(err.Error(), testToken) {
		t.Errorf("%s: error contains the token: %q", where, err)
	}
}

func TestStickyPostPaginates(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		others    int   // comments by others before ours
		wantPages []int // pages listed on each of two runs
	}{
		{name: "one page", others: 10, wantPages: []int{1, 1}},
		{name: "exactly 100 comments", others: 99, wantPages: []int{1, 1}},
		{name: "101 comments", others: 100, wantPages: []int{1, 2, 1, 2}},
		{name: "ours on page 3", others: 250, wantPages: []int{1, 2, 3, 1, 2, 3}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				var seed []fakeComment
				for i := range tc.others {
					seed = append(seed, fakeComment{Login: "reviewer", Body: fmt.Sprintf("comment %d", i+1)})
				}
				id := int64(tc.others + 1)
				seed = append(seed, ours(id, ActionsBotLogin, "old", testMarker))
				f := newFakeGitHub(t, sha1, "", seed...)
				s, _ := newTestSticky(t, f)

				got, err := s.Post(context.Background(), baseRequest())
				if err != nil {
					t.Fatalf("Post: %v", err)
				}
				if want := (Result{Action: ActionUpdated, URL: htmlURL(id)}); !cmp.Equal(got, want) {
					t.Errorf("first Post() = %+v, want %+v", got, want)
				}
				got, err = s.Post(context.Background(), baseRequest())
				if err != nil {
					t.Fatalf("Post: %v", err)
				}
				if want := (Result{Action: ActionUnchanged, URL: htmlURL(id)}); !cmp.Equal(got, want) {
					t.Errorf("second Post() = %+v, want %+v", got, want)
				}
				if diff := cmp.Diff(tc.wantPages, f.Pages()); diff != "" {
					t.Errorf("pages listed mismatch (-want +got):\n%s", diff)
				}
			})
		})
	}
}

// TestStickyPostCallCount pins the cost of a run on a PR with fewer than 100
// comments: one page of listing, at most one write, none when unchanged.
func TestStickyPostCallCount(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var seed []fakeComment
		for range 40 {
			seed = append(seed, fakeComment{Login: "reviewer", Body: "lgtm"})
		}
		f := newFakeGitHub(t, sha1, "", seed...)
		s, _ := newTestSticky(t, f)

		runs := []struct {
			name      string
			body      string
			wantList  int
			wantWrite int
		}{
			{name: "first run creates", body: "v1", wantList: 1, wantWrite: 1},
			{name: "same body writes nothing", body: "v1", wantList: 1, wantWrite: 0},
			{name: "new body edits", body: "v2", wantList: 1, wantWrite: 1},
		}
		users := 0
		for _, r := range runs {
			req := baseRequest()
			req.Body = r.body
			if _, err := s.Post(context.Background(), req); err != nil {
				t.Fatalf("%s: Post: %v", r.name, err)
			}
			calls := f.TakeCalls()
			checkNoUnexpected(t, calls)
			gotList, gotWrite := calls[routeList], calls[routeCreate]+calls[routeEdit]
			if gotList != r.wantList || gotWrite != r.wantWrite {
				t.Errorf("%s: list pages = %d, writes = %d; want %d, %d", r.name, gotList, gotWrite, r.wantList, r.wantWrite)
			}
			users += calls[routeUser]
		}
		if users > 1 {
			t.Errorf("GET /user called %d times, want at most once per Sticky", users)
		}
	})
}

func TestStickyPost401(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		f := newFakeGitHub(t, sha1, "")
		c, err := NewGitHubClient("wrong-"+testToken, runnertest.MemoryAPIURL, &http.Client{Transport: f.Transport()})
		if err != nil {
			t.Fatalf("NewGitHubClient: %v", err)
		}
		start := time.Now()
		_, err = NewStickyFromClient(c).Post(context.Background(), baseRequest())
		checkErr(t, "Post", err, []string{"401", "Bad credentials", "GitHub rejected the token"})
		if err != nil && strings.Contains(err.Error(), "wrong-") {
			t.Errorf("error contains the token: %q", err)
		}
		if waited := time.Since(start); waited != 0 {
			t.Errorf("waited %s: a 401 was retried", waited)
		}
	})
}

func TestStickyPostContextCanceled(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		f := newFakeGitHub(t, sha1, "")
		f.AddFaults(routeList, serverError(502))
		s, log := newTestSticky(t, f)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := s.Post(ctx, baseRequest()); err == nil || !strings.Contains(err.Error(), "context canceled") {
			t.Errorf("Post with a canceled context: error = %v, want context canceled", err)
		}
		if got := len(log.waits()); got != 0 || log.retries != 0 {
			t.Errorf("retries = %d, %d logged; want 0 after cancel", got, log.retries)
		}
	})
}

func TestCheckPolicy(t *testing.T) {
	t.Parallel()
	tests := []struct {
		policy  string
		wantErr bool
	}{
		{PolicyAlways, false},
		{PolicyOnFailure, false},
		{PolicyNever, false},
		{"", true},
		{"Always", true},
		{"on_failure", true},
	}
	for _, tc := range tests {
		t.Run(tc.policy, func(t *testing.T) {
			t.Parallel()
			err := CheckPolicy(tc.policy)
			if got := err != nil; got != tc.wantErr {
				t.Errorf("CheckPolicy(%q) = %v, want error %v", tc.policy, err, tc.wantErr)
			}
		})
	}
}
