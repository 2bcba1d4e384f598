package githubpr

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/cenkalti/backoff/v4"
)

// apiPrefix mounts the fake under a path like GitHub Enterprise Server's, so
// a client that drops the base path or builds absolute paths fails loudly.
const apiPrefix = "/api/v3"

const testToken = "ghp_testtokenNEVERPRINTED0123456789"

// Routes of the fake, for call counts and faults.
const (
	routeList   = "list"
	routeCreate = "create"
	routeEdit   = "edit"
	routePull   = "pull"
	routeUser   = "user"
)

// fakeComment is an issue comment in the fake.
type fakeComment struct {
	ID      int64
	Login   string
	Body    string
	Created time.Time
}

// fault is a canned failure answer for one request to a route.
type fault struct {
	status int
	header map[string]string
	body   string
	// land performs the request's change before answering with the fault, as
	// a proxy that times out after GitHub did the work.
	land bool
}

// fakeGitHub is a tiny GitHub REST API: issue comments of one pull request,
// the pull request, and GET /user.
type fakeGitHub struct {
	t *testing.T

	mu       sync.Mutex
	comments []fakeComment
	nextID   int64
	head     string // the PR's head SHA
	viewer   string // GET /user login; "" answers 403 like GITHUB_TOKEN
	faults   map[string][]fault
	calls    map[string]int
	pages    []int // pages asked for, in order
}

var baseTime = time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)

func newFakeGitHub(t *testing.T, head, viewer string, seed ...fakeComment) (*fakeGitHub, *httptest.Server) {
	t.Helper()
	f := &fakeGitHub{t: t, head: head, viewer: viewer, nextID: 1, faults: map[string][]fault{}, calls: map[string]int{}}
	for _, c := range seed {
		if c.Created.IsZero() {
			c.Created = baseTime.Add(time.Duration(c.ID) * time.Minute)
		}
		f.comments = append(f.comments, c)
		f.nextID = max(f.nextID, c.ID+1)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+apiPrefix+"/repos/acme/app/issues/12/comments", f.handle(routeList, f.list))
	mux.HandleFunc("POST "+apiPrefix+"/repos/acme/app/issues/12/comments", f.handle(routeCreate, f.create))
	mux.HandleFunc("PATCH "+apiPrefix+"/repos/acme/app/issues/comments/{id}", f.handle(routeEdit, f.edit))
	mux.HandleFunc("GET "+apiPrefix+"/repos/acme/app/pulls/12", f.handle(routePull, f.pull))
	mux.HandleFunc("GET "+apiPrefix+"/user", f.handle(routeUser, f.user))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("unexpected request %s %s", r.Method, r.URL)
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "Not Found"})
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return f, srv
}

// sticky returns a Sticky talking to srv through NewGitHubClient, with
// instant retries recorded in waits.
func newTestSticky(t *testing.T, srv *httptest.Server, waits *waitLog, opts ...Option) *Sticky {
	t.Helper()
	c, err := NewGitHubClient(testToken, srv.URL+apiPrefix, srv.Client())
	if err != nil {
		t.Fatalf("NewGitHubClient: %v", err)
	}
	return NewStickyFromClient(c, append([]Option{WithTimer(waits.newTimer)}, opts...)...)
}

func (f *fakeGitHub) addFaults(route string, fs ...fault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.faults[route] = append(f.faults[route], fs...)
}

func (f *fakeGitHub) setHead(sha string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.head = sha
}

func (f *fakeGitHub) callCounts() map[string]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make(map[string]int, len(f.calls))
	for k, v := range f.calls {
		out[k] = v
	}
	return out
}

func (f *fakeGitHub) snapshot() []fakeComment {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]fakeComment(nil), f.comments...)
}

// handle counts the call, checks the token and answers a queued fault
// before next.
func (f *fakeGitHub) handle(route string, next func(w http.ResponseWriter, r *http.Request)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.calls[route]++
		if got, want := r.Header.Get("Authorization"), "Bearer "+testToken; got != want {
			writeJSON(w, http.StatusUnauthorized, map[string]string{"message": "Bad credentials"})
			return
		}
		if q := f.faults[route]; len(q) > 0 {
			ft := q[0]
			f.faults[route] = q[1:]
			if ft.land {
				next(httptest.NewRecorder(), r)
			}
			for k, v := range ft.header {
				w.Header().Set(k, v)
			}
			if ft.body != "" && ft.body[0] == '<' {
				w.Header().Set("Content-Type", "text/html")
			} else {
				w.Header().Set("Content-Type", "application/json")
			}
			w.WriteHeader(ft.status)
			fmt.Fprint(w, ft.body)
			return
		}
		next(w, r)
	}
}

func htmlURL(id int64) string {
	return fmt.Sprintf("https://github.example/acme/app/pull/12#issuecomment-%d", id)
}

func commentJSON(c fakeComment) map[string]any {
	return map[string]any{
		"id":         c.ID,
		"body":       c.Body,
		"user":       map[string]any{"login": c.Login},
		"created_at": c.Created.Format(time.RFC3339),
		"html_url":   htmlURL(c.ID),
	}
}

