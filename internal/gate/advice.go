package gate

import (
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
	"github.com/codescoring-gate/codescoring-gate/internal/i18n"
)

// Audience says how advice names what the user sets: the inputs of the
// GitHub Action, or the flags and environment variables of the CLI; and the
// language it speaks.
type Audience struct {
	// Actions is true in GitHub Actions: advice names the `token` input;
	// else `--token` / `CODESCORING_TOKEN`.
	Actions bool
	// Doctor is true for doctor's report: "run doctor again" instead of
	// "re-run the job", and its endpoints check instead of running doctor.
	Doctor bool
	// Lang is the language of the advice; empty is English.
	Lang i18n.Language
}

// p is the printer of a's language.
func (a Audience) p() i18n.Printer { return i18n.New(a.Lang) }

// Input names the setting name as the user sets it, as markdown code:
// "the `token` input", or "`--token` / `CODESCORING_TOKEN`".
func (a Audience) Input(name string) string {
	if a.Actions {
		return a.p().T("advice.input", name)
	}
	return "`--" + name + "` / `CODESCORING_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_")) + "`"
}

// doctor names the doctor command as the user runs it.
func (a Audience) doctor() string {
	p := a.p()
	if a.Doctor {
		return p.T("advice.doctor.self")
	}
	if a.Actions {
		return p.T("advice.doctor.actions")
	}
	return p.T("advice.doctor.cli")
}

// rerun is what trying again means to the reader.
func (a Audience) rerun() string {
	if a.Doctor {
		return a.p().T("advice.rerun.doctor")
	}
	return a.p().T("advice.rerun")
}

// Advice says what the user can do about err, the one source of advice of
// the gate, its reports and doctor, in a.Lang. Errors state facts; Advice
// turns them into what to change. Its text is the gate's own, never the
// server's: the reports render its `code` spans as code. It returns "" for
// a nil error.
func Advice(err error, a Audience) string {
	if err == nil {
		return ""
	}
	var (
		call      *CallError
		timeout   *timeoutError
		analysis  *AnalysisError
		gateErr   *gateError
		notFound  *api.ProjectNotFoundError
		ambiguous *api.AmbiguousProjectError
		htmlErr   *api.HTMLError
		decodeErr *api.DecodeError
		missing   *api.MissingFieldError
		tooLarge  *api.TooLargeError
		tlsErr    *api.TLSError
		proxyErr  *api.ProxyError
		netErr    *api.NetworkError
		apiErr    *api.APIError
		redirErr  *api.RedirectError
		urlErr    *api.URLError
		own       interface{ Advice() string }
	)
	p := a.p()
	op := OpUnknown
	if errors.As(err, &call) {
		op = call.Op
	}
	switch {
	case errors.Is(err, ErrCancelled):
		return p.T("advice.cancelled")
	case errors.As(err, &timeout):
		if timeout.Last != nil {
			// What the last attempt met says more than the deadline: a
			// host that refuses connections, a proxy answering 503.
			return Advice(timeout.Last, a)
		}
		if !timeout.Awaited.IsZero() {
			return p.T("advice.timeout.awaited", timeout.Awaited, a.Input("start"), a.Input("wait-timeout"), shortDuration(timeout.Timeout))
		}
		return p.T("advice.timeout", a.Input("wait-timeout"), shortDuration(timeout.Timeout))
	case errors.As(err, &analysis):
		if analysis.Status == api.StatusFailed {
			return p.T("advice.analysis.failed", a.rerun())
		}
		return p.T("advice.analysis.new", a.rerun())
	case errors.As(err, &gateErr):
		return gateErr.advice(a)
	case errors.As(err, &redirErr):
		return redirectAdvice(redirErr, a)
	case errors.As(err, &urlErr):
		return urlAdvice(urlErr, a)
	case errors.As(err, &own) && own.Advice() != "":
		// An error whose advice depends on what only it knows.
		return own.Advice()
	case errors.As(err, &notFound):
		return p.T("advice.project.name", a.Input("project"))
	case errors.As(err, &ambiguous):
		return p.T("advice.project.ambiguous", a.Input("project"))
	case errors.As(err, &htmlErr):
		return htmlAdvice(a)
	case errors.As(err, &decodeErr) && errors.As(err, &missing):
		return pathAdvice(decodeErr.Endpoint, decodeErr.Overridden, p.T("advice.why.objects"), a)
	case errors.As(err, &decodeErr):
		return p.T("advice.decode", a.rerun(), a.doctor())
	case errors.As(err, &tooLarge):
		return p.T("advice.toolarge", a.Input("url"))
	case errors.As(err, &tlsErr):
		return tlsAdvice(tlsErr, a)
	case errors.As(err, &proxyErr):
		switch proxyErr.StatusCode {
		case http.StatusProxyAuthRequired:
			return p.T("advice.proxy.auth")
		case http.StatusForbidden:
			return p.T("advice.proxy.forbidden")
		}
		return p.T("advice.proxy")
	case errors.As(err, &netErr):
		return netAdvice(netErr, a)
	case errors.As(err, &apiErr):
		return apiAdvice(apiErr, op, a)
	}
	return p.T("advice.default", a.rerun())
}

