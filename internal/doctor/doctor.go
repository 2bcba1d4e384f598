// Package doctor checks whether a CodeScoring installation fits the gate:
// that the URL is reachable over DNS, TCP and TLS, that the API answers JSON,
// that the token is accepted and may read what the gate reads, that the
// project exists, that the installation serves every endpoint the gate calls
// (from its own OpenAPI document, or by probing the read-only ones), and what
// the project's analyses and policies mean for the gate.
//
// It only ever sends GET requests: it never starts an analysis or changes
// anything on the server.
package doctor

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
	"github.com/codescoring-gate/codescoring-gate/internal/gate"
	"github.com/codescoring-gate/codescoring-gate/internal/i18n"
)

// Exit codes of the doctor command, as the gate uses them.
const (
	ExitOK     = 0 // every check passed; warnings allowed
	ExitFailed = 1 // a check failed
	ExitError  = 2 // doctor itself could not run, e.g. bad options
)

// DefaultTimeout limits each step of a check (a lookup, a connection, a
// request) when Options.Timeout is zero.
const DefaultTimeout = 15 * time.Second

// Status is the outcome of one check.
type Status string

// The outcomes of a check.
const (
	Pass Status = "pass"
	Warn Status = "warn"
	Fail Status = "fail"
)

// The names of the checks, in the order they are reported.
const (
	CheckURL       = "url"
	CheckDNS       = "dns"
	CheckTCP       = "tcp"
	CheckTLS       = "tls"
	CheckAPI       = "api"
	CheckToken     = "token"
	CheckProject   = "project"
	CheckEndpoints = "endpoints"
	CheckAnalyses  = "analyses"
	CheckPolicies  = "policies"
)

// checkOrder is the order of the checks in a Report.
var checkOrder = []string{
	CheckURL, CheckDNS, CheckTCP, CheckTLS, CheckAPI, CheckToken,
	CheckProject, CheckEndpoints, CheckAnalyses, CheckPolicies,
}

// Check is the outcome of one check: what doctor found and, unless it
// passed, what to do about it.
type Check struct {
	Name    string
	Status  Status
	Finding string
	// Fix says what to change; empty when the check passed.
	Fix string
}

// Presence is what doctor learnt about one endpoint the gate calls.
type Presence string

// The presences of an endpoint.
const (
	// Present: the installation serves the path with the method.
	Present Presence = "present"
	// Missing: the installation does not serve the path.
	Missing Presence = "missing"
	// MethodMissing: the path exists, but not with the method the gate uses.
	MethodMissing Presence = "method_missing"
	// NoTrailingSlash: the document lists the path without the trailing
	// slash the gate sends.
	NoTrailingSlash Presence = "no_trailing_slash"
	// NotVerified: doctor could not tell, e.g. a POST without a document.
	NotVerified Presence = "not_verified"
)

// Status returns the check outcome that p stands for.
func (p Presence) Status() Status {
	switch p {
	case Present:
		return Pass
	case Missing, MethodMissing:
		return Fail
	}
	return Warn
}

// Source says how doctor learnt about the endpoints.
type Source string

// The sources of endpoint results.
const (
	SourceDocument Source = "document" // the installation's OpenAPI document
	SourceProbe    Source = "probe"    // GET requests to the endpoints
)

// EndpointResult is what doctor learnt about one endpoint of api.Endpoints.
type EndpointResult struct {
	api.Endpoint
	Presence Presence
	Source   Source
	// Finding explains a presence other than Present, or names the path as
	// the document writes it when it differs (e.g. "{pk}").
	Finding string
	// Suggestion is where the document may have the endpoint instead, for
	// one it lacks (Missing, MethodMissing); nil when nothing resembles it
	// or the endpoint is present.
	Suggestion *Suggestion
}

// Report is the outcome of a doctor run.
type Report struct {
	// URL is the installation root as checked, without credentials.
	URL string
	// Project is the project found; nil when it was not.
	Project *api.Project
	// Document is where the installation's OpenAPI document was read, e.g.
	// "/api/schema/"; empty when none was.
	Document string
	// Checks are in the order of the check names; a check that was not run
	// is left out and named in Skipped.
	Checks    []Check
	Endpoints []EndpointResult
	// Skipped names the checks not run because an earlier one failed.
	Skipped []string
	// APIPaths is the `api-paths` override doctor ran with (api.Paths's
	// String); empty for the built-in table.
	APIPaths string
	// SuggestedAPIPaths is the `api-paths` value to set: the override in
	// force with the replacements doctor found; empty when it found none.
	SuggestedAPIPaths string
}

