package runnertest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/testnet"
)

// Bot is the login of comments written with the Actions token, which the
// gate writes as.
const Bot = "github-actions[bot]"

// The routes GitHub counts calls by (see TakeCalls) and queues faults for
// (see AddFaults).
const (
	RouteList   = "list comments"
	RouteCreate = "create comment"
	RouteEdit   = "edit comment"
	RouteUser   = "get user"
	RoutePull   = "get pull request"
)

// apiPrefix mounts the API as GitHub Enterprise Server does, so that a
// client that drops the base URL's path fails loudly.
const apiPrefix = "/api/v3"

// MemoryAPIURL is the API's base URL for a client that reaches GitHub
// through Transport.
const MemoryAPIURL = "https://github.test" + apiPrefix

// GitHub is a fake of the part of GitHub's REST API the sticky comment
// uses, for pull request PullNumber of Repository: listing its comments
// (paged as GitHub pages them: per_page, page and a Link header), creating
// and editing one, the pull request's head, and GET /user, which answers
// 403 as it does for the Actions token unless SetViewer names a login.
// Every call must carry the token GitHub was made with, or it is answered
// 401. It counts the calls by route; a call to any other route is answered
// 404 and counted as "unexpected METHOD PATH", and an edit of a comment
// written by someone else is answered 403 and counted as "unexpected edit
// of another's comment". A GitHub is safe for concurrent use.
//
// A test on real time reaches it at APIURL, a socket served from the first
// call on; a test in a testing/synctest bubble through Transport (or
// Handler), at MemoryAPIURL.
type GitHub struct {
	tb      testing.TB
	token   string
	handler http.Handler

	srvOnce sync.Once
	srv     *httptest.Server

	mu       sync.Mutex
	comments []Comment // oldest first
	nextID   int64
	head     string
	viewer   string
	deny     int // when set, writes are answered this status
	faults   map[string][]Fault
	calls    map[string]int
	pages    []int
	denied   int
}

// Comment is a comment of the pull request.
type Comment struct {
	ID      int64
	Login   string
	Body    string
	Created time.Time
}

// Fault is a canned failure answer to one call of a route.
type Fault struct {
	Status int
	Header map[string]string
	// Body is the answer's body: JSON, or HTML when it starts with "<".
	Body string
	// Land makes the call's change before the fault is answered, as a
	// proxy that times out after GitHub did the work.
	Land bool
}

// created is when the first comment was made; comment id n was made n
// seconds later, so that ids and creation times grow together, as on
// GitHub.
var created = time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)

// NewGitHub returns the API, accepting token, for a pull request whose head
// is HeadSHA and that has no comments.
func NewGitHub(tb testing.TB, token string) *GitHub {
	tb.Helper()
	g := &GitHub{tb: tb, token: token, head: HeadSHA, faults: map[string][]Fault{}, calls: map[string]int{}}
	repo := apiPrefix + "/repos/" + Repository
	issue := fmt.Sprintf("%s/issues/%d", repo, PullNumber)
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+issue+"/comments", g.route(RouteList, g.list))
	mux.HandleFunc("POST "+issue+"/comments", g.route(RouteCreate, func(w http.ResponseWriter, r *http.Request) {
		g.write(w, r, 0)
	}))
	mux.HandleFunc("PATCH "+repo+"/issues/comments/{id}", g.route(RouteEdit, func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil {
			writeJSON(w, http.StatusNotFound, `{"message":"Not Found"}`)
			return
		}
		g.write(w, r, id)
	}))
	mux.HandleFunc("GET "+apiPrefix+"/user", g.route(RouteUser, func(w http.ResponseWriter, r *http.Request) {
		if g.viewer == "" {
			writeJSON(w, http.StatusForbidden, `{"message":"Resource not accessible by integration","documentation_url":"https://docs.github.com/rest/users/users#get-the-authenticated-user"}`)
			return
		}
		writeJSON(w, http.StatusOK, fmt.Sprintf(`{"login":%q,"id":1,"type":"User"}`, g.viewer))
	}))
	mux.HandleFunc(fmt.Sprintf("GET %s/pulls/%d", repo, PullNumber), g.route(RoutePull, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, fmt.Sprintf(`{"number":%d,"state":"open","head":{"sha":%q,"ref":%q}}`, PullNumber, g.head, HeadRef))
	}))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		g.mu.Lock()
		g.calls["unexpected "+r.Method+" "+r.URL.Path]++
		g.mu.Unlock()
		writeJSON(w, http.StatusNotFound, `{"message":"Not Found"}`)
	})
	g.handler = mux
	return g
}

// Handler serves the API.
func (g *GitHub) Handler() http.Handler { return g.handler }

// Transport reaches the API in memory, at MemoryAPIURL (any host does), for
// a client in a testing/synctest bubble.
func (g *GitHub) Transport() http.RoundTripper { return testnet.Memory(g.handler) }

// APIURL returns the API's base URL on 127.0.0.1, for GITHUB_API_URL,
// serving it until the test ends.
func (g *GitHub) APIURL() string {
	g.srvOnce.Do(func() {
		g.srv = httptest.NewServer(g.handler)
		g.tb.Cleanup(g.srv.Close)
	})
	return g.srv.URL + apiPrefix
}

// route counts a call of name, checks its token and answers a queued
// fault, else lets h answer it, with g locked.
func (g *GitHub) route(name string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		g.mu.Lock()
		defer g.mu.Unlock()
		g.calls[name]++
		if r.Header.Get("Authorization") != "Bearer "+g.token {
			g.denied++
			writeJSON(w, http.StatusUnauthorized, `{"message":"Bad credentials"}`)
			return
		}
		if q := g.faults[name]; len(q) > 0 {
			f := q[0]
			g.faults[name] = q[1:]
			if f.Land {
				h(httptest.NewRecorder(), r)
			}
			for k, v := range f.Header {
				w.Header().Set(k, v)
			}
			if f.Body != "" && f.Body[0] == '<' {
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(f.Status)
				fmt.Fprint(w, f.Body)
				return
			}
			writeJSON(w, f.Status, f.Body)
			return
		}
		h(w, r)
	}
}

