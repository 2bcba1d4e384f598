package doctor

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
	"github.com/codescoring-gate/codescoring-gate/internal/i18n"
)

// documentLocation is where a Django REST installation may serve its
// OpenAPI document, relative to the installation root.
type documentLocation struct {
	path  string
	query url.Values
}

func (l documentLocation) String() string {
	if len(l.query) == 0 {
		return "/" + l.path
	}
	return "/" + l.path + "?" + l.query.Encode()
}

// documentLocations are tried in order: drf-spectacular beside the Swagger UI
// (its default is YAML; ?format=json asks for JSON), then drf-yasg's.
var documentLocations = []documentLocation{
	{path: "api/schema/"},
	{path: "api/schema/", query: url.Values{"format": {"json"}}},
	{path: "api/swagger/", query: url.Values{"format": {"openapi"}}},
	{path: "api/swagger.json"},
	{path: "api/openapi.json"},
}

// document is the part of an OpenAPI (3.x) or Swagger (2.0) document doctor
// reads: its paths, each with its methods and their parameters.
type document struct {
	// paths maps a normalised template (every parameter written "{}") to
	// the path as the document writes it, relative to the installation root.
	paths map[string]docPath
}

type docPath struct {
	raw     string
	methods map[string]bool // upper case
	// query holds the names of each method's query parameters, those of
	// the path item included.
	query map[string][]string
}

// docParam is an OpenAPI parameter, or a reference to one.
type docParam struct {
	Ref  string `json:"$ref"`
	In   string `json:"in"`
	Name string `json:"name"`
}

// httpMethods are the operation keys of an OpenAPI path item.
var httpMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

var paramRe = regexp.MustCompile(`\{[^{}/]*\}`)

// normalise makes templates that differ only in parameter names equal:
// "/api/projects/{id}/" and "/api/projects/{pk}/" are the same path.
func normalise(p string) string { return paramRe.ReplaceAllString(p, "{}") }

// parseDocument reads an OpenAPI document in JSON. root is the path of the
// installation root (e.g. "/codescoring/"): a document whose paths or
// server URL include it is read relative to it.
func parseDocument(body []byte, root string) (*document, error) {
	var raw struct {
		OpenAPI    string                     `json:"openapi"`
		Swagger    string                     `json:"swagger"`
		BasePath   string                     `json:"basePath"`
		Servers    []struct{ URL string }     `json:"servers"`
		Paths      map[string]json.RawMessage `json:"paths"`
		Parameters map[string]docParam        `json:"parameters"` // Swagger 2
		Components struct {
			Parameters map[string]docParam `json:"parameters"`
		} `json:"components"`
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, fmt.Errorf("decode OpenAPI document: %w", err)
	}
	if (raw.OpenAPI == "" && raw.Swagger == "") || raw.Paths == nil {
		return nil, errors.New("decode OpenAPI document: it has no \"openapi\" or \"swagger\" version, or no \"paths\"")
	}
	// Swagger 2 writes paths below basePath; OpenAPI 3 may below its server.
	prefix := raw.BasePath
	if raw.Swagger == "" && len(raw.Servers) > 0 {
		if u, err := url.Parse(raw.Servers[0].URL); err == nil {
			prefix = u.Path
		}
	}
	prefix = strings.TrimRight(prefix, "/")
	root = strings.TrimRight(root, "/")
	resolve := func(p docParam) docParam {
		if name, ok := strings.CutPrefix(p.Ref, "#/components/parameters/"); ok {
			return raw.Components.Parameters[name]
		}
		if name, ok := strings.CutPrefix(p.Ref, "#/parameters/"); ok {
			return raw.Parameters[name]
		}
		return p
	}
	queryNames := func(item json.RawMessage) []string {
		var op struct {
			Parameters []docParam `json:"parameters"`
		}
		if json.Unmarshal(item, &op) != nil {
			return nil
		}
		var names []string
		for _, p := range op.Parameters {
			if p = resolve(p); p.In == "query" && p.Name != "" {
				names = append(names, p.Name)
			}
		}
		return names
	}
	doc := &document{paths: map[string]docPath{}}
	for p, item := range raw.Paths {
		var ops map[string]json.RawMessage
		if json.Unmarshal(item, &ops) != nil || !strings.HasPrefix(p, "/") {
			continue
		}
		full := p
		if prefix != "" && !strings.HasPrefix(p, prefix+"/") {
			full = prefix + p
		}
		if root != "" && strings.HasPrefix(full, root+"/") {
			full = strings.TrimPrefix(full, root)
		}
		n := normalise(full)
		dp, ok := doc.paths[n]
		if !ok {
			dp = docPath{raw: full, methods: map[string]bool{}, query: map[string][]string{}}
		}
		shared := queryNames(item)
		for _, m := range httpMethods {
			if op, has := ops[m]; has {
				M := strings.ToUpper(m)
				dp.methods[M] = true
				dp.query[M] = append(slices.Clone(shared), queryNames(op)...)
			}
		}
		doc.paths[n] = dp
	}
	return doc, nil
}

