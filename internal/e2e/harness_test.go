// The pure-Go resolver answers "no such host" for .onion names (RFC 7686)
// without sending a DNS query, so the DNS-failure and proxy tests cause no
// traffic beyond 127.0.0.1 even where cgo would otherwise resolve.
//go:debug netdns=go

package e2e_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cenkalti/backoff/v4"

	"github.com/codescoring-gate/codescoring-gate/internal/app"
	"github.com/codescoring-gate/codescoring-gate/internal/simulator"
)

// canary is the CodeScoring token of every run: it must appear nowhere in
// what the gate writes but the one ::add-mask:: command.
const canary = "CANARY-e2e-cs-token-7d41e9b02c"

// ghCanary is the GitHub token of the runs on pull_request events.
const ghCanary = "ghs_CANARYe2egithubtoken0099"

// headSHA is the head commit of the pull request; mergeSHA the merge commit
// GITHUB_SHA names on pull_request events (never analysed).
const (
	headSHA  = "9fceb02d0ae598e95dc970b74767f19372d61af8"
	mergeSHA = "1111111111111111111111111111111111111111"
)

// t0 is when every run on simulated time starts.
var t0 = time.Date(2026, 11, 26, 10, 15, 0, 0, time.UTC)

// The verdict of the demo scenario for project 340 without a stage: four
// alerts block, three warn, two blocks are upcoming.
var demoFail = map[string]string{"verdict": "fail", "blocking-count": "4", "warning-count": "3", "upcoming-count": "2"}

// The paths of the contract, as the simulator records them.
const (
	pathProjects = "/api/projects/"
	pathProject  = "/api/projects/340/"
	pathStart    = "/api/analyses/projects/sca/start/"
	pathHistory  = "/api/analyses/projects/history/"
	pathStatus   = "/api/analyses/projects/history/1000/"
	pathPolicies = "/api/policies/"
	pathAlerts   = "/api/sca/policy_alerts/"
)

// fakeClock is simulated time shared by the simulator (Options.Now, After)
// and the gate (System.Clock, NewTimer, Sleep). The gate's poll timers and
// retry sleeps move the clock to their end as soon as they start, so a wait
// of an hour takes microseconds; the deadline timer is passive and fires
// only when the clock passes it.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*fakeTimer
	made   int
	sleeps []time.Duration

	// polls counts the starts of poll timers. From the (holdAfter+1)th on,
	// when holdAfter is positive, a poll timer does not move the clock, so
	// that the gate really waits; held receives when it starts.
	polls     int
	holdAfter int
	held      chan struct{}
}

// holdPolls makes the gate really wait from its (n+1)th poll wait on and
// returns a channel that receives when it does.
func (c *fakeClock) holdPolls(n int) <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.holdAfter, c.held = n, make(chan struct{}, 1)
	return c.held
}

func newFakeClock() *fakeClock { return &fakeClock{now: t0} }

// Now returns the simulated time.
func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// NewTimer is System.NewTimer. app.Main passes it to gate.Run both as the
// poll timer and as the deadline timer (System has no NewDeadlineTimer),
// and gate.Run makes the deadline timer first, before any poll timer: so
// the first timer is the passive deadline, the others move the clock.
func (c *fakeClock) NewTimer() backoff.Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.made++
	t := &fakeTimer{clk: c, c: make(chan time.Time, 1), auto: c.made > 1, deadline: c.made == 1}
	c.timers = append(c.timers, t)
	return t
}

// Sleep is System.Sleep, the wait between retries of a CodeScoring call: it
// records d and moves the clock on by d. When the gate's deadline falls
// within d, the clock stops there and Sleep returns when the deadline has
// cancelled ctx, as a real sleep would.
func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	c.sleeps = append(c.sleeps, d)
	end := c.now.Add(d)
	var deadline *fakeTimer
	for _, t := range c.timers {
		if t.deadline && t.running && !t.at.After(end) {
			deadline = t
		}
	}
	if deadline == nil {
		c.advanceLocked(end)
		c.mu.Unlock()
		return nil
	}
	c.advanceLocked(deadline.at)
	c.mu.Unlock()
	// gate.Run cancels ctx from its own goroutine when the deadline timer
	// fires; the real-time bound only keeps a broken gate from hanging the
	// test.
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(10 * time.Second):
		return nil
	}
}

