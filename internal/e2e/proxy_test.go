package e2e_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// csHost is the name of CodeScoring behind the proxy. Only the proxy knows
// it (it maps it to the simulator on 127.0.0.1); the gate never resolves it
// itself when it honours the proxy settings. A .onion name never resolves
// and causes no DNS query (RFC 7686), so a gate that bypassed the proxy
// fails without any traffic beyond this machine.
const csHost = "codescoring.onion"

// proxyPassword is the proxy's password in HTTPS_PROXY: a secret too.
const proxyPassword = "CANARY-proxy-pw-3a9c"

// TestProxyFromEnvironment runs the built program with HTTPS_PROXY,
// HTTP_PROXY and NO_PROXY as a runner behind a corporate proxy has them,
// and shows that requests to CodeScoring go through the proxy (CONNECT for
// https, absolute URLs for http) or around it, as the variables say.
// net/http reads these variables once per process and never proxies
// 127.0.0.1, so the test runs the program in its own process against a host
// name only the proxy resolves.
func TestProxyFromEnvironment(t *testing.T) {
	t.Parallel()
	caPEM, leaf := corpCA(t, csHost)
	cases := []struct {
		name   string
		https  bool
		auth   bool // the proxy wants credentials
		env    func(proxy string) map[string]string
		inputs map[string]string
		// wantSeen are the requests the proxy must have seen (prefixes);
		// none when nil. wantSeenN, when set, is how many in all.
		wantSeen  []string
		wantSeenN int
		code      int
		want      map[string]string
		out       []string
	}{
		{
			name:     "HTTPS_PROXY: CONNECT through the proxy, private CA",
			https:    true,
			env:      func(p string) map[string]string { return map[string]string{"HTTPS_PROXY": p} },
			wantSeen: []string{"CONNECT " + csHost + ":443"},
			code:     1,
			want:     demoFail,
		},
		{
			name:     "https_proxy in lower case",
			https:    true,
			env:      func(p string) map[string]string { return map[string]string{"https_proxy": p} },
			wantSeen: []string{"CONNECT " + csHost + ":443"},
			code:     1,
			want:     demoFail,
		},
		{
			name:     "HTTP_PROXY: absolute URLs through the proxy",
			env:      func(p string) map[string]string { return map[string]string{"HTTP_PROXY": p} },
			wantSeen: []string{"GET http://" + csHost + "/api/projects/?", "POST http://" + csHost + "/api/analyses/projects/sca/start/"},
			code:     1,
			want:     demoFail,
		},
		{
			name:  "proxy credentials in HTTPS_PROXY are sent and never printed",
			https: true,
			auth:  true,
			env: func(p string) map[string]string {
				return map[string]string{"HTTPS_PROXY": strings.Replace(p, "http://", "http://ci:"+proxyPassword+"@", 1)}
			},
			wantSeen: []string{"CONNECT " + csHost + ":443"},
			code:     1,
			want:     demoFail,
		},
		{
			name:  "NO_PROXY: the gate goes around the proxy",
			https: true,
			env: func(p string) map[string]string {
				return map[string]string{"HTTPS_PROXY": p, "NO_PROXY": "example.com," + csHost}
			},
			inputs: map[string]string{"wait-timeout": "2s"},
			code:   2,
			want:   map[string]string{"verdict": "error"},
			// It tried to reach the host itself, which only the proxy knows.
			out: []string{"GET /api/projects/", "address " + csHost + ": no suitable address found"},
		},
		{
			name:  "proxy wants credentials that HTTPS_PROXY lacks: final, not retried",
			https: true,
			auth:  true,
			env:   func(p string) map[string]string { return map[string]string{"HTTPS_PROXY": p} },
			// Once: a 407 does not go away by asking again.
			wantSeen:  []string{"407 CONNECT " + csHost + ":443"},
			wantSeenN: 1,
			code:      2,
			want:      map[string]string{"verdict": "error"},
			out: []string{"the HTTP proxy refused to connect to CodeScoring at " + csHost + ": 407 Proxy Authentication Required",
				"set `HTTPS_PROXY` to the proxy's URL with a user and password (http://user:password@proxy:port), from a secret"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			opts := csOptions{Socket: true}
			scheme := "http://"
			if tc.https {
				scheme = "https://"
				opts.Serve = func(s *httptest.Server) {
					s.TLS = tlsConfig(leaf)
					s.StartTLS()
				}
			}
			cs := startCS(t, opts)
			px := newForwardProxy(t, csHost, cs.Srv.Listener.Addr().String(), tc.auth)
			inputs := map[string]string{"url": scheme + csHost, "ca-cert": caPEM}
			for k, v := range tc.inputs {
				inputs[k] = v
			}

			p := startProcess(t, inputs, tc.env(px.URL()))
			r := p.wait(t, proxyPassword)

			if r.Code != tc.code {
				t.Errorf("exit code = %d, want %d\n%s", r.Code, tc.code, r.out())
			}
			wantOutputs(t, r, tc.want)
			wantIn(t, "the log", r.out(), tc.out...)
			seen := px.Seen()
			for _, w := range tc.wantSeen {
				if !hasPrefix(seen, w) {
					t.Errorf("the proxy did not see %q; it saw %q", w, seen)
				}
			}
			if tc.wantSeenN > 0 && len(seen) != tc.wantSeenN {
				t.Errorf("the proxy saw %d requests, want %d: %q", len(seen), tc.wantSeenN, seen)
			}
			if tc.wantSeen == nil && len(seen) > 0 {
				t.Errorf("the proxy saw %q, want nothing", seen)
			}
			if tc.code != 2 && len(cs.Sim.Requests()) == 0 {
				t.Error("CodeScoring got no request")
			}
		})
	}
}

