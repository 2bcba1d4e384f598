package api

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/codescoring-gate/codescoring-gate/internal/retry"
)

// Defaults of the client's options.
const (
	// DefaultRequestTimeout limits each attempt of a request (WithRequestTimeout).
	DefaultRequestTimeout = 30 * time.Second
	// DefaultRetryMaxElapsed is the retry budget of a request (WithRetry).
	DefaultRetryMaxElapsed = 2 * time.Minute
	// DefaultRetryInitial is the wait before the first retry (WithRetry).
	DefaultRetryInitial = time.Second
)

const (
	// maxBody is the most the client reads of a successful answer.
	maxBody = 32 << 20
	// maxErrorBody is the most it reads of an error answer, for its detail.
	maxErrorBody = 1 << 20
	// maxRetryAfter caps how long a Retry-After header makes the client wait.
	maxRetryAfter = 5 * time.Minute
	// maxRetryInterval caps the exponential backoff between attempts.
	maxRetryInterval = 30 * time.Second
)

// Client talks to one CodeScoring installation. It is safe for concurrent
// use. Its methods retry transient faults (network errors, 429, 500, 502,
// 503, 504) within the retry budget; an error they return is final.
type Client struct {
	// BaseURL is the installation root; it always ends in "/" and every
	// request path is resolved relative to it.
	BaseURL *url.URL

	token     string
	userAgent string
	http      *http.Client
	timeout   time.Duration
	retry     retry.Policy
	logf      func(format string, args ...any)
	pageCap   int // most pages of one list; maxPages but in tests
	// endpoints is this client's table: the built-in one with the
	// overrides of WithPaths.
	endpoints [numEndpoints]Endpoint

	mu     sync.Mutex
	warned map[string]bool
}

// Option configures a Client; NewClient returns its error.
type Option func(*options) error

type options struct {
	httpClient *http.Client
	transport  http.RoundTripper
	version    string
	timeout    time.Duration
	retry      retry.Policy
	logf       func(format string, args ...any)
	caPEMs     [][]byte
	paths      Paths
}

// WithHTTPClient makes the client send requests through hc. The client does
// not modify hc; with WithCACert, hc's Transport must be an *http.Transport
// (or nil).
func WithHTTPClient(hc *http.Client) Option {
	return func(o *options) error {
		if hc == nil {
			return errors.New("http client is nil")
		}
		o.httpClient = hc
		return nil
	}
}

// WithTransport makes the client send requests through rt instead of a
// clone of http.DefaultTransport. With WithCACert, rt must be an
// *http.Transport.
func WithTransport(rt http.RoundTripper) Option {
	return func(o *options) error {
		if rt == nil {
			return errors.New("transport is nil")
		}
		o.transport = rt
		return nil
	}
}

// WithVersion sets the version in the User-Agent header
// "codescoring-gate/<version>"; the default is "dev".
func WithVersion(version string) Option {
	return func(o *options) error {
		version = strings.TrimSpace(version)
		if version == "" || strings.ContainsFunc(version, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) {
			return fmt.Errorf("version %q is empty or has spaces", version)
		}
		o.version = version
		return nil
	}
}

// WithRequestTimeout limits each attempt of a request, including reading the
// answer, to d (default 30 s). An attempt that times out is retried.
func WithRequestTimeout(d time.Duration) Option {
	return func(o *options) error {
		if d <= 0 {
			return fmt.Errorf("request timeout %s is not positive", d)
		}
		o.timeout = d
		return nil
	}
}

// WithRetry sets the retry budget: the client stops retrying a request once
// maxElapsed has passed since its first attempt (default 2 min; 0 disables
// retries), waiting initial (default 1 s) before the first retry and
// exponentially longer after.
func WithRetry(maxElapsed, initial time.Duration) Option {
	return func(o *options) error {
		if maxElapsed < 0 || initial <= 0 {
			return fmt.Errorf("retry budget %s or initial interval %s is invalid", maxElapsed, initial)
		}
		o.retry = policy(maxElapsed, initial)
		return nil
	}
}

// WithLogger receives the client's warnings: retries, and an analysis status
// the contract does not name (once per status value). It may be called from
// several goroutines at once. Messages never contain the token.
func WithLogger(logf func(format string, args ...any)) Option {
	return func(o *options) error {
		if logf == nil {
			return errors.New("logger func is nil")
		}
		o.logf = logf
		return nil
	}
}

// WithCACert trusts the PEM certificates in pem in addition to the system's
// roots, for an installation behind a private CA. It fails when pem holds no
// certificate.
func WithCACert(pem []byte) Option {
	return func(o *options) error {
		if pool, _ := CertPool(pem); pool == nil {
			return errors.New("read ca-cert: no PEM certificate found: the `ca-cert` input must hold " +
				"one or more certificates, each from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----")
		}
		o.caPEMs = append(o.caPEMs, pem)
		return nil
	}
}

