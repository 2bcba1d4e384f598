package simulator

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

const alertsPath = "/api/sca/policy_alerts/"

// finishedAnalysis starts an analysis of project on s and sleeps past its
// end (in a bubble, on its fake clock); it returns the analysis id.
func finishedAnalysis(t *testing.T, s *Server, project int64) int64 {
	t.Helper()
	id := num(t, start(t, s, fmt.Sprintf(`{"project": %d}`, project), 201)["id"])
	time.Sleep(time.Hour)
	return id
}

// alertsOf returns every alert of a query, reading all pages of 100.
func alertsOf(t *testing.T, s *Server, query string) []map[string]any {
	t.Helper()
	var all []map[string]any
	for page := 1; ; page++ {
		p := getOK(t, s, fmt.Sprintf("%s?%s&page=%d&per_page=100", alertsPath, query, page))
		all = append(all, results(t, p)...)
		if p["next"] == nil {
			return all
		}
	}
}

func TestAlertsOnlyForSuccessfulAnalyses(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		s := New(demoOptions())
		running := num(t, start(t, s, `{"project": 340}`, 201)["id"])
		if got := len(alertsOf(t, s, fmt.Sprintf("project=340&analysis=%d", running))); got != 0 {
			t.Errorf("running analysis has %d alerts, want 0", got)
		}
		if got := len(alertsOf(t, s, "project=340")); got != 0 {
			t.Errorf("project without a finished analysis has %d alerts, want 0", got)
		}
		time.Sleep(time.Hour)
		done := running

		if err := s.SetLifecycle(DemoProjectID, Lifecycle{Running: time.Minute, Outcome: OutcomeFailed}); err != nil {
			t.Fatal(err)
		}
		failed := finishedAnalysis(t, s, DemoProjectID)
		other := finishedAnalysis(t, s, 352)

		tests := []struct {
			name  string
			query string
			want  int
		}{
			{"successful analysis", fmt.Sprintf("project=340&analysis=%d", done), 11},
			{"analysis alone", fmt.Sprintf("analysis=%d", done), 11},
			{"failed analysis", fmt.Sprintf("project=340&analysis=%d", failed), 0},
			{"project and analysis disagree", fmt.Sprintf("project=352&analysis=%d", done), 0},
			{"unknown analysis", "project=340&analysis=424242", 0},
			{"project alone: its newest successful analysis", "project=340", 11},
			{"project without alerts", fmt.Sprintf("project=352&analysis=%d", other), 0},
			{"no filter", "", 11},
		}
		// Subtests cannot run in a bubble: each case names itself.
		for _, tc := range tests {
			if got := len(alertsOf(t, s, tc.query)); got != tc.want {
				t.Errorf("%s: alerts = %d, want %d", tc.name, got, tc.want)
			}
		}
		rec := call(t, s, http.MethodGet, alertsPath+"?project=340&analysis=latest", testToken, "")
		if rec.Code != 400 {
			t.Fatalf("bad filter: status = %d, want 400", rec.Code)
		}
		if diff := cmp.Diff(map[string]any{"analysis": []any{"Enter a number."}}, object(t, rec)); diff != "" {
			t.Errorf("bad filter: body (-want +got):\n%s", diff)
		}
	})
}

func TestAlertIDsDifferPerAnalysis(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		s := New(demoOptions())
		seen := map[int64]bool{}
		for range 2 {
			id := finishedAnalysis(t, s, DemoProjectID)
			for _, a := range alertsOf(t, s, fmt.Sprintf("project=340&analysis=%d", id)) {
				aid := num(t, a["id"])
				if seen[aid] {
					t.Fatalf("alert id %d served twice", aid)
				}
				seen[aid] = true
			}
		}
		if len(seen) != 22 {
			t.Errorf("%d distinct alert ids, want 22", len(seen))
		}
	})
}

