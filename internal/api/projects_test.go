package api

import (
	"context"
	"errors"
	"net/http"
	"strings"
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
			wantErr: "CodeScoring returned invalid JSON from /cs/api/projects/340/: project has neither id nor pk",
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
			wantNear: []string{"payments-service-fork-", "payments-service-fork-x", "payments-service-fork-xx",
				"payments-service-fork-", "payments-service-fork-x", "payments-service-fork-xx",
				"payments-service-fork-", "payments-service-fork-x", "payments-service-fork-xx",
				"payments-service-fork-"},
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
				if got := r.URL.Query().Get("search"); got != tc.search {
					t.Errorf("search = %q, want %q", got, tc.search)
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
