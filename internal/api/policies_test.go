package api

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestPolicies(t *testing.T) {
	t.Parallel()
	const body = `{"count": 6, "next": null, "previous": null, "results": [
	 {"id": 12, "name": "No critical CVEs", "description": "CVSS3 >= 9.0",
	  "stages": ["dev", "source", "build"], "level": "critical",
	  "proprietors": [], "projects": [340], "conditions": {"any": ["opaque"]},
	  "conditions_connector": "and", "is_active": true, "is_blocks_build": true, "block_delay": 7},
	 {"pk": 13, "name": "no is_active", "is_blocks_build": false, "block_delay": null, "stages": null},
	 {"id": 14, "name": "inactive", "is_active": false, "block_delay": 0.5, "stages": "build"},
	 {"id": 15, "name": "decimal string", "is_active": null, "block_delay": "1.50", "is_blocks_build": null},
	 {"id": 16, "name": "zero and negative", "block_delay": -3},
	 {"id": 17, "name": "huge delay", "block_delay": 1e30}
	]}`
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/policies/", func(w http.ResponseWriter, r *http.Request) {
		if got, want := r.URL.Query().Get("per_page"), "100"; got != want {
			t.Errorf("per_page = %q, want %q", got, want)
		}
		jsonHandler(http.StatusOK, body)(w, r)
	})
	env := newTestEnv(t, mux)
	got, err := env.client.Policies(context.Background())
	if err != nil {
		t.Fatalf("Policies: %v", err)
	}
	day := 24 * time.Hour
	want := []Policy{
		{ID: 12, Name: "No critical CVEs", Description: "CVSS3 >= 9.0", Stages: []string{"dev", "source", "build"},
			Level: "critical", IsActive: true, IsBlocksBuild: true, BlockDelay: 7 * day},
		{ID: 13, Name: "no is_active", IsActive: true},
		{ID: 14, Name: "inactive", Stages: []string{"build"}, BlockDelay: 12 * time.Hour},
		{ID: 15, Name: "decimal string", IsActive: true, BlockDelay: 36 * time.Hour},
		{ID: 16, Name: "zero and negative", IsActive: true},
		{ID: 17, Name: "huge delay", IsActive: true, BlockDelay: time.Duration(maxDaySeconds) * time.Second},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Policies (-want +got):\n%s", diff)
	}
}

func TestAlerts(t *testing.T) {
	t.Parallel()
	const body = `[
	 {"id": 5521, "policy": 12, "policy_name": "No critical CVEs", "level": "critical",
	  "stage": "source", "status": "active", "is_blocks_build": true,
	  "dependency_purl": "pkg:pypi/django@4.2.2", "dependency_name": "django",
	  "dependency_version": "4.2.2", "technology": "python", "relation": "direct",
	  "vulnerability_code": "CVE-2024-38875",
	  "vulnerability_link": "https://nvd.nist.gov/vuln/detail/CVE-2024-38875",
	  "license_code": null, "max_fixed_version": "4.2.14",
	  "matched_criteria": ["django@4.2.2 has CVE-2024-38875, CVSS3 Score 7.5 >= 7.00"],
	  "first_triggered_at": "2026-11-20T08:00:00Z", "created_at": "2026-11-26T10:16:40Z", "webhook": {"x": 1}},
	 {"pk": 5522, "policy": {"id": 13, "name": "From the nested policy"}, "status": "ignored",
	  "matched_criteria": null, "first_triggered_at": null, "created_at": ""},
	 {"id": 5523, "policy": "14", "policy_name": "kept", "status": "resolved", "is_blocks_build": false,
	  "matched_criteria": "one criterion"}
	]`
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/sca/policy_alerts/", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		for k, want := range map[string]string{"project": "340", "analysis": "977", "page": "1", "per_page": "100"} {
			if got := q.Get(k); got != want {
				t.Errorf("query %s = %q, want %q", k, got, want)
			}
		}
		jsonHandler(http.StatusOK, body)(w, r)
	})
	env := newTestEnv(t, mux)
	got, err := env.client.Alerts(context.Background(), 340, 977)
	if err != nil {
		t.Fatalf("Alerts: %v", err)
	}
	yes, no, score := true, false, 7.5
	want := []Alert{
		{ID: 5521, Policy: 12, PolicyName: "No critical CVEs", Level: "critical", Stage: "source",
			Status: AlertActive, IsBlocksBuild: &yes, DependencyPurl: "pkg:pypi/django@4.2.2",
			DependencyName: "django", DependencyVersion: "4.2.2", Technology: "python", Relation: "direct",
			VulnerabilityCode: "CVE-2024-38875", VulnerabilityLink: "https://nvd.nist.gov/vuln/detail/CVE-2024-38875",
			MaxFixedVersion: "4.2.14", MatchedCriteria: []string{"django@4.2.2 has CVE-2024-38875, CVSS3 Score 7.5 >= 7.00"},
			Severity: SeverityHigh, CVSSScore: &score,
			FirstTriggeredAt: time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC),
			CreatedAt:        time.Date(2026, 11, 26, 10, 16, 40, 0, time.UTC)},
		{ID: 5522, Policy: 13, PolicyName: "From the nested policy", Status: AlertIgnored},
		{ID: 5523, Policy: 14, PolicyName: "kept", Status: AlertResolved, IsBlocksBuild: &no,
			MatchedCriteria: []string{"one criterion"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Alerts (-want +got):\n%s", diff)
	}
	if got[1].IsBlocksBuild != nil {
		t.Errorf("alert without is_blocks_build: IsBlocksBuild = %v, want nil", *got[1].IsBlocksBuild)
	}
}