// Sleeps returns the retry waits so far.
func (c *fakeClock) Sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.sleeps)
}

// After is the simulator's Options.After: a passive timer.
func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &fakeTimer{clk: c, c: make(chan time.Time, 1)}
	c.timers = append(c.timers, t)
	t.startLocked(d)
	return t.c
}

// Advance moves the clock on by d, firing every timer due on the way.
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.advanceLocked(c.now.Add(d))
}

func (c *fakeClock) advanceLocked(to time.Time) {
	for {
		var next *fakeTimer
		for _, t := range c.timers {
			if t.running && !t.at.After(to) && (next == nil || t.at.Before(next.at)) {
				next = t
			}
		}
		if next == nil {
			break
		}
		if next.at.After(c.now) {
			c.now = next.at
		}
		next.running = false
		select {
		case next.c <- next.at:
		default:
		}
	}
	if to.After(c.now) {
		c.now = to
	}
}

type fakeTimer struct {
	clk     *fakeClock
	c       chan time.Time
	at      time.Time
	running bool
	// auto timers (the gate's poll timer) move the clock to their end when
	// started; the deadline timer is the gate's wait-timeout.
	auto, deadline bool
}

func (t *fakeTimer) Start(d time.Duration) {
	t.clk.mu.Lock()
	defer t.clk.mu.Unlock()
	t.startLocked(d)
	if !t.auto {
		return
	}
	c := t.clk
	c.polls++
	if c.holdAfter > 0 && c.polls > c.holdAfter {
		select {
		case c.held <- struct{}{}:
		default:
		}
		return
	}
	c.advanceLocked(t.at)
}

func (t *fakeTimer) startLocked(d time.Duration) {
	select { // like time.Timer.Reset since Go 1.23: no stale tick
	case <-t.c:
	default:
	}
	t.at = t.clk.now.Add(d)
	t.running = true
}

func (t *fakeTimer) Stop() {
	t.clk.mu.Lock()
	defer t.clk.mu.Unlock()
	t.running = false
}

func (t *fakeTimer) C() <-chan time.Time { return t.c }

// csOptions says how to serve the simulated CodeScoring.
type csOptions struct {
	// Scenario changes the demo scenario before the simulator starts.
	Scenario func(*simulator.Scenario)
	// Tokens are accepted besides the canary (which has the owner role).
	Tokens map[string]simulator.Role
	// RealTime runs the simulator on the real clock with analyses that
	// finish at once; else it shares a fakeClock with the gate, and
	// analyses are pending 1 s and run 4 s, so that the gate polls.
	RealTime bool
	// Front, when set, sees each request first; it answers it itself by
	// returning true.
	Front func(cs *csServer, w http.ResponseWriter, r *http.Request) bool
	// Serve starts the test server; httptest.Server.Start when nil.
	Serve func(*httptest.Server)
}

// csServer is a simulated CodeScoring installation on 127.0.0.1.
type csServer struct {
	Sim   *simulator.Server
	Srv   *httptest.Server
	URL   string     // the installation root, without a trailing slash
	Clock *fakeClock // nil on the real clock

	// observe holds the func(*http.Request) of onRequest.
	observe atomic.Value
}

// onRequest makes f see each request first, before Front and before the
// simulator records it; it may be set while the gate runs.
func (cs *csServer) onRequest(f func(*http.Request)) { cs.observe.Store(f) }

// maxPerPageSeen is the largest per_page any simulator of this test binary
// was asked for.
var maxPerPageSeen atomic.Int64

