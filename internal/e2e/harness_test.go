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
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cenkalti/backoff/v4"

	"github.com/codescoring-gate/codescoring-gate/internal/app"
	"github.com/codescoring-gate/codescoring-gate/internal/runnertest"
	"github.com/codescoring-gate/codescoring-gate/internal/simclock"
	"github.com/codescoring-gate/codescoring-gate/internal/simulator"
	"github.com/codescoring-gate/codescoring-gate/internal/simulator/simtest"
)

// canary is the CodeScoring token of every run: it must appear nowhere in
// what the gate writes but the one ::add-mask:: command.
const canary = "CANARY-e2e-cs-token-7d41e9b02c"

// ghCanary is the GitHub token of the runs on pull_request events.
const ghCanary = "ghs_CANARYe2egithubtoken0099"

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

// csOptions says how to serve the simulated CodeScoring.
type csOptions struct {
	// Scenario changes the demo scenario before the simulator starts.
	Scenario func(*simulator.Scenario)
	// Tokens are accepted besides the canary (which has the owner role).
	Tokens map[string]simulator.Role
	// RealTime runs the simulator on the real clock with analyses that
	// finish at once; else it shares simulated time with the gate, and
	// analyses are pending 1 s and run 4 s, so that the gate polls.
	RealTime bool
	// Front, when set, sees each request first; it answers it itself by
	// returning true.
	Front func(cs *csServer, w http.ResponseWriter, r *http.Request) bool
	// Serve starts the test server; httptest.Server.Start when nil.
	Serve func(*httptest.Server)
	// Prefix mounts the installation below a path, e.g. "/codescoring", as
	// a reverse proxy serves it; URL then ends in it.
	Prefix string
	// Options changes the simulator's options before it starts.
	Options func(*simulator.Options)
}

// csServer is a simulated CodeScoring installation on 127.0.0.1.
type csServer struct {
	Sim   *simtest.Server
	Srv   *httptest.Server
	URL   string          // the installation root, without a trailing slash
	Clock *simclock.Clock // nil on the real clock

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
	so := simulator.Options{Scenario: sc, Token: canary, Tokens: opts.Tokens, Prefix: opts.Prefix}
	cs := &csServer{}
	if !opts.RealTime {
		cs.Clock = simclock.New(t0)
		so.Now, so.After = cs.Clock.Now, cs.Clock.After
	}
	if opts.Options != nil {
		opts.Options(&so)
	}
	cs.Sim = simtest.New(so)
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
	cs.URL = cs.Srv.URL + opts.Prefix
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
	var gh *runnertest.GitHub
	if !opts.Push {
		gh = runnertest.NewGitHub(t, ghCanary)
	}
	st := runnertest.NewStep(t, actionEnv(t, in, gh))
	sys := app.System{Getenv: st.Getenv, ReadFile: os.ReadFile, Stdout: &st.Stdout, Stderr: &st.Stderr}
	if c := cs.Clock; c != nil {
		sys.Clock, sys.Sleep = c, c.Sleep
		sys.NewTimer = deadlineFirst(c)
	}
	sys.RequestTimeout = opts.RequestTimeout
	r := gateRun{Result: st.Result(t, app.Main(ctx, nil, sys))}
	if gh != nil {
		r.comments = gh.Ours()
	}
	checkNoLeak(t, r, in["token"])
	return r
}

// deadlineFirst is System.NewTimer on c for one run. The runs leave
// System.NewDeadlineTimer nil, as main.go does, so app.Main passes NewTimer
// to gate.Run for its wait-timeout too, and gate.Run makes that timer first,
// before any poll timer: the first timer is a deadline, which must not move
// time, the others are poll waits, which move it at once.
func deadlineFirst(c *simclock.Clock) func() backoff.Timer {
	var made atomic.Int32
	return func() backoff.Timer {
		if made.Add(1) == 1 {
			return c.NewDeadline()
		}
		return c.NewSleeper()
	}
}

// actionEnv is the environment of the action's step (without the runner's
// files: see runnertest.NewStep): a pull_request event of acme/app#12 when
// gh is set, else a push to main.
func actionEnv(t *testing.T, inputs map[string]string, gh *runnertest.GitHub) map[string]string {
	t.Helper()
	a := runnertest.Action{Event: runnertest.Push, Inputs: inputs, GitHubToken: ghCanary, GitHub: gh}
	if gh != nil {
		a.Event = runnertest.PullRequest
	}
	return a.Env(t)
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
