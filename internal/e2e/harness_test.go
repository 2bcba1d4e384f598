// The pure-Go resolver answers "no such host" for .onion names (RFC 7686)
// without sending a DNS query, so the DNS-failure and proxy tests cause no
// traffic beyond 127.0.0.1 even where cgo would otherwise resolve.
//go:debug netdns=go

package e2e_test

import (
	"context"
	"io"
	"log"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/app"
	"github.com/codescoring-gate/codescoring-gate/internal/runnertest"
	"github.com/codescoring-gate/codescoring-gate/internal/simulator"
	"github.com/codescoring-gate/codescoring-gate/internal/simulator/simtest"
	"github.com/codescoring-gate/codescoring-gate/internal/testnet"
)

// canary is the CodeScoring token of every run: it must appear nowhere in
// what the gate writes but the one ::add-mask:: command.
const canary = "CANARY-e2e-cs-token-7d41e9b02c"

// ghCanary is the GitHub token of the runs on pull_request events.
const ghCanary = "ghs_CANARYe2egithubtoken0099"

// t0 is where the clock of every testing/synctest bubble starts, and so
// every run on fake time.
var t0 = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

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

// csOptions says how to serve the simulated CodeScoring.
type csOptions struct {
	// Scenario changes the demo scenario before the simulator starts.
	Scenario func(*simulator.Scenario)
	// Tokens are accepted besides the canary (which has the owner role).
	Tokens map[string]simulator.Role
	// Socket serves the simulator on 127.0.0.1, on real time, with
	// analyses that finish at once: for what needs a real socket (TLS,
	// proxies, redirects to another server, the built binary, doctor's own
	// dialing). Else it is served in memory inside the caller's
	// testing/synctest bubble, where analyses are pending 1 s and run 4 s,
	// so that the gate polls.
	Socket bool
	// Front, when set, sees each request first; it answers it itself by
	// returning true.
	Front func(cs *csServer, w http.ResponseWriter, r *http.Request) bool
	// Serve starts the test server (and implies Socket);
	// httptest.Server.Start when nil.
	Serve func(*httptest.Server)
	// Prefix mounts the installation below a path, e.g. "/codescoring", as
	// a reverse proxy serves it; URL then ends in it.
	Prefix string
	// Options changes the simulator's options before it starts.
	Options func(*simulator.Options)
}

// csServer is a simulated CodeScoring installation, in memory or on
// 127.0.0.1 (csOptions.Socket).
type csServer struct {
	Sim *simtest.Server
	Srv *httptest.Server // nil in memory
	// Root is the server's root, URL the installation's (Root and the
	// prefix); neither ends in a slash.
	Root, URL string
	handler   http.Handler

	// observe holds the func(*http.Request) of onRequest.
	observe atomic.Value

	mu       sync.Mutex
	attempts []attempt // in memory: every request sent, in the order answered
}

// attempt is one request as the run's transport saw it.
type attempt struct {
	key        string // method and URL
	start, end time.Time
	// failed is an answer the client retries: no answer, 429 or 5xx.
	failed bool
}

// onRequest makes f see each request first, before Front and before the
// simulator records it; it may be set while the gate runs.
func (cs *csServer) onRequest(f func(*http.Request)) { cs.observe.Store(f) }

// maxPerPageSeen is the largest per_page any simulator of this test binary
// was asked for.
var maxPerPageSeen atomic.Int64

