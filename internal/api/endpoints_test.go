package api

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParsePaths(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		want    Paths
		wantErr []string // substrings of the error
		lines   int      // lines of the error when not 1
	}{
		{name: "empty", in: "", want: Paths{}},
		{name: "blank lines and commas", in: "\n , \n", want: Paths{}},
		{name: "comma-separated, as the issue writes it",
			in:   "alerts=/api/sca/alerts/, start=/api/analyses/sca/start/",
			want: Paths{"alerts": "/api/sca/alerts/", "start": "/api/analyses/sca/start/"}},
		{name: "one per line, spaces and case in names",
			in:   "  Alerts = /api/sca/alerts/\r\nanalysis=/api/scans/{id}/\n",
			want: Paths{"alerts": "/api/sca/alerts/", "analysis": "/api/scans/{id}/"}},
		{name: "unknown name lists the known ones", in: "alert=/api/sca/alerts/",
			wantErr: []string{`names no endpoint "alert"`, "project (/api/projects/{id}/)", "alerts (/api/sca/policy_alerts/)"}},
		{name: "no equals sign", in: "/api/sca/alerts/",
			wantErr: []string{`"/api/sca/alerts/" is not name=path`, "the names and their defaults: project"}},
		{name: "no leading slash", in: "alerts=api/sca/alerts/",
			wantErr: []string{"alerts=api/sca/alerts/: the path must start and end with a slash, as the default /api/sca/policy_alerts/ does"}},
		{name: "no trailing slash", in: "policies=/api/policies",
			wantErr: []string{"policies=/api/policies: the path must start and end with a slash"}},
		{name: "the root", in: "policies=/", wantErr: []string{"must start and end with a slash"}},
		{name: "a full URL", in: "alerts=https://cs.example.com/api/x/", wantErr: []string{"must start and end with a slash"}},
		{name: "a query", in: "alerts=/api/x/?a=1/", wantErr: []string{"without a query"}},
		{name: "dot segments", in: "alerts=/api/../x/", wantErr: []string{"dot segments"}},
		{name: "missing placeholder", in: "analysis=/api/scans/",
			wantErr: []string{"analysis=/api/scans/: the path must keep one {id} placeholder", "/api/analyses/projects/history/{id}/"}},
		{name: "two placeholders", in: "project=/api/{id}/projects/{id}/", wantErr: []string{"must keep one {id} placeholder"}},
		{name: "another placeholder name", in: "project=/api/projects/{pk}/", wantErr: []string{"the only placeholder is {id}"}},
		{name: "placeholder in a list", in: "alerts=/api/alerts/{id}/", wantErr: []string{"the path takes no placeholder, as the default /api/sca/policy_alerts/ takes none"}},
		{name: "twice", in: "alerts=/a/,alerts=/b/", wantErr: []string{"names alerts twice"}},
		{name: "every problem at once", in: "alert=/x/, policies=/api/p, analysis=/api/a/",
			wantErr: []string{`names no endpoint "alert"`, "policies=/api/p:", "analysis=/api/a/:"}, lines: 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParsePaths(tc.in)
			if tc.wantErr == nil {
				if err != nil {
					t.Fatalf("ParsePaths(%q) error = %v", tc.in, err)
				}
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("ParsePaths(%q) (-want +got):\n%s", tc.in, diff)
				}
				return
			}
			if err == nil {
				t.Fatalf("ParsePaths(%q) = %v, want an error", tc.in, got)
			}
			lines := strings.Split(err.Error(), "\n")
			if want := max(tc.lines, 1); len(lines) != want {
				t.Errorf("error has %d lines, want %d:\n%s", len(lines), want, err)
			}
			for _, w := range tc.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%s", w, err)
				}
			}
			for _, l := range lines {
				if !strings.HasPrefix(l, "`api-paths` ") || !strings.Contains(l, "the names and their defaults: "+keyList()) {
					t.Errorf("error line does not name the input and list the known names: %q", l)
				}
			}
		})
	}
}

func TestPathsString(t *testing.T) {
	t.Parallel()
	p := Paths{"start": "/api/analyses/sca/start/", "alerts": "/api/sca/alerts/", "policies": "/api/policies/"}
	// Table order; an override equal to the default says nothing.
	if got, want := p.String(), "start=/api/analyses/sca/start/, alerts=/api/sca/alerts/"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	again, err := ParsePaths(p.String())
	if err != nil || again["alerts"] != "/api/sca/alerts/" || len(again) != 2 {
		t.Errorf("ParsePaths(String()) = %v, %v", again, err)
	}
	if got := (Paths{}).String(); got != "" {
		t.Errorf("empty String() = %q", got)
	}
}

func TestWithPathsCallsTheOverride(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/scans/{id}/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(t, w, http.StatusOK, map[string]any{"id": r.PathValue("id"), "status": "success"})
	})
	mux.HandleFunc("GET /api/sca/alerts/", func(w http.ResponseWriter, r *http.Request) {
		if got := r.URL.Query().Get("analysis"); got != "7" {
			t.Errorf("alerts query analysis = %q, want 7", got)
		}
		writeJSON(t, w, http.StatusOK, map[string]any{"count": 1, "results": []any{map[string]any{"id": 1, "status": "active"}}})
	})
	paths := Paths{"analysis": "/api/scans/{id}/", "alerts": "/api/sca/alerts/"}
	env := newTestEnv(t, mux, WithPaths(paths))
	a, err := env.client.GetAnalysis(context.Background(), 7)
	if err != nil || a.ID != 7 || a.Status != StatusSuccess {
		t.Fatalf("GetAnalysis = %+v, %v", a, err)
	}
	alerts, err := env.client.Alerts(context.Background(), 340, 7)
	if err != nil || len(alerts) != 1 {
		t.Fatalf("Alerts = %+v, %v", alerts, err)
	}
	if diff := cmp.Diff(paths, env.client.Paths()); diff != "" {
		t.Errorf("Paths() (-want +got):\n%s", diff)
	}
	for _, e := range env.client.Endpoints() {
		switch e.Key {
		case "analysis":
			if e.Path != "/api/scans/{id}/" || e.Default != "/api/analyses/projects/history/{id}/" || !e.Overridden() {
				t.Errorf("analysis endpoint = %+v", e)
			}
		case "alerts":
			if !e.Overridden() {
				t.Errorf("alerts endpoint = %+v, want overridden", e)
			}
		default:
			if e.Overridden() || e.Path != e.Default {
				t.Errorf("endpoint %s = %+v, want the default", e.Key, e)
			}
		}
	}
}

