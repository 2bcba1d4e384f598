package e2e_test

import (
	"strings"
	"testing"
	"testing/synctest"

	"github.com/codescoring-gate/codescoring-gate/internal/simulator/simtest"
)

// The tests in this file fail until the change their comment names is made
// in another package; the e2e report to the lead describes each.

// TestWaitTimeoutKeepsTheLastError: when the wait-timeout ends while the
// client is still retrying a fault, the error must still say what the fault
// was and name the host, not only "no answer within the wait-timeout".
//
// Needs: internal/gate/run.go, runner.failCall, the pastDeadline case: add
// the last attempt's error (err; for an *api.AttemptsError its Err) to the
// message, e.g. "...within the wait-timeout of 1m (waited 1m0s); the last
// attempt: reach CodeScoring at 127.0.0.1:4711 (GET /api/projects/): ...".
func TestWaitTimeoutKeepsTheLastError(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		inputs map[string]string
		faults []simtest.Fault
		want   []string
	}{
		{
			name:   "connection refused",
			inputs: map[string]string{"url": "http://{closed}"},
			want:   []string{"within the wait-timeout of 1m", "reach CodeScoring at 127.0.0.1:", "connection refused"},
		},
		{
			name:   "503 that never stops",
			faults: []simtest.Fault{{PathPrefix: pathProjects, Kind: simtest.FaultStatus, Status: 503}},
			want:   []string{"within the wait-timeout of 1m", "503 Service Unavailable"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			row := faultRow{inputs: map[string]string{"wait-timeout": "1m"}, faults: tc.faults}
			for k, v := range tc.inputs {
				row.inputs[k] = v
			}
			row.want, row.code = map[string]string{"verdict": "error"}, 2
			row.check = func(t *testing.T, cs *csServer, r gateRun, hits []int) {
				t.Helper()
				wantIn(t, "the What failed line", whatFailed(r.Stdout), tc.want...)
			}
			synctest.Test(t, func(t *testing.T) { runRow(t, row, "fail") })
		})
	}
}

// TestAdviceMatchesTheError: the "What to do" line must not contradict
// "What failed". An answer that came back but cannot be read is not a
// reachability problem, and a 501 asked once did not "keep failing".
//
// Needs: internal/gate/run.go, hintFor: cases for *api.DecodeError (e.g.
// "CodeScoring's answer is not the JSON the gate expects: if a proxy sits in
// front of CodeScoring, check that it passes answers whole; else run
// `codescoring-gate doctor`"), *api.TooLargeError (e.g. "check the `url`
// input; if it is right, report it with this log"), and for an APIError of
// 400, 405 or 501 ("run `codescoring-gate doctor`", as the error itself
// says). Today the first two get "check that CodeScoring can be reached from
// the runner" and 501 gets "CodeScoring kept failing: check its health".
func TestAdviceMatchesTheError(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		fault simtest.Fault
	}{
		{"invalid JSON", simtest.Fault{PathPrefix: pathPolicies, Kind: simtest.FaultInvalidJSON}},
		{"truncated JSON", simtest.Fault{PathPrefix: pathPolicies, Kind: simtest.FaultTruncatedJSON}},
		{"body over 32 MiB", simtest.Fault{PathPrefix: pathPolicies, Kind: simtest.FaultLargeBody}},
		{"501 Not Implemented", simtest.Fault{PathPrefix: pathPolicies, Kind: simtest.FaultStatus, Status: 501}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			row := faultRow{
				faults: []simtest.Fault{tc.fault},
				want:   map[string]string{"verdict": "error"},
				code:   2,
				check: func(t *testing.T, cs *csServer, r gateRun, hits []int) {
					t.Helper()
					todo := whatToDo(r.Stdout)
					for _, wrong := range []string{"can be reached", "kept failing"} {
						if strings.Contains(todo, wrong) {
							t.Errorf("the advice contradicts %q:\n%s", whatFailed(r.Stdout), todo)
						}
					}
				},
			}
			synctest.Test(t, func(t *testing.T) { runRow(t, row, "fail") })
		})
	}
}

// whatFailed and whatToDo return those lines of the terminal report.
func whatFailed(stdout string) string { return reportLine(stdout, "What failed: ") }
func whatToDo(stdout string) string   { return reportLine(stdout, "What to do: ") }

func reportLine(stdout, prefix string) string {
	for _, line := range strings.Split(unwrap(stdout), "\n") {
		if strings.HasPrefix(line, prefix) {
			return line
		}
	}
	return ""
}
