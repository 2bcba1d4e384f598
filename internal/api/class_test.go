package api

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"testing"
)

// TestClassOf checks which errors only a change of configuration fixes.
func TestClassOf(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		err  error
		want Class
	}{
		{"nil", nil, Outage},
		{"plain", errors.New("boom"), Outage},
		{"401", &APIError{StatusCode: 401}, Config},
		{"403", &APIError{StatusCode: 403}, Config},
		{"404", &APIError{StatusCode: 404}, Config},
		{"405", &APIError{StatusCode: 405}, Config},
		{"407", &APIError{StatusCode: 407}, Config},
		{"408", &APIError{StatusCode: 408}, Outage},
		{"409", &APIError{StatusCode: 409}, Outage},
		{"429", &APIError{StatusCode: 429}, Outage},
		{"500", &APIError{StatusCode: 500}, Outage},
		{"501", &APIError{StatusCode: 501}, Config},
		{"502 HTML", &APIError{StatusCode: 502, NotJSON: true, ContentType: "text/html"}, Outage},
		{"503 wrapped in attempts", fmt.Errorf("read: %w", &AttemptsError{Attempts: 5, Err: &APIError{StatusCode: 503}}), Outage},
		{"401 wrapped", fmt.Errorf("read: %w", &APIError{StatusCode: 401}), Config},
		{"cut short by the context", &AttemptsError{Attempts: 2, Err: &APIError{StatusCode: 503}, Cause: context.Canceled}, Outage},
		{"joined: one is a configuration error", errors.Join(&APIError{StatusCode: 503}, fmt.Errorf("x: %w", &APIError{StatusCode: 403})), Config},
		{"network", &NetworkError{Err: errors.New("refused")}, Outage},
		{"decode", &DecodeError{Path: "/api/x/"}, Outage},
		{"too large", &TooLargeError{Path: "/api/x/"}, Outage},
		{"HTML 200", &HTMLError{StatusCode: 200}, Config},
		{"no such project", &ProjectNotFoundError{Name: "x"}, Config},
		{"ambiguous", &AmbiguousProjectError{Name: "x"}, Config},
		{"proxy", &ProxyError{StatusCode: 407}, Config},
		{"TLS unknown CA", &TLSError{Err: x509.UnknownAuthorityError{}}, Config},
		{"TLS host name", &TLSError{Err: x509.HostnameError{}}, Config},
		{"redirect", &RedirectError{From: "http://h", To: "https://h/"}, Config},
		{"invalid url", &URLError{Problem: URLBadPort, Detail: "99999"}, Config},
		{"TLS expired", &TLSError{Err: x509.CertificateInvalidError{Reason: x509.Expired}}, Outage},
	} {
		if got := ClassOf(tc.err); got != tc.want {
			t.Errorf("%s: ClassOf(%v) = %s, want %s", tc.name, tc.err, got, tc.want)
		}
	}
}
