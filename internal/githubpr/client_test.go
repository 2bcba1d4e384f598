package githubpr

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestNewGitHubClientBaseURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		apiURL  string
		want    string
		wantErr []string
	}{
		{name: "empty is github.com", apiURL: "", want: "https://api.github.com/"},
		{name: "github.com without slash", apiURL: "https://api.github.com", want: "https://api.github.com/"},
		{name: "GHES", apiURL: "https://ghe.example.com/api/v3", want: "https://ghe.example.com/api/v3/"},
		{name: "GHES with slash", apiURL: "https://ghe.example.com/api/v3/", want: "https://ghe.example.com/api/v3/"},
		{name: "GHE.com data residency", apiURL: "https://api.acme.ghe.com", want: "https://api.acme.ghe.com/"},
		{name: "spaces around", apiURL: "  https://ghe.example.com/api/v3\n", want: "https://ghe.example.com/api/v3/"},
		{name: "http with port", apiURL: "http://127.0.0.1:8080/api/v3", want: "http://127.0.0.1:8080/api/v3/"},
		{name: "no scheme", apiURL: "ghe.example.com/api/v3", wantErr: []string{"not an absolute http(s) URL", "GITHUB_API_URL"}},
		{name: "other scheme", apiURL: "ftp://ghe.example.com/", wantErr: []string{"not an absolute http(s) URL"}},
		{name: "not a URL", apiURL: "https://ghe example.com/%zz", wantErr: []string{"not a URL", "GITHUB_API_URL"}},
		{name: "credentials in the URL", apiURL: "https://user:s3cret@ghe.example.com/api/v3", wantErr: []string{"carries credentials"}},
		{name: "query", apiURL: "https://ghe.example.com/api/v3?x=1", wantErr: []string{"query or fragment"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := NewGitHubClient(testToken, tc.apiURL, nil)
			if tc.wantErr != nil {
				if err == nil {
					t.Fatalf("NewGitHubClient(%q) BaseURL = %v, want an error", tc.apiURL, c.BaseURL)
				}
				for _, w := range tc.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error = %q, want it to contain %q", err, w)
					}
				}
				for _, secret := range []string{"s3cret", testToken} {
					if strings.Contains(err.Error(), secret) {
						t.Errorf("error %q contains a secret", err)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("NewGitHubClient(%q): %v", tc.apiURL, err)
			}
			if got := c.BaseURL.String(); got != tc.want {
				t.Errorf("BaseURL = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestNewGitHubClientEmptyToken(t *testing.T) {
	t.Parallel()
	for _, token := range []string{"", "  \n"} {
		if _, err := NewGitHubClient(token, "", nil); err == nil || !strings.Contains(err.Error(), "token is empty") {
			t.Errorf("NewGitHubClient(%q) error = %v, want token is empty", token, err)
		}
	}
}

// TestNewGitHubClientRequests checks what goes over the wire to a GHES-like
// server: paths under the base path, the bearer token, the user agent, and
// 100 comments per page.
func TestNewGitHubClientRequests(t *testing.T) {
	t.Parallel()
	var (
		mu  sync.Mutex
		got []string
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.Method+" "+r.URL.RequestURI()+" auth="+r.Header.Get("Authorization")+" ua="+r.Header.Get("User-Agent"))
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		switch {
		case strings.HasSuffix(r.URL.Path, "/comments"):
			_, _ = w.Write([]byte(`[]`))
		default:
			_, _ = w.Write([]byte(`{"head":{"sha":"` + sha1 + `"}}`))
		}
	}))
	t.Cleanup(srv.Close)
	c, err := NewGitHubClient(testToken, srv.URL+"/api/v3", srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	s := NewStickyFromClient(c)
	req := baseRequest()
	req.Policy = PolicyOnFailure
	if _, err := s.Post(context.Background(), req); err != nil {
		t.Fatalf("Post: %v", err)
	}
	want := []string{"GET /api/v3/repos/acme/app/issues/12/comments?page=1&per_page=100 auth=Bearer " + testToken + " ua=codescoring-gate"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("requests mismatch (-want +got):\n%s", diff)
	}
}