// startCS serves the demo scenario, with opts, to the canary token. When the
// test ends it closes the server and checks that the gate never asked for
// more than 100 items a page.
func startCS(t *testing.T, opts csOptions) *csServer {
	t.Helper()
	sc := simulator.DemoScenario()
	if opts.RealTime {
		for i := range sc.Projects {
			sc.Projects[i].Lifecycle = simulator.Lifecycle{}
		}
	}
	if opts.Scenario != nil {
		opts.Scenario(&sc)
	}
	so := simulator.Options{Scenario: sc, Token: canary, Tokens: opts.Tokens}
	cs := &csServer{}
	if !opts.RealTime {
		cs.Clock = newFakeClock()
		so.Now, so.After = cs.Clock.Now, cs.Clock.After
	}
	cs.Sim = simulator.New(so)
	front := opts.Front
	cs.Srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if f, ok := cs.observe.Load().(func(*http.Request)); ok {
			f(r)
		}
		if front != nil && front(cs, w, r) {
			return
		}
		cs.Sim.ServeHTTP(w, r)
	}))
	// A client that rejects the certificate makes the server log; the
	// tests check what the gate says instead.
	cs.Srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	if opts.Serve != nil {
		opts.Serve(cs.Srv)
	} else {
		cs.Srv.Start()
	}
	cs.URL = cs.Srv.URL
	t.Cleanup(func() {
		// The simulator first: it releases hung requests, which the test
		// server would otherwise wait for.
		cs.Sim.Close()
		cs.Srv.Close()
		got := int64(cs.Sim.MaxPerPage())
		for old := maxPerPageSeen.Load(); got > old; old = maxPerPageSeen.Load() {
			if maxPerPageSeen.CompareAndSwap(old, got) {
				break
			}
		}
		if got > 100 {
			t.Errorf("the gate asked CodeScoring for per_page=%d; the contract allows at most 100", got)
		}
	})
	return cs
}

// count returns how many requests had method and exactly path.
func (cs *csServer) count(method, path string) int {
	n := 0
	for _, r := range cs.Sim.Requests() {
		if r.Method == method && r.Path == path {
			n++
		}
	}
	return n
}

// gateRun is what one run of the program left behind.
type gateRun struct {
	code           int
	stdout, stderr string
	summary        string
	outputs        map[string]string
	comments       []string // bodies of the PR comments written
}

// out is what the user sees in the log: stdout and stderr.
func (r gateRun) out() string { return r.stdout + r.stderr }

// all is everything the run wrote anywhere.
func (r gateRun) all() string {
	var b strings.Builder
	b.WriteString(r.stdout + r.stderr + r.summary)
	for _, k := range slices.Sorted(maps.Keys(r.outputs)) {
		b.WriteString(k + "=" + r.outputs[k] + "\n")
	}
	for _, c := range r.comments {
		b.WriteString(c + "\n")
	}
	return b.String()
}

// runOptions are the circumstances of one run.
type runOptions struct {
	// Ctx is the job's context, cancelled when the job is; t.Context()
	// when nil.
	Ctx context.Context
	// Push runs on a push event (no pull request, no comment); else the run
	// is on a pull_request event with a fake GitHub API.
	Push bool
	// RequestTimeout bounds each CodeScoring request; zero is the client's
	// default of 30 s.
	RequestTimeout time.Duration
}

// runGate runs app.Main as the GitHub runner runs the action: inputs as
// INPUT_<NAME> variables with their hyphens kept, GITHUB_OUTPUT and
// GITHUB_STEP_SUMMARY files, a pull_request event (unless opts.Push), on
// cs's clock. Unset url, token and project default to cs, the canary and
// "payments-service". It checks that no secret leaked before it returns.
func runGate(t *testing.T, cs *csServer, inputs map[string]string, opts runOptions) gateRun {
	t.Helper()
	ctx := opts.Ctx
	if ctx == nil {
		ctx = t.Context()
	}
	in := map[string]string{"url": cs.URL, "token": canary, "project": "payments-service"}
	for k, v := range inputs {
		in[k] = v
	}
	var gh *fakeGH
	if !opts.Push {
		gh = newFakeGH(t)
	}
	env := actionEnv(t, in, gh)
	var stdout, stderr bytes.Buffer
	sys := app.System{
		Getenv:   func(k string) string { return env[k] },
		ReadFile: os.ReadFile,
		Stdout:   &stdout,
		Stderr:   &stderr,
	}
	if c := cs.Clock; c != nil {
		sys.Clock, sys.NewTimer, sys.Sleep = c, c.NewTimer, c.Sleep
	}
	sys.RequestTimeout = opts.RequestTimeout
	code := app.Main(ctx, nil, sys)
	r := gateRun{code: code, stdout: stdout.String(), stderr: stderr.String(), outputs: map[string]string{}}
	if b, err := os.ReadFile(env["GITHUB_OUTPUT"]); err == nil {
		r.outputs = parseOutputs(t, string(b))
	}
	if b, err := os.ReadFile(env["GITHUB_STEP_SUMMARY"]); err == nil {
		r.summary = string(b)
	}
	if gh != nil {
		r.comments = gh.bodies()
	}
	checkNoLeak(t, r, in["token"])
	return r
}

