package lints

import (
	"bytes"

	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"
)

func init() {
	register("lc_not_self_signed", "The certificate is signed by an issuer, not by its own key.",
		"set by the profile", func() lint.CertificateLintInterface { return &notSelfSigned{} })
}

type notSelfSigned struct{}

func (l *notSelfSigned) CheckApplies(*x509.Certificate) bool { return true }
func (l *notSelfSigned) Execute(c *x509.Certificate) *lint.LintResult {
	// zcrypto sets SelfSigned when issuer equals subject and the signature
	// verifies under the certificate's own key; the signature check also
	// catches a self-signature under a different issuer name.
	if c.SelfSigned {
		return fail("self-signed: the issuer is the subject and the signature verifies with the certificate's own key")
	}
	if err := c.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature); err == nil {
		return fail("signed with the certificate's own key")
	}
	if bytes.Equal(c.RawIssuer, c.RawSubject) && len(c.SubjectKeyId) > 0 && bytes.Equal(c.SubjectKeyId, c.AuthorityKeyId) {
		return fail("self-issued: issuer equals subject and the authority key identifier is its own")
	}
	return pass()
}
