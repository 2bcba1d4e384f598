package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/codescoring-gate/codescoring-gate/internal/testnet"
)

func TestAPIErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		method      string // GET /api/projects/1/ or POST /api/analyses/projects/sca/start/
		status      int
		contentType string
		body        string
		want        *APIError
		wantMsg     []string
		wantClass   Class
	}{
		{
			name: "400 field errors", status: 400,
			body: `{"per_page": ["Ensure this value is less than or equal to 100."], "project": "Invalid pk.", "non_field_errors": [{"code": "x"}]}`,
			want: &APIError{StatusCode: 400, Method: "GET", Path: "/cs/api/projects/1/", Endpoint: "project", ContentType: "application/json",
				FieldErrors: map[string][]string{
					"per_page":         {"Ensure this value is less than or equal to 100."},
					"project":          {"Invalid pk."},
					"non_field_errors": {`{"code":"x"}`},
				}},
			wantMsg: []string{"CodeScoring answered GET /cs/api/projects/1/ with 400 Bad Request",
				`per_page: "Ensure this value is less than or equal to 100."`, `project: "Invalid pk."`},
			wantClass: Config,
		},
		{
			name: "401", status: 401, body: `{"detail": "Invalid token."}`,
			want: &APIError{StatusCode: 401, Method: "GET", Path: "/cs/api/projects/1/", Endpoint: "project", ContentType: "application/json",
				Detail: "Invalid token."},
			wantMsg:   []string{`CodeScoring answered GET /cs/api/projects/1/ with 401 Unauthorized ("Invalid token.")`},
			wantClass: Config,
		},
		{
			name: "401 with an empty body", status: 401,
			want:      &APIError{StatusCode: 401, Method: "GET", Path: "/cs/api/projects/1/", Endpoint: "project", ContentType: "application/json"},
			wantMsg:   []string{"with 401 Unauthorized"},
			wantClass: Config,
		},
		{
			name: "403 reading", status: 403, body: `{"detail": "You do not have permission to perform this action."}`,
			want: &APIError{StatusCode: 403, Method: "GET", Path: "/cs/api/projects/1/", Endpoint: "project", ContentType: "application/json",
				Detail: "You do not have permission to perform this action."},
			wantMsg:   []string{"403 Forbidden", `("You do not have permission to perform this action.")`},
			wantClass: Config,
		},
		{
			name: "403 starting", method: "POST", status: 403, body: `{"detail": "no"}`,
			want: &APIError{StatusCode: 403, Method: "POST", Path: "/cs/api/analyses/projects/sca/start/", Endpoint: "start",
				ContentType: "application/json", Detail: "no"},
			wantMsg:   []string{`POST /cs/api/analyses/projects/sca/start/ with 403 Forbidden ("no")`},
			wantClass: Config,
		},
		{
			name: "404", status: 404, body: `{"detail": "Not found."}`,
			want: &APIError{StatusCode: 404, Method: "GET", Path: "/cs/api/projects/1/", Endpoint: "project", ContentType: "application/json",
				Detail: "Not found."},
			wantMsg:   []string{`GET /cs/api/projects/1/ with 404 Not Found ("Not found.")`},
			wantClass: Config,
		},
		{
			name: "404 as an HTML page", status: 404, contentType: "text/html; charset=utf-8", body: "<!doctype html><h1>Not Found</h1>",
			want: &APIError{StatusCode: 404, Method: "GET", Path: "/cs/api/projects/1/", Endpoint: "project",
				ContentType: "text/html; charset=utf-8", NotJSON: true},
			wantMsg:   []string{"404 Not Found as an HTML page instead of JSON (from a proxy in front of CodeScoring?)"},
			wantClass: Config,
		},
		{
			name: "401 as plain text", status: 401, contentType: "text/plain", body: "Unauthorized",
			want:      &APIError{StatusCode: 401, Method: "GET", Path: "/cs/api/projects/1/", Endpoint: "project", ContentType: "text/plain", NotJSON: true},
			wantMsg:   []string{`with a "text/plain" body instead of JSON`},
			wantClass: Config,
		},
		{
			name: "501 not retried", status: 501, body: `{"detail": "Not implemented."}`,
			want: &APIError{StatusCode: 501, Method: "GET", Path: "/cs/api/projects/1/", Endpoint: "project", ContentType: "application/json",
				Detail: "Not implemented."},
			wantMsg:   []string{`501 Not Implemented ("Not implemented.")`},
			wantClass: Config,
		},
		{
			name: "a list of messages", status: 418, body: `["first", "second"]`,
			want: &APIError{StatusCode: 418, Method: "GET", Path: "/cs/api/projects/1/", Endpoint: "project", ContentType: "application/json",
				Detail: "first; second"},
			wantMsg:   []string{`418 I'm a teapot ("first; second")`},
			wantClass: Config,
		},
		{
			name: "detail that is not a string", status: 400, body: `{"detail": {"reason": "x"}}`,
			want: &APIError{StatusCode: 400, Method: "GET", Path: "/cs/api/projects/1/", Endpoint: "project", ContentType: "application/json",
				FieldErrors: map[string][]string{"detail": {`{"reason":"x"}`}}},
		},
		{
			name: "token echoed by the server", status: 401,
			body: `{"detail": "Token ` + testToken + ` is expired.", "token": ["` + testToken + `"]}`,
			want: &APIError{StatusCode: 401, Method: "GET", Path: "/cs/api/projects/1/", Endpoint: "project", ContentType: "application/json",
				Detail: "Token [redacted] is expired.", FieldErrors: map[string][]string{"token": {"[redacted]"}}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var requests counter
			h := func(w http.ResponseWriter, r *http.Request) {
				requests.inc()
				ct := tc.contentType
				if ct == "" {
					ct = "application/json"
				}
				w.Header().Set("Content-Type", ct)
				w.WriteHeader(tc.status)
				io.WriteString(w, tc.body)
			}
			mux := http.NewServeMux()
			mux.HandleFunc("GET /api/projects/1/", h)
			mux.HandleFunc("POST /api/analyses/projects/sca/start/", h)
			env := newTestEnv(t, mux)
			var err error
			if tc.method == "POST" {
				_, err = env.client.StartAnalysis(context.Background(), StartRequest{Project: 1})
			} else {
				_, err = env.client.GetProject(context.Background(), 1)
			}
			var got *APIError
			if !errors.As(err, &got) {
				t.Fatalf("error = %v, want *APIError", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("APIError (-want +got):\n%s", diff)
			}
			checkContains(t, err.Error(), tc.wantMsg...)
			checkNoAdvice(t, err.Error())
			if tc.wantMsg != nil {
				if c := ClassOf(err); c != tc.wantClass {
					t.Errorf("ClassOf = %s, want %s", c, tc.wantClass)
				}
			}
			checkNoToken(t, "error", err.Error())
			if n := requests.get(); n != 1 {
				t.Errorf("requests = %d, want 1 (not retried)", n)
			}
		})
	}
}

func TestSuccessThatIsNotJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		contentType string
		body        string
		wantHTML    bool
		wantMsg     string // the whole message for a *DecodeError
	}{
		{name: "HTML login page", contentType: "text/html", body: "<html><form>Sign in</form></html>", wantHTML: true},
		{name: "HTML with a JSON content type", contentType: "application/json", body: "\n  <!DOCTYPE html><p>proxy</p>", wantHTML: true},
		{name: "HTML content type, empty body", contentType: "text/html; charset=utf-8", body: "", wantHTML: true},
		{name: "truncated JSON", contentType: "application/json", body: `{"id": 1, "na`,
			wantMsg: "CodeScoring returned invalid JSON from /cs/api/projects/1/: unexpected end of JSON input"},
		{name: "plain text", contentType: "text/plain", body: "OK",
			wantMsg: "CodeScoring returned invalid JSON from /cs/api/projects/1/: expected a JSON object"},
		{name: "empty", contentType: "application/json", body: "",
			wantMsg: "CodeScoring returned invalid JSON from /cs/api/projects/1/: expected a JSON object"},
		{name: "wrong type of a field", contentType: "application/json", body: `{"id": 1, "name": 5}`,
			wantMsg: "CodeScoring returned invalid JSON from /cs/api/projects/1/: json: cannot unmarshal number into Go struct field wireProject.name of type string"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var requests counter
			mux := http.NewServeMux()
			mux.HandleFunc("GET /api/projects/1/", func(w http.ResponseWriter, r *http.Request) {
				requests.inc()
				w.Header().Set("Content-Type", tc.contentType)
				io.WriteString(w, tc.body)
			})
			env := newTestEnv(t, mux)
			_, err := env.client.GetProject(context.Background(), 1)
			if tc.wantHTML {
				var he *HTMLError
				if !errors.As(err, &he) {
					t.Fatalf("error = %v, want *HTMLError", err)
				}
				checkContains(t, err.Error(), "GET /cs/api/projects/1/ with an HTML page instead of JSON",
					"(a proxy's login page, or the web UI rather than the API?)")
				checkNoAdvice(t, err.Error())
				if c := ClassOf(err); c != Config {
					t.Errorf("ClassOf = %s, want %s", c, Config)
				}
			} else {
				var de *DecodeError
				if !errors.As(err, &de) {
					t.Fatalf("error = %v, want *DecodeError", err)
				}
				if err.Error() != tc.wantMsg {
					t.Errorf("error = %q, want %q", err, tc.wantMsg)
				}
			}
			if n := requests.get(); n != 1 {
				t.Errorf("requests = %d, want 1 (not retried)", n)
			}
		})
	}
}