// NewClient returns a client of the installation at baseURL (e.g.
// https://codescoring.example.com or, under a path prefix,
// https://tools.example.com/codescoring, with or without a trailing slash)
// that authenticates with token. It fails with a *URLError when ParseBaseURL
// refuses baseURL, and when token is empty or has inner spaces, or when an
// option fails.
func NewClient(baseURL, token string, opts ...Option) (*Client, error) {
	u, err := ParseBaseURL(baseURL)
	if err != nil {
		return nil, err
	}
	token = strings.TrimSpace(token)
	switch {
	case token == "":
		return nil, errors.New("the CodeScoring token is empty: set the `token` input")
	case strings.ContainsFunc(token, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }):
		return nil, errors.New("the CodeScoring token has spaces or control characters: copy it again into the `token` input")
	}
	o := options{
		version: "dev",
		timeout: DefaultRequestTimeout,
		retry:   policy(DefaultRetryMaxElapsed, DefaultRetryInitial),
		logf:    func(string, ...any) {},
	}
	for _, opt := range opts {
		if err := opt(&o); err != nil {
			return nil, fmt.Errorf("configure CodeScoring client: %w", err)
		}
	}
	hc, err := o.buildHTTPClient(u)
	if err != nil {
		return nil, fmt.Errorf("configure CodeScoring client: %w", err)
	}
	c := &Client{
		BaseURL:   u,
		token:     token,
		userAgent: "codescoring-gate/" + o.version,
		http:      hc,
		timeout:   o.timeout,
		retry:     o.retry,
		logf:      o.logf,
		pageCap:   maxPages,
		warned:    make(map[string]bool),
	}
	copy(c.endpoints[:], table(o.paths))
	return c, nil
}

func (o *options) buildHTTPClient(base *url.URL) (*http.Client, error) {
	hc := &http.Client{}
	if o.httpClient != nil {
		copied := *o.httpClient
		hc = &copied
	}
	if o.transport != nil {
		hc.Transport = o.transport
	}
	if hc.Transport == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.Proxy = http.ProxyFromEnvironment
		hc.Transport = t
	}
	if len(o.caPEMs) > 0 {
		t, ok := hc.Transport.(*http.Transport)
		if !ok {
			return nil, fmt.Errorf("add ca-cert: the transport is a %T, not an *http.Transport", hc.Transport)
		}
		t = t.Clone()
		// WithCACert refused PEM without a certificate: the pool is there.
		pool, _ := CertPool(bytes.Join(o.caPEMs, []byte("\n")))
		if t.TLSClientConfig == nil {
			t.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
		}
		t.TLSClientConfig.RootCAs = pool
		hc.Transport = t
	}
	if hc.CheckRedirect == nil {
		hc.CheckRedirect = RedirectGuard(base)
	}
	return hc, nil
}

// warnOnce logs a warning the first time key is seen by c.
func (c *Client) warnOnce(key, format string, args ...any) {
	c.mu.Lock()
	seen := c.warned[key]
	c.warned[key] = true
	c.mu.Unlock()
	if !seen {
		c.logf(format, args...)
	}
}

// redact removes the token from text the server sent, in case it echoes it.
func (c *Client) redact(s string) string {
	if c.token == "" {
		return s
	}
	return strings.ReplaceAll(s, c.token, "[redacted]")
}

// endpointURL returns the absolute URL of ep for object id with query q.
func (c *Client) endpointURL(ep endpointID, id int64, q url.Values) *url.URL {
	u := c.BaseURL.ResolveReference(&url.URL{Path: c.relPath(ep, id)})
	u.RawQuery = q.Encode()
	return u
}

// request is one call of the API, repeated for each attempt.
type request struct {
	method string
	url    *url.URL
	body   []byte // JSON; nil for none
}

// response is a completed HTTP exchange.
type response struct {
	status      int
	contentType string
	body        []byte
}

// newRequest builds one attempt of r.
func (c *Client) newRequest(ctx context.Context, r *request) (*http.Request, error) {
	if !strings.HasSuffix(c.BaseURL.Path, "/") {
		return nil, fmt.Errorf("build request: BaseURL must end in a slash, got path %q", c.BaseURL.Path)
	}
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, r.url.String(), body)
	if err != nil {
		return nil, fmt.Errorf("build request %s %s: %w", r.method, r.url.Path, err)
	}
	req.Header.Set("Authorization", "Token "+c.token)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	if r.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req, nil
}

