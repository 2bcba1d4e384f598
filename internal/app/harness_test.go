package app

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

	"github.com/codescoring-gate/codescoring-gate/internal/simulator"
)

// canary is the CodeScoring token of every test run: it must never appear in
// anything the gate writes.
const canary = "CANARY-cs-token-5f2b9c7e1d"

// ghCanary is the GitHub token of the runner tests.
const ghCanary = "ghs_CANARYgithubtoken0042"

// headSHA and mergeSHA tell the PR's head commit from the merge commit that
// GITHUB_SHA names on pull_request events.
const (
	headSHA  = "9fceb02d0ae598e95dc970b74767f19372d61af8"
	mergeSHA = "1111111111111111111111111111111111111111"
)

// startSim serves the demo scenario with instant analyses and the canary
// token; tweak may change the options first.
func startSim(t *testing.T, tweak func(*simulator.Options)) (*simulator.Server, string) {
	t.Helper()
	sc := simulator.DemoScenario()
	for i := range sc.Projects {
		sc.Projects[i].Lifecycle = simulator.Lifecycle{}
	}
	opts := simulator.Options{Scenario: sc, Token: canary}
	if tweak != nil {
		tweak(&opts)
	}
	sim := simulator.New(opts)
	base, err := sim.Start("127.0.0.1:0")
	if err != nil {
		t.Fatalf("start simulator: %v", err)
	}
	t.Cleanup(func() { sim.Close() })
	return sim, strings.TrimSuffix(base, "/")
}

// run is one execution of Main with captured streams and runner files.
type run struct {
	code           int
	stdout, stderr string
	outputs        map[string]string
	summary        string
}

// all is everything the run wrote, for canary checks.
func (r run) all() string {
	var b strings.Builder
	b.WriteString(r.stdout + r.stderr + r.summary)
	for k, v := range r.outputs {
		b.WriteString(k + "=" + v + "\n")
	}
	return b.String()
}

// runMain runs Main as the GitHub runner would when env has
// GITHUB_ACTIONS=true: GITHUB_OUTPUT and GITHUB_STEP_SUMMARY point at fresh
// files in a temporary directory.
func runMain(t *testing.T, ctx context.Context, args []string, env map[string]string) run {
	t.Helper()
	dir := t.TempDir()
	full := map[string]string{}
	for k, v := range env {
		full[k] = v
	}
	if env["GITHUB_ACTIONS"] == "true" {
		full["GITHUB_OUTPUT"] = filepath.Join(dir, "output")
		full["GITHUB_STEP_SUMMARY"] = filepath.Join(dir, "summary")
	}
	var stdout, stderr bytes.Buffer
	sys := System{
		Getenv:   func(k string) string { return full[k] },
		ReadFile: os.ReadFile,
		Stdout:   &stdout,
		Stderr:   &stderr,
	}
	code := Main(ctx, args, sys)
	r := run{code: code, stdout: stdout.String(), stderr: stderr.String(), outputs: map[string]string{}}
	if b, err := os.ReadFile(filepath.Join(dir, "output")); err == nil {
		r.outputs = parseOutputs(t, string(b))
	}
	if b, err := os.ReadFile(filepath.Join(dir, "summary")); err == nil {
		r.summary = string(b)
	}
	return r
}

// parseOutputs reads a GITHUB_OUTPUT file: name=value lines and
// name<<DELIM heredocs, as the runner does.
func parseOutputs(t *testing.T, s string) map[string]string {
	t.Helper()
	out := map[string]string{}
	lines := strings.Split(s, "\n")
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if line == "" {
			continue
		}
		if name, delim, ok := strings.Cut(line, "<<"); ok && !strings.Contains(name, "=") {
			var val []string
			for i++; i < len(lines) && lines[i] != delim; i++ {
				val = append(val, lines[i])
			}
			out[name] = strings.Join(val, "\n")
			continue
		}
		name, val, ok := strings.Cut(line, "=")
		if !ok {
			t.Fatalf("GITHUB_OUTPUT line %q is neither name=value nor a heredoc", line)
		}
		out[name] = val
	}
	return out
}

