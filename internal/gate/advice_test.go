package gate

import (
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
	"github.com/codescoring-gate/codescoring-gate/internal/i18n"
)

// TestAdvice checks the one source of advice: what it says for each error,
// naming the action's inputs in GitHub Actions and the CLI's flags and
// variables elsewhere.
func TestAdvice(t *testing.T) {
	t.Parallel()
	call := func(op Op, err error) error { return &CallError{Op: op, Doing: "x", Err: err} }
	for _, tc := range []struct {
		name          string
		err           error
		actions, cli  string // substrings of the advice in each audience
		wantClass     api.Class
		wantNotInBoth string
	}{
		{name: "401", err: call(OpFindProject, &api.APIError{StatusCode: 401, Method: "GET"}),
			actions: "set the `token` input to a current API token", cli: "set `--token` / `CODESCORING_TOKEN` to a current API token",
			wantClass: api.Config},
		{name: "403 on start", err: call(OpStartAnalysis, &api.APIError{StatusCode: 403, Method: "POST"}),
			actions: "Developer or Owner role on the project to start analyses, or set the `start` input to false",
			cli:     "or set `--start` / `CODESCORING_START` to false", wantClass: api.Config},
		{name: "403 reading", err: call(OpReadPolicies, &api.APIError{StatusCode: 403, Method: "GET"}),
			actions: "give the token's user a role on the project", cli: "any role may read it", wantClass: api.Config},
		{name: "404 project id", err: call(OpGetProject, &api.APIError{StatusCode: 404, Method: "GET"}),
			actions: "set the `project` input to the id or the exact name", cli: "`--project` / `CODESCORING_PROJECT`", wantClass: api.Config},
		{name: "404 elsewhere: the url prefix", err: call(OpFindProject, &api.APIError{StatusCode: 404, Method: "GET"}),
			actions: "set the `url` input to the installation root, without /api", cli: "set `--url` / `CODESCORING_URL` to the installation root",
			wantClass: api.Config},
		{name: "404 after the project was found: another API", err: call(OpReadPolicies, &api.APIError{StatusCode: 404, Method: "GET"}),
			actions: "differs from the one the gate calls: run the action once with `command: doctor`", cli: "`codescoring-gate doctor`",
			wantClass: api.Config},
		{name: "redirect to https", err: call(OpFindProject, &api.RedirectError{From: "http://h", To: "https://h/", Suggested: "https://h"}),
			actions: "set the `url` input to https://h", cli: "set `--url` / `CODESCORING_URL` to https://h", wantClass: api.Config},
		{name: "redirect to http", err: call(OpFindProject, &api.RedirectError{From: "https://h", To: "http://h/"}),
			actions: "serve its API over https without redirecting to http", cli: "`--url`", wantClass: api.Config},
		{name: "url port out of range", err: &api.URLError{URL: "http://h:99999", Problem: api.URLBadPort, Detail: "99999", Suggested: "http://h:8443"},
			actions: "set the `url` input with the port CodeScoring listens on, e.g. http://h:8443", cli: "set `--url` / `CODESCORING_URL` with the port",
			wantClass: api.Config},
		{name: "url into the API", err: &api.URLError{URL: "https://h/cs/api", Problem: api.URLIntoAPI, Suggested: "https://h/cs"},
			actions: "remove the /api part: set the `url` input to https://h/cs (the gate adds /api/... itself)", cli: "set `--url` / `CODESCORING_URL` to https://h/cs",
			wantClass: api.Config},
		{name: "url with credentials", err: &api.URLError{URL: "https://h", Problem: api.URLCredentials},
			actions: "remove them from the `url` input: CodeScoring authenticates with the `token` input", cli: "authenticates with `--token` / `CODESCORING_TOKEN`",
			wantClass: api.Config},
		{name: "url with a query", err: &api.URLError{URL: "https://h/?x", Problem: api.URLQuery, Suggested: "https://h"},
			actions: "remove it: set the `url` input to https://h", cli: "`--url`", wantClass: api.Config},
		{name: "url without a scheme", err: &api.URLError{URL: "h", Problem: api.URLScheme},
			actions: "set the `url` input to the installation URL with its scheme, e.g. https://codescoring.example.com", cli: "`--url`", wantClass: api.Config},
		{name: "url empty", err: &api.URLError{Problem: api.URLEmpty},
			actions: "e.g. https://codescoring.example.com, or with the path prefix", cli: "`--url`", wantClass: api.Config},
		{name: "unknown project name", err: call(OpFindProject, &api.ProjectNotFoundError{Name: "payments"}),
			actions: "set the `project` input to the id or the exact name", cli: "`--project`", wantClass: api.Config},
		{name: "ambiguous project", err: call(OpFindProject, &api.AmbiguousProjectError{Name: "p"}),
			actions: "set the `project` input to the id of the one", cli: "`--project`", wantClass: api.Config},
		{name: "HTML login page", err: call(OpReadAlerts, &api.HTMLError{StatusCode: 200}),
			actions: "proxy's login page", cli: "set `--url` / `CODESCORING_URL` to the installation root", wantClass: api.Config},
		{name: "HTML 404", err: call(OpFindProject, &api.APIError{StatusCode: 404, NotJSON: true, ContentType: "text/html"}),
			actions: "something other than CodeScoring's API answered", cli: "`--url`", wantClass: api.Config},
		{name: "502 HTML of a proxy: an outage", err: call(OpReadPolicies, &api.APIError{StatusCode: 502, NotJSON: true, ContentType: "text/html"}),
			actions: "kept failing: check its health, then re-run the job", cli: "re-run the job", wantClass: api.Outage},
		{name: "503 past the retry budget", err: call(OpReadPolicies, &api.AttemptsError{Attempts: 9, Err: &api.APIError{StatusCode: 503}}),
			actions: "check its health, then re-run the job", cli: "check its health", wantClass: api.Outage},
		{name: "429 past the retry budget", err: call(OpReadPolicies, &api.AttemptsError{Attempts: 1, Err: &api.APIError{StatusCode: 429}}),
			actions: "re-run the job later, or run fewer jobs at once with one token", cli: "re-run the job later", wantClass: api.Outage},
		{name: "400: another API", err: call(OpStartAnalysis, &api.APIError{StatusCode: 400}),
			actions: "differs from the one the gate calls: run the action once with `command: doctor`",
			cli:     "run `codescoring-gate doctor` with the same settings", wantClass: api.Config},
		{name: "501", err: call(OpReadAlerts, &api.APIError{StatusCode: 501}),
			actions: "`command: doctor`", cli: "`codescoring-gate doctor`", wantClass: api.Config},
		{name: "connection refused", err: call(OpFindProject, &api.AttemptsError{Attempts: 12, Err: &api.NetworkError{Host: "h", Err: errors.New("refused")}}),
			actions: "check the `url` input, DNS, the firewall and `HTTPS_PROXY` / `NO_PROXY`", cli: "check `--url` / `CODESCORING_URL`, DNS",
			wantClass: api.Outage},
		{name: "host name does not resolve", err: call(OpFindProject, &api.NetworkError{Host: "h", Err: &net.OpError{Op: "dial", Err: &net.DNSError{Name: "h", IsNotFound: true}}}),
			actions: "check the host name in the `url` input, and that this runner's DNS knows it", cli: "host name in `--url` / `CODESCORING_URL`",
			wantClass: api.Outage},
		{name: "proxy does not resolve", err: call(OpFindProject, &api.NetworkError{Host: "h",
			Err: &net.OpError{Op: "proxyconnect", Err: &net.OpError{Op: "dial", Err: &net.DNSError{Name: "proxy", IsNotFound: true}}}}),
			actions: "check the proxy's host name in `HTTPS_PROXY` / `HTTP_PROXY`, or add the CodeScoring host to `NO_PROXY`", cli: "`NO_PROXY`",
			wantClass: api.Outage, wantNotInBoth: "`url`"},
		{name: "nothing listens", err: call(OpFindProject, &api.NetworkError{Host: "h", Err: &net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}}),
			actions: "check the `url` input, DNS, the firewall and `HTTPS_PROXY` / `NO_PROXY`", cli: "check `--url` / `CODESCORING_URL`, DNS",
			wantClass: api.Outage},
		{name: "proxy refuses connections", err: call(OpFindProject, &api.NetworkError{Host: "h", Err: &net.OpError{Op: "proxyconnect", Err: syscall.ECONNREFUSED}}),
			actions: "check the proxy's address in `HTTPS_PROXY`", cli: "proxy's address", wantClass: api.Outage, wantNotInBoth: "`url`"},
		{name: "https to plain http", err: call(OpFindProject, &api.NetworkError{Host: "h", Err: http.ErrSchemeMismatch}),
			actions: "use http:// in the `url` input, or the port that serves https", cli: "use http:// in `--url`", wantClass: api.Outage},
		{name: "ca-cert without the CA", err: call(OpFindProject, &api.TLSError{Host: "h", Err: x509.UnknownAuthorityError{}, CACert: true}),
			actions: "the `ca-cert` input does not hold the CA that issued CodeScoring's certificate", cli: "`--ca-cert` / `CODESCORING_CA_CERT` does not hold the CA",
			wantClass: api.Config},
		{name: "request timeout", err: call(OpGetAnalysis, &api.NetworkError{Host: "h", Timeout: 30 * time.Second, Err: errors.New("t")}),
			actions: "check that this runner can reach CodeScoring", cli: "not overloaded", wantClass: api.Outage},
		{name: "unknown CA", err: call(OpFindProject, &api.TLSError{Host: "h", Err: x509.UnknownAuthorityError{}}),
			actions: "set the `ca-cert` input to that CA's PEM certificate", cli: "set `--ca-cert` / `CODESCORING_CA_CERT`", wantClass: api.Config},
		{name: "host name", err: call(OpFindProject, &api.TLSError{Host: "h", Err: x509.HostnameError{Host: "h"}}),
			actions: "set the `url` input to a host name the certificate is for", cli: "`--url`", wantClass: api.Config},
		{name: "expired certificate", err: call(OpFindProject, &api.TLSError{Host: "h", Err: x509.CertificateInvalidError{Reason: x509.Expired}}),
			actions: "ask its administrators to renew it", cli: "renew it", wantClass: api.Outage},
		{name: "proxy wants credentials", err: call(OpFindProject, &api.ProxyError{Host: "h", StatusCode: 407}),
			actions: "set `HTTPS_PROXY` to the proxy's URL with a user and password (http://user:password@proxy:port)", cli: "`HTTPS_PROXY`", wantClass: api.Config},
		{name: "proxy forbids the host", err: call(OpFindProject, &api.ProxyError{Host: "h", StatusCode: 403}),
			actions: "add it to `NO_PROXY`", cli: "`NO_PROXY`", wantClass: api.Config},
		{name: "invalid JSON", err: call(OpReadAlerts, &api.DecodeError{Path: "/api/x/", Err: errors.New("eof")}),
			actions: "passes answers whole", cli: "`codescoring-gate doctor`", wantClass: api.Outage},
		{name: "404 of an endpoint api-paths can move", err: call(OpReadAlerts, &api.APIError{StatusCode: 404, Method: "GET", Endpoint: "alerts"}),
			actions: "this installation does not serve the path the gate calls for alerts: run the action once with `command: doctor` " +
				"(and the same `api-paths`), and set the `api-paths` input to the value it prints",
			cli:       "run `codescoring-gate doctor` with the same settings, and set `--api-paths` / `CODESCORING_API_PATHS` to the value it prints",
			wantClass: api.Config},
		{name: "404 of an override", err: call(OpFindProject, &api.APIError{StatusCode: 404, Method: "GET", Endpoint: "projects", Overridden: true}),
			actions: "does not serve the path for projects, which the `api-paths` input sets", cli: "which `--api-paths` / `CODESCORING_API_PATHS` sets",
			wantClass: api.Config},
		{name: "a required field missing", err: call(OpGetAnalysis, &api.DecodeError{Path: "/api/x/5/", Endpoint: "analysis",
			Err: &api.MissingFieldError{Object: "analysis", Fields: []string{"status"}}}),
			actions: "this installation may serve other objects than the gate reads there for analysis: run the action once with `command: doctor`",
			cli:     "`codescoring-gate doctor`", wantClass: api.Config},
		{name: "too large", err: call(OpReadAlerts, &api.TooLargeError{Path: "/api/x/"}),
			actions: "check the `url` input", cli: "check `--url`", wantClass: api.Outage},
		{name: "wait-timeout", err: &timeoutError{msg: "m", Timeout: 45 * time.Minute},
			actions: "raise the `wait-timeout` input (now 45m)", cli: "raise `--wait-timeout` / `CODESCORING_WAIT_TIMEOUT` (now 45m)",
			wantClass: api.Outage},
		{name: "wait-timeout with the last attempt's error", err: &timeoutError{msg: "m", Timeout: 5 * time.Minute,
			Last: &api.TLSError{Host: "h", Err: x509.UnknownAuthorityError{}}},
			actions: "set the `ca-cert` input", cli: "`--ca-cert`", wantNotInBoth: "wait-timeout", wantClass: api.Config},
		{name: "wait-timeout with a network error", err: &timeoutError{msg: "m", Timeout: 5 * time.Minute,
			Last: &api.NetworkError{Host: "h", Err: errors.New("refused")}},
			actions: "DNS, the firewall", cli: "DNS, the firewall", wantNotInBoth: "wait-timeout", wantClass: api.Outage},
		{name: "analysis failed", err: &AnalysisError{ID: 1, Status: api.StatusFailed, Message: "clone"},
			actions: "fix what CodeScoring says", cli: "then re-run the job", wantClass: api.Outage},
		{name: "analysis canceled", err: &AnalysisError{ID: 1, Status: api.StatusCanceled, Message: "admin"},
			actions: "re-run the job to start a new analysis", cli: "re-run the job", wantClass: api.Outage},
		{name: "cancelled", err: fmt.Errorf("wait: %w", ErrCancelled), actions: "the job was cancelled; re-run it", cli: "re-run it",
			wantClass: api.Outage},
		{name: "bug", err: &gateError{kind: kindBug, msg: "internal error: x"}, actions: "a bug in codescoring-gate", cli: "report it",
			wantClass: api.Outage},
		{name: "project input", err: &gateError{kind: kindProjectRef, msg: "no project given"},
			actions: "set the `project` input", cli: "set `--project` / `CODESCORING_PROJECT`", wantClass: api.Config},
		{name: "anything else", err: errors.New("boom"), actions: "re-run the job", cli: "read the log", wantClass: api.Outage},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			for _, c := range []struct {
				aud  Audience
				want string
			}{{Audience{Actions: true}, tc.actions}, {Audience{}, tc.cli}} {
				got := Advice(tc.err, c.aud)
				if !strings.Contains(got, c.want) {
					t.Errorf("Advice(%v, actions %t) = %q, want it to contain %q", tc.err, c.aud.Actions, got, c.want)
				}
				if tc.wantNotInBoth != "" && strings.Contains(got, tc.wantNotInBoth) {
					t.Errorf("Advice(%v) = %q, must not mention %q", tc.err, got, tc.wantNotInBoth)
				}
				if c.aud.Actions && strings.Contains(got, "CODESCORING_") {
					t.Errorf("advice in Actions names a CLI variable: %q", got)
				}
				if !c.aud.Actions && strings.Contains(got, " input") {
					t.Errorf("advice outside Actions names an input: %q", got)
				}
				if strings.Count(got, "`")%2 != 0 {
					t.Errorf("advice %q has an unbalanced code span", got)
				}
			}
			if got := api.ClassOf(tc.err); got != tc.wantClass {
				t.Errorf("ClassOf(%v) = %s, want %s", tc.err, got, tc.wantClass)
			}
		})
	}
	if got := Advice(nil, Audience{}); got != "" {
		t.Errorf("Advice(nil) = %q, want empty", got)
	}
}

