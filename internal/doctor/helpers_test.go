package doctor

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/simulator"
	"github.com/codescoring-gate/codescoring-gate/internal/simulator/simtest"
)

// testToken is a canary: no report, text or JSON may ever contain it.
const testToken = "doctor-canary-t0ken-9c1e"

// prefix mounts the simulator below a path, so that a request that drops
// the installation root's path fails loudly.
const prefix = "/cs"

// scenario is the demo scenario with an analysis of payments-service that
// succeeded two hours ago.
func scenario() simulator.Scenario {
	sc := simulator.DemoScenario()
	sc.Analyses = []simulator.SeedAnalysis{{Project: simulator.DemoProjectID, StartedAgo: 2 * time.Hour}}
	return sc
}

// simEnv is a simulator served over HTTP or HTTPS on 127.0.0.1.
type simEnv struct {
	sim *simtest.Server
	srv *httptest.Server
	url *url.URL // the installation root, below prefix
}

// startSim serves a simulator for opts (the scenario, testToken and prefix
// when not set), over TLS with httptest's certificate when useTLS is set.
// wrap, when set, wraps its handler.
func startSim(t *testing.T, opts simulator.Options, useTLS bool, wrap func(http.Handler) http.Handler) *simEnv {
	t.Helper()
	var cfg *tls.Config
	if useTLS {
		cfg = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	return startSimTLS(t, opts, cfg, wrap)
}

// startSimTLS is startSim over TLS with cfg (its certificate, or httptest's
// when it has none), or plain HTTP when cfg is nil.
func startSimTLS(t *testing.T, opts simulator.Options, cfg *tls.Config, wrap func(http.Handler) http.Handler) *simEnv {
	t.Helper()
	if opts.Scenario.Projects == nil {
		opts.Scenario = scenario()
	}
	if opts.Token == "" && opts.Tokens == nil {
		opts.Token = testToken
	}
	if opts.Prefix == "" {
		opts.Prefix = prefix
	}
	sim := simtest.New(opts)
	var h http.Handler = sim
	if wrap != nil {
		h = wrap(sim)
	}
	srv := httptest.NewUnstartedServer(h)
	// Handshakes that doctor refuses are expected; keep them out of the log.
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	if cfg != nil {
		srv.TLS = cfg
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(func() {
		srv.Close()
		_ = sim.Close()
	})
	u, err := url.Parse(srv.URL + opts.Prefix + "/")
	if err != nil {
		t.Fatalf("parse server URL: %v", err)
	}
	return &simEnv{sim: sim, srv: srv, url: u}
}

// options returns doctor's options for the environment: payments-service
// at stage source with testToken.
func (e *simEnv) options() Options {
	return Options{
		URL: e.url, Token: testToken, Project: "payments-service", Stage: "source",
		Transport: (&fakeNet{}).transport(), Timeout: 5 * time.Second, Version: "test",
	}
}

// run runs doctor, renders its report as text and JSON and checks that
// neither holds the token.
func run(t *testing.T, opts Options) (r *Report, text, jsonOut string) {
	t.Helper()
	r, err := Run(context.Background(), opts)
	if err != nil {
		t.Fatalf("Run() error = %v", err)
	}
	var tb, jb bytes.Buffer
	if err := WriteText(&tb, r); err != nil {
		t.Fatalf("WriteText() error = %v", err)
	}
	if err := WriteJSON(&jb, r); err != nil {
		t.Fatalf("WriteJSON() error = %v", err)
	}
	for name, out := range map[string]string{"text": tb.String(), "JSON": jb.String()} {
		if strings.Contains(out, opts.Token) {
			t.Errorf("the %s report contains the token:\n%s", name, out)
		}
	}
	return r, tb.String(), jb.String()
}

// assertOnlyGET fails unless every request the simulator saw was a GET.
func assertOnlyGET(t *testing.T, sim *simtest.Server) {
	t.Helper()
	reqs := sim.Requests()
	if len(reqs) == 0 {
		t.Error("the simulator saw no request")
	}
	for _, r := range reqs {
		if r.Method != http.MethodGet {
			t.Errorf("doctor sent %s %s; want only GET", r.Method, r.Path)
		}
	}
}

// statuses returns the status of each check of r.
func statuses(r *Report) map[string]Status {
	m := map[string]Status{}
	for _, c := range r.Checks {
		m[c.Name] = c.Status
	}
	return m
}

// allPass returns every check name with Pass.
func allPass() map[string]Status {
	m := map[string]Status{}
	for _, n := range checkOrder {
		m[n] = Pass
	}
	return m
}

// with returns a copy of m with the given changes: name, status pairs.
func with(m map[string]Status, kv ...any) map[string]Status {
	out := map[string]Status{}
	for k, v := range m {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i].(string)] = kv[i+1].(Status)
	}
	return out
}

// only returns m restricted to names.
func only(m map[string]Status, names ...string) map[string]Status {
	out := map[string]Status{}
	for _, n := range names {
		out[n] = m[n]
	}
	return out
}

// without returns m without names.
func without(m map[string]Status, names ...string) map[string]Status {
	out := with(m)
	for _, n := range names {
		delete(out, n)
	}
	return out
}

// checkText returns the finding and fix of a check, for substring tests.
func checkText(t *testing.T, r *Report, name string) string {
	t.Helper()
	c, ok := r.Check(name)
	if !ok {
		t.Fatalf("check %q was not run; checks: %v, skipped: %v", name, statuses(r), r.Skipped)
	}
	return c.Finding + "\n→ " + c.Fix
}

// presences returns the presence of each endpoint by client method name.
func presences(r *Report) map[string]Presence {
	m := map[string]Presence{}
	for _, e := range r.Endpoints {
		m[e.Name] = e.Presence
	}
	return m
}

// fakeNet is the network of a test: it looks host names up in hosts
// (other names do not exist; err, when set, is every lookup's error),
// connects to the address found, and records the names it looked up and the
// addresses it dialed. Its transport goes through proxy when set, whatever
// the environment's proxy settings.
type fakeNet struct {
	hosts map[string][]string
	err   error
	proxy *url.URL

	mu     sync.Mutex
	asked  []string
	dialed []string
}

// transport is an http.DefaultTransport that dials through f.
func (f *fakeNet) transport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.Proxy = func(*http.Request) (*url.URL, error) { return f.proxy, nil }
	t.DialContext = f.dial
	return t
}

// dial fails as net.Dialer does for a name that does not resolve.
func (f *fakeNet) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	if net.ParseIP(host) == nil {
		f.asked = append(f.asked, host)
		ips, ok := f.hosts[host]
		switch {
		case f.err != nil:
			f.mu.Unlock()
			return nil, &net.OpError{Op: "dial", Net: network, Err: f.err}
		case !ok:
			f.mu.Unlock()
			return nil, &net.OpError{Op: "dial", Net: network, Err: &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}}
		}
		addr = net.JoinHostPort(ips[0], port)
	}
	f.dialed = append(f.dialed, addr)
	f.mu.Unlock()
	var d net.Dialer
	return d.DialContext(ctx, network, addr)
}

// Asked returns the names looked up, in order.
func (f *fakeNet) Asked() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.asked...)
}

// Dialed returns the addresses dialed, in order.
func (f *fakeNet) Dialed() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.dialed...)
}

// expiringCert returns a self-signed certificate for 127.0.0.1 that expires
// after life.
func expiringCert(t *testing.T, life time.Duration) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(now.UnixNano()), Subject: pkix.Name{CommonName: "Expiring Test CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(life),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}
}
