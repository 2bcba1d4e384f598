package doctor

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
	"github.com/codescoring-gate/codescoring-gate/internal/i18n"
	"github.com/codescoring-gate/codescoring-gate/internal/simulator"
	"github.com/codescoring-gate/codescoring-gate/internal/textwrap"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatalf("update %s: %v", path, err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run with -update to create it): %v", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got):\n%s", path, diff)
	}
}

// sampleReport has a check of every status, skipped checks and endpoints of
// every presence.
func sampleReport() *Report {
	eps := api.Paths{"policies": "/api/v2/policies/"}.Table()
	at := func(name string) api.Endpoint {
		for _, e := range eps {
			if e.Name == name {
				return e
			}
		}
		panic("no endpoint " + name)
	}
	return &Report{
		URL:      "https://codescoring.example.com/",
		Document: "/api/schema/",
		Project:  &api.Project{ID: 340, Name: "payments-service", ProjectType: "vcs", PolicyStage: "source"},
		Checks: []Check{
			{Name: CheckURL, Status: Pass, Finding: "https://codescoring.example.com/ is an installation root"},
			{Name: CheckTLS, Status: Warn, Finding: "TLS 1.3: it expires in 3d", Fix: "renew CodeScoring's TLS certificate"},
			{Name: CheckEndpoints, Status: Fail, Finding: "1 of 7 endpoints the gate calls are not served as it calls them",
				Fix: "open an issue for codescoring-gate"},
		},
		Endpoints: []EndpointResult{
			{Endpoint: at("GetProject"), Presence: Present, Source: SourceDocument, Finding: "as /api/projects/{pk}/"},
			{Endpoint: at("StartAnalysis"), Presence: MethodMissing, Source: SourceDocument, Finding: "the document has /api/analyses/projects/sca/start/ only with GET"},
			{Endpoint: at("Policies"), Presence: NoTrailingSlash, Source: SourceDocument, Finding: "the document has /api/v2/policies: the trailing slash differs"},
			{Endpoint: at("Alerts"), Presence: Missing, Source: SourceDocument,
				Finding: "not in the document; the likeliest replacement is /api/sca/alerts/ (of 2 candidates): set api-paths alerts=/api/sca/alerts/",
				Suggestion: &Suggestion{Path: "/api/sca/alerts/", APIPaths: "alerts=/api/sca/alerts/", Candidates: []Candidate{
					{Path: "/api/sca/alerts/", Score: 7, Why: "last segment alerts like policy_alerts; below sca; query parameters project, analysis"},
					{Path: "/api/container/alerts/", Score: 3, Why: "last segment alerts like policy_alerts; query parameters project; no analysis parameter"},
				}}},
		},
		Skipped:           []string{CheckAnalyses, CheckPolicies},
		APIPaths:          "policies=/api/v2/policies/",
		SuggestedAPIPaths: "policies=/api/v2/policies/, alerts=/api/sca/alerts/",
	}
}

// TestWriteGolden pins the text and JSON renderings of a report.
func TestWriteGolden(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		write func(*bytes.Buffer, *Report) error
		file  string
	}{
		{"text", func(b *bytes.Buffer, r *Report) error { return WriteText(b, r) }, "report.txt"},
		{"json", func(b *bytes.Buffer, r *Report) error { return WriteJSON(b, r) }, "report.json"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var b bytes.Buffer
			if err := tc.write(&b, sampleReport()); err != nil {
				t.Fatalf("write: %v", err)
			}
			golden(t, tc.file, b.Bytes())
		})
	}
}

// unwrapped is a width no line of a test's report reaches: the report as
// one line per finding, fix and endpoint.
const unwrapped = 1 << 20

