package e2e_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/simulator"
	"github.com/codescoring-gate/codescoring-gate/internal/simulator/simtest"
	"github.com/codescoring-gate/codescoring-gate/internal/testnet"
)

// faultRow is one row of the fault matrix: what goes wrong, and what the
// user must see.
type faultRow struct {
	name string
	// inputs override the action's inputs; "url" may use {closed} for a
	// port on 127.0.0.1 where nothing listens.
	inputs map[string]string
	faults []simtest.Fault
	// life, when set, is how analyses of project 340 run.
	life *simulator.Lifecycle
	// timeout is System.RequestTimeout; zero is the client's 30 s.
	timeout time.Duration
	cs      csOptions
	// want are the step outputs; a verdict of error makes the row run in
	// two columns, on-error fail and on-error warn.
	want map[string]string
	// code is the exit code with on-error fail.
	code int
	// out must occur in what the user sees (stdout and stderr).
	out []string
	// strict errors exit non-zero also with on-error warn: bad input.
	strict bool
	// config errors are reported as any error, but exit 2 also with
	// on-error warn: a re-run cannot fix them.
	config bool
	// check asserts what else the row is about; hits are the injected
	// faults' hit counts.
	check func(t *testing.T, cs *csServer, r gateRun, hits []int)
}

// errorVerdict is the outputs of a run that could not decide.
var errorVerdict = map[string]string{"verdict": "error", "blocking-count": "0", "warning-count": "0", "upcoming-count": "0"}

// TestFaultMatrix runs the whole program through each fault a CodeScoring
// installation behind a proxy produces, and checks verdict output, exit
// code and the message the user sees; every row that ends in an error runs
// again with on-error warn. Every run also checks that the token never
// leaks and that no page asked for more than 100 items.
func TestFaultMatrix(t *testing.T) {
	t.Parallel()
	var rows []faultRow
	rows = append(rows, transientRows()...)
	rows = append(rows, rateLimitRows()...)
	rows = append(rows, hangRows()...)
	rows = append(rows, restartRows()...)
	rows = append(rows, networkRows()...)
	rows = append(rows, badURLRows()...)
	rows = append(rows, badAnswerRows()...)
	rows = append(rows, authRows()...)
	rows = append(rows, analysisRows()...)
	rows = append(rows, orphanPolicyRows()...)
	for _, row := range rows {
		for _, onError := range onErrorColumns(row.want) {
			t.Run(row.name+"/on-error="+onError, func(t *testing.T) {
				t.Parallel()
				synctest.Test(t, func(t *testing.T) { runRow(t, row, onError) })
			})
		}
	}
}

// runRow runs the program once through row with the on-error input onError
// and checks what the row and the column say the user must get. It runs in
// a testing/synctest bubble: the waits of the gate and of the simulator's
// analyses are fake time.
func runRow(t *testing.T, row faultRow, onError string) {
	t.Helper()
	cs := startCS(t, row.cs)
	if row.life != nil {
		if err := cs.Sim.SetLifecycle(simulator.DemoProjectID, *row.life); err != nil {
			t.Fatal(err)
		}
	}
	ids := make([]simtest.FaultID, len(row.faults))
	for i, f := range row.faults {
		ids[i] = cs.Sim.Inject(f)
	}
	in := map[string]string{"on-error": onError}
	for k, v := range row.inputs {
		in[k] = strings.ReplaceAll(v, "{closed}", closedAddr(t))
	}

	r := runGate(t, cs, in, runOptions{RequestTimeout: row.timeout})

	wantResult(t, r, codeUnder(onError, row.code, row.strict, row.config), row.want)
	wantIn(t, "the log", r.out(), row.out...)
	if row.want["verdict"] == "error" && !row.strict {
		// The job summary says what failed as the log does.
		wantIn(t, "the job summary", r.Summary, "could not decide", "What failed")
		checkAdviceOnce(t, r)
		switch {
		case onError == "warn" && row.config:
			wantIn(t, "the log", r.Stdout, "on-error is warn, but a configuration error is not an outage: the gate exits 2.",
				"::error title=CodeScoring gate could not decide::")
		case onError == "warn":
			wantIn(t, "the log", r.Stdout, "on-error is warn", "::warning title=CodeScoring gate could not decide::")
			if strings.Contains(r.Stdout, "::error") {
				t.Errorf("on-error warn still wrote an error annotation:\n%s", r.Stdout)
			}
		default:
			wantIn(t, "the log", r.Stdout, "::error title=CodeScoring gate could not decide::")
		}
	}
	if (row.strict || row.config) && strings.Contains(r.Stdout, "on-error is warn: the gate could not decide") {
		t.Errorf("a configuration error was tolerated by on-error warn:\n%s", r.Stdout)
	}
	if row.check != nil {
		hits := make([]int, len(ids))
		for i, id := range ids {
			hits[i] = cs.Sim.FaultHits(id)
		}
		row.check(t, cs, r, hits)
	}
}