func redirectAdvice(e *api.RedirectError, a Audience) string {
	p := a.p()
	switch {
	case errors.Is(e, api.ErrInsecureRedirect):
		return p.T("advice.redirect.insecure", a.Input("url"))
	case e.Suggested != "":
		return p.T("advice.url.set", a.Input("url"), e.Suggested)
	case e.ToGet:
		return p.T("advice.redirect.toget", a.Input("url"))
	}
	return p.T("advice.redirect", a.Input("url"), e.To)
}

// exampleURL is the example installation URL of advice.
const exampleURL = "https://codescoring.example.com"

func urlAdvice(e *api.URLError, a Audience) string {
	p := a.p()
	u := a.Input("url")
	switch e.Problem {
	case api.URLScheme:
		return p.T("advice.url.scheme", u, exampleURL)
	case api.URLCredentials:
		return p.T("advice.url.credentials", u, a.Input("token"))
	case api.URLQuery:
		return p.T("advice.url.query", u, e.Suggested)
	case api.URLEmptyPort:
		return p.T("advice.url.emptyport", u)
	case api.URLBadPort:
		return p.T("advice.url.badport", u, e.Suggested)
	case api.URLIntoAPI:
		return p.T("advice.url.intoapi", u, e.Suggested)
	}
	return p.T("advice.url", u, exampleURL)
}

func htmlAdvice(a Audience) string {
	return a.p().T("advice.html", a.Input("url"))
}

func tlsAdvice(e *api.TLSError, a Audience) string {
	var (
		hostErr x509.HostnameError
		invalid x509.CertificateInvalidError
	)
	p := a.p()
	switch {
	case errors.As(e.Err, &hostErr):
		return p.T("advice.tls.host", a.Input("url"))
	case e.CACert && !errors.As(e.Err, &invalid):
		return p.T("advice.tls.ca.given", a.Input("ca-cert"))
	case errors.As(e.Err, &invalid) && invalid.Reason == x509.Expired:
		return p.T("advice.tls.expired")
	}
	return p.T("advice.tls.ca", a.Input("ca-cert"))
}

// netAdvice says what to do about a request that got no answer, by the
// layer it failed at.
func netAdvice(e *api.NetworkError, a Audience) string {
	p := a.p()
	switch layer := e.Layer(); {
	case e.Timeout > 0:
		return p.T("advice.net.timeout", a.rerun())
	case layer == api.LayerDNS && e.ViaProxy():
		return p.T("advice.net.proxy.dns", a.rerun())
	case layer == api.LayerDNS:
		return p.T("advice.net.dns", a.Input("url"), a.rerun())
	case layer == api.LayerConnect && e.ViaProxy():
		return p.T("advice.net.proxy.connect", a.rerun())
	case layer == api.LayerTLS:
		return p.T("advice.net.plain", a.Input("url"))
	}
	return p.T("advice.net", a.Input("url"), a.rerun())
}

func apiAdvice(e *api.APIError, op Op, a Audience) string {
	if e.NotJSON && strings.Contains(strings.ToLower(e.ContentType), "html") && e.StatusCode < 500 {
		return htmlAdvice(a)
	}
	p := a.p()
	switch e.StatusCode {
	case http.StatusUnauthorized:
		return p.T("advice.401", a.Input("token"))
	case http.StatusForbidden:
		if op == OpStartAnalysis || e.Method == http.MethodPost {
			return p.T("advice.403.start", a.Input("start"))
		}
		return p.T("advice.403")
	case http.StatusNotFound:
		if e.Overridden {
			return pathAdvice(e.Endpoint, true, p.T("advice.why.path"), a)
		}
		switch op {
		case OpGetProject:
			return p.T("advice.404.project", a.Input("project"))
		case OpRecentAnalyses, OpStartAnalysis, OpGetAnalysis, OpReadPolicies, OpReadAlerts:
			// The project was found, so the url is right.
			if e.Endpoint != "" {
				return pathAdvice(e.Endpoint, false, p.T("advice.why.gatepath"), a)
			}
			return p.T("advice.otherapi", a.doctor())
		}
		return p.T("advice.404", a.Input("url"))
	case http.StatusProxyAuthRequired:
		return p.T("advice.407")
	case http.StatusTooManyRequests:
		return p.T("advice.429", a.rerun())
	case http.StatusBadRequest, http.StatusMethodNotAllowed, http.StatusNotImplemented:
		return p.T("advice.otherapi", a.doctor())
	}
	if e.StatusCode >= 500 {
		return p.T("advice.5xx", a.rerun())
	}
	return p.T("advice.default.doctor", a.rerun(), a.doctor())
}