// TestWriteTextWraps checks that the text report keeps to the terminal's
// width (the default's too) in both languages and loses no word doing so.
func TestWriteTextWraps(t *testing.T) {
	t.Parallel()
	for _, lang := range i18n.Languages {
		var flat bytes.Buffer
		if err := WriteTextIn(&flat, sampleReport(), lang, unwrapped); err != nil {
			t.Fatal(err)
		}
		for _, width := range []int{0, 80} {
			var b bytes.Buffer
			if err := WriteTextIn(&b, sampleReport(), lang, width); err != nil {
				t.Fatal(err)
			}
			want := width
			if want <= 0 {
				want = textwrap.DefaultWidth
			}
			for i, l := range strings.Split(b.String(), "\n") {
				if n := utf8.RuneCountInString(l); n > want {
					t.Errorf("%s, width %d: line %d has %d characters: %q", lang, width, i+1, n, l)
				}
			}
			if !slices.Equal(strings.Fields(b.String()), strings.Fields(flat.String())) {
				t.Errorf("%s, width %d: the wrapped report's words differ from the unwrapped one's:\n%s", lang, width, b.String())
			}
			if b.String() == flat.String() {
				t.Errorf("%s, width %d: nothing was wrapped", lang, width)
			}
		}
	}
}

// TestWriteTextSummary checks the last line for each overall outcome.
func TestWriteTextSummary(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		checks []Status
		want   string
	}{
		{"all pass", []Status{Pass, Pass}, "All checks passed: the gate fits this installation (exit 0).\n"},
		{"warnings", []Status{Pass, Warn, Warn}, "No check failed, 2 warnings: the gate can run; read the warnings (exit 0).\n"},
		{"failures", []Status{Fail, Warn, Pass}, "1 check failed, 1 warning: the gate will not work with this setup yet (exit 1).\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := &Report{URL: "https://cs.example.com/"}
			for i, s := range tc.checks {
				r.Checks = append(r.Checks, Check{Name: checkOrder[i], Status: s, Finding: "f", Fix: "x"})
			}
			var b bytes.Buffer
			if err := WriteText(&b, r); err != nil {
				t.Fatalf("WriteText() error = %v", err)
			}
			if got := b.String(); !bytes.HasSuffix([]byte(got), []byte("\n"+tc.want)) {
				t.Errorf("WriteText() =\n%s\nwant it to end with %q", got, tc.want)
			}
		})
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// TestWriteErrors checks that the renderers return the writer's error.
func TestWriteErrors(t *testing.T) {
	t.Parallel()
	if err := WriteText(failingWriter{}, sampleReport()); err == nil {
		t.Error("WriteText() to a failing writer = nil, want an error")
	}
	if err := WriteJSON(failingWriter{}, sampleReport()); err == nil {
		t.Error("WriteJSON() to a failing writer = nil, want an error")
	}
}

