package simulator

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestStatusFaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		fault      Fault
		wantStatus int
		wantType   string
		wantBody   string // a substring
	}{
		{"503 JSON by default", Fault{Kind: FaultStatus}, 503, "application/json",
			`{"detail":"Service temporarily unavailable, try again later."}`},
		{"500 JSON", Fault{Kind: FaultStatus, Status: 500}, 500, "application/json", `"A server error occurred."`},
		{"502 HTML from the proxy", Fault{Kind: FaultStatus, Status: 502, HTML: true}, 502, "text/html",
			"<center><h1>502 Bad Gateway</h1></center>"},
		{"504 HTML", Fault{Kind: FaultStatus, Status: 504, HTML: true}, 504, "text/html", "504 Gateway Timeout"},
		{"401", Fault{Kind: FaultStatus, Status: 401}, 401, "application/json", `"Invalid token."`},
		{"403 with detail", Fault{Kind: FaultStatus, Status: 403, Detail: "Project access denied."}, 403,
			"application/json", `"Project access denied."`},
		{"404", Fault{Kind: FaultStatus, Status: 404}, 404, "application/json", `"Not found."`},
		{"501", Fault{Kind: FaultStatus, Status: 501}, 501, "application/json", `"Not implemented."`},
		{"418 without a default", Fault{Kind: FaultStatus, Status: 418}, 418, "application/json", `"I'm a teapot"`},
		{"429 seconds", Fault{Kind: FaultRateLimit, RetryAfter: "7"}, 429, "application/json",
			"Expected available in 7 seconds."},
		{"429 default", Fault{Kind: FaultRateLimit}, 429, "application/json", "Expected available in 1 seconds."},
		{"429 HTTP date", Fault{Kind: FaultRateLimit, RetryAfter: "Thu, 26 Nov 2026 10:00:30 GMT"}, 429,
			"application/json", `"Request was throttled."`},
		{"invalid JSON", Fault{Kind: FaultInvalidJSON}, 200, "application/json", `"results": [`},
		{"login page", Fault{Kind: FaultLoginPage}, 200, "text/html; charset=utf-8", `<form method="post"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := New(demoOptions(newClock()))
			tc.fault.Times = 1
			id := s.Inject(tc.fault)
			rec := call(t, s, http.MethodGet, "/api/policies/", testToken, "")
			if rec.Code != tc.wantStatus {
				t.Errorf("status = %d, want %d", rec.Code, tc.wantStatus)
			}
			if got := rec.Header().Get("Content-Type"); got != tc.wantType {
				t.Errorf("Content-Type = %q, want %q", got, tc.wantType)
			}
			if !strings.Contains(rec.Body.String(), tc.wantBody) {
				t.Errorf("body = %q, want it to contain %q", rec.Body.String(), tc.wantBody)
			}
			if tc.fault.Kind == FaultRateLimit {
				want := tc.fault.RetryAfter
				if want == "" {
					want = "1"
				}
				if got := rec.Header().Get("Retry-After"); got != want {
					t.Errorf("Retry-After = %q, want %q", got, want)
				}
			}
			if tc.wantStatus == 200 && json.Valid(rec.Body.Bytes()) {
				t.Errorf("200 body is valid JSON, want it not to be: %s", rec.Body.String())
			}
			if got := call(t, s, http.MethodGet, "/api/policies/", testToken, "").Code; got != 200 {
				t.Errorf("status after the fault is spent = %d, want 200", got)
			}
			if got := s.FaultHits(id); got != 1 {
				t.Errorf("FaultHits = %d, want 1", got)
			}
		})
	}
}

func TestFaultBurstThenRecover(t *testing.T) {
	t.Parallel()
	s := New(demoOptions(newClock()))
	id := s.Inject(Fault{Kind: FaultStatus, Status: 502, Times: 3})
	var got []int
	for range 5 {
		got = append(got, call(t, s, http.MethodGet, "/api/projects/340/", testToken, "").Code)
	}
	if diff := cmp.Diff([]int{502, 502, 502, 200, 200}, got); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	if hits := s.FaultHits(id); hits != 3 {
		t.Errorf("FaultHits = %d, want 3", hits)
	}
}

func TestFaultMatching(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		fault  Fault
		method string
		target string
		want   bool
	}{
		{"any request", Fault{}, "GET", "/cs/api/policies/", true},
		{"path prefix matches", Fault{PathPrefix: "/api/sca/"}, "GET", "/cs/api/sca/policy_alerts/?project=340", true},
		{"path prefix differs", Fault{PathPrefix: "/api/sca/"}, "GET", "/cs/api/policies/", false},
		{"path prefix is below the server prefix", Fault{PathPrefix: "/cs/api/"}, "GET", "/cs/api/policies/", false},
		{"outside the server prefix", Fault{PathPrefix: "/api/"}, "GET", "/api/policies/", false},
		{"method matches", Fault{Method: "post"}, "POST", "/cs" + startPath, true},
		{"method differs", Fault{Method: "POST"}, "GET", "/cs/api/policies/", false},
		{"query matches", Fault{QueryContains: "page=3"}, "GET", "/cs/api/policies/?page=3&per_page=1", true},
		{"query differs", Fault{QueryContains: "page=3"}, "GET", "/cs/api/policies/?page=2&per_page=1", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			opts := demoOptions(newClock())
			opts.Prefix = "/cs"
			s := New(opts)
			tc.fault.Kind, tc.fault.Status = FaultStatus, 599
			s.Inject(tc.fault)
			got := call(t, s, tc.method, tc.target, testToken, `{"project": 340}`).Code == 599
			if got != tc.want {
				t.Errorf("fault answered = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestFaultOrderAndRemoval(t *testing.T) {
	t.Parallel()
	s := New(demoOptions(newClock()))
	first := s.Inject(Fault{Kind: FaultStatus, Status: 500, Times: 1})
	second := s.Inject(Fault{Kind: FaultStatus, Status: 503})
	status := func() int { return call(t, s, http.MethodGet, "/api/policies/", testToken, "").Code }
	if got := status(); got != 500 {
		t.Errorf("first status = %d, want 500 (first injected first)", got)
	}
	if got := status(); got != 503 {
		t.Errorf("second status = %d, want 503", got)
	}
	if got := status(); got != 503 {
		t.Errorf("third status = %d, want 503 (Times 0 lasts)", got)
	}
	s.RemoveFault(second)
	s.RemoveFault(second)
	if got := status(); got != 200 {
		t.Errorf("status after RemoveFault = %d, want 200", got)
	}
	if a, b := s.FaultHits(first), s.FaultHits(second); a != 1 || b != 2 {
		t.Errorf("FaultHits = %d, %d, want 1, 2", a, b)
	}
	s.Inject(Fault{Kind: FaultStatus})
	s.Inject(Fault{Kind: FaultLoginPage})
	s.ClearFaults()
	if got := status(); got != 200 {
		t.Errorf("status after ClearFaults = %d, want 200", got)
	}
}

func TestFaultBeforeAuth(t *testing.T) {
	t.Parallel()
	s := New(demoOptions(newClock()))
	s.Inject(Fault{Kind: FaultStatus, Status: 502, HTML: true})
	if got := call(t, s, http.MethodGet, "/api/policies/", "", "").Code; got != 502 {
		t.Errorf("status without a token = %d, want the proxy's 502", got)
	}
}

func TestTruncatedJSON(t *testing.T) {
	t.Parallel()
	s := New(demoOptions(newClock()))
	full := call(t, s, http.MethodGet, "/api/policies/", testToken, "").Body.Bytes()
	s.Inject(Fault{Kind: FaultTruncatedJSON, Times: 1})
	rec := call(t, s, http.MethodGet, "/api/policies/", testToken, "")
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/json" {
		t.Errorf("status %d, Content-Type %q; want 200 application/json", rec.Code, rec.Header().Get("Content-Type"))
	}
	got := rec.Body.Bytes()
	if len(got) != len(full)/2 || string(got) != string(full[:len(full)/2]) {
		t.Errorf("body is %d bytes, want the first half (%d) of the full body", len(got), len(full)/2)
	}
	var v any
	if err := json.Unmarshal(got, &v); err == nil {
		t.Error("truncated body decodes, want an error")
	}
	if cl := rec.Header().Get("Content-Length"); cl != "" && cl != itoa(len(got)) {
		t.Errorf("Content-Length = %s, want %d (a complete response)", cl, len(got))
	}
}

func TestTruncatedJSONKeepsStatus(t *testing.T) {
	t.Parallel()
	s := New(demoOptions(newClock()))
	s.Inject(Fault{Kind: FaultTruncatedJSON})
	rec := call(t, s, http.MethodPost, startPath, testToken, `{"project": 340}`)
	if rec.Code != 201 {
		t.Errorf("status = %d, want the start's 201", rec.Code)
	}
	if got := s.AnalysisIDs(DemoProjectID); len(got) != 1 {
		t.Errorf("analyses = %v, want the one started before the answer broke", got)
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestLargeBody(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		size int64
		want int64
	}{
		{"default 33 MiB", 0, 33 << 20},
		{"exact size", 1<<20 + 3, 1<<20 + 3},
		{"smaller than the JSON frame", 10, 83},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := New(demoOptions(newClock()))
			base := startServer(t, s)
			s.Inject(Fault{Kind: FaultLargeBody, Size: tc.size})
			req, _ := http.NewRequest(http.MethodGet, base+"api/policies/", nil)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var head [16]byte
			if _, err := io.ReadFull(resp.Body, head[:]); err != nil {
				t.Fatal(err)
			}
			rest, err := io.Copy(io.Discard, resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			if got := rest + int64(len(head)); got != tc.want {
				t.Errorf("body is %d bytes, want %d", got, tc.want)
			}
			if resp.ContentLength != tc.want || string(head[:]) != `{"count": 1, "ne` {
				t.Errorf("Content-Length %d, head %q", resp.ContentLength, head)
			}
		})
	}
}

