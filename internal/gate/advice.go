package gate

import (
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
)

// Audience says how advice names what the user sets: the inputs of the
// GitHub Action, or the flags and environment variables of the CLI.
type Audience struct {
	// Actions is true in GitHub Actions: advice names the `token` input;
	// else `--token` / `CODESCORING_TOKEN`.
	Actions bool
	// Doctor is true for doctor's report: "run doctor again" instead of
	// "re-run the job", and its endpoints check instead of running doctor.
	Doctor bool
}

// Input names the setting name as the user sets it, as markdown code:
// "the `token` input", or "`--token` / `CODESCORING_TOKEN`".
func (a Audience) Input(name string) string {
	if a.Actions {
		return "the `" + name + "` input"
	}
	return "`--" + name + "` / `CODESCORING_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_")) + "`"
}

// doctor names the doctor command as the user runs it.
func (a Audience) doctor() string {
	if a.Doctor {
		return "see the endpoints check, and open an issue for codescoring-gate with the output of `codescoring-gate doctor --json`"
	}
	if a.Actions {
		return "run the action once with `command: doctor`"
	}
	return "run `codescoring-gate doctor` with the same settings"
}

// rerun is what trying again means to the reader.
func (a Audience) rerun() string {
	if a.Doctor {
		return "run doctor again"
	}
	return "re-run the job"
}

// Advice says what the user can do about err, the one source of advice of
// the gate, its reports and doctor. Errors state facts; Advice turns them
// into what to change. Its text is the gate's own, never the server's: the
// reports render its `code` spans as code. It returns "" for a nil error.
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
	op := OpUnknown
	if errors.As(err, &call) {
		op = call.Op
	}
	switch {
	case errors.Is(err, ErrCancelled):
		return "the job was cancelled; re-run it to gate the build"
	case errors.As(err, &timeout):
		if timeout.Last != nil {
			// What the last attempt met says more than the deadline: a
			// host that refuses connections, a proxy answering 503.
			return Advice(timeout.Last, a)
		}
		if timeout.Awaited != "" {
			return "check that CodeScoring analyses " + timeout.Awaited + " on its own (its webhook or schedule for this repository), " +
				"or set " + a.Input("start") + " to true to start the analysis; raise " + a.Input("wait-timeout") +
				" (now " + shortDuration(timeout.Timeout) + ") if it starts late"
		}
		return "raise " + a.Input("wait-timeout") + " (now " + shortDuration(timeout.Timeout) +
			") if analyses of this project take longer; if CodeScoring is slow to answer, check its health and its analysis queue"
	case errors.As(err, &analysis):
		if analysis.Status == api.StatusFailed {
			return "fix what CodeScoring says (often the branch, the commit or a lock file it cannot resolve), then " + a.rerun()
		}
		return a.rerun() + " to start a new analysis"
	case errors.As(err, &gateErr):
		return gateErr.advice(a)
	case errors.As(err, &redirErr):
		return redirectAdvice(redirErr, a)
	case errors.As(err, &urlErr):
		return urlAdvice(urlErr, a)
	case errors.As(err, &own) && own.Advice() != "":
		// An error whose advice depends on what only it knows, e.g. the
		// url it suggests (*api.URLError).
		return own.Advice()
	case errors.As(err, &notFound):
		return "set " + a.Input("project") + " to the id or the exact name of a CodeScoring project"
	case errors.As(err, &ambiguous):
		return "set " + a.Input("project") + " to the id of the one to gate on"
	case errors.As(err, &htmlErr):
		return htmlAdvice(a)
	case errors.As(err, &decodeErr) && errors.As(err, &missing):
		return pathAdvice(decodeErr.Endpoint, decodeErr.Overridden, "may serve other objects than the gate reads there", a)
	case errors.As(err, &decodeErr):
		return "if a proxy sits in front of CodeScoring, check that it passes answers whole, then " + a.rerun() + "; else " + a.doctor()
	case errors.As(err, &tooLarge):
		return "check " + a.Input("url") + "; if it is right, report this log to the gate's maintainers"
	case errors.As(err, &tlsErr):
		return tlsAdvice(tlsErr, a)
	case errors.As(err, &proxyErr):
		switch proxyErr.StatusCode {
		case http.StatusProxyAuthRequired:
			return "set `HTTPS_PROXY` to the proxy's URL with a user and password (http://user:password@proxy:port), from a secret"
		case http.StatusForbidden:
			return "ask for the host to be allowed through the proxy, or add it to `NO_PROXY`"
		}
		return "check the `HTTPS_PROXY` and `NO_PROXY` environment variables"
	case errors.As(err, &netErr):
		if netErr.Timeout > 0 {
			return "check that this runner can reach CodeScoring (firewall, VPN, `HTTPS_PROXY` / `NO_PROXY`) and that it is not overloaded, then " + a.rerun()
		}
		return "check " + a.Input("url") + ", DNS, the firewall and `HTTPS_PROXY` / `NO_PROXY`: this runner must reach the host; then " + a.rerun()
	case errors.As(err, &apiErr):
		return apiAdvice(apiErr, op, a)
	}
	return a.rerun() + "; if it fails again, read the log of this step"
}