// OK reports whether no check failed; warnings are allowed.
func (r *Report) OK() bool {
	for _, c := range r.Checks {
		if c.Status == Fail {
			return false
		}
	}
	return true
}

// ExitCode returns ExitOK when no check failed, else ExitFailed.
func (r *Report) ExitCode() int {
	if r.OK() {
		return ExitOK
	}
	return ExitFailed
}

// Check returns the check named name; ok is false when it was not run.
func (r *Report) Check(name string) (c Check, ok bool) {
	for _, c := range r.Checks {
		if c.Name == name {
			return c, true
		}
	}
	return Check{}, false
}

// Options configures a doctor run.
type Options struct {
	// URL is the installation root, e.g. https://codescoring.example.com/.
	URL *url.URL
	// Token is the CodeScoring API token. It never appears in the report.
	Token string
	// Project is a project id (all digits) or an exact project name.
	Project string
	// Stage is the policy stage the gate will use; empty for any.
	Stage string
	// Paths overrides the endpoint table as the gate's `api-paths` input
	// does; every check uses the overridden paths.
	Paths api.Paths
	// CACert holds PEM certificates to trust in addition to the system's.
	CACert []byte
	// Version is the gate's version, for the User-Agent; "dev" when empty.
	Version string
	// Timeout limits each lookup, connection and request; DefaultTimeout
	// when zero.
	Timeout time.Duration
	// Audience says how advice names the settings (gate.Advice); doctor
	// sets its Doctor field itself.
	Audience gate.Audience

	// Transport sends every request to CodeScoring, as the gate's client
	// would; nil for the gate's own (http.DefaultTransport's settings, with
	// HTTPS_PROXY / NO_PROXY). With CACert it must be an *http.Transport.
	Transport http.RoundTripper
}

// validate checks what doctor needs to run at all; a URL it can use but that
// the gate would refuse is a failed url check instead.
func (o *Options) validate() error {
	p, in := i18n.New(o.Audience.Lang), o.Audience.Input
	var errs []error
	bad := func(key string, args ...any) { errs = append(errs, errors.New(p.T(key, args...))) }
	if o.URL == nil {
		bad("doctor.opt.url", in("url"))
	}
	switch token := strings.TrimSpace(o.Token); {
	case token == "":
		bad("doctor.opt.token", in("token"))
	case strings.ContainsFunc(token, badRune):
		bad("doctor.opt.tokenspace", in("token"))
	}
	if strings.TrimSpace(o.Project) == "" {
		bad("doctor.opt.project", in("project"))
	}
	if pool, _ := api.CertPool(o.CACert); o.CACert != nil && pool == nil {
		bad("doctor.opt.cacert", in("ca-cert"))
	}
	if strings.ContainsFunc(o.Version, badRune) {
		bad("doctor.opt.version", o.Version)
	}
	if o.Timeout < 0 {
		bad("doctor.opt.timeout", o.Timeout)
	}
	if err := api.CheckPaths(o.Paths); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

func badRune(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }

// Run checks the installation at opts.URL and returns the report. It returns
// an error, and no report, only when doctor itself cannot run: invalid
// options, or ctx ending before the checks did. Everything it finds about
// the installation is in the report.
func Run(ctx context.Context, opts Options) (*Report, error) {
	p := i18n.New(opts.Audience.Lang)
	if err := opts.validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", p.T("doctor.opt.check"), err)
	}
	d, err := newDoctor(opts)
	if err != nil {
		return nil, err
	}
	d.run(ctx)
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", p.T("doctor.opt.run"), err)
	}
	return d.report(), nil
}

// doctor is one run.
type doctor struct {
	opts  Options
	p     i18n.Printer // of opts.Audience.Lang, for every finding and fix
	token string

	base   *url.URL // the installation root, ending in "/"; nil when the url check fails
	client *api.Client

	checks    map[string]Check
	endpoints []EndpointResult
	document  string
	project   *api.Project
	analysis  *api.Analysis // the project's newest; nil when none
	policies  []api.Policy
	policyErr error // why policies is not known
	tokenOK   bool  // the token may read projects
	// anyProject is the id of a project the token may read, to probe with
	// when the configured one is not found; 0 when none.
	anyProject int64
}

