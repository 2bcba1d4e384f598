package simulator

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

const startPath = "/api/analyses/projects/sca/start/"

// start starts an analysis and returns its decoded object, failing unless
// the answer is wantStatus.
func start(t *testing.T, s *Server, body string, wantStatus int) map[string]any {
	t.Helper()
	rec := call(t, s, http.MethodPost, startPath, testToken, body)
	if rec.Code != wantStatus {
		t.Fatalf("start %s = %d, want %d: %s", body, rec.Code, wantStatus, rec.Body.String())
	}
	return object(t, rec)
}

func TestAnalysisLifecycle(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		life       Lifecycle
		wantFinal  string
		wantError  any
		wantDeps   float64
		wantVulns  float64
		wantFinish bool
	}{
		{"success", Lifecycle{Pending: time.Minute, Running: 5 * time.Minute}, "success", nil, 214, 9, true},
		{"failed with message", Lifecycle{Pending: time.Minute, Running: 5 * time.Minute,
			Outcome: OutcomeFailed, Error: "could not resolve maven dependencies"},
			"failed", "could not resolve maven dependencies", 0, 0, true},
		{"failed, default message", Lifecycle{Pending: time.Minute, Running: 5 * time.Minute,
			Outcome: OutcomeFailed}, "failed",
			"Dependency resolution failed: could not clone the repository at feature/login", 0, 0, true},
		{"canceled", Lifecycle{Pending: time.Minute, Running: 5 * time.Minute, Outcome: OutcomeCanceled},
			"canceled", "The analysis was canceled by a user.", 0, 0, true},
		{"status the contract does not name", Lifecycle{Pending: time.Minute, Running: 5 * time.Minute,
			Outcome: Outcome("queued")}, "queued", nil, 0, 0, true},
		{"never", Lifecycle{Pending: time.Minute, Running: 5 * time.Minute, Outcome: OutcomeNever},
			"in_progress", nil, 0, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				s := New(demoOptions())
				if err := s.SetLifecycle(DemoProjectID, tc.life); err != nil {
					t.Fatal(err)
				}
				got := start(t, s, `{"project": 340, "branch_or_tag": "feature/login", "commit": "9fceb02d0ae598e95dc970b74767f19372d61af8"}`, 201)
				id := num(t, got["id"])
				want := map[string]any{
					"id": float64(id), "project": 340.0, "status": "pending",
					"branch_or_tag": "feature/login", "commit": "9fceb02d0ae598e95dc970b74767f19372d61af8",
					"started_at": "2000-01-01T00:00:00Z", "finished_at": nil,
					"dependencies_count": 0.0, "vulnerabilities_count": 0.0, "error": nil,
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Fatalf("started analysis (-want +got):\n%s", diff)
				}
				path := fmt.Sprintf("/api/analyses/projects/history/%d/", id)

				steps := []struct {
					advance time.Duration
					status  string
				}{
					{59 * time.Second, "pending"},
					{time.Second, "in_progress"},
					{5*time.Minute - time.Second, "in_progress"},
					{time.Second, tc.wantFinal},
					{24 * time.Hour, tc.wantFinal},
				}
				for _, st := range steps {
					time.Sleep(st.advance)
					if got := getOK(t, s, path)["status"]; got != st.status {
						t.Fatalf("at %s status = %v, want %s", time.Since(t0), got, st.status)
					}
				}
				got = getOK(t, s, path)
				want["status"] = tc.wantFinal
				want["error"] = tc.wantError
				want["dependencies_count"] = tc.wantDeps
				want["vulnerabilities_count"] = tc.wantVulns
				if tc.wantFinish {
					want["finished_at"] = "2000-01-01T00:06:00Z"
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("final analysis (-want +got):\n%s", diff)
				}
			})
		})
	}
}

func TestStartDefaults(t *testing.T) {
	t.Parallel()
	s := New(demoOptions())
	got := start(t, s, `{"project": "341"}`, 201)
	if got["branch_or_tag"] != "master" {
		t.Errorf("branch_or_tag = %v, want the default branch master", got["branch_or_tag"])
	}
	if c, _ := got["commit"].(string); !regexp.MustCompile(`^[0-9a-f]{40}$`).MatchString(c) {
		t.Errorf("commit = %v, want a 40-hex head commit", got["commit"])
	}
	if got["project"] != 341.0 {
		t.Errorf("project = %v, want 341", got["project"])
	}
}

func TestStartStatus202(t *testing.T) {
	t.Parallel()
	opts := demoOptions()
	opts.StartStatus = http.StatusAccepted
	start(t, New(opts), `{"project": 340}`, 202)
}

