package lints

import (
	"encoding/asn1"
	"fmt"
	"slices"
	"strings"

	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"
)

func init() {
	register("lc_key_curve", "The subject public key is an EC key on one of the named curves.",
		"set by the profile", func() lint.CertificateLintInterface { return &keyCurve{} })
	register("lc_signature_algorithm", "The certificate is signed with one of the named algorithms.",
		"set by the profile", func() lint.CertificateLintInterface { return &sigAlg{} })
	register("lc_version", "The certificate has the named X.509 version.",
		"set by the profile", func() lint.CertificateLintInterface { return &version{Version: 3} })
}

var (
	oidECPublicKey = asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}
	curveOIDs      = map[string]string{"1.2.840.10045.3.1.7": "P-256", "1.3.132.0.34": "P-384", "1.3.132.0.35": "P-521"}
	sigAlgOIDs     = map[string]string{
		"1.2.840.10045.4.3.2": "ecdsa-with-SHA256", "1.2.840.10045.4.3.3": "ecdsa-with-SHA384",
		"1.2.840.10045.4.3.4": "ecdsa-with-SHA512", "1.2.840.113549.1.1.11": "sha256WithRSAEncryption",
		"1.3.101.112": "Ed25519",
	}
)

type keyCurve struct {
	Curves []string `toml:"curves"`
}

func (l *keyCurve) Configure() any                      { return l }
func (l *keyCurve) CheckApplies(*x509.Certificate) bool { return true }
func (l *keyCurve) Execute(c *x509.Certificate) *lint.LintResult {
	// Read the SPKI algorithm straight from DER: the curve is a parameter
	// of id-ecPublicKey, whatever library parsed the key.
	var spki struct {
		Algorithm struct {
			Algorithm  asn1.ObjectIdentifier
			Parameters asn1.RawValue `asn1:"optional"`
		}
		Key asn1.BitString
	}
	if _, err := asn1.Unmarshal(c.RawSubjectPublicKeyInfo, &spki); err != nil {
		return fail("unparseable subjectPublicKeyInfo: " + err.Error())
	}
	if !spki.Algorithm.Algorithm.Equal(oidECPublicKey) {
		return fail(fmt.Sprintf("public key is %s, not an EC key on %s", c.PublicKeyAlgorithm, strings.Join(l.Curves, " or ")))
	}
	var curve asn1.ObjectIdentifier
	if _, err := asn1.Unmarshal(spki.Algorithm.Parameters.FullBytes, &curve); err != nil {
		return fail("EC key without a named curve")
	}
	name := curveOIDs[curve.String()]
	if name == "" {
		name = curve.String()
	}
	if !slices.Contains(l.Curves, name) {
		return fail(fmt.Sprintf("EC key on %s, want %s", name, strings.Join(l.Curves, " or ")))
	}
	return pass()
}

type sigAlg struct {
	Algorithms []string `toml:"algorithms"`
}

func (l *sigAlg) Configure() any                      { return l }
func (l *sigAlg) CheckApplies(*x509.Certificate) bool { return true }
func (l *sigAlg) Execute(c *x509.Certificate) *lint.LintResult {
	oid := c.SignatureAlgorithmOID.String()
	name := sigAlgOIDs[oid]
	if name == "" {
		name = oid
	}
	if !slices.Contains(l.Algorithms, name) {
		return fail(fmt.Sprintf("signed with %s, want %s", name, strings.Join(l.Algorithms, " or ")))
	}
	return pass()
}

type version struct {
	Version int `toml:"version"`
}

func (l *version) Configure() any                      { return l }
func (l *version) CheckApplies(*x509.Certificate) bool { return true }
func (l *version) Execute(c *x509.Certificate) *lint.LintResult {
	if c.Version != l.Version {
		return fail(fmt.Sprintf("X.509 version %d, want %d", c.Version, l.Version))
	}
	return pass()
}

// Validate rejects curve names the lint cannot recognise in a certificate.
func (l *keyCurve) Validate() error { return known("curve", l.Curves, curveOIDs) }

// Validate rejects algorithm names the lint cannot recognise.
func (l *sigAlg) Validate() error { return known("signature algorithm", l.Algorithms, sigAlgOIDs) }

func known(what string, names []string, byOID map[string]string) error {
	var all []string
	for _, n := range byOID {
		all = append(all, n)
	}
	slices.Sort(all)
	for _, n := range names {
		if !slices.Contains(all, n) {
			return fmt.Errorf("unknown %s %q (want %s)", what, n, strings.Join(all, ", "))
		}
	}
	return nil
}
