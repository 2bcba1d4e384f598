package simulator

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestRequestRecording(t *testing.T) {
	t.Parallel()
	clock := newClock()
	opts := demoOptions(clock)
	opts.Prefix = "/cs"
	s := New(opts)
	call(t, s, http.MethodGet, "/cs/api/projects/340/", testToken, "")
	clock.Advance(time.Second)
	call(t, s, http.MethodGet, "/cs/api/policies/?page=1&per_page=100", "wrong", "")
	clock.Advance(time.Second)
	call(t, s, http.MethodGet, "/cs/api/policies/?per_page=500", testToken, "")
	s.Inject(Fault{Kind: FaultStatus, Status: 503, Times: 1})
	call(t, s, http.MethodPost, "/cs"+startPath, testToken, `{"project": 340}`)
	call(t, s, http.MethodPost, "/cs"+startPath, testToken, `{"project": 340}`)
	call(t, s, http.MethodGet, "/api/projects/340/", testToken, "")

	want := []Request{
		{Method: "GET", Path: "/api/projects/340/", Time: t0, Authorized: true, Status: 200},
		{Method: "GET", Path: "/api/policies/", Query: "page=1&per_page=100", Time: t0.Add(time.Second), Status: 401},
		{Method: "GET", Path: "/api/policies/", Query: "per_page=500", Time: t0.Add(2 * time.Second), Authorized: true, Status: 400},
		{Method: "POST", Path: startPath, Time: t0.Add(2 * time.Second), Authorized: true, Status: 503, Fault: FaultStatus},
		{Method: "POST", Path: startPath, Time: t0.Add(2 * time.Second), Authorized: true, Status: 201},
		{Method: "GET", Path: "/api/projects/340/", Time: t0.Add(2 * time.Second), Authorized: true, Status: 404},
	}
	if diff := cmp.Diff(want, s.Requests()); diff != "" {
		t.Errorf("Requests (-want +got):\n%s", diff)
	}

	counts := []struct {
		method, prefix string
		want           int
	}{
		{"", "", 6},
		{"GET", "/api/", 4},
		{"get", "/api/policies/", 2},
		{"POST", "/api/analyses/", 2},
		{"DELETE", "", 0},
	}
	for _, c := range counts {
		if got := s.Count(c.method, c.prefix); got != c.want {
			t.Errorf("Count(%q, %q) = %d, want %d", c.method, c.prefix, got, c.want)
		}
	}
	if got := s.MaxPerPage(); got != 500 {
		t.Errorf("MaxPerPage = %d, want 500 (also of a rejected request)", got)
	}

	s.ResetRequests()
	if got := len(s.Requests()); got != 0 || s.MaxPerPage() != 0 {
		t.Errorf("after ResetRequests: %d requests, MaxPerPage %d; want 0, 0", got, s.MaxPerPage())
	}
}

func TestRecordsDoNotKeepTheToken(t *testing.T) {
	t.Parallel()
	s := New(demoOptions(newClock()))
	call(t, s, http.MethodGet, "/api/projects/340/", testToken, "")
	call(t, s, http.MethodGet, "/api/projects/340/", testToken+"-wrong", "")
	for _, r := range s.Requests() {
		if got := fmt.Sprintf("%+v", r); strings.Contains(got, testToken) {
			t.Errorf("record keeps the token: %s", got)
		}
	}
}

func TestFaultKindString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		kind FaultKind
		want string
	}{
		{0, "none"}, {FaultStatus, "status"}, {FaultRateLimit, "rate-limit"}, {FaultSlow, "slow"},
		{FaultHang, "hang"}, {FaultTruncatedJSON, "truncated-json"}, {FaultInvalidJSON, "invalid-json"},
		{FaultLoginPage, "login-page"}, {FaultLargeBody, "large-body"}, {FaultReset, "reset"},
		{FaultKind(42), "fault(42)"},
	}
	for _, tc := range tests {
		if got := tc.kind.String(); got != tc.want {
			t.Errorf("FaultKind(%d).String() = %q, want %q", int(tc.kind), got, tc.want)
		}
	}
}
