package verify

import (
	"crypto/x509"
	"fmt"
	"time"
)

// failure is a rejected check: the Rule suffix and the reason text.
type failure struct {
	rule   string
	reason string
}

// pkixOK is PKIX-OK(TS): the presented chain validates to a certificate in
// the trust store at now, for server authentication, and the leaf carries
// name. It returns the verified chains.
//
// x509.Verify accepts a chain ending at any trust store certificate (a
// trusted non-self-signed leaf included) and checks the validity period of
// every certificate, the trusted one included: both are intended.
func pkixOK(p presented, ts []*x509.Certificate, name refName, now time.Time) ([][]*x509.Certificate, *failure) {
	roots := x509.NewCertPool()
	for _, c := range ts {
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
		return nil, &failure{"pkix-failed", fmt.Sprintf("PKIX validation against the trust store failed: %v", err)}
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
