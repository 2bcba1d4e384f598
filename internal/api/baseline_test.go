package api

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestBaselineAnalysis(t *testing.T) {
	t.Parallel()
	// history returns n analyses newest first: feature branches and failed
	// runs of main, with a successful main at index hit (none when -1).
	history := func(n, hit int, branch string) []map[string]any {
		items := numbered(n, 1, map[string]any{"project": 340, "status": "success", "branch_or_tag": "feature/x"})
		for i := range items {
			if i%3 == 0 {
				items[i]["branch_or_tag"], items[i]["status"] = "main", "failed"
			}
		}
		if hit >= 0 {
			items[hit]["branch_or_tag"], items[hit]["status"] = branch, "success"
			items[hit]["commit"] = "1b2e3c4d5e6f"
		}
		return items
	}
	for _, tc := range []struct {
		name         string
		ref          string
		items        []map[string]any
		mode         pageMode
		wantID       int64
		wantErr      *NoBaselineError
		wantRequests int
		wantMsg      string
	}{
		{name: "filtered by the server", ref: "main", items: history(1, 0, "main"), wantID: 1, wantRequests: 1},
		{name: "unfiltered, on page 2", ref: "main", items: history(250, 149, "main"), mode: withCount, wantID: 150, wantRequests: 2},
		{name: "refs/heads/ on either side", ref: "refs/heads/main", items: history(5, 4, "refs/heads/main"), wantID: 5, wantRequests: 1},
		{name: "bare array", ref: "main", items: history(5, 2, "main"), mode: bareArray, wantID: 3, wantRequests: 1},
		{
			name: "none in a short history", ref: "main", items: history(7, -1, ""), wantRequests: 1,
			wantErr: &NoBaselineError{Project: 340, Ref: "main", Checked: 7},
			wantMsg: "project 340 has no successful analysis of main in its history",
		},
		{
			name: "none in the pages read", ref: "main", items: history(900, 800, "main"), wantRequests: baselinePages,
			wantErr: &NoBaselineError{Project: 340, Ref: "main", Checked: 500, More: true},
			wantMsg: "project 340 has no successful analysis of main among its 500 newest analyses",
		},
		{
			name: "empty history", ref: "main", items: []map[string]any{}, wantRequests: 1,
			wantErr: &NoBaselineError{Project: 340, Ref: "main"},
			wantMsg: "project 340 has no successful analysis of main in its history",
		},
		{
			name: "another branch's success is not it", ref: "main", items: history(4, 1, "main-old"), wantRequests: 1,
			wantErr: &NoBaselineError{Project: 340, Ref: "main", Checked: 4},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var requests counter
			mux := http.NewServeMux()
			mux.HandleFunc("GET /api/analyses/projects/history/", func(w http.ResponseWriter, r *http.Request) {
				requests.inc()
				q := r.URL.Query()
				for k, want := range map[string]string{"project": "340", "ordering": "-started_at", "branch_or_tag": "main", "status": "success", "per_page": "100"} {
					if got := q.Get(k); got != want {
						t.Errorf("query %s = %q, want %q", k, got, want)
					}
				}
				servePages(t, w, r, tc.items, tc.mode)
			})
			env := newTestEnv(t, mux)
			got, err := env.client.BaselineAnalysis(context.Background(), 340, tc.ref)
			if tc.wantErr != nil {
				var nb *NoBaselineError
				if !errors.As(err, &nb) {
					t.Fatalf("BaselineAnalysis = %+v, %v; want %v", got, err, tc.wantErr)
				}
				if diff := cmp.Diff(tc.wantErr, nb); diff != "" {
					t.Errorf("error (-want +got):\n%s", diff)
				}
				if tc.wantMsg != "" && err.Error() != tc.wantMsg {
					t.Errorf("message %q, want %q", err.Error(), tc.wantMsg)
				}
			} else {
				if err != nil {
					t.Fatalf("BaselineAnalysis: %v", err)
				}
				if got.ID != tc.wantID || got.Status != StatusSuccess || got.Commit != "1b2e3c4d5e6f" {
					t.Errorf("baseline %+v, want the successful analysis %d of main", got, tc.wantID)
				}
			}
			if got := requests.get(); got != tc.wantRequests {
				t.Errorf("requests = %d, want %d", got, tc.wantRequests)
			}
		})
	}
}

func TestBaselineAnalysisServerError(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	mux.Handle("GET /api/analyses/projects/history/", jsonHandler(http.StatusForbidden, `{"detail": "You do not have permission to perform this action."}`))
	env := newTestEnv(t, mux)
	_, err := env.client.BaselineAnalysis(context.Background(), 340, "main")
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusForbidden {
		t.Fatalf("err = %v, want the 403 as an *APIError", err)
	}
	var nb *NoBaselineError
	if errors.As(err, &nb) {
		t.Error("a failed read is not 'no baseline'")
	}
}
