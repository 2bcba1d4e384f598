package api

import (
	"cmp"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
)

// ErrNoCertificate is what CertPool says of PEM text without a certificate.
var ErrNoCertificate = errors.New("no PEM certificate (-----BEGIN CERTIFICATE-----)")

// CertPool returns the system's roots (an empty pool where the system has
// none) with the certificates of pemData added: every CERTIFICATE block,
// other blocks skipped. It is the one reading of a CA certificate, for
// CodeScoring's `ca-cert` and GitLab's CA file. It fails with
// ErrNoCertificate when pemData holds no certificate, and when a
// certificate does not parse; then the pool holds the others, nil when
// there are none, for a caller that takes a bundle as far as it goes.
func CertPool(pemData []byte) (*x509.CertPool, error) {
	var certs []*x509.Certificate
	var bad error
	for rest := pemData; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			bad = cmp.Or(bad, err)
			continue
		}
		certs = append(certs, c)
	}
	var pool *x509.CertPool
	if len(certs) > 0 {
		var err error
		if pool, err = x509.SystemCertPool(); err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		for _, c := range certs {
			pool.AddCert(c)
		}
	}
	switch {
	case bad != nil:
		return pool, fmt.Errorf("a certificate does not parse: %w", bad)
	case pool == nil:
		return nil, ErrNoCertificate
	}
	return pool, nil
}