func TestLargeBodyIsValidJSON(t *testing.T) {
	t.Parallel()
	s := New(demoOptions(newClock()))
	s.Inject(Fault{Kind: FaultLargeBody, Size: 100_000})
	rec := call(t, s, http.MethodGet, "/api/policies/", "", "")
	if rec.Body.Len() != 100_000 || !json.Valid(rec.Body.Bytes()) {
		t.Errorf("body is %d bytes, valid JSON %v; want 100000 and valid", rec.Body.Len(), json.Valid(rec.Body.Bytes()))
	}
}

func TestResetFault(t *testing.T) {
	t.Parallel()
	s := New(demoOptions(newClock()))
	base := startServer(t, s)
	s.Inject(Fault{Kind: FaultReset, Times: 1})
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	if status, _, err := httpGet(t, client, base+"api/policies/"); err == nil {
		t.Fatalf("GET = %d, want a connection error", status)
	}
	if status, _, err := httpGet(t, client, base+"api/policies/"); err != nil || status != http.StatusOK {
		t.Fatalf("GET after the reset = %d, %v; want 200", status, err)
	}
	if got := s.Requests()[0]; got.Status != 0 || got.Fault != FaultReset {
		t.Errorf("record = %+v, want status 0 and fault reset", got)
	}
}

