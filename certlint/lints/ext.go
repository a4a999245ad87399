package lints

import (
	"encoding/asn1"

	"github.com/zmap/zcrypto/x509"
)

var (
	oidEKU      = asn1.ObjectIdentifier{2, 5, 29, 37}
	oidSAN      = asn1.ObjectIdentifier{2, 5, 29, 17}
	oidKeyUsage = asn1.ObjectIdentifier{2, 5, 29, 15}
)

func extension(c *x509.Certificate, oid asn1.ObjectIdentifier) ([]byte, bool) {
	for _, e := range c.Extensions {
		if e.Id.String() == oid.String() {
			return e.Value, true
		}
	}
	return nil, false
}

// EKUs reads the extendedKeyUsage extension as dotted OIDs, straight from
// its DER so that OIDs zcrypto does not know (the OCF ones) keep their
// place. present is false without the extension.
func EKUs(c *x509.Certificate) (oids []string, present bool, err error) {
	v, ok := extension(c, oidEKU)
	if !ok {
		return nil, false, nil
	}
	var seq []asn1.ObjectIdentifier
	if _, err := asn1.Unmarshal(v, &seq); err != nil {
		return nil, true, err
	}
	for _, o := range seq {
		oids = append(oids, o.String())
	}
	return oids, true, nil
}