// TestAdviceIsNotInTheError checks that errors state facts: no advice of
// Advice repeats in the error's own message, so a report that shows both
// says it once.
func TestAdviceIsNotInTheError(t *testing.T) {
	t.Parallel()
	for _, err := range []error{
		&api.APIError{StatusCode: 401, Method: "GET", Path: "/api/projects/", Detail: "Invalid token."},
		&api.APIError{StatusCode: 403, Method: "POST", Path: "/api/analyses/projects/sca/start/"},
		&api.APIError{StatusCode: 404, Method: "GET", Path: "/api/projects/9/"},
		&api.APIError{StatusCode: 503, Method: "GET", Path: "/api/policies/"},
		&api.APIError{StatusCode: 429, Method: "GET", Path: "/api/policies/"},
		&api.APIError{StatusCode: 400, Method: "GET", Path: "/api/policies/"},
		&api.ProjectNotFoundError{Name: "payments", Near: []api.Project{{ID: 340, Name: "payments-service"}}},
		&api.AmbiguousProjectError{Name: "p", Matches: []api.Project{{ID: 1, Name: "p"}, {ID: 2, Name: "P"}}},
		&api.HTMLError{StatusCode: 200, Method: "GET", Path: "/api/projects/"},
		&api.NetworkError{Method: "GET", Path: "/api/projects/", Host: "h", Err: errors.New("connection refused")},
		&api.NetworkError{Method: "GET", Path: "/api/projects/", Host: "h", Timeout: time.Second, Err: errors.New("t")},
		&api.TLSError{Host: "h", Err: x509.UnknownAuthorityError{}},
		&api.ProxyError{Host: "h", StatusCode: 407},
		&api.ProxyError{Host: "h", StatusCode: 403},
		&api.APIError{StatusCode: 404, Method: "GET", Path: "/api/sca/alerts/", Endpoint: "alerts", Overridden: true},
		&api.DecodeError{Path: "/api/x/5/", Endpoint: "analysis", Overridden: true,
			Err: &api.MissingFieldError{Object: "analysis", Fields: []string{"status"}}},
		&api.URLError{URL: "http://h:99999", Problem: api.URLBadPort, Detail: "99999", Suggested: "http://h:8443"},
		&api.URLError{URL: "https://h/cs/api", Problem: api.URLIntoAPI, Suggested: "https://h/cs"},
		&api.RedirectError{From: "http://h", To: "https://h/", Suggested: "https://h", StatusCode: 301, Method: "GET", Path: "/api/projects/"},
	} {
		msg := err.Error()
		for _, advice := range []string{"check the", "set the", "`", " input", "try again", "re-run", "HTTPS_PROXY", "doctor"} {
			if strings.Contains(msg, advice) {
				t.Errorf("%T says %q, which is advice: %s", err, advice, msg)
			}
		}
	}
}