// manualAfter is an Options.After whose waits end when the test says.
type manualAfter struct {
	called chan time.Duration
	fire   chan time.Time
}

func newManualAfter() *manualAfter {
	return &manualAfter{called: make(chan time.Duration, 10), fire: make(chan time.Time)}
}

func (m *manualAfter) After(d time.Duration) <-chan time.Time {
	m.called <- d
	return m.fire
}

func TestSlowFault(t *testing.T) {
	t.Parallel()
	wait := newManualAfter()
	opts := demoOptions(newClock())
	opts.After = wait.After
	s := New(opts)
	s.Inject(Fault{Kind: FaultSlow, PathPrefix: alertsPath, Delay: 20 * time.Millisecond})

	done := make(chan int, 1)
	go func() { done <- call(t, s, http.MethodGet, alertsPath+"?project=340", testToken, "").Code }()
	if got := <-wait.called; got != 20*time.Millisecond {
		t.Errorf("waited %v, want 20ms", got)
	}
	select {
	case code := <-done:
		t.Fatalf("answered %d before the delay ended", code)
	default:
	}
	wait.fire <- time.Time{}
	if code := <-done; code != 200 {
		t.Errorf("status after the delay = %d, want 200", code)
	}
	// Other paths are not slowed.
	if code := call(t, s, http.MethodGet, "/api/policies/", testToken, "").Code; code != 200 {
		t.Errorf("policies status = %d, want 200", code)
	}
	if len(wait.called) != 0 {
		t.Error("a request outside the fault's path waited")
	}
}