func TestStartConflict(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		s := New(demoOptions())
		first := num(t, start(t, s, `{"project": 340}`, 201)["id"])

		// Pending, then in progress: both are running.
		for _, advance := range []time.Duration{0, 2 * time.Second} {
			time.Sleep(advance)
			got := start(t, s, `{"project": 340, "branch_or_tag": "other"}`, 409)
			want := map[string]any{"detail": "SCA analysis is already running", "analysis_id": float64(first)}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("409 body (-want +got):\n%s", diff)
			}
		}
		// Another project is not blocked.
		start(t, s, `{"project": 352}`, 201)
		// Finished: a new analysis starts.
		time.Sleep(5 * time.Second)
		second := num(t, start(t, s, `{"project": 340}`, 201)["id"])
		if second == first {
			t.Errorf("second analysis has the first's id %d", first)
		}
		if diff := cmp.Diff([]int64{first, second}, s.AnalysisIDs(DemoProjectID)); diff != "" {
			t.Errorf("AnalysisIDs (-want +got):\n%s", diff)
		}
	})
}

func TestSeededRunningAnalysis(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		sc := DemoScenario()
		sc.Analyses = []SeedAnalysis{
			{ID: 970, Project: 340, StartedAgo: 48 * time.Hour, Lifecycle: Lifecycle{Running: time.Hour}},
			{ID: 977, Project: 340, BranchOrTag: "feature/login", Commit: "9fceb02",
				StartedAgo: 2 * time.Minute, Lifecycle: Lifecycle{Running: 10 * time.Minute}},
		}
		s := New(Options{Scenario: sc, Token: testToken})

		got := start(t, s, `{"project": 340}`, 409)
		if got["analysis_id"] != 977.0 {
			t.Errorf("409 names analysis %v, want 977", got["analysis_id"])
		}
		a := getOK(t, s, "/api/analyses/projects/history/977/")
		if a["status"] != "in_progress" || a["started_at"] != "1999-12-31T23:58:00Z" || a["commit"] != "9fceb02" {
			t.Errorf("seeded analysis = %v", a)
		}
		if got := getOK(t, s, "/api/analyses/projects/history/970/")["status"]; got != "success" {
			t.Errorf("old seeded analysis status = %v, want success", got)
		}
		time.Sleep(8 * time.Minute)
		if id := num(t, start(t, s, `{"project": 340}`, 201)["id"]); id != 978 {
			t.Errorf("next analysis id = %d, want 978 (after the seeds)", id)
		}
	})
}

func TestStartBadRequests(t *testing.T) {
	t.Parallel()
	s := New(demoOptions())
	tests := []struct {
		name        string
		contentType string
		body        string
		wantStatus  int
		want        map[string]any
	}{
		{"not JSON", "application/json", `{"project": 340`, 400, nil},
		{"array", "application/json", `[340]`, 400,
			map[string]any{"non_field_errors": []any{"Invalid data. Expected a dictionary, but got list."}}},
		{"empty object", "application/json", `{}`, 400,
			map[string]any{"project": []any{"This field is required."}}},
		{"no content type", "", `{"project": 340}`, 400,
			map[string]any{"project": []any{"This field is required."}}},
		{"form content type", "application/x-www-form-urlencoded", `project=340`, 415,
			map[string]any{"detail": `Unsupported media type "application/x-www-form-urlencoded" in request.`}},
		{"null project", "application/json", `{"project": null}`, 400,
			map[string]any{"project": []any{"This field may not be null."}}},
		{"project name", "application/json", `{"project": "payments-service"}`, 400,
			map[string]any{"project": []any{"Incorrect type. Expected pk value, received str."}}},
		{"project float", "application/json", `{"project": 340.5}`, 400,
			map[string]any{"project": []any{"Incorrect type. Expected pk value, received float."}}},
		{"project object", "application/json", `{"project": {"id": 340}}`, 400,
			map[string]any{"project": []any{"Incorrect type. Expected pk value, received dict."}}},
		{"blank branch", "application/json", `{"project": 340, "branch_or_tag": ""}`, 400,
			map[string]any{"branch_or_tag": []any{"This field may not be blank."}}},
		{"numeric branch", "application/json", `{"project": 340, "branch_or_tag": 12}`, 400,
			map[string]any{"branch_or_tag": []any{"Not a valid string."}}},
		{"long branch", "application/json", `{"project": 340, "branch_or_tag": "` + strings.Repeat("b", 256) + `"}`, 400,
			map[string]any{"branch_or_tag": []any{"Ensure this field has no more than 255 characters."}}},
		{"bad commit", "application/json", `{"project": 340, "commit": "HEAD"}`, 400,
			map[string]any{"commit": []any{"Enter a commit hash: 7 to 40 lower-case hexadecimal characters."}}},
		{"two bad fields", "application/json", `{"commit": "HEAD"}`, 400, map[string]any{
			"project": []any{"This field is required."},
			"commit":  []any{"Enter a commit hash: 7 to 40 lower-case hexadecimal characters."}}},
		{"unknown project", "application/json", `{"project": 9999}`, 404, map[string]any{"detail": "Not found."}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req, _ := http.NewRequest(http.MethodPost, "http://example.com"+startPath, strings.NewReader(tc.body))
			if tc.contentType != "" {
				req.Header.Set("Content-Type", tc.contentType)
			}
			req.Header.Set("Authorization", "Token "+testToken)
			rec := newRecorderFor(s, req)
			if rec.Code != tc.wantStatus {
				t.Fatalf("status = %d, want %d: %s", rec.Code, tc.wantStatus, rec.Body.String())
			}
			got := object(t, rec)
			if tc.want == nil {
				if d, _ := got["detail"].(string); !strings.HasPrefix(d, "JSON parse error - ") {
					t.Errorf("detail = %q, want a JSON parse error", d)
				}
				return
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
		})
	}
	if got := s.AnalysisIDs(DemoProjectID); len(got) != 0 {
		t.Errorf("bad requests started analyses %v", got)
	}
}

