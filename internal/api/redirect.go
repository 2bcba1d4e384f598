package api

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// maxRedirects is how many redirects within the installation a request
// follows.
const maxRedirects = 10

// ErrInsecureRedirect is what a *RedirectError from https to http is
// (errors.Is): following it would send the token in clear text.
var ErrInsecureRedirect = errors.New("CodeScoring redirects from https to http")

// RedirectError is a redirect the client does not follow: to another scheme
// or host, where the token must not travel, or one that would turn a POST
// into a GET (301, 302 and 303 do in net/http). It is a configuration error:
// the `url` input names an address that is not where CodeScoring answers.
type RedirectError struct {
	// From is the installation URL as configured, without a trailing slash,
	// e.g. http://codescoring.example.com.
	From string
	// To is where CodeScoring redirects: the installation URL it implies
	// when the redirect keeps the request's path below it (e.g.
	// https://codescoring.example.com/), else the target's scheme, host and
	// path, without its query.
	To string
	// Suggested is the `url` to set instead, e.g.
	// https://codescoring.example.com; empty when the target is not an
	// installation URL (a login page, or a POST turned into a GET).
	Suggested string
	// Method and Path are the redirected request's, without the query.
	Method string
	Path   string
	// StatusCode is the redirect's status, e.g. 301.
	StatusCode int
	// ToGet is true for a POST the redirect would have turned into a GET.
	ToGet bool
}

func (e *RedirectError) Error() string {
	status := ""
	if e.StatusCode != 0 {
		status = fmt.Sprintf(" (%d %s to %s %s)", e.StatusCode, http.StatusText(e.StatusCode), e.Method, e.Path)
	}
	if e.ToGet {
		return fmt.Sprintf("CodeScoring at %s redirects %s %s to %s with %d %s, which would turn the POST into a GET",
			e.From, e.Method, e.Path, e.To, e.StatusCode, http.StatusText(e.StatusCode))
	}
	return fmt.Sprintf("CodeScoring at %s redirects to %s%s", e.From, e.To, status)
}

// Is makes a redirect from https to http match ErrInsecureRedirect.
func (e *RedirectError) Is(target error) bool {
	return target == ErrInsecureRedirect && e.downgrade()
}

func (e *RedirectError) downgrade() bool {
	return strings.HasPrefix(e.From, "https:") && strings.HasPrefix(e.To, "http:")
}

// RedirectGuard returns an http.Client CheckRedirect for clients that carry
// the token to the installation at base (as ParseBaseURL returns it). It
// follows a redirect within base's scheme and host that keeps the method,
// such as Django's redirect to the slashed path, up to 10 of them; any other
// redirect stops the request with a *RedirectError.
func RedirectGuard(base *url.URL) func(req *http.Request, via []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		prev := via[len(via)-1]
		e := &RedirectError{Method: via[0].Method, Path: prev.URL.Path, To: targetString(req.URL)}
		if req.Response != nil {
			e.StatusCode = req.Response.StatusCode
		}
		origin := via[0].URL
		if base != nil {
			origin = base
			e.From = strings.TrimSuffix(base.String(), "/")
		} else {
			e.From = (&url.URL{Scheme: origin.Scheme, Host: origin.Host}).String()
		}
		switch {
		case !sameOrigin(origin, req.URL):
			if root, ok := impliedRoot(base, prev.URL, req.URL); ok {
				e.To = root
				if !e.downgrade() {
					e.Suggested = strings.TrimSuffix(root, "/")
				}
			}
			return e
		case req.Method != via[0].Method:
			e.ToGet = true
			return e
		case len(via) >= maxRedirects:
			return fmt.Errorf("stopped after %d redirects within CodeScoring at %s", maxRedirects, e.From)
		}
		return nil
	}
}

// sameOrigin reports whether a and b have the same scheme, host and port.
func sameOrigin(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(a.Hostname(), b.Hostname()) &&
		portOf(a) == portOf(b)
}

func portOf(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if strings.EqualFold(u.Scheme, "https") {
		return "443"
	}
	return "80"
}

// impliedRoot returns the installation URL that a redirect of from to to
// implies: when to's path ends in from's path below base, the rest of to's
// path is the installation's path prefix.
func impliedRoot(base, from, to *url.URL) (string, bool) {
	if base == nil || !strings.HasPrefix(from.Path, base.Path) {
		return "", false
	}
	rel := strings.TrimPrefix(from.Path, base.Path)
	if !strings.HasSuffix(to.Path, "/"+rel) || (to.Scheme != "http" && to.Scheme != "https") || to.Host == "" {
		return "", false
	}
	r := url.URL{Scheme: to.Scheme, Host: to.Host, Path: strings.TrimSuffix(to.Path, rel)}
	return r.String(), true
}

// targetString shows a redirect target without its query, which may carry
// anything, and without credentials.
func targetString(u *url.URL) string {
	return (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}).String()
}
