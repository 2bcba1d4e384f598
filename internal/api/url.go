package api

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// URLProblem is what is wrong with an installation URL.
type URLProblem int

// The problems ParseBaseURL finds.
const (
	URLEmpty       URLProblem = iota + 1 // nothing given
	URLUnparsable                        // not a URL at all
	URLScheme                            // not http or https
	URLNoHost                            // no host name
	URLCredentials                       // a user name or password
	URLQuery                             // a query or fragment
	URLEmptyPort                         // a colon without a port
	URLBadPort                           // a port outside 1..65535
	URLIntoAPI                           // the path ends in /api or goes into it
)

// URLError is an installation URL (the `url` input) that the gate cannot
// use. Its message states what is wrong with the URL, never repeating a
// password it holds; gate.Advice says what to set instead. It is a
// configuration error: no re-run fixes it.
type URLError struct {
	// URL is the URL as given, without its user name and password; empty
	// when it does not parse.
	URL     string
	Problem URLProblem
	// Detail is the parser's reason for URLUnparsable, the port for
	// URLBadPort.
	Detail string
	// Suggested is the URL to set instead when it follows from the given
	// one (URLQuery, URLIntoAPI), e.g. https://tools.example.com/codescoring,
	// and for URLBadPort the URL with an example port.
	Suggested string
}

func (e *URLError) Error() string {
	var what string
	switch e.Problem {
	case URLEmpty:
		return "the CodeScoring URL is empty"
	case URLUnparsable:
		return fmt.Sprintf("the CodeScoring URL is not a URL (%s)", e.Detail)
	case URLScheme:
		what = "does not start with https:// or http://"
	case URLNoHost:
		what = "has no host name"
	case URLCredentials:
		what = "holds a user name or password"
	case URLQuery:
		what = "has a query or fragment (after ? or #)"
	case URLEmptyPort:
		what = "has an empty port after its host name's colon"
	case URLBadPort:
		what = fmt.Sprintf("has the port %q, not a number from 1 to 65535", e.Detail)
	case URLIntoAPI:
		what = "points into the API (/api), not at the installation"
	default:
		what = "cannot be used"
	}
	return fmt.Sprintf("the CodeScoring URL %s %s", e.URL, what)
}

// ParseBaseURL checks an installation URL (the `url` input): an absolute
// http(s) URL with a host, a valid port, no user name or password, no query
// or fragment. It may carry a path prefix under which a reverse proxy serves
// the installation (https://tools.example.com/codescoring, docs/codescoring-api.md §1); only
// a path that ends in /api or goes into it is refused. It returns the URL
// with a path ending in "/", the root every request path is resolved
// against. Its errors are *URLError.
func ParseBaseURL(raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, &URLError{Problem: URLEmpty}
	}
	u, err := url.Parse(raw)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			// url.Error repeats the URL, password and all.
			err = ue.Err
		}
		return nil, &URLError{Problem: URLUnparsable, Detail: err.Error()}
	}
	shown := *u
	shown.User = nil
	e := &URLError{URL: shown.String()}
	fail := func(p URLProblem) (*url.URL, error) {
		e.Problem = p
		return nil, e
	}
	scheme := strings.ToLower(u.Scheme)
	switch {
	case scheme != "http" && scheme != "https":
		return fail(URLScheme)
	case u.Hostname() == "":
		return fail(URLNoHost)
	case u.User != nil:
		return fail(URLCredentials)
	case u.RawQuery != "" || u.Fragment != "" || u.ForceQuery:
		e.Suggested = root(u, u.Path)
		return fail(URLQuery)
	}
	if p := u.Port(); p == "" && strings.HasSuffix(u.Host, ":") {
		return fail(URLEmptyPort)
	} else if p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			e.Detail = p
			e.Suggested = scheme + "://" + hostForURL(u.Hostname()) + ":8443"
			return fail(URLBadPort)
		}
	}
	p := strings.TrimRight(u.Path, "/")
	if i := apiIndex(p); i >= 0 {
		e.Suggested = root(u, p[:i])
		return fail(URLIntoAPI)
	}
	u.Scheme = scheme
	u.Path = p + "/"
	u.RawPath = ""
	return u, nil
}

// apiIndex returns where the /api part of path p (without a trailing slash)
// begins, or -1 when p does not end in /api or go into it.
func apiIndex(p string) int {
	if strings.HasSuffix(p, "/api") {
		return len(p) - len("/api")
	}
	return strings.Index(p, "/api/")
}

// root writes u's scheme and host with path (trailing slashes dropped), as a
// user would set the `url` input.
func root(u *url.URL, path string) string {
	r := url.URL{Scheme: strings.ToLower(u.Scheme), Host: u.Host, Path: strings.TrimRight(path, "/")}
	return r.String()
}

// hostForURL brackets an IPv6 address.
func hostForURL(host string) string {
	if strings.Contains(host, ":") {
		return "[" + host + "]"
	}
	return host
}

// InClearText reports whether requests to base carry the token over the
// network unencrypted: plain http to a host that is not a loopback address.
func InClearText(base *url.URL) bool {
	if base == nil || !strings.EqualFold(base.Scheme, "http") {
		return false
	}
	host := strings.ToLower(base.Hostname())
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return false
	}
	ip := net.ParseIP(host)
	return ip == nil || !ip.IsLoopback()
}