func TestJSONWithHTMLContentType(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/projects/1/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, `{"id": 1, "name": "p"}`)
	})
	env := newTestEnv(t, mux)
	got, err := env.client.GetProject(context.Background(), 1)
	if err != nil || got.Name != "p" {
		t.Errorf("GetProject = %v, %v; want project p: a JSON body wins over its content type", got, err)
	}
}

func TestListWithoutResults(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/policies/", jsonHandler(http.StatusOK, `{"count": 1, "items": []}`))
	env := newTestEnv(t, mux)
	_, err := env.client.Policies(context.Background())
	if got, want := fmt.Sprint(err), `CodeScoring returned invalid JSON from /cs/api/policies/: expected a list or an object with "results"`; got != want {
		t.Errorf("error = %q, want %q", got, want)
	}
}

func TestTooLarge(t *testing.T) {
	t.Parallel()
	const size = 33 << 20
	chunk := bytes.Repeat([]byte(" "), 64<<10)
	tests := []struct {
		name          string
		contentLength bool
	}{
		{name: "with Content-Length", contentLength: true},
		{name: "chunked", contentLength: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var requests counter
			mux := http.NewServeMux()
			mux.HandleFunc("GET /api/policies/", func(w http.ResponseWriter, r *http.Request) {
				requests.inc()
				w.Header().Set("Content-Type", "application/json")
				if tc.contentLength {
					w.Header().Set("Content-Length", strconv.Itoa(size))
				}
				io.WriteString(w, "[")
				for n := 1; n < size; n += len(chunk) {
					if _, err := w.Write(chunk[:min(len(chunk), size-n)]); err != nil {
						return
					}
				}
			})
			env := newTestEnv(t, mux)
			_, err := env.client.Policies(context.Background())
			var tl *TooLargeError
			if !errors.As(err, &tl) {
				t.Fatalf("error = %v, want *TooLargeError", err)
			}
			if got, want := err.Error(), "response from /cs/api/policies/ is larger than 32 MiB"; got != want {
				t.Errorf("error = %q, want %q", got, want)
			}
			if n := requests.get(); n != 1 {
				t.Errorf("requests = %d, want 1 (not retried)", n)
			}
		})
	}
}

