package api

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync"
	"syscall"
)

// Answer is what the installation answered to one probe (Client.Probe),
// whatever its status, and the way the request took.
type Answer struct {
	// Path is the request path relative to the installation root, with a
	// leading slash and the query, e.g. "/api/schema/?format=json".
	Path        string
	StatusCode  int
	ContentType string
	// Allow is the Allow header, which a 405 answer names the methods in.
	Allow string
	Body  []byte
	Route Route
}

// Route is how far a request got on its way to the installation, layer by
// layer, as net/http/httptrace saw it; doctor reports each layer.
type Route struct {
	// Proxy is the host[:port] of the HTTP proxy the request went through,
	// never with its credentials; "" when it went direct.
	Proxy string
	// Looking is true once the client looked a host name up (the
	// installation's, or the proxy's); Addrs is what the lookup returned.
	Looking bool
	Addrs   []string
	// Remote is the address of the connection the request went over; ""
	// when no connection was made.
	Remote string
	// Handshaking is true once a TLS handshake began; TLS is the state of
	// the one that finished, nil over plain http.
	Handshaking bool
	TLS         *tls.ConnectionState
	// Unverified is the certificate chain the installation sent when the
	// client did not trust it (a *TLSError), leaf first.
	Unverified []*x509.Certificate
	// CACert is true when the client trusts certificates of the `ca-cert`
	// input besides the system's.
	CACert bool
}

// Probe sends one GET of path (relative to the installation root, e.g.
// "api/schema/") with query q and the Accept header accept, authenticated
// with the token, once: it never retries. It reads at most limit bytes of
// the answer. The Answer is never nil: its Route says how far the request
// got even when it failed. The error is the one the client's other calls
// return for the same answer: nil for a 2xx answer that is not an HTML page,
// *HTMLError for one that is, *APIError for any other status (the Answer
// still holds the body), *TooLargeError beyond limit, and *NetworkError,
// *TLSError, *ProxyError or *RedirectError when no answer came.
func (c *Client) Probe(ctx context.Context, path string, q url.Values, accept string, limit int64) (*Answer, error) {
	u := c.BaseURL.ResolveReference(&url.URL{Path: strings.TrimPrefix(path, "/")})
	u.RawQuery = q.Encode()
	return c.probe(ctx, &request{method: http.MethodGet, url: u}, accept, limit)
}

// ProbeEndpoint is Probe of the endpoint named key (Endpoint.Key, with the
// overrides of WithPaths), for object id when its path takes one, with the
// client's Accept header; its *APIError names the endpoint, as the errors
// of the client's calls do.
func (c *Client) ProbeEndpoint(ctx context.Context, key string, id int64, q url.Values, limit int64) (*Answer, error) {
	for i, e := range c.endpoints {
		if e.Key == key {
			ep := endpointID(i)
			a, err := c.probe(ctx, &request{method: http.MethodGet, url: c.endpointURL(ep, id, q)}, "", limit)
			return a, c.named(ep, err)
		}
	}
	return &Answer{}, errors.New("probe: no endpoint " + key)
}

