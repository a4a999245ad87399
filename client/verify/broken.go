package verify

import (
	"crypto/x509"
	"time"
)

// The checks below can be switched off on purpose (Input.SkipName,
// Input.SkipValidity): the reference client's mutation faults use them to
// show that a harness check fails against a client that omits the check.

// refName is the reference identity with the name check's switch.
type refName struct {
	name string
	skip bool // deliberately broken: every certificate matches
}

func (r refName) String() string { return r.name }

// check is CheckName unless the check is switched off.
func (r refName) check(leaf *x509.Certificate) error {
	if r.skip {
		return nil
	}
	return CheckName(leaf, r.name)
}

// timeless returns copies of certs valid at every instant: the copies keep
// their signed bytes (Raw, signatures), only the parsed validity period
// that x509.Verify and the DANE-TA path search read is widened.
func timeless(certs []*x509.Certificate) []*x509.Certificate {
	if certs == nil {
		return nil
	}
	out := make([]*x509.Certificate, len(certs))
	for i, c := range certs {
		cc := *c
		cc.NotBefore, cc.NotAfter = time.Time{}, time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)
		out[i] = &cc
	}
	return out
}

// timelessChain applies timeless to a parsed chain.
func timelessChain(p presented) presented {
	all := timeless(p.all)
	return presented{leaf: all[0], all: all, extra: all[1:]}
}
