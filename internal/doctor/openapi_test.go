package doctor

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
	"github.com/codescoring-gate/codescoring-gate/internal/i18n"
	"github.com/codescoring-gate/codescoring-gate/internal/simulator"
)

// swagger2 is a drf-yasg document: Swagger 2.0, paths below basePath, ids
// named pk.
const swagger2 = `{"swagger": "2.0", "basePath": "/api", "paths": {
  "/projects/": {"get": {}, "parameters": []},
  "/projects/{pk}/": {"get": {}},
  "/analyses/projects/sca/start/": {"post": {}},
  "/analyses/projects/history/": {"get": {}},
  "/analyses/projects/history/{pk}/": {"get": {}},
  "/policies/": {"get": {}, "post": {}},
  "/sca/policy_alerts/": {"get": {}}
}}`

// oas3 returns an OpenAPI 3 document of the contract's paths, with changes:
// a path mapped to "" is left out, to a list of methods is served with them.
func oas3(changes map[string][]string) string {
	paths := map[string][]string{
		"/api/projects/{id}/":                  {"get"},
		"/api/projects/":                       {"get"},
		"/api/analyses/projects/sca/start/":    {"post"},
		"/api/analyses/projects/history/{id}/": {"get"},
		"/api/analyses/projects/history/":      {"get"},
		"/api/policies/":                       {"get"},
		"/api/sca/policy_alerts/":              {"get"},
	}
	for p, ms := range changes {
		if ms == nil {
			delete(paths, p)
			continue
		}
		paths[p] = ms
	}
	var b strings.Builder
	b.WriteString(`{"openapi": "3.0.3", "paths": {`)
	first := true
	for p, ms := range paths {
		if !first {
			b.WriteString(",")
		}
		first = false
		b.WriteString(`"` + p + `": {"parameters": [{"in": "path"}]`)
		for _, m := range ms {
			b.WriteString(`, "` + m + `": {"responses": {}}`)
		}
		b.WriteString("}")
	}
	b.WriteString("}}")
	return b.String()
}

