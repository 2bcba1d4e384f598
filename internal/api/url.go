package api

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// exampleURL is the example installation URL of advice.
const exampleURL = "https://codescoring.example.com"

// URLError is an installation URL (the `url` input) that the gate cannot
// use. Its message states what is wrong with the URL, never repeating a
// password it holds; Advice says what to set instead. It is a configuration
// error: no re-run fixes it.
type URLError struct {
	// URL is the URL as given, without its user name and password; empty
	// when it does not parse.
	URL string
	// Problem is the fact, e.g. `has the port "99999", not a number from 1
	// to 65535`.
	Problem string
	// Fix is the advice, e.g. "set `url` to https://codescoring.example.com".
	Fix string
}

func (e *URLError) Error() string {
	if e.URL == "" {
		return "the `url` input " + e.Problem
	}
	return fmt.Sprintf("the `url` input %s %s", e.URL, e.Problem)
}

// Advice says what to change about the `url` input.
func (e *URLError) Advice() string { return e.Fix }

// ParseBaseURL checks an installation URL (the `url` input): an absolute
// http(s) URL with a host, a valid port, no user name or password, no query
// or fragment. It may carry a path prefix under which a reverse proxy serves
// the installation (https://tools.example.com/codescoring, contract §1); only
// a path that ends in /api or goes into it is refused. It returns the URL
// with a path ending in "/", the root every request path is resolved
// against. Its errors are *URLError.
func ParseBaseURL(raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, &URLError{Problem: "is empty", Fix: "set `url` to the installation URL, e.g. " + exampleURL}
	}
	u, err := url.Parse(raw)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			// url.Error repeats the URL, password and all.
			err = ue.Err
		}
		return nil, &URLError{Problem: fmt.Sprintf("is not a URL (%v)", err),
			Fix: "set `url` to the installation URL, e.g. " + exampleURL}
	}
	shown := *u
	shown.User = nil
	e := &URLError{URL: shown.String()}
	scheme := strings.ToLower(u.Scheme)
	switch {
	case scheme != "http" && scheme != "https":
		e.Problem = "does not start with https:// or http://"
		e.Fix = "set `url` to the installation URL with its scheme, e.g. " + exampleURL
		return nil, e
	case u.Hostname() == "":
		e.Problem = "has no host name"
		e.Fix = "set `url` to the installation URL, e.g. " + exampleURL
		return nil, e
	case u.User != nil:
		e.Problem = "holds a user name or password"
		e.Fix = "remove them from `url`: CodeScoring authenticates with the `token` input"
		return nil, e
	case u.RawQuery != "" || u.Fragment != "" || u.ForceQuery:
		e.Problem = "has a query or fragment (after ? or #)"
		e.Fix = "remove it: set `url` to " + root(u, u.Path)
		return nil, e
	}
	if p := u.Port(); p == "" && strings.HasSuffix(u.Host, ":") {
		e.Problem = "has an empty port after its host name's colon"
		e.Fix = "set `url` with the port CodeScoring listens on, or without the colon"
		return nil, e
	} else if p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			e.Problem = fmt.Sprintf("has the port %q, not a number from 1 to 65535", p)
			e.Fix = fmt.Sprintf("set `url` with the port CodeScoring listens on, e.g. %s://%s:8443, or without a port for %s's default", scheme, hostForURL(u.Hostname()), scheme)
			return nil, e
		}
	}
	p := strings.TrimRight(u.Path, "/")
	if i := apiIndex(p); i >= 0 {
		e.Problem = "points into the API (/api), not at the installation"
		e.Fix = "remove the /api part: set `url` to " + root(u, p[:i]) + " (the gate adds /api/... itself)"
		return nil, e
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