// newDoctor makes the run and, for a URL the gate accepts, its client: the
// gate's (api.NewClient) with the run's CA certificate, paths and timeout,
// and no retries, since doctor reports a transient fault rather than
// waiting it out. A URL the gate refuses is the url check's to report.
func newDoctor(opts Options) (*doctor, error) {
	opts.Audience.Doctor = true
	if opts.Version == "" {
		opts.Version = "dev"
	}
	if opts.Timeout == 0 {
		opts.Timeout = DefaultTimeout
	}
	d := &doctor{opts: opts, p: i18n.New(opts.Audience.Lang), token: strings.TrimSpace(opts.Token), checks: map[string]Check{}}
	copts := []api.Option{api.WithVersion(opts.Version), api.WithRequestTimeout(opts.Timeout),
		api.WithPaths(opts.Paths), api.WithRetry(0, time.Second)}
	if opts.Transport != nil {
		copts = append(copts, api.WithTransport(opts.Transport))
	}
	if opts.CACert != nil {
		copts = append(copts, api.WithCACert(opts.CACert))
	}
	client, err := api.NewClient(opts.URL.String(), d.token, copts...)
	var urlErr *api.URLError
	switch {
	case errors.As(err, &urlErr):
		d.set(CheckURL, Fail, gate.Fact(urlErr, opts.Audience.Lang), gate.Advice(urlErr, opts.Audience))
	case err != nil:
		return nil, fmt.Errorf("%s: %w", d.p.T("doctor.opt.check"), err)
	default:
		d.client, d.base = client, client.BaseURL
	}
	return d, nil
}

// set records the outcome of a check.
func (d *doctor) set(name string, s Status, finding, fix string) {
	if s == Pass {
		fix = ""
	}
	d.checks[name] = Check{Name: name, Status: s, Finding: finding, Fix: fix}
}

// run makes every check that the outcome of the earlier ones allows.
func (d *doctor) run(ctx context.Context) {
	if d.client == nil {
		return
	}
	d.checkURL()
	apiOK, docOK := d.checkAPI(ctx)
	if apiOK {
		d.checkProject(ctx)
		d.fetchPolicies(ctx)
		d.checkAnalyses(ctx)
	}
	if docOK {
		d.checkEndpoints(ctx)
	}
	if apiOK {
		d.checkPolicies()
	}
}

// report assembles the report, with the token removed from every text.
func (d *doctor) report() *Report {
	r := &Report{Project: d.project, Document: d.document, Endpoints: d.endpoints,
		APIPaths: d.opts.Paths.String(), SuggestedAPIPaths: d.suggested()}
	if d.opts.URL != nil {
		u := *d.opts.URL
		u.User = nil
		r.URL = u.String()
		if d.base != nil {
			r.URL = d.base.String()
		}
	}
	for _, name := range checkOrder {
		c, ok := d.checks[name]
		if !ok {
			r.Skipped = append(r.Skipped, name)
			continue
		}
		r.Checks = append(r.Checks, c)
	}
	red := func(s string) string { return redact(s, d.token) }
	r.URL = red(r.URL)
	r.Document = red(r.Document)
	for i := range r.Checks {
		r.Checks[i].Finding = red(r.Checks[i].Finding)
		r.Checks[i].Fix = red(r.Checks[i].Fix)
	}
	for i := range r.Endpoints {
		r.Endpoints[i].Finding = red(r.Endpoints[i].Finding)
	}
	r.APIPaths, r.SuggestedAPIPaths = red(r.APIPaths), red(r.SuggestedAPIPaths)
	if r.Project != nil {
		p := *r.Project
		p.Name, p.Repository = red(p.Name), red(p.Repository)
		r.Project = &p
	}
	return r
}

// suggested returns the `api-paths` value to set: the override in force
// with every replacement found; "" when none was.
func (d *doctor) suggested() string {
	p := api.Paths{}
	found := false
	for k, v := range d.opts.Paths {
		p[k] = v
	}
	for _, r := range d.endpoints {
		if r.Suggestion != nil && r.Suggestion.Path != "" {
			p[r.Key] = r.Suggestion.Path
			found = true
		}
	}
	if !found {
		return ""
	}
	return p.String()
}

// redact removes the token from text that may come from the server.
func redact(s, token string) string {
	if token == "" {
		return s
	}
	return strings.ReplaceAll(s, token, "[redacted]")
}
