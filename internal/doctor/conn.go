package doctor

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
	"github.com/codescoring-gate/codescoring-gate/internal/gate"
)

// expirySoon is how close to its expiry a certificate makes the tls check
// warn.
const expirySoon = 14 * 24 * time.Hour

// httpClient returns the client of every HTTP request of the run. It dials
// through the run's resolver and dialer, so that the requests go where the
// dns and tcp checks looked.
func (d *doctor) httpClient() (*http.Client, error) {
	if hc := d.opts.HTTPClient; hc != nil {
		copied := *hc
		if d.roots != nil {
			t, ok := copied.Transport.(*http.Transport)
			switch {
			case copied.Transport == nil:
				t = http.DefaultTransport.(*http.Transport).Clone()
			case !ok:
				return nil, fmt.Errorf("add ca-cert: the transport is a %T, not an *http.Transport", copied.Transport)
			default:
				t = t.Clone()
			}
			t.TLSClientConfig = d.tlsConfig(t.TLSClientConfig)
			copied.Transport = t
		}
		if copied.CheckRedirect == nil {
			copied.CheckRedirect = api.RedirectGuard(d.guardBase)
		}
		return &copied, nil
	}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.Proxy = d.proxy
	t.DialContext = d.dialContext
	t.TLSClientConfig = d.tlsConfig(nil)
	return &http.Client{Transport: t, CheckRedirect: api.RedirectGuard(d.guardBase)}, nil
}

// tlsConfig returns base (or a new config) trusting the run's roots.
func (d *doctor) tlsConfig(base *tls.Config) *tls.Config {
	c := &tls.Config{MinVersion: tls.VersionTLS12}
	if base != nil {
		c = base.Clone()
	}
	if d.roots != nil {
		c.RootCAs = d.roots
	}
	return c
}

// dialContext connects to addr, looking its host up with the run's
// resolver and trying each address in turn.
func (d *doctor) dialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	if net.ParseIP(host) != nil {
		return d.dial(ctx, network, addr)
	}
	ips, err := d.resolver.LookupHost(ctx, host)
	if err != nil {
		return nil, err
	}
	if len(ips) == 0 {
		return nil, &net.DNSError{Err: "no addresses", Name: host, IsNotFound: true}
	}
	var first error
	for _, ip := range ips {
		c, err := d.dial(ctx, network, net.JoinHostPort(ip, port))
		if err == nil {
			return c, nil
		}
		if first == nil {
			first = err
		}
		if ctx.Err() != nil {
			break
		}
	}
	return nil, first
}

// checkURL checks that the URL is an installation URL the gate accepts
// (api.ParseBaseURL, as the gate's input check) and makes the API client.
func (d *doctor) checkURL() bool {
	fail := func(finding, fix string) bool {
		d.set(CheckURL, Fail, finding, fix)
		return false
	}
	base, err := api.ParseBaseURL(d.opts.URL.String())
	if err != nil {
		return fail(err.Error(), gate.Advice(err, d.opts.Audience))
	}
	client, err := api.NewClient(base.String(), d.token,
		api.WithHTTPClient(d.hc),
		api.WithVersion(d.opts.Version),
		api.WithRequestTimeout(d.timeout),
		api.WithPaths(d.opts.Paths),
		// Doctor reports a transient fault rather than waiting it out.
		api.WithRetry(0, time.Second))
	if err != nil {
		return fail(err.Error(), gate.Advice(err, d.opts.Audience))
	}
	d.client = client
	d.base = client.BaseURL
	what := "an installation root"
	if d.base.Path != "/" {
		what = fmt.Sprintf("an installation under the path prefix %s", strings.TrimSuffix(d.base.Path, "/"))
	}
	d.set(CheckURL, Pass, fmt.Sprintf("%s is %s", d.base, what), "")
	return true
}

// hostPort returns the host and port the installation URL names.
func (d *doctor) hostPort() (host, port string) {
	host, port = d.base.Hostname(), d.base.Port()
	if port == "" {
		port = "443"
		if d.base.Scheme == "http" {
			port = "80"
		}
	}
	return host, port
}

// proxyURL returns the proxy requests to the installation go through, or
// nil for none.
func (d *doctor) proxyURL(ctx context.Context) *url.URL {
	if d.opts.HTTPClient != nil {
		// A caller's client decides itself; the checks go direct.
		return nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, d.base.String(), nil)
	if err != nil {
		return nil
	}
	p, err := d.proxy(req)
	if err != nil || p == nil || p.Host == "" {
		return nil
	}
	return p
}

