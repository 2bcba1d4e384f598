package api

import (
	"errors"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/codescoring-gate/codescoring-gate/internal/i18n"
)

// Endpoint is one path of the CodeScoring contract that the client calls.
// Path is an OpenAPI-style template under the installation root, with a
// leading slash and "{id}" for the object id, as drf-spectacular writes it.
type Endpoint struct {
	// Key is the endpoint's name in the `api-paths` input, e.g. "alerts".
	Key string
	// Name is the Client method that calls the endpoint.
	Name   string
	Method string
	// Path is the path the client calls: Default, unless `api-paths`
	// overrides it.
	Path string
	// Default is the path of the built-in table.
	Default string
	// Query lists the query parameters the client sends.
	Query []string
	// Assumed is true when the vendor does not publish the path or method
	// ([assumed] in the contract); these are what an installation may differ in.
	Assumed bool
}

// Overridden reports whether `api-paths` replaced the endpoint's path.
func (e Endpoint) Overridden() bool { return e.Default != "" && e.Path != e.Default }

// endpointID indexes the endpoint table.
type endpointID int

const (
	epGetProject endpointID = iota
	epListProjects
	epStartAnalysis
	epGetAnalysis
	epListAnalyses
	epListPolicies
	epListAlerts
	numEndpoints
)

// endpoints is the one table of every path the client calls (docs/codescoring-api.md §2–§5).
// An installation that differs is adapted with the `api-paths` input
// (ParsePaths, WithPaths); each Client holds its own copy.
var endpoints = [numEndpoints]Endpoint{
	epGetProject: {Key: "project", Name: "GetProject", Method: http.MethodGet,
		Path: "/api/projects/{id}/"},
	epListProjects: {Key: "projects", Name: "FindProject", Method: http.MethodGet,
		Path: "/api/projects/", Query: []string{"search", "page", "per_page"}},
	epStartAnalysis: {Key: "start", Name: "StartAnalysis", Method: http.MethodPost,
		Path: "/api/analyses/projects/sca/start/", Assumed: true},
	epGetAnalysis: {Key: "analysis", Name: "GetAnalysis", Method: http.MethodGet,
		Path: "/api/analyses/projects/history/{id}/", Assumed: true},
	epListAnalyses: {Key: "analyses", Name: "RecentAnalyses", Method: http.MethodGet,
		Path: "/api/analyses/projects/history/", Query: []string{"project", "ordering", "page", "per_page", filterBranch, filterStatus}},
	epListPolicies: {Key: "policies", Name: "Policies", Method: http.MethodGet,
		Path: "/api/policies/", Query: []string{"page", "per_page"}, Assumed: true},
	epListAlerts: {Key: "alerts", Name: "Alerts", Method: http.MethodGet,
		Path: "/api/sca/policy_alerts/", Query: []string{"project", "analysis", "page", "per_page"}, Assumed: true},
}

// idPlaceholder is where an object endpoint's path takes the object's id.
const idPlaceholder = "{id}"

// Endpoints returns a copy of the built-in table of every endpoint the
// client calls, in a fixed order, for `doctor` to compare with an
// installation's OpenAPI document.
func Endpoints() []Endpoint { return table(nil) }

// table returns a copy of the built-in table with the overrides of p.
func table(p Paths) []Endpoint {
	out := slices.Clone(endpoints[:])
	for i := range out {
		out[i].Query = slices.Clone(out[i].Query)
		out[i].Default = out[i].Path
		if path, ok := p[out[i].Key]; ok {
			out[i].Path = path
		}
	}
	return out
}

// EndpointKeys returns the names `api-paths` accepts, in the table's order.
func EndpointKeys() []string {
	keys := make([]string, len(endpoints))
	for i, e := range endpoints {
		keys[i] = e.Key
	}
	return keys
}

// Paths are overrides of the endpoint table: a path by endpoint key, as the
// `api-paths` input gives them. The zero value overrides nothing.
type Paths map[string]string

// Table returns the endpoint table with p's overrides applied, in the
// built-in order.
func (p Paths) Table() []Endpoint { return table(p) }

// String writes p as `api-paths` takes it, in the table's order, e.g.
// "alerts=/api/sca/alerts/, start=/api/analyses/sca/start/"; "" when p
// overrides nothing. An override equal to the default is left out.
func (p Paths) String() string {
	var parts []string
	for _, e := range table(p) {
		if e.Overridden() {
			parts = append(parts, e.Key+"="+e.Path)
		}
	}
	return strings.Join(parts, ", ")
}

// keyList is the names of the table with their default paths, for messages.
func keyList() string {
	parts := make([]string, len(endpoints))
	for i, e := range endpoints {
		parts[i] = e.Key + " (" + e.Path + ")"
	}
	return strings.Join(parts, ", ")
}

