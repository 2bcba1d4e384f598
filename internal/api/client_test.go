package api

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestNewClientURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		url     string
		want    string // BaseURL; empty when an error is wanted
		wantErr string
		problem URLProblem
		suggest string // URLError.Suggested
	}{
		{name: "root without slash", url: "https://cs.example.com", want: "https://cs.example.com/"},
		{name: "root with slash", url: "https://cs.example.com/", want: "https://cs.example.com/"},
		{name: "prefix", url: "https://example.com/codescoring", want: "https://example.com/codescoring/"},
		{name: "prefix with slashes", url: " https://example.com/codescoring// ", want: "https://example.com/codescoring/"},
		{name: "http and port", url: "http://10.0.0.5:8080", want: "http://10.0.0.5:8080/"},
		{name: "deep prefix", url: "https://example.com/tools/codescoring/", want: "https://example.com/tools/codescoring/"},
		{name: "prefix that only starts with api", url: "https://example.com/apis/cs", want: "https://example.com/apis/cs/"},
		{name: "highest port", url: "https://cs.example.com:65535", want: "https://cs.example.com:65535/"},
		{name: "ipv6 with port", url: "http://[::1]:8080", want: "http://[::1]:8080/"},
		{name: "empty", url: "", wantErr: "the CodeScoring URL is empty", problem: URLEmpty},
		{name: "no scheme", url: "cs.example.com", wantErr: "the CodeScoring URL cs.example.com does not start with https:// or http://", problem: URLScheme},
		{name: "ftp", url: "ftp://cs.example.com", wantErr: "the CodeScoring URL ftp://cs.example.com does not start with https:// or http://", problem: URLScheme},
		{name: "no host", url: "https:///path", wantErr: "the CodeScoring URL https:///path has no host name", problem: URLNoHost},
		{name: "api suffix", url: "https://cs.example.com/api", wantErr: "the CodeScoring URL https://cs.example.com/api points into the API (/api)",
			problem: URLIntoAPI, suggest: "https://cs.example.com"},
		{name: "api path", url: "https://cs.example.com/api/projects/", wantErr: "points into the API (/api)", problem: URLIntoAPI, suggest: "https://cs.example.com"},
		{name: "api below a prefix", url: "https://example.com/codescoring/api/v1/", wantErr: "points into the API (/api)",
			problem: URLIntoAPI, suggest: "https://example.com/codescoring"},
		{name: "query", url: "https://cs.example.com/?a=b", wantErr: "has a query or fragment", problem: URLQuery, suggest: "https://cs.example.com"},
		{name: "credentials", url: "https://bob:hunter2@cs.example.com/", wantErr: "the CodeScoring URL https://cs.example.com/ holds a user name or password",
			problem: URLCredentials},
		{name: "port not a number", url: "https://cs.example.com:port/", wantErr: `the CodeScoring URL is not a URL (invalid port ":port" after host)`, problem: URLUnparsable},
		{name: "port out of range", url: "http://127.0.0.1:99999", wantErr: `the CodeScoring URL http://127.0.0.1:99999 has the port "99999", not a number from 1 to 65535`,
			problem: URLBadPort, suggest: "http://127.0.0.1:8443"},
		{name: "port zero", url: "https://cs.example.com:0", wantErr: `has the port "0"`, problem: URLBadPort, suggest: "https://cs.example.com:8443"},
		{name: "port of an ipv6 host out of range", url: "http://[::1]:70000", wantErr: `has the port "70000"`, problem: URLBadPort, suggest: "http://[::1]:8443"},
		{name: "empty port", url: "https://cs.example.com:", wantErr: "has an empty port", problem: URLEmptyPort},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := NewClient(tc.url, testToken)
			if tc.wantErr != "" {
				if err == nil {
					t.Fatalf("NewClient(%q) = %v, want an error", tc.url, c.BaseURL)
				}
				checkContains(t, err.Error(), tc.wantErr)
				var ue *URLError
				if !errors.As(err, &ue) {
					t.Fatalf("error %v is a %T, want a *URLError", err, err)
				}
				if ue.Problem != tc.problem || ue.Suggested != tc.suggest {
					t.Errorf("problem, suggested = %d, %q; want %d, %q", ue.Problem, ue.Suggested, tc.problem, tc.suggest)
				}
				checkNoAdvice(t, err.Error())
				if strings.Contains(err.Error(), "hunter2") {
					t.Errorf("error repeats the password: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("NewClient(%q): %v", tc.url, err)
			}
			if got := c.BaseURL.String(); got != tc.want {
				t.Errorf("BaseURL = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestNewClientToken(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		token   string
		wantErr string
	}{
		{name: "plain", token: "abc123"},
		{name: "trailing newline from a secret", token: "abc123\n"},
		{name: "empty", token: "  ", wantErr: "set the `token` input"},
		{name: "inner space", token: "abc 123", wantErr: "spaces or control characters"},
		{name: "inner newline", token: "abc\r\nX-Evil: 1", wantErr: "spaces or control characters"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := NewClient("https://cs.example.com", tc.token)
			if tc.wantErr != "" {
				if err == nil {
					t.Fatal("NewClient: want an error")
				}
				checkContains(t, err.Error(), tc.wantErr)
				if strings.Contains(err.Error(), "abc") {
					t.Errorf("error repeats the token: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("NewClient: %v", err)
			}
			if got, want := c.token, strings.TrimSpace(tc.token); got != want {
				t.Errorf("token = %q, want %q", got, want)
			}
		})
	}
}

func TestNewClientOptionErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		opt     Option
		wantErr string
	}{
		{name: "invalid PEM", opt: WithCACert([]byte("not a certificate")), wantErr: "`ca-cert` input"},
		{name: "empty PEM", opt: WithCACert(nil), wantErr: "no PEM certificate"},
		{name: "zero timeout", opt: WithRequestTimeout(0), wantErr: "not positive"},
		{name: "negative budget", opt: WithRetry(-time.Second, time.Second), wantErr: "invalid"},
		{name: "zero interval", opt: WithRetry(time.Minute, 0), wantErr: "invalid"},
		{name: "nil http client", opt: WithHTTPClient(nil), wantErr: "nil"},
		{name: "nil transport", opt: WithTransport(nil), wantErr: "nil"},
		{name: "nil logger", opt: WithLogger(nil), wantErr: "nil"},
		{name: "version with space", opt: WithVersion("1 2"), wantErr: "spaces"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := NewClient("https://cs.example.com", testToken, tc.opt)
			if err == nil {
				t.Fatal("NewClient: want an error")
			}
			checkContains(t, err.Error(), "configure CodeScoring client", tc.wantErr)
		})
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestCACertNeedsHTTPTransport(t *testing.T) {
	t.Parallel()
	pem := serverCertPEM(t, newTLSServer(t, nil))
	_, err := NewClient("https://cs.example.com", testToken,
		WithTransport(roundTripFunc(func(*http.Request) (*http.Response, error) { return nil, io.EOF })),
		WithCACert(pem))
	if err == nil {
		t.Fatal("NewClient: want an error for a non-*http.Transport with a CA certificate")
	}
	checkContains(t, err.Error(), "add ca-cert")
}

func TestDefaultTransportUsesProxyFromEnvironment(t *testing.T) {
	t.Parallel()
	c, err := NewClient("https://cs.example.com", testToken)
	if err != nil {
		t.Fatal(err)
	}
	tr, ok := c.http.Transport.(*http.Transport)
	if !ok {
		t.Fatalf("transport is %T, want *http.Transport", c.http.Transport)
	}
	if tr.Proxy == nil {
		t.Fatal("transport has no Proxy func")
	}
	got := reflect.ValueOf(tr.Proxy).Pointer()
	want := reflect.ValueOf(http.ProxyFromEnvironment).Pointer()
	if got != want {
		t.Error("transport's Proxy is not http.ProxyFromEnvironment")
	}
	if c.timeout != DefaultRequestTimeout {
		t.Errorf("timeout = %s, want %s", c.timeout, DefaultRequestTimeout)
	}
	if c.userAgent != "codescoring-gate/dev" {
		t.Errorf("user agent = %q, want codescoring-gate/dev", c.userAgent)
	}
}

func TestWithHTTPClientIsNotModified(t *testing.T) {
	t.Parallel()
	srv := newTLSServer(t, jsonHandler(http.StatusOK, `{"id": 1, "name": "p"}`))
	hc := &http.Client{}
	c, err := NewClient(srv.URL+prefix, testToken, WithHTTPClient(hc), WithCACert(serverCertPEM(t, srv)))
	if err != nil {
		t.Fatal(err)
	}
	if hc.Transport != nil || hc.CheckRedirect != nil {
		t.Error("NewClient modified the caller's http.Client")
	}
	if _, err := c.GetProject(context.Background(), 1); err != nil {
		t.Errorf("GetProject through the caller's client with the CA: %v", err)
	}
}

func TestHeaders(t *testing.T) {
	t.Parallel()
	type seen struct {
		Method, Path, Auth, Accept, UserAgent, ContentType string
		Body                                               map[string]any
	}
	var (
		mu  sync.Mutex
		got []seen
	)
	record := func(w http.ResponseWriter, r *http.Request) {
		s := seen{Method: r.Method, Path: r.URL.Path, Auth: r.Header.Get("Authorization"),
			Accept: r.Header.Get("Accept"), UserAgent: r.Header.Get("User-Agent"),
			ContentType: r.Header.Get("Content-Type")}
		if r.Body != nil {
			b, _ := io.ReadAll(r.Body)
			if len(b) > 0 {
				if err := json.Unmarshal(b, &s.Body); err != nil {
					t.Errorf("request body %q: %v", b, err)
				}
			}
		}
		mu.Lock()
		got = append(got, s)
		mu.Unlock()
		writeJSON(t, w, http.StatusCreated, map[string]any{"id": 977, "status": "pending"})
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/analyses/projects/history/977/", record)
	mux.HandleFunc("POST /api/analyses/projects/sca/start/", record)
	env := newTestEnv(t, mux)
	ctx := context.Background()
	if _, err := env.client.GetAnalysis(ctx, 977); err != nil {
		t.Fatalf("GetAnalysis: %v", err)
	}
	if _, err := env.client.StartAnalysis(ctx, StartRequest{Project: 340, BranchOrTag: "main"}); err != nil {
		t.Fatalf("StartAnalysis: %v", err)
	}
	want := []seen{
		{Method: "GET", Path: "/api/analyses/projects/history/977/", Auth: "Token " + testToken,
			Accept: "application/json", UserAgent: "codescoring-gate/1.2.3"},
		{Method: "POST", Path: "/api/analyses/projects/sca/start/", Auth: "Token " + testToken,
			Accept: "application/json", UserAgent: "codescoring-gate/1.2.3", ContentType: "application/json",
			Body: map[string]any{"project": float64(340), "branch_or_tag": "main"}},
	}
	mu.Lock()
	defer mu.Unlock()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}

func TestEndpointsTable(t *testing.T) {
	t.Parallel()
	eps := Endpoints()
	if got, want := len(eps), 7; got != want {
		t.Fatalf("len(Endpoints()) = %d, want %d", got, want)
	}
	ct := reflect.TypeOf(&Client{})
	names, keys := map[string]bool{}, map[string]bool{}
	for _, ep := range eps {
		if ep.Key == "" || keys[ep.Key] || strings.ToLower(ep.Key) != ep.Key {
			t.Errorf("endpoint %s key %q is empty, repeated or not lower case", ep.Name, ep.Key)
		}
		keys[ep.Key] = true
		if ep.Default != ep.Path || ep.Overridden() {
			t.Errorf("endpoint %s: built-in Default %q differs from Path %q", ep.Name, ep.Default, ep.Path)
		}
		if _, ok := ct.MethodByName(ep.Name); !ok {
			t.Errorf("endpoint %q names no Client method", ep.Name)
		}
		if names[ep.Name] {
			t.Errorf("endpoint %q twice", ep.Name)
		}
		names[ep.Name] = true
		if !strings.HasPrefix(ep.Path, "/api/") || !strings.HasSuffix(ep.Path, "/") {
			t.Errorf("endpoint %s path %q must start with /api/ and end with /", ep.Name, ep.Path)
		}
		if ep.Method != http.MethodGet && ep.Method != http.MethodPost {
			t.Errorf("endpoint %s method %q", ep.Name, ep.Method)
		}
	}
	eps[0].Path = "/changed/"
	eps[1].Query[0] = "changed"
	if again := Endpoints(); again[0].Path == "/changed/" || again[1].Query[0] == "changed" {
		t.Error("Endpoints() returns the table itself, not a copy")
	}
}