// checkNetwork makes the dns, tcp and tls checks; it reports whether the
// installation can be reached.
func (d *doctor) checkNetwork(ctx context.Context) bool {
	host, port := d.hostPort()
	via := ""
	if p := d.proxyURL(ctx); p != nil {
		host, port = p.Hostname(), p.Port()
		if port == "" {
			port = "80"
			if p.Scheme == "https" {
				port = "443"
			}
		}
		via = "the proxy "
	}
	if !d.checkDNS(ctx, host, via) {
		return false
	}
	conn, ok := d.checkTCP(ctx, host, port, via)
	if !ok {
		return false
	}
	defer conn.Close()
	if via != "" {
		// The handshake goes through the proxy's tunnel; the first request
		// of the api check tells how it went.
		if d.base.Scheme == "https" {
			d.set(CheckTLS, Pass, "checked with the first request, through the proxy", "")
		} else {
			d.checkPlainHTTP()
		}
		return true
	}
	if d.base.Scheme == "http" {
		d.checkPlainHTTP()
		return true
	}
	return d.checkTLS(ctx, conn)
}

func (d *doctor) checkDNS(ctx context.Context, host, via string) bool {
	if net.ParseIP(host) != nil {
		d.set(CheckDNS, Pass, fmt.Sprintf("%s%s is an IP address: nothing to look up", via, host), "")
		return true
	}
	lctx, cancel := context.WithTimeout(ctx, d.timeout)
	defer cancel()
	ips, err := d.resolver.LookupHost(lctx, host)
	if err == nil && len(ips) == 0 {
		err = &net.DNSError{Err: "no addresses", Name: host, IsNotFound: true}
	}
	if err != nil {
		finding := fmt.Sprintf("%s%s does not resolve: %v", via, host, err)
		var dnsErr *net.DNSError
		if errors.As(err, &dnsErr) {
			switch {
			case dnsErr.IsNotFound:
				finding = fmt.Sprintf("%s%s does not resolve: no such host", via, host)
			case dnsErr.IsTimeout:
				finding = fmt.Sprintf("looking up %s%s timed out", via, host)
			}
		}
		fix := "check the host name in the `url` input, and that this runner's DNS knows it " +
			"(an internal name may resolve only inside the company network or VPN)"
		if via != "" {
			fix = "check the proxy host name in HTTPS_PROXY/HTTP_PROXY, or add the CodeScoring host to NO_PROXY"
		}
		d.set(CheckDNS, Fail, finding, fix)
		return false
	}
	d.set(CheckDNS, Pass, fmt.Sprintf("%s%s resolves to %s", via, host, listOf(ips, 4)), "")
	return true
}

func (d *doctor) checkTCP(ctx context.Context, host, port, via string) (net.Conn, bool) {
	addr := net.JoinHostPort(host, port)
	dctx, cancel := context.WithTimeout(ctx, d.timeout)
	defer cancel()
	conn, err := d.dialContext(dctx, "tcp", addr)
	if err != nil {
		finding := fmt.Sprintf("cannot connect to %s%s: %v", via, addr, errCause(err))
		switch {
		case errors.Is(err, syscall.ECONNREFUSED):
			finding = fmt.Sprintf("nothing accepts connections at %s%s (connection refused)", via, addr)
		case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
			finding = fmt.Sprintf("%s%s did not accept a connection within %s", via, addr, d.timeout)
		}
		fix := "check the port in the `url` input and that CodeScoring (or the proxy in front of it) runs there; " +
			"a firewall between this runner and CodeScoring may drop the connection (check HTTPS_PROXY/NO_PROXY too)"
		if via != "" {
			fix = "check the proxy address in HTTPS_PROXY/HTTP_PROXY, or add the CodeScoring host to NO_PROXY"
		}
		d.set(CheckTCP, Fail, finding, fix)
		return nil, false
	}
	finding := fmt.Sprintf("connected to %s%s", via, addr)
	if remote := conn.RemoteAddr().String(); remote != addr {
		finding += fmt.Sprintf(" (%s)", remote)
	}
	d.set(CheckTCP, Pass, finding, "")
	return conn, true
}

// checkPlainHTTP judges a URL without TLS: fine for a loopback address,
// where nothing crosses a network.
func (d *doctor) checkPlainHTTP() {
	if !api.InClearText(d.base) {
		d.set(CheckTLS, Pass, "not used: plain http to a loopback address", "")
		return
	}
	d.set(CheckTLS, Warn, "the URL is plain http: the token crosses the network unencrypted",
		"set the `url` input to the https:// address of CodeScoring")
}