// TestTooLargeBoundedMemory offers an endless body: the client must stop
// reading after 32 MiB and keep its memory near that. Not parallel, so that
// the allocation count is this test's own.
func TestTooLargeBoundedMemory(t *testing.T) {
	var written atomic.Int64
	chunk := bytes.Repeat([]byte("x"), 64<<10)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/policies/", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `["`)
		for written.Load() < 1<<30 {
			n, err := w.Write(chunk)
			written.Add(int64(n))
			if err != nil {
				return
			}
		}
	})
	env, srv := newSocketEnv(t, mux)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := env.client.Policies(context.Background())
	runtime.ReadMemStats(&after)
	var tl *TooLargeError
	if !errors.As(err, &tl) {
		t.Fatalf("error = %v, want *TooLargeError", err)
	}
	srv.CloseClientConnections()
	if got := written.Load(); got > 48<<20 {
		t.Errorf("server wrote %d MiB: the client kept reading past 32 MiB", got>>20)
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > 112<<20 {
		t.Errorf("allocated %d MiB to refuse a body after 32 MiB, want at most 112", got>>20)
	}
}

func TestReadBody(t *testing.T) {
	t.Parallel()
	errBoom := errors.New("boom")
	tests := []struct {
		name    string
		r       io.Reader
		length  int64
		want    string
		wantErr error
	}{
		{name: "at the limit, length unknown", r: strings.NewReader("0123456789"), length: -1, want: "0123456789"},
		{name: "at the limit, length known", r: strings.NewReader("0123456789"), length: 10, want: "0123456789"},
		{name: "over the limit, length unknown", r: strings.NewReader("0123456789A"), length: -1, wantErr: errBodyTooLarge},
		{name: "over the limit, length known", r: strings.NewReader("0123456789A"), length: 11, wantErr: errBodyTooLarge},
		{name: "empty", r: strings.NewReader(""), length: -1, want: ""},
		{name: "short of its length", r: strings.NewReader("01"), length: 5, wantErr: io.ErrUnexpectedEOF},
		{name: "read error", r: io.MultiReader(strings.NewReader("01"), iotestErrReader{errBoom}), length: -1, wantErr: errBoom},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := readBody(tc.r, 10, tc.length)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("readBody error = %v, want %v", err, tc.wantErr)
			}
			if err == nil && string(got) != tc.want {
				t.Errorf("readBody = %q, want %q", got, tc.want)
			}
		})
	}
}

type iotestErrReader struct{ err error }

func (r iotestErrReader) Read([]byte) (int, error) { return 0, r.err }

// closedAddr returns host:port where every connection is refused.
func closedAddr(t *testing.T) string {
	t.Helper()
	return testnet.RefusedAddr(t)
}

func TestConnectionRefused(t *testing.T) {
	t.Parallel()
	addr := closedAddr(t)
	c, err := NewClient("http://"+addr+"/cs", testToken, WithRetry(0, time.Second))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetProject(context.Background(), 1)
	var ne *NetworkError
	if !errors.As(err, &ne) {
		t.Fatalf("error = %v, want *NetworkError", err)
	}
	if ne.Host != addr {
		t.Errorf("Host = %q, want %q", ne.Host, addr)
	}
	checkContains(t, err.Error(), "reach CodeScoring at "+addr+" (GET /cs/api/projects/1/)", "connection refused")
	checkNoAdvice(t, err.Error())
	if c := ClassOf(err); c != Outage {
		t.Errorf("ClassOf = %s, want %s", c, Outage)
	}
	checkNoToken(t, "error", err.Error())
}

func TestTLS(t *testing.T) {
	t.Parallel()
	var requests counter
	srv := newTLSServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.inc()
		io.WriteString(w, `{"id": 1, "name": "p"}`)
	}))
	port := srv.Listener.Addr().(*net.TCPAddr).Port
	tests := []struct {
		name    string
		url     string
		ca      bool
		wantMsg []string // nil for success
	}{
		{name: "unknown CA", url: srv.URL, wantMsg: []string{"verify the TLS certificate of " + srv.Listener.Addr().String(),
			"x509: certificate signed by unknown authority"}},
		{name: "with ca-cert", url: srv.URL, ca: true},
		{name: "wrong host name", url: fmt.Sprintf("https://localhost:%d", port), ca: true,
			wantMsg: []string{fmt.Sprintf("verify the TLS certificate of localhost:%d", port), "not valid for this host name"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			logs := &logBuffer{}
			opts := []Option{WithLogger(logs.Logf)}
			if tc.ca {
				opts = append(opts, WithCACert(serverCertPEM(t, srv)))
			}
			c, err := NewClient(tc.url+prefix, testToken, opts...)
			if err != nil {
				t.Fatal(err)
			}
			got, err := c.GetProject(context.Background(), 1)
			if tc.wantMsg == nil {
				if err != nil || got.Name != "p" {
					t.Fatalf("GetProject = %v, %v; want project p", got, err)
				}
				return
			}
			var te *TLSError
			if !errors.As(err, &te) {
				t.Fatalf("error = %v, want *TLSError", err)
			}
			checkContains(t, err.Error(), tc.wantMsg...)
			checkNoAdvice(t, err.Error())
			if c := ClassOf(err); c != Config {
				t.Errorf("ClassOf = %s, want %s", c, Config)
			}
			checkNoToken(t, "error", err.Error())
			checkNoRetry(t, "a certificate error", logs)
		})
	}
}

func TestInsecureRedirectRefused(t *testing.T) {
	t.Parallel()
	var leaked atomic.Bool
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" {
			leaked.Store(true)
		}
		io.WriteString(w, `{"id": 1}`)
	}))
	t.Cleanup(plain.Close)
	srv := newTLSServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, plain.URL+"/cs"+r.URL.Path, http.StatusFound)
	}))
	logs := &logBuffer{}
	c, err := NewClient(srv.URL+prefix, testToken, WithCACert(serverCertPEM(t, srv)), WithLogger(logs.Logf))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetProject(context.Background(), 1)
	if !errors.Is(err, ErrInsecureRedirect) {
		t.Fatalf("error = %v, want the insecure redirect refused", err)
	}
	var re *RedirectError
	if !errors.As(err, &re) {
		t.Fatalf("error = %T, want a *RedirectError", err)
	}
	checkContains(t, err.Error(), "CodeScoring at "+srv.URL+"/cs redirects to "+plain.URL+"/cs/ (302 Found to GET /cs/api/projects/1/)")
	if re.Suggested != "" {
		t.Errorf("suggested %q: plain http", re.Suggested)
	}
	if leaked.Load() {
		t.Error("the token was sent over http")
	}
	checkNoRetry(t, "a refused redirect", logs)
}

// TestTokenNeverInErrors runs the client into every kind of failure and
// checks that neither errors nor log lines carry the token.
func TestTokenNeverInErrors(t *testing.T) {
	t.Parallel()
	echo := `{"detail": "bad token ` + testToken + `", "analysis_id": 1, "x": ["` + testToken + `"]}`
	handlers := map[string]http.HandlerFunc{
		"401 echo": jsonHandler(401, echo),
		"400 echo": jsonHandler(400, echo),
		"409 echo": jsonHandler(409, echo),
		"503 echo": jsonHandler(503, echo),
		"502 html": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusBadGateway)
			io.WriteString(w, "<html>"+r.Header.Get("Authorization")+"</html>")
		},
		"200 html": func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, "<html>"+r.Header.Get("Authorization"))
		},
		"truncated": jsonHandler(200, `{"id": 1, "name": "`+testToken),
		"hang":      hang,
	}
	for name, h := range handlers {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				mux := http.NewServeMux()
				mux.Handle("/", h)
				env := newTestEnv(t, mux, WithRetry(5*time.Second, time.Second), WithRequestTimeout(50*time.Millisecond))
				var errs []error
				_, err := env.client.GetProject(context.Background(), 1)
				errs = append(errs, err)
				_, err = env.client.StartAnalysis(context.Background(), StartRequest{Project: 1})
				errs = append(errs, err)
				_, err = env.client.Alerts(context.Background(), 1, 2)
				errs = append(errs, err)
				for _, err := range errs {
					if err == nil {
						t.Fatal("want an error")
					}
					checkNoToken(t, "error", err.Error())
					checkNoToken(t, "error %+v", fmt.Sprintf("%+v", err))
				}
				for _, line := range env.logs.Lines() {
					checkNoToken(t, "log", line)
				}
			})
		})
	}
	t.Run("connection refused", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			logs := &logBuffer{}
			c, err := NewClient("http://"+closedAddr(t), testToken, WithLogger(logs.Logf))
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Policies(context.Background())
			checkNoToken(t, "error", fmt.Sprintf("%+v", err))
			for _, line := range logs.Lines() {
				checkNoToken(t, "log", line)
			}
		})
	})
}

