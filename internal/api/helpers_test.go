package api

import (
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/testnet"
)

// testToken is a canary: no error or log line may ever contain it.
const testToken = "canary-t0ken-5ecret-f00d"

// prefix is where the fake server mounts the API, so that a request that
// ignores the base URL's path fails loudly.
const prefix = "/cs"

// bubbleStart is when the clock of every testing/synctest bubble starts.
var bubbleStart = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// logBuffer collects the client's warnings.
type logBuffer struct {
	mu    sync.Mutex
	lines []string
}

func (l *logBuffer) Logf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
}

func (l *logBuffer) Lines() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.lines...)
}

// testEnv is a client wired to a fake server mounted under /cs/.
type testEnv struct {
	client *Client
	logs   *logBuffer

	mu    sync.Mutex
	times []time.Time // of the requests, in order
}

// testHost is where the client of a testEnv thinks the server is.
const testHost = "127.0.0.1:8080"

// newTestEnv serves mux under /cs/ in memory (testnet.Memory) to a client
// of it. Requests outside /cs/ fail the test. A test whose requests are
// retried runs in a testing/synctest bubble, where waits take no time and
// env.waits measures them.
func newTestEnv(t *testing.T, mux http.Handler, opts ...Option) *testEnv {
	t.Helper()
	env := &testEnv{logs: &logBuffer{}}
	root := http.NewServeMux()
	root.Handle(prefix+"/", http.StripPrefix(prefix, mux))
	root.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("request outside %s/: %s %s", prefix, r.Method, r.URL.Path)
		http.NotFound(w, r)
	})
	timed := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		env.mu.Lock()
		env.times = append(env.times, time.Now())
		env.mu.Unlock()
		root.ServeHTTP(w, r)
	})
	base := []Option{
		WithTransport(testnet.Memory(timed)),
		WithLogger(env.logs.Logf),
		WithVersion("1.2.3"),
	}
	c, err := NewClient("http://"+testHost+prefix, testToken, append(base, opts...)...)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	env.client = c
	return env
}

// newSocketEnv is newTestEnv on a real socket, for tests on real time that
// need one: a streamed body, a dropped connection.
func newSocketEnv(t *testing.T, mux http.Handler, opts ...Option) (*testEnv, *httptest.Server) {
	t.Helper()
	root := http.NewServeMux()
	root.Handle(prefix+"/", http.StripPrefix(prefix, mux))
	srv := httptest.NewServer(root)
	t.Cleanup(srv.Close)
	env := &testEnv{logs: &logBuffer{}}
	c, err := NewClient(srv.URL+prefix, testToken, append([]Option{WithLogger(env.logs.Logf)}, opts...)...)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	env.client = c
	return env, srv
}

// checkNoRetry fails when the client logged a retry.
func checkNoRetry(t *testing.T, what string, logs *logBuffer) {
	t.Helper()
	if r := retries(logs); len(r) != 0 {
		t.Errorf("retried %s: %q", what, r)
	}
}

// waits returns the pauses between the requests the server saw: in a
// synctest bubble every other gap is zero, so these are the retries'
// waits.
func (env *testEnv) waits() []time.Duration {
	env.mu.Lock()
	defer env.mu.Unlock()
	var out []time.Duration
	for i := 1; i < len(env.times); i++ {
		if d := env.times[i].Sub(env.times[i-1]); d > 0 {
			out = append(out, d)
		}
	}
	return out
}

// retries returns the retries the client logged.
func retries(logs *logBuffer) []string {
	var out []string
	for _, l := range logs.Lines() {
		if strings.Contains(l, "; retrying in ") {
			out = append(out, l)
		}
	}
	return out
}

// writeJSON answers v as JSON with status.
func writeJSON(t *testing.T, w http.ResponseWriter, status int, v any) {
	t.Helper()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		t.Errorf("encode answer: %v", err)
	}
}

// jsonHandler answers every request with status and the raw JSON body.
func jsonHandler(status int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		fmt.Fprint(w, body)
	}
}

// counter counts the requests of a handler.
type counter struct {
	mu sync.Mutex
	n  int
}

func (c *counter) inc() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n++
	return c.n
}

func (c *counter) get() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

// checkNoToken fails when s contains the token.
func checkNoToken(t *testing.T, what, s string) {
	t.Helper()
	if strings.Contains(s, testToken) {
		t.Errorf("%s contains the token: %s", what, s)
	}
}

// checkContains fails unless s contains every want.
func checkContains(t *testing.T, s string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(s, want) {
			t.Errorf("%q does not contain %q", s, want)
		}
	}
}

// newTLSServer starts a TLS server with httptest's self-signed certificate
// (valid for 127.0.0.1 and example.com) serving h under /cs/.
func newTLSServer(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	if h == nil {
		h = http.NotFoundHandler()
	}
	root := http.NewServeMux()
	root.Handle(prefix+"/", http.StripPrefix(prefix, h))
	srv := httptest.NewUnstartedServer(root)
	// Refused handshakes are the point of some tests; keep them out of the log.
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

// serverCertPEM returns the PEM of srv's certificate, which is its own CA.
func serverCertPEM(t *testing.T, srv *httptest.Server) []byte {
	t.Helper()
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
}

// pageMode is how servePages answers.
type pageMode int

const (
	withCount pageMode = iota // envelope with count and next
	nextOnly                  // envelope with next, without count
	bareArray                 // the whole list as a bare array
)

// servePages answers one page of items like the contract's server: page from
// 1, per_page 1..100 (over 100 is a 400 and fails the test), next as an
// absolute URL of the server's own (prefixed) path.
func servePages(t *testing.T, w http.ResponseWriter, r *http.Request, items []map[string]any, mode pageMode) {
	t.Helper()
	if mode == bareArray {
		writeJSON(t, w, http.StatusOK, items)
		return
	}
	q := r.URL.Query()
	pg, size := 1, 100
	if v := q.Get("page"); v != "" {
		pg, _ = strconv.Atoi(v)
	}
	if v := q.Get("per_page"); v != "" {
		size, _ = strconv.Atoi(v)
	}
	if size > 100 || size < 1 || pg < 1 {
		t.Errorf("%s: page %d, per_page %d out of range", r.URL.Path, pg, size)
		writeJSON(t, w, http.StatusBadRequest, map[string]any{"per_page": []string{"Ensure this value is less than or equal to 100."}})
		return
	}
	lo := min((pg-1)*size, len(items))
	hi := min(lo+size, len(items))
	body := map[string]any{"results": items[lo:hi], "next": nil, "previous": nil}
	if mode == withCount {
		body["count"] = len(items)
	}
	if hi < len(items) {
		q.Set("page", strconv.Itoa(pg+1))
		body["next"] = "http://" + r.Host + prefix + r.URL.Path + "?" + q.Encode()
	}
	writeJSON(t, w, http.StatusOK, body)
}

// numbered returns n items {"id": first+i, ...extra}.
func numbered(n, first int, extra map[string]any) []map[string]any {
	out := make([]map[string]any, n)
	for i := range out {
		m := map[string]any{"id": first + i}
		for k, v := range extra {
			m[k] = v
		}
		out[i] = m
	}
	return out
}

// checkNoAdvice fails when an error message says what to do: errors state
// facts, and gate.Advice says what to do about them.
func checkNoAdvice(t *testing.T, msg string) {
	t.Helper()
	for _, advice := range []string{"check the", "set the", "`", " input", "try again", "re-run", "HTTPS_PROXY", "doctor"} {
		if strings.Contains(msg, advice) {
			t.Errorf("the error says %q, which is advice: %s", advice, msg)
		}
	}
}