// checkTLS makes a TLS handshake on conn as the gate's client would and
// reports what it shows about the certificate.
func (d *doctor) checkTLS(ctx context.Context, conn net.Conn) bool {
	host, _ := d.hostPort()
	cfg := d.tlsConfig(nil)
	if hc := d.opts.HTTPClient; hc != nil {
		if t, ok := hc.Transport.(*http.Transport); ok && t.TLSClientConfig != nil {
			cfg = d.tlsConfig(t.TLSClientConfig)
		}
	}
	cfg.ServerName = host
	tc := tls.Client(conn, cfg)
	hctx, cancel := context.WithTimeout(ctx, d.timeout)
	defer cancel()
	if err := tc.HandshakeContext(hctx); err != nil {
		finding, fix := d.describeTLS(err, host)
		d.set(CheckTLS, Fail, finding, fix)
		return false
	}
	state := tc.ConnectionState()
	leaf := state.PeerCertificates[0]
	finding := fmt.Sprintf("%s, certificate %s, issued by %s, valid until %s",
		tls.VersionName(state.Version), certName(leaf), issuerName(leaf), leaf.NotAfter.UTC().Format("2006-01-02"))
	if left := leaf.NotAfter.Sub(d.now()); left < expirySoon {
		d.set(CheckTLS, Warn, fmt.Sprintf("%s: it expires in %s", finding, humanDuration(left)),
			"renew CodeScoring's TLS certificate: the gate cannot connect once it has expired")
		return true
	}
	d.set(CheckTLS, Pass, finding, "")
	return true
}

// describeTLS says what a failed handshake with host means and what to do.
func (d *doctor) describeTLS(err error, host string) (finding, fix string) {
	var (
		verifyErr  *tls.CertificateVerificationError
		unknownCA  x509.UnknownAuthorityError
		hostErr    x509.HostnameError
		invalidErr x509.CertificateInvalidError
		recordErr  tls.RecordHeaderError
	)
	var leaf *x509.Certificate
	if errors.As(err, &verifyErr) && len(verifyErr.UnverifiedCertificates) > 0 {
		leaf = verifyErr.UnverifiedCertificates[0]
	}
	switch {
	case errors.As(err, &unknownCA):
		if leaf == nil {
			leaf = unknownCA.Cert
		}
		issuer := "an unknown issuer"
		if leaf != nil {
			issuer = issuerName(leaf)
		}
		finding = fmt.Sprintf("the TLS certificate of %s is signed by an authority this runner does not trust (issued by %s)", host, issuer)
		if d.roots != nil {
			return finding, fmt.Sprintf("the `ca-cert` input does not hold the CA that issued it: set `ca-cert` to the PEM certificate of %s", issuer)
		}
		return finding, fmt.Sprintf("if CodeScoring uses a private or corporate CA, set the `ca-cert` input to the PEM certificate of %s", issuer)
	case errors.As(err, &hostErr):
		names := "other names"
		if hostErr.Certificate != nil {
			names = certName(hostErr.Certificate)
		}
		return fmt.Sprintf("the TLS certificate of %s is not valid for that name (it is %s)", host, names),
			"set the `url` input to a host name the certificate names, or have the certificate reissued for " + host
	case errors.As(err, &invalidErr) && invalidErr.Reason == x509.Expired:
		return fmt.Sprintf("the TLS certificate of %s has expired or is not yet valid: %v", host, invalidErr),
			"renew CodeScoring's TLS certificate (or check this runner's clock)"
	case errors.As(err, &verifyErr), errors.As(err, &invalidErr):
		return fmt.Sprintf("the TLS certificate of %s is not valid: %v", host, errCause(err)),
			"fix CodeScoring's TLS certificate, or set the `ca-cert` input to the CA that issued it"
	case errors.As(err, &recordErr):
		return fmt.Sprintf("%s does not speak TLS on that port", d.base.Host),
			"use http:// in the `url` input, or the port that serves https"
	case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		return fmt.Sprintf("the TLS handshake with %s did not finish within %s", d.base.Host, d.timeout),
			"check that CodeScoring (or the proxy in front of it) serves https on that port"
	}
	return fmt.Sprintf("the TLS handshake with %s failed: %v", d.base.Host, errCause(err)),
		"check that CodeScoring (or the proxy in front of it) serves https on that port"
}

// certName names the host names a certificate is for.
func certName(c *x509.Certificate) string {
	names := append([]string(nil), c.DNSNames...)
	for _, ip := range c.IPAddresses {
		names = append(names, ip.String())
	}
	if len(names) == 0 && c.Subject.CommonName != "" {
		names = []string{c.Subject.CommonName}
	}
	if len(names) == 0 {
		return "without host names"
	}
	return "for " + listOf(names, 4)
}

// issuerName names the issuer of c.
func issuerName(c *x509.Certificate) string {
	switch {
	case c.Issuer.CommonName != "":
		return fmt.Sprintf("%q", c.Issuer.CommonName)
	case len(c.Issuer.Organization) > 0:
		return fmt.Sprintf("%q", c.Issuer.Organization[0])
	}
	return fmt.Sprintf("%q", c.Issuer.String())
}

// errCause drops the *url.Error and *net.OpError wrappers that repeat the
// URL or address the finding names already.
func errCause(err error) error {
	for {
		var ue *url.Error
		var oe *net.OpError
		switch {
		case errors.As(err, &ue) && ue.Err != nil:
			err = ue.Err
		case errors.As(err, &oe) && oe.Err != nil:
			err = oe.Err
		default:
			return err
		}
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