// checkAdviceOnce checks that the terminal report says what to do once, in
// its "What to do:" line, not also in "What failed:", and that the job
// summary shows the advice's settings as code.
func checkAdviceOnce(t *testing.T, r gateRun) {
	t.Helper()
	var failed, todo string
	for _, l := range strings.Split(r.Stdout, "\n") {
		if v, ok := strings.CutPrefix(l, "What failed: "); ok {
			failed = v
		}
		if v, ok := strings.CutPrefix(l, "What to do: "); ok {
			todo = v
		}
	}
	if failed == "" || todo == "" {
		t.Fatalf("the report lacks What failed or What to do:\n%s", r.Stdout)
	}
	if strings.Contains(failed, todo) {
		t.Errorf("the advice is said twice:\nWhat failed: %s\nWhat to do: %s", failed, todo)
	}
	if n := strings.Count(r.Summary, "**What to do:**"); n != 1 {
		t.Errorf("the job summary says what to do %d times, want once:\n%s", n, r.Summary)
	}
	for i, span := range strings.Split(todo, "`") {
		if i%2 == 1 && !strings.Contains(r.Summary, "`"+span+"`") {
			t.Errorf("the job summary escapes the advice's code `%s`:\n%s", span, r.Summary)
		}
	}
}

// closedAddr returns host:port on 127.0.0.1 where nothing listens.
func closedAddr(t *testing.T) string {
	t.Helper()
	return testnet.RefusedAddr(t)
}

// endpointFault is a fault on one endpoint of the contract.
type endpointFault struct {
	name  string
	fault simtest.Fault
	input map[string]string
}

// endpoints are the calls of one gate run, each as a fault target.
var endpoints = []endpointFault{
	{name: "find project", fault: simtest.Fault{PathPrefix: pathProjects, QueryContains: "search="}},
	{name: "get project", fault: simtest.Fault{PathPrefix: pathProject}, input: map[string]string{"project": "340"}},
	{name: "recent analyses", fault: simtest.Fault{PathPrefix: pathHistory, QueryContains: "project="}},
	{name: "start analysis", fault: simtest.Fault{Method: http.MethodPost, PathPrefix: pathStart}},
	{name: "analysis status", fault: simtest.Fault{PathPrefix: pathStatus}},
	{name: "policies", fault: simtest.Fault{PathPrefix: pathPolicies}},
	{name: "alerts", fault: simtest.Fault{PathPrefix: pathAlerts}},
}

// on returns f aimed at e.
func (e endpointFault) on(f simtest.Fault) simtest.Fault {
	f.Method, f.PathPrefix, f.QueryContains = e.fault.Method, e.fault.PathPrefix, e.fault.QueryContains
	return f
}

// checkRetried checks that the burst of n faults was answered and each was
// followed by a retry wait of the client's backoff.
func checkRetried(n int) func(t *testing.T, cs *csServer, r gateRun, hits []int) {
	return func(t *testing.T, cs *csServer, r gateRun, hits []int) {
		t.Helper()
		if hits[0] != n {
			t.Errorf("the fault answered %d requests, want %d", hits[0], n)
		}
		sleeps := cs.retryWaits()
		if len(sleeps) != n {
			t.Fatalf("retry waits = %v, want %d of them", sleeps, n)
		}
		for _, d := range sleeps {
			// The backoff starts at 1 s ± 50 % and never waits past 30 s.
			if d < 400*time.Millisecond || d > 30*time.Second {
				t.Errorf("retry wait %s is outside the backoff's range", d)
			}
		}
	}
}