func keys(m map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// TestWriteJSONShape checks the JSON schema of real runs: the keys, the
// status values, and lists that are never null.
func TestWriteJSONShape(t *testing.T) {
	t.Parallel()
	env := startSim(t, simulator.Options{SchemaOmit: []simulator.Endpoint{simulator.EndpointAlerts}}, false, nil)
	refused := env.options()
	u := *env.url
	u.Host = "127.0.0.1:1" // nothing listens on port 1
	refused.URL = &u
	tests := []struct {
		name        string
		opts        Options
		wantOK      bool
		wantExit    float64
		wantProject bool
		endpoints   int
	}{
		{"endpoint missing", env.options(), false, 1, true, 7},
		{"nothing reachable", refused, false, 1, false, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, _, out := run(t, tc.opts)
			var got map[string]any
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatalf("the JSON report does not decode: %v\n%s", err, out)
			}
			if diff := cmp.Diff([]string{"api_paths", "checks", "document", "endpoints", "exit_code", "ok", "project", "skipped", "suggested_api_paths", "url"}, keys(got)); diff != "" {
				t.Errorf("report keys (-want +got):\n%s", diff)
			}
			if got["ok"] != tc.wantOK || got["exit_code"] != tc.wantExit {
				t.Errorf("ok, exit_code = %v, %v; want %v, %v", got["ok"], got["exit_code"], tc.wantOK, tc.wantExit)
			}
			if (got["project"] != nil) != tc.wantProject {
				t.Errorf("project = %v, want present: %v", got["project"], tc.wantProject)
			}
			for _, list := range []string{"checks", "endpoints", "skipped"} {
				if _, ok := got[list].([]any); !ok {
					t.Errorf("%s = %#v, want a JSON array", list, got[list])
				}
			}
			checks, _ := got["checks"].([]any)
			for _, c := range checks {
				c := c.(map[string]any)
				if diff := cmp.Diff([]string{"finding", "fix", "name", "status"}, keys(c)); diff != "" {
					t.Errorf("check keys (-want +got):\n%s", diff)
				}
				if s := c["status"]; s != "pass" && s != "warn" && s != "fail" {
					t.Errorf("check %v: status %v, want pass, warn or fail", c["name"], s)
				}
			}
			eps, _ := got["endpoints"].([]any)
			if len(eps) != tc.endpoints {
				t.Errorf("%d endpoints, want %d", len(eps), tc.endpoints)
			}
			for _, e := range eps {
				e := e.(map[string]any)
				if diff := cmp.Diff([]string{"assumed", "default_path", "finding", "key", "method", "name", "path", "presence", "source", "status", "suggestion"}, keys(e)); diff != "" {
					t.Errorf("endpoint keys (-want +got):\n%s", diff)
				}
				if e["name"] == "Alerts" && (e["status"] != "fail" || e["presence"] != "missing") {
					t.Errorf("Alerts endpoint = %v, want status fail, presence missing", e)
				}
			}
		})
	}
}

// TestFormat covers the small formatting helpers.
func TestFormat(t *testing.T) {
	t.Parallel()
	en, ru := i18n.New(i18n.English), i18n.New(i18n.Russian)
	blockers := func(p i18n.Printer, n int) string { return p.N("doctor.policies.ok", n, "at stage source", "x") }
	tests := []struct {
		name, got, want string
	}{
		{"seconds", humanDuration(en, 45*time.Second), "45s"},
		{"minutes", humanDuration(en, 12*time.Minute+30*time.Second), "12m"},
		{"hours", humanDuration(en, 47*time.Hour), "47h"},
		{"days", humanDuration(en, 72*time.Hour), "3d"},
		{"negative", humanDuration(en, -time.Hour), "0s"},
		{"plural one", blockers(en, 1), "1 active blocker policy at stage source: x"},
		{"plural other", blockers(en, 2), "2 active blocker policies at stage source: x"},
		{"Russian one", blockers(ru, 21), "21 активная политика-блокер at stage source: x"},
		{"Russian few", blockers(ru, 3), "3 активные политики-блокера at stage source: x"},
		{"Russian many", blockers(ru, 11), "11 активных политик-блокеров at stage source: x"},
		{"Russian days", humanDuration(ru, 72*time.Hour), "3 дн."},
		{"Russian minutes", humanDuration(ru, 12*time.Minute), "12 мин"},
		{"Russian list", listOf(ru, []string{"a", "b", "c"}, 2), "a, b и еще 1"},
		{"Russian or list", orList(ru, []string{"dev", "source", "build"}), "dev, source или build"},
		{"list", listOf(en, []string{"a", "b", "c"}, 2), "a, b and 1 more"},
		{"or list", orList(en, []string{"dev", "source", "build"}), "dev, source or build"},
		{"or list of one", orList(en, []string{"dev"}), "dev"},
		{"clip", clip("a  long\nmessage", 8), "a long …"},
		{"title", htmlTitle([]byte("<html><TITLE>\n  Sign in\n | SSO </TITLE>")), "Sign in | SSO"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if tc.got != tc.want {
				t.Errorf("got %q, want %q", tc.got, tc.want)
			}
		})
	}
}
