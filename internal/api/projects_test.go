package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestGetProject(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		body    string
		want    *Project
		wantErr string
	}{
		{
			name: "contract example",
			body: `{"id": 340, "name": "payments-service", "project_type": "vcs",
				"repository": "https://github.com/acme/payments-service", "policy_stage": "source"}`,
			want: &Project{ID: 340, Name: "payments-service", ProjectType: "vcs",
				Repository: "https://github.com/acme/payments-service", PolicyStage: "source"},
		},
		{
			name: "pk, unknown fields and nulls",
			body: `{"pk": 340, "name": "p", "repository": null, "policy_stage": null, "owner": {"x": 1}, "tags": [1, 2]}`,
			want: &Project{ID: 340, Name: "p"},
		},
		{
			name: "id wins over pk, id as string",
			body: `{"id": "340", "pk": 1, "name": "p"}`,
			want: &Project{ID: 340, Name: "p"},
		},
		{
			name:    "no id",
			body:    `{"name": "p"}`,
			wantErr: "CodeScoring's answer from the project endpoint (/cs/api/projects/340/) is not what the gate expects: the project has no id or pk field",
		},
		{
			name:    "a list instead of an object",
			body:    `[{"id": 340}]`,
			wantErr: "CodeScoring returned invalid JSON from /cs/api/projects/340/: expected a JSON object",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			mux := http.NewServeMux()
			mux.HandleFunc("GET /api/projects/340/", jsonHandler(http.StatusOK, tc.body))
			env := newTestEnv(t, mux)
			got, err := env.client.GetProject(context.Background(), 340)
			if tc.wantErr != "" {
				var de *DecodeError
				if !errors.As(err, &de) {
					t.Fatalf("GetProject error = %v, want a *DecodeError", err)
				}
				if err.Error() != tc.wantErr {
					t.Errorf("GetProject error = %q, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("GetProject: %v", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("GetProject (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFindProject(t *testing.T) {
	t.Parallel()
	project := func(id int, name string) map[string]any { return map[string]any{"id": id, "name": name} }
	// 120 filler projects push the match onto the second page.
	var many []map[string]any
	for i := range 120 {
		many = append(many, project(1000+i, "payments-service-fork-"+strings.Repeat("x", i%3)))
	}
	tests := []struct {
		name     string
		projects []map[string]any
		search   string
		want     *Project
		wantNear []string // names of near matches, for *ProjectNotFoundError
		wantAmb  []int64  // ids, for *AmbiguousProjectError
	}{
		{
			name:     "exact match, ignoring case",
			projects: []map[string]any{project(1, "payments-service-old"), project(340, "Payments-Service")},
			search:   "payments-service",
			want:     &Project{ID: 340, Name: "Payments-Service"},
		},
		{
			name:     "match on the second page",
			projects: append(many, project(340, "payments-service")),
			search:   "payments-service",
			want:     &Project{ID: 340, Name: "payments-service"},
		},
		{
			name: "none, near matches both ways",
			projects: []map[string]any{project(1, "payments-service-old"), project(2, "payments"),
				project(3, "unrelated (matched by repository)")},
			search:   "payments-service",
			wantNear: []string{"payments-service-old", "payments"},
		},
		{
			name:     "none, at most 10 near matches",
			projects: many,
			search:   "payments-service",
			// The closest first: of the 120, the 40 one edit nearer.
			wantNear: slices.Repeat([]string{"payments-service-fork-"}, 10),
		},
		{
			name:     "ambiguous",
			projects: []map[string]any{project(7, "api"), project(8, "API"), project(9, "api-gw")},
			search:   "api",
			wantAmb:  []int64{7, 8},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			mux := http.NewServeMux()
			mux.HandleFunc("GET /api/projects/", func(w http.ResponseWriter, r *http.Request) {
				if got := r.URL.Query().Get("search"); got != tc.search && (tc.wantNear == nil || !strings.Contains(tc.search, got)) {
					t.Errorf("search = %q, want %q (or a part of it, for near matches)", got, tc.search)
				}
				servePages(t, w, r, tc.projects, withCount)
			})
			env := newTestEnv(t, mux)
			got, err := env.client.FindProject(context.Background(), " "+tc.search+" ")
			var nf *ProjectNotFoundError
			var amb *AmbiguousProjectError
			switch {
			case tc.wantNear != nil:
				if !errors.As(err, &nf) {
					t.Fatalf("FindProject error = %v, want *ProjectNotFoundError", err)
				}
				var names []string
				for _, p := range nf.Near {
					names = append(names, p.Name)
				}
				if diff := cmp.Diff(tc.wantNear, names); diff != "" {
					t.Errorf("near matches (-want +got):\n%s", diff)
				}
				checkContains(t, err.Error(), `no CodeScoring project is named "payments-service"; near matches: "`+tc.wantNear[0]+`"`)
				checkNoAdvice(t, err.Error())
				if c := ClassOf(err); c != Config {
					t.Errorf("ClassOf = %s, want %s", c, Config)
				}
			case tc.wantAmb != nil:
				if !errors.As(err, &amb) {
					t.Fatalf("FindProject error = %v, want *AmbiguousProjectError", err)
				}
				var ids []int64
				for _, p := range amb.Matches {
					ids = append(ids, p.ID)
				}
				if diff := cmp.Diff(tc.wantAmb, ids); diff != "" {
					t.Errorf("ambiguous ids (-want +got):\n%s", diff)
				}
			default:
				if err != nil {
					t.Fatalf("FindProject: %v", err)
				}
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("FindProject (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestFindProjectEmptyName(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, http.NotFoundHandler())
	_, err := env.client.FindProject(context.Background(), "  ")
	if err == nil {
		t.Fatal("FindProject(\"\"): want an error")
	}
	checkContains(t, err.Error(), "`project` input")
}

// TestFindProjectTypo searches a server whose search is a substring match,
// as DRF's is, for names with typos: the near matches come from searches
// for parts of the name, closest first, and a name not found costs at most
// 3 requests.
func TestFindProjectTypo(t *testing.T) {
	t.Parallel()
	names := []string{"payments-service", "payments-gateway", "payroll", "orders-service", "billing-service",
		"inventory", "notifications-service", "@acme/web-app", "Payments.Service.Legacy"}
	tests := []struct {
		search   string
		wantNear []string
		// wantSearches are the searches made, in order.
		wantSearches []string
	}{
		{"payment-service", []string{"payments-service"}, []string{"payment-service", "payment", "service"}},
		{"paymnets-service", []string{"payments-service"}, []string{"paymnets-service", "paymnets", "service"}},
		{"invertory", []string{"inventory"}, []string{"invertory", "inv", "ory"}},
		{"Payments-Service-Legacy", []string{"Payments.Service.Legacy", "payments-service"}, []string{"Payments-Service-Legacy", "Payments", "Service"}},
		// Too short to split: one search; the closest name first.
		{"pay", []string{"payroll", "payments-service", "payments-gateway", "Payments.Service.Legacy"}, []string{"pay"}},
		{"acme/webapp", []string{"@acme/web-app"}, []string{"acme/webapp", "webapp", "acme"}},
		{"xyz-nothing-like-it", nil, []string{"xyz-nothing-like-it", "nothing", "like"}},
	}
	for _, tc := range tests {
		t.Run(tc.search, func(t *testing.T) {
			t.Parallel()
			var (
				mu       sync.Mutex
				searches []string
			)
			mux := http.NewServeMux()
			mux.HandleFunc("GET /api/projects/", func(w http.ResponseWriter, r *http.Request) {
				q := r.URL.Query().Get("search")
				mu.Lock()
				searches = append(searches, q)
				mu.Unlock()
				items := []map[string]any{}
				for i, n := range names {
					if strings.Contains(strings.ToLower(n), strings.ToLower(q)) {
						items = append(items, map[string]any{"id": 340 + i, "name": n})
					}
				}
				servePages(t, w, r, items, withCount)
			})
			env := newTestEnv(t, mux)
			_, err := env.client.FindProject(context.Background(), tc.search)
			var nf *ProjectNotFoundError
			if !errors.As(err, &nf) {
				t.Fatalf("FindProject error = %v, want *ProjectNotFoundError", err)
			}
			var got []string
			for _, p := range nf.Near {
				got = append(got, p.Name)
			}
			if diff := cmp.Diff(tc.wantNear, got); diff != "" {
				t.Errorf("near matches (-want +got):\n%s", diff)
			}
			if len(tc.wantNear) > 0 {
				checkContains(t, err.Error(), fmt.Sprintf("near matches: %q (id", tc.wantNear[0]))
			}
			if diff := cmp.Diff(tc.wantSearches, searches); diff != "" || len(searches) > maxFindRequests {
				t.Errorf("searches (-want +got), at most %d:\n%s", maxFindRequests, diff)
			}
		})
	}
}

// TestFindProjectTypoSearchFails keeps the answer "not found" when a search
// for near matches fails, and stops the searches when the context ends.
func TestFindProjectTypoSearchFails(t *testing.T) {
	t.Parallel()
	var n counter
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/projects/", func(w http.ResponseWriter, r *http.Request) {
		if n.inc() > 1 {
			jsonHandler(http.StatusBadRequest, `{"search": ["bad"]}`)(w, r)
			return
		}
		jsonHandler(http.StatusOK, `{"count": 0, "next": null, "results": []}`)(w, r)
	})
	env := newTestEnv(t, mux)
	_, err := env.client.FindProject(context.Background(), "payment-service")
	var nf *ProjectNotFoundError
	if !errors.As(err, &nf) || len(nf.Near) != 0 {
		t.Fatalf("FindProject error = %v, want *ProjectNotFoundError without near matches", err)
	}
	if got := n.get(); got != maxFindRequests {
		t.Errorf("%d requests, want %d", got, maxFindRequests)
	}
}

func TestEditDistance(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"abc", "", 3}, {"", "abc", 3}, {"payment-service", "payments-service", 1},
		{"kitten", "sitting", 3}, {"invertory", "inventory", 1}, {"ёлка", "елка", 1},
	} {
		if got := EditDistance(tc.a, tc.b); got != tc.want {
			t.Errorf("EditDistance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}