// transientRows: 500, 502, 503 and 504 bursts on every call are retried
// and the verdict is right; when they do not stop, the gate gives up with an
// error.
func transientRows() []faultRow {
	var rows []faultRow
	for _, status := range []int{500, 502, 503, 504} {
		for _, e := range endpoints {
			rows = append(rows, faultRow{
				name:   fmt.Sprintf("%d burst on %s", status, e.name),
				inputs: e.input,
				faults: []simtest.Fault{e.on(simtest.Fault{Kind: simtest.FaultStatus, Status: status, Times: 3})},
				want:   demoFail,
				code:   1,
				out:    []string{fmt.Sprintf("%d %s", status, http.StatusText(status)), "retrying in", "4 alerts of 3 policies block the build"},
				check:  checkRetried(3),
			})
		}
	}
	rows = append(rows,
		faultRow{
			name:   "502 HTML page of the proxy, then recovery",
			faults: []simtest.Fault{{PathPrefix: pathAlerts, Kind: simtest.FaultStatus, Status: 502, HTML: true, Times: 2}},
			want:   demoFail,
			code:   1,
			out:    []string{"/api/sca/policy_alerts/", "502 Bad Gateway", "retrying in"},
			check:  checkRetried(2),
		},
		faultRow{
			// A proxy that times out while CodeScoring starts the analysis:
			// the retried start finds it running (409) and attaches to it.
			name: "504 from the proxy after the start went through",
			cs: csOptions{Front: func(cs *csServer, w http.ResponseWriter, r *http.Request) bool {
				if r.Method != http.MethodPost || r.URL.Path != pathStart || len(cs.Sim.AnalysisIDs(simulator.DemoProjectID)) > 0 {
					return false
				}
				cs.Sim.ServeHTTP(httptest.NewRecorder(), r)
				http.Error(w, "<html><body><h1>504 Gateway Time-out</h1></body></html>", http.StatusGatewayTimeout)
				return true
			}},
			want: demoFail,
			code: 1,
			out:  []string{"504 Gateway Timeout", "retrying in", "attaching to analysis 1000"},
			check: func(t *testing.T, cs *csServer, r gateRun, hits []int) {
				t.Helper()
				if ids := cs.Sim.AnalysisIDs(simulator.DemoProjectID); len(ids) != 1 {
					t.Errorf("analyses started: %v, want exactly one", ids)
				}
			},
		},
		faultRow{
			name:   "503 that never stops",
			faults: []simtest.Fault{{PathPrefix: pathPolicies, Kind: simtest.FaultStatus, Status: 503}},
			want:   errorVerdict,
			code:   2,
			out: []string{"What failed: read policies: gave up after ", " attempts: CodeScoring answered GET /api/policies/ with 503 Service Unavailable",
				"What to do: CodeScoring, or a proxy in front of it, kept failing: check its health, then re-run the job"},
			check: func(t *testing.T, cs *csServer, r gateRun, hits []int) {
				t.Helper()
				var total time.Duration
				for _, d := range cs.retryWaits() {
					total += d
				}
				// The client's retry budget is 2 minutes.
				if total < time.Minute || total > 2*time.Minute {
					t.Errorf("retried for %s, want about the 2 min budget", total)
				}
			},
		},
		faultRow{
			name:   "502 HTML page that never stops",
			inputs: map[string]string{"project": "340"},
			faults: []simtest.Fault{{Kind: simtest.FaultStatus, Status: 502, HTML: true}},
			want:   errorVerdict,
			code:   2,
			out: []string{"What failed: get project 340: gave up after ",
				"CodeScoring answered GET /api/projects/340/ with 502 Bad Gateway as an HTML page instead of JSON (from a proxy in front of CodeScoring?)"},
		},
		faultRow{
			name:   "501 is not retried",
			faults: []simtest.Fault{{PathPrefix: pathAlerts, Kind: simtest.FaultStatus, Status: 501}},
			want:   errorVerdict,
			code:   2,
			config: true,
			out: []string{"CodeScoring answered GET /api/sca/policy_alerts/ with 501 Not Implemented",
				"What to do: this installation's API differs from the one the gate calls: run the action once with `command: doctor`"},
			check: func(t *testing.T, cs *csServer, r gateRun, hits []int) {
				t.Helper()
				if hits[0] != 1 {
					t.Errorf("the 501 was asked %d times, want once", hits[0])
				}
			},
		},
	)
	return rows
}