func TestAlertFields(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		s := New(demoOptions())
		id := finishedAnalysis(t, s, DemoProjectID)
		alerts := alertsOf(t, s, fmt.Sprintf("project=340&analysis=%d", id))
		// The demo's analyses end 5 s after they start at t0.
		finished := "2000-01-01T00:00:05Z"
		want := map[string]any{
			"policy": 12.0, "policy_name": "No critical CVEs", "level": "critical", "stage": "source",
			"status": "active", "is_blocks_build": true,
			"dependency_purl":    "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
			"dependency_name":    "org.apache.logging.log4j:log4j-core",
			"dependency_version": "2.14.1", "technology": "java", "relation": "direct",
			"vulnerability_code": "CVE-2021-44228",
			"vulnerability_link": "https://nvd.nist.gov/vuln/detail/CVE-2021-44228",
			"license_code":       nil, "max_fixed_version": "2.15.0",
			"matched_criteria":   []any{"org.apache.logging.log4j:log4j-core@2.14.1 has CVE-2021-44228, CVSS3 Score 10.0"},
			"first_triggered_at": "1999-12-30T00:00:05Z", "created_at": finished,
		}
		got := alerts[0]
		delete(got, "id")
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("first alert (-want +got):\n%s", diff)
		}
		var license map[string]any
		for _, a := range alerts {
			if a["license_code"] == "GPL-2.0-only" {
				license = a
			}
		}
		if license == nil || license["vulnerability_code"] != nil || license["vulnerability_link"] != nil ||
			license["max_fixed_version"] != nil {
			t.Errorf("license alert = %v, want license_code set and null vulnerability fields", license)
		}
	})
}

func TestAlertTemplateOptions(t *testing.T) {
	t.Parallel()
	no := false
	sc := Scenario{
		Projects: []Project{{ID: 1, Name: "p", PolicyStage: "build"}},
		Policies: []Policy{{ID: 5, Name: "blocker", Level: "warning", IsBlocksBuild: true}},
		Alerts: []AlertTemplate{
			{Project: 1, Policy: 5, DependencyName: "left-pad", DependencyVersion: "1.0.0"},
			{Project: 1, Policy: 5, IsBlocksBuild: &no, OmitFirstTriggeredAt: true, PolicyName: "renamed",
				Level: "info", Stage: "source", Status: "ignored", VulnerabilityCode: "GHSA-xxxx-yyyy-zzzz"},
			{Project: 1, Policy: 99, OmitIsBlocksBuild: true, FirstTriggeredAgo: 36 * time.Hour},
		},
	}
	synctest.Test(t, func(t *testing.T) {
		s := New(Options{Scenario: sc, Token: testToken})
		id := finishedAnalysis(t, s, 1)
		got := alertsOf(t, s, fmt.Sprintf("analysis=%d", id))
		at := "2000-01-01T00:00:00Z"
		want := []map[string]any{
			{"id": 5000.0, "policy": 5.0, "policy_name": "blocker", "level": "warning", "stage": "build",
				"status": "active", "is_blocks_build": true, "dependency_purl": "pkg:generic/left-pad@1.0.0",
				"dependency_name": "left-pad", "dependency_version": "1.0.0", "technology": "", "relation": "",
				"vulnerability_code": nil, "vulnerability_link": nil, "license_code": nil,
				"max_fixed_version": nil, "matched_criteria": []any{}, "first_triggered_at": at, "created_at": at},
			{"id": 5001.0, "policy": 5.0, "policy_name": "renamed", "level": "info", "stage": "source",
				"status": "ignored", "is_blocks_build": false, "dependency_purl": "pkg:generic/@",
				"dependency_name": "", "dependency_version": "", "technology": "", "relation": "",
				"vulnerability_code": "GHSA-xxxx-yyyy-zzzz", "vulnerability_link": nil, "license_code": nil,
				"max_fixed_version": nil, "matched_criteria": []any{}, "first_triggered_at": nil, "created_at": at},
			{"id": 5002.0, "policy": 99.0, "policy_name": "", "level": "", "stage": "build",
				"status": "active", "dependency_purl": "pkg:generic/@",
				"dependency_name": "", "dependency_version": "", "technology": "", "relation": "",
				"vulnerability_code": nil, "vulnerability_link": nil, "license_code": nil,
				"max_fixed_version": nil, "matched_criteria": []any{},
				"first_triggered_at": "1999-12-30T12:00:00Z", "created_at": at},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("alerts (-want +got):\n%s", diff)
		}
	})
}

