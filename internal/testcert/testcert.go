// Package testcert makes X.509 certificates for tests of TLS: private CAs
// that nothing trusts unless told to, and the PEM text the ca-cert input and
// doctor's CACert take.
package testcert

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"testing"
	"time"
)

// NewCA returns the PEM of a fresh self-signed CA certificate with the
// common name name and an ECDSA P-256 key, valid from an hour before now to
// a day after it: now is the clock of the code that will check it, which may
// be simulated. The key is thrown away, so the CA has signed nothing and
// never will: trusting it alone makes every server's certificate unknown.
// NewCA fails tb if it cannot make the certificate.
func NewCA(tb testing.TB, name string, now time.Time) []byte {
	tb.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatalf("generate a CA key: %v", err)
	}
	// Random, as a real CA's: two CAs of one test never share a serial.
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		tb.Fatalf("draw a serial number: %v", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial, Subject: pkix.Name{CommonName: name},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		tb.Fatalf("create the CA certificate: %v", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

// PEM encodes c as a PEM CERTIFICATE block, e.g. the certificate of an
// httptest TLS server, whose CA it is too.
func PEM(c *x509.Certificate) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
}