func (c *Client) probe(ctx context.Context, r *request, accept string, limit int64) (*Answer, error) {
	a := &Answer{Path: "/" + strings.TrimPrefix(r.url.Path, c.BaseURL.Path)}
	if r.url.RawQuery != "" {
		a.Path += "?" + r.url.RawQuery
	}
	t, _ := c.http.Transport.(*http.Transport)
	a.Route.CACert = t != nil && t.TLSClientConfig != nil && t.TLSClientConfig.RootCAs != nil
	actx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	tr := &tracer{route: &a.Route}
	req, err := c.newRequest(httptrace.WithClientTrace(actx, tr.trace()), r)
	if err != nil {
		return a, err
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	if t != nil && t.Proxy != nil {
		if p, err := t.Proxy(req); err == nil && p != nil {
			a.Route.Proxy = p.Host
		}
	}
	hresp, err := c.http.Do(req)
	if err != nil {
		var verifyErr *tls.CertificateVerificationError
		if errors.As(err, &verifyErr) {
			a.Route.Unverified = verifyErr.UnverifiedCertificates
		}
		tr.mu.Lock()
		defer tr.mu.Unlock()
		err = c.transportError(ctx, actx, r, err).Err
		var tlsErr *TLSError
		if errors.As(err, &tlsErr) {
			tlsErr.CACert = a.Route.CACert
		}
		return a, err
	}
	defer hresp.Body.Close()
	body, err := readBody(hresp.Body, limit, hresp.ContentLength)
	tr.mu.Lock()
	defer tr.mu.Unlock()
	a.StatusCode, a.ContentType, a.Allow, a.Route.TLS = hresp.StatusCode, hresp.Header.Get("Content-Type"), hresp.Header.Get("Allow"), hresp.TLS
	switch {
	case errors.Is(err, errBodyTooLarge):
		return a, &TooLargeError{Path: r.url.Path, Limit: limit}
	case err != nil:
		return a, c.transportError(ctx, actx, r, err).Err
	}
	a.Body = body
	resp := &response{status: a.StatusCode, contentType: a.ContentType, body: body}
	switch {
	case a.StatusCode < 200 || a.StatusCode > 299:
		return a, c.newAPIError(r, resp)
	case looksHTML(a.ContentType, body):
		return a, &HTMLError{StatusCode: a.StatusCode, Method: r.method, Path: r.url.Path, ContentType: a.ContentType}
	}
	return a, nil
}

// tracer records a request's Route; its hooks may run on the transport's
// goroutines.
type tracer struct {
	mu    sync.Mutex
	route *Route
}

func (t *tracer) trace() *httptrace.ClientTrace {
	set := func(f func(r *Route)) {
		t.mu.Lock()
		defer t.mu.Unlock()
		f(t.route)
	}
	return &httptrace.ClientTrace{
		DNSStart: func(httptrace.DNSStartInfo) { set(func(r *Route) { r.Looking = true }) },
		DNSDone: func(info httptrace.DNSDoneInfo) {
			set(func(r *Route) {
				for _, a := range info.Addrs {
					r.Addrs = append(r.Addrs, a.String())
				}
			})
		},
		ConnectDone: func(_, addr string, err error) {
			if err == nil {
				set(func(r *Route) { r.Remote = addr })
			}
		},
		GotConn: func(info httptrace.GotConnInfo) {
			if ra := info.Conn.RemoteAddr(); ra != nil {
				set(func(r *Route) { r.Remote = ra.String() })
			}
		},
		TLSHandshakeStart: func() { set(func(r *Route) { r.Handshaking = true }) },
	}
}

// Layer is the layer of the way to the installation at which a request got
// no answer.
type Layer int

// The layers of a *NetworkError.
const (
	LayerOther   Layer = iota // the request went out; the answer did not come
	LayerDNS                  // the host name did not resolve
	LayerConnect              // no connection could be made
	LayerTLS                  // the server does not speak TLS where the URL says https
)

// Layer says where the request failed, from its cause.
func (e *NetworkError) Layer() Layer {
	var (
		dnsErr    *net.DNSError
		opErr     *net.OpError
		recordErr tls.RecordHeaderError
	)
	switch {
	case errors.As(e.Err, &dnsErr):
		return LayerDNS
	case errors.As(e.Err, &recordErr), errors.Is(e.Err, http.ErrSchemeMismatch):
		return LayerTLS
	case errors.Is(e.Err, syscall.ECONNREFUSED), errors.As(e.Err, &opErr) && (opErr.Op == "dial" || opErr.Op == "proxyconnect"):
		return LayerConnect
	}
	return LayerOther
}

// ViaProxy reports whether the request failed on its way to the HTTP proxy
// rather than to the installation.
func (e *NetworkError) ViaProxy() bool {
	var opErr *net.OpError
	return errors.As(e.Err, &opErr) && opErr.Op == "proxyconnect"
}
