package doctor

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
	"github.com/codescoring-gate/codescoring-gate/internal/simulator"
	"github.com/codescoring-gate/codescoring-gate/internal/simulator/simtest"
)

// TestRunAgainstSimulator runs doctor against simulated installations, over
// plain HTTP on 127.0.0.1, and checks every check's outcome, the exit code,
// the endpoints, what the findings say, and that only GET requests reached
// the server.
func TestRunAgainstSimulator(t *testing.T) {
	t.Parallel()
	notRun := []string{CheckToken, CheckProject, CheckEndpoints, CheckAnalyses, CheckPolicies}
	tests := []struct {
		name     string
		sim      simulator.Options // Scenario empty: scenario()
		faults   []simtest.Fault
		opts     func(*Options)
		want     map[string]Status
		skipped  []string
		exit     int
		wantText map[string][]string // check name → substrings of its finding and fix
		wantEP   map[string]Presence
		document string
	}{
		{
			name: "all pass",
			want: allPass(), exit: ExitOK, document: "/api/schema/",
			wantText: map[string][]string{
				CheckProject:   {`"payments-service" (id 340`},
				CheckEndpoints: {"all 7 endpoints", "/api/schema/"},
				CheckAnalyses:  {"succeeded 2h ago"},
				CheckPolicies:  {"2 active blocker policies at stage source", `"No critical CVEs"`, "1 with a delayed block"},
				CheckToken:     {"3 visible", "policies (6)"},
			},
			wantEP: map[string]Presence{"GetProject": Present, "FindProject": Present, "StartAnalysis": Present,
				"GetAnalysis": Present, "RecentAnalyses": Present, "Policies": Present, "Alerts": Present},
		},
		{
			name: "alerts served elsewhere: the api-paths value to set",
			sim:  simulator.Options{Paths: map[simulator.Endpoint]string{simulator.EndpointAlerts: "/api/sca/alerts/"}},
			want: with(allPass(), CheckEndpoints, Fail), exit: ExitFailed, document: "/api/schema/",
			wantText: map[string][]string{CheckEndpoints: {"GET /api/sca/policy_alerts/ (missing)",
				"→ set `--api-paths` / `CODESCORING_API_PATHS` to alerts=/api/sca/alerts/, then run doctor again with it"}},
			wantEP: map[string]Presence{"Alerts": Missing},
		},
		{
			name: "alerts served elsewhere, in GitHub Actions",
			sim:  simulator.Options{Paths: map[simulator.Endpoint]string{simulator.EndpointAlerts: "/api/sca/alerts/"}},
			opts: func(o *Options) { o.Audience.Actions = true },
			want: with(allPass(), CheckEndpoints, Fail), exit: ExitFailed, document: "/api/schema/",
			wantText: map[string][]string{CheckEndpoints: {"→ set the `api-paths` input to alerts=/api/sca/alerts/, then run doctor again with it"}},
		},
		{
			name: "alerts served elsewhere, with the api-paths it suggests",
			sim: simulator.Options{Paths: map[simulator.Endpoint]string{
				simulator.EndpointAlerts: "/api/sca/alerts/", simulator.EndpointAnalysis: "/api/scans/{id}/"}},
			opts: func(o *Options) { o.Paths = api.Paths{"alerts": "/api/sca/alerts/", "analysis": "/api/scans/{id}/"} },
			want: allPass(), exit: ExitOK, document: "/api/schema/",
			wantEP: map[string]Presence{"Alerts": Present, "GetAnalysis": Present},
		},
		{
			name: "no document: the probes go to the api-paths paths",
			sim: simulator.Options{NoSchema: true, Paths: map[simulator.Endpoint]string{
				simulator.EndpointPolicies: "/api/v2/policies/", simulator.EndpointAlerts: "/api/sca/alerts/"}},
			opts: func(o *Options) { o.Paths = api.Paths{"policies": "/api/v2/policies/", "alerts": "/api/sca/alerts/"} },
			want: with(allPass(), CheckEndpoints, Warn), exit: ExitOK,
			wantText: map[string][]string{CheckEndpoints: {"6 of 7 endpoints the gate calls are present, answering GET probes"}},
			wantEP:   map[string]Presence{"Policies": Present, "Alerts": Present, "StartAnalysis": NotVerified},
		},
		{
			name: "no document, the default table: the moved alerts answer 404",
			sim:  simulator.Options{NoSchema: true, Paths: map[simulator.Endpoint]string{simulator.EndpointAlerts: "/api/sca/alerts/"}},
			want: with(allPass(), CheckEndpoints, Fail), exit: ExitFailed,
			wantText: map[string][]string{CheckEndpoints: {"GET /api/sca/policy_alerts/ (missing)",
				"without the OpenAPI document doctor cannot suggest another path; if you know where this installation serves it, set `api-paths`"}},
			wantEP: map[string]Presence{"Alerts": Missing},
		},
		{
			name: "policies missing, nothing like them",
			sim:  simulator.Options{SchemaOmit: []simulator.Endpoint{simulator.EndpointPolicies}},
			want: with(allPass(), CheckEndpoints, Fail), exit: ExitFailed,
			wantText: map[string][]string{CheckEndpoints: {"the document has nothing like policies: if you know where this installation serves it, set `api-paths`, " +
				"else open an issue for codescoring-gate with the output of `codescoring-gate doctor --json`"}},
		},
		{
			name: "bare arrays and pk ids",
			sim:  simulator.Options{BareArrays: true, PK: true},
			want: allPass(), exit: ExitOK, document: "/api/schema/",
		},
		{
			name: "project by id",
			opts: func(o *Options) { o.Project = "340" },
			want: allPass(), exit: ExitOK,
			wantText: map[string][]string{CheckProject: {`"payments-service" (id 340`}},
		},
		{
			name: "schema needs the token",
			sim:  simulator.Options{SchemaAuth: true},
			want: allPass(), exit: ExitOK, document: "/api/schema/",
		},
		{
			name: "schema misses the alerts endpoint",
			sim:  simulator.Options{SchemaOmit: []simulator.Endpoint{simulator.EndpointAlerts}},
			want: with(allPass(), CheckEndpoints, Fail), exit: ExitFailed, document: "/api/schema/",
			wantText: map[string][]string{CheckEndpoints: {"1 of 7", "GET /api/sca/policy_alerts/ (missing)", "open an issue"}},
			wantEP:   map[string]Presence{"Alerts": Missing, "Policies": Present},
		},
		{
			name: "schema misses the start endpoint",
			sim:  simulator.Options{SchemaOmit: []simulator.Endpoint{simulator.EndpointStartAnalysis}},
			want: with(allPass(), CheckEndpoints, Fail), exit: ExitFailed,
			wantText: map[string][]string{CheckEndpoints: {"POST /api/analyses/projects/sca/start/ (missing)"}},
			wantEP:   map[string]Presence{"StartAnalysis": Missing},
		},
		{
			name: "no document: probing finds every GET endpoint",
			sim:  simulator.Options{NoSchema: true},
			want: with(allPass(), CheckEndpoints, Warn), exit: ExitOK,
			wantText: map[string][]string{CheckEndpoints: {
				"no OpenAPI document", "404 Not Found at /api/schema/, /api/schema/?format=json, /api/swagger/?format=openapi, /api/swagger.json, /api/openapi.json",
				"6 of 7", "POST /api/analyses/projects/sca/start/ (not verified)"}},
			wantEP: map[string]Presence{"GetProject": Present, "FindProject": Present, "StartAnalysis": NotVerified,
				"GetAnalysis": Present, "RecentAnalyses": Present, "Policies": Present, "Alerts": Present},
		},
		{
			name: "no document: probes find a missing endpoint and a missing method",
			sim:  simulator.Options{NoSchema: true},
			faults: []simtest.Fault{
				{PathPrefix: "/api/sca/policy_alerts/", Kind: simtest.FaultStatus, Status: http.StatusNotFound},
				{PathPrefix: "/api/analyses/projects/history/1", Kind: simtest.FaultStatus, Status: http.StatusMethodNotAllowed},
			},
			want: with(allPass(), CheckEndpoints, Fail), exit: ExitFailed,
			wantText: map[string][]string{CheckEndpoints: {"2 of 7", "GET /api/sca/policy_alerts/ (missing)",
				"GET /api/analyses/projects/history/{id}/ (method missing)"}},
			wantEP: map[string]Presence{"Alerts": Missing, "GetAnalysis": MethodMissing, "StartAnalysis": NotVerified},
		},
		{
			name: "no document and no analysis to probe with",
			sim: simulator.Options{NoSchema: true, Scenario: func() simulator.Scenario {
				sc := scenario()
				sc.Analyses = nil
				return sc
			}()},
			want: with(allPass(), CheckEndpoints, Warn, CheckAnalyses, Warn), exit: ExitOK,
			wantText: map[string][]string{CheckAnalyses: {"no analyses yet"}},
			wantEP:   map[string]Presence{"GetAnalysis": NotVerified, "GetProject": Present},
		},
		{
			name: "bad token",
			opts: func(o *Options) { o.Token = "wrong-token" },
			want: with(only(allPass(), CheckURL, CheckDNS, CheckTCP, CheckTLS, CheckAPI, CheckEndpoints), CheckToken, Fail),
			exit: ExitFailed, skipped: []string{CheckProject, CheckAnalyses, CheckPolicies}, document: "/api/schema/",
			wantText: map[string][]string{CheckToken: {"refused the token", "401 Unauthorized", `"Invalid token."`, "set `--token` / `CODESCORING_TOKEN` to a current API token"}},
		},
		{
			name: "bad token and a schema that needs one",
			sim:  simulator.Options{SchemaAuth: true},
			opts: func(o *Options) { o.Token = "wrong-token" },
			want: with(only(allPass(), CheckURL, CheckDNS, CheckTCP, CheckTLS, CheckAPI), CheckToken, Fail, CheckEndpoints, Warn),
			exit: ExitFailed, skipped: []string{CheckProject, CheckAnalyses, CheckPolicies},
			wantText: map[string][]string{CheckEndpoints: {"401 Unauthorized at /api/schema/", "needs a token"}},
		},
		{
			name:   "server echoes the token",
			faults: []simtest.Fault{{PathPrefix: "/api/projects/", Kind: simtest.FaultStatus, Status: 401, Detail: "Invalid token " + testToken}},
			want:   with(only(allPass(), CheckURL, CheckDNS, CheckTCP, CheckTLS, CheckAPI, CheckEndpoints), CheckToken, Fail),
			exit:   ExitFailed, skipped: []string{CheckProject, CheckAnalyses, CheckPolicies},
			wantText: map[string][]string{CheckToken: {"[redacted]"}},
		},
		{
			name:   "token may not read projects",
			faults: []simtest.Fault{{PathPrefix: "/api/projects/", Kind: simtest.FaultStatus, Status: http.StatusForbidden}},
			want:   with(only(allPass(), CheckURL, CheckDNS, CheckTCP, CheckTLS, CheckAPI, CheckEndpoints), CheckToken, Fail),
			exit:   ExitFailed, skipped: []string{CheckProject, CheckAnalyses, CheckPolicies},
			wantText: map[string][]string{CheckToken: {"may not read projects", "403 Forbidden", "any role may read it", "Developer or Owner"}},
		},
		{
			name:   "token may not read policies",
			faults: []simtest.Fault{{PathPrefix: "/api/policies/", Kind: simtest.FaultStatus, Status: http.StatusForbidden}},
			want:   with(only(allPass(), CheckURL, CheckDNS, CheckTCP, CheckTLS, CheckAPI, CheckProject, CheckEndpoints, CheckAnalyses), CheckToken, Fail),
			exit:   ExitFailed, skipped: []string{CheckPolicies},
			wantText: map[string][]string{CheckToken: {"not policies", "GET /api/policies/ answered 403 Forbidden", "role"}},
		},
		{
			name:   "policies endpoint missing",
			faults: []simtest.Fault{{PathPrefix: "/api/policies/", Kind: simtest.FaultStatus, Status: http.StatusNotFound}},
			sim:    simulator.Options{SchemaOmit: []simulator.Endpoint{simulator.EndpointPolicies}},
			want:   with(allPass(), CheckEndpoints, Fail, CheckPolicies, Fail),
			exit:   ExitFailed,
			wantText: map[string][]string{
				CheckPolicies: {"list the policies: GET /api/policies/ answered 404 Not Found",
					"this installation does not serve the path the gate calls for policies: the endpoints check says where the document has it, and the `api-paths` value to set"},
				CheckToken: {"could not be listed"},
			},
		},
		{
			name:   "proxy login page",
			faults: []simtest.Fault{{Kind: simtest.FaultLoginPage}},
			want:   with(only(allPass(), CheckURL, CheckDNS, CheckTCP, CheckTLS), CheckAPI, Fail),
			exit:   ExitFailed, skipped: notRun,
			wantText: map[string][]string{CheckAPI: {"HTML page", `"Sign in | CodeScoring"`, "instead of JSON", "without a browser login", "set `--url` / `CODESCORING_URL` to the installation root"}},
		},
		{
			name:   "proxy error page",
			faults: []simtest.Fault{{Kind: simtest.FaultStatus, Status: http.StatusBadGateway, HTML: true}},
			want:   with(only(allPass(), CheckURL, CheckDNS, CheckTCP, CheckTLS), CheckAPI, Fail),
			exit:   ExitFailed, skipped: notRun,
			wantText: map[string][]string{CheckAPI: {"502 Bad Gateway", `"502 Bad Gateway"`, "HTML page"}},
		},
		{
			name:   "server restarting",
			faults: []simtest.Fault{{Kind: simtest.FaultStatus, Status: http.StatusServiceUnavailable}},
			want:   with(only(allPass(), CheckURL, CheckDNS, CheckTCP, CheckTLS), CheckAPI, Fail),
			exit:   ExitFailed, skipped: notRun,
			wantText: map[string][]string{CheckAPI: {"503 Service Unavailable", "check its health, then run doctor again"}},
		},
		{
			name:   "API not at the URL",
			faults: []simtest.Fault{{PathPrefix: "/api/projects/", Kind: simtest.FaultStatus, Status: http.StatusNotFound}},
			want:   with(only(allPass(), CheckURL, CheckDNS, CheckTCP, CheckTLS, CheckEndpoints), CheckAPI, Fail),
			exit:   ExitFailed, skipped: []string{CheckToken, CheckProject, CheckAnalyses, CheckPolicies},
			wantText: map[string][]string{CheckAPI: {"404 Not Found", "installation root"}},
		},
		{
			name: "unknown project with near matches",
			opts: func(o *Options) { o.Project = "payments" },
			want: with(without(allPass(), CheckAnalyses), CheckProject, Fail), exit: ExitFailed, skipped: []string{CheckAnalyses},
			wantText: map[string][]string{CheckProject: {`no project is named "payments"`, `"payments-service" (id 340)`,
				`"payments-gateway" (id 352)`, "exact name or the id"}},
		},
		{
			name: "unknown project with a typo",
			opts: func(o *Options) { o.Project = "payment-service" },
			want: with(without(allPass(), CheckAnalyses), CheckProject, Fail), exit: ExitFailed, skipped: []string{CheckAnalyses},
			wantText: map[string][]string{CheckProject: {`no project is named "payment-service"; near matches: "payments-service" (id 340)`,
				"exact name or the id"}},
		},
		{
			name: "unknown project without near matches",
			opts: func(o *Options) { o.Project = "inventory" },
			want: with(without(allPass(), CheckAnalyses), CheckProject, Fail), exit: ExitFailed, skipped: []string{CheckAnalyses},
			wantText: map[string][]string{CheckProject: {"none has a similar name", "sees only the projects it has a role on"}},
		},
		{
			name: "ambiguous project",
			sim: simulator.Options{Scenario: func() simulator.Scenario {
				sc := scenario()
				sc.Projects = append(sc.Projects, simulator.Project{ID: 400, Name: "Payments-Service"})
				return sc
			}()},
			want: with(without(allPass(), CheckAnalyses), CheckProject, Fail), exit: ExitFailed, skipped: []string{CheckAnalyses},
			wantText: map[string][]string{CheckProject: {"2 projects are named", "(id 340)", "(id 400)", "id of the project"}},
		},
		{
			name: "unknown project id",
			opts: func(o *Options) { o.Project = "999" },
			want: with(without(allPass(), CheckAnalyses), CheckProject, Fail), exit: ExitFailed, skipped: []string{CheckAnalyses},
			wantText: map[string][]string{CheckProject: {"no project has id 999", "404"}},
		},
		{
			name: "project id zero",
			opts: func(o *Options) { o.Project = "000" },
			want: with(without(allPass(), CheckAnalyses), CheckProject, Fail), exit: ExitFailed, skipped: []string{CheckAnalyses},
			wantText: map[string][]string{CheckProject: {`"000" is not a valid project id`}},
		},
		{
			name: "project that is not a VCS project",
			sim: simulator.Options{Scenario: func() simulator.Scenario {
				sc := scenario()
				sc.Projects[0].ProjectType = "cli"
				return sc
			}()},
			want: with(allPass(), CheckProject, Warn), exit: ExitOK,
			wantText: map[string][]string{CheckProject: {"type cli", "set `--start` / `CODESCORING_START` to false"}},
		},
		{
			name: "no blocking policy for the stage",
			opts: func(o *Options) { o.Stage = "test" },
			want: with(allPass(), CheckPolicies, Warn), exit: ExitOK,
			wantText: map[string][]string{CheckPolicies: {"the gate can never fail", "at stage test",
				"blockers exist at dev, source, build, prod", "or set `--stage` / `CODESCORING_STAGE` to dev, source, build or prod"}},
		},
		{
			name: "no policy at all",
			sim: simulator.Options{Scenario: func() simulator.Scenario {
				sc := scenario()
				sc.Policies, sc.Alerts = nil, nil
				return sc
			}()},
			want: with(allPass(), CheckPolicies, Warn), exit: ExitOK,
			wantText: map[string][]string{CheckPolicies: {"the gate can never fail", "mark a policy for stage source as Blocker"}},
		},
		{
			name: "no stage",
			opts: func(o *Options) { o.Stage = "" },
			want: allPass(), exit: ExitOK,
			wantText: map[string][]string{CheckPolicies: {"3 active blocker policies (no stage chosen"}},
		},
		{
			name: "unknown stage",
			opts: func(o *Options) { o.Stage = "staging" },
			want: with(allPass(), CheckPolicies, Fail), exit: ExitFailed,
			wantText: map[string][]string{CheckPolicies: {`"staging" is not a CodeScoring stage`, "dev, source, build"}},
		},
		{
			name:   "analyses cannot be listed",
			faults: []simtest.Fault{{PathPrefix: "/api/analyses/projects/history/", Kind: simtest.FaultStatus, Status: http.StatusInternalServerError}},
			want:   with(allPass(), CheckAnalyses, Fail), exit: ExitFailed,
			wantText: map[string][]string{CheckAnalyses: {"list the project's analyses: GET /api/analyses/projects/history/ answered 500 Internal Server Error",
				`"A server error occurred."`, "kept failing: check its health, then run doctor again"}},
		},
		{
			name: "newest analysis failed",
			sim: simulator.Options{Scenario: func() simulator.Scenario {
				sc := scenario()
				sc.Analyses = []simulator.SeedAnalysis{{Project: 340, StartedAgo: 3 * time.Hour,
					Lifecycle: simulator.Lifecycle{Outcome: simulator.OutcomeFailed, Error: "clone: repository not found"}}}
				return sc
			}()},
			want: with(allPass(), CheckAnalyses, Warn), exit: ExitOK,
			wantText: map[string][]string{CheckAnalyses: {"newest analysis 1000 (main) failed 3h ago", "clone: repository not found", "exit 2"}},
		},
		{
			name: "newest analysis running",
			sim: simulator.Options{Scenario: func() simulator.Scenario {
				sc := scenario()
				sc.Analyses = []simulator.SeedAnalysis{{Project: 340, StartedAgo: 5 * time.Minute,
					Lifecycle: simulator.Lifecycle{Running: time.Hour}}}
				return sc
			}()},
			want: allPass(), exit: ExitOK,
			wantText: map[string][]string{CheckAnalyses: {"is in progress, started 5m ago"}},
		},
		{
			name: "newest analysis stuck",
			sim: simulator.Options{Scenario: func() simulator.Scenario {
				sc := scenario()
				sc.Analyses = []simulator.SeedAnalysis{{Project: 340, StartedAgo: 50 * time.Hour,
					Lifecycle: simulator.Lifecycle{Outcome: simulator.OutcomeNever}}}
				return sc
			}()},
			want: with(allPass(), CheckAnalyses, Warn), exit: ExitOK,
			wantText: map[string][]string{CheckAnalyses: {"started 2d ago: it may be stuck", "waits for it until `--wait-timeout` / `CODESCORING_WAIT_TIMEOUT`"}},
		},
		{
			name: "newest analysis with an unknown status",
			sim: simulator.Options{Scenario: func() simulator.Scenario {
				sc := scenario()
				sc.Analyses = []simulator.SeedAnalysis{{Project: 340, Lifecycle: simulator.Lifecycle{Outcome: "archived"}}}
				return sc
			}()},
			want: with(allPass(), CheckAnalyses, Warn), exit: ExitOK,
			wantText: map[string][]string{CheckAnalyses: {`status "archived"`}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := startSim(t, tc.sim, false, nil)
			for _, f := range tc.faults {
				env.sim.Inject(f)
			}
			opts := env.options()
			if tc.opts != nil {
				tc.opts(&opts)
			}
			r, text, _ := run(t, opts)
			if diff := cmp.Diff(tc.want, statuses(r)); diff != "" {
				t.Errorf("check statuses (-want +got):\n%s\n%s", diff, text)
			}
			if diff := cmp.Diff(tc.skipped, r.Skipped); diff != "" {
				t.Errorf("skipped checks (-want +got):\n%s", diff)
			}
			if got := r.ExitCode(); got != tc.exit {
				t.Errorf("ExitCode() = %d, want %d", got, tc.exit)
			}
			if got, want := r.OK(), tc.exit == ExitOK; got != want {
				t.Errorf("OK() = %v, want %v", got, want)
			}
			for name, subs := range tc.wantText {
				got := checkText(t, r, name)
				for _, s := range subs {
					if !strings.Contains(got, s) {
						t.Errorf("check %s = %q, want it to contain %q", name, got, s)
					}
				}
			}
			if tc.wantEP != nil {
				got := presences(r)
				for name, want := range tc.wantEP {
					if got[name] != want {
						t.Errorf("endpoint %s: presence %q, want %q\n%s", name, got[name], want, text)
					}
				}
			}
			if tc.document != "" && r.Document != tc.document {
				t.Errorf("Document = %q, want %q", r.Document, tc.document)
			}
			assertOnlyGET(t, env.sim)
		})
	}
}