// rateLimitRows: a 429 is waited out for at least its Retry-After.
func rateLimitRows() []faultRow {
	waits := func(least time.Duration, n int) func(t *testing.T, cs *csServer, r gateRun, hits []int) {
		return func(t *testing.T, cs *csServer, r gateRun, hits []int) {
			t.Helper()
			sleeps := cs.retryWaits()
			if len(sleeps) != n {
				t.Fatalf("retry waits = %v, want %d", sleeps, n)
			}
			for _, d := range sleeps {
				if d < least {
					t.Errorf("waited %s after a 429, want at least Retry-After %s", d, least)
				}
			}
		}
	}
	var rows []faultRow
	for _, e := range endpoints {
		rows = append(rows, faultRow{
			name:   "429 Retry-After 7 on " + e.name,
			inputs: e.input,
			faults: []simtest.Fault{e.on(simtest.Fault{Kind: simtest.FaultRateLimit, RetryAfter: "7", Times: 2})},
			want:   demoFail,
			code:   1,
			out:    []string{"429 Too Many Requests", "retrying in 7s"},
			check:  waits(7*time.Second, 2),
		})
	}
	rows = append(rows,
		faultRow{
			name: "429 Retry-After as an HTTP date",
			faults: []simtest.Fault{{PathPrefix: pathProjects, Kind: simtest.FaultRateLimit, Times: 1,
				RetryAfter: t0.Add(20 * time.Second).Format(http.TimeFormat)}},
			want:  demoFail,
			code:  1,
			out:   []string{"retrying in 20s"},
			check: waits(20*time.Second, 1),
		},
		faultRow{
			name:   "429 asking for longer than the retry budget",
			faults: []simtest.Fault{{PathPrefix: pathPolicies, Kind: simtest.FaultRateLimit, RetryAfter: "600"}},
			want:   errorVerdict,
			code:   2,
			out: []string{"What failed: read policies: gave up after 1 attempt: CodeScoring answered GET /api/policies/ with 429 Too Many Requests",
				"What to do: CodeScoring is limiting the requests of this token: re-run the job later, or run fewer jobs at once with one token"},
			// It never asks again sooner than it was told to.
			check: waits(0, 0),
		},
	)
	return rows
}

// hangRows: a request that hangs, with a per-request timeout longer than
// the wait-timeout, does not hold the gate past its wait-timeout. (The
// per-request timeout and retry of a hang is TestHangingResponseIsRetried.)
func hangRows() []faultRow {
	return []faultRow{
		{
			name:    "status request hangs past the wait-timeout",
			inputs:  map[string]string{"wait-timeout": "10m"},
			faults:  []simtest.Fault{{PathPrefix: pathStatus, Kind: simtest.FaultHang}},
			timeout: time.Hour,
			want:    map[string]string{"verdict": "error", "analysis-id": "1000"},
			code:    2,
			out: []string{"What failed: analysis 1000 did not finish within 10m (last status pending, waited 10m",
				"What to do: raise the `wait-timeout` input (now 10m)"},
		},
		{
			name:    "project request hangs past the wait-timeout",
			inputs:  map[string]string{"wait-timeout": "5m", "project": "340"},
			faults:  []simtest.Fault{{PathPrefix: pathProject, Kind: simtest.FaultHang}},
			timeout: time.Hour,
			want:    map[string]string{"verdict": "error", "analysis-id": ""},
			code:    2,
			out:     []string{"What failed: get project 340: no answer from CodeScoring within the wait-timeout of 5m (waited 5m0s)"},
		},
	}
}

// restartRows: status requests that fail for longer than the client's retry
// budget while CodeScoring restarts do not end the run: the gate polls on
// until the wait-timeout, and then names the last attempt's error and its
// advice, not "raise wait-timeout".
func restartRows() []faultRow {
	downFor := func(d time.Duration) func(cs *csServer, w http.ResponseWriter, r *http.Request) bool {
		return func(cs *csServer, w http.ResponseWriter, r *http.Request) bool {
			if r.URL.Path != pathStatus || !time.Now().Before(t0.Add(d)) {
				return false
			}
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = io.WriteString(w, "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>")
			return true
		}
	}
	return []faultRow{
		{
			name: "CodeScoring restarts for 6 minutes while the gate polls",
			cs:   csOptions{Front: downFor(6 * time.Minute)},
			want: demoFail,
			code: 1,
			out: []string{"analysis 1000: the status request failed (gave up after ", "503 Service Unavailable as an HTML page",
				"polling on until the wait-timeout", "analysis 1000: CodeScoring answers again", "4 alerts of 3 policies block the build"},
			check: func(t *testing.T, cs *csServer, r gateRun, hits []int) {
				t.Helper()
				// The client's retries and the poll schedule together: no
				// more than a request every few seconds while it is down.
				if n := cs.count(http.MethodGet, pathStatus); n > 6*60/3 {
					t.Errorf("%d status requests in 6 min, want at most %d", n, 6*60/3)
				}
			},
		},
		{
			name:   "status requests reset until the wait-timeout",
			inputs: map[string]string{"wait-timeout": "10m"},
			faults: []simtest.Fault{{PathPrefix: pathStatus, Kind: simtest.FaultReset}},
			want:   map[string]string{"verdict": "error", "analysis-id": "1000"},
			code:   2,
			out: []string{"What failed: analysis 1000 did not finish within 10m (last status pending, waited 10m0s); " +
				"the last status request failed: reach CodeScoring at 127.0.0.1:",
				"; analysis 1000 is still pending in CodeScoring: http://127.0.0.1:",
				"What to do: check the `url` input, DNS, the firewall and `HTTPS_PROXY` / `NO_PROXY`"},
			check: func(t *testing.T, cs *csServer, r gateRun, hits []int) {
				t.Helper()
				if strings.Contains(r.Stdout, "raise the `wait-timeout` input") {
					t.Errorf("a network failure at the deadline says to raise wait-timeout:\n%s", r.Stdout)
				}
			},
		},
	}
}

