package api

import (
	"context"
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
)

// testToken is a canary: no error or log line may ever contain it.
const testToken = "canary-t0ken-5ecret-f00d"

// prefix is where the fake server mounts the API, so that a request that
// ignores the base URL's path fails loudly.
const prefix = "/cs"

// fakeClock is a clock that only moves when the client sleeps.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)}
}

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sleeps = append(f.sleeps, d)
	f.now = f.now.Add(d)
	return nil
}

func (f *fakeClock) Sleeps() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.sleeps...)
}

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
	server *httptest.Server
	clock  *fakeClock
	logs   *logBuffer
}

// newTestEnv starts a server that serves mux under /cs/ and a client of it
// with a fake clock. Requests outside /cs/ fail the test.
func newTestEnv(t *testing.T, mux http.Handler, opts ...Option) *testEnv {
	t.Helper()
	root := http.NewServeMux()
	root.Handle(prefix+"/", http.StripPrefix(prefix, mux))
	root.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("request outside %s/: %s %s", prefix, r.Method, r.URL.Path)
		http.NotFound(w, r)
	})
	srv := httptest.NewServer(root)
	t.Cleanup(srv.Close)
	env := &testEnv{server: srv, clock: newFakeClock(), logs: &logBuffer{}}
	base := []Option{
		WithClock(env.clock.Now),
		WithSleep(env.clock.Sleep),
		WithLogger(env.logs.Logf),
		WithVersion("1.2.3"),
	}
	c, err := NewClient(srv.URL+prefix, testToken, append(base, opts...)...)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	env.client = c
	return env
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