func redirectAdvice(e *api.RedirectError, a Audience) string {
	switch {
	case errors.Is(e, api.ErrInsecureRedirect):
		return "have CodeScoring (or the proxy in front of it) serve its API over https without redirecting to http; " +
			"an http:// " + a.Input("url") + " would send the token unencrypted"
	case e.Suggested != "":
		return "set " + a.Input("url") + " to " + e.Suggested
	case e.ToGet:
		return "set " + a.Input("url") + " to the address CodeScoring serves its API at without redirecting"
	}
	return "set " + a.Input("url") + " to the address CodeScoring itself answers at: it redirects to " + e.To +
		", which is not the installation (a login page of a proxy?)"
}

// exampleURL is the example installation URL of advice.
const exampleURL = "https://codescoring.example.com"

func urlAdvice(e *api.URLError, a Audience) string {
	u := a.Input("url")
	switch e.Problem {
	case api.URLScheme:
		return "set " + u + " to the installation URL with its scheme, e.g. " + exampleURL
	case api.URLCredentials:
		return "remove them from " + u + ": CodeScoring authenticates with " + a.Input("token")
	case api.URLQuery:
		return "remove it: set " + u + " to " + e.Suggested
	case api.URLEmptyPort:
		return "set " + u + " with the port CodeScoring listens on, or without the colon"
	case api.URLBadPort:
		return "set " + u + " with the port CodeScoring listens on, e.g. " + e.Suggested + ", or without a port for the scheme's default"
	case api.URLIntoAPI:
		return "remove the /api part: set " + u + " to " + e.Suggested + " (the gate adds /api/... itself)"
	}
	return "set " + u + " to the installation URL, e.g. " + exampleURL +
		", or with the path prefix a reverse proxy serves it under, e.g. https://tools.example.com/codescoring"
}

func htmlAdvice(a Audience) string {
	return "something other than CodeScoring's API answered (a proxy's login page, or the web UI): set " + a.Input("url") +
		" to the installation root that serves /api/, and let this runner through the proxy without a browser login"
}

func tlsAdvice(e *api.TLSError, a Audience) string {
	var (
		hostErr x509.HostnameError
		invalid x509.CertificateInvalidError
	)
	switch {
	case errors.As(e.Err, &hostErr):
		return "set " + a.Input("url") + " to a host name the certificate is for"
	case errors.As(e.Err, &invalid) && invalid.Reason == x509.Expired:
		return "CodeScoring's certificate has expired or is not valid yet: ask its administrators to renew it (and check the runner's clock)"
	}
	return "if CodeScoring uses a private CA, set " + a.Input("ca-cert") + " to that CA's PEM certificate"
}