// hang holds a request until the client gives up on it. It reads the body
// first: only then does net/http notice a client that closed the connection.
func hang(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	select {
	case <-r.Context().Done():
	case <-time.After(10 * time.Second):
	}
}

func TestProxyRefusesConnect(t *testing.T) {
	t.Parallel()
	tests := []struct {
		status    int
		wantRetry bool
		wantMsg   []string
	}{
		{status: http.StatusProxyAuthRequired, wantMsg: []string{
			"the HTTP proxy refused to connect to CodeScoring at cs.example.com: 407 Proxy Authentication Required",
			"(it wants credentials)"}},
		{status: http.StatusForbidden, wantMsg: []string{"the HTTP proxy refused to connect to CodeScoring at cs.example.com: 403 Forbidden"}},
		{status: http.StatusBadGateway, wantRetry: true, wantMsg: []string{"gave up after", "reach CodeScoring at cs.example.com", "Bad Gateway"}},
	}
	for _, tc := range tests {
		t.Run(http.StatusText(tc.status), func(t *testing.T) {
			t.Parallel()
			var connects counter
			proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method != http.MethodConnect {
					t.Errorf("proxy got %s %s, want CONNECT", r.Method, r.URL)
				}
				connects.inc()
				w.WriteHeader(tc.status)
			}))
			t.Cleanup(proxy.Close)
			proxyURL := mustURL(t, proxy.URL)
			proxyURL.User = url.UserPassword("proxyuser", "proxy-secret")
			// Real sockets on real time: retries wait a few milliseconds,
			// within a budget that a loaded machine's first CONNECT cannot
			// use up before a 502 gets its retry.
			c, err := NewClient("https://cs.example.com", testToken,
				WithTransport(&http.Transport{Proxy: http.ProxyURL(proxyURL)}),
				WithRetry(time.Second, 5*time.Millisecond))
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.GetProject(context.Background(), 1)
			if err == nil {
				t.Fatal("GetProject through a refusing proxy: want an error")
			}
			checkContains(t, err.Error(), tc.wantMsg...)
			checkNoAdvice(t, err.Error())
			if c, want := ClassOf(err), map[bool]Class{false: Config, true: Outage}[tc.wantRetry]; c != want {
				t.Errorf("ClassOf = %s, want %s", c, want)
			}
			if strings.Contains(err.Error(), "proxy-secret") {
				t.Errorf("error names the proxy's password: %v", err)
			}
			var pe *ProxyError
			if got := errors.As(err, &pe); got == tc.wantRetry {
				t.Errorf("errors.As(*ProxyError) = %v, want %v", got, !tc.wantRetry)
			}
			if n := connects.get(); (n > 1) != tc.wantRetry {
				t.Errorf("proxy asked %d times; want retries: %v", n, tc.wantRetry)
			}
		})
	}
}
