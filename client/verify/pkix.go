package verify

import (
	"bytes"
	"crypto/x509"
	"fmt"
	"time"
)

// failure is a rejected check: the Rule suffix and the reason text.
type failure struct {
	rule   string
	reason string
}

// pkixOK is PKIX-OK(TS): the presented chain validates to a trust anchor
// of the trust store at now, for server authentication, and the leaf
// carries name. It returns the verified chains.
//
// x509.Verify checks the validity period of every certificate, the trusted
// one included: intended. Which trust-store certificates anchor the chain
// is decided by anchors.
func pkixOK(p presented, ts []*x509.Certificate, name refName, now time.Time) ([][]*x509.Certificate, *failure) {
	roots := x509.NewCertPool()
	anchored, notAnchors := anchors(ts, p)
	for _, c := range anchored {
		roots.AddCert(c)
	}
	inter := x509.NewCertPool()
	for _, c := range p.extra {
		inter.AddCert(c)
	}
	chains, err := p.leaf.Verify(x509.VerifyOptions{
		Roots:         roots,
		Intermediates: inter,
		CurrentTime:   now,
		KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	})
	if err != nil {
		msg := fmt.Sprintf("PKIX validation against the trust store failed: %v", err)
		for _, c := range notAnchors {
			msg += fmt.Sprintf("; the trust store's end-entity certificate %s is not self-signed, so it anchors no chain and is trusted only when presented alone", describe(c))
		}
		return nil, &failure{"pkix-failed", msg}
	}
	if err := name.check(p.leaf); err != nil {
		return nil, &failure{"name-mismatch", fmt.Sprintf("chain validates but the name check failed: %v", err)}
	}
	return chains, nil
}

func chainsContain(chains [][]*x509.Certificate, want *x509.Certificate) bool {
	for _, chain := range chains {
		if containsRaw(chain, want) {
			return true
		}
	}
	return false
}

// anchors splits the trust store into the certificates that can anchor the
// presented chain p and those that cannot. A CA certificate or a
// self-signed certificate is an anchor. An end-entity certificate issued by
// someone else is not (OpenSSL without -partial_chain and Mbed TLS, which
// locally trusts only self-signed end-entity certificates, refuse it, and so
// does GnuTLS below a presented chain); it is trusted only as itself, when
// the server presents exactly that certificate and nothing else (GnuTLS
// accepts this, OpenSSL and Mbed TLS do not: the catalogue leaves it
// accepted, basis unspecified).
func anchors(ts []*x509.Certificate, p presented) (anchored, notAnchors []*x509.Certificate) {
	for _, c := range ts {
		switch {
		case c.IsCA, selfSigned(c):
			anchored = append(anchored, c)
		case len(p.all) == 1 && equalRaw(p.leaf, c):
			anchored = append(anchored, c)
		default:
			notAnchors = append(notAnchors, c)
		}
	}
	return anchored, notAnchors
}

// selfSigned reports whether c names itself as its issuer and its own key
// verifies its signature.
func selfSigned(c *x509.Certificate) bool {
	return bytes.Equal(c.RawIssuer, c.RawSubject) &&
		c.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature) == nil
}
