package api

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/testcert"
)

func TestCertPool(t *testing.T) {
	t.Parallel()
	ca := string(testcert.NewCA(t, "Private CA", time.Now()))
	broken := "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
	key := "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"
	tests := []struct {
		name     string
		pem      string
		wantPool bool
		wantErr  string // "" for none
	}{
		{"one certificate", ca, true, ""},
		{"a key beside it is skipped", key + ca, true, ""},
		{"no PEM at all", "not a certificate", false, ErrNoCertificate.Error()},
		{"only a key", key, false, ErrNoCertificate.Error()},
		{"only a broken certificate", broken, false, "a certificate does not parse"},
		{"a broken one beside a good one", broken + ca, true, "a certificate does not parse"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			pool, err := CertPool([]byte(tc.pem))
			if got := pool != nil; got != tc.wantPool {
				t.Errorf("pool %v, want a pool: %v", pool, tc.wantPool)
			}
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("error %v, want none", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("error %v, want one with %q", err, tc.wantErr)
			}
			if tc.wantErr == ErrNoCertificate.Error() && !errors.Is(err, ErrNoCertificate) {
				t.Errorf("error %v is not ErrNoCertificate", err)
			}
		})
	}
}
