package api

import (
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// APIError is a non-2xx answer of CodeScoring. Path never carries
// credentials or the query string. Its message states what happened; what
// to do about it is gate.Advice's.
type APIError struct {
	StatusCode int
	Method     string
	Path       string
	// Detail is the server's "detail" message, when it sent one.
	Detail string
	// FieldErrors are DRF field errors of a 400 answer.
	FieldErrors map[string][]string
	// NotJSON is true when the body was not JSON (an HTML page from a proxy
	// or a login form); ContentType is what the server said it was.
	NotJSON     bool
	ContentType string
	// Endpoint is the key of the endpoint called (Endpoint.Key, e.g.
	// "alerts"), and Overridden whether `api-paths` set its path; empty for
	// a request outside the table.
	Endpoint   string
	Overridden bool
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "CodeScoring answered %s %s with %d %s", e.Method, e.Path, e.StatusCode, http.StatusText(e.StatusCode))
	switch {
	case e.NotJSON && isHTMLType(e.ContentType):
		b.WriteString(" as an HTML page instead of JSON (from a proxy in front of CodeScoring?)")
	case e.NotJSON && e.ContentType != "":
		fmt.Fprintf(&b, " with a %q body instead of JSON", e.ContentType)
	case e.NotJSON:
		b.WriteString(" with a body that is not JSON")
	case e.Detail != "":
		fmt.Fprintf(&b, " (%q)", truncate(e.Detail, 300))
	}
	if len(e.FieldErrors) > 0 {
		b.WriteString(" (field errors: ")
		keys := make([]string, 0, len(e.FieldErrors))
		for k := range e.FieldErrors {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for i, k := range keys {
			if i > 0 {
				b.WriteString("; ")
			}
			fmt.Fprintf(&b, "%s: %q", fieldName(k), truncate(strings.Join(e.FieldErrors[k], " "), 200))
		}
		b.WriteString(")")
	}
	return b.String()
}

// fieldName shows a field name from the server as it is when it is a plain
// identifier, else quoted, so that the message stays on one line.
func fieldName(k string) string {
	odd := func(r rune) bool {
		return r != '_' && r != '-' && r != '.' && (r < '0' || r > '9') && (r < 'a' || r > 'z') && (r < 'A' || r > 'Z')
	}
	if k != "" && !strings.ContainsFunc(k, odd) {
		return k
	}
	return strconv.Quote(truncate(k, 60))
}

func isHTMLType(contentType string) bool {
	return strings.Contains(strings.ToLower(contentType), "html")
}

// AlreadyRunningError is a 409 answer to starting an analysis: an SCA
// analysis of the project is running already and the gate attaches to it.
// AnalysisID is zero when the server did not name it.
type AlreadyRunningError struct {
	AnalysisID int64
	Detail     string
}

func (e *AlreadyRunningError) Error() string {
	if e.AnalysisID == 0 {
		return "an SCA analysis of the project is already running"
	}
	return fmt.Sprintf("SCA analysis %d of the project is already running", e.AnalysisID)
}

// ProjectNotFoundError says no project has the configured name. Near lists
// projects whose names contain it, for the message.
type ProjectNotFoundError struct {
	Name string
	Near []Project
}

func (e *ProjectNotFoundError) Error() string {
	msg := fmt.Sprintf("no CodeScoring project is named %q", e.Name)
	if len(e.Near) > 0 {
		msg += "; near matches: " + projectList(e.Near)
	}
	return msg
}

// AmbiguousProjectError says several projects have the configured name.
type AmbiguousProjectError struct {
	Name    string
	Matches []Project
}

func (e *AmbiguousProjectError) Error() string {
	return fmt.Sprintf("%d CodeScoring projects are named %q: %s",
		len(e.Matches), e.Name, projectList(e.Matches))
}

func projectList(ps []Project) string {
	parts := make([]string, 0, len(ps))
	for i, p := range ps {
		if i == 10 {
			parts = append(parts, fmt.Sprintf("and %d more", len(ps)-10))
			break
		}
		parts = append(parts, fmt.Sprintf("%q (id %d)", p.Name, p.ID))
	}
	return strings.Join(parts, ", ")
}

// DecodeError is a 2xx answer whose body is not the JSON the contract
// describes: invalid, truncated, or of the wrong shape. Path is the request
// path, without the query.
type DecodeError struct {
	Path string
	Err  error
	// Endpoint is the key of the endpoint called (Endpoint.Key), and
	// Overridden whether `api-paths` set its path; see APIError.
	Endpoint   string
	Overridden bool
}

func (e *DecodeError) Error() string {
	var mf *MissingFieldError
	if errors.As(e.Err, &mf) {
		msg := "CodeScoring's answer from " + e.Path
		if e.Endpoint != "" {
			msg = fmt.Sprintf("CodeScoring's answer from the %s endpoint (%s)", e.Endpoint, e.Path)
		}
		if e.Overridden {
			msg += ", set by api-paths,"
		}
		return msg + " is not what the gate expects: " + e.Err.Error()
	}
	msg := "CodeScoring returned invalid JSON from " + e.Path
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *DecodeError) Unwrap() error { return e.Err }

// MissingFieldError is an object in an answer without a field the gate
// cannot do without, e.g. an analysis without "status": most often the path
// serves another kind of object on this installation. Fields lists the
// names accepted ("id or pk").
type MissingFieldError struct {
	Object string
	Fields []string
}

// Class is Config: the path serves something else, and a re-run gets the
// same answer.
func (e *MissingFieldError) Class() Class { return Config }

func (e *MissingFieldError) Error() string {
	return fmt.Sprintf("the %s has no %s field", e.Object, strings.Join(e.Fields, " or "))
}

// HTMLError is a 2xx answer that is an HTML page instead of JSON: most often
// the login page of a proxy in front of CodeScoring, or a `url` input that
// points at the web UI rather than the installation root.
type HTMLError struct {
	StatusCode  int
	Method      string
	Path        string
	ContentType string
}

func (e *HTMLError) Error() string {
	return fmt.Sprintf("CodeScoring answered %s %s with an HTML page instead of JSON "+
		"(a proxy's login page, or the web UI rather than the API?)", e.Method, e.Path)
}

// TooLargeError is an answer larger than the client reads (Limit bytes).
type TooLargeError struct {
	Path  string
	Limit int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("response from %s is larger than %d MiB", e.Path, e.Limit>>20)
}

// NetworkError is a request that got no answer: the connection was refused
// or reset, the name did not resolve, or the per-request timeout fired. Host
// is host[:port] of the installation, never with credentials.
type NetworkError struct {
	Method string
	Path   string
	Host   string
	// Timeout is the per-request timeout when it fired, else zero.
	Timeout time.Duration
	// Err is the cause, without the request URL.
	Err error
}

func (e *NetworkError) Error() string {
	if e.Timeout > 0 {
		return fmt.Sprintf("CodeScoring at %s did not answer %s %s within %s", e.Host, e.Method, e.Path, e.Timeout)
	}
	return fmt.Sprintf("reach CodeScoring at %s (%s %s): %v", e.Host, e.Method, e.Path, e.Err)
}

func (e *NetworkError) Unwrap() error { return e.Err }

// ProxyError is an HTTP proxy (from HTTPS_PROXY) that refused to open a
// connection to the installation: net/http reports the proxy's answer to
// CONNECT only by its status text. It is never retried. Host is the
// installation's host[:port]; the proxy's address, which may hold its
// credentials, is never named.
type ProxyError struct {
	Host       string
	StatusCode int
	Err        error
}

func (e *ProxyError) Error() string {
	msg := fmt.Sprintf("the HTTP proxy refused to connect to CodeScoring at %s: %d %s",
		e.Host, e.StatusCode, http.StatusText(e.StatusCode))
	if e.StatusCode == http.StatusProxyAuthRequired {
		msg += " (it wants credentials)"
	}
	return msg
}

func (e *ProxyError) Unwrap() error { return e.Err }

// TLSError is a TLS certificate of the installation that the client does not
// trust. It is never retried.
type TLSError struct {
	Host string
	Err  error
	// CACert is true when the client trusted the `ca-cert` input besides
	// the system's roots (Client.Probe sets it).
	CACert bool
}

func (e *TLSError) Error() string {
	var hostErr x509.HostnameError
	if errors.As(e.Err, &hostErr) {
		return fmt.Sprintf("verify the TLS certificate of %s: %v: the certificate is not valid for this host name", e.Host, e.Err)
	}
	return fmt.Sprintf("verify the TLS certificate of %s: %v", e.Host, e.Err)
}

func (e *TLSError) Unwrap() error { return e.Err }

// AttemptsError is the final error of a request that the client retried:
// Err is the last attempt's error. Cause is the context's error when the
// caller's context ended the retries, nil when the retry budget ran out.
type AttemptsError struct {
	Attempts int
	Err      error
	Cause    error
}

func (e *AttemptsError) Error() string {
	n := "1 attempt"
	if e.Attempts != 1 {
		n = fmt.Sprintf("%d attempts", e.Attempts)
	}
	if e.Cause != nil {
		return fmt.Sprintf("stopped after %s (%v): %v", n, e.Cause, e.Err)
	}
	return fmt.Sprintf("gave up after %s: %v", n, e.Err)
}

func (e *AttemptsError) Unwrap() []error {
	if e.Cause == nil {
		return []error{e.Err}
	}
	return []error{e.Err, e.Cause}
}
