package certgen

import (
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"time"
)

// OIDs of the OCF extended key usages (OCF Security Specification).
var (
	OIDOCFIdentity = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 44924, 1, 6}
	OIDOCFRole     = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 44924, 1, 7}
)

// ekuByName maps spec EKU names to what the template needs: a standard
// usage or an OID Go does not know.
var ekuByName = map[string]struct {
	std x509.ExtKeyUsage
	oid asn1.ObjectIdentifier
}{
	"serverAuth":   {std: x509.ExtKeyUsageServerAuth},
	"clientAuth":   {std: x509.ExtKeyUsageClientAuth},
	"ocf-identity": {oid: OIDOCFIdentity},
	"ocf-role":     {oid: OIDOCFRole},
	"any":          {std: x509.ExtKeyUsageAny},
}

var keyUsageByName = map[string]x509.KeyUsage{
	"digitalSignature": x509.KeyUsageDigitalSignature, "contentCommitment": x509.KeyUsageContentCommitment,
	"keyEncipherment": x509.KeyUsageKeyEncipherment, "dataEncipherment": x509.KeyUsageDataEncipherment,
	"keyAgreement": x509.KeyUsageKeyAgreement, "keyCertSign": x509.KeyUsageCertSign, "cRLSign": x509.KeyUsageCRLSign,
}

// keyUsage is the named bits when the spec lists them, else the shape.
func keyUsage(s *CertSpec, ca bool) x509.KeyUsage {
	if s.KeyUsageBits == nil {
		return keyUsageFor[ca][s.KeyUsage]
	}
	var ku x509.KeyUsage
	for _, b := range s.KeyUsageBits {
		ku |= keyUsageByName[b]
	}
	return ku
}

// keyUsageFor[isCA][level]: "wrong" swaps the CA and leaf shapes.
var keyUsageFor = map[bool]map[string]x509.KeyUsage{
	true:  {"correct": x509.KeyUsageCertSign | x509.KeyUsageCRLSign, "missing": 0, "wrong": x509.KeyUsageDigitalSignature},
	false: {"correct": x509.KeyUsageDigitalSignature, "missing": 0, "wrong": x509.KeyUsageCertSign | x509.KeyUsageCRLSign},
}

// basicConstraintsFor[isCA][level]: present and whether it says CA:TRUE.
var basicConstraintsFor = map[bool]map[string]struct{ present, isCA bool }{
	true:  {"correct": {true, true}, "missing": {false, false}, "wrong": {true, false}},
	false: {"correct": {true, false}, "missing": {false, false}, "wrong": {true, true}},
}

// validityWindow returns NotBefore and NotAfter relative to now. Valid
// leaves last more than ten years, as device certificate profiles demand.
// not_before and lifetime, checked by validate, override the default.
func validityWindow(s *CertSpec, now time.Time) (time.Time, time.Time) {
	nb, na := defaultWindow(isCAKind(s.Kind), s.Validity, now)
	if sp, err := parseSpan(s.NotBefore, true); err == nil {
		nb = sp.from(now)
	}
	if sp, err := parseSpan(s.Lifetime, false); err == nil {
		na = sp.from(nb)
	}
	return nb, na
}

func defaultWindow(ca bool, validity string, now time.Time) (time.Time, time.Time) {
	switch validity {
	case "expired":
		return now.AddDate(-2, 0, 0), now.Add(-24 * time.Hour)
	case "not-yet-valid":
		return now.Add(24 * time.Hour), now.AddDate(2, 0, 0)
	}
	if ca {
		return now.Add(-time.Hour), now.AddDate(20, 0, 0)
	}
	return now.Add(-time.Hour), now.AddDate(11, 0, 0)
}

// serialLimit bounds serial numbers to 128 bits.
var serialLimit = new(big.Int).Lsh(big.NewInt(1), 128)

// randomSerial is a uniformly random positive serial below 2^128.
func randomSerial() (*big.Int, error) {
	for {
		n, err := rand.Int(rand.Reader, serialLimit)
		if err != nil {
			return nil, err
		}
		if n.Sign() > 0 {
			return n, nil
		}
	}
}

// certTemplate turns a validated spec into an x509 template; the key
// identifiers and signature algorithm are filled in by the signer.
func certTemplate(s *CertSpec, now time.Time) (*x509.Certificate, error) {
	serial := big.NewInt(s.Serial)
	if s.Serial == 0 {
		var err error
		if serial, err = randomSerial(); err != nil {
			return nil, err
		}
	}
	ca := isCAKind(s.Kind)
	notBefore, notAfter := validityWindow(s, now)
	bc := basicConstraintsFor[ca][s.BasicConstraints]
	t := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: s.Subject.CN, Organization: nonEmpty(s.Subject.O), OrganizationalUnit: nonEmpty(s.Subject.OU)},
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		KeyUsage:              keyUsage(s, ca),
		BasicConstraintsValid: bc.present,
		IsCA:                  bc.isCA,
		DNSNames:              s.DNS,
		IPAddresses:           s.IPs,
	}
	if len(s.DirNames) > 0 {
		ext, err := sanExtension(s)
		if err != nil {
			return nil, err
		}
		t.ExtraExtensions = append(t.ExtraExtensions, ext)
	}
	for _, name := range s.EKU {
		e := ekuByName[name]
		if e.oid != nil {
			t.UnknownExtKeyUsage = append(t.UnknownExtKeyUsage, e.oid)
		} else {
			t.ExtKeyUsage = append(t.ExtKeyUsage, e.std)
		}
	}
	return t, nil
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}
