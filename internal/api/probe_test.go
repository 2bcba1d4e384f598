package api

import (
	"context"
	"encoding/pem"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/testcert"
	"github.com/codescoring-gate/codescoring-gate/internal/testnet"
)

// probeServer answers below prefix: /cs/api/projects/ with a page, 404 with
// an Allow header elsewhere under /cs/api/, and an HTML page at /cs/login/.
func probeServer(t *testing.T, useTLS bool) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc(prefix+"/api/projects/", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Token "+testToken {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = io.WriteString(w, `{"detail": "Invalid `+r.Header.Get("Authorization")+`"}`)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"count": 1, "results": [{"id": 340, "accept": "`+r.Header.Get("Accept")+`", "q": "`+r.URL.RawQuery+`"}]}`)
	})
	mux.HandleFunc(prefix+"/api/", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Allow", "POST, OPTIONS")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusMethodNotAllowed)
		_, _ = io.WriteString(w, `{"detail": "Method \"GET\" not allowed."}`)
	})
	mux.HandleFunc(prefix+"/login/", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = io.WriteString(w, "<html><title>Sign in</title></html>")
	})
	srv := httptest.NewUnstartedServer(mux)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	if useTLS {
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(srv.Close)
	return srv
}

func probeClient(t *testing.T, base string, opts ...Option) *Client {
	t.Helper()
	c, err := NewClient(base, testToken, append([]Option{WithTransport(http.DefaultTransport.(*http.Transport).Clone())}, opts...)...)
	if err != nil {
		t.Fatalf("NewClient() error = %v", err)
	}
	return c
}

// TestProbe checks what one probe returns for each kind of answer: the
// answer whatever its status, and the error the client's calls would.
func TestProbe(t *testing.T) {
	t.Parallel()
	srv := probeServer(t, false)
	c := probeClient(t, srv.URL+prefix)
	ctx := context.Background()

	a, err := c.Probe(ctx, "/api/projects/", url.Values{"page": {"1"}}, "application/vnd.oai.openapi+json", 1<<20)
	if err != nil {
		t.Fatalf("Probe() error = %v", err)
	}
	if a.Path != "/api/projects/?page=1" || a.StatusCode != http.StatusOK || !strings.Contains(string(a.Body), `"accept": "application/vnd.oai.openapi+json"`) {
		t.Errorf("Probe() = %s %d %s, want /api/projects/?page=1 200 with the Accept header sent", a.Path, a.StatusCode, a.Body)
	}
	if want := srv.Listener.Addr().String(); a.Route.Remote != want || a.Route.TLS != nil || a.Route.Proxy != "" {
		t.Errorf("Route = %+v, want a direct plain connection to %s", a.Route, want)
	}

	a, err = c.ProbeEndpoint(ctx, "alerts", 0, url.Values{"project": {"340"}}, 1<<20)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusMethodNotAllowed || apiErr.Endpoint != "alerts" || apiErr.Detail != `Method "GET" not allowed.` {
		t.Fatalf("ProbeEndpoint(alerts) error = %#v, want the 405 *APIError of the alerts endpoint", err)
	}
	if a.Allow != "POST, OPTIONS" || a.Path != "/api/sca/policy_alerts/?project=340" || len(a.Body) == 0 {
		t.Errorf("ProbeEndpoint(alerts) = %+v, want the answer with its Allow header and body", a)
	}

	if _, err := c.ProbeEndpoint(ctx, "analysis", 1000, nil, 1<<20); !errors.As(err, &apiErr) || apiErr.Path != prefix+"/api/analyses/projects/history/1000/" {
		t.Errorf("ProbeEndpoint(analysis, 1000) error = %v, want one for %s/api/analyses/projects/history/1000/", err, prefix)
	}
	if _, err := c.ProbeEndpoint(ctx, "nothing", 0, nil, 1<<20); err == nil {
		t.Error("ProbeEndpoint(nothing) error = nil, want one")
	}

	_, err = c.Probe(ctx, "login/", nil, "", 1<<20)
	var htmlErr *HTMLError
	if !errors.As(err, &htmlErr) || htmlErr.Path != prefix+"/login/" {
		t.Errorf("Probe(login/) error = %v, want an *HTMLError", err)
	}

	_, err = c.Probe(ctx, "api/projects/", nil, "", 10)
	var large *TooLargeError
	if !errors.As(err, &large) || large.Limit != 10 {
		t.Errorf("Probe() with limit 10 error = %v, want a *TooLargeError of 10 bytes", err)
	}

	bad, err := NewClient(srv.URL+prefix, "wrong-"+testToken)
	if err != nil {
		t.Fatal(err)
	}
	_, err = bad.Probe(ctx, "api/projects/", nil, "", 1<<20)
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusUnauthorized || apiErr.Detail != "Invalid Token [redacted]" {
		t.Errorf("Probe() with a wrong token error = %v, want a 401 without the token", err)
	}
}