// startCS serves the demo scenario, with opts, to the canary token: in
// memory, which must be inside a testing/synctest bubble, unless
// opts.Socket or opts.Serve. When the test ends it closes the server and
// checks that the gate never asked for more than 100 items a page.
func startCS(t *testing.T, opts csOptions) *csServer {
	t.Helper()
	socket := opts.Socket || opts.Serve != nil
	if !socket && time.Since(t0) > 24*time.Hour {
		// A bubble's clock starts at t0, the real one decades later.
		t.Fatal("startCS in memory must be called inside a synctest bubble")
	}
	sc := simulator.DemoScenario()
	if socket {
		for i := range sc.Projects {
			sc.Projects[i].Lifecycle = simulator.Lifecycle{}
		}
	}
	if opts.Scenario != nil {
		opts.Scenario(&sc)
	}
	so := simulator.Options{Scenario: sc, Token: canary, Tokens: opts.Tokens, Prefix: opts.Prefix}
	if opts.Options != nil {
		opts.Options(&so)
	}
	cs := &csServer{Sim: simtest.New(so)}
	front := opts.Front
	cs.handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if f, ok := cs.observe.Load().(func(*http.Request)); ok {
			f(r)
		}
		if front != nil && front(cs, w, r) {
			return
		}
		cs.Sim.ServeHTTP(w, r)
	})
	if socket {
		cs.Srv = httptest.NewUnstartedServer(cs.handler)
		// A client that rejects the certificate makes the server log; the
		// tests check what the gate says instead.
		cs.Srv.Config.ErrorLog = log.New(io.Discard, "", 0)
		if opts.Serve != nil {
			opts.Serve(cs.Srv)
		} else {
			cs.Srv.Start()
		}
		cs.Root = cs.Srv.URL
	} else {
		// Where nothing listens: a request that misses the run's
		// transport fails.
		cs.Root = "http://" + testnet.RefusedAddr(t)
	}
	cs.URL = cs.Root + opts.Prefix
	t.Cleanup(func() {
		// The simulator first: it releases hung requests, which the test
		// server would otherwise wait for.
		cs.Sim.Close()
		if cs.Srv != nil {
			cs.Srv.Close()
		}
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

// retryWaits returns the client's waits before it asked again, in order: the
// fake time from the end of each failed attempt to the next attempt of the
// same request. It is for runs in memory, where a request takes no time.
func (cs *csServer) retryWaits() []time.Duration {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	var waits []time.Duration
	for i, a := range cs.attempts {
		if !a.failed {
			continue
		}
		for _, b := range cs.attempts[i+1:] {
			if b.key == a.key {
				waits = append(waits, b.start.Sub(a.end))
				break
			}
		}
	}
	return waits
}

// transport is System.Transport of a run in memory: GitHub's host goes to
// gh, the simulator's to the simulator, any other host (a closed port, a
// name that does not resolve) to the network without a proxy. It records
// every request but GitHub's in cs.attempts.
type transport struct {
	cs      *csServer
	gh, sim http.RoundTripper
	net     *http.Transport
	ghHost  string
	simHost string
}

// transport returns the System.Transport of a run on cs in memory, with gh
// (nil for none) at runnertest.MemoryAPIURL.
func (cs *csServer) transport(gh *runnertest.GitHub) *transport {
	tr := &transport{cs: cs, sim: testnet.Memory(cs.handler), simHost: strings.TrimPrefix(cs.Root, "http://"),
		// A resolver of the run's own: one shared with another bubble
		// would answer it from that bubble.
		net: &http.Transport{DialContext: (&net.Dialer{Resolver: &net.Resolver{PreferGo: true}}).DialContext}}
	if gh != nil {
		u, _ := url.Parse(runnertest.MemoryAPIURL)
		tr.gh, tr.ghHost = gh.Transport(), u.Host
	}
	return tr
}

func (tr *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if tr.gh != nil && req.URL.Host == tr.ghHost {
		return tr.gh.RoundTrip(req)
	}
	var rt http.RoundTripper = tr.net
	if req.URL.Host == tr.simHost {
		rt = tr.sim
	}
	key, start := req.Method+" "+req.URL.String(), time.Now()
	resp, err := rt.RoundTrip(req)
	failed := err != nil || resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500
	tr.cs.mu.Lock()
	tr.cs.attempts = append(tr.cs.attempts, attempt{key: key, start: start, end: time.Now(), failed: failed})
	tr.cs.mu.Unlock()
	return resp, err
}

// gateRun is what one run of the program left behind.
type gateRun struct {
	runnertest.Result
	comments []string // bodies of the PR comments written
}

// out is what the user sees in the log: stdout and stderr.
func (r gateRun) out() string { return r.Stdout + r.Stderr }

// all is everything the run wrote anywhere.
func (r gateRun) all() string {
	var b strings.Builder
	b.WriteString(r.All())
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
// GITHUB_STEP_SUMMARY files, a pull_request event (unless opts.Push). With cs
// in memory, CodeScoring and GitHub are reached through System.Transport,
// in the caller's bubble; else on 127.0.0.1. Unset url, token and project
// default to cs, the canary and "payments-service". It checks that no
// secret leaked before it returns.
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
	var gh *runnertest.GitHub
	if !opts.Push {
		gh = runnertest.NewGitHub(t, ghCanary)
	}
	sys := app.System{RequestTimeout: opts.RequestTimeout}
	if cs.Srv == nil {
		tr := cs.transport(gh)
		defer tr.net.CloseIdleConnections()
		sys.Transport = tr
	}
	st := runnertest.NewStep(t, actionEnv(t, in, gh, cs))
	sys.Getenv, sys.ReadFile, sys.Stdout, sys.Stderr = st.Getenv, os.ReadFile, &st.Stdout, &st.Stderr
	r := gateRun{Result: st.Result(t, app.Main(ctx, nil, sys))}
	if gh != nil {
		r.comments = gh.Ours()
	}
	checkNoLeak(t, r, in["token"])
	return r
}

// actionEnv is the environment of the action's step (without the runner's
// files: see runnertest.NewStep): a pull_request event of acme/app#12 when
// gh is set, else a push to main. It serves gh on 127.0.0.1 unless cs is in
// memory (then gh is reached through the run's transport).
func actionEnv(t *testing.T, inputs map[string]string, gh *runnertest.GitHub, cs *csServer) map[string]string {
	t.Helper()
	a := runnertest.Action{Event: runnertest.Push, Inputs: inputs, GitHubToken: ghCanary}
	if gh != nil {
		a.Event = runnertest.PullRequest
		if cs == nil || cs.Srv != nil {
			a.GitHub = gh
		}
	}
	env := a.Env(t)
	if a.Event == runnertest.PullRequest && a.GitHub == nil {
		env["GITHUB_API_URL"] = runnertest.MemoryAPIURL
	}
	return env
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
		if n := strings.Count(r.Stdout, "::add-mask::"+s+"\n"); n != 1 {
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

// onErrorColumns returns the on-error values a row runs with: fail, and
// warn too when the row wants the error verdict.
func onErrorColumns(want map[string]string) []string {
	if want["verdict"] == "error" {
		return []string{"fail", "warn"}
	}
	return []string{"fail"}
}

// codeUnder returns the exit code a row wants with on-error onError: code,
// but 0 under warn for an outage (neither strict nor a configuration
// error), which on-error warn tolerates.
func codeUnder(onError string, code int, strict, config bool) int {
	if onError == "warn" && !strict && !config {
		return 0
	}
	return code
}

// wantExit checks r's exit code.
func wantExit(t *testing.T, r gateRun, code int) {
	t.Helper()
	if r.Code != code {
		t.Errorf("exit code = %d, want %d\n%s", r.Code, code, r.out())
	}
}

// wantResult checks r's exit code and the step outputs named in outputs.
func wantResult(t *testing.T, r gateRun, code int, outputs map[string]string) {
	t.Helper()
	wantExit(t, r, code)
	wantOutputs(t, r, outputs)
}

// wantOutputs checks the step outputs named in want.
func wantOutputs(t *testing.T, r gateRun, want map[string]string) {
	t.Helper()
	for _, k := range slices.Sorted(maps.Keys(want)) {
		if got := r.Outputs[k]; got != want[k] {
			t.Errorf("output %s = %q, want %q", k, got, want[k])
		}
	}
}

// wantIn checks that each of want occurs in what, named name. The terminal
// report wraps long lines with an indented continuation: a wanted text may
// span such a break.
func wantIn(t *testing.T, name, what string, want ...string) {
	t.Helper()
	unwrapped := unwrap(what)
	for _, w := range want {
		if !strings.Contains(what, w) && !strings.Contains(unwrapped, w) {
			t.Errorf("%s lacks %q:\n%s", name, w, what)
		}
	}
}

// wrapRE matches a line break of the terminal report's wrapping: the next
// line is indented.
var wrapRE = regexp.MustCompile(`\n +`)

// unwrap joins the terminal report's wrapped lines with their continuations.
func unwrap(s string) string { return wrapRE.ReplaceAllString(s, " ") }
