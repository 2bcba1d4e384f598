package simulator

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPagination(t *testing.T) {
	t.Parallel()
	opts := demoOptions()
	opts.Prefix = "/cs"
	s := New(opts)

	// Follow next links from the first page; the demo has 6 policies.
	var gotIDs []int64
	var gotNext []any
	target := "/cs/api/policies/?per_page=4"
	for target != "" {
		page := getOK(t, s, target)
		if got := num(t, page["count"]); got != 6 {
			t.Errorf("count = %d, want 6", got)
		}
		for _, p := range results(t, page) {
			gotIDs = append(gotIDs, num(t, p["id"]))
		}
		gotNext = append(gotNext, page["next"])
		target = ""
		if next, ok := page["next"].(string); ok {
			target = next
		}
	}
	if diff := cmp.Diff([]int64{12, 14, 15, 18, 19, 21}, gotIDs); diff != "" {
		t.Errorf("policy ids (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]any{"http://example.com/cs/api/policies/?page=2&per_page=4", nil}, gotNext); diff != "" {
		t.Errorf("next links (-want +got):\n%s", diff)
	}

	page2 := getOK(t, s, "/cs/api/policies/?per_page=2&page=2")
	if got, want := page2["previous"], "http://example.com/cs/api/policies/?per_page=2"; got != want {
		t.Errorf("previous of page 2 = %v, want %v", got, want)
	}
	page3 := getOK(t, s, "/cs/api/policies/?per_page=2&page=3")
	if got, want := page3["previous"], "http://example.com/cs/api/policies/?page=2&per_page=2"; got != want {
		t.Errorf("previous of page 3 = %v, want %v", got, want)
	}
	if page3["next"] != nil {
		t.Errorf("next of the last page = %v, want null", page3["next"])
	}
	if got := getOK(t, s, "/cs/api/policies/")["previous"]; got != nil {
		t.Errorf("previous of page 1 = %v, want null", got)
	}
}

func TestPaginationKeepsFilters(t *testing.T) {
	t.Parallel()
	s := New(demoOptions())
	page := getOK(t, s, "/api/projects/?search=payments&per_page=1")
	if got, want := page["next"], "http://example.com/api/projects/?page=2&per_page=1&search=payments"; got != want {
		t.Errorf("next = %v, want %v", got, want)
	}
}

func TestPaginationErrors(t *testing.T) {
	t.Parallel()
	s := New(demoOptions())
	tests := []struct {
		name       string
		query      string
		wantStatus int
		want       map[string]any
	}{
		{"per_page over 100", "per_page=101", 400,
			map[string]any{"per_page": []any{"Ensure this value is less than or equal to 100."}}},
		{"per_page 0", "per_page=0", 400,
			map[string]any{"per_page": []any{"Ensure this value is greater than or equal to 1."}}},
		{"per_page negative", "per_page=-5", 400,
			map[string]any{"per_page": []any{"Ensure this value is greater than or equal to 1."}}},
		{"per_page not a number", "per_page=ten", 400,
			map[string]any{"per_page": []any{"A valid integer is required."}}},
		{"per_page empty", "per_page=", 400,
			map[string]any{"per_page": []any{"A valid integer is required."}}},
		{"page 0", "page=0", 404, map[string]any{"detail": "Invalid page."}},
		{"page not a number", "page=last", 404, map[string]any{"detail": "Invalid page."}},
		{"page past the end", "page=2&per_page=100", 404, map[string]any{"detail": "Invalid page."}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := call(t, s, http.MethodGet, "/api/policies/?"+tc.query, testToken, "")
			if rec.Code != tc.wantStatus {
				t.Fatalf("status = %d, want %d: %s", rec.Code, tc.wantStatus, rec.Body.String())
			}
			if diff := cmp.Diff(tc.want, object(t, rec)); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPaginationBoundaries(t *testing.T) {
	t.Parallel()
	s := New(demoOptions())
	tests := []struct {
		name        string
		target      string
		wantResults int
		wantNext    bool
	}{
		{"per_page 100", "/api/policies/?per_page=100", 6, false},
		{"per_page 1", "/api/policies/?per_page=1", 1, true},
		{"default page size", "/api/policies/", 6, false},
		{"exact last page", "/api/policies/?per_page=3&page=2", 3, false},
		{"empty list, page 1", "/api/projects/?search=nothing-matches", 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			page := getOK(t, s, tc.target)
			if got := len(results(t, page)); got != tc.wantResults {
				t.Errorf("results = %d, want %d", got, tc.wantResults)
			}
			if got := page["next"] != nil; got != tc.wantNext {
				t.Errorf("has next = %v, want %v", got, tc.wantNext)
			}
		})
	}
}

func TestDefaultPerPage(t *testing.T) {
	t.Parallel()
	opts := demoOptions()
	opts.DefaultPerPage = 2
	page := getOK(t, New(opts), "/api/policies/")
	if got := len(results(t, page)); got != 2 {
		t.Errorf("results = %d, want 2", got)
	}
}

func TestProjectsSearch(t *testing.T) {
	t.Parallel()
	s := New(demoOptions())
	tests := []struct {
		search string
		want   []string
	}{
		{"", []string{"payments-service", "payments-service-legacy", "payments-gateway"}},
		{"payments", []string{"payments-service", "payments-service-legacy", "payments-gateway"}},
		{"PAYMENTS-SERVICE", []string{"payments-service", "payments-service-legacy"}},
		{"gateway", []string{"payments-gateway"}},
		{"billing", []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.search, func(t *testing.T) {
			t.Parallel()
			page := getOK(t, s, "/api/projects/?search="+tc.search+"&page=1&per_page=100")
			got := []string{}
			for _, p := range results(t, page) {
				got = append(got, p["name"].(string))
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("names (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPolicyFields(t *testing.T) {
	t.Parallel()
	sc := Scenario{Policies: []Policy{
		{ID: 1, Name: "delayed", Stages: []string{"source"}, Level: "critical", IsActive: true,
			IsBlocksBuild: true, BlockDelay: Days(7), Projects: []int64{340}},
		{ID: 2, Name: "bare", OmitIsActive: true},
	}}
	s := New(Options{Token: testToken, Scenario: sc})
	got := results(t, getOK(t, s, "/api/policies/"))
	want := []map[string]any{
		{"id": 1.0, "name": "delayed", "description": "", "stages": []any{"source"}, "level": "critical",
			"proprietors": []any{}, "projects": []any{340.0}, "conditions": map[string]any{},
			"conditions_connector": "and", "is_active": true, "is_blocks_build": true, "block_delay": 7.0},
		{"id": 2.0, "name": "bare", "description": "", "stages": []any{}, "level": "",
			"proprietors": []any{}, "projects": []any{}, "conditions": map[string]any{},
			"conditions_connector": "and", "is_blocks_build": false, "block_delay": nil},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("policies (-want +got):\n%s", diff)
	}
}

func TestBareArrays(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		global   bool
		per      []Endpoint
		target   string
		wantBare bool
	}{
		{"global policies", true, nil, "/api/policies/?page=1&per_page=2", true},
		{"global projects", true, nil, "/api/projects/?search=pay", true},
		{"global ignores per_page over 100", true, nil, "/api/policies/?per_page=500", true},
		{"per endpoint, named", false, []Endpoint{EndpointPolicies}, "/api/policies/?per_page=2", true},
		{"per endpoint, other", false, []Endpoint{EndpointPolicies}, "/api/projects/", false},
		{"off", false, nil, "/api/policies/", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			opts := demoOptions()
			opts.BareArrays, opts.BareArrayEndpoints = tc.global, tc.per
			rec := call(t, New(opts), http.MethodGet, tc.target, testToken, "")
			if rec.Code != 200 {
				t.Fatalf("status = %d: %s", rec.Code, rec.Body.String())
			}
			v := decode(t, rec)
			arr, isArray := v.([]any)
			if isArray != tc.wantBare {
				t.Fatalf("bare array = %v, want %v: %s", isArray, tc.wantBare, rec.Body.String())
			}
			if tc.wantBare && tc.target[:14] == "/api/policies/" && len(arr) != 6 {
				t.Errorf("bare array has %d policies, want all 6", len(arr))
			}
		})
	}
}

func TestPK(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		global bool
		per    []Endpoint
		target string
		wantPK bool
	}{
		{"global project", true, nil, "/api/projects/340/", true},
		{"global projects", true, nil, "/api/projects/", true},
		{"global policies", true, nil, "/api/policies/", true},
		{"per endpoint, named", false, []Endpoint{EndpointPolicies}, "/api/policies/", true},
		{"per endpoint, other", false, []Endpoint{EndpointPolicies}, "/api/projects/340/", false},
		{"off", false, nil, "/api/projects/340/", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			opts := demoOptions()
			opts.PK, opts.PKEndpoints = tc.global, tc.per
			got := getOK(t, New(opts), tc.target)
			if rs, ok := got["results"]; ok {
				got = rs.([]any)[0].(map[string]any)
			}
			_, hasPK := got["pk"]
			_, hasID := got["id"]
			if hasPK != tc.wantPK || hasID == tc.wantPK {
				t.Errorf("has pk = %v, has id = %v, want pk %v: %v", hasPK, hasID, tc.wantPK, got)
			}
		})
	}
}

// TestRepeatLast serves a list that grows while it is paged: each page after
// the first repeats the previous page's last item first, and no item is
// missed.
func TestRepeatLast(t *testing.T) {
	t.Parallel()
	opts := demoOptions()
	opts.RepeatLastEndpoints = []Endpoint{EndpointPolicies}
	s := New(opts)
	var ids []float64
	for page := 1; ; page++ {
		p := getOK(t, s, fmt.Sprintf("/api/policies/?per_page=2&page=%d", page))
		for _, r := range results(t, p) {
			ids = append(ids, r["id"].(float64))
		}
		if p["next"] == nil {
			break
		}
	}
	plain := New(demoOptions())
	var want []float64
	for i, r := range results(t, getOK(t, plain, "/api/policies/?per_page=100")) {
		want = append(want, r["id"].(float64))
		if i%2 == 1 && i < len(opts.Scenario.Policies)-1 {
			want = append(want, r["id"].(float64))
		}
	}
	if diff := cmp.Diff(want, ids); diff != "" {
		t.Errorf("ids read page by page (-want +got):\n%s", diff)
	}
}
