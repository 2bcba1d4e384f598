package simulator

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

const testToken = "test-token-7f3a"

// t0 is when the fake clock of every testing/synctest bubble starts.
var t0 = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// demoOptions is the demo scenario with testToken.
func demoOptions() Options {
	return Options{Scenario: DemoScenario(), Token: testToken}
}

// call sends one request straight to the handler. Its Host is example.com.
func call(t *testing.T, h http.Handler, method, target, token, body string) *httptest.ResponseRecorder {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, target, rd)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Token "+token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// decode decodes a JSON body into a generic value, failing the test when it
// is not JSON.
func decode(t *testing.T, rec *httptest.ResponseRecorder) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("body is not JSON: %v\n%s", err, rec.Body.String())
	}
	return v
}

// object decodes a JSON object body.
func object(t *testing.T, rec *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	m, ok := decode(t, rec).(map[string]any)
	if !ok {
		t.Fatalf("body is not a JSON object: %s", rec.Body.String())
	}
	return m
}

// getOK GETs target with testToken and returns the decoded object; any
// status but 200 fails the test.
func getOK(t *testing.T, h http.Handler, target string) map[string]any {
	t.Helper()
	rec := call(t, h, http.MethodGet, target, testToken, "")
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s = %d, want 200: %s", target, rec.Code, rec.Body.String())
	}
	return object(t, rec)
}

// results returns the results of an envelope.
func results(t *testing.T, page map[string]any) []map[string]any {
	t.Helper()
	raw, ok := page["results"].([]any)
	if !ok {
		t.Fatalf("results is %T, want an array: %v", page["results"], page)
	}
	out := make([]map[string]any, len(raw))
	for i, r := range raw {
		out[i] = r.(map[string]any)
	}
	return out
}

// startServer starts s on a loopback port and closes it when the test ends.
func startServer(t *testing.T, s *Server) string {
	t.Helper()
	base, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return base
}

// httpGet GETs url with testToken over the network and returns the status
// and the body, read whole and closed.
func httpGet(t *testing.T, client *http.Client, url string) (status int, body []byte, err error) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Token "+testToken)
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err = io.ReadAll(resp.Body)
	return resp.StatusCode, body, err
}

// num reads a JSON number as int64.
func num(t *testing.T, v any) int64 {
	t.Helper()
	f, ok := v.(float64)
	if !ok {
		t.Fatalf("%v is %T, want a number", v, v)
	}
	return int64(f)
}

// newRecorderFor serves req and returns the recorded answer.
func newRecorderFor(h http.Handler, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}
