package doctor

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
	"github.com/codescoring-gate/codescoring-gate/internal/i18n"
)

// spectacular reads testdata/spectacular-moved.json, an OpenAPI document as
// drf-spectacular writes it (operationId, tags, security, parameters with
// schemas, {id} path parameters, components) of an installation where the
// start, analysis and alerts endpoints moved, with look-alikes beside each.
// edit changes its paths before it is parsed: a path mapped to nil is
// removed, any other value is the path item to serve.
func spectacular(t *testing.T, edit map[string]any) *document {
	t.Helper()
	b, err := os.ReadFile("testdata/spectacular-moved.json")
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	paths := raw["paths"].(map[string]any)
	for p, item := range edit {
		if item == nil {
			delete(paths, p)
			continue
		}
		paths[p] = item
	}
	b, err = json.Marshal(raw)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := parseDocument(b, "/")
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// listOp is a drf-spectacular list operation with the query parameters.
func listOp(params ...string) map[string]any {
	ps := []any{}
	for _, p := range params {
		ps = append(ps, map[string]any{"in": "query", "name": p, "schema": map[string]any{"type": "integer"}})
	}
	return map[string]any{"get": map[string]any{"operationId": "x_list", "parameters": ps, "responses": map[string]any{}}}
}

func results(doc *document, eps []api.Endpoint) map[string]EndpointResult {
	out := map[string]EndpointResult{}
	for _, r := range doc.compare(eps, i18n.Printer{}) {
		out[r.Key] = r
	}
	return out
}

func candidatePaths(s *Suggestion) []string {
	var out []string
	for _, c := range s.Candidates {
		out = append(out, c.Path)
	}
	return out
}

// TestReplacementsSpectacular: the moved endpoints are found among their
// look-alikes, with {id} kept, and the rest stay present.
func TestReplacementsSpectacular(t *testing.T) {
	t.Parallel()
	got := results(spectacular(t, nil), api.Endpoints())
	want := map[string]struct {
		presence   Presence
		apiPaths   string
		candidates []string
	}{
		"project":  {presence: Present},
		"projects": {presence: Present},
		"start": {Missing, "start=/api/analyses/sca/start/",
			[]string{"/api/analyses/sca/start/", "/api/analyses/groups/sca/start/", "/api/analyses/overall_sca/start/"}},
		"analysis": {Missing, "analysis=/api/analyses/history/{id}/",
			[]string{"/api/analyses/history/{id}/", "/api/analyses/history/{id}/alerts/", "/api/projects/{project_pk}/dependencies/"}},
		"analyses": {presence: Present},
		"policies": {presence: Present},
		"alerts": {Missing, "alerts=/api/sca/alerts/",
			[]string{"/api/sca/alerts/", "/api/sca/components/", "/api/container/alerts/", "/api/analyses/groups/sca/status/"}},
	}
	for key, w := range want {
		r := got[key]
		if r.Presence != w.presence {
			t.Errorf("%s: presence %q, want %q (%s)", key, r.Presence, w.presence, r.Finding)
			continue
		}
		if w.presence == Present {
			if r.Suggestion != nil {
				t.Errorf("%s is present but has a suggestion %+v", key, r.Suggestion)
			}
			continue
		}
		if r.Suggestion == nil {
			t.Fatalf("%s: no suggestion (%s)", key, r.Finding)
		}
		if r.Suggestion.APIPaths != w.apiPaths {
			t.Errorf("%s: suggestion %q, want %q; candidates %+v", key, r.Suggestion.APIPaths, w.apiPaths, r.Suggestion.Candidates)
		}
		if diff := cmp.Diff(w.candidates, candidatePaths(r.Suggestion)); diff != "" {
			t.Errorf("%s: candidates (-want +got):\n%s\n%+v", key, diff, r.Suggestion.Candidates)
		}
		if _, err := api.ParsePaths(r.Suggestion.APIPaths); err != nil {
			t.Errorf("%s: the suggestion is not a valid api-paths value: %v", key, err)
		}
		if !strings.Contains(r.Finding, "likeliest replacement "+r.Suggestion.Candidates[0].Path) {
			t.Errorf("%s: finding %q does not name the replacement", key, r.Finding)
		}
	}
	alerts := got["alerts"].Suggestion.Candidates
	if alerts[0].Why != "last segment alerts like policy_alerts; below sca; query parameters project, analysis" ||
		alerts[2].Why != "last segment alerts like policy_alerts; other words container; query parameters project; no analysis parameter" {
		t.Errorf("alerts candidates do not say why: %+v", alerts)
	}
}

// TestReplacementsWithOverrides: with api-paths in force for two of the
// moved endpoints, they are present, and the third is still suggested; an
// overridden path is never suggested for another endpoint.
func TestReplacementsWithOverrides(t *testing.T) {
	t.Parallel()
	eps := api.Paths{"start": "/api/analyses/sca/start/", "alerts": "/api/sca/alerts/"}.Table()
	got := results(spectacular(t, nil), eps)
	if got["start"].Presence != Present || got["alerts"].Presence != Present {
		t.Errorf("overridden endpoints: start %q, alerts %q; want present", got["start"].Presence, got["alerts"].Presence)
	}
	if s := got["analysis"].Suggestion; s == nil || s.APIPaths != "analysis=/api/analyses/history/{id}/" {
		t.Errorf("analysis suggestion = %+v", s)
	}
}

func TestReplacementsSeveralAlike(t *testing.T) {
	t.Parallel()
	doc := spectacular(t, map[string]any{
		"/api/sca/alerts/":    nil,
		"/api/v1/sca/alerts/": listOp("project", "analysis", "page", "per_page"),
		"/api/v2/sca/alerts/": listOp("project", "analysis", "page", "per_page"),
	})
	r := results(doc, api.Endpoints())["alerts"]
	if r.Presence != Missing || r.Suggestion == nil {
		t.Fatalf("alerts = %+v", r)
	}
	if r.Suggestion.APIPaths != "" || r.Suggestion.Path != "" {
		t.Errorf("two equal candidates, but doctor suggests %q", r.Suggestion.APIPaths)
	}
	if got := candidatePaths(r.Suggestion)[:2]; !cmp.Equal(got, []string{"/api/v1/sca/alerts/", "/api/v2/sca/alerts/"}) {
		t.Errorf("best candidates = %v", got)
	}
	if !strings.Contains(r.Finding, "no path of the document stands out: similar ones are /api/v1/sca/alerts/, /api/v2/sca/alerts/") {
		t.Errorf("finding = %q", r.Finding)
	}
}

// TestReplacementsParametersDecide: of two paths named alike, the one with
// the query parameters the gate sends wins.
func TestReplacementsParametersDecide(t *testing.T) {
	t.Parallel()
	doc := spectacular(t, map[string]any{
		"/api/sca/alerts/":       nil,
		"/api/sca/alerts/all/":   listOp("page", "per_page"),
		"/api/sca/alerts/by/":    listOp("project", "page"),
		"/api/sca/alerts/found/": listOp("project", "analysis", "page", "per_page"),
	})
	if s := results(doc, api.Endpoints())["alerts"].Suggestion; s == nil || s.APIPaths != "alerts=/api/sca/alerts/found/" {
		t.Errorf("suggestion = %+v", s)
	}
}

func TestReplacementsNone(t *testing.T) {
	t.Parallel()
	doc := spectacular(t, map[string]any{
		"/api/sca/alerts/": nil, "/api/sca/alerts/{id}/": nil, "/api/container/alerts/": nil,
		"/api/sca/components/": nil, "/api/analyses/groups/sca/status/": nil, "/api/analyses/history/{id}/alerts/": nil,
	})
	r := results(doc, api.Endpoints())["alerts"]
	if r.Presence != Missing || r.Suggestion != nil {
		t.Fatalf("alerts = %+v, want missing without a suggestion", r)
	}
	if want := "not in the document; no path of the document with GET and the same placeholders resembles it"; r.Finding != want {
		t.Errorf("finding = %q, want %q", r.Finding, want)
	}
}

// TestReplacementsOtherMethod: a path the document has only with another
// method is said so, and the same method is looked for elsewhere.
func TestReplacementsOtherMethod(t *testing.T) {
	t.Parallel()
	doc := spectacular(t, map[string]any{
		"/api/analyses/projects/sca/start/": map[string]any{"get": map[string]any{"operationId": "status"}},
	})
	r := results(doc, api.Endpoints())["start"]
	if r.Presence != MethodMissing || !strings.HasPrefix(r.Finding, "the document has /api/analyses/projects/sca/start/ only with GET") {
		t.Errorf("start = %q: %s", r.Presence, r.Finding)
	}
	if r.Suggestion == nil || r.Suggestion.APIPaths != "start=/api/analyses/sca/start/" {
		t.Errorf("start suggestion = %+v", r.Suggestion)
	}
}

func TestStems(t *testing.T) {
	t.Parallel()
	for in, want := range map[string][]string{
		"policy_alerts": {"policy", "alert"}, "policies": {"policy"}, "analyses": {"analys"}, "analysis": {"analys"},
		"sca": {"sca"}, "overall-sca": {"overall", "sca"}, "Projects": {"project"}, "class": {"class"},
	} {
		if got := stems(in); !cmp.Equal(got, want) {
			t.Errorf("stems(%q) = %v, want %v", in, got, want)
		}
	}
}