func TestSlowFaultGivesUpWithTheClient(t *testing.T) {
	t.Parallel()
	wait := newManualAfter()
	opts := demoOptions(newClock())
	opts.After = wait.After
	s := New(opts)
	s.Inject(Fault{Kind: FaultSlow, Delay: time.Hour})
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://example.com/api/policies/", nil)
	done := make(chan int, 1)
	go func() { done <- newRecorderFor(s, req).Code }()
	<-wait.called
	cancel()
	if code := <-done; code != 200 {
		// The recorder reports 200 when nothing was written.
		t.Errorf("recorder code = %d", code)
	}
	if got := s.Requests()[0].Status; got != 0 {
		t.Errorf("recorded status = %d, want 0 (no answer)", got)
	}
}

func TestSlowFaultRealTimer(t *testing.T) {
	t.Parallel()
	s := New(demoOptions(newClock()))
	s.Inject(Fault{Kind: FaultSlow, Delay: time.Millisecond})
	if code := call(t, s, http.MethodGet, "/api/policies/", testToken, "").Code; code != 200 {
		t.Errorf("status = %d, want 200", code)
	}
}

func TestHangReleasedByClient(t *testing.T) {
	t.Parallel()
	s := New(demoOptions(newClock()))
	s.Inject(Fault{Kind: FaultHang})
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://example.com/api/policies/", nil)
	done := make(chan struct{})
	go func() { newRecorderFor(s, req); close(done) }()
	waitFor(t, func() bool { return s.Count("GET", "/api/policies/") == 1 })
	select {
	case <-done:
		t.Fatal("hung request returned before the client gave up")
	default:
	}
	cancel()
	<-done
}

// waitFor polls cond until it holds; it fails the test after a generous
// deadline. It measures nothing: it only waits for another goroutine.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached in 10 s")
		}
		time.Sleep(time.Millisecond)
	}
}

// TestHangNoLeakAfterClose is not parallel: it counts goroutines.
func TestHangNoLeakAfterClose(t *testing.T) {
	before := runtime.NumGoroutine()
	s := New(demoOptions(newClock()))
	base, err := s.Start("")
	if err != nil {
		t.Fatal(err)
	}
	s.Inject(Fault{Kind: FaultHang, PathPrefix: "/api/policies/"})
	s.Inject(Fault{Kind: FaultSlow, PathPrefix: "/api/projects/", Delay: time.Hour})
	transport := &http.Transport{}
	client := &http.Client{Transport: transport} // no timeout: only Close ends the requests
	errs := make(chan error, 4)
	for _, p := range []string{"api/policies/", "api/policies/", "api/projects/340/", "api/projects/"} {
		go func() {
			_, _, err := httpGet(t, client, base+p)
			errs <- err
		}()
	}
	waitFor(t, func() bool { return len(s.Requests()) == 4 })

	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	s.hmu.Lock()
	handlers := s.handlers
	s.hmu.Unlock()
	if handlers != 0 {
		t.Errorf("%d handlers still running after Close", handlers)
	}
	for range 4 {
		if err := <-errs; err == nil {
			t.Error("a hung request got an answer, want a connection error")
		} else if errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("request error = %v", err)
		}
	}
	transport.CloseIdleConnections()
	waitFor(t, func() bool { return runtime.NumGoroutine() <= before })
}

func TestHangInForeignServerReleasedByClose(t *testing.T) {
	t.Parallel()
	s := New(demoOptions(newClock()))
	ts := httptest.NewServer(s)
	defer ts.Close()
	s.Inject(Fault{Kind: FaultHang})
	type result struct {
		status int
		err    error
	}
	done := make(chan result, 1)
	go func() {
		status, _, err := httpGet(t, ts.Client(), ts.URL+"/api/policies/")
		done <- result{status, err}
	}()
	waitFor(t, func() bool { return s.Count("", "/api/policies/") == 1 })
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if got := <-done; got.err == nil {
		t.Errorf("hung request answered %d, want a connection error", got.status)
	}
}
