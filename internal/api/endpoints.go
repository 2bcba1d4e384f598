package api

import (
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"
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
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("`api-paths` "+format+" (the names and their defaults: %s)", append(args, keyList())...))
	}
	for _, entry := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\n' || r == '\r' }) {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		key, path, ok := strings.Cut(entry, "=")
		key, path = strings.ToLower(strings.TrimSpace(key)), strings.TrimSpace(path)
		if !ok {
			bad("%q is not name=path, e.g. alerts=/api/sca/alerts/", truncate(entry, 80))
			continue
		}
		i := slices.IndexFunc(endpoints[:], func(e Endpoint) bool { return e.Key == key })
		if i < 0 {
			bad("names no endpoint %q", truncate(key, 40))
			continue
		}
		if _, dup := p[key]; dup {
			bad("names %s twice: give each endpoint one path", key)
			continue
		}
		if err := checkPath(endpoints[i], path); err != nil {
			bad("%s=%s: %v", key, truncate(path, 120), err)
			continue
		}
		p[key] = path
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return p, nil
}

// checkPath says what is wrong with path as the path of e.
func checkPath(e Endpoint, path string) error {
	switch {
	case !strings.HasPrefix(path, "/") || !strings.HasSuffix(path, "/") || path == "/":
		return fmt.Errorf("the path must start and end with a slash, as the default %s does", e.Path)
	case strings.ContainsFunc(path, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }),
		strings.ContainsAny(path, "?#\\"), strings.Contains(path, "//"), strings.Contains(path, "/../"), strings.Contains(path, "/./"):
		return errors.New("the path must be a plain URL path below the installation root, without a query, spaces, // or dot segments")
	}
	if _, err := url.Parse(path); err != nil {
		return errors.New("the path is not a URL path")
	}
	want := strings.Count(e.Path, idPlaceholder)
	rest := strings.ReplaceAll(path, idPlaceholder, "")
	switch got := strings.Count(path, idPlaceholder); {
	case strings.ContainsAny(rest, "{}"):
		if want > 0 {
			return fmt.Errorf("the only placeholder is {id}, where the object's id goes, as in the default %s", e.Path)
		}
		return fmt.Errorf("the path takes no placeholder, as the default %s takes none", e.Path)
	case got != want && want > 0:
		return fmt.Errorf("the path must keep one {id} placeholder, where the object's id goes, as the default %s does", e.Path)
	case got != want:
		return fmt.Errorf("the path takes no placeholder, as the default %s takes none", e.Path)
	}
	return nil
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
			return fmt.Errorf("`api-paths` names no endpoint %q (the names and their defaults: %s)", truncate(key, 40), keyList())
		}
	}
	for _, e := range endpoints {
		if path, ok := p[e.Key]; ok {
			if err := checkPath(e, path); err != nil {
				return fmt.Errorf("`api-paths` %s=%s: %w (the names and their defaults: %s)", e.Key, truncate(path, 120), err, keyList())
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
