package api

import (
	"crypto/x509"
	"errors"
	"net/http"
)

// Class says what can end an error: a re-run, or only a change of the
// configuration. `on-error: warn` tolerates outages, never configuration
// errors: a wrong token or project would otherwise pass every build.
type Class int

const (
	// Outage is an error a re-run may not meet again: the network, a 5xx
	// or 429 past the retry budget, the wait-timeout, an analysis that
	// failed or was canceled in CodeScoring.
	Outage Class = iota
	// Config is an error that only a change of the configuration fixes:
	// the token (401), its user's roles (403), the url or the project
	// (404, no project of that name), the proxy settings, the CA, an API
	// that differs from the one the gate calls (400, 405, 501), invalid
	// inputs.
	Config
)

func (c Class) String() string {
	if c == Config {
		return "configuration error"
	}
	return "outage"
}

// Classed is an error that knows its class. Every error type of the gate
// that a re-run cannot fix implements it with Config; an error without a
// Class method is an Outage.
type Classed interface {
	error
	Class() Class
}

// ClassOf returns the class of err: Config when any error in its tree says
// Config, else Outage. A nil error is an Outage.
func ClassOf(err error) Class {
	if err == nil {
		return Outage
	}
	if c, ok := err.(Classed); ok && c.Class() == Config { //nolint:errorlint // ClassOf walks the tree itself
		return Config
	}
	switch u := err.(type) { //nolint:errorlint // one node of the tree at a time
	case interface{ Unwrap() error }:
		return ClassOf(u.Unwrap())
	case interface{ Unwrap() []error }:
		for _, e := range u.Unwrap() {
			if ClassOf(e) == Config {
				return Config
			}
		}
	}
	return Outage
}

// Class is Config for an answer that a re-run gets again: every 4xx but
// 408 (a request timeout), 409 (already running) and 429 (rate limited),
// and 501 (not implemented). Other 5xx are outages.
func (e *APIError) Class() Class {
	switch {
	case e.StatusCode == http.StatusRequestTimeout, e.StatusCode == http.StatusConflict,
		e.StatusCode == http.StatusTooManyRequests:
		return Outage
	case e.StatusCode == http.StatusNotImplemented:
		return Config
	case e.StatusCode >= 400 && e.StatusCode < 500:
		return Config
	}
	return Outage
}

// Class is Config: no project has the name.
func (e *ProjectNotFoundError) Class() Class { return Config }

// Class is Config: only an id tells the projects apart.
func (e *AmbiguousProjectError) Class() Class { return Config }

// Class is Config: a login page or the web UI answered, not the API.
func (e *HTMLError) Class() Class { return Config }

// Class is Config: the proxy settings must change.
func (e *ProxyError) Class() Class { return Config }

// Class is Config for a certificate the gate does not trust or that is for
// another host (the `ca-cert` or `url` input); an expired or not yet valid
// certificate is the installation's to renew, an Outage.
func (e *TLSError) Class() Class {
	var invalid x509.CertificateInvalidError
	if errors.As(e.Err, &invalid) && invalid.Reason == x509.Expired {
		return Outage
	}
	return Config
}

// Class is Config: the `url` input names an address that redirects.
func (e *RedirectError) Class() Class { return Config }

// Class is Config: the `url` input cannot be used.
func (e *URLError) Class() Class { return Config }
