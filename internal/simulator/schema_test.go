package simulator

import (
	"net/http"
	"sort"
	"strings"
	"testing"

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
		got, _, ok := route(path)
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
