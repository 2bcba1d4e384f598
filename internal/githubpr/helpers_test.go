package githubpr

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/runnertest"
)

const testToken = "ghp_testtokenNEVERPRINTED0123456789"

// bubbleStart is when the clock of every testing/synctest bubble starts.
var bubbleStart = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// The routes of the fake GitHub, for call counts and faults.
const (
	routeList   = runnertest.RouteList
	routeCreate = runnertest.RouteCreate
	routeEdit   = runnertest.RouteEdit
	routePull   = runnertest.RoutePull
	routeUser   = runnertest.RouteUser
)

type (
	fakeComment = runnertest.Comment
	fault       = runnertest.Fault
)

var htmlURL = runnertest.CommentURL

// baseTime is a comment's creation time for seeds that set one.
var baseTime = time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)

// newFakeGitHub returns the fake GitHub for pull request acme/app#12 with
// head head, whose token is viewer's ("" the Actions token's) and which has
// the comments seed, numbered from 1 in order.
func newFakeGitHub(t *testing.T, head, viewer string, seed ...fakeComment) *runnertest.GitHub {
	t.Helper()
	g := runnertest.NewGitHub(t, testToken)
	g.SetHead(head)
	g.SetViewer(viewer)
	for i, c := range seed {
		if id := g.AddCommentAt(c.Login, c.Body, c.Created); id != int64(i+1) || (c.ID != 0 && c.ID != id) {
			t.Fatalf("seed comment %d has id %d, the fake gave it %d", i, c.ID, id)
		}
	}
	return g
}

// newTestSticky returns a Sticky talking to g in memory through
// NewGitHubClient, for a test in a synctest bubble, and the times of its
// requests.
func newTestSticky(t *testing.T, g *runnertest.GitHub, opts ...Option) (*Sticky, *requestLog) {
	t.Helper()
	log := &requestLog{next: g.Transport()}
	c, err := NewGitHubClient(testToken, runnertest.MemoryAPIURL, &http.Client{Transport: log})
	if err != nil {
		t.Fatalf("NewGitHubClient: %v", err)
	}
	return NewStickyFromClient(c, append([]Option{WithLogf(log.logf)}, opts...)...), log
}

// requestLog records when requests go out and the retries the Sticky logs.
type requestLog struct {
	next    http.RoundTripper
	mu      sync.Mutex
	times   []time.Time
	retries int
}

func (l *requestLog) RoundTrip(r *http.Request) (*http.Response, error) {
	l.mu.Lock()
	l.times = append(l.times, time.Now())
	l.mu.Unlock()
	return l.next.RoundTrip(r)
}

func (l *requestLog) logf(format string, _ ...any) {
	if strings.Contains(format, "retrying in") {
		l.mu.Lock()
		l.retries++
		l.mu.Unlock()
	}
}

// waits returns the pauses between requests: in a bubble every other gap
// is zero, so these are the retries' waits.
func (l *requestLog) waits() []time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []time.Duration
	for i := 1; i < len(l.times); i++ {
		if d := l.times[i].Sub(l.times[i-1]); d > 0 {
			out = append(out, d)
		}
	}
	return out
}

// Canned faults.

func serverError(status int) fault {
	return fault{Status: status, Body: "<html><body><h1>" + strconv.Itoa(status) + " Bad Gateway</h1></body></html>"}
}

func forbiddenIntegration() fault {
	return fault{Status: http.StatusForbidden, Body: `{"message":"Resource not accessible by integration","documentation_url":"https://docs.github.com/rest/issues/comments#create-an-issue-comment"}`}
}

func notFound() fault {
	return fault{Status: http.StatusNotFound, Body: `{"message":"Not Found","documentation_url":"https://docs.github.com/rest"}`}
}

func secondaryLimit(retryAfter string) fault {
	h := map[string]string{}
	if retryAfter != "" {
		h["Retry-After"] = retryAfter
	}
	return fault{Status: http.StatusForbidden, Header: h,
		Body: `{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"}`}
}

func tooManyRequests(retryAfter string) fault {
	return fault{Status: http.StatusTooManyRequests, Header: map[string]string{"Retry-After": retryAfter},
		Body: `{"message":"You have exceeded a secondary rate limit."}`}
}

// primaryLimit answers like an exhausted primary rate limit resetting at
// reset. go-github then refuses further requests on its own until the
// clock passes reset.
func primaryLimit(reset time.Time) fault {
	return fault{Status: http.StatusForbidden, Header: map[string]string{
		"X-RateLimit-Limit":     "5000",
		"X-RateLimit-Remaining": "0",
		"X-RateLimit-Reset":     strconv.FormatInt(reset.Unix(), 10),
	}, Body: `{"message":"API rate limit exceeded for installation ID 1.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"}`}
}

// checkNoUnexpected fails for calls the fake did not expect: other routes,
// or an edit of a comment by someone else.
func checkNoUnexpected(t *testing.T, calls map[string]int) {
	t.Helper()
	for k, n := range calls {
		if strings.HasPrefix(k, "unexpected ") {
			t.Errorf("%s (%d times)", k, n)
		}
	}
}
