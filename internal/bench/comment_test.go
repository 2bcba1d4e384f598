package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/app"
	"github.com/codescoring-gate/codescoring-gate/internal/simulator"
)

// ghToken is the GitHub token of the comment runs.
const ghToken = "ghs_benchgithubtoken0042"

// ghBot is the login the Actions token comments as.
const ghBot = "github-actions[bot]"

// fakeGitHub is the part of GitHub's REST API the sticky comment uses, for
// pull request acme/app#12, mounted under /api/v3 as on GitHub Enterprise
// Server. It pages comment lists as GitHub does (per_page, page, a Link
// header) and counts every call by its route.
type fakeGitHub struct {
	srv *httptest.Server

	mu       sync.Mutex
	comments []ghComment // oldest first
	nextID   int64
	calls    map[string]int
}

type ghComment struct {
	id    int64
	login string
	body  string
}

// The routes fakeGitHub counts.
const (
	routeList   = "list comments"
	routeCreate = "create comment"
	routeEdit   = "edit comment"
	routeUser   = "get user"
	routePull   = "get pull request"
)

// newFakeGitHub serves a pull request that has others comments by other
// users already.
func newFakeGitHub(t *testing.T, others int) *fakeGitHub {
	t.Helper()
	f := &fakeGitHub{nextID: 100, calls: map[string]int{}}
	for i := range others {
		f.add(fmt.Sprintf("reviewer-%d", i%3), fmt.Sprintf("Looks good, but see line %d.", i))
	}
	const p = "/api/v3"
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+p+"/repos/acme/app/issues/12/comments", f.list)
	mux.HandleFunc("POST "+p+"/repos/acme/app/issues/12/comments", func(w http.ResponseWriter, r *http.Request) {
		f.write(w, r, routeCreate, 0)
	})
	mux.HandleFunc("PATCH "+p+"/repos/acme/app/issues/comments/{id}", func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil {
			http.Error(w, `{"message":"Not Found"}`, http.StatusNotFound)
			return
		}
		f.write(w, r, routeEdit, id)
	})
	mux.HandleFunc("GET "+p+"/user", func(w http.ResponseWriter, r *http.Request) {
		f.count(routeUser)
		// As for the Actions token.
		http.Error(w, `{"message":"Resource not accessible by integration"}`, http.StatusForbidden)
	})
	mux.HandleFunc("GET "+p+"/repos/acme/app/pulls/12", func(w http.ResponseWriter, r *http.Request) {
		f.count(routePull)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"number":12,"head":{"sha":%q,"ref":"feature/login"}}`, headSHA)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		f.count("unexpected " + r.Method + " " + r.URL.Path)
		http.Error(w, `{"message":"Not Found"}`, http.StatusNotFound)
	})
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeGitHub) add(login, body string) int64 {
	f.nextID++
	f.comments = append(f.comments, ghComment{id: f.nextID, login: login, body: body})
	return f.nextID
}

func (f *fakeGitHub) count(route string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls[route]++
}

// takeCalls returns the calls counted since the last take.
func (f *fakeGitHub) takeCalls() map[string]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.calls
	f.calls = map[string]int{}
	return c
}

func (f *fakeGitHub) json(c ghComment) map[string]any {
	return map[string]any{
		"id": c.id, "body": c.body, "user": map[string]any{"login": c.login},
		"html_url":   fmt.Sprintf("https://github.com/acme/app/pull/12#issuecomment-%d", c.id),
		"created_at": time.Date(2026, 11, 26, 10, 0, int(c.id%60), 0, time.UTC).Format(time.RFC3339),
	}
}

func (f *fakeGitHub) list(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls[routeList]++
	if r.Header.Get("Authorization") != "Bearer "+ghToken {
		http.Error(w, `{"message":"Bad credentials"}`, http.StatusUnauthorized)
		return
	}
	perPage, page := 30, 1 // GitHub's defaults
	if n, err := strconv.Atoi(r.URL.Query().Get("per_page")); err == nil && n > 0 {
		perPage = min(n, 100)
	}
	if n, err := strconv.Atoi(r.URL.Query().Get("page")); err == nil && n > 0 {
		page = n
	}
	lo := min((page-1)*perPage, len(f.comments))
	hi := min(lo+perPage, len(f.comments))
	if hi < len(f.comments) {
		next := *r.URL
		q := next.Query()
		q.Set("page", strconv.Itoa(page+1))
		next.RawQuery = q.Encode()
		w.Header().Set("Link", fmt.Sprintf(`<%s%s>; rel="next"`, f.srv.URL, next.RequestURI()))
	}
	list := []map[string]any{}
	for _, c := range f.comments[lo:hi] {
		list = append(list, f.json(c))
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(list)
}

func (f *fakeGitHub) write(w http.ResponseWriter, r *http.Request, route string, id int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls[route]++
	var in struct{ Body string }
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		http.Error(w, `{"message":"Problems parsing JSON"}`, http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if id == 0 {
		f.add(ghBot, in.Body)
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(f.json(f.comments[len(f.comments)-1]))
		return
	}
	for i := range f.comments {
		if f.comments[i].id == id {
			f.comments[i].body = in.Body
			json.NewEncoder(w).Encode(f.json(f.comments[i]))
			return
		}
	}
	http.Error(w, `{"message":"Not Found"}`, http.StatusNotFound)
}

// ours returns the bodies of the comments the gate wrote.
func (f *fakeGitHub) ours() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var bodies []string
	for _, c := range f.comments {
		if c.login == ghBot {
			bodies = append(bodies, c.body)
		}
	}
	return bodies
}

// prRun runs the program as the GitHub runner runs the action on a
// pull_request event for acme/app#12, with the given inputs, on a clock that
// never moves (so that equal outcomes render equal comments), and returns
// its exit code.
func prRun(t *testing.T, gh *fakeGitHub, clock fixedClock, inputs map[string]string) int {
	t.Helper()
	dir := t.TempDir()
	event := filepath.Join(dir, "event.json")
	payload := fmt.Sprintf(`{"action":"synchronize","number":12,
		"pull_request":{"number":12,"head":{"sha":%q,"ref":"feature/login","repo":{"full_name":"acme/app"}},
			"base":{"ref":"main","repo":{"name":"app","full_name":"acme/app","owner":{"login":"acme"}}}},
		"repository":{"name":"app","full_name":"acme/app","owner":{"login":"acme"}}}`, headSHA)
	if err := os.WriteFile(event, []byte(payload), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{
		"GITHUB_ACTIONS":      "true",
		"GITHUB_EVENT_NAME":   "pull_request",
		"GITHUB_EVENT_PATH":   event,
		"GITHUB_REPOSITORY":   "acme/app",
		"GITHUB_WORKFLOW":     "security",
		"GITHUB_JOB":          "gate",
		"GITHUB_SHA":          "1111111111111111111111111111111111111111",
		"GITHUB_SERVER_URL":   "https://github.com",
		"GITHUB_RUN_ID":       "777",
		"GITHUB_API_URL":      gh.srv.URL + "/api/v3",
		"GITHUB_OUTPUT":       filepath.Join(dir, "output"),
		"GITHUB_STEP_SUMMARY": filepath.Join(dir, "summary"),
		"INPUT_GITHUB-TOKEN":  ghToken,
		"INPUT_TOKEN":         benchToken,
	}
	for k, v := range inputs {
		env["INPUT_"+strings.ToUpper(k)] = v
	}
	var stdout, stderr bytes.Buffer
	sys := app.System{
		Getenv:   func(k string) string { return env[k] },
		ReadFile: os.ReadFile,
		Stdout:   &stdout,
		Stderr:   &stderr,
		Clock:    clock,
	}
	code := app.Main(context.Background(), nil, sys)
	if strings.Contains(stdout.String(), "::warning title=PR comment") || strings.Contains(stderr.String(), "PR comment") {
		t.Errorf("the PR comment failed:\nstdout:\n%s\nstderr:\n%s", hideToken(stdout.String()), hideToken(stderr.String()))
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
			want:     map[string]int{routeList: 1, routePull: 1, routeCreate: 1},
			wantOurs: 1,
		},
		{
			name:     "re-run with the same outcome writes nothing",
			want:     map[string]int{routeList: 1, routeUser: 1},
			wantOurs: 1,
		},
		{
			name:     "run with a new outcome edits the comment",
			inputs:   map[string]string{"mode": "warn"},
			want:     map[string]int{routeList: 1, routeUser: 1, routePull: 1, routeEdit: 1},
			wantOurs: 1,
		},
		{
			// A new analysis has a new id, so the body changes.
			name:     "run that starts a new analysis edits the comment",
			inputs:   map[string]string{"start": "true"},
			want:     map[string]int{routeList: 1, routeUser: 1, routePull: 1, routeEdit: 1},
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
			_, base := startSim(t, simulator.Options{Scenario: sc, Now: clock.Now})
			gh := newFakeGitHub(t, others)
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
				got := gh.takeCalls()
				if fmt.Sprint(got) != fmt.Sprint(step.want) {
					t.Errorf("%s: GitHub calls %v, want %v", step.name, got, step.want)
				}
				if got[routeList] > 1 {
					t.Errorf("%s: %d pages of comments listed, want 1 for %d comments", step.name, got[routeList], others+1)
				}
				if writes := got[routeCreate] + got[routeEdit]; writes > 1 {
					t.Errorf("%s: %d writes, want at most 1", step.name, writes)
				}
				if ours := gh.ours(); len(ours) != step.wantOurs {
					t.Errorf("%s: the gate has %d comments, want %d", step.name, len(ours), step.wantOurs)
				}
			}
			for _, body := range gh.ours() {
				if !strings.Contains(body, "codescoring-gate:marker") || strings.Contains(body, benchToken) {
					t.Errorf("the comment lacks its marker or shows the token:\n%s", hideToken(body))
				}
			}
		})
	}
}
