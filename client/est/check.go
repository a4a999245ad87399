package est

import (
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"time"
)

// Anchors picks the explicit trust anchors of a /crts answer (RFC 7030
// §4.1.3): its CA certificates. An answer without any is an error.
func Anchors(certs []*x509.Certificate) ([]*x509.Certificate, error) {
	var out []*x509.Certificate
	for _, c := range certs {
		if c.BasicConstraintsValid && c.IsCA {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("the /crts answer holds %d certificate(s) and no CA certificate", len(certs))
	}
	return out, nil
}

// equalKey reports whether two public keys are the same.
func equalKey(a, b crypto.PublicKey) bool {
	k, ok := a.(interface{ Equal(crypto.PublicKey) bool })
	return ok && k.Equal(b)
}

// CheckIssued finds, in a /sen or /sren answer, the certificate issued for
// pub and checks it as a careful client does before installing it: for
// this client's key, chaining to an anchor from /crts, valid now. The
// other certificates of the answer may serve as intermediates.
func CheckIssued(certs []*x509.Certificate, pub crypto.PublicKey, anchors []*x509.Certificate, now time.Time) (*x509.Certificate, error) {
	var mine *x509.Certificate
	inter := x509.NewCertPool()
	for _, c := range certs {
		if mine == nil && equalKey(pub, c.PublicKey) {
			mine = c
			continue
		}
		inter.AddCert(c)
	}
	switch {
	case mine == nil && len(certs) == 1:
		return nil, fmt.Errorf("the issued certificate (serial %s) is for another key than this client's CSR", certs[0].SerialNumber.Text(16))
	case mine == nil:
		return nil, fmt.Errorf("none of the %d certificates of the answer is for this client's key", len(certs))
	case len(anchors) == 0:
		return nil, errors.New("no trust anchor from /crts to check the issued certificate against")
	case now.After(mine.NotAfter):
		return nil, fmt.Errorf("the issued certificate (serial %s) expired at %s", mine.SerialNumber.Text(16), mine.NotAfter.UTC().Format(time.RFC3339))
	case now.Add(time.Second).Before(mine.NotBefore): // X.509 times have whole seconds
		return nil, fmt.Errorf("the issued certificate (serial %s) is not valid before %s", mine.SerialNumber.Text(16), mine.NotBefore.UTC().Format(time.RFC3339))
	}
	roots := x509.NewCertPool()
	for _, a := range anchors {
		roots.AddCert(a)
	}
	at := now
	if at.Before(mine.NotBefore) {
		at = mine.NotBefore
	}
	if _, err := mine.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, CurrentTime: at,
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}); err != nil {
		return nil, fmt.Errorf("the issued certificate (serial %s, issuer %q) does not chain to a /crts anchor: %w",
			mine.SerialNumber.Text(16), mine.Issuer.String(), err)
	}
	return mine, nil
}
