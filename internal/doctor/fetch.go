package doctor

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
	"github.com/codescoring-gate/codescoring-gate/internal/gate"
)

const (
	// maxAnswer is the most doctor reads of an answer other than the
	// OpenAPI document.
	maxAnswer = 4 << 20
	// maxDocument is the most it reads of an OpenAPI document; a large
	// installation's document runs to a few megabytes.
	maxDocument = 32 << 20
)

// Accept headers: the API's JSON, and the OpenAPI document in JSON (which
// drf-spectacular negotiates; its default is YAML).
const (
	acceptJSON     = "application/json"
	acceptDocument = "application/vnd.oai.openapi+json, application/json;q=0.9, */*;q=0.1"
)

// answer is one HTTP answer of the installation.
type answer struct {
	// path is the request path relative to the installation root, with a
	// leading slash and the query, e.g. "/api/schema/?format=json".
	path        string
	status      int
	contentType string
	allow       string
	body        []byte
}

// errTooLarge is an answer longer than doctor reads.
var errTooLarge = errors.New("the answer is too large")

// get sends GET to rel (relative to the installation root) with query q,
// authenticated with the token, and reads at most limit bytes of the answer.
func (d *doctor) get(ctx context.Context, rel string, q url.Values, accept string, limit int64) (*answer, error) {
	u := d.base.ResolveReference(&url.URL{Path: rel, RawQuery: q.Encode()})
	shown := "/" + rel
	if u.RawQuery != "" {
		shown += "?" + u.RawQuery
	}
	rctx, cancel := context.WithTimeout(ctx, d.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("build request GET %s: %w", shown, err)
	}
	req.Header.Set("Authorization", "Token "+d.token)
	req.Header.Set("Accept", accept)
	req.Header.Set("User-Agent", "codescoring-gate/"+d.opts.Version+" (doctor)")
	resp, err := d.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(body)) > limit {
		return nil, fmt.Errorf("read GET %s: %w (over %d MiB)", shown, errTooLarge, limit>>20)
	}
	return &answer{path: shown, status: resp.StatusCode, contentType: resp.Header.Get("Content-Type"),
		allow: resp.Header.Get("Allow"), body: body}, nil
}

func (a *answer) ok() bool { return a.status >= 200 && a.status <= 299 }

// bodyKind is what an answer's body is.
type bodyKind int

const (
	kindEmpty bodyKind = iota
	kindJSON
	kindHTML
	kindYAML
	kindOther
)

// kind tells JSON from an HTML page (a proxy's login page, the web UI) and
// from YAML (drf-spectacular's default schema format). A JSON body wins over
// a wrong Content-Type.
func (a *answer) kind() bodyKind {
	b := bytes.TrimLeft(a.body, " \t\r\n\ufeff")
	ct := strings.ToLower(a.contentType)
	switch {
	case len(b) > 0 && (b[0] == '{' || b[0] == '['):
		return kindJSON
	case strings.Contains(ct, "html") || (len(b) > 0 && b[0] == '<'):
		return kindHTML
	case strings.Contains(ct, "yaml") || bytes.HasPrefix(b, []byte("openapi:")) ||
		bytes.HasPrefix(b, []byte("swagger:")) || bytes.HasPrefix(b, []byte("---")):
		return kindYAML
	case len(b) == 0:
		return kindEmpty
	}
	return kindOther
}

// describeBody names what the body is, for a finding: `an HTML page
// ("Sign in")`, `YAML`, `a "text/plain" body`.
func (a *answer) describeBody() string {
	switch a.kind() {
	case kindJSON:
		return "JSON"
	case kindHTML:
		if t := htmlTitle(a.body); t != "" {
			return fmt.Sprintf("an HTML page (%q)", t)
		}
		return "an HTML page"
	case kindYAML:
		return "YAML"
	case kindEmpty:
		return "an empty body"
	}
	if a.contentType != "" {
		return fmt.Sprintf("a %q body", a.contentType)
	}
	return "a body that is not JSON"
}

// statusLine returns e.g. "404 Not Found".
func (a *answer) statusLine() string { return statusLine(a.status) }

func statusLine(code int) string {
	if t := http.StatusText(code); t != "" {
		return fmt.Sprintf("%d %s", code, t)
	}
	return fmt.Sprint(code)
}

// detail returns the DRF "detail" message of a JSON error body.
func (a *answer) detail() string {
	var body struct {
		Detail any `json:"detail"`
	}
	if a.kind() != kindJSON || json.Unmarshal(a.body, &body) != nil {
		return ""
	}
	if s, ok := body.Detail.(string); ok {
		return clip(s, 200)
	}
	return ""
}

// withDetail returns e.g. `401 Unauthorized ("Invalid token.")`.
func (a *answer) withDetail() string {
	if d := a.detail(); d != "" {
		return fmt.Sprintf("%s (%q)", a.statusLine(), d)
	}
	return a.statusLine()
}

// count returns the number of objects a list answer says there are: the
// envelope's count, or the length of a bare array.
func (a *answer) count() (int, bool) {
	var arr []json.RawMessage
	if json.Unmarshal(a.body, &arr) == nil {
		return len(arr), true
	}
	var env struct {
		Count *int `json:"count"`
	}
	if json.Unmarshal(a.body, &env) == nil && env.Count != nil {
		return *env.Count, true
	}
	return 0, false
}

