package testcert_test

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/testcert"
)

func TestNewCA(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name    string
		at      time.Time
		wantErr bool
	}{
		{name: "valid now", at: now},
		{name: "valid an hour before", at: now.Add(-59 * time.Minute)},
		{name: "valid a day after", at: now.Add(23 * time.Hour)},
		{name: "not yet valid", at: now.Add(-2 * time.Hour), wantErr: true},
		{name: "expired", at: now.Add(25 * time.Hour), wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			block, rest := pem.Decode(testcert.NewCA(t, "Corp CA", now))
			if block == nil || block.Type != "CERTIFICATE" || len(rest) != 0 {
				t.Fatalf("NewCA() is not one PEM certificate: block %v, %d bytes more", block, len(rest))
			}
			c, err := x509.ParseCertificate(block.Bytes)
			if err != nil {
				t.Fatalf("parse the certificate: %v", err)
			}
			if !c.IsCA || c.Subject.CommonName != "Corp CA" {
				t.Errorf("IsCA = %v, common name %q; want a CA named Corp CA", c.IsCA, c.Subject.CommonName)
			}
			// Self-signed: it verifies against a pool of itself alone.
			pool := x509.NewCertPool()
			pool.AddCert(c)
			_, err = c.Verify(x509.VerifyOptions{Roots: pool, CurrentTime: tc.at})
			if gotErr := err != nil; gotErr != tc.wantErr {
				t.Errorf("Verify() at %v error = %v, want error %v", tc.at, err, tc.wantErr)
			}
		})
	}
}

// TestTwoCAsDiffer checks that a second CA is another CA: a server's
// certificate that the first cannot verify, the second cannot either.
func TestTwoCAsDiffer(t *testing.T) {
	t.Parallel()
	a, b := testcert.NewCA(t, "A", time.Now()), testcert.NewCA(t, "A", time.Now())
	if string(a) == string(b) {
		t.Fatal("two calls returned the same certificate")
	}
}

// TestPEM checks that the PEM of an httptest server's certificate makes a
// client trust that server, and that a NewCA does not.
func TestPEM(t *testing.T) {
	t.Parallel()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	t.Cleanup(srv.Close)
	for _, tc := range []struct {
		name    string
		ca      []byte
		wantErr string
	}{
		{name: "the server's own", ca: testcert.PEM(srv.Certificate())},
		{name: "another CA", ca: testcert.NewCA(t, "Other CA", time.Now()), wantErr: "certificate signed by unknown authority"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			pool := x509.NewCertPool()
			if !pool.AppendCertsFromPEM(tc.ca) {
				t.Fatalf("the PEM holds no certificate:\n%s", tc.ca)
			}
			client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
			resp, err := client.Get(srv.URL)
			if err == nil {
				resp.Body.Close()
			}
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("GET with the server's certificate: %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("GET error = %v, want one with %q", err, tc.wantErr)
			}
		})
	}
}
