package doctor

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
	"github.com/codescoring-gate/codescoring-gate/internal/gate"
	"github.com/codescoring-gate/codescoring-gate/internal/i18n"
)

const (
	// maxAnswer is the most doctor reads of an answer other than the
	// OpenAPI document.
	maxAnswer = 4 << 20
	// maxDocument is the most it reads of an OpenAPI document; a large
	// installation's document runs to a few megabytes.
	maxDocument = 32 << 20
)

// acceptDocument asks for the OpenAPI document in JSON, which drf-spectacular
// negotiates (its default is YAML).
const acceptDocument = "application/vnd.oai.openapi+json, application/json;q=0.9, */*;q=0.1"

// bodyKind is what an answer's body is.
type bodyKind int

const (
	kindEmpty bodyKind = iota
	kindJSON
	kindHTML
	kindYAML
	kindOther
)

// kindOf tells JSON from an HTML page (a proxy's login page, the web UI) and
// from YAML (drf-spectacular's default schema format). A JSON body wins over
// a wrong Content-Type.
func kindOf(a *api.Answer) bodyKind {
	b := bytes.TrimLeft(a.Body, " \t\r\n\ufeff")
	ct := strings.ToLower(a.ContentType)
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
func describeBody(p i18n.Printer, a *api.Answer) string {
	switch kindOf(a) {
	case kindJSON:
		return p.T("doctor.body.json")
	case kindHTML:
		if t := htmlTitle(a.Body); t != "" {
			return p.T("doctor.body.htmltitle", t)
		}
		return p.T("doctor.body.html")
	case kindYAML:
		return p.T("doctor.body.yaml")
	case kindEmpty:
		return p.T("doctor.body.empty")
	}
	if a.ContentType != "" {
		return p.T("doctor.body.type", a.ContentType)
	}
	return p.T("doctor.body.other")
}

func statusLine(code int) string {
	if t := http.StatusText(code); t != "" {
		return fmt.Sprintf("%d %s", code, t)
	}
	return fmt.Sprint(code)
}

// withDetail returns e.g. `401 Unauthorized ("Invalid token.")` for an
// error answer.
func withDetail(e *api.APIError) string {
	if e.Detail != "" {
		return fmt.Sprintf("%s (%q)", statusLine(e.StatusCode), clip(e.Detail, 200))
	}
	return statusLine(e.StatusCode)
}

// count returns the number of objects a list answer says there are: the
// envelope's count, or the length of a bare array.
func count(a *api.Answer) (int, bool) {
	var arr []json.RawMessage
	if json.Unmarshal(a.Body, &arr) == nil {
		return len(arr), true
	}
	var env struct {
		Count *int `json:"count"`
	}
	if json.Unmarshal(a.Body, &env) == nil && env.Count != nil {
		return *env.Count, true
	}
	return 0, false
}

// firstID returns the id (or pk) of the first object of a list answer; 0
// when there is none.
func firstID(a *api.Answer) int64 {
	type obj struct {
		ID *int64 `json:"id"`
		PK *int64 `json:"pk"`
	}
	var items []obj
	if json.Unmarshal(a.Body, &items) != nil {
		var env struct {
			Results []obj `json:"results"`
		}
		if json.Unmarshal(a.Body, &env) != nil {
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

// advice is what to do about err, met while doing op, as the gate says it
// (gate.Advice, the one source of advice).
func (d *doctor) adviceOp(op gate.Op, err error) string {
	return gate.Advice(&gate.CallError{Op: op, Doing: "doctor", Err: err}, d.opts.Audience)
}

// advice is adviceOp for the first request, a page of projects.
func (d *doctor) advice(err error) string { return d.adviceOp(gate.OpFindProject, err) }

// describeErr says what an error of the API client means, and what to do
// about it as the gate says it (gate.Advice). op is the call that failed,
// as the gate names it.
func (d *doctor) describeErr(op gate.Op, err error) (finding, fix string) {
	return d.describeFinding(err), d.adviceOp(op, err)
}

// describeFinding says what an error of the API client means, with paths
// relative to the installation root.
func (d *doctor) describeFinding(err error) (finding string) {
	var (
		apiErr   *api.APIError
		htmlErr  *api.HTMLError
		netErr   *api.NetworkError
		decErr   *api.DecodeError
		largeErr *api.TooLargeError
		tlsErr   *api.TLSError
	)
	switch {
	case errors.As(err, &tlsErr):
		return d.tlsFinding(tlsErr, api.Route{})
	case errors.As(err, &apiErr):
		switch method, path, status := apiErr.Method, d.relPath(apiErr.Path), statusLine(apiErr.StatusCode); {
		case apiErr.NotJSON && strings.Contains(strings.ToLower(apiErr.ContentType), "html"):
			return d.p.T("doctor.err.api.html", method, path, status)
		case apiErr.Detail != "":
			return d.p.T("doctor.err.api.detail", method, path, status, clip(apiErr.Detail, 200))
		default:
			return d.p.T("doctor.err.api", method, path, status)
		}
	case errors.As(err, &htmlErr):
		return d.p.T("doctor.err.html", htmlErr.Method, d.relPath(htmlErr.Path), statusLine(htmlErr.StatusCode))
	case errors.As(err, &netErr) && netErr.Timeout > 0:
		return d.p.T("doctor.err.timeout", netErr.Method, d.relPath(netErr.Path), netErr.Timeout)
	case errors.As(err, &netErr):
		return d.p.T("doctor.err.net", netErr.Method, d.relPath(netErr.Path), errCause(netErr))
	case errors.As(err, &decErr):
		return d.p.T("doctor.err.decode", d.relPath(decErr.Path), decErr.Err)
	case errors.As(err, &largeErr):
		return d.p.T("doctor.err.large", d.relPath(largeErr.Path), largeErr.Limit>>20)
	}
	return gate.Fact(err, d.p.Language())
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