// actionEnv is the environment of the action's step: a pull_request event
// of acme/app#12 when gh is set, else a push to main.
func actionEnv(t *testing.T, inputs map[string]string, gh *fakeGH) map[string]string {
	t.Helper()
	dir := t.TempDir()
	env := map[string]string{
		"GITHUB_ACTIONS":      "true",
		"GITHUB_REPOSITORY":   "acme/app",
		"GITHUB_WORKFLOW":     "security",
		"GITHUB_JOB":          "gate",
		"GITHUB_SERVER_URL":   "https://github.com",
		"GITHUB_RUN_ID":       "777",
		"GITHUB_OUTPUT":       filepath.Join(dir, "output"),
		"GITHUB_STEP_SUMMARY": filepath.Join(dir, "summary"),
		"GITHUB_EVENT_NAME":   "push",
		"GITHUB_REF_NAME":     "main",
		"GITHUB_SHA":          headSHA,
	}
	if gh != nil {
		event := filepath.Join(dir, "event.json")
		payload := fmt.Sprintf(`{"action":"synchronize","number":12,
			"pull_request":{"number":12,"head":{"sha":%q,"ref":"feature/login","repo":{"full_name":"acme/app"}},
				"base":{"ref":"main","repo":{"name":"app","full_name":"acme/app","owner":{"login":"acme"}}}},
			"repository":{"name":"app","full_name":"acme/app","owner":{"login":"acme"}}}`, headSHA)
		if err := os.WriteFile(event, []byte(payload), 0o600); err != nil {
			t.Fatal(err)
		}
		env["GITHUB_EVENT_NAME"] = "pull_request"
		env["GITHUB_EVENT_PATH"] = event
		env["GITHUB_SHA"] = mergeSHA
		env["GITHUB_REF_NAME"] = "12/merge"
		env["GITHUB_HEAD_REF"] = "feature/login"
		env["GITHUB_API_URL"] = gh.srv.URL + "/api/v3"
	}
	// The runner sets every input of action.yml, defaults included, as
	// INPUT_<NAME> with hyphens kept: INPUT_WAIT-TIMEOUT.
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

// parseOutputs reads a GITHUB_OUTPUT file as the runner does: name=value
// lines and name<<DELIMITER heredocs.
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
		if _, dup := out[name]; dup {
			t.Errorf("GITHUB_OUTPUT sets %s twice", name)
		}
		out[name] = val
	}
	return out
}

// credentialURL matches a URL with a user name or password in it; its
// group is the userinfo.
var credentialURL = regexp.MustCompile(`(?i)[a-z][a-z0-9+.-]*://([^/\s"'<>@]*)@`)

// redactedUserinfo is userinfo with the password taken out, as
// url.URL.Redacted and the gate's own redaction write it, or the
// placeholder of an example.
var redactedUserinfo = regexp.MustCompile(`^(REDACTED|\*\*\*|[^:]*:xxxxx|user:password)$`)

