package simulator

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

// schemaOperations returns "METHOD path" for every operation of the served
// document.
func schemaOperations(t *testing.T, doc map[string]any) []string {
	t.Helper()
	if doc["openapi"] != "3.0.3" {
		t.Errorf("openapi = %v, want 3.0.3", doc["openapi"])
	}
	var ops []string
	for path, item := range doc["paths"].(map[string]any) {
		for method := range item.(map[string]any) {
			ops = append(ops, strings.ToUpper(method)+" "+path)
		}
	}
	sort.Strings(ops)
	return ops
}

func TestSchema(t *testing.T) {
	t.Parallel()
	all := []string{
		"GET /api/analyses/projects/history/",
		"GET /api/analyses/projects/history/{id}/",
		"GET /api/policies/",
		"GET /api/projects/",
		"GET /api/projects/{id}/",
		"GET /api/sca/policy_alerts/",
		"POST /api/analyses/projects/sca/start/",
	}
	tests := []struct {
		name       string
		opts       Options
		token      string
		wantStatus int
		want       []string
	}{
		{"every path, no token needed", Options{}, "", 200, all},
		{"under a prefix", Options{Prefix: "/cs"}, "", 200, all},
		{"one path omitted", Options{SchemaOmit: []Endpoint{EndpointAlerts}}, "", 200,
			append(append([]string{}, all[:5]...), all[6])},
		{"no document", Options{NoSchema: true}, testToken, 404, nil},
		{"auth required, none sent", Options{SchemaAuth: true}, "", 401, nil},
		{"auth required, token sent", Options{SchemaAuth: true}, testToken, 200, all},
		{"endpoints served at other paths", Options{Paths: map[Endpoint]string{
			EndpointAlerts: "/api/sca/alerts/", EndpointAnalysis: "/api/scans/{id}/results/"}}, "", 200,
			[]string{all[0], all[2], all[3], all[4], "GET /api/sca/alerts/", "GET /api/scans/{id}/results/", all[6]}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.opts.Token = testToken
			s := New(tc.opts)
			rec := call(t, s, http.MethodGet, tc.opts.Prefix+"/api/schema/", tc.token, "")
			if rec.Code != tc.wantStatus {
				t.Fatalf("status = %d, want %d", rec.Code, tc.wantStatus)
			}
			if tc.wantStatus != 200 {
				return
			}
			if diff := cmp.Diff(tc.want, schemaOperations(t, object(t, rec))); diff != "" {
				t.Errorf("operations (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSchemaPathsMatchRoutes(t *testing.T) {
	t.Parallel()
	for _, e := range ContractEndpoints {
		path := strings.Replace(e.Path(), "{id}", "340", 1)
		got, _, ok := New(Options{}).route(path)
		if !ok || got != e {
			t.Errorf("route(%q) = %q, %v; want %q", path, got, ok, e)
		}
	}
	if e := Endpoint("nope"); e.Path() != "" {
		t.Errorf("unknown endpoint path = %q, want empty", e.Path())
	}
}

func TestSchemaContentType(t *testing.T) {
	t.Parallel()
	s := New(Options{})
	tests := []struct {
		accept string
		want   string
	}{
		{"", "application/json"},
		{"application/json", "application/json"},
		{"application/vnd.oai.openapi+json", "application/vnd.oai.openapi+json"},
	}
	for _, tc := range tests {
		t.Run(tc.accept, func(t *testing.T) {
			t.Parallel()
			req, _ := http.NewRequest(http.MethodGet, "http://example.com/api/schema/", nil)
			req.Header.Set("Accept", tc.accept)
			if got := newRecorderFor(s, req).Header().Get("Content-Type"); got != tc.want {
				t.Errorf("Content-Type = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestServeAtOtherPaths: Options.Paths moves an endpoint, as a differing
// installation would; the contract's path then answers 404.
func TestServeAtOtherPaths(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		opts := demoOptions()
		opts.Prefix = "/cs"
		opts.Paths = map[Endpoint]string{EndpointAlerts: "/api/sca/alerts/", EndpointAnalysis: "/api/scans/{id}/results/"}
		s := New(opts)
		started := call(t, s, http.MethodPost, "/cs/api/analyses/projects/sca/start/", testToken, `{"project": 340}`)
		if started.Code != http.StatusCreated {
			t.Fatalf("start = %d: %s", started.Code, started.Body.String())
		}
		id := num(t, object(t, started)["id"])
		time.Sleep(time.Hour)

		moved := getOK(t, s, fmt.Sprintf("/cs/api/sca/alerts/?project=340&analysis=%d", id))
		if len(results(t, moved)) == 0 {
			t.Errorf("alerts at the new path: no results: %v", moved)
		}
		if got := getOK(t, s, fmt.Sprintf("/cs/api/scans/%d/results/", id)); num(t, got["id"]) != id {
			t.Errorf("analysis at the new path = %v, want id %d", got, id)
		}
		for _, old := range []string{
			fmt.Sprintf("/cs/api/sca/policy_alerts/?project=340&analysis=%d", id),
			fmt.Sprintf("/cs/api/analyses/projects/history/%d/", id),
			fmt.Sprintf("/cs/api/scans/%d/", id),
		} {
			if rec := call(t, s, http.MethodGet, old, testToken, ""); rec.Code != http.StatusNotFound {
				t.Errorf("GET %s = %d, want 404", old, rec.Code)
			}
		}
		// The others stay where the contract has them.
		getOK(t, s, "/cs/api/projects/340/")
	})
}

func TestServeAtOtherPathsRefusesBadOnes(t *testing.T) {
	t.Parallel()
	for _, p := range []map[Endpoint]string{
		{EndpointAnalysis: "/api/scans/"},
		{EndpointAlerts: "api/alerts/"},
		{Endpoint("nope"): "/x/"},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("New(Paths: %v) did not panic", p)
				}
			}()
			New(Options{Paths: p})
		}()
	}
}