// firstID returns the id (or pk) of the first object of a list answer; 0
// when there is none.
func (a *answer) firstID() int64 {
	type obj struct {
		ID *int64 `json:"id"`
		PK *int64 `json:"pk"`
	}
	var items []obj
	if json.Unmarshal(a.body, &items) != nil {
		var env struct {
			Results []obj `json:"results"`
		}
		if json.Unmarshal(a.body, &env) != nil {
			return 0
		}
		items = env.Results
	}
	if len(items) == 0 {
		return 0
	}
	switch {
	case items[0].ID != nil:
		return *items[0].ID
	case items[0].PK != nil:
		return *items[0].PK
	}
	return 0
}

var (
	titleRe = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)
	spaceRe = regexp.MustCompile(`\s+`)
)

// htmlTitle returns the title of an HTML page, shortened.
func htmlTitle(body []byte) string {
	m := titleRe.FindSubmatch(body)
	if m == nil {
		return ""
	}
	return clip(strings.TrimSpace(spaceRe.ReplaceAllString(string(m[1]), " ")), 80)
}

// isTLSError reports whether err is a certificate that the client refused.
func isTLSError(err error) bool {
	var (
		verifyErr  *tls.CertificateVerificationError
		unknownCA  x509.UnknownAuthorityError
		hostErr    x509.HostnameError
		invalidErr x509.CertificateInvalidError
	)
	return errors.As(err, &verifyErr) || errors.As(err, &unknownCA) || errors.As(err, &hostErr) || errors.As(err, &invalidErr)
}

// advice is what to do about err, met while doing op, as the gate says it
// (gate.Advice): doctor's own probes describe their failures as the errors
// of the gate's client, so that advice has one source.
func (d *doctor) advice(op gate.Op, err error) string {
	return gate.Advice(&gate.CallError{Op: op, Doing: "doctor", Err: err}, d.opts.Audience)
}

// The advice for failures doctor's probes of the API share.
func (d *doctor) fixToken() string {
	return d.advice(gate.OpFindProject, &api.APIError{StatusCode: http.StatusUnauthorized, Method: http.MethodGet})
}

func (d *doctor) fixRole() string {
	return d.advice(gate.OpFindProject, &api.APIError{StatusCode: http.StatusForbidden, Method: http.MethodGet})
}

func (d *doctor) fixHTML() string { return d.advice(gate.OpFindProject, &api.HTMLError{}) }

func (d *doctor) fixReach(err error) string {
	return d.advice(gate.OpFindProject, &api.NetworkError{Method: http.MethodGet, Err: err})
}

// statusFix says what to do about an error status of the API.
func (d *doctor) statusFix(code int) string {
	return d.advice(gate.OpFindProject, &api.APIError{StatusCode: code, Method: http.MethodGet})
}

// describeErr says what an error of the API client means, and what to do
// about it as the gate says it (gate.Advice).
// op is the call that failed, as the gate names it.
func (d *doctor) describeErr(op gate.Op, err error) (finding, fix string) {
	finding = d.describeFinding(err)
	var tlsErr *api.TLSError
	if errors.As(err, &tlsErr) {
		return d.describeTLS(tlsErr.Err, tlsErr.Host)
	}
	return finding, gate.Advice(&gate.CallError{Op: op, Doing: "doctor", Err: err}, d.opts.Audience)
}

// describeFinding says what an error of the API client means, with paths
// relative to the installation root.
func (d *doctor) describeFinding(err error) (finding string) {
	var (
		apiErr   *api.APIError
		htmlErr  *api.HTMLError
		netErr   *api.NetworkError
		tlsErr   *api.TLSError
		decErr   *api.DecodeError
		largeErr *api.TooLargeError
	)
	switch {
	case errors.As(err, &apiErr):
		finding = fmt.Sprintf("%s %s answered %s", apiErr.Method, d.relPath(apiErr.Path), statusLine(apiErr.StatusCode))
		switch {
		case apiErr.NotJSON && strings.Contains(strings.ToLower(apiErr.ContentType), "html"):
			return finding + " as an HTML page"
		case apiErr.Detail != "":
			finding += fmt.Sprintf(" (%q)", clip(apiErr.Detail, 200))
		}
		return finding
	case errors.As(err, &htmlErr):
		return fmt.Sprintf("%s %s answered %s with an HTML page instead of JSON", htmlErr.Method,
			d.relPath(htmlErr.Path), statusLine(htmlErr.StatusCode))
	case errors.As(err, &tlsErr):
		return tlsErr.Error()
	case errors.As(err, &netErr):
		return fmt.Sprintf("no answer to %s %s: %v", netErr.Method, d.relPath(netErr.Path), errCause(netErr.Err))
	case errors.As(err, &decErr):
		return fmt.Sprintf("%s answered JSON the gate cannot read: %v", d.relPath(decErr.Path), decErr.Err)
	case errors.As(err, &largeErr):
		return fmt.Sprintf("%s answered more than %d MiB", d.relPath(largeErr.Path), largeErr.Limit>>20)
	}
	return err.Error()
}

// relPath returns a request path relative to the installation root, as the
// endpoint table writes it.
func (d *doctor) relPath(p string) string {
	if d.base == nil {
		return p
	}
	root := strings.TrimSuffix(d.base.Path, "/")
	if rest, ok := strings.CutPrefix(p, root); ok && strings.HasPrefix(rest, "/") {
		return rest
	}
	return p
}
