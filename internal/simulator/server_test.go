package simulator

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestAuth(t *testing.T) {
	t.Parallel()
	s := New(Options{
		Scenario: DemoScenario(),
		Token:    testToken,
		Tokens:   map[string]Role{"reader-token": RoleReader, "dev-token": RoleDeveloper},
	})
	start := `{"project": 340}`
	tests := []struct {
		name       string
		method     string
		path       string
		header     string
		body       string
		wantStatus int
		wantDetail string
	}{
		{"no header", "GET", "/api/projects/340/", "", "", 401, "Authentication credentials were not provided."},
		{"wrong token", "GET", "/api/projects/340/", "Token nope", "", 401, "Invalid token."},
		{"bearer scheme", "GET", "/api/projects/340/", "Bearer " + testToken, "", 401, "Invalid token."},
		{"lower-case scheme", "GET", "/api/projects/340/", "token " + testToken, "", 401, "Invalid token."},
		{"owner reads", "GET", "/api/projects/340/", "Token " + testToken, "", 200, ""},
		{"reader reads", "GET", "/api/policies/", "Token reader-token", "", 200, ""},
		{"reader cannot start", "POST", "/api/analyses/projects/sca/start/", "Token reader-token", start, 403,
			"You do not have permission to perform this action."},
		{"developer starts", "POST", "/api/analyses/projects/sca/start/", "Token dev-token", start, 201, ""},
		{"unauthenticated start", "POST", "/api/analyses/projects/sca/start/", "", start, 401,
			"Authentication credentials were not provided."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req, _ := http.NewRequest(tc.method, "http://example.com"+tc.path, strings.NewReader(tc.body))
			req.Header.Set("Content-Type", "application/json")
			if tc.header != "" {
				req.Header.Set("Authorization", tc.header)
			}
			w := httptest.NewRecorder()
			s.ServeHTTP(w, req)
			if got := w.Code; got != tc.wantStatus {
				t.Fatalf("status = %d, want %d: %s", got, tc.wantStatus, w.Body.String())
			}
			if strings.Contains(w.Body.String(), testToken) {
				t.Errorf("body contains the token: %s", w.Body.String())
			}
			if tc.wantDetail == "" {
				return
			}
			if got := object(t, w)["detail"]; got != tc.wantDetail {
				t.Errorf("detail = %q, want %q", got, tc.wantDetail)
			}
			if tc.wantStatus == 401 && w.Header().Get("WWW-Authenticate") != "Token" {
				t.Errorf("WWW-Authenticate = %q, want Token", w.Header().Get("WWW-Authenticate"))
			}
		})
	}
}

func TestDefaultToken(t *testing.T) {
	t.Parallel()
	s := New(Options{Scenario: DemoScenario()})
	if got := call(t, s, "GET", "/api/projects/340/", DefaultToken, "").Code; got != 200 {
		t.Errorf("status with DefaultToken = %d, want 200", got)
	}
	s = New(Options{Scenario: DemoScenario(), Tokens: map[string]Role{"r": RoleReader}})
	if got := call(t, s, "GET", "/api/projects/340/", DefaultToken, "").Code; got != 401 {
		t.Errorf("status with DefaultToken when Tokens is set = %d, want 401", got)
	}
}

func TestRouting(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		prefix     string
		method     string
		path       string
		wantStatus int
	}{
		{"project", "", "GET", "/api/projects/340/", 200},
		{"unknown project", "", "GET", "/api/projects/999/", 404},
		{"non-numeric id", "", "GET", "/api/projects/abc/", 404},
		{"zero id", "", "GET", "/api/projects/0/", 404},
		{"no trailing slash", "", "GET", "/api/projects/340", 404},
		{"list without slash", "", "GET", "/api/policies", 404},
		{"removed alerts path", "", "GET", "/api/policy_alerts/", 404},
		{"unknown path", "", "GET", "/api/nothing/", 404},
		{"nested extra segment", "", "GET", "/api/projects/340/x/", 404},
		{"unknown analysis", "", "GET", "/api/analyses/projects/history/5/", 404},
		{"wrong method", "", "POST", "/api/projects/", 405},
		{"GET on start", "", "GET", "/api/analyses/projects/sca/start/", 405},
		{"prefix served", "/codescoring", "GET", "/codescoring/api/projects/340/", 200},
		{"prefix with trailing slash", "/codescoring/", "GET", "/codescoring/api/policies/", 200},
		{"outside prefix", "/codescoring", "GET", "/api/projects/340/", 404},
		{"prefix as a word prefix", "/codescoring", "GET", "/codescoringx/api/projects/340/", 404},
		{"prefix without slash", "codescoring", "GET", "/codescoring/api/projects/340/", 200},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			opts := demoOptions()
			opts.Prefix = tc.prefix
			s := New(opts)
			rec := call(t, s, tc.method, tc.path, testToken, "")
			if rec.Code != tc.wantStatus {
				t.Fatalf("%s %s = %d, want %d: %s", tc.method, tc.path, rec.Code, tc.wantStatus, rec.Body.String())
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type = %q, want application/json", ct)
			}
			switch tc.wantStatus {
			case 404:
				if got := object(t, rec)["detail"]; got != "Not found." {
					t.Errorf("detail = %q, want %q", got, "Not found.")
				}
			case 405:
				if rec.Header().Get("Allow") == "" {
					t.Error("405 without an Allow header")
				}
			}
		})
	}
}

