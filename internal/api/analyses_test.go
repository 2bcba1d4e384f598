package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const analysisJSON = `{"id": 977, "project": 340, "status": "in_progress",
 "branch_or_tag": "feature/login", "commit": "9fceb02d0ae598e95dc970b74767f19372d61af8",
 "started_at": "2026-11-26T10:15:00Z", "finished_at": null,
 "dependencies_count": 12, "vulnerabilities_count": 3, "error": null, "extra": {"nested": true}}`

var analysisWant = &Analysis{ID: 977, Project: 340, Status: StatusInProgress, BranchOrTag: "feature/login",
	Commit: "9fceb02d0ae598e95dc970b74767f19372d61af8", StartedAt: time.Date(2026, 11, 26, 10, 15, 0, 0, time.UTC),
	DependenciesCount: 12, VulnerabilitiesCount: 3}

func TestStartAnalysis(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		req      StartRequest
		status   int
		answer   string
		wantBody map[string]any
		want     *Analysis
		wantErr  error // compared with cmp on the *AlreadyRunningError
	}{
		{
			name:     "201 with branch and commit",
			req:      StartRequest{Project: 340, BranchOrTag: "feature/login", Commit: "9fceb02d0ae598e95dc970b74767f19372d61af8"},
			status:   http.StatusCreated,
			answer:   analysisJSON,
			wantBody: map[string]any{"project": 340.0, "branch_or_tag": "feature/login", "commit": "9fceb02d0ae598e95dc970b74767f19372d61af8"},
			want:     analysisWant,
		},
		{
			name:     "202 with server defaults",
			req:      StartRequest{Project: 340},
			status:   http.StatusAccepted,
			answer:   analysisJSON,
			wantBody: map[string]any{"project": 340.0},
			want:     analysisWant,
		},
		{
			name:     "409 names the running analysis",
			req:      StartRequest{Project: 340},
			status:   http.StatusConflict,
			answer:   `{"detail": "SCA analysis is already running", "analysis_id": 977}`,
			wantBody: map[string]any{"project": 340.0},
			wantErr:  &AlreadyRunningError{AnalysisID: 977, Detail: "SCA analysis is already running"},
		},
		{
			name:     "409 without analysis_id",
			req:      StartRequest{Project: 340},
			status:   http.StatusConflict,
			answer:   `{"detail": "SCA analysis is already running"}`,
			wantBody: map[string]any{"project": 340.0},
			wantErr:  &AlreadyRunningError{Detail: "SCA analysis is already running"},
		},
		{
			name:     "409 as an HTML page",
			req:      StartRequest{Project: 340},
			status:   http.StatusConflict,
			answer:   `<html><body>Conflict</body></html>`,
			wantBody: map[string]any{"project": 340.0},
			wantErr:  &AlreadyRunningError{},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			mux := http.NewServeMux()
			mux.HandleFunc("POST /api/analyses/projects/sca/start/", func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				var got map[string]any
				if err := json.Unmarshal(b, &got); err != nil {
					t.Errorf("request body %q: %v", b, err)
				}
				if diff := cmp.Diff(tc.wantBody, got); diff != "" {
					t.Errorf("request body (-want +got):\n%s", diff)
				}
				jsonHandler(tc.status, tc.answer)(w, r)
			})
			env := newTestEnv(t, mux)
			got, err := env.client.StartAnalysis(context.Background(), tc.req)
			if tc.wantErr != nil {
				var running *AlreadyRunningError
				if !errors.As(err, &running) {
					t.Fatalf("StartAnalysis error = %v, want *AlreadyRunningError", err)
				}
				if diff := cmp.Diff(tc.wantErr, running); diff != "" {
					t.Errorf("StartAnalysis error (-want +got):\n%s", diff)
				}
				return
			}
			if err != nil {
				t.Fatalf("StartAnalysis: %v", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("StartAnalysis (-want +got):\n%s", diff)
			}
		})
	}
}

func TestStartAnalysisForbidden(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/analyses/projects/sca/start/",
		jsonHandler(http.StatusForbidden, `{"detail": "You do not have permission to perform this action."}`))
	env := newTestEnv(t, mux)
	_, err := env.client.StartAnalysis(context.Background(), StartRequest{Project: 340})
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusForbidden {
		t.Fatalf("StartAnalysis error = %v, want a 403 *APIError", err)
	}
	checkContains(t, err.Error(), "403 Forbidden", "You do not have permission")
	checkNoAdvice(t, err.Error())
}

func TestGetAnalysis(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body string
		want *Analysis
	}{
		{name: "contract example", body: analysisJSON, want: analysisWant},
		{
			name: "finished with error, pk, nested project, offsets",
			body: `{"pk": 5, "project": {"id": 340, "name": "p"}, "status": "failed",
				"started_at": "2026-11-26T12:15:00+02:00", "finished_at": "2026-11-26T10:20:00.5Z",
				"dependencies_count": null, "error": "clone failed: repository not found"}`,
			want: &Analysis{ID: 5, Project: 340, Status: StatusFailed,
				StartedAt:  time.Date(2026, 11, 26, 10, 15, 0, 0, time.UTC),
				FinishedAt: time.Date(2026, 11, 26, 10, 20, 0, 5e8, time.UTC),
				Error:      "clone failed: repository not found"},
		},
		{
			name: "error as an object",
			body: `{"id": 6, "status": "failed", "error": {"code": "E42", "message": "boom"}}`,
			want: &Analysis{ID: 6, Status: StatusFailed, Error: `{"code":"E42","message":"boom"}`},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			mux := http.NewServeMux()
			mux.HandleFunc("GET /api/analyses/projects/history/977/", jsonHandler(http.StatusOK, tc.body))
			env := newTestEnv(t, mux)
			got, err := env.client.GetAnalysis(context.Background(), 977)
			if err != nil {
				t.Fatalf("GetAnalysis: %v", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("GetAnalysis (-want +got):\n%s", diff)
			}
			if logs := env.logs.Lines(); len(logs) != 0 {
				t.Errorf("logs = %q, want none for a known status", logs)
			}
		})
	}
}

