package githubpr

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/go-github/v62/github"
)

// DefaultAPIURL is the GitHub.com REST API, used when GITHUB_API_URL is empty.
const DefaultAPIURL = "https://api.github.com/"

// userAgent names the gate to GitHub, which asks API clients to.
const userAgent = "codescoring-gate"

// NewGitHubClient returns a go-github client that sends token as a bearer
// token to the REST API at apiURL: the value of GITHUB_API_URL, e.g.
// https://api.github.com or, on GitHub Enterprise Server,
// https://ghe.example.com/api/v3. An empty apiURL means DefaultAPIURL. The
// URL is used as given, with a trailing slash added, so relative API paths
// resolve under it. hc nil means an http.Client with a 30 s timeout.
//
// It fails when the token is empty or apiURL is not an absolute http(s) URL.
// Errors never contain the token.
func NewGitHubClient(token, apiURL string, hc *http.Client) (*github.Client, error) {
	if strings.TrimSpace(token) == "" {
		return nil, errors.New("create GitHub client: the GitHub token is empty: pass one, e.g. ${{ github.token }}")
	}
	base, err := parseAPIURL(apiURL)
	if err != nil {
		return nil, fmt.Errorf("create GitHub client: %w", err)
	}
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	c := github.NewClient(hc).WithAuthToken(token)
	c.BaseURL = base
	c.UserAgent = userAgent
	return c, nil
}

// parseAPIURL checks an API base URL and makes its path end in "/": go-github
// resolves relative paths against it, and without the slash
// https://ghe.example.com/api/v3 + "repos/…" would lose "v3".
func parseAPIURL(s string) (*url.URL, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		s = DefaultAPIURL
	}
	u, err := url.Parse(s)
	if err != nil {
		// url.Parse quotes the input, which may carry user:password.
		return nil, errors.New("parse the GitHub API URL: it is not a URL: check GITHUB_API_URL")
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("GitHub API URL %q is not an absolute http(s) URL: set GITHUB_API_URL like https://api.github.com or https://ghe.example.com/api/v3", u.Redacted())
	}
	if u.User != nil {
		return nil, fmt.Errorf("GitHub API URL %q carries credentials: remove them and pass the token instead", u.Redacted())
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("GitHub API URL %q has a query or fragment: remove it", u.Redacted())
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
		if u.RawPath != "" {
			u.RawPath += "/"
		}
	}
	return u, nil
}