func TestSetLifecycleUnknownProject(t *testing.T) {
	t.Parallel()
	err := New(Options{}).SetLifecycle(1, Lifecycle{})
	if err == nil || !strings.HasPrefix(err.Error(), "set lifecycle: ") {
		t.Errorf("SetLifecycle of an unknown project = %v, want a set lifecycle error", err)
	}
}

func TestAnalysesHistory(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		s := New(demoOptions())
		var ids []int64
		for _, p := range []int{340, 352, 340} {
			ids = append(ids, num(t, start(t, s, fmt.Sprintf(`{"project": %d}`, p), 201)["id"]))
			time.Sleep(time.Minute)
		}
		tests := []struct {
			name  string
			query string
			want  []int64
		}{
			{"newest first", "project=340&ordering=-started_at&page=1&per_page=10", []int64{ids[2], ids[0]}},
			{"oldest first", "project=340&ordering=started_at", []int64{ids[0], ids[2]}},
			{"default order is by id", "project=340", []int64{ids[0], ids[2]}},
			{"unknown ordering is ignored", "project=340&ordering=-bogus", []int64{ids[0], ids[2]}},
			{"by id descending", "ordering=-id", []int64{ids[2], ids[1], ids[0]}},
			{"every project", "ordering=-started_at", []int64{ids[2], ids[1], ids[0]}},
			{"other project", "project=352", []int64{ids[1]}},
			{"project without analyses", "project=341", []int64{}},
			{"limit", "project=340&ordering=-started_at&per_page=1", []int64{ids[2]}},
		}
		// Subtests cannot run in a bubble: each case names itself.
		for _, tc := range tests {
			got := []int64{}
			for _, a := range results(t, getOK(t, s, "/api/analyses/projects/history/?"+tc.query)) {
				got = append(got, num(t, a["id"]))
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s: ids (-want +got):\n%s", tc.name, diff)
			}
		}
		rec := call(t, s, http.MethodGet, "/api/analyses/projects/history/?project=payments", testToken, "")
		if rec.Code != 400 {
			t.Fatalf("bad project filter: status = %d, want 400", rec.Code)
		}
		if diff := cmp.Diff(map[string]any{"project": []any{"Enter a number."}}, object(t, rec)); diff != "" {
			t.Errorf("bad project filter: body (-want +got):\n%s", diff)
		}
	})
}

func FuzzStartBody(f *testing.F) {
	for _, seed := range []string{
		`{"project": 340}`, `{"project": "340", "branch_or_tag": "main", "commit": "abcdef0"}`,
		`[]`, `null`, `{"project": 1e400}`, `{"project": -1}`, `{"commit": 5}`, ``,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		s := New(Options{Scenario: DemoScenario(), Token: testToken})
		rec := call(t, s, http.MethodPost, startPath, testToken, body)
		switch rec.Code {
		case 201, 400, 404:
		default:
			t.Fatalf("status %d for %q", rec.Code, body)
		}
		decode(t, rec)
	})
}