func apiAdvice(e *api.APIError, op Op, a Audience) string {
	if e.NotJSON && strings.Contains(strings.ToLower(e.ContentType), "html") && e.StatusCode < 500 {
		return htmlAdvice(a)
	}
	switch e.StatusCode {
	case http.StatusUnauthorized:
		return "set " + a.Input("token") + " to a current API token from a CodeScoring user profile"
	case http.StatusForbidden:
		if op == OpStartAnalysis || e.Method == http.MethodPost {
			return "give the token's user the Developer or Owner role on the project to start analyses, or set " +
				a.Input("start") + " to false to wait for an analysis started elsewhere"
		}
		return "give the token's user a role on the project in CodeScoring: any role may read it; starting analyses needs the Developer or Owner role"
	case http.StatusNotFound:
		if e.Overridden {
			return pathAdvice(e.Endpoint, true, "does not serve the path", a)
		}
		switch op {
		case OpGetProject:
			return "set " + a.Input("project") + " to the id or the exact name of a CodeScoring project: no project has this id"
		case OpRecentAnalyses, OpStartAnalysis, OpGetAnalysis, OpReadPolicies, OpReadAlerts:
			// The project was found, so the url is right.
			if e.Endpoint != "" {
				return pathAdvice(e.Endpoint, false, "does not serve the path the gate calls", a)
			}
			return "this installation's API differs from the one the gate calls: " + a.doctor()
		}
		return "set " + a.Input("url") + " to the installation root, without /api (e.g. https://codescoring.example.com)"
	case http.StatusProxyAuthRequired:
		return "the HTTP proxy wants credentials: set `HTTPS_PROXY` to the proxy's URL with a user and password (http://user:password@proxy:port), from a secret"
	case http.StatusTooManyRequests:
		return "CodeScoring is limiting the requests of this token: " + a.rerun() + " later, or run fewer jobs at once with one token"
	case http.StatusBadRequest, http.StatusMethodNotAllowed, http.StatusNotImplemented:
		return "this installation's API differs from the one the gate calls: " + a.doctor()
	}
	if e.StatusCode >= 500 {
		return "CodeScoring, or a proxy in front of it, kept failing: check its health, then " + a.rerun()
	}
	return a.rerun() + "; if it fails again, " + a.doctor()
}

// pathAdvice is what to do when the installation does not answer endpoint
// (a name of the `api-paths` input) as the gate expects, why saying how;
// overridden is true when `api-paths` set its path.
func pathAdvice(endpoint string, overridden bool, why string, a Audience) string {
	what := "this installation " + why + " for " + endpoint
	if overridden {
		what += ", which " + a.Input("api-paths") + " sets"
	}
	switch {
	case a.Doctor:
		return what + ": the endpoints check says where the document has it, and the `api-paths` value to set"
	case a.Actions:
		return what + ": run the action once with `command: doctor` (and the same `api-paths`), and set " +
			a.Input("api-paths") + " to the value it prints"
	}
	return what + ": run `codescoring-gate doctor` with the same settings, and set " + a.Input("api-paths") + " to the value it prints"
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
	msg     string
	Timeout time.Duration
	Last    error
	Awaited string
}

func (e *timeoutError) Error() string        { return e.msg }
func (e *timeoutError) Is(target error) bool { return target == ErrWaitTimeout }
func (e *timeoutError) Unwrap() error        { return e.Last }

// cancelledError is a run cancelled while it waited for an analysis; it
// matches ErrCancelled.
type cancelledError struct{ msg string }

func (e *cancelledError) Error() string        { return e.msg }
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
	msg  string
}

func (e *gateError) Error() string { return e.msg }

// Class is Config for a project input that cannot be looked up.
func (e *gateError) Class() api.Class {
	if e.kind == kindProjectRef {
		return api.Config
	}
	return api.Outage
}

func (e *gateError) advice(a Audience) string {
	switch e.kind {
	case kindBug:
		return "this is a bug in codescoring-gate: please report it with the log"
	case kindQueue:
		return a.rerun() + " once the running analysis has finished; if this persists, check CodeScoring's analysis queue"
	case kindProjectRef:
		return "set " + a.Input("project") + " to the id or the exact name of a CodeScoring project"
	case kindNoAnalysis:
		return "set " + a.Input("start") + " to true to start one, or start one in CodeScoring before the gate runs"
	}
	return a.rerun() + "; if it fails again, " + a.doctor()
}
