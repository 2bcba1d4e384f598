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
	"github.com/codescoring-gate/codescoring-gate/internal/gate"
)

// expirySoon is how close to its expiry a certificate makes the tls check
// warn.
const expirySoon = 14 * 24 * time.Hour

// checkURL reports the URL the client was made for (api.ParseBaseURL, as the
// gate's input check).
func (d *doctor) checkURL() {
	finding := d.p.T("doctor.url.root", d.base)
	if d.base.Path != "/" {
		finding = d.p.T("doctor.url.prefix", d.base, strings.TrimSuffix(d.base.Path, "/"))
	}
	d.set(CheckURL, Pass, finding, "")
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
	// what names the host, or the proxy, in a finding.
	what := func(s string) string { return s }
	if r.Proxy != "" {
		h, p, splitErr := net.SplitHostPort(r.Proxy)
		if splitErr != nil {
			h, p = r.Proxy, "80"
		}
		host, port = h, p
		what = func(s string) string { return d.p.T("doctor.proxy", s) }
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
		finding := d.p.T("doctor.dns.fail", what(host), dnsErr.Err)
		switch {
		case dnsErr.IsNotFound:
			finding = d.p.T("doctor.dns.notfound", what(host))
		case dnsErr.IsTimeout:
			finding = d.p.T("doctor.dns.timeout", what(host))
		}
		d.set(CheckDNS, Fail, finding, fix)
		return false
	case timedOut && r.Looking && r.Remote == "" && len(r.Addrs) == 0:
		d.set(CheckDNS, Fail, d.p.T("doctor.dns.timeout", what(host)), fix)
		return false
	case net.ParseIP(host) != nil:
		d.set(CheckDNS, Pass, d.p.T("doctor.dns.ip", what(host)), "")
	case len(r.Addrs) > 0:
		d.set(CheckDNS, Pass, d.p.T("doctor.dns.ok", what(host), listOf(d.p, r.Addrs, 4)), "")
	case r.Remote != "":
		ip, _, _ := net.SplitHostPort(r.Remote)
		d.set(CheckDNS, Pass, d.p.T("doctor.dns.ok", what(host), ip), "")
	case err == nil:
		d.set(CheckDNS, Pass, d.p.T("doctor.reached", what(host)), "")
	default:
		d.set(CheckDNS, Pass, d.p.T("doctor.dns.resolved", what(host)), "")
	}

	// tcp
	addr := net.JoinHostPort(host, port)
	var proxyErr *api.ProxyError
	if errors.As(err, &proxyErr) {
		d.set(CheckTCP, Fail, gate.Fact(proxyErr, d.p.Language()), fix)
		return false
	}
	if r.Remote == "" && isNet {
		finding := d.p.T("doctor.tcp.fail", what(addr), errCause(netErr))
		switch {
		case errors.Is(err, syscall.ECONNREFUSED):
			finding = d.p.T("doctor.tcp.refused", what(addr))
		case timedOut:
			finding = d.p.T("doctor.tcp.timeout", what(addr), d.opts.Timeout)
		}
		d.set(CheckTCP, Fail, finding, fix)
		return false
	}
	finding := d.p.T("doctor.tcp.ok", what(addr))
	switch {
	case r.Remote == "" && err == nil:
		finding = d.p.T("doctor.reached", what(addr))
	case r.Remote != "" && r.Remote != addr:
		finding = d.p.T("doctor.tcp.okat", what(addr), r.Remote)
	}
	d.set(CheckTCP, Pass, finding, "")

	// tls
	switch {
	case d.base.Scheme == "http" && !api.InClearText(d.base):
		d.set(CheckTLS, Pass, d.p.T("doctor.tls.loopback"), "")
	case d.base.Scheme == "http":
		d.set(CheckTLS, Warn, d.p.T("doctor.tls.plain"), d.p.T("doctor.tls.plain.fix", d.opts.Audience.Input("url")))
	case errors.As(err, &tlsErr):
		d.set(CheckTLS, Fail, d.tlsFinding(tlsErr, r), fix)
		return false
	case isNet && netErr.Layer() == api.LayerTLS:
		d.set(CheckTLS, Fail, d.p.T("doctor.tls.notls", d.base.Host), fix)
		return false
	case r.TLS == nil && timedOut && r.Handshaking:
		d.set(CheckTLS, Fail, d.p.T("doctor.tls.hstimeout", d.base.Host, d.opts.Timeout), fix)
		return false
	case r.TLS == nil && isNet && r.Handshaking:
		d.set(CheckTLS, Fail, d.p.T("doctor.tls.hsfail", d.base.Host, errCause(netErr)), fix)
		return false
	case r.TLS != nil:
		d.tlsState(r.TLS)
	default:
		d.set(CheckTLS, Pass, d.p.T("doctor.tls.first"), "")
	}
	return true
}

// tlsState reports the certificate of a handshake that succeeded.
func (d *doctor) tlsState(state *tls.ConnectionState) {
	leaf := state.PeerCertificates[0]
	finding := d.p.T("doctor.tls.ok", tls.VersionName(state.Version), d.certName(leaf), issuerName(leaf), leaf.NotAfter.UTC().Format("2006-01-02"))
	if left := time.Until(leaf.NotAfter); left < expirySoon {
		d.set(CheckTLS, Warn, d.p.T("doctor.tls.expires", finding, humanDuration(d.p, left)), d.p.T("doctor.tls.renew"))
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
		issuer := d.p.T("doctor.tls.noissuer")
		if leaf != nil {
			issuer = issuerName(leaf)
		}
		if r.CACert {
			return d.p.T("doctor.tls.unknownca.ca", host, issuer, d.opts.Audience.Input("ca-cert"))
		}
		return d.p.T("doctor.tls.unknownca", host, issuer)
	case errors.As(e.Err, &hostErr):
		names := d.p.T("doctor.tls.othernames")
		if hostErr.Certificate != nil {
			names = d.certName(hostErr.Certificate)
		}
		return d.p.T("doctor.tls.host", host, names)
	case errors.As(e.Err, &invalidErr) && invalidErr.Reason == x509.Expired:
		return d.p.T("doctor.tls.expired", host, invalidErr)
	}
	return d.p.T("doctor.tls.invalid", host, e.Err)
}

// certName names the host names a certificate is for.
func (d *doctor) certName(c *x509.Certificate) string {
	names := append([]string(nil), c.DNSNames...)
	for _, ip := range c.IPAddresses {
		names = append(names, ip.String())
	}
	if len(names) == 0 && c.Subject.CommonName != "" {
		names = []string{c.Subject.CommonName}
	}
	if len(names) == 0 {
		return d.p.T("doctor.cert.nonames")
	}
	return d.p.T("doctor.cert.for", listOf(d.p, names, 4))
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