// ParsePaths reads the `api-paths` input: name=path pairs, one per line or
// separated by commas, e.g. "alerts=/api/sca/alerts/". It returns every
// problem at once, joined, each naming the known names: an unknown or
// repeated name, a pair without "=", a path that does not start and end
// with "/" or is not a plain URL path, and a path that drops the "{id}"
// placeholder of the default (or adds one where the default has none).
func ParsePaths(s string) (Paths, error) {
	p := Paths{}
	var errs PathsError
	bad := func(problem pathText) { errs = append(errs, say("paths.bad", problem, keyList())) }
	for _, entry := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\n' || r == '\r' }) {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		key, path, ok := strings.Cut(entry, "=")
		key, path = strings.ToLower(strings.TrimSpace(key)), strings.TrimSpace(path)
		if !ok {
			bad(say("paths.notpair", truncate(entry, 80)))
			continue
		}
		i := slices.IndexFunc(endpoints[:], func(e Endpoint) bool { return e.Key == key })
		if i < 0 {
			bad(say("paths.unknown", truncate(key, 40)))
			continue
		}
		if _, dup := p[key]; dup {
			bad(say("paths.twice", key))
			continue
		}
		if why, ok := checkPath(endpoints[i], path); !ok {
			bad(say("paths.path", key, truncate(path, 120), why))
			continue
		}
		p[key] = path
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return p, nil
}

// PathsError is every problem of an `api-paths` value, one a line. Error
// says them in English; In in a language of the i18n catalogs.
type PathsError []pathText

func (e PathsError) Error() string { return e.In(i18n.English) }

// In is e in the language l.
func (e PathsError) In(l i18n.Language) string {
	lines := make([]string, len(e))
	for i, t := range e {
		lines[i] = t.In(l)
	}
	return strings.Join(lines, "\n")
}

// pathText is a message of the i18n catalogs with its arguments, said in
// the language of the message it is an argument of (an i18n.Sayer).
type pathText struct {
	key  string
	args []any
}

// say is the message key with args (a test keeps every key in the
// catalogs, with as many arguments as it takes).
func say(key string, args ...any) pathText { return pathText{key: key, args: args} }

func (t pathText) In(l i18n.Language) string { return i18n.New(l).T(t.key, t.args...) }

// checkPath says what is wrong with path as the path of e; ok is true when
// nothing is.
func checkPath(e Endpoint, path string) (why pathText, ok bool) {
	switch {
	case !strings.HasPrefix(path, "/") || !strings.HasSuffix(path, "/") || path == "/":
		return say("paths.slash", e.Path), false
	case strings.ContainsFunc(path, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }),
		strings.ContainsAny(path, "?#\\"), strings.Contains(path, "//"), strings.Contains(path, "/../"), strings.Contains(path, "/./"):
		return say("paths.plain"), false
	}
	if _, err := url.Parse(path); err != nil {
		return say("paths.url"), false
	}
	want := strings.Count(e.Path, idPlaceholder)
	rest := strings.ReplaceAll(path, idPlaceholder, "")
	switch got := strings.Count(path, idPlaceholder); {
	case strings.ContainsAny(rest, "{}"):
		if want > 0 {
			return say("paths.id.only", e.Path), false
		}
		return say("paths.id.none", e.Path), false
	case got != want && want > 0:
		return say("paths.id.keep", e.Path), false
	case got != want:
		return say("paths.id.none", e.Path), false
	}
	return pathText{}, true
}

// WithPaths makes the client call the endpoints at p's paths instead of the
// built-in ones (the `api-paths` input). It fails on a path that ParsePaths
// would refuse.
func WithPaths(p Paths) Option {
	return func(o *options) error {
		if err := CheckPaths(p); err != nil {
			return err
		}
		o.paths = maps.Clone(p)
		return nil
	}
}

// CheckPaths returns the first problem ParsePaths would find in p: an
// unknown name or a path that does not fit its endpoint.
func CheckPaths(p Paths) error {
	for key := range p {
		if !slices.Contains(EndpointKeys(), key) {
			return PathsError{say("paths.bad", say("paths.unknown", truncate(key, 40)), keyList())}
		}
	}
	for _, e := range endpoints {
		if path, ok := p[e.Key]; ok {
			if why, ok := checkPath(e, path); !ok {
				return PathsError{say("paths.bad", say("paths.path", e.Key, truncate(path, 120), why), keyList())}
			}
		}
	}
	return nil
}

// Endpoints returns a copy of the client's endpoint table, with the
// overrides of WithPaths applied.
func (c *Client) Endpoints() []Endpoint {
	out := slices.Clone(c.endpoints[:])
	for i := range out {
		out[i].Query = slices.Clone(out[i].Query)
	}
	return out
}

// Paths returns the client's overrides of the endpoint table (WithPaths);
// empty when it calls the built-in paths.
func (c *Client) Paths() Paths {
	p := Paths{}
	for _, e := range c.endpoints {
		if e.Overridden() {
			p[e.Key] = e.Path
		}
	}
	return p
}

// relPath returns ep's path relative to the base URL, with objectID in
// place of "{id}".
func (c *Client) relPath(ep endpointID, objectID int64) string {
	p := strings.TrimPrefix(c.endpoints[ep].Path, "/")
	return strings.ReplaceAll(p, idPlaceholder, strconv.FormatInt(objectID, 10))
}

func (c *Client) method(ep endpointID) string { return c.endpoints[ep].Method }

// named records which endpoint err came from, in the *APIError or
// *DecodeError it holds, so that advice can name the `api-paths` entry.
func (c *Client) named(ep endpointID, err error) error {
	if err == nil {
		return nil
	}
	e := c.endpoints[ep]
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.Endpoint == "" {
		apiErr.Endpoint, apiErr.Overridden = e.Key, e.Overridden()
	}
	var decErr *DecodeError
	if errors.As(err, &decErr) && decErr.Endpoint == "" {
		decErr.Endpoint, decErr.Overridden = e.Key, e.Overridden()
	}
	return err
}
