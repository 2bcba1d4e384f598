package gitlabtest

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// get returns the answer's status, headers and body.
func get(t *testing.T, url string, header map[string]string) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, b
}

// TestListPagesAsGitLab checks the fake's paging headers: X-Next-Page,
// X-Total and a Link header with next, on every page but the last.
func TestListPagesAsGitLab(t *testing.T) {
	t.Parallel()
	s := New(t, "/api/v4", "group/app")
	s.AddToken("tok", User{ID: 1, Username: "bot"})
	s.SetHead(3, "abc")
	for range 3 {
		s.AddNote(3, User{ID: 2, Username: "alice"}, "hi", false)
	}
	base := s.APIURL + "/projects/group%2Fapp/merge_requests/3/notes?per_page=2"
	_, h, body := get(t, base, map[string]string{"PRIVATE-TOKEN": "tok"})
	var page []map[string]any
	if err := json.Unmarshal(body, &page); err != nil {
		t.Fatal(err)
	}
	if len(page) != 2 || h.Get("X-Next-Page") != "2" || h.Get("X-Total") != "3" ||
		!strings.Contains(h.Get("Link"), `page=2&per_page=2>; rel="next"`) {
		t.Errorf("page 1: %d notes, headers %v", len(page), h)
	}
	_, last, _ := get(t, base+"&page=2", map[string]string{"PRIVATE-TOKEN": "tok"})
	if last.Get("X-Next-Page") != "" || strings.Contains(last.Get("Link"), `rel="next"`) {
		t.Errorf("the last page names a next page: %v", last)
	}
}

func TestAuthAsGitLab(t *testing.T) {
	t.Parallel()
	s := New(t, "/api/v4", "42")
	s.AddJobToken("job")
	s.SetHead(1, "abc")
	for _, tc := range []struct {
		path   string
		header map[string]string
		want   int
	}{
		{"/projects/42/merge_requests/1/notes", map[string]string{"JOB-TOKEN": "job"}, http.StatusOK},
		{"/user", map[string]string{"JOB-TOKEN": "job"}, http.StatusForbidden},
		{"/user", map[string]string{"PRIVATE-TOKEN": "wrong"}, http.StatusUnauthorized},
		{"/projects/43/merge_requests/1/notes", map[string]string{"JOB-TOKEN": "job"}, http.StatusNotFound},
	} {
		if got, _, _ := get(t, s.APIURL+tc.path, tc.header); got != tc.want {
			t.Errorf("GET %s with %v: %d, want %d", tc.path, tc.header, got, tc.want)
		}
	}
}