// TestTableIsPerClient runs two clients with different tables at once: an
// override of one never leaks into the other, nor into Endpoints().
func TestTableIsPerClient(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/policies/", jsonHandler(http.StatusOK, `[{"id": 1}]`))
	mux.HandleFunc("GET /api/v2/policies/", jsonHandler(http.StatusOK, `[{"id": 2}, {"id": 3}]`))
	plain := newTestEnv(t, mux)
	moved := newTestEnv(t, mux, WithPaths(Paths{"policies": "/api/v2/policies/"}))
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if ps, err := plain.client.Policies(context.Background()); err != nil || len(ps) != 1 {
				t.Errorf("default client Policies = %v, %v", ps, err)
			}
		})
		wg.Go(func() {
			if ps, err := moved.client.Policies(context.Background()); err != nil || len(ps) != 2 {
				t.Errorf("overridden client Policies = %v, %v", ps, err)
			}
		})
	}
	wg.Wait()
	if got := Endpoints()[epListPolicies].Path; got != "/api/policies/" {
		t.Errorf("built-in table changed: policies = %q", got)
	}
}

func TestWithPathsRefusesBadPaths(t *testing.T) {
	t.Parallel()
	for _, p := range []Paths{{"alert": "/x/"}, {"alerts": "x"}, {"analysis": "/api/scans/"}} {
		_, err := NewClient("https://cs.example.com", testToken, WithPaths(p))
		if err == nil || !strings.Contains(err.Error(), "`api-paths`") {
			t.Errorf("NewClient(WithPaths(%v)) error = %v, want an api-paths error", p, err)
		}
	}
}

// TestErrorsNameTheEndpoint: a failed call's error says which entry of the
// table it came from, and whether api-paths set it, so that the advice can
// name it.
func TestErrorsNameTheEndpoint(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/analyses/projects/history/{id}/", jsonHandler(http.StatusOK, `{"id": 5, "project": 340}`))
	mux.HandleFunc("GET /api/sca/alerts/", jsonHandler(http.StatusOK, `{"count": 1, "results": [{"id": 1}]}`))
	env := newTestEnv(t, mux, WithPaths(Paths{"alerts": "/api/sca/alerts/", "policies": "/api/v2/policies/"}))

	_, err := env.client.GetAnalysis(context.Background(), 5)
	var de *DecodeError
	var mf *MissingFieldError
	if !errors.As(err, &de) || !errors.As(err, &mf) {
		t.Fatalf("GetAnalysis without status: error = %v, want a *DecodeError with a *MissingFieldError", err)
	}
	if de.Endpoint != "analysis" || de.Overridden || mf.Object != "analysis" || mf.Fields[0] != "status" {
		t.Errorf("DecodeError = %+v, MissingFieldError = %+v", de, mf)
	}
	if got, want := err.Error(), "CodeScoring's answer from the analysis endpoint (/cs/api/analyses/projects/history/5/) "+
		"is not what the gate expects: the analysis has no status field"; got != want {
		t.Errorf("error = %q, want %q", got, want)
	}

	_, err = env.client.Policies(context.Background())
	var ae *APIError
	if !errors.As(err, &ae) || ae.Endpoint != "policies" || !ae.Overridden || ae.StatusCode != http.StatusNotFound {
		t.Fatalf("Policies at an overridden path that is not served: error = %#v", err)
	}

	_, err = env.client.RecentAnalyses(context.Background(), 340, 1)
	if !errors.As(err, &ae) || ae.Endpoint != "analyses" || ae.Overridden {
		t.Fatalf("RecentAnalyses 404: error = %#v", err)
	}
}

// FuzzParsePaths feeds arbitrary api-paths values to the parser: it never
// panics, and what it accepts the client accepts and writes back the same.
func FuzzParsePaths(f *testing.F) {
	for _, s := range []string{"alerts=/api/sca/alerts/", "analysis=/api/scans/{id}/\nstart=/x/", "project=/{id}/{id}/",
		"=", ",,\n", "alerts=/a b/", "policies=/api/%zz/", "ALERTS = /x/ , alerts=/y/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePaths(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "`api-paths` ") {
				t.Errorf("error %q does not name the input", err)
			}
			return
		}
		if err := CheckPaths(p); err != nil {
			t.Errorf("ParsePaths(%q) accepted %v, CheckPaths refuses it: %v", s, p, err)
		}
		again, err := ParsePaths(p.String())
		if err != nil || again.String() != p.String() {
			t.Errorf("String() %q does not parse back: %v, %v", p.String(), again, err)
		}
		if _, err := NewClient("https://cs.example.com", testToken, WithPaths(p)); err != nil {
			t.Errorf("NewClient refuses the accepted %v: %v", p, err)
		}
	})
}