// compare reports each endpoint as the document lists it. Parameter names
// do not matter; the trailing slash does, but a missing one only warns. For
// an endpoint the document lacks, or has only with another method, it looks
// for the likeliest replacement (replacements).
func (doc *document) compare(eps []api.Endpoint, p i18n.Printer) []EndpointResult {
	out := make([]EndpointResult, 0, len(eps))
	for _, ep := range eps {
		r := EndpointResult{Endpoint: ep, Source: SourceDocument}
		n := normalise(ep.Path)
		dp, exact := doc.paths[n]
		if !exact {
			dp, _ = doc.paths[toggleSlash(n)]
		}
		switch {
		case dp.raw == "":
			r.Presence = Missing
			r.Finding = p.T("doctor.doc.notin")
		case !dp.methods[ep.Method]:
			r.Presence = MethodMissing
			r.Finding = p.T("doctor.doc.method", dp.raw, methodList(p, dp.methods))
		case !exact:
			r.Presence = NoTrailingSlash
			r.Finding = p.T("doctor.doc.slash", dp.raw)
		default:
			r.Presence = Present
			if dp.raw != ep.Path {
				r.Finding = p.T("doctor.doc.as", dp.raw)
			}
		}
		if r.Presence == Missing || r.Presence == MethodMissing {
			r.Suggestion = doc.replacements(ep, eps, p)
			r.Finding += r.Suggestion.finding(ep, p)
		}
		out = append(out, r)
	}
	return out
}

func toggleSlash(p string) string {
	if s, ok := strings.CutSuffix(p, "/"); ok {
		return s
	}
	return p + "/"
}

func methodList(p i18n.Printer, m map[string]bool) string {
	var ms []string
	for k := range m {
		ms = append(ms, k)
	}
	if len(ms) == 0 {
		return p.T("doctor.doc.nomethods")
	}
	slices.Sort(ms)
	return strings.Join(ms, ", ")
}

// fetchDocument tries each location in turn. It returns the first OpenAPI
// document in JSON and where it was, or what the locations answered.
func (d *doctor) fetchDocument(ctx context.Context) (*document, string, string) {
	var notes []string
	locs := map[string][]string{}
	for _, loc := range documentLocations {
		if ctx.Err() != nil {
			break
		}
		a, err := d.client.Probe(ctx, loc.path, loc.query, acceptDocument, maxDocument)
		var (
			note   string
			apiErr *api.APIError
		)
		switch {
		case errors.As(err, &apiErr):
			note = statusLine(apiErr.StatusCode)
		case err != nil && !errors.As(err, new(*api.HTMLError)):
			note = d.p.T("doctor.doc.noanswer", d.describeFinding(err))
		case kindOf(a) == kindJSON:
			doc, err := parseDocument(a.Body, d.base.Path)
			if err == nil {
				return doc, loc.String(), ""
			}
			note = d.p.T("doctor.doc.notopenapi")
		case kindOf(a) == kindYAML:
			note = d.p.T("doctor.doc.yaml")
		default:
			note = describeBody(d.p, a)
		}
		if _, seen := locs[note]; !seen {
			notes = append(notes, note)
		}
		locs[note] = append(locs[note], loc.String())
	}
	parts := make([]string, 0, len(notes))
	for _, n := range notes {
		parts = append(parts, d.p.T("doctor.doc.at", n, strings.Join(locs[n], ", ")))
	}
	return nil, "", strings.Join(parts, "; ")
}