// TestProbeTLS checks the Route of an https probe: the handshake's state,
// or the chain the client refused and whether it trusted a ca-cert.
func TestProbeTLS(t *testing.T) {
	t.Parallel()
	srv := probeServer(t, true)
	ctx := context.Background()

	a, err := probeClient(t, srv.URL+prefix).Probe(ctx, "api/projects/", nil, "", 1<<20)
	var tlsErr *TLSError
	if !errors.As(err, &tlsErr) || tlsErr.CACert {
		t.Fatalf("Probe() error = %v, want a *TLSError without a ca-cert", err)
	}
	if len(a.Route.Unverified) == 0 || a.Route.Unverified[0].Issuer.Organization[0] != "Acme Co" || !a.Route.Handshaking {
		t.Errorf("Route = %+v, want the unverified chain of httptest's certificate", a.Route)
	}

	other := testcert.NewCA(t, "Other CA", time.Now())
	if _, err := probeClient(t, srv.URL+prefix, WithCACert(other)).Probe(ctx, "api/projects/", nil, "", 1<<20); !errors.As(err, &tlsErr) || !tlsErr.CACert {
		t.Errorf("Probe() with another ca-cert error = %v, want a *TLSError that says a ca-cert was given", err)
	}

	own := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	a, err = probeClient(t, srv.URL+prefix, WithCACert(own)).Probe(ctx, "api/projects/", nil, "", 1<<20)
	if err != nil {
		t.Fatalf("Probe() with the server's ca-cert error = %v", err)
	}
	if a.Route.TLS == nil || len(a.Route.TLS.PeerCertificates) == 0 || !a.Route.CACert {
		t.Errorf("Route = %+v, want the handshake's state", a.Route)
	}
}

// TestProbeProxy checks that a probe through a proxy names it, without its
// credentials.
func TestProbeProxy(t *testing.T) {
	t.Parallel()
	srv := probeServer(t, false) // it answers absolute-form requests as a proxy passes them on
	proxy, _ := url.Parse("http://user:secret@" + srv.Listener.Addr().String())
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = http.ProxyURL(proxy)
	c, err := NewClient("http://codescoring.test"+prefix, testToken, WithTransport(tr))
	if err != nil {
		t.Fatal(err)
	}
	a, err := c.Probe(context.Background(), "api/projects/", nil, "", 1<<20)
	if err != nil {
		t.Fatalf("Probe() error = %v", err)
	}
	if a.Route.Proxy != srv.Listener.Addr().String() || a.Route.Remote != srv.Listener.Addr().String() {
		t.Errorf("Route = %+v, want the proxy %s", a.Route, srv.Listener.Addr())
	}
}

// TestNetworkErrorLayer checks where a request without an answer failed,
// from causes as net and net/http report them.
func TestNetworkErrorLayer(t *testing.T) {
	t.Parallel()
	dnsErr := &net.DNSError{Err: "no such host", Name: "cs.invalid", IsNotFound: true}
	tests := []struct {
		name     string
		err      error
		want     Layer
		viaProxy bool
	}{
		{"name does not resolve", &net.OpError{Op: "dial", Err: dnsErr}, LayerDNS, false},
		{"proxy does not resolve", &net.OpError{Op: "proxyconnect", Err: &net.OpError{Op: "dial", Err: dnsErr}}, LayerDNS, true},
		{"refused", &net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}, LayerConnect, false},
		{"proxy refuses", &net.OpError{Op: "proxyconnect", Err: syscall.ECONNREFUSED}, LayerConnect, true},
		{"plain http", http.ErrSchemeMismatch, LayerTLS, false},
		{"reset while reading", &net.OpError{Op: "read", Err: syscall.ECONNRESET}, LayerOther, false},
		{"nothing", nil, LayerOther, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := &NetworkError{Method: http.MethodGet, Path: "/", Host: "h", Err: tc.err}
			if got := e.Layer(); got != tc.want {
				t.Errorf("Layer() = %d, want %d", got, tc.want)
			}
			if got := e.ViaProxy(); got != tc.viaProxy {
				t.Errorf("ViaProxy() = %v, want %v", got, tc.viaProxy)
			}
		})
	}
}

// TestProbeRefused checks the error and Route of a probe that found nothing
// listening: a *NetworkError at the connect layer, no connection.
func TestProbeRefused(t *testing.T) {
	t.Parallel()
	c := probeClient(t, "http://"+testnet.RefusedAddr(t), WithRequestTimeout(5*time.Second))
	a, err := c.Probe(context.Background(), "api/projects/", nil, "", 1<<20)
	var netErr *NetworkError
	if !errors.As(err, &netErr) || netErr.Layer() != LayerConnect {
		t.Fatalf("Probe() error = %v, want a *NetworkError at the connect layer", err)
	}
	if a == nil || a.Route.Remote != "" || a.StatusCode != 0 {
		t.Errorf("Answer = %+v, want no connection and no status", a)
	}
}