// TestDocumentCompare compares api.Endpoints with documents that differ
// from the contract in the ways an installation may.
func TestDocumentCompare(t *testing.T) {
	t.Parallel()
	allPresent := map[string]Presence{"GetProject": Present, "FindProject": Present, "StartAnalysis": Present,
		"GetAnalysis": Present, "RecentAnalyses": Present, "Policies": Present, "Alerts": Present}
	change := func(kv ...any) map[string]Presence {
		out := map[string]Presence{}
		for k, v := range allPresent {
			out[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			out[kv[i].(string)] = kv[i+1].(Presence)
		}
		return out
	}
	tests := []struct {
		name     string
		doc      string
		root     string
		want     map[string]Presence
		findings map[string]string // endpoint name → substring of its finding
	}{
		{name: "the contract", doc: oas3(nil), root: "/", want: allPresent},
		{
			name: "pk instead of id",
			doc: oas3(map[string][]string{"/api/projects/{id}/": nil, "/api/projects/{pk}/": {"get", "put"},
				"/api/analyses/projects/history/{id}/": nil, "/api/analyses/projects/history/{analysis_id}/": {"get"}}),
			root: "/", want: allPresent,
			findings: map[string]string{"GetProject": "as /api/projects/{pk}/", "GetAnalysis": "{analysis_id}"},
		},
		{
			name: "no trailing slash",
			doc:  oas3(map[string][]string{"/api/policies/": nil, "/api/policies": {"get"}}),
			root: "/", want: change("Policies", NoTrailingSlash),
			findings: map[string]string{"Policies": "the document has /api/policies: the trailing slash differs"},
		},
		{
			name: "method missing",
			doc:  oas3(map[string][]string{"/api/analyses/projects/sca/start/": {"get", "delete"}}),
			root: "/", want: change("StartAnalysis", MethodMissing),
			findings: map[string]string{"StartAnalysis": "only with DELETE, GET"},
		},
		{
			name: "method missing without the trailing slash",
			doc:  oas3(map[string][]string{"/api/policies/": nil, "/api/policies": {"post"}}),
			root: "/", want: change("Policies", MethodMissing),
		},
		{
			name: "missing, with similar paths",
			doc: oas3(map[string][]string{"/api/sca/policy_alerts/": nil, "/api/policy_alerts/": {"get"},
				"/api/sca/policy_alerts/{id}/": {"get"}, "/api/alerts_export/": {"post"}}),
			root: "/", want: change("Alerts", Missing),
			// The path with a placeholder and the one with another method
			// cannot be the list the gate reads: one candidate.
			findings: map[string]string{"Alerts": "not in the document; likeliest replacement /api/policy_alerts/ (of 1 candidate)"},
		},
		{
			name: "missing, with similar paths of the same shape first",
			doc: oas3(map[string][]string{"/api/projects/{id}/": nil, "/api/v2/projects/{pk}/": {"get"},
				"/api/a_projects/": {"get"}}),
			root: "/", want: change("GetProject", Missing),
			// /api/projects/ is FindProject's and /api/a_projects/ has no
			// placeholder: neither is a candidate.
			findings: map[string]string{"GetProject": "not in the document; likeliest replacement /api/v2/projects/{pk}/ (of 1 candidate)"},
		},
		{
			name: "missing, nothing similar",
			doc:  oas3(map[string][]string{"/api/analyses/projects/sca/start/": nil}),
			root: "/", want: change("StartAnalysis", Missing),
			findings: map[string]string{"StartAnalysis": "not in the document"},
		},
		{name: "swagger 2 below basePath", doc: swagger2, root: "/", want: allPresent},
		{
			name: "OpenAPI 3 below its server",
			doc:  `{"openapi": "3.1.0", "servers": [{"url": "https://cs.example.com/api"}], "paths": {"/projects/": {"get": {}}}}`,
			root: "/",
			want: map[string]Presence{"GetProject": Missing, "FindProject": Present, "StartAnalysis": Missing,
				"GetAnalysis": Missing, "RecentAnalyses": Missing, "Policies": Missing, "Alerts": Missing},
		},
		{
			name: "server URL with the installation's own path",
			doc:  `{"openapi": "3.0.0", "servers": [{"url": "/codescoring"}], "paths": {"/api/projects/": {"get": {}}}}`,
			root: "/codescoring/",
			want: map[string]Presence{"GetProject": Missing, "FindProject": Present, "StartAnalysis": Missing,
				"GetAnalysis": Missing, "RecentAnalyses": Missing, "Policies": Missing, "Alerts": Missing},
		},
		{
			name: "paths with the installation's own path",
			doc:  `{"openapi": "3.0.0", "paths": {"/codescoring/api/projects/": {"get": {}}}}`,
			root: "/codescoring/",
			want: map[string]Presence{"GetProject": Missing, "FindProject": Present, "StartAnalysis": Missing,
				"GetAnalysis": Missing, "RecentAnalyses": Missing, "Policies": Missing, "Alerts": Missing},
		},
		{
			name: "server path already in the paths",
			doc:  `{"openapi": "3.0.0", "servers": [{"url": "/api"}], "paths": {"/api/projects/": {"get": {}}}}`,
			root: "/",
			want: map[string]Presence{"GetProject": Missing, "FindProject": Present, "StartAnalysis": Missing,
				"GetAnalysis": Missing, "RecentAnalyses": Missing, "Policies": Missing, "Alerts": Missing},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			doc, err := parseDocument([]byte(tc.doc), tc.root)
			if err != nil {
				t.Fatalf("parseDocument() error = %v", err)
			}
			results := doc.compare(api.Endpoints(), i18n.Printer{})
			got := map[string]Presence{}
			found := map[string]string{}
			for _, r := range results {
				got[r.Name] = r.Presence
				found[r.Name] = r.Finding
				if r.Source != SourceDocument {
					t.Errorf("%s: Source = %q, want %q", r.Name, r.Source, SourceDocument)
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("presences (-want +got):\n%s", diff)
			}
			for name, want := range tc.findings {
				if !strings.Contains(found[name], want) {
					t.Errorf("%s: Finding = %q, want it to contain %q", name, found[name], want)
				}
			}
		})
	}
}

// TestParseDocumentInvalid checks documents doctor cannot read.
func TestParseDocumentInvalid(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, doc string }{
		{"not JSON", `openapi: 3.0.3`},
		{"no version", `{"paths": {}}`},
		{"no paths", `{"openapi": "3.0.3"}`},
		{"paths not an object", `{"openapi": "3.0.3", "paths": []}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if doc, err := parseDocument([]byte(tc.doc), "/"); err == nil {
				t.Errorf("parseDocument() = %+v, want an error", doc)
			}
		})
	}
}

// TestRunDocumentLocations serves documents at the other locations doctor
// tries, in the formats a Django REST installation serves them in.
func TestRunDocumentLocations(t *testing.T) {
	t.Parallel()
	serve := func(ct, body string) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", ct)
			_, _ = w.Write([]byte(body))
		}
	}
	yaml := serve("application/vnd.oai.openapi; charset=utf-8", "openapi: 3.0.3\ninfo:\n  title: CodeScoring\npaths: {}\n")
	swaggerUI := serve("text/html; charset=utf-8", "<!DOCTYPE html><html><head><title>Swagger UI</title></head></html>")
	tests := []struct {
		name     string
		routes   map[string]http.HandlerFunc // path?query → handler; the rest goes to the simulator
		wantDoc  string
		want     Status
		wantText []string
	}{
		{
			name:    "JSON when asked with format=json",
			routes:  map[string]http.HandlerFunc{"/api/schema/": yaml, "/api/schema/?format=json": serve("application/json", oas3(nil))},
			wantDoc: "/api/schema/?format=json", want: Pass,
		},
		{
			name: "drf-yasg's Swagger 2",
			routes: map[string]http.HandlerFunc{"/api/schema/": yaml, "/api/schema/?format=json": yaml,
				"/api/swagger/?format=openapi": serve("application/openapi+json", swagger2)},
			wantDoc: "/api/swagger/?format=openapi", want: Pass,
		},
		{
			name:    "at /api/openapi.json",
			routes:  map[string]http.HandlerFunc{"/api/openapi.json": serve("application/json", oas3(nil))},
			wantDoc: "/api/openapi.json", want: Pass,
		},
		{
			name: "only YAML and the Swagger UI",
			routes: map[string]http.HandlerFunc{"/api/schema/": yaml, "/api/schema/?format=json": yaml,
				"/api/swagger/?format=openapi": swaggerUI, "/api/swagger.json": serve("application/json", `{"detail": "x"}`)},
			want: Warn,
			wantText: []string{
				"YAML, which doctor does not read at /api/schema/, /api/schema/?format=json",
				`an HTML page ("Swagger UI") at /api/swagger/?format=openapi`,
				"JSON that is not an OpenAPI document at /api/swagger.json",
				"404 Not Found at /api/openapi.json",
				"6 of 7 endpoints the gate calls are present, answering GET probes",
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := startSim(t, simulator.Options{NoSchema: true}, false, func(sim http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					key := strings.TrimPrefix(r.URL.Path, prefix)
					if r.URL.RawQuery != "" {
						key += "?" + r.URL.RawQuery
					}
					if h, ok := tc.routes[key]; ok {
						h(w, r)
						return
					}
					sim.ServeHTTP(w, r)
				})
			})
			r, text, _ := run(t, env.options())
			if got := statuses(r)[CheckEndpoints]; got != tc.want {
				t.Errorf("endpoints check = %q, want %q\n%s", got, tc.want, text)
			}
			if r.Document != tc.wantDoc {
				t.Errorf("Document = %q, want %q", r.Document, tc.wantDoc)
			}
			got := checkText(t, r, CheckEndpoints)
			for _, s := range tc.wantText {
				if !strings.Contains(got, s) {
					t.Errorf("endpoints check = %q, want it to contain %q", got, s)
				}
			}
			assertOnlyGET(t, env.sim)
		})
	}
}

// FuzzParseDocument feeds arbitrary documents to the parser and the
// comparison: neither may panic, and every endpoint gets a known presence.
func FuzzParseDocument(f *testing.F) {
	f.Add([]byte(swagger2), "/")
	f.Add([]byte(oas3(nil)), "/codescoring/")
	f.Add([]byte(`{"openapi": "3.0.0", "servers": [{"url": "%zz"}], "paths": {"/{": {"get": 1}, "x": {}}}`), "/")
	known := map[Presence]bool{Present: true, Missing: true, MethodMissing: true, NoTrailingSlash: true}
	f.Fuzz(func(t *testing.T, body []byte, root string) {
		doc, err := parseDocument(body, root)
		if err != nil {
			return
		}
		eps := api.Endpoints()
		got := doc.compare(eps, i18n.Printer{})
		if len(got) != len(eps) {
			t.Fatalf("compare() returned %d results for %d endpoints", len(got), len(eps))
		}
		for _, r := range got {
			if !known[r.Presence] {
				t.Errorf("%s: presence %q", r.Name, r.Presence)
			}
		}
	})
}