func TestGetAnalysisInvalidTime(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/analyses/projects/history/1/",
		jsonHandler(http.StatusOK, `{"id": 1, "status": "success", "started_at": "26.11.2026 10:15"}`))
	env := newTestEnv(t, mux)
	_, err := env.client.GetAnalysis(context.Background(), 1)
	var de *DecodeError
	if !errors.As(err, &de) {
		t.Fatalf("GetAnalysis error = %v, want *DecodeError", err)
	}
	checkContains(t, err.Error(), "CodeScoring returned invalid JSON from /cs/api/analyses/projects/history/1/: ", "RFC 3339")
}

func TestUnknownStatusLoggedOnce(t *testing.T) {
	t.Parallel()
	statuses := map[string]string{"1": "queued", "2": "queued", "3": "cloning", "4": "success"}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/analyses/projects/history/{id}/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"id": %s, "status": %q}`, r.PathValue("id"), statuses[r.PathValue("id")])
	})
	env := newTestEnv(t, mux)
	for _, id := range []int64{1, 2, 1, 3, 4, 3} {
		a, err := env.client.GetAnalysis(context.Background(), id)
		if err != nil {
			t.Fatalf("GetAnalysis(%d): %v", id, err)
		}
		if a.Status.Finished() != (id == 4) {
			t.Errorf("analysis %d with status %q: Finished() = %v", id, a.Status, a.Status.Finished())
		}
	}
	got := env.logs.Lines()
	want := []string{
		`CodeScoring reported analysis 1 with unknown status "queued": treating it as not finished`,
		`CodeScoring reported analysis 3 with unknown status "cloning": treating it as not finished`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("logs (-want +got):\n%s", diff)
	}
}

func TestRecentAnalyses(t *testing.T) {
	t.Parallel()
	analyses := func(n int) []map[string]any {
		return numbered(n, 1, map[string]any{"project": 340, "status": "success"})
	}
	tests := []struct {
		name        string
		limit       int
		items       []map[string]any
		mode        pageMode
		wantPerPage string
		wantIDs     []int64
	}{
		{name: "limit 10", limit: 10, items: analyses(3), wantPerPage: "10", wantIDs: []int64{1, 2, 3}},
		{name: "limit over 100 asks 100", limit: 150, items: analyses(2), wantPerPage: "100", wantIDs: []int64{1, 2}},
		{name: "bare array cut to limit", limit: 2, items: analyses(5), mode: bareArray, wantPerPage: "2", wantIDs: []int64{1, 2}},
		{name: "one page only", limit: 3, items: analyses(7), wantPerPage: "3", wantIDs: []int64{1, 2, 3}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var requests counter
			mux := http.NewServeMux()
			mux.HandleFunc("GET /api/analyses/projects/history/", func(w http.ResponseWriter, r *http.Request) {
				requests.inc()
				q := r.URL.Query()
				for k, want := range map[string]string{"project": "340", "ordering": "-started_at", "page": "1", "per_page": tc.wantPerPage} {
					if got := q.Get(k); got != want {
						t.Errorf("query %s = %q, want %q", k, got, want)
					}
				}
				servePages(t, w, r, tc.items, tc.mode)
			})
			env := newTestEnv(t, mux)
			got, err := env.client.RecentAnalyses(context.Background(), 340, tc.limit)
			if err != nil {
				t.Fatalf("RecentAnalyses: %v", err)
			}
			var ids []int64
			for _, a := range got {
				ids = append(ids, a.ID)
			}
			if diff := cmp.Diff(tc.wantIDs, ids); diff != "" {
				t.Errorf("ids (-want +got):\n%s", diff)
			}
			if got := requests.get(); got != 1 {
				t.Errorf("requests = %d, want 1", got)
			}
		})
	}
}

func TestRecentAnalysesZeroLimit(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("unexpected request %s", r.URL)
	})
	env := newTestEnv(t, mux)
	got, err := env.client.RecentAnalyses(context.Background(), 340, 0)
	if err != nil || len(got) != 0 {
		t.Errorf("RecentAnalyses(limit 0) = %v, %v; want nothing, nil", got, err)
	}
}

func TestRecentAnalysesUnknownStatusLogged(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/analyses/projects/history/",
		jsonHandler(http.StatusOK, `[{"id": 2, "status": "queued"}, {"id": 1, "status": "queued"}]`))
	env := newTestEnv(t, mux)
	if _, err := env.client.RecentAnalyses(context.Background(), 340, 10); err != nil {
		t.Fatal(err)
	}
	if got := env.logs.Lines(); len(got) != 1 || !strings.Contains(got[0], `"queued"`) {
		t.Errorf("logs = %q, want one line about \"queued\"", got)
	}
}