// checkEndpoints compares the endpoint table, with the `api-paths`
// overrides, with the installation's OpenAPI document or, without one,
// probes the endpoints that only read.
func (d *doctor) checkEndpoints(ctx context.Context) {
	eps := d.opts.Paths.Table()
	doc, loc, tried := d.fetchDocument(ctx)
	if doc != nil {
		d.document = loc
		d.endpoints = doc.compare(eps, d.p)
		d.summarise(d.p.T("doctor.ep.indoc", loc), nil)
		return
	}
	noDoc := d.p.T("doctor.ep.nodoc", tried)
	if !d.tokenOK {
		d.set(CheckEndpoints, Warn, noDoc+"; probing the endpoints needs a token CodeScoring accepts",
			"fix the token first: doctor then probes the endpoints directly")
		return
	}
	d.endpoints = d.probe(ctx, eps)
	d.summarise(d.p.T("doctor.ep.probes"), &noDoc)
}

// summarise sets the endpoints check from d.endpoints, learnt from source.
// noDoc, when set, says that no document could be read.
func (d *doctor) summarise(source string, noDoc *string) {
	var failed, warned []string
	for _, r := range d.endpoints {
		desc := d.p.T("doctor.ep.item", r.Method, r.Path, presenceWord(d.p, r.Presence))
		switch r.Presence.Status() {
		case Fail:
			failed = append(failed, desc)
		case Warn:
			warned = append(warned, desc)
		}
	}
	n := len(d.endpoints)
	finding := d.p.T("doctor.ep.all", n, source)
	switch {
	case len(failed) > 0:
		finding = d.p.T("doctor.ep.failed",
			len(failed), n, source, strings.Join(failed, ", "))
	case len(warned) > 0:
		finding = d.p.T("doctor.ep.warned",
			n-len(warned), n, source, strings.Join(warned, ", "))
	}
	if noDoc != nil {
		finding = *noDoc + "; " + finding
	}
	switch {
	case len(failed) > 0:
		d.set(CheckEndpoints, Fail, finding, d.endpointsFix(noDoc != nil))
	case len(warned) > 0 && noDoc != nil:
		d.set(CheckEndpoints, Warn, finding, d.p.T("doctor.ep.confirm"))
	case len(warned) > 0:
		d.set(CheckEndpoints, Warn, finding, d.p.T("doctor.ep.ifissue", d.p.T("doctor.issue")))
	case noDoc != nil:
		d.set(CheckEndpoints, Warn, finding, d.p.T("doctor.ep.nothing"))
	default:
		d.set(CheckEndpoints, Pass, finding, "")
	}
}

// endpointsFix says what to do about the endpoints the installation does
// not serve as the gate calls them: the `api-paths` value that the
// document suggests, and for the others where to look.
func (d *doctor) endpointsFix(noDoc bool) string {
	var found, unsure, lost []string
	for _, r := range d.endpoints {
		switch {
		case r.Presence.Status() != Fail:
		case r.Suggestion != nil && r.Suggestion.Path != "":
			found = append(found, r.Key)
		case r.Suggestion != nil:
			unsure = append(unsure, r.Key)
		default:
			lost = append(lost, r.Key)
		}
	}
	issue := d.p.T("doctor.issue")
	var parts []string
	if len(found) > 0 {
		parts = append(parts, d.p.T("doctor.fix.set", d.input("api-paths"), d.suggested()))
	}
	switch {
	case len(lost) > 0 && noDoc:
		parts = append(parts, d.p.T("doctor.fix.lost.nodoc",
			strings.Join(lost, ", "), issue))
	case len(lost) > 0:
		parts = append(parts, d.p.T("doctor.fix.lost", strings.Join(lost, ", "), issue))
	}
	if len(unsure) > 0 {
		parts = append(parts, d.p.T("doctor.fix.unsure", strings.Join(unsure, ", "), issue))
	}
	return strings.Join(parts, "; ")
}