// checkNoLeak fails t when a secret appears in anything r wrote (the
// inputs token and github-token, which must be masked exactly once, and
// others, e.g. a proxy password, which must not appear at all), except in
// the one ::add-mask:: command of each input, when a URL with credentials
// was written, or when a stack trace reached the user.
func checkNoLeak(t *testing.T, r gateRun, token string, others ...string) {
	t.Helper()
	all := r.all()
	for _, s := range []string{token, ghCanary} {
		if n := strings.Count(r.stdout, "::add-mask::"+s+"\n"); n != 1 {
			t.Errorf("the input %.10s… is masked %d times, want once", s, n)
		}
	}
	for _, s := range append([]string{token, ghCanary}, others...) {
		rest := strings.Replace(all, "::add-mask::"+s+"\n", "", 1)
		if i := strings.Index(rest, s); i >= 0 {
			t.Errorf("the secret %.10s… leaked: …%s…", s, excerpt(rest, i))
		}
	}
	for _, m := range credentialURL.FindAllStringSubmatchIndex(all, -1) {
		if !redactedUserinfo.MatchString(all[m[2]:m[3]]) {
			t.Errorf("a URL with credentials was written: …%s…", excerpt(all, m[0]))
		}
	}
	for _, trace := range []string{"panic:", "goroutine ", ".go:"} {
		if i := strings.Index(r.out(), trace); i >= 0 {
			t.Errorf("a stack trace reached the user: …%s…", excerpt(r.out(), i))
		}
	}
}

func excerpt(s string, i int) string {
	lo, hi := max(0, i-120), min(len(s), i+120)
	return s[lo:hi]
}

// wantOutputs checks the step outputs named in want.
func wantOutputs(t *testing.T, r gateRun, want map[string]string) {
	t.Helper()
	for _, k := range slices.Sorted(maps.Keys(want)) {
		if got := r.outputs[k]; got != want[k] {
			t.Errorf("output %s = %q, want %q", k, got, want[k])
		}
	}
}

// wantIn checks that each of want occurs in what, named name.
func wantIn(t *testing.T, name, what string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(what, w) {
			t.Errorf("%s lacks %q:\n%s", name, w, what)
		}
	}
}

// fakeGH is a tiny GitHub REST API for one pull request (acme/app#12),
// mounted under /api/v3 like GitHub Enterprise Server.
type fakeGH struct {
	srv *httptest.Server

	mu       sync.Mutex
	comments map[int64]string
	order    []int64
}

func newFakeGH(t *testing.T) *fakeGH {
	t.Helper()
	f := &fakeGH{comments: map[int64]string{}}
	mux := http.NewServeMux()
	const p = "/api/v3"
	authorized := func(w http.ResponseWriter, r *http.Request) bool {
		if r.Header.Get("Authorization") != "Bearer "+ghCanary {
			http.Error(w, `{"message":"Bad credentials"}`, http.StatusUnauthorized)
			return false
		}
		return true
	}
	mux.HandleFunc("GET "+p+"/user", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, `{"message":"Resource not accessible by integration"}`, http.StatusForbidden)
	})
	mux.HandleFunc("GET "+p+"/repos/acme/app/pulls/12", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"number":12,"head":{"sha":%q,"ref":"feature/login"}}`, headSHA)
	})
	mux.HandleFunc("GET "+p+"/repos/acme/app/issues/12/comments", func(w http.ResponseWriter, r *http.Request) {
		if !authorized(w, r) {
			return
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		list := []map[string]any{}
		for _, id := range f.order {
			list = append(list, f.comment(id))
		}
		_ = json.NewEncoder(w).Encode(list)
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
	if r.Header.Get("Authorization") != "Bearer "+ghCanary {
		http.Error(w, `{"message":"Bad credentials"}`, http.StatusUnauthorized)
		return
	}
	var c struct{ Body string }
	if err := json.NewDecoder(r.Body).Decode(&c); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if id == 0 {
		id = int64(len(f.order) + 1)
		f.order = append(f.order, id)
		w.WriteHeader(http.StatusCreated)
	}
	f.comments[id] = c.Body
	_ = json.NewEncoder(w).Encode(f.comment(id))
}

func (f *fakeGH) bodies() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, id := range f.order {
		out = append(out, f.comments[id])
	}
	return out
}