// category is an independent reading of docs/codescoring-api.md §6, enough to check that the
// demo scenario covers every case.
func category(a map[string]any, policies map[int64]map[string]any, stage string, now time.Time) string {
	switch a["status"] {
	case "ignored":
		return "ignored"
	case "resolved":
		return "resolved"
	}
	p := policies[int64(a["policy"].(float64))]
	if p == nil || p["is_active"] != true || p["is_blocks_build"] != true {
		return "warning"
	}
	if stage != "" {
		found := false
		for _, st := range p["stages"].([]any) {
			found = found || st == stage
		}
		if !found {
			return "warning"
		}
	}
	if d, ok := p["block_delay"].(float64); ok && d > 0 {
		first, _ := time.Parse(time.RFC3339, a["first_triggered_at"].(string))
		if first.Add(time.Duration(d) * 24 * time.Hour).After(now) {
			return "upcoming"
		}
		return "blocking-delayed"
	}
	return "blocking"
}

func TestDemoScenarioCoversEveryCase(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		s := New(demoOptions())
		id := finishedAnalysis(t, s, DemoProjectID)
		alerts := alertsOf(t, s, fmt.Sprintf("project=340&analysis=%d", id))
		if n := len(alerts); n < 8 || n > 15 {
			t.Errorf("demo has %d alerts, want 8 to 15", n)
		}
		policies := map[int64]map[string]any{}
		for _, p := range results(t, getOK(t, s, "/api/policies/?per_page=100")) {
			policies[num(t, p["id"])] = p
		}

		count := func(stage string) map[string]int {
			got := map[string]int{}
			for _, a := range alerts {
				got[category(a, policies, stage, time.Now())]++
			}
			return got
		}
		wantAll := map[string]int{"blocking": 3, "blocking-delayed": 1, "upcoming": 2, "warning": 3, "ignored": 1, "resolved": 1}
		if diff := cmp.Diff(wantAll, count("")); diff != "" {
			t.Errorf("categories without a stage (-want +got):\n%s", diff)
		}
		// Stage source: the license policy 18 does not list it.
		wantSource := map[string]int{"blocking": 2, "blocking-delayed": 1, "upcoming": 2, "warning": 4, "ignored": 1, "resolved": 1}
		if diff := cmp.Diff(wantSource, count("source")); diff != "" {
			t.Errorf("categories with stage source (-want +got):\n%s", diff)
		}

		var licenses, transitive int
		for _, a := range alerts {
			if a["license_code"] != nil && a["vulnerability_code"] == nil {
				licenses++
			}
			if a["relation"] == "transitive" {
				transitive++
			}
			if len(a["matched_criteria"].([]any)) == 0 {
				t.Errorf("alert %v has no matched_criteria", a["dependency_name"])
			}
			if _, ok := policies[num(t, a["policy"])]; !ok {
				t.Errorf("alert %v names unknown policy %v", a["dependency_name"], a["policy"])
			}
			if !strings.HasPrefix(a["dependency_purl"].(string), "pkg:maven/") {
				t.Errorf("alert purl %v is not a maven purl", a["dependency_purl"])
			}
		}
		if licenses < 1 || transitive < 1 {
			t.Errorf("license alerts = %d, transitive = %d, want at least one each", licenses, transitive)
		}
	})
}

func TestLargeScenario(t *testing.T) {
	t.Parallel()
	const n = 10_000
	synctest.Test(t, func(t *testing.T) {
		s := New(Options{Scenario: LargeScenario(n), Token: testToken})
		id := finishedAnalysis(t, s, DemoProjectID)
		first := getOK(t, s, fmt.Sprintf("%s?project=340&analysis=%d&page=1&per_page=100", alertsPath, id))
		if got := num(t, first["count"]); got != n {
			t.Errorf("count = %d, want %d", got, n)
		}
		last := getOK(t, s, fmt.Sprintf("%s?project=340&analysis=%d&page=100&per_page=100", alertsPath, id))
		if last["next"] != nil || len(results(t, last)) != 100 {
			t.Errorf("page 100: next = %v, %d results; want null and 100", last["next"], len(results(t, last)))
		}
		statuses := map[any]int{}
		for _, a := range append(results(t, first), results(t, last)...) {
			statuses[a["status"]]++
		}
		if statuses["active"] == 0 || statuses["ignored"] == 0 || statuses["resolved"] == 0 {
			t.Errorf("statuses on two pages = %v, want every status", statuses)
		}
		if got := num(t, getOK(t, s, fmt.Sprintf("/api/analyses/projects/history/%d/", id))["vulnerabilities_count"]); got == 0 {
			t.Error("vulnerabilities_count = 0, want the generated vulnerabilities")
		}
	})
}

