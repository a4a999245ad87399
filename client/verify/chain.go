package verify

import (
	"crypto/x509"
	"fmt"
)

// presented is the server's certificate chain, parsed, leaf first.
type presented struct {
	leaf  *x509.Certificate
	all   []*x509.Certificate // leaf first
	extra []*x509.Certificate // all but the leaf: intermediates for PKIX
}

// parseChain parses the DER certificates of the server's Certificate message.
func parseChain(raw [][]byte) (presented, error) {
	if len(raw) == 0 {
		return presented{}, fmt.Errorf("server presented no certificate")
	}
	all := make([]*x509.Certificate, 0, len(raw))
	for i, der := range raw {
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return presented{}, fmt.Errorf("presented certificate %d of %d does not parse: %v", i, len(raw), err)
		}
		all = append(all, c)
	}
	return presented{leaf: all[0], all: all, extra: all[1:]}, nil
}

// checkTrustStore refuses nil entries, which x509.CertPool cannot hold.
func checkTrustStore(ts []*x509.Certificate) error {
	for i, c := range ts {
		if c == nil {
			return fmt.Errorf("trust store entry %d is nil", i)
		}
	}
	return nil
}

// describe names a certificate for a reason line.
func describe(c *x509.Certificate) string {
	if cn := c.Subject.CommonName; cn != "" {
		return fmt.Sprintf("%q", cn)
	}
	if dn := c.Subject.String(); dn != "" {
		return fmt.Sprintf("%q", dn)
	}
	return fmt.Sprintf("with empty subject, serial %v", c.SerialNumber)
}

func containsRaw(certs []*x509.Certificate, want *x509.Certificate) bool {
	for _, c := range certs {
		if equalRaw(c, want) {
			return true
		}
	}
	return false
}

func equalRaw(a, b *x509.Certificate) bool {
	return string(a.Raw) == string(b.Raw)
}
