package chain

import (
	"bytes"
	"fmt"

	"github.com/zmap/zcrypto/x509"
)

func init() {
	register("chain_linked", "Each certificate names the next one as its issuer and verifies under its key (RFC 5280 6.1.3 (a)(1), (a)(4)).", linked)
	register("chain_issuer_is_ca", "Every issuer in the chain asserts cA in basicConstraints and, if it has keyUsage, keyCertSign (RFC 5280 6.1.4 (k), (n)).", issuerIsCA)
	register("chain_path_len", "No issuer has more non-self-issued intermediates below it than its pathLenConstraint allows (RFC 5280 6.1.4 (l), (m)).", pathLen)
}

func linked(in Input) []Problem {
	var out []Problem
	for i := 0; i+1 < len(in.Certs); i++ {
		c, iss := in.Certs[i], in.Certs[i+1]
		if !bytes.Equal(c.RawIssuer, iss.RawSubject) {
			out = append(out, Problem{Cert: i, Msg: fmt.Sprintf("issuer %q is not the subject %q of the next certificate", c.Issuer.String(), iss.Subject.String())})
			continue
		}
		// The key check alone: whether the issuer may sign is chain_issuer_is_ca's concern.
		if err := iss.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature); err != nil {
			out = append(out, Problem{Cert: i, Msg: fmt.Sprintf("signature does not verify with the key of %q: %v", iss.Subject.String(), err)})
		}
	}
	return out
}

func issuerIsCA(in Input) []Problem {
	var out []Problem
	for i := 1; i < len(in.Certs); i++ {
		c := in.Certs[i]
		switch {
		case !c.BasicConstraintsValid:
			out = append(out, Problem{Cert: i, Msg: "issues a certificate of the chain but has no basicConstraints extension"})
		case !c.IsCA:
			out = append(out, Problem{Cert: i, Msg: "issues a certificate of the chain but basicConstraints says cA FALSE"})
		case hasKeyUsage(c) && c.KeyUsage&x509.KeyUsageCertSign == 0:
			out = append(out, Problem{Cert: i, Msg: "issues a certificate of the chain but keyUsage lacks keyCertSign"})
		}
	}
	return out
}

func pathLen(in Input) []Problem {
	var out []Problem
	for i := 1; i < len(in.Certs); i++ {
		c := in.Certs[i]
		if !c.BasicConstraintsValid || !c.IsCA || (c.MaxPathLen <= 0 && !c.MaxPathLenZero) {
			continue
		}
		below := 0 // intermediates between this issuer and the leaf
		for j := 1; j < i; j++ {
			if !bytes.Equal(in.Certs[j].RawIssuer, in.Certs[j].RawSubject) {
				below++
			}
		}
		if below > c.MaxPathLen {
			out = append(out, Problem{Cert: i, Msg: fmt.Sprintf("pathLenConstraint %d, but %d intermediate certificates follow it", c.MaxPathLen, below)})
		}
	}
	return out
}

func hasKeyUsage(c *x509.Certificate) bool {
	for _, e := range c.Extensions {
		if e.Id.String() == "2.5.29.15" {
			return true
		}
	}
	return false
}