// networkRows: connection refused, a name that does not resolve, and
// connections reset are retried within the deadline, then an error names
// the host.
func networkRows() []faultRow {
	return []faultRow{
		{
			name:   "connection refused",
			inputs: map[string]string{"url": "http://{closed}"},
			want:   map[string]string{"verdict": "error", "report-url": ""},
			code:   2,
			out: []string{"What failed: find project \"payments-service\": gave up after ", " attempts: reach CodeScoring at 127.0.0.1:",
				"connect: connection refused\n",
				"What to do: check the `url` input, DNS, the firewall and `HTTPS_PROXY` / `NO_PROXY`: this runner must reach the host; then re-run the job"},
			check: checkBudgetSpent,
		},
		{
			name: "host name does not resolve",
			// .onion names never resolve, and cause no DNS query (RFC 7686).
			inputs: map[string]string{"url": "https://codescoring.onion"},
			want:   map[string]string{"verdict": "error"},
			code:   2,
			out:    []string{"reach CodeScoring at codescoring.onion (GET /api/projects/)", "codescoring.onion: no suitable address found"},
			check:  checkBudgetSpent,
		},
		{
			name:   "connection reset, then recovery",
			faults: []simtest.Fault{{PathPrefix: pathAlerts, Kind: simtest.FaultReset, Times: 2}},
			want:   demoFail,
			code:   1,
			check: func(t *testing.T, cs *csServer, r gateRun, hits []int) {
				t.Helper()
				// net/http itself retries a GET on a reused connection that
				// the server closed, so a reset may cost no wait of ours.
				if n := len(cs.retryWaits()); hits[0] != 2 || n > 2 {
					t.Errorf("resets = %d, retry waits = %d; want 2 resets and at most 2 waits", hits[0], n)
				}
			},
		},
		{
			name:   "connection reset on every attempt",
			faults: []simtest.Fault{{PathPrefix: pathPolicies, Kind: simtest.FaultReset}},
			want:   map[string]string{"verdict": "error"},
			code:   2,
			out:    []string{"What failed: read policies: gave up after ", "reach CodeScoring at 127.0.0.1:", "(GET /api/policies/)"},
			check:  checkBudgetSpent,
		},
	}
}

// badURLRows: a URL that cannot name an installation is bad input, refused
// before anything is sent, not retried for two minutes.
func badURLRows() []faultRow {
	row := func(name, rawURL string, out ...string) faultRow {
		return faultRow{
			name:   name,
			inputs: map[string]string{"url": rawURL},
			want:   map[string]string{"verdict": "error", "report-url": ""},
			code:   2,
			strict: true,
			out:    append(out, "nothing was sent to CodeScoring", "::error title=CodeScoring gate%3A invalid input::"),
			check:  checkNothingSent,
		}
	}
	return []faultRow{
		row("url with a port out of range", "http://127.0.0.1:99999",
			`the CodeScoring URL http://127.0.0.1:99999 has the port "99999", not a number from 1 to 65535`,
			"set the `url` input with the port CodeScoring listens on, e.g. http://127.0.0.1:8443"),
		row("url with port zero", "https://127.0.0.1:0/", `has the port "0", not a number from 1 to 65535`),
		row("url with a port that is not a number", "https://127.0.0.1:https/", `is not a URL (invalid port ":https" after host)`),
		row("url with an empty port", "https://127.0.0.1:/", "has an empty port after its host name's colon"),
		row("url with a space in the host", "https://code scoring.onion/", "is not a URL (invalid character \" \" in host name)"),
		row("url into the API below a prefix", "https://tools.onion/codescoring/api/",
			"the CodeScoring URL https://tools.onion/codescoring/api/ points into the API (/api)",
			"remove the /api part: set the `url` input to https://tools.onion/codescoring (the gate adds /api/... itself)"),
	}
}