// pathAdvice is what to do when the installation does not answer endpoint
// (a name of the `api-paths` input) as the gate expects, why saying how;
// overridden is true when `api-paths` set its path.
func pathAdvice(endpoint string, overridden bool, why string, a Audience) string {
	p := a.p()
	what := p.T("advice.path.what", why, endpoint)
	if overridden {
		what += p.T("advice.path.overridden", a.Input("api-paths"))
	}
	switch {
	case a.Doctor:
		return p.T("advice.path.doctor", what)
	case a.Actions:
		return p.T("advice.path.actions", what, a.Input("api-paths"))
	}
	return p.T("advice.path.cli", what, a.Input("api-paths"))
}

// Op is a call of the gate to CodeScoring, for advice that depends on it.
type Op int

// The calls of a run.
const (
	OpUnknown Op = iota
	OpGetProject
	OpFindProject
	OpRecentAnalyses
	OpStartAnalysis
	OpGetAnalysis
	OpReadPolicies
	OpReadAlerts
)

// CallError is a call to CodeScoring that failed: Doing says what the gate
// was doing ("get project 340"), Err what went wrong.
type CallError struct {
	Op    Op
	Doing string
	Err   error
	// doing is Doing in the catalogs' words, for Fact; unset, Fact says
	// Doing as it is.
	doing said
}

func (e *CallError) Error() string { return e.Doing + ": " + e.Err.Error() }
func (e *CallError) Unwrap() error { return e.Err }

// AnalysisError is an analysis that finished without success in
// CodeScoring: failed or canceled. Message is the server's reason.
type AnalysisError struct {
	ID      int64
	Status  api.AnalysisStatus
	Message string
}

func (e *AnalysisError) Error() string {
	if e.Status == api.StatusFailed {
		return fmt.Sprintf("analysis %d failed in CodeScoring: %s", e.ID, e.Message)
	}
	return fmt.Sprintf("analysis %d was %s in CodeScoring: %s", e.ID, e.Status, e.Message)
}

// timeoutError is the wait-timeout running out. Its message stands alone;
// it still matches ErrWaitTimeout. Last is the error of the last attempt
// of a call that the deadline cut short; Awaited, when set, is what the
// gate waited for CodeScoring to start (start: false).
type timeoutError struct {
	msg     string // unless said says it
	said    saying
	Timeout time.Duration
	Last    error
	Awaited Text
}

func (e *timeoutError) Error() string        { return e.said.or(e.msg, i18n.English) }
func (e *timeoutError) Is(target error) bool { return target == ErrWaitTimeout }
func (e *timeoutError) Unwrap() error        { return e.Last }

// cancelledError is a run cancelled while it waited for an analysis; it
// matches ErrCancelled.
type cancelledError struct{ said saying }

func (e *cancelledError) Error() string        { return e.said.in(i18n.English) }
func (e *cancelledError) Is(target error) bool { return target == ErrCancelled }

// gateKind is the kind of a gateError.
type gateKind int

const (
	kindBug        gateKind = iota // a bug of the gate
	kindNoResult                   // CodeScoring answered without the object
	kindQueue                      // CodeScoring's queue says one thing and shows another
	kindProjectRef                 // the project input is no id and no name
	kindNoAnalysis                 // start: false, and the project has no analysis
)

// gateError is a failure the gate finds itself, with no error of a call
// behind it.
type gateError struct {
	kind gateKind
	msg  string // unless said says it
	said saying
}

func (e *gateError) Error() string { return e.said.or(e.msg, i18n.English) }

// Class is Config for a project input that cannot be looked up.
func (e *gateError) Class() api.Class {
	if e.kind == kindProjectRef {
		return api.Config
	}
	return api.Outage
}

func (e *gateError) advice(a Audience) string {
	p := a.p()
	switch e.kind {
	case kindBug:
		return p.T("advice.bug")
	case kindQueue:
		return p.T("advice.queue", a.rerun())
	case kindProjectRef:
		return p.T("advice.project.name", a.Input("project"))
	case kindNoAnalysis:
		return p.T("advice.noanalysis", a.Input("start"))
	}
	return p.T("advice.default.doctor", a.rerun(), a.doctor())
}