// AddComment adds a comment by login to the pull request, newer than those
// before it, and returns its id.
func (g *GitHub) AddComment(login, body string) int64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.addLocked(login, body, time.Time{})
}

// AddCommentAt is AddComment with the comment's creation time.
func (g *GitHub) AddCommentAt(login, body string, at time.Time) int64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.addLocked(login, body, at)
}

func (g *GitHub) addLocked(login, body string, at time.Time) int64 {
	g.nextID++
	if at.IsZero() {
		at = created.Add(time.Duration(g.nextID) * time.Second)
	}
	g.comments = append(g.comments, Comment{ID: g.nextID, Login: login, Body: body, Created: at})
	return g.nextID
}

// SetHead moves the pull request's head to sha, as a push to its branch
// while the gate runs does.
func (g *GitHub) SetHead(sha string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.head = sha
}

// SetViewer makes the token one of login, as a personal or an App token:
// GET /user names it and comments are written as it. "" is the Actions
// token, Bot.
func (g *GitHub) SetViewer(login string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.viewer = login
}

// DenyWrites makes GitHub answer every create and edit with status, as it
// does for a token that cannot write (a fork's pull request: 403).
func (g *GitHub) DenyWrites(status int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.deny = status
}

// AddFaults queues answers to the next calls of route, one each, before
// the route answers as itself again.
func (g *GitHub) AddFaults(route string, fs ...Fault) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.faults[route] = append(g.faults[route], fs...)
}

// TakeCalls returns the number of calls by route since the last take.
func (g *GitHub) TakeCalls() map[string]int {
	g.mu.Lock()
	defer g.mu.Unlock()
	c := g.calls
	g.calls = map[string]int{}
	return c
}

// Pages returns the pages of comments listed, in order.
func (g *GitHub) Pages() []int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]int(nil), g.pages...)
}

// Denied returns how many calls came without the token.
func (g *GitHub) Denied() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.denied
}

// Comments returns the pull request's comments, oldest first.
func (g *GitHub) Comments() []Comment {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]Comment(nil), g.comments...)
}

// Ours returns the bodies of the comments written as Bot, oldest first.
func (g *GitHub) Ours() []string {
	var bodies []string
	for _, c := range g.Comments() {
		if c.Login == Bot {
			bodies = append(bodies, c.Body)
		}
	}
	return bodies
}

// CommentURL returns the page of comment id, GitHub's html_url.
func CommentURL(id int64) string {
	return fmt.Sprintf("https://github.com/%s/pull/%d#issuecomment-%d", Repository, PullNumber, id)
}

func (c Comment) json() map[string]any {
	return map[string]any{
		"id": c.ID, "body": c.Body, "user": map[string]any{"login": c.Login},
		"html_url":   CommentURL(c.ID),
		"created_at": c.Created.Format(time.RFC3339),
	}
}

func (g *GitHub) list(w http.ResponseWriter, r *http.Request) {
	perPage, page := 30, 1 // GitHub's defaults
	if n, err := strconv.Atoi(r.URL.Query().Get("per_page")); err == nil && n > 0 {
		perPage = min(n, 100)
	}
	if n, err := strconv.Atoi(r.URL.Query().Get("page")); err == nil && n > 0 {
		page = n
	}
	g.pages = append(g.pages, page)
	lo := min((page-1)*perPage, len(g.comments))
	hi := min(lo+perPage, len(g.comments))
	if hi < len(g.comments) {
		next := *r.URL
		q := next.Query()
		q.Set("page", strconv.Itoa(page+1))
		next.RawQuery = q.Encode()
		w.Header().Set("Link", fmt.Sprintf(`<http://%s%s>; rel="next"`, r.Host, next.RequestURI()))
	}
	list := []map[string]any{}
	for _, c := range g.comments[lo:hi] {
		list = append(list, c.json())
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(list)
}

// login is who the token writes as.
func (g *GitHub) login() string {
	if g.viewer == "" {
		return Bot
	}
	return g.viewer
}

// write creates a comment (id 0) or edits comment id, as the token's login.
func (g *GitHub) write(w http.ResponseWriter, r *http.Request, id int64) {
	if g.deny != 0 {
		writeJSON(w, g.deny, `{"message":"Resource not accessible by integration"}`)
		return
	}
	var in struct{ Body *string }
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Body == nil {
		writeJSON(w, http.StatusUnprocessableEntity, `{"message":"Problems parsing JSON"}`)
		return
	}
	if id == 0 {
		g.addLocked(g.login(), *in.Body, time.Time{})
		c, _ := json.Marshal(g.comments[len(g.comments)-1].json())
		writeJSON(w, http.StatusCreated, string(c))
		return
	}
	for i := range g.comments {
		if g.comments[i].ID != id {
			continue
		}
		if g.comments[i].Login != g.login() {
			g.calls["unexpected edit of another's comment"]++
			writeJSON(w, http.StatusForbidden, `{"message":"Must have admin rights to Repository."}`)
			return
		}
		g.comments[i].Body = *in.Body
		c, _ := json.Marshal(g.comments[i].json())
		writeJSON(w, http.StatusOK, string(c))
		return
	}
	writeJSON(w, http.StatusNotFound, `{"message":"Not Found"}`)
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	fmt.Fprint(w, body)
}