// checkNothingSent checks that CodeScoring got no request and the gate
// waited for nothing.
func checkNothingSent(t *testing.T, cs *csServer, r gateRun, hits []int) {
	t.Helper()
	if n := len(cs.Sim.Requests()); n != 0 {
		t.Errorf("CodeScoring got %d requests, want none", n)
	}
	if s := cs.retryWaits(); len(s) != 0 {
		t.Errorf("the gate waited %v for a URL it cannot use", s)
	}
}

// checkBudgetSpent checks that the client retried for its whole budget of
// 2 minutes before it gave up.
func checkBudgetSpent(t *testing.T, cs *csServer, r gateRun, hits []int) {
	t.Helper()
	sleeps := cs.retryWaits()
	var total time.Duration
	for _, d := range sleeps {
		total += d
	}
	if len(sleeps) < 3 || total < time.Minute || total > 2*time.Minute {
		t.Errorf("retry waits = %v (%s in all), want retries for about 2 min", sleeps, total)
	}
}

// badAnswerRows: answers that are not the JSON of the contract are errors
// that say so, never a verdict.
func badAnswerRows() []faultRow {
	var rows []faultRow
	for _, c := range []struct {
		e    endpointFault
		kind simtest.FaultKind
		path string
	}{
		{endpoints[0], simtest.FaultInvalidJSON, pathProjects},
		{endpoints[1], simtest.FaultTruncatedJSON, pathProject},
		{endpoints[2], simtest.FaultTruncatedJSON, pathHistory},
		{endpoints[3], simtest.FaultTruncatedJSON, pathStart},
		{endpoints[4], simtest.FaultTruncatedJSON, pathStatus},
		{endpoints[5], simtest.FaultInvalidJSON, pathPolicies},
		{endpoints[6], simtest.FaultInvalidJSON, pathAlerts},
		{endpoints[6], simtest.FaultTruncatedJSON, pathAlerts},
	} {
		rows = append(rows, faultRow{
			name:   fmt.Sprintf("%s from %s", c.kind, c.e.name),
			inputs: c.e.input,
			faults: []simtest.Fault{c.e.on(simtest.Fault{Kind: c.kind})},
			want:   map[string]string{"verdict": "error"},
			code:   2,
			out:    []string{"CodeScoring returned invalid JSON from " + c.path},
		})
	}
	for _, e := range []endpointFault{endpoints[0], endpoints[3], endpoints[4], endpoints[6]} {
		rows = append(rows, faultRow{
			name:   "login page with 200 from " + e.name,
			inputs: e.input,
			faults: []simtest.Fault{e.on(simtest.Fault{Kind: simtest.FaultLoginPage})},
			want:   map[string]string{"verdict": "error"},
			code:   2,
			config: true,
			out: []string{"with an HTML page instead of JSON (a proxy's login page, or the web UI rather than the API?)",
				"What to do: something other than CodeScoring's API answered (a proxy's login page, or the web UI): set the `url` input to the installation root"},
		})
	}
	rows = append(rows, faultRow{
		name:   "body over 32 MiB",
		faults: []simtest.Fault{{PathPrefix: pathPolicies, Kind: simtest.FaultLargeBody}},
		want:   map[string]string{"verdict": "error"},
		code:   2,
		out:    []string{"What failed: read policies: response from /api/policies/ is larger than 32 MiB"},
	})
	return rows
}