func TestProject(t *testing.T) {
	t.Parallel()
	s := New(demoOptions())
	got := getOK(t, s, "/api/projects/340/")
	want := map[string]any{
		"id": 340.0, "name": "payments-service", "project_type": "vcs",
		"repository": "https://github.com/acme/payments-service", "policy_stage": "source",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("project (-want +got):\n%s", diff)
	}
}

func TestProjectDefaults(t *testing.T) {
	t.Parallel()
	s := New(Options{Token: testToken, Scenario: Scenario{Projects: []Project{{ID: 7, Name: "bare"}}}})
	got := getOK(t, s, "/api/projects/7/")
	want := map[string]any{"id": 7.0, "name": "bare", "project_type": "vcs", "repository": "", "policy_stage": "source"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("project (-want +got):\n%s", diff)
	}
}

func TestStartAndBaseURL(t *testing.T) {
	t.Parallel()
	opts := demoOptions()
	opts.Prefix = "/cs"
	s := New(opts)
	base := startServer(t, s)
	if !strings.HasPrefix(base, "http://127.0.0.1:") || !strings.HasSuffix(base, "/cs/") {
		t.Errorf("base URL = %q, want http://127.0.0.1:<port>/cs/", base)
	}
	status, _, err := httpGet(t, http.DefaultClient, base+"api/projects/340/")
	if err != nil {
		t.Fatal(err)
	}
	if status != http.StatusOK {
		t.Errorf("status = %d, want 200", status)
	}
	if _, err := s.Start(""); err == nil {
		t.Error("second Start succeeded, want an error")
	}
	if err := s.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := s.Start(""); err == nil {
		t.Error("Start after Close succeeded, want an error")
	}
	if _, _, err := httpGet(t, http.DefaultClient, base+"api/projects/340/"); err == nil {
		t.Error("GET after Close succeeded, want a connection error")
	}
}

func TestStartBadAddress(t *testing.T) {
	t.Parallel()
	for _, addr := range []string{"127.0.0.1:notaport", "256.0.0.1:1"} {
		if _, err := New(Options{}).Start(addr); err == nil || !strings.HasPrefix(err.Error(), "start simulator: ") {
			t.Errorf("Start(%q) = %v, want a start simulator error", addr, err)
		}
	}
}

func TestNewPanicsOnInconsistentScenario(t *testing.T) {
	t.Parallel()
	p := Project{ID: 1, Name: "p"}
	tests := []struct {
		name string
		sc   Scenario
	}{
		{"duplicate project", Scenario{Projects: []Project{p, p}}},
		{"duplicate policy", Scenario{Policies: []Policy{{ID: 2}, {ID: 2}}}},
		{"alert of unknown project", Scenario{Alerts: []AlertTemplate{{Project: 9}}}},
		{"analysis of unknown project", Scenario{Analyses: []SeedAnalysis{{Project: 9}}}},
		{"duplicate analysis", Scenario{Projects: []Project{p},
			Analyses: []SeedAnalysis{{ID: 5, Project: 1}, {ID: 5, Project: 1}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			defer func() {
				if recover() == nil {
					t.Error("New did not panic")
				}
			}()
			New(Options{Scenario: tc.sc})
		})
	}
}

// TestConcurrentRequests runs requests of every kind at once, with the
// clock moving meanwhile, for the race detector.
func TestConcurrentRequests(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		opts := demoOptions()
		opts.Scenario = BaselineDemoScenario() // alerts of main from the start
		s := New(opts)
		paths := []string{
			"/api/projects/340/", "/api/projects/?search=pay", "/api/policies/?per_page=2&page=2",
			"/api/analyses/projects/history/?project=340&ordering=-started_at",
			"/api/sca/policy_alerts/?project=340&per_page=3&page=2", "/api/schema/",
		}
		var wg sync.WaitGroup
		for g := range 4 {
			wg.Go(func() {
				for i := range 15 {
					switch i % 5 {
					case 0:
						if code := call(t, s, "POST", "/api/analyses/projects/sca/start/", testToken, `{"project": 340}`).Code; code != 201 && code != 409 {
							t.Errorf("start = %d, want 201 or 409", code)
						}
					case 2:
						time.Sleep(2 * time.Second)
					}
					p := paths[(g+i)%len(paths)]
					if code := call(t, s, "GET", p, testToken, "").Code; code != 200 {
						t.Errorf("GET %s = %d, want 200", p, code)
					}
				}
			})
		}
		wg.Wait()
	})
}

func ExampleServer_Start() {
	s := New(Options{Scenario: DemoScenario(), Prefix: "/codescoring"})
	base, err := s.Start("127.0.0.1:0")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	req, _ := http.NewRequest(http.MethodGet, base+"api/projects/340/", nil)
	req.Header.Set("Authorization", "Token "+DefaultToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()
	fmt.Println(resp.StatusCode, strings.HasSuffix(base, "/codescoring/"))
	// Output: 200 true
}
