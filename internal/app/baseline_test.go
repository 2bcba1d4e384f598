package app

import (
	"strings"
	"testing"

	"github.com/codescoring-gate/codescoring-gate/internal/simulator"
	"github.com/codescoring-gate/codescoring-gate/internal/simulator/simtest"
)

// baselineSim serves BaselineDemoScenario (a pull request into main whose
// blocking alerts were all on main already) with instant analyses; extra
// alerts are raised off main only, so they are new in the pull request.
func baselineSim(t *testing.T, extra ...simulator.AlertTemplate) (*simtest.Server, string) {
	t.Helper()
	return startSim(t, baselineOptions(extra...))
}

// baselineOptions is the tweak of baselineSim.
func baselineOptions(extra ...simulator.AlertTemplate) func(*simulator.Options) {
	return func(o *simulator.Options) {
		sc := simulator.BaselineDemoScenario()
		for i := range sc.Projects {
			sc.Projects[i].Lifecycle = simulator.Lifecycle{}
		}
		for _, a := range extra {
			a.ExceptBranches = []string{"main"}
			sc.Alerts = append(sc.Alerts, a)
		}
		o.Scenario = sc
	}
}

// struts is a blocking alert (policy 12) on a package main does not have.
var struts = simulator.AlertTemplate{
	Project: simulator.DemoProjectID, Policy: 12, Status: "active",
	DependencyPurl: "pkg:maven/org.apache.struts/struts2-core@6.3.0", DependencyName: "org.apache.struts:struts2-core",
	DependencyVersion: "6.3.0", Technology: "java", Relation: "direct", VulnerabilityCode: "CVE-2023-50164",
}

// TestBaselineThroughMain runs the action on a pull_request event whose
// payload names main as its base: the baseline is main's newest successful
// analysis, without a baseline-ref input.
func TestBaselineThroughMain(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		inputs map[string]string
		// sim is "" for baselineSim, "plain" for DemoScenario (no analysis
		// of main), "struts" for baselineSim with struts, "fault" for
		// baselineSim whose baseline alerts answer 403.
		sim      string
		wantCode int
		wantOut  map[string]string
		wantLog  []string
	}{
		{
			name: "all existing, block-on all: fails", inputs: map[string]string{"block-on": "all"},
			wantCode: 1,
			wantOut: map[string]string{"verdict": "fail", "blocking-count": "4", "new-blocking-count": "0",
				"existing-blocking-count": "4", "fixed-count": "2", "baseline-analysis-id": "999", "analysis-id": "1000"},
			wantLog: []string{"baseline main, block-on all", "baseline: analysis 999 of main @ "},
		},
		{
			name: "all existing, block-on new: passes", inputs: map[string]string{"block-on": "new"},
			wantCode: 0,
			wantOut: map[string]string{"verdict": "pass", "blocking-count": "0", "new-blocking-count": "0",
				"existing-blocking-count": "4", "fixed-count": "2", "baseline-analysis-id": "999"},
		},
		{
			name: "a new blocking alert fails under new", inputs: map[string]string{"block-on": "new"},
			sim:      "struts",
			wantCode: 1,
			wantOut: map[string]string{"verdict": "fail", "blocking-count": "1", "new-blocking-count": "1",
				"existing-blocking-count": "4", "fixed-count": "2", "baseline-analysis-id": "999"},
			wantLog: []string{"struts2-core"},
		},
		{
			name: "no analysis of main: new fails closed", inputs: map[string]string{"block-on": "new"},
			sim:      "plain",
			wantCode: 1,
			wantOut: map[string]string{"verdict": "fail", "blocking-count": "4", "new-blocking-count": "4",
				"existing-blocking-count": "0", "fixed-count": "0", "baseline-analysis-id": ""},
			wantLog: []string{"baseline unavailable: project 340 has no successful analysis of main", "fail-closed"},
		},
		{
			name: "baseline alerts fail to load: new fails closed", inputs: map[string]string{"block-on": "new"},
			sim:      "fault",
			wantCode: 1,
			wantOut: map[string]string{"verdict": "fail", "blocking-count": "4", "new-blocking-count": "4",
				"existing-blocking-count": "0", "fixed-count": "0", "baseline-analysis-id": ""},
			wantLog: []string{"baseline unavailable: the alerts of baseline analysis 999 could not be read", "403"},
		},
		{
			name: "an explicit baseline-ref wins over the payload", inputs: map[string]string{"block-on": "new", "baseline-ref": "release/1.x"},
			wantCode: 1,
			wantOut:  map[string]string{"verdict": "fail", "blocking-count": "4", "baseline-analysis-id": ""},
			wantLog:  []string{"no successful analysis of release/1.x"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var url string
			switch tc.sim {
			case "plain":
				_, url = startSim(t, nil)
			case "struts":
				_, url = baselineSim(t, struts)
			default:
				var sim *simtest.Server
				sim, url = baselineSim(t)
				if tc.sim == "fault" {
					sim.Inject(simtest.Fault{PathPrefix: "/api/sca/policy_alerts/", QueryContains: "analysis=999",
						Kind: simtest.FaultStatus, Status: 403, Detail: "You do not have permission to perform this action."})
				}
			}
			in := map[string]string{"url": url, "token": canary, "project": "payments-service", "comment": "never"}
			for k, v := range tc.inputs {
				in[k] = v
			}
			r := runMain(t, t.Context(), nil, actionEnv(t, in, nil))
			if r.Code != tc.wantCode {
				t.Errorf("exit code %d, want %d\n%s", r.Code, tc.wantCode, r.All())
			}
			for k, want := range tc.wantOut {
				if got := r.Outputs[k]; got != want {
					t.Errorf("output %s = %q, want %q", k, got, want)
				}
			}
			for _, w := range tc.wantLog {
				if !strings.Contains(r.Stdout, w) {
					t.Errorf("log lacks %q:\n%s", w, r.Stdout)
				}
			}
			if strings.Contains(strings.ReplaceAll(r.All(), "::add-mask::"+canary, ""), canary) {
				t.Error("the CodeScoring token reached the output")
			}
		})
	}
}