// Advice speaks Russian with Lang ru: for every kind of error its text is
// the Russian catalog's, with no English sentence left, and the names of
// inputs, flags and values stay as they are typed.
func TestAdviceInRussian(t *testing.T) {
	t.Parallel()
	call := func(op Op, err error) error { return &CallError{Op: op, Doing: "x", Err: err} }
	errs := []error{
		ErrCancelled,
		&timeoutError{msg: "t", Timeout: 5 * time.Minute},
		&timeoutError{msg: "t", Timeout: 5 * time.Minute, Awaited: Plain("main")},
		&AnalysisError{ID: 1, Status: api.StatusFailed},
		&AnalysisError{ID: 1, Status: api.StatusCanceled},
		&gateError{kind: kindBug}, &gateError{kind: kindQueue}, &gateError{kind: kindProjectRef},
		&gateError{kind: kindNoAnalysis}, &gateError{kind: kindNoResult},
		&api.RedirectError{From: "https://h", To: "http://h/"}, &api.RedirectError{From: "http://h", To: "https://h/", ToGet: true},
		&api.RedirectError{From: "http://h", To: "https://h/", Suggested: "https://h"},
		&api.RedirectError{From: "http://h", To: "https://login/"},
		&api.URLError{Problem: api.URLScheme}, &api.URLError{Problem: api.URLCredentials},
		&api.URLError{Problem: api.URLQuery, Suggested: "https://h"}, &api.URLError{Problem: api.URLEmptyPort},
		&api.URLError{Problem: api.URLBadPort, Suggested: "https://h:8443"}, &api.URLError{Problem: api.URLIntoAPI, Suggested: "https://h"},
		&api.URLError{Problem: api.URLEmpty},
		call(OpFindProject, &api.ProjectNotFoundError{Name: "p"}), call(OpFindProject, &api.AmbiguousProjectError{Name: "p"}),
		call(OpReadAlerts, &api.HTMLError{StatusCode: 200}),
		call(OpReadAlerts, &api.DecodeError{Path: "/x", Endpoint: "alerts", Err: &api.MissingFieldError{Object: "alert", Fields: []string{"id"}}}),
		call(OpReadAlerts, &api.DecodeError{Path: "/x", Err: errors.New("bad")}),
		call(OpReadAlerts, &api.TooLargeError{Path: "/x", Limit: 1 << 20}),
		call(OpReadAlerts, &api.TLSError{Host: "h", Err: errors.New("unknown authority")}),
		call(OpReadAlerts, &api.ProxyError{StatusCode: 407}), call(OpReadAlerts, &api.ProxyError{StatusCode: 403}),
		call(OpReadAlerts, &api.ProxyError{StatusCode: 502}),
		call(OpReadAlerts, &api.NetworkError{Timeout: time.Second}), call(OpReadAlerts, &api.NetworkError{Err: errors.New("refused")}),
		call(OpReadAlerts, &api.NetworkError{Err: &net.OpError{Op: "dial", Err: &net.DNSError{Name: "h"}}}),
		call(OpReadAlerts, &api.NetworkError{Err: &net.OpError{Op: "proxyconnect", Err: &net.DNSError{Name: "h"}}}),
		call(OpReadAlerts, &api.NetworkError{Err: &net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}}),
		call(OpReadAlerts, &api.NetworkError{Err: &net.OpError{Op: "proxyconnect", Err: syscall.ECONNREFUSED}}),
		call(OpReadAlerts, &api.NetworkError{Err: http.ErrSchemeMismatch}),
		call(OpReadAlerts, &api.TLSError{Host: "h", Err: x509.UnknownAuthorityError{}, CACert: true}),
		call(OpFindProject, &api.APIError{StatusCode: 401}), call(OpStartAnalysis, &api.APIError{StatusCode: 403, Method: "POST"}),
		call(OpReadAlerts, &api.APIError{StatusCode: 403}), call(OpGetProject, &api.APIError{StatusCode: 404}),
		call(OpReadAlerts, &api.APIError{StatusCode: 404, Endpoint: "alerts"}), call(OpReadAlerts, &api.APIError{StatusCode: 404, Endpoint: "alerts", Overridden: true}),
		call(OpReadAlerts, &api.APIError{StatusCode: 404}), call(OpFindProject, &api.APIError{StatusCode: 404}),
		call(OpReadAlerts, &api.APIError{StatusCode: 407}), call(OpReadAlerts, &api.APIError{StatusCode: 429}),
		call(OpReadAlerts, &api.APIError{StatusCode: 400}), call(OpReadAlerts, &api.APIError{StatusCode: 503}),
		call(OpReadAlerts, &api.APIError{StatusCode: 418}), errors.New("other"),
	}
	english := regexp.MustCompile(`\b(set|the|check|re-run|run|remove|give|if|to|then|again)\b`)
	code := regexp.MustCompile("`[^`]*`|https?://[^ ),]*|/api/\\.\\.\\.|/api/?")
	for _, err := range errs {
		for _, aud := range []Audience{{Actions: true}, {}, {Doctor: true}} {
			en := Advice(err, aud)
			aud.Lang = i18n.Russian
			ru := Advice(err, aud)
			if ru == en {
				t.Errorf("%v (%+v): the Russian advice is the English %q", err, aud, en)
			}
			if w := english.FindString(code.ReplaceAllString(ru, "")); w != "" {
				t.Errorf("%v (%+v): Russian advice %q has the English word %q", err, aud, ru, w)
			}
			if aud.Actions && strings.Contains(en, "`start`") && !strings.Contains(ru, "входной параметр `start`") {
				t.Errorf("%v: Russian advice %q does not name the `start` input", err, ru)
			}
		}
	}
}