// try makes one attempt of r within the per-request timeout.
func (c *Client) try(ctx context.Context, r *request) (*response, retry.Attempt) {
	actx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := c.newRequest(actx, r)
	if err != nil {
		return nil, retry.Attempt{Err: err, Final: true}
	}
	hresp, err := c.http.Do(req)
	if err != nil {
		return nil, c.transportError(ctx, actx, r, err)
	}
	defer hresp.Body.Close()

	ok := hresp.StatusCode >= 200 && hresp.StatusCode <= 299
	resp := &response{status: hresp.StatusCode, contentType: hresp.Header.Get("Content-Type")}
	a := retry.Attempt{Status: resp.status, After: -1}
	limit := int64(maxErrorBody)
	if ok {
		limit = maxBody
		if hresp.ContentLength > maxBody {
			a.Err = &TooLargeError{Path: r.url.Path, Limit: maxBody}
			return resp, a
		}
	}
	body, err := readBody(hresp.Body, limit, hresp.ContentLength)
	switch {
	case errors.Is(err, errBodyTooLarge) && ok:
		a.Err = &TooLargeError{Path: r.url.Path, Limit: maxBody}
		return resp, a
	case errors.Is(err, errBodyTooLarge):
		// An error page this large says nothing we would show.
		body = nil
	case err != nil:
		return resp, c.transportError(ctx, actx, r, err)
	}
	resp.body = body

	if ok {
		if looksHTML(resp.contentType, body) {
			a.Err = &HTMLError{StatusCode: resp.status, Method: r.method, Path: r.url.Path, ContentType: resp.contentType}
		}
		return resp, a
	}
	a.Err = c.newAPIError(r, resp)
	if d, ok := retry.ParseRetryAfter(hresp.Header.Get("Retry-After"), time.Now()); ok {
		a.After = d
	}
	return resp, a
}

func (c *Client) newAPIError(r *request, resp *response) *APIError {
	e := &APIError{StatusCode: resp.status, Method: r.method, Path: r.url.Path, ContentType: resp.contentType}
	if looksHTML(resp.contentType, resp.body) {
		e.NotJSON = true
		return e
	}
	body, isJSON := decodeErrorBody(resp.body)
	if !isJSON {
		e.NotJSON = true
		return e
	}
	e.Detail = c.redact(body.Detail)
	for k, msgs := range body.Fields {
		if e.FieldErrors == nil {
			e.FieldErrors = make(map[string][]string, len(body.Fields))
		}
		for _, m := range msgs {
			e.FieldErrors[k] = append(e.FieldErrors[k], c.redact(m))
		}
	}
	return e
}

// transportError types an error of sending r or reading its answer;
// retry.Transient decides whether it is retried. ctx is the caller's
// context, actx the attempt's.
func (c *Client) transportError(ctx, actx context.Context, r *request, err error) retry.Attempt {
	if ctx.Err() != nil {
		return retry.Attempt{Err: fmt.Errorf("%s %s: %w", r.method, r.url.Path, ctx.Err())}
	}
	cause := err
	var ue *url.Error
	if errors.As(err, &ue) {
		// url.Error repeats the URL; the host is named by our own error.
		cause = ue.Err
	}
	host := r.url.Host
	var redirErr *RedirectError
	switch {
	case retry.CertError(err) != nil:
		return retry.Attempt{Err: &TLSError{Host: host, Err: retry.CertError(err)}}
	case errors.As(err, &redirErr):
		return retry.Attempt{Err: redirErr, Final: true}
	case retry.ProxyRefusal(cause) != 0:
		return retry.Attempt{Err: &ProxyError{Host: host, StatusCode: retry.ProxyRefusal(cause), Err: cause}}
	case errors.Is(actx.Err(), context.DeadlineExceeded):
		return retry.Attempt{Err: &NetworkError{Method: r.method, Path: r.url.Path, Host: host, Timeout: c.timeout, Err: cause}}
	}
	return retry.Attempt{Err: &NetworkError{Method: r.method, Path: r.url.Path, Host: host, Err: cause}}
}

var errBodyTooLarge = errors.New("body too large")

// readBody reads at most limit bytes of body; a longer body is
// errBodyTooLarge. length is the Content-Length, or -1 when unknown. Memory
// stays within about twice the bytes read, however long the body is.
func readBody(body io.Reader, limit, length int64) ([]byte, error) {
	if length >= 0 && length <= limit {
		buf := make([]byte, length)
		if _, err := io.ReadFull(body, buf); err != nil {
			return nil, err
		}
		return buf, nil
	}
	lr := io.LimitReader(body, limit+1)
	var (
		chunks [][]byte
		total  int64
		size   = 32 << 10
	)
	for {
		chunk := make([]byte, 0, size)
		for len(chunk) < cap(chunk) {
			n, err := lr.Read(chunk[len(chunk):cap(chunk)])
			chunk = chunk[:len(chunk)+n]
			if err == io.EOF {
				total += int64(len(chunk))
				chunks = append(chunks, chunk)
				if total > limit {
					return nil, errBodyTooLarge
				}
				return bytes.Join(chunks, nil), nil
			}
			if err != nil {
				return nil, err
			}
		}
		total += int64(len(chunk))
		chunks = append(chunks, chunk)
		if size < 4<<20 {
			size *= 2
		}
	}
}

// looksHTML reports whether an answer is an HTML page rather than JSON.
// A JSON body wins over a wrong Content-Type.
func looksHTML(contentType string, body []byte) bool {
	b := bytes.TrimLeft(body, " \t\r\n\ufeff")
	if len(b) > 0 && (b[0] == '{' || b[0] == '[') {
		return false
	}
	return isHTMLType(contentType) || (len(b) > 0 && b[0] == '<')
}