// TestBaselineDefaultRef checks where the baseline ref comes from: the
// pull request's base, GitLab's and Jenkins' target branch, none on a push.
func TestBaselineDefaultRef(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		env  map[string]string
		want string
		// blockOn new without a baseline ref says so in the log.
		blockOn string
	}{
		{"github pull request", nil, "main", ""},
		{"github push", map[string]string{"GITHUB_EVENT_NAME": "push", "GITHUB_EVENT_PATH": ""}, "-", ""},
		{"gitlab merge request", map[string]string{"GITHUB_ACTIONS": "", "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "develop", "CHANGE_TARGET": "x"}, "develop", ""},
		{"jenkins change request", map[string]string{"GITHUB_ACTIONS": "", "CHANGE_TARGET": "trunk"}, "trunk", ""},
		{"another CI, no request", map[string]string{"GITHUB_ACTIONS": ""}, "-", ""},
		{"github push, block-on new", map[string]string{"GITHUB_EVENT_NAME": "push", "GITHUB_EVENT_PATH": ""}, "-", "new"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, url := startSim(t, nil)
			blockOn := tc.blockOn
			if blockOn == "" {
				blockOn = "all"
			}
			env := actionEnv(t, map[string]string{"url": url, "token": canary, "project": "payments-gateway", "comment": "never", "block-on": blockOn}, nil)
			for k, v := range tc.env {
				env[k] = v
			}
			r := runMain(t, t.Context(), nil, env)
			if want := "baseline " + tc.want + ", block-on " + blockOn; !strings.Contains(r.Stdout, want) {
				t.Errorf("log lacks %q:\n%s", want, r.Stdout)
			}
			const noBase = "block-on is new, but there is no baseline ref"
			if got := strings.Contains(r.Stdout, noBase); got != (blockOn == "new" && tc.want == "-") {
				t.Errorf("log says %q: %t, want %t", noBase, got, !got)
			}
		})
	}
}