func BenchmarkAlertsPage(b *testing.B) {
	sc := LargeScenario(10_000)
	for i := range sc.Projects {
		sc.Projects[i].Lifecycle = Lifecycle{} // finished as soon as it starts
	}
	s := New(Options{Scenario: sc, Token: testToken})
	req, _ := http.NewRequest(http.MethodPost, "http://example.com"+startPath, strings.NewReader(`{"project": 340}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Token "+testToken)
	newRecorderFor(s, req)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		req, _ := http.NewRequest(http.MethodGet,
			fmt.Sprintf("http://example.com%s?project=340&page=%d&per_page=100", alertsPath, i%100+1), nil)
		req.Header.Set("Authorization", "Token "+testToken)
		if rec := newRecorderFor(s, req); rec.Code != 200 {
			b.Fatalf("status %d", rec.Code)
		}
	}
}

// TestStringBooleans serves every boolean of policies and alerts as "True"
// or "False", as installations before 2026.3.0 do, and as JSON booleans
// otherwise.
func TestStringBooleans(t *testing.T) {
	t.Parallel()
	for _, str := range []bool{false, true} {
		t.Run(fmt.Sprint(str), func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				opts := demoOptions()
				opts.StringBooleans = str
				s := New(opts)
				id := finishedAnalysis(t, s, 340)
				var seen []any
				for _, p := range results(t, getOK(t, s, "/api/policies/?per_page=100")) {
					seen = append(seen, p["is_active"], p["is_blocks_build"])
				}
				for _, a := range alertsOf(t, s, fmt.Sprintf("project=340&analysis=%d", id)) {
					seen = append(seen, a["is_blocks_build"])
				}
				kinds := map[string]bool{}
				for _, v := range seen {
					kinds[fmt.Sprintf("%T %v", v, v)] = true
				}
				want := map[string]bool{"bool true": true, "bool false": true}
				if str {
					want = map[string]bool{"string True": true, "string False": true}
				}
				if diff := cmp.Diff(want, kinds); diff != "" {
					t.Errorf("booleans served (-want +got):\n%s", diff)
				}
			})
		})
	}
}

func TestBaselineDemoScenarioBranches(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		s := New(Options{Scenario: BaselineDemoScenario(), Token: testToken})
		pr := num(t, start(t, s, `{"project": 340, "branch_or_tag": "feature/login"}`, 201)["id"])
		time.Sleep(time.Hour)
		deps := func(analysis int64) []string {
			var out []string
			for _, a := range alertsOf(t, s, fmt.Sprintf("project=340&analysis=%d", analysis)) {
				out = append(out, fmt.Sprintf("%s@%s", a["dependency_name"], a["dependency_version"]))
			}
			return out
		}
		base := getOK(t, s, fmt.Sprintf("/api/analyses/projects/history/%d/", DemoBaselineID))
		if base["status"] != "success" || base["branch_or_tag"] != "main" || base["vulnerabilities_count"] != 10.0 {
			t.Errorf("baseline analysis %v, want a successful analysis of main with 10 vulnerability alerts", base)
		}
		want := []string{
			"org.apache.logging.log4j:log4j-core@2.14.1", "org.postgresql:postgresql@42.3.1",
			"org.springframework:spring-web@5.3.20", "com.google.guava:guava@31.1-jre",
			"io.netty:netty-handler@4.1.92.Final", "org.yaml:snakeyaml@1.30", "org.apache.commons:commons-text@1.9",
			"com.mysql:mysql-connector-j@8.0.33", "org.hibernate.orm:hibernate-core@6.2.7.Final",
			"com.fasterxml.jackson.core:jackson-databind@2.12.1", "commons-fileupload:commons-fileupload@1.3.1",
			"com.thoughtworks.xstream:xstream@1.4.17",
		}
		if diff := cmp.Diff(want, deps(DemoBaselineID)); diff != "" {
			t.Errorf("alerts of main (-want +got):\n%s", diff)
		}
		var demo []string
		for _, a := range DemoScenario().Alerts {
			demo = append(demo, a.DependencyName+"@"+a.DependencyVersion)
		}
		if diff := cmp.Diff(demo, deps(pr)); diff != "" {
			t.Errorf("alerts of a pull request branch (-DemoScenario's +got):\n%s", diff)
		}
		if pr != 1000 {
			t.Errorf("started analysis %d, want 1000 (after the seed 999)", pr)
		}
	})
}