// authRows: 401, 403 and 404 name the input to fix; a token that the
// server echoes or that is pasted into the url never shows.
func authRows() []faultRow {
	return []faultRow{
		{
			name: "401 whose detail echoes the token",
			faults: []simtest.Fault{{PathPrefix: pathProjects, Kind: simtest.FaultStatus, Status: 401,
				Detail: "Token " + canary + " has expired."}},
			want:   errorVerdict,
			code:   2,
			config: true,
			out:    []string{"401 Unauthorized", "has expired", "What to do: set the `token` input to a current API token"},
		},
		{
			name:   "url carrying the token as a password",
			inputs: map[string]string{"url": "https://ci:" + canary + "@codescoring.onion"},
			want:   errorVerdict,
			code:   2,
			strict: true,
			out: []string{"the CodeScoring URL https://codescoring.onion holds a user name or password",
				"remove them from the `url` input: CodeScoring authenticates with the `token` input",
				"nothing was sent to CodeScoring", "::error title=CodeScoring gate%3A invalid input::"},
			check: func(t *testing.T, cs *csServer, r gateRun, hits []int) {
				t.Helper()
				if n := len(cs.Sim.Requests()); n != 0 {
					t.Errorf("CodeScoring got %d requests, want none", n)
				}
			},
		},
		{
			name:   "401 wrong token",
			inputs: map[string]string{"token": "wrong-" + canary},
			want:   errorVerdict,
			code:   2,
			config: true,
			out: []string{"CodeScoring answered GET /api/projects/ with 401 Unauthorized (\"Invalid token.\")\n",
				"What to do: set the `token` input to a current API token from a CodeScoring user profile"},
		},
		{
			name:   "403 reader cannot start an analysis",
			inputs: map[string]string{"token": "reader-" + canary},
			cs:     csOptions{Tokens: map[string]simulator.Role{"reader-" + canary: simulator.RoleReader}},
			want:   errorVerdict,
			code:   2,
			config: true,
			out: []string{"start analysis of project 340: CodeScoring answered POST /api/analyses/projects/sca/start/ with 403 Forbidden",
				"What to do: give the token's user the Developer or Owner role on the project to start analyses, " +
					"or set the `start` input to false to wait for an analysis started elsewhere"},
		},
		{
			name:   "403 on reading the policies",
			faults: []simtest.Fault{{PathPrefix: pathPolicies, Kind: simtest.FaultStatus, Status: 403}},
			want:   errorVerdict,
			code:   2,
			config: true,
			out: []string{"CodeScoring answered GET /api/policies/ with 403 Forbidden",
				"What to do: give the token's user a role on the project in CodeScoring: any role may read it"},
		},
		{
			// Only a change of the input helps: on-error warn does not
			// tolerate it.
			name:   "unknown project name",
			inputs: map[string]string{"project": "payments"},
			want:   errorVerdict,
			code:   2,
			config: true,
			out: []string{`no CodeScoring project is named "payments"; near matches: "payments-service" (id 340)`,
				"What to do: set the `project` input to the id or the exact name of a CodeScoring project",
				"::error title=CodeScoring gate could not decide::"},
		},
		{
			// The server's substring search misses a typo; searches for
			// parts of the name find the near match, within 3 requests.
			name:   "project name with a typo",
			inputs: map[string]string{"project": "payment-service"},
			want:   errorVerdict,
			code:   2,
			config: true,
			out: []string{`no CodeScoring project is named "payment-service"; near matches: "payments-service" (id 340)`,
				"What to do: set the `project` input to the id or the exact name of a CodeScoring project"},
			check: func(t *testing.T, cs *csServer, r gateRun, hits []int) {
				t.Helper()
				if n := cs.count(http.MethodGet, pathProjects); n < 1 || n > 3 {
					t.Errorf("%d searches of the projects, want 1 to 3", n)
				}
				if n := len(cs.Sim.Requests()); n != cs.count(http.MethodGet, pathProjects) {
					t.Errorf("%d requests, want only the project searches", n)
				}
			},
		},
		{
			name:   "404 unknown project id",
			inputs: map[string]string{"project": "999"},
			want:   errorVerdict,
			code:   2,
			config: true,
			out: []string{"get project 999: CodeScoring answered GET /api/projects/999/ with 404 Not Found",
				"What to do: set the `project` input to the id or the exact name of a CodeScoring project: no project has this id"},
		},
		{
			name:   "404 everywhere: the url is not CodeScoring",
			faults: []simtest.Fault{{Kind: simtest.FaultStatus, Status: 404, Detail: "Not found."}},
			want:   errorVerdict,
			code:   2,
			config: true,
			out: []string{"CodeScoring answered GET /api/projects/ with 404 Not Found",
				"What to do: set the `url` input to the installation root, without /api"},
		},
	}
}

