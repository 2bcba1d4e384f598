package gate

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
	"github.com/codescoring-gate/codescoring-gate/internal/i18n"
)

// partError is the error of one of two requests made together, part
// saying which ("policies: …").
type partError struct {
	part said
	Err  error
}

func (e *partError) Error() string { return e.part.In(i18n.English) + ": " + e.Err.Error() }
func (e *partError) Unwrap() error { return e.Err }

// Fact states what went wrong, err, in the language l: the "What failed"
// of the reports. In English it is err.Error(). In another language the
// gate's own words are translated, layer by layer, and what the server or
// the system said (an error's detail, a policy name, a Go network error)
// is kept as it came.
func Fact(err error, l i18n.Language) string {
	if err == nil {
		return ""
	}
	if l == "" || l == i18n.English {
		return err.Error()
	}
	p := i18n.New(l)
	switch e := err.(type) { //nolint:errorlint // one layer at a time: each says its part, Fact says the next
	case *CallError:
		doing := e.Doing
		if e.doing.Key != "" {
			doing = e.doing.In(l)
		}
		return doing + ": " + Fact(e.Err, l)
	case *partError:
		return e.part.In(l) + ": " + Fact(e.Err, l)
	case *SaidError:
		return e.in(l)
	case *gateError:
		return e.said.or(e.msg, l)
	case *timeoutError:
		return e.said.or(e.msg, l)
	case *cancelledError:
		return e.said.in(l)
	case *AnalysisError:
		if e.Status == api.StatusFailed {
			return p.T("fact.analysis.failed", e.ID, e.Message)
		}
		return p.T("fact.analysis.ended", e.ID, e.Status, e.Message)
	case *api.AttemptsError:
		if e.Cause != nil {
			return p.N("fact.attempts.stopped", e.Attempts, e.Cause, Fact(e.Err, l))
		}
		return p.N("fact.attempts", e.Attempts, Fact(e.Err, l))
	case *api.APIError:
		return apiFact(e, p)
	case *api.NetworkError:
		if e.Timeout > 0 {
			return p.T("fact.net.timeout", e.Host, e.Method, e.Path, e.Timeout)
		}
		return p.T("fact.net", e.Host, e.Method, e.Path, e.Err)
	case *api.ProxyError:
		s := p.T("fact.proxy", e.Host, e.StatusCode, http.StatusText(e.StatusCode))
		if e.StatusCode == http.StatusProxyAuthRequired {
			s += p.T("fact.proxy.auth")
		}
		return s
	case *api.TLSError:
		return tlsFact(e, p)
	case *api.NoBaselineError:
		if e.More {
			return p.T("base.err.none.newest", e.Project, e.Ref, e.Checked)
		}
		return p.T("base.err.none", e.Project, e.Ref)
	case *api.URLError:
		return urlFact(e).In(l)
	case *api.HTMLError:
		return p.T("fact.html", e.Method, e.Path)
	case *api.TooLargeError:
		return p.T("fact.toolarge", e.Path, e.Limit>>20)
	case *api.DecodeError:
		var mf *api.MissingFieldError
		if errors.As(e.Err, &mf) {
			s := p.T("fact.decode.from", e.Path)
			if e.Endpoint != "" {
				s = p.T("fact.decode.endpoint", e.Endpoint, e.Path)
			}
			if e.Overridden {
				s += p.T("fact.decode.overridden")
			}
			return s + p.T("fact.decode.unexpected", Fact(e.Err, l))
		}
		s := p.T("fact.decode.json", e.Path)
		if e.Err != nil {
			s += ": " + e.Err.Error()
		}
		return s
	case *api.MissingFieldError:
		return p.T("fact.missing", e.Object, strings.Join(e.Fields, p.T("fact.or")))
	case *api.ProjectNotFoundError:
		s := p.T("fact.project.notfound", e.Name)
		if _, near, ok := strings.Cut(e.Error(), "; near matches: "); ok {
			s += p.T("fact.project.near", projectListIn(near, p))
		}
		return s
	case *api.AmbiguousProjectError:
		_, list, _ := strings.Cut(e.Error(), fmt.Sprintf("%q: ", e.Name))
		return p.N("fact.project.ambiguous", len(e.Matches), e.Name, projectListIn(list, p))
	case *api.RedirectError:
		if e.ToGet {
			return p.T("fact.redirect.toget", e.From, e.Method, e.Path, e.To, e.StatusCode, http.StatusText(e.StatusCode))
		}
		s := p.T("fact.redirect", e.From, e.To)
		if e.StatusCode != 0 {
			s += p.T("fact.redirect.status", e.StatusCode, http.StatusText(e.StatusCode), e.Method, e.Path)
		}
		return s
	}
	if errors.Is(err, ErrCancelled) && err.Error() == ErrCancelled.Error() {
		return p.T("fact.cancelled.alone")
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		// errors.Join: each on its own line, as it says them.
		parts := make([]string, 0, len(j.Unwrap()))
		for _, e := range j.Unwrap() {
			if e != nil {
				parts = append(parts, Fact(e, l))
			}
		}
		return strings.Join(parts, "\n")
	}
	return err.Error()
}

