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
)

// Bot is the login of comments written with the Actions token, which the
// gate writes as.
const Bot = "github-actions[bot]"

// The routes GitHub counts calls by (see TakeCalls).
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

// GitHub is a fake of the part of GitHub's REST API the sticky comment
// uses, for pull request PullNumber of Repository: listing its comments
// (paged as GitHub pages them: per_page, page and a Link header), creating
// and editing one, the pull request's head, and GET /user, which answers
// 403 as it does for the Actions token. Every call must carry the token
// GitHub was made with, or it is answered 401. It counts the calls by route;
// a call to any other route is answered 404 and counted as "unexpected
// METHOD PATH". A GitHub is safe for concurrent use.
type GitHub struct {
	srv   *httptest.Server
	token string

	mu       sync.Mutex
	comments []comment // oldest first
	nextID   int64
	head     string
	deny     int // when set, writes are answered this status
	calls    map[string]int
	denied   int
}

type comment struct {
	id          int64
	login, body string
}

// created is when the first comment was made; comment id n was made n
// seconds later, so that ids and creation times grow together, as on
// GitHub.
var created = time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)

// NewGitHub serves the API on 127.0.0.1 until the test ends, accepting
// token, for a pull request whose head is HeadSHA and that has no comments.
func NewGitHub(tb testing.TB, token string) *GitHub {
	tb.Helper()
	g := &GitHub{token: token, head: HeadSHA, calls: map[string]int{}}
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
			http.Error(w, `{"message":"Not Found"}`, http.StatusNotFound)
			return
		}
		g.write(w, r, id)
	}))
	mux.HandleFunc("GET "+apiPrefix+"/user", g.route(RouteUser, func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, `{"message":"Resource not accessible by integration"}`, http.StatusForbidden)
	}))
	mux.HandleFunc(fmt.Sprintf("GET %s/pulls/%d", repo, PullNumber), g.route(RoutePull, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"number":%d,"head":{"sha":%q,"ref":%q}}`, PullNumber, g.head, HeadRef)
	}))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		g.mu.Lock()
		g.calls["unexpected "+r.Method+" "+r.URL.Path]++
		g.mu.Unlock()
		http.Error(w, `{"message":"Not Found"}`, http.StatusNotFound)
	})
	g.srv = httptest.NewServer(mux)
	tb.Cleanup(g.srv.Close)
	return g
}

// route counts a call of name and checks its token, then lets h answer it
// with g locked.
func (g *GitHub) route(name string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		g.mu.Lock()
		defer g.mu.Unlock()
		g.calls[name]++
		if r.Header.Get("Authorization") != "Bearer "+g.token {
			g.denied++
			http.Error(w, `{"message":"Bad credentials"}`, http.StatusUnauthorized)
			return
		}
		h(w, r)
	}
}

// APIURL returns the API's base URL, for GITHUB_API_URL.
func (g *GitHub) APIURL() string { return g.srv.URL + apiPrefix }

// AddComment adds a comment by login to the pull request, newer than those
// before it, and returns its id.
func (g *GitHub) AddComment(login, body string) int64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.addLocked(login, body)
}

func (g *GitHub) addLocked(login, body string) int64 {
	g.nextID++
	g.comments = append(g.comments, comment{id: g.nextID, login: login, body: body})
	return g.nextID
}

// SetHead moves the pull request's head to sha, as a push to its branch
// while the gate runs does.
func (g *GitHub) SetHead(sha string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.head = sha
}

// DenyWrites makes GitHub answer every create and edit with status, as it
// does for a token that cannot write (a fork's pull request: 403).
func (g *GitHub) DenyWrites(status int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.deny = status
}

// TakeCalls returns the number of calls by route since the last take.
func (g *GitHub) TakeCalls() map[string]int {
	g.mu.Lock()
	defer g.mu.Unlock()
	c := g.calls
	g.calls = map[string]int{}
	return c
}

// Denied returns how many calls came without the token.
func (g *GitHub) Denied() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.denied
}

// Ours returns the bodies of the comments written as Bot, oldest first.
func (g *GitHub) Ours() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	var bodies []string
	for _, c := range g.comments {
		if c.login == Bot {
			bodies = append(bodies, c.body)
		}
	}
	return bodies
}

// commentURL returns the page of comment id, GitHub's html_url.
func commentURL(id int64) string {
	return fmt.Sprintf("https://github.com/%s/pull/%d#issuecomment-%d", Repository, PullNumber, id)
}

func (c comment) json() map[string]any {
	return map[string]any{
		"id": c.id, "body": c.body, "user": map[string]any{"login": c.login},
		"html_url":   commentURL(c.id),
		"created_at": created.Add(time.Duration(c.id) * time.Second).Format(time.RFC3339),
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
	lo := min((page-1)*perPage, len(g.comments))
	hi := min(lo+perPage, len(g.comments))
	if hi < len(g.comments) {
		next := *r.URL
		q := next.Query()
		q.Set("page", strconv.Itoa(page+1))
		next.RawQuery = q.Encode()
		w.Header().Set("Link", fmt.Sprintf(`<%s%s>; rel="next"`, g.srv.URL, next.RequestURI()))
	}
	list := []map[string]any{}
	for _, c := range g.comments[lo:hi] {
		list = append(list, c.json())
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(list)
}

// write creates a comment as Bot (id 0) or edits comment id.
func (g *GitHub) write(w http.ResponseWriter, r *http.Request, id int64) {
	if g.deny != 0 {
		http.Error(w, `{"message":"Resource not accessible by integration"}`, g.deny)
		return
	}
	var in struct{ Body string }
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		http.Error(w, `{"message":"Problems parsing JSON"}`, http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if id == 0 {
		g.addLocked(Bot, in.Body)
		w.WriteHeader(http.StatusCreated)
		_ = json.NewEncoder(w).Encode(g.comments[len(g.comments)-1].json())
		return
	}
	for i := range g.comments {
		if g.comments[i].id == id {
			g.comments[i].body = in.Body
			_ = json.NewEncoder(w).Encode(g.comments[i].json())
			return
		}
	}
	http.Error(w, `{"message":"Not Found"}`, http.StatusNotFound)
}