// probeObject is what an endpoint with an id is probed with, by the name of
// the client method that calls it: the object's id, or what is missing.
func (d *doctor) probeObject(name string) (int64, string) {
	switch name {
	case "GetProject":
		switch {
		case d.project != nil:
			return d.project.ID, ""
		case d.anyProject > 0:
			return d.anyProject, ""
		}
		return 0, d.p.T("doctor.probe.noproject")
	case "GetAnalysis":
		if d.analysis != nil {
			return d.analysis.ID, ""
		}
		return 0, d.p.T("doctor.probe.noanalysis")
	}
	return 0, d.p.T("doctor.probe.noobject")
}

// probe sends GET to each read-only endpoint: lists with per_page=1, object
// endpoints with the project or its newest analysis. It never sends another
// method.
func (d *doctor) probe(ctx context.Context, eps []api.Endpoint) []EndpointResult {
	out := make([]EndpointResult, 0, len(eps))
	for _, ep := range eps {
		r := EndpointResult{Endpoint: ep, Source: SourceProbe, Presence: NotVerified}
		out = append(out, r)
		res := &out[len(out)-1]
		if ep.Method != http.MethodGet {
			res.Finding = d.p.T("doctor.probe.post", ep.Method)
			continue
		}
		var id int64
		if paramRe.MatchString(ep.Path) {
			var missing string
			if id, missing = d.probeObject(ep.Name); id == 0 {
				res.Finding = d.p.T("doctor.probe.noid", missing)
				continue
			}
		}
		q := url.Values{}
		for _, name := range ep.Query {
			switch name {
			case "page", "per_page":
				q.Set(name, "1")
			case "project":
				if d.project != nil {
					q.Set(name, strconv.FormatInt(d.project.ID, 10))
				}
			case "analysis":
				if d.analysis != nil {
					q.Set(name, strconv.FormatInt(d.analysis.ID, 10))
				}
			}
		}
		a, err := d.client.ProbeEndpoint(ctx, ep.Key, id, q, maxAnswer)
		var apiErr *api.APIError
		switch {
		case errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound:
			res.Presence = Missing
			res.Finding = d.p.T("doctor.probe.status", a.Path, withDetail(apiErr))
		case errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusMethodNotAllowed:
			res.Presence = MethodMissing
			res.Finding = d.p.T("doctor.probe.status", a.Path, withDetail(apiErr))
			if a.Allow != "" {
				res.Finding = d.p.T("doctor.probe.allows", a.Path, withDetail(apiErr), a.Allow)
			}
		case errors.As(err, &apiErr):
			res.Finding = d.p.T("doctor.probe.unverified", a.Path, withDetail(apiErr))
		case err != nil && !errors.As(err, new(*api.HTMLError)):
			res.Finding = d.p.T("doctor.probe.noanswer", d.describeFinding(err))
		case err == nil && kindOf(a) == kindJSON:
			res.Presence = Present
			res.Finding = d.p.T("doctor.probe.json", a.Path, statusLine(a.StatusCode))
		default:
			res.Finding = d.p.T("doctor.probe.body", a.Path, statusLine(a.StatusCode), describeBody(d.p, a))
		}
	}
	return out
}

// presenceWord names p in a finding.
func presenceWord(pr i18n.Printer, p Presence) string {
	switch p {
	case Present:
		return pr.T("doctor.presence.present")
	case Missing:
		return pr.T("doctor.presence.missing")
	case MethodMissing:
		return pr.T("doctor.presence.method_missing")
	case NoTrailingSlash:
		return pr.T("doctor.presence.no_trailing_slash")
	}
	return pr.T("doctor.presence.not_verified")
}