// actionEnv is the environment of a pull_request run of the action, with the
// given inputs (names as in action.yml).
func actionEnv(t *testing.T, inputs map[string]string, gh *fakeGH) map[string]string {
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
		"GITHUB_ACTIONS":    "true",
		"GITHUB_EVENT_NAME": "pull_request",
		"GITHUB_EVENT_PATH": event,
		"GITHUB_REPOSITORY": "acme/app",
		"GITHUB_WORKFLOW":   "security",
		"GITHUB_JOB":        "gate",
		"GITHUB_SHA":        mergeSHA,
		"GITHUB_REF_NAME":   "12/merge",
		"GITHUB_HEAD_REF":   "feature/login",
		"GITHUB_SERVER_URL": "https://github.com",
		"GITHUB_RUN_ID":     "777",
	}
	if gh != nil {
		env["GITHUB_API_URL"] = gh.srv.URL + "/api/v3"
	}
	// The runner keeps hyphens: wait-timeout arrives as INPUT_WAIT-TIMEOUT,
	// and inputs with defaults are always set.
	defaults := map[string]string{"mode": "enforce", "start": "true", "wait-timeout": "30m",
		"on-error": "fail", "comment": "always", "github-token": ghCanary,
		"ref": "", "commit": "", "stage": "", "ca-cert": ""}
	for k, v := range defaults {
		env["INPUT_"+strings.ToUpper(k)] = v
	}
	for k, v := range inputs {
		env["INPUT_"+strings.ToUpper(k)] = v
	}
	return env
}

// fakeGH is a tiny GitHub REST API for one pull request (acme/app#12),
// mounted under /api/v3 like GitHub Enterprise Server.
type fakeGH struct {
	srv *httptest.Server

	mu       sync.Mutex
	comments map[int64]string
	order    []int64
	writes   int
	head     string
	status   int // when set, writes answer this status
	authOK   bool
}

func newFakeGH(t *testing.T) *fakeGH {
	t.Helper()
	f := &fakeGH{comments: map[int64]string{}, head: headSHA}
	mux := http.NewServeMux()
	const p = "/api/v3"
	mux.HandleFunc("GET "+p+"/user", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, `{"message":"Resource not accessible by integration"}`, http.StatusForbidden)
	})
	mux.HandleFunc("GET "+p+"/repos/acme/app/pulls/12", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		fmt.Fprintf(w, `{"number":12,"head":{"sha":%q,"ref":"feature/login"}}`, f.head)
	})
	mux.HandleFunc("GET "+p+"/repos/acme/app/issues/12/comments", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.authOK = r.Header.Get("Authorization") == "Bearer "+ghCanary
		var list []map[string]any
		for _, id := range f.order {
			list = append(list, f.comment(id))
		}
		json.NewEncoder(w).Encode(list)
	})
	mux.HandleFunc("POST "+p+"/repos/acme/app/issues/12/comments", func(w http.ResponseWriter, r *http.Request) {
		f.write(w, r, 0)
	})
	mux.HandleFunc("PATCH "+p+"/repos/acme/app/issues/comments/{id}", func(w http.ResponseWriter, r *http.Request) {
		id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
		f.write(w, r, id)
	})
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeGH) comment(id int64) map[string]any {
	return map[string]any{"id": id, "body": f.comments[id], "user": map[string]any{"login": "github-actions[bot]"},
		"html_url": fmt.Sprintf("https://github.com/acme/app/pull/12#issuecomment-%d", id)}
}

func (f *fakeGH) write(w http.ResponseWriter, r *http.Request, id int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.status != 0 {
		http.Error(w, `{"message":"Resource not accessible by integration"}`, f.status)
		return
	}
	var c struct{ Body string }
	if err := json.NewDecoder(r.Body).Decode(&c); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	f.writes++
	if id == 0 {
		id = int64(len(f.order) + 1)
		f.order = append(f.order, id)
		w.WriteHeader(http.StatusCreated)
	}
	f.comments[id] = c.Body
	json.NewEncoder(w).Encode(f.comment(id))
}
