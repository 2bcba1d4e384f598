package doctor

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
)

// expirySoon is how close to its expiry a certificate makes the tls check
// warn.
const expirySoon = 14 * 24 * time.Hour

// checkURL reports the URL the client was made for (api.ParseBaseURL, as the
// gate's input check).
func (d *doctor) checkURL() {
	what := "an installation root"
	if d.base.Path != "/" {
		what = fmt.Sprintf("an installation under the path prefix %s", strings.TrimSuffix(d.base.Path, "/"))
	}
	d.set(CheckURL, Pass, fmt.Sprintf("%s is %s", d.base, what), "")
}

// checkRoute makes the dns, tcp and tls checks from how far the first
// request got (a.Route) and the client's error for it; it reports whether
// the request reached CodeScoring, or the proxy in front of it, so that its
// answer is the api check's.
func (d *doctor) checkRoute(a *api.Answer, err error) bool {
	r := a.Route
	host, port := d.base.Hostname(), d.base.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[d.base.Scheme]
	}
	via := ""
	if r.Proxy != "" {
		h, p, splitErr := net.SplitHostPort(r.Proxy)
		if splitErr != nil {
			h, p = r.Proxy, "80"
		}
		host, port, via = h, p, "the proxy "
	}
	var (
		netErr *api.NetworkError
		tlsErr *api.TLSError
		dnsErr *net.DNSError
	)
	isNet := errors.As(err, &netErr)
	timedOut := isNet && netErr.Timeout > 0
	fix := d.advice(err)

	// dns
	switch {
	case errors.As(err, &dnsErr):
		finding := fmt.Sprintf("%s%s does not resolve: %v", via, host, dnsErr.Err)
		switch {
		case dnsErr.IsNotFound:
			finding = fmt.Sprintf("%s%s does not resolve: no such host", via, host)
		case dnsErr.IsTimeout:
			finding = fmt.Sprintf("looking up %s%s timed out", via, host)
		}
		d.set(CheckDNS, Fail, finding, fix)
		return false
	case timedOut && r.Looking && r.Remote == "" && len(r.Addrs) == 0:
		d.set(CheckDNS, Fail, fmt.Sprintf("looking up %s%s timed out", via, host), fix)
		return false
	case net.ParseIP(host) != nil:
		d.set(CheckDNS, Pass, fmt.Sprintf("%s%s is an IP address: nothing to look up", via, host), "")
	case len(r.Addrs) > 0:
		d.set(CheckDNS, Pass, fmt.Sprintf("%s%s resolves to %s", via, host, listOf(r.Addrs, 4)), "")
	case r.Remote != "":
		ip, _, _ := net.SplitHostPort(r.Remote)
		d.set(CheckDNS, Pass, fmt.Sprintf("%s%s resolves to %s", via, host, ip), "")
	default:
		d.set(CheckDNS, Pass, fmt.Sprintf("%s%s resolves", via, host), "")
	}

	// tcp
	addr := net.JoinHostPort(host, port)
	var proxyErr *api.ProxyError
	if errors.As(err, &proxyErr) {
		d.set(CheckTCP, Fail, proxyErr.Error(), fix)
		return false
	}
	if r.Remote == "" && isNet {
		finding := fmt.Sprintf("cannot connect to %s%s: %v", via, addr, errCause(netErr))
		switch {
		case errors.Is(err, syscall.ECONNREFUSED):
			finding = fmt.Sprintf("nothing accepts connections at %s%s (connection refused)", via, addr)
		case timedOut:
			finding = fmt.Sprintf("%s%s did not accept a connection within %s", via, addr, d.opts.Timeout)
		}
		d.set(CheckTCP, Fail, finding, fix)
		return false
	}
	finding := fmt.Sprintf("connected to %s%s", via, addr)
	if r.Remote != "" && r.Remote != addr {
		finding += fmt.Sprintf(" (%s)", r.Remote)
	}
	d.set(CheckTCP, Pass, finding, "")

	// tls
	switch {
	case d.base.Scheme == "http" && !api.InClearText(d.base):
		d.set(CheckTLS, Pass, "not used: plain http to a loopback address", "")
	case d.base.Scheme == "http":
		d.set(CheckTLS, Warn, "the URL is plain http: the token crosses the network unencrypted",
			fmt.Sprintf("set %s to the https:// address of CodeScoring", d.opts.Audience.Input("url")))
	case errors.As(err, &tlsErr):
		d.set(CheckTLS, Fail, d.tlsFinding(tlsErr, r), fix)
		return false
	case isNet && netErr.Layer() == api.LayerTLS:
		d.set(CheckTLS, Fail, fmt.Sprintf("%s does not speak TLS on that port", d.base.Host), fix)
		return false
	case r.TLS == nil && timedOut && r.Handshaking:
		d.set(CheckTLS, Fail, fmt.Sprintf("the TLS handshake with %s did not finish within %s", d.base.Host, d.opts.Timeout), fix)
		return false
	case r.TLS == nil && isNet && r.Handshaking:
		d.set(CheckTLS, Fail, fmt.Sprintf("the TLS handshake with %s failed: %v", d.base.Host, errCause(netErr)), fix)
		return false
	case r.TLS != nil:
		d.tlsState(r.TLS)
	default:
		d.set(CheckTLS, Pass, "checked with the first request", "")
	}
	return true
}