func hasPrefix(list []string, prefix string) bool {
	for _, s := range list {
		if strings.HasPrefix(s, prefix) {
			return true
		}
	}
	return false
}

// forwardProxy is an HTTP proxy that knows one host name, host, and sends
// its traffic to target (host:port on 127.0.0.1). It records each request
// it gets, and may want the credentials ci:proxyPassword.
type forwardProxy struct {
	srv    *httptest.Server
	host   string
	target string
	auth   bool

	mu   sync.Mutex
	seen []string
	wg   sync.WaitGroup // tunnels
}

func newForwardProxy(t *testing.T, host, target string, auth bool) *forwardProxy {
	t.Helper()
	p := &forwardProxy{host: host, target: target, auth: auth}
	p.srv = httptest.NewServer(http.HandlerFunc(p.serve))
	t.Cleanup(func() {
		p.srv.Close()
		p.wg.Wait()
	})
	return p
}

// URL is the proxy's address for HTTPS_PROXY.
func (p *forwardProxy) URL() string { return p.srv.URL }

// Seen returns "METHOD target" of each request, prefixed by the status
// when the proxy refused it.
func (p *forwardProxy) Seen() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.seen...)
}

func (p *forwardProxy) record(status int, r *http.Request) {
	target := r.URL.String()
	if r.Method == http.MethodConnect {
		target = r.Host
	}
	line := r.Method + " " + target
	if status != 0 {
		line = strconv.Itoa(status) + " " + line
	}
	p.mu.Lock()
	p.seen = append(p.seen, line)
	p.mu.Unlock()
}

func (p *forwardProxy) serve(w http.ResponseWriter, r *http.Request) {
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte("ci:"+proxyPassword))
	if p.auth && r.Header.Get("Proxy-Authorization") != want {
		p.record(http.StatusProxyAuthRequired, r)
		w.Header().Set("Proxy-Authenticate", `Basic realm="corp"`)
		http.Error(w, "proxy authentication required", http.StatusProxyAuthRequired)
		return
	}
	host := r.URL.Hostname()
	if r.Method == http.MethodConnect {
		host, _, _ = net.SplitHostPort(r.Host)
	}
	if host != p.host {
		p.record(http.StatusBadGateway, r)
		http.Error(w, "unknown host "+host, http.StatusBadGateway)
		return
	}
	p.record(0, r)
	if r.Method == http.MethodConnect {
		p.tunnel(w)
		return
	}
	p.forward(w, r)
}

// tunnel answers a CONNECT and relays bytes both ways until either side
// closes.
func (p *forwardProxy) tunnel(w http.ResponseWriter) {
	up, err := net.DialTimeout("tcp", p.target, 5*time.Second)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	down, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		up.Close()
		return
	}
	if _, err := down.Write([]byte("HTTP/1.1 200 Connection established\r\n\r\n")); err != nil {
		up.Close()
		down.Close()
		return
	}
	p.wg.Add(2)
	go func() {
		defer p.wg.Done()
		_, _ = io.Copy(up, buf) // what the client sent after CONNECT, then the rest
		up.Close()
		down.Close()
	}()
	go func() {
		defer p.wg.Done()
		_, _ = io.Copy(down, up)
		up.Close()
		down.Close()
	}()
}

// forward sends an absolute-URL request on to the target and copies the
// answer back.
func (p *forwardProxy) forward(w http.ResponseWriter, r *http.Request) {
	out := r.Clone(r.Context())
	out.RequestURI = ""
	out.URL.Scheme, out.URL.Host = "http", p.target
	out.Header.Del("Proxy-Authorization")
	resp, err := (&http.Transport{Proxy: nil}).RoundTrip(out)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	for k, v := range resp.Header {
		w.Header()[k] = v
	}
	w.WriteHeader(resp.StatusCode)
	_, _ = io.Copy(w, resp.Body)
}

// tlsConfig serves cert.
func tlsConfig(cert tls.Certificate) *tls.Config {
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
}

// corpCA makes a private CA and a server certificate it signed for host;
// it returns the CA as PEM (the ca-cert input) and the server's key pair.
func corpCA(t *testing.T, host string) (string, tls.Certificate) {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Acme Corp Root CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		t.Fatal(err)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: host}, DNSNames: []string{host},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caPEM := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}))
	return caPEM, tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}
