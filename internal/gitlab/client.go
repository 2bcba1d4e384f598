package gitlab

import (
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/go-cleanhttp"
	gl "gitlab.com/gitlab-org/api/client-go/v2"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
)

// requestTimeout bounds one request to GitLab, retries aside.
const requestTimeout = 30 * time.Second

// ClientConfig is what NewClient needs.
type ClientConfig struct {
	// Token is a project, group or personal access token with the api
	// scope; it is sent as PRIVATE-TOKEN.
	Token string
	// APIURL is GitLab's REST API root, CI_API_V4_URL, e.g.
	// https://gitlab.example.com/api/v4 (self-managed GitLab under a path
	// prefix keeps it).
	APIURL string
	// CACert is PEM to trust besides the system's roots
	// (CI_SERVER_TLS_CA_FILE); nil for none. Ignored with HTTPClient.
	CACert []byte
	// HTTPClient replaces the default client (tests); nil for the default.
	HTTPClient *http.Client
}

// NewClient returns a client-go client for cfg. It keeps client-go's
// retries (429, and 5xx but 501, with backoff; network errors before a
// request was sent) but only for idempotent requests: a POST that failed
// with a 5xx may have created its note, so Note retries creates itself,
// after looking for the note again. It fails on an API URL that is not
// absolute http(s) and on a CA that holds no certificate.
func NewClient(cfg ClientConfig) (*gl.Client, error) {
	u, err := url.Parse(strings.TrimSpace(cfg.APIURL))
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, fmt.Errorf("GitLab API URL %q is not an absolute http(s) URL: CI_API_V4_URL should name it, e.g. https://gitlab.example.com/api/v4", cfg.APIURL)
	}
	if u.User != nil {
		return nil, errors.New("GitLab API URL must not carry credentials: pass the token in gitlab-token")
	}
	hc := cfg.HTTPClient
	if hc == nil {
		t := cleanhttp.DefaultPooledTransport()
		if cfg.CACert != nil {
			// A CA file the runner wrote counts as far as it goes.
			pool, _ := api.CertPool(cfg.CACert)
			if pool == nil {
				return nil, errors.New("the GitLab CA file (CI_SERVER_TLS_CA_FILE) holds no PEM certificate")
			}
			t.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
		}
		hc = &http.Client{Transport: t, Timeout: requestTimeout}
	}
	return gl.NewClient(cfg.Token,
		gl.WithBaseURL(u.String()),
		gl.WithHTTPClient(hc),
		gl.WithOnlyIdempotentRetries(),
		gl.WithURLWarningLogger(slog.New(slog.DiscardHandler)),
		gl.WithUserAgent("codescoring-gate"),
	)
}
