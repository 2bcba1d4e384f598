package e2e_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"

	"github.com/codescoring-gate/codescoring-gate/internal/testcert"
)

// TestRedirectToHTTPS puts CodeScoring on a real TLS listener behind a plain
// http server that redirects every request there, as a proxy that upgrades
// to https does, and configures the http address: the gate follows no
// redirect (the token does not travel on, the start is not turned into a
// GET), exits 2 also with on-error warn, and says which `url` to set;
// doctor reports the same as a failed check.
func TestRedirectToHTTPS(t *testing.T) {
	t.Parallel()
	for _, code := range []int{http.StatusMovedPermanently, http.StatusPermanentRedirect} {
		for _, command := range []string{"gate/on-error=fail", "gate/on-error=warn", "doctor"} {
			t.Run(http.StatusText(code)+"/"+command, func(t *testing.T) {
				t.Parallel()
				cs := startCS(t, csOptions{Serve: func(s *httptest.Server) { s.StartTLS() }})
				var redirected atomic.Int32
				redirector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					redirected.Add(1)
					http.Redirect(w, r, cs.URL+r.URL.RequestURI(), code)
				}))
				t.Cleanup(redirector.Close)
				in := map[string]string{"url": redirector.URL, "ca-cert": string(testcert.PEM(cs.Srv.Certificate()))}
				wantCode := 2
				if command == "doctor" {
					in["command"] = "doctor"
					wantCode = 1
				} else {
					in["on-error"] = strings.TrimPrefix(command, "gate/on-error=")
				}

				r := runGate(t, cs, in, runOptions{})

				wantExit(t, r, wantCode)
				wantIn(t, "the log", r.out(),
					"CodeScoring at "+redirector.URL+" redirects to "+cs.URL+"/",
					"set the `url` input to "+cs.URL)
				if command == "doctor" {
					wantIn(t, "the log", r.out(), "✖ api  CodeScoring at "+redirector.URL+" redirects", "1 check failed")
				} else {
					wantOutputs(t, r, map[string]string{"verdict": "error"})
					if strings.Contains(r.Stdout, "on-error is warn: the gate could not decide") {
						t.Errorf("a redirect to another URL was tolerated by on-error warn:\n%s", r.Stdout)
					}
				}
				if n := len(cs.Sim.Requests()); n != 0 {
					t.Errorf("the https server got %d requests, want none: the token travelled on", n)
				}
				if n := redirected.Load(); n == 0 {
					t.Error("the redirector got no request")
				} else if n > 1 && command != "doctor" {
					t.Errorf("retried a redirect: the redirector got %d requests, want 1", n)
				}
			})
		}
	}
}

// TestPlainHTTPWarning warns once of plain http to a host that is not this
// machine, and never of http to 127.0.0.1.
func TestPlainHTTPWarning(t *testing.T) {
	t.Parallel()
	synctest.Test(t, testPlainHTTPWarning)
}

func testPlainHTTPWarning(t *testing.T) {
	const warning = "is reached over plain http: the token travels unencrypted; set the `url` input to its https:// address"
	cs := startCS(t, csOptions{})
	// .onion names never resolve and cause no DNS query (RFC 7686).
	r := runGate(t, cs, map[string]string{"url": "http://codescoring.onion"}, runOptions{})
	if n := strings.Count(r.out(), warning); n != 1 {
		t.Errorf("the plain http warning is written %d times, want once:\n%s", n, r.out())
	}
	wantIn(t, "the log", r.Stdout, "::warning title=CodeScoring over plain http::CodeScoring at http://codescoring.onion "+warning)

	local := runGate(t, startCS(t, csOptions{}), nil, runOptions{})
	if strings.Contains(local.out(), warning) {
		t.Errorf("warned of plain http to 127.0.0.1:\n%s", local.out())
	}
}