// analysisRows: an analysis that fails, is cancelled or never finishes on
// the server is an error with the server's message, never a pass.
func analysisRows() []faultRow {
	return []faultRow{
		{
			name: "analysis failed",
			life: &simulator.Lifecycle{Pending: time.Second, Running: 3 * time.Second, Outcome: simulator.OutcomeFailed,
				Error: "git clone failed: repository not found"},
			want: map[string]string{"verdict": "error", "analysis-id": "1000"},
			code: 2,
			out:  []string{"analysis 1000: failed", "What failed: analysis 1000 failed in CodeScoring: git clone failed: repository not found"},
		},
		{
			name: "analysis canceled",
			life: &simulator.Lifecycle{Running: 2 * time.Second, Outcome: simulator.OutcomeCanceled, Error: "canceled by admin@acme"},
			want: map[string]string{"verdict": "error", "analysis-id": "1000"},
			code: 2,
			out:  []string{"What failed: analysis 1000 was canceled in CodeScoring: canceled by admin@acme"},
		},
		{
			name:   "analysis never finishes",
			inputs: map[string]string{"wait-timeout": "45m"},
			life:   &simulator.Lifecycle{Pending: 2 * time.Second, Outcome: simulator.OutcomeNever},
			want:   map[string]string{"verdict": "error", "analysis-id": "1000"},
			code:   2,
			out: []string{"What failed: analysis 1000 did not finish within 45m (last status in_progress, waited 45m0s)",
				"What to do: raise the `wait-timeout` input (now 45m)"},
			check: func(t *testing.T, cs *csServer, r gateRun, hits []int) {
				t.Helper()
				// The poll schedule's budget: at most T/10 s + 15 requests.
				if n, limit := cs.count(http.MethodGet, pathStatus), 45*60/10+15; n > limit {
					t.Errorf("%d status requests in 45 min, want at most %d", n, limit)
				}
			},
		},
		{
			name:   "analysis stays pending",
			inputs: map[string]string{"wait-timeout": "2m"},
			life:   &simulator.Lifecycle{Pending: time.Hour},
			want:   map[string]string{"verdict": "error", "analysis-id": "1000"},
			code:   2,
			out:    []string{"What failed: analysis 1000 did not finish within 2m (last status pending, waited 2m0s)"},
		},
	}
}

// orphanPolicyRows: an alert whose policy is not in the policy list is
// decided from its own is_blocks_build; without one, it blocks.
func orphanPolicyRows() []faultRow {
	orphan := func(blocks *bool, omit bool) func(*simulator.Scenario) {
		return func(sc *simulator.Scenario) {
			sc.Alerts = []simulator.AlertTemplate{{
				Project: simulator.DemoProjectID, Policy: 99, PolicyName: "Deleted policy", Level: "critical",
				DependencyName: "org.example:lib", DependencyVersion: "1.0.0", Technology: "java",
				VulnerabilityCode: "CVE-2026-0001", IsBlocksBuild: blocks, OmitIsBlocksBuild: omit,
			}}
		}
	}
	yes, no := true, false
	const missing = "policy 99 of alert 5000 is not in the policy list (deleted, or not visible to the token): decided from the alerts' own is_blocks_build"
	return []faultRow{
		{
			name: "missing policy, alert says it blocks",
			cs:   csOptions{Scenario: orphan(&yes, false)},
			want: map[string]string{"verdict": "fail", "blocking-count": "1", "warning-count": "0"},
			code: 1,
			out:  []string{missing, "1 alert of 1 policy blocks the build"},
		},
		{
			name: "missing policy, alert says it does not block",
			cs:   csOptions{Scenario: orphan(&no, false)},
			want: map[string]string{"verdict": "pass", "blocking-count": "0", "warning-count": "1"},
			code: 0,
			out:  []string{missing},
		},
		{
			name: "missing policy, alert does not say: fail-closed",
			cs:   csOptions{Scenario: orphan(nil, true)},
			want: map[string]string{"verdict": "fail", "blocking-count": "1", "warning-count": "0"},
			code: 1,
			out:  []string{missing, "alert 5000 of the missing policy 99 does not say whether it blocks: it blocks the build (fail-closed)"},
			check: func(t *testing.T, cs *csServer, r gateRun, hits []int) {
				t.Helper()
				wantIn(t, "the job summary", r.Summary, "fail-closed")
			},
		},
		{
			name:   "missing policy, alert does not say, mode warn",
			inputs: map[string]string{"mode": "warn"},
			cs:     csOptions{Scenario: orphan(nil, true)},
			want:   map[string]string{"verdict": "warn", "blocking-count": "1"},
			code:   0,
			out:    []string{"fail-closed"},
		},
	}
}
