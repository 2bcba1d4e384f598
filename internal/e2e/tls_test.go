package e2e_test

import (
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/testcert"
)

// TestCACert serves CodeScoring over TLS with a certificate of a private CA
// (httptest's own) and checks the ca-cert input: without it the gate stops
// with an error naming the host and ca-cert, never retrying or passing; with
// the CA as PEM text or as a file path it decides.
func TestCACert(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		// caCert returns the ca-cert input for the server's CA PEM.
		caCert func(t *testing.T, pemText string) string
		// host replaces 127.0.0.1 in the url.
		host   string
		want   map[string]string
		code   int
		strict bool
		// config: a configuration error, which exits 2 also with on-error
		// warn.
		config bool
		out    []string
	}{
		{
			name:   "no ca-cert",
			caCert: func(*testing.T, string) string { return "" },
			want:   errorVerdict,
			code:   2,
			config: true,
			out: []string{"verify the TLS certificate of 127.0.0.1:", "x509: certificate signed by unknown authority\n",
				"What to do: if CodeScoring uses a private CA, set the `ca-cert` input to that CA's PEM certificate"},
		},
		{
			name: "ca-cert of another CA",
			caCert: func(t *testing.T, _ string) string {
				t.Helper()
				return string(testcert.NewCA(t, "Other Corp CA", time.Now()))
			},
			want:   errorVerdict,
			code:   2,
			config: true,
			out:    []string{"verify the TLS certificate of 127.0.0.1:", "What to do: if CodeScoring uses a private CA, set the `ca-cert` input"},
		},
		{
			name:   "ca-cert as PEM text",
			caCert: func(_ *testing.T, pemText string) string { return pemText },
			want:   demoFail,
			code:   1,
		},
		{
			name: "ca-cert as a file path",
			caCert: func(t *testing.T, pemText string) string {
				t.Helper()
				path := filepath.Join(t.TempDir(), "corp-ca.pem")
				if err := os.WriteFile(path, []byte(pemText), 0o600); err != nil {
					t.Fatal(err)
				}
				return path
			},
			want: demoFail,
			code: 1,
		},
		{
			name:   "certificate not valid for the host name",
			caCert: func(_ *testing.T, pemText string) string { return pemText },
			host:   "localhost",
			want:   errorVerdict,
			code:   2,
			config: true,
			out: []string{"verify the TLS certificate of localhost:", "the certificate is not valid for this host name\n",
				"What to do: set the `url` input to a host name the certificate is for"},
		},
		{
			name: "ca-cert file missing",
			caCert: func(t *testing.T, _ string) string {
				t.Helper()
				return filepath.Join(t.TempDir(), "missing.pem")
			},
			want:   map[string]string{"verdict": "error"},
			code:   2,
			strict: true,
			out:    []string{"`ca-cert`: no file", "give a PEM file path or the PEM text itself", "nothing was sent to CodeScoring"},
		},
	}
	for _, tc := range cases {
		for _, onError := range onErrorColumns(tc.want) {
			t.Run(tc.name+"/on-error="+onError, func(t *testing.T) {
				t.Parallel()
				var conns atomic.Int32
				cs := startCS(t, csOptions{Serve: func(s *httptest.Server) {
					s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
						if st == http.StateNew {
							conns.Add(1)
						}
					}
					s.StartTLS()
				}})
				pemText := string(testcert.PEM(cs.Srv.Certificate()))
				url := cs.URL
				if tc.host != "" {
					url = strings.Replace(url, "127.0.0.1", tc.host, 1)
				}
				in := map[string]string{"url": url, "ca-cert": tc.caCert(t, pemText), "on-error": onError}

				r := runGate(t, cs, in, runOptions{})

				wantResult(t, r, codeUnder(onError, tc.code, tc.strict, tc.config), tc.want)
				wantIn(t, "the log", r.out(), tc.out...)
				if tc.want["verdict"] == "error" {
					// A certificate error is final: asking again cannot help.
					if n := conns.Load(); n > 1 {
						t.Errorf("retried a TLS error: %d connections, want 1", n)
					}
				}
			})
		}
	}
}