// projectListIn is the English list of projects of an api error message in
// p's words: `"a" (id 1), "b" (id 2), and 3 more`.
func projectListIn(list string, p i18n.Printer) string {
	before, n, ok := strings.Cut(list, ", and ")
	if ok && strings.HasSuffix(n, " more") {
		return before + ", " + p.T("more.n", atoiOr(strings.TrimSuffix(n, " more")))
	}
	return list
}

func atoiOr(s string) int {
	n := 0
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0
		}
		n = n*10 + int(r-'0')
	}
	return n
}

// apiFact is an *api.APIError in p's words; the server's detail and field
// errors are kept as it sent them.
func apiFact(e *api.APIError, p i18n.Printer) string {
	head := fmt.Sprintf("CodeScoring answered %s %s with %d %s", e.Method, e.Path, e.StatusCode, http.StatusText(e.StatusCode))
	tail := strings.TrimPrefix(e.Error(), head)
	s := p.T("fact.api", e.Method, e.Path, e.StatusCode, http.StatusText(e.StatusCode))
	switch {
	case e.NotJSON && strings.Contains(strings.ToLower(e.ContentType), "html"):
		s += p.T("fact.api.html")
		tail = strings.TrimPrefix(tail, " as an HTML page instead of JSON (from a proxy in front of CodeScoring?)")
	case e.NotJSON && e.ContentType != "":
		s += p.T("fact.api.type", e.ContentType)
		tail = strings.TrimPrefix(tail, fmt.Sprintf(" with a %q body instead of JSON", e.ContentType))
	case e.NotJSON:
		s += p.T("fact.api.notjson")
		tail = strings.TrimPrefix(tail, " with a body that is not JSON")
	}
	if len(e.FieldErrors) > 0 {
		if i := strings.LastIndex(tail, " (field errors: "); i >= 0 {
			tail = tail[:i] + p.T("fact.api.fields") + tail[i+len(" (field errors: "):]
		}
	}
	return s + tail
}

func tlsFact(e *api.TLSError, p i18n.Printer) string {
	s := p.T("fact.tls", e.Host, e.Err)
	if _, host := strings.CutSuffix(e.Error(), ": the certificate is not valid for this host name"); host {
		s += p.T("fact.tls.host")
	}
	return s
}

// urlFact says what is wrong with an installation URL (api.URLError's
// message), the URL and the parser's reason as they are.
func urlFact(e *api.URLError) Text {
	var what Text
	switch e.Problem {
	case api.URLEmpty:
		return say("fact.url.empty")
	case api.URLUnparsable:
		return say("fact.url.unparsable", e.Detail)
	case api.URLScheme:
		what = say("fact.url.scheme")
	case api.URLNoHost:
		what = say("fact.url.nohost")
	case api.URLCredentials:
		what = say("fact.url.credentials")
	case api.URLQuery:
		what = say("fact.url.query")
	case api.URLEmptyPort:
		what = say("fact.url.emptyport")
	case api.URLBadPort:
		what = say("fact.url.badport", e.Detail)
	case api.URLIntoAPI:
		what = say("fact.url.intoapi")
	default:
		what = say("fact.url.unusable")
	}
	return say("fact.url", e.URL, what)
}