// tlsState reports the certificate of a handshake that succeeded.
func (d *doctor) tlsState(state *tls.ConnectionState) {
	leaf := state.PeerCertificates[0]
	finding := fmt.Sprintf("%s, certificate %s, issued by %s, valid until %s",
		tls.VersionName(state.Version), certName(leaf), issuerName(leaf), leaf.NotAfter.UTC().Format("2006-01-02"))
	if left := time.Until(leaf.NotAfter); left < expirySoon {
		d.set(CheckTLS, Warn, fmt.Sprintf("%s: it expires in %s", finding, humanDuration(left)),
			"renew CodeScoring's TLS certificate: the gate cannot connect once it has expired")
		return
	}
	d.set(CheckTLS, Pass, finding, "")
}

// tlsFinding says what is wrong with a certificate the client refused; the
// fix is gate.Advice's.
func (d *doctor) tlsFinding(e *api.TLSError, r api.Route) string {
	var (
		unknownCA  x509.UnknownAuthorityError
		hostErr    x509.HostnameError
		invalidErr x509.CertificateInvalidError
	)
	var leaf *x509.Certificate
	if len(r.Unverified) > 0 {
		leaf = r.Unverified[0]
	}
	host := d.base.Hostname()
	switch {
	case errors.As(e.Err, &unknownCA):
		if leaf == nil {
			leaf = unknownCA.Cert
		}
		issuer := "an unknown issuer"
		if leaf != nil {
			issuer = issuerName(leaf)
		}
		finding := fmt.Sprintf("the TLS certificate of %s is signed by an authority this runner does not trust (issued by %s)", host, issuer)
		if r.CACert {
			finding += ", nor does the `ca-cert` given"
		}
		return finding
	case errors.As(e.Err, &hostErr):
		names := "other names"
		if hostErr.Certificate != nil {
			names = certName(hostErr.Certificate)
		}
		return fmt.Sprintf("the TLS certificate of %s is not valid for that name (it is %s)", host, names)
	case errors.As(e.Err, &invalidErr) && invalidErr.Reason == x509.Expired:
		return fmt.Sprintf("the TLS certificate of %s has expired or is not yet valid: %v", host, invalidErr)
	}
	return fmt.Sprintf("the TLS certificate of %s is not valid: %v", host, e.Err)
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

// errCause is the cause of a network error without the *net.OpError
// wrappers that repeat the address the finding names already.
func errCause(e *api.NetworkError) error {
	if e == nil {
		return errors.New("no answer")
	}
	err := e.Err
	for {
		var (
			oe *net.OpError
			ue *url.Error
		)
		switch {
		case errors.As(err, &oe) && oe.Err != nil:
			err = oe.Err
		case errors.As(err, &ue) && ue.Err != nil:
			err = ue.Err
		default:
			return err
		}
	}
}