func (f *fakeGitHub) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	perPage, _ := strconv.Atoi(q.Get("per_page"))
	if perPage <= 0 {
		perPage = 30
	}
	if perPage > 100 {
		perPage = 100
	}
	page, _ := strconv.Atoi(q.Get("page"))
	if page <= 0 {
		page = 1
	}
	f.pages = append(f.pages, page)
	last := max((len(f.comments)+perPage-1)/perPage, 1)
	link := func(p int) string {
		u := url.URL{Scheme: "http", Host: r.Host, Path: r.URL.Path}
		v := url.Values{}
		v.Set("page", strconv.Itoa(p))
		v.Set("per_page", strconv.Itoa(perPage))
		u.RawQuery = v.Encode()
		return "<" + u.String() + ">"
	}
	if page < last {
		w.Header().Set("Link", fmt.Sprintf(`%s; rel="next", %s; rel="last"`, link(page+1), link(last)))
	} else if page > 1 {
		w.Header().Set("Link", fmt.Sprintf(`%s; rel="prev", %s; rel="first"`, link(page-1), link(1)))
	}
	out := []map[string]any{}
	for i := (page - 1) * perPage; i < len(f.comments) && i < page*perPage; i++ {
		out = append(out, commentJSON(f.comments[i]))
	}
	writeJSON(w, http.StatusOK, out)
}

func (f *fakeGitHub) login() string {
	if f.viewer == "" {
		return ActionsBotLogin
	}
	return f.viewer
}

func (f *fakeGitHub) create(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Body *string `json:"body"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Body == nil {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]string{"message": "Invalid request"})
		return
	}
	c := fakeComment{ID: f.nextID, Login: f.login(), Body: *in.Body, Created: baseTime.Add(time.Duration(f.nextID) * time.Minute)}
	f.nextID++
	f.comments = append(f.comments, c)
	writeJSON(w, http.StatusCreated, commentJSON(c))
}

func (f *fakeGitHub) edit(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	var in struct {
		Body *string `json:"body"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Body == nil {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]string{"message": "Invalid request"})
		return
	}
	for i := range f.comments {
		if f.comments[i].ID != id {
			continue
		}
		if f.comments[i].Login != f.login() {
			f.t.Errorf("edit of comment %d by %s, written by %s", id, f.login(), f.comments[i].Login)
			writeJSON(w, http.StatusForbidden, map[string]string{"message": "Must have admin rights to Repository."})
			return
		}
		f.comments[i].Body = *in.Body
		writeJSON(w, http.StatusOK, commentJSON(f.comments[i]))
		return
	}
	writeJSON(w, http.StatusNotFound, map[string]string{"message": "Not Found"})
}

func (f *fakeGitHub) pull(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"number": 12,
		"state":  "open",
		"head":   map[string]any{"sha": f.head, "ref": "feature/login"},
		"base":   map[string]any{"sha": "0000000000000000000000000000000000000000", "ref": "main"},
	})
}

func (f *fakeGitHub) user(w http.ResponseWriter, _ *http.Request) {
	if f.viewer == "" {
		writeJSON(w, http.StatusForbidden, map[string]string{
			"message":           "Resource not accessible by integration",
			"documentation_url": "https://docs.github.com/rest/users/users#get-the-authenticated-user",
		})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"login": f.viewer, "id": 1, "type": "User"})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// Canned faults.

func serverError(status int) fault {
	return fault{status: status, body: "<html><body><h1>" + strconv.Itoa(status) + " Bad Gateway</h1></body></html>"}
}

func forbiddenIntegration() fault {
	return fault{status: http.StatusForbidden, body: `{"message":"Resource not accessible by integration","documentation_url":"https://docs.github.com/rest/issues/comments#create-an-issue-comment"}`}
}

func notFound() fault {
	return fault{status: http.StatusNotFound, body: `{"message":"Not Found","documentation_url":"https://docs.github.com/rest"}`}
}

func secondaryLimit(retryAfter string) fault {
	h := map[string]string{}
	if retryAfter != "" {
		h["Retry-After"] = retryAfter
	}
	return fault{status: http.StatusForbidden, header: h,
		body: `{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"}`}
}

func tooManyRequests(retryAfter string) fault {
	return fault{status: http.StatusTooManyRequests, header: map[string]string{"Retry-After": retryAfter},
		body: `{"message":"You have exceeded a secondary rate limit."}`}
}

// primaryLimit answers like an exhausted primary rate limit resetting at
// reset. Tests use a reset in the past and a fake clock before it: go-github
// refuses further requests on its own until the real clock passes reset.
func primaryLimit(reset time.Time) fault {
	return fault{status: http.StatusForbidden, header: map[string]string{
		"X-RateLimit-Limit":     "5000",
		"X-RateLimit-Remaining": "0",
		"X-RateLimit-Reset":     strconv.FormatInt(reset.Unix(), 10),
	}, body: `{"message":"API rate limit exceeded for installation ID 1.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"}`}
}

// waitLog records the waits of instant timers.
type waitLog struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (l *waitLog) newTimer() backoff.Timer { return &instantTimer{log: l, c: make(chan time.Time, 1)} }

func (l *waitLog) all() []time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]time.Duration(nil), l.waits...)
}

// instantTimer fires at once and records what it was asked to wait.
type instantTimer struct {
	log *waitLog
	c   chan time.Time
}

func (t *instantTimer) Start(d time.Duration) {
	t.log.mu.Lock()
	t.log.waits = append(t.log.waits, d)
	t.log.mu.Unlock()
	t.c <- time.Time{}
}

func (t *instantTimer) Stop() {}

func (t *instantTimer) C() <-chan time.Time { return t.c }
