package verify

import (
	"crypto/x509"
	"fmt"
	"time"
)

// Input is everything the decision depends on.
type Input struct {
	Usage Usage
	// ServerPublicKey is the /0/x/4 resource: one certificate in DER or PEM;
	// empty means not provisioned.
	ServerPublicKey []byte
	// TrustStore is the client's PKIX trust store; nil or empty means none.
	TrustStore []*x509.Certificate
	// Chain is the server's Certificate message in DER, leaf first.
	Chain [][]byte
	// ServerName is the SNI resource (/0/x/14) if set, else the server URI
	// host; it may be an IP literal.
	ServerName string
	// Now is the time certificates are checked at; zero means time.Now().
	Now time.Time
	// SkipName and SkipValidity switch off the name check and the validity
	// period checks: a deliberately broken verifier (see broken.go).
	SkipName, SkipValidity bool
}

// Verify decides whether the client accepts the server's chain. It never
// panics: should a certificate built by hand (rather than parsed) in the
// trust store upset crypto/x509, the chain is rejected.
func Verify(in Input) (d Decision) {
	defer func() {
		if r := recover(); r != nil {
			d = rejected("internal/panic", "the verifier failed on this input (%v)", r)
		}
	}()
	return decide(in)
}

// decide applies the rules in order: input checks, the empty-key rules,
// then for a provisioned key the missing trust store (usages 0 and 1), the
// shape of the key (CA or leaf), and the usage's own test.
func decide(in Input) Decision {
	if !in.Usage.valid() {
		return rejected("input/unknown-usage", "unknown certificate usage %d", int(in.Usage))
	}
	now := in.Now
	if now.IsZero() {
		now = time.Now()
	}
	p, err := parseChain(in.Chain)
	if err != nil {
		return rejected("input/bad-chain", "%v", err)
	}
	if err := checkTrustStore(in.TrustStore); err != nil {
		return rejected("input/bad-trust-store", "%v", err)
	}
	u := in.Usage
	ts := in.TrustStore
	if in.SkipValidity {
		p, ts = timelessChain(p), timeless(ts)
	}
	name := refName{name: in.ServerName, skip: in.SkipName}
	if len(in.ServerPublicKey) == 0 {
		return withoutKey(u, p, ts, name, now)
	}
	eff := u.effective()
	if (eff == PKIXTA || eff == PKIXEE) && len(ts) == 0 {
		return rejected(u.slug()+"/no-trust-store", "usage %s needs a trust store: PKIX cannot be performed without one", u)
	}
	spk, err := ParseServerPublicKey(in.ServerPublicKey)
	if err != nil {
		return rejected(u.slug()+"/bad-spk", "usage %s: %v", u, err)
	}
	if in.SkipValidity {
		spk = timeless([]*x509.Certificate{spk})[0]
	}
	switch eff {
	case PKIXTA:
		return pkixTA(u, p, spk, ts, name, now)
	case PKIXEE:
		return pkixEE(u, p, spk, ts, name, now)
	case DANETA:
		return daneTA(u, p, spk, name, now)
	default:
		return daneEE(u, p, spk)
	}
}

// withoutKey handles an empty Server Public Key: plain PKIX when there is a
// trust store; without one, usages 0/1 reject and 2/3 accept unvalidated.
func withoutKey(u Usage, p presented, ts []*x509.Certificate, name refName, now time.Time) Decision {
	eff := u.effective()
	if len(ts) == 0 {
		if eff == PKIXTA || eff == PKIXEE {
			return rejected(u.slug()+"/no-trust-store", "usage %s with no Server Public Key and no trust store: PKIX cannot be performed", u)
		}
		return Decision{
			Accept:    true,
			Validated: false,
			Rule:      u.slug() + "/spk-empty/unvalidated",
			Reason:    fmt.Sprintf("ACCEPTED WITHOUT ANY VALIDATION: usage %s with no Server Public Key and no trust store; the server certificate was not checked at all", u),
		}
	}
	prefix := u.slug() + "/spk-empty/"
	if _, fail := pkixOK(p, ts, name, now); fail != nil {
		return rejected(prefix+fail.rule, "usage %s, no Server Public Key: %s", u, fail.reason)
	}
	return accepted(prefix+"pkix-ok", "usage %s, no Server Public Key: chain validates against the trust store and matches name %q", u, name)
}

func pkixTA(u Usage, p presented, spk *x509.Certificate, ts []*x509.Certificate, name refName, now time.Time) Decision {
	if !spk.IsCA {
		return rejected("pkix-ta/spk-not-ca", "usage %s: the Server Public Key %s is not a CA certificate; PKIX-TA must name a CA", u, describe(spk))
	}
	chains, fail := pkixOK(p, ts, name, now)
	if fail != nil {
		return rejected("pkix-ta/"+fail.rule, "usage %s: %s", u, fail.reason)
	}
	if !chainsContain(chains, spk) {
		return rejected("pkix-ta/spk-not-in-verified-chain", "usage %s: chain validates, but the Server Public Key %s is not in any verified chain", u, describe(spk))
	}
	if !containsRaw(ts, spk) {
		return rejected("pkix-ta/spk-not-in-trust-store", "usage %s: the Server Public Key %s is in the verified chain but not in the trust store", u, describe(spk))
	}
	return accepted("pkix-ta/ok", "usage %s: chain validates against the trust store through the Server Public Key %s and matches name %q", u, describe(spk), name)
}

func pkixEE(u Usage, p presented, spk *x509.Certificate, ts []*x509.Certificate, name refName, now time.Time) Decision {
	if spk.IsCA {
		return rejected("pkix-ee/spk-is-ca", "usage %s: the Server Public Key %s is a CA certificate; the presented leaf can never equal it", u, describe(spk))
	}
	if _, fail := pkixOK(p, ts, name, now); fail != nil {
		return rejected("pkix-ee/"+fail.rule, "usage %s: %s", u, fail.reason)
	}
	if !equalRaw(p.leaf, spk) {
		return rejected("pkix-ee/leaf-differs-from-spk", "usage %s: chain validates, but the presented leaf %s is not the Server Public Key %s", u, describe(p.leaf), describe(spk))
	}
	return accepted("pkix-ee/ok", "usage %s: chain validates against the trust store, the leaf is the Server Public Key and matches name %q", u, name)
}

func daneTA(u Usage, p presented, spk *x509.Certificate, name refName, now time.Time) Decision {
	if !spk.IsCA {
		return rejected("dane-ta/spk-not-ca", "usage %s: the Server Public Key %s is not a CA certificate; a DANE-TA anchor must be a CA", u, describe(spk))
	}
	if msg := validityError(spk, now); msg != "" {
		return rejected("dane-ta/anchor-outside-validity", "usage %s: the Server Public Key %s, the DANE-TA trust anchor, %s", u, describe(spk), msg)
	}
	path, fail := daneTAPath(p.all, spk, now)
	if fail != nil {
		return rejected("dane-ta/"+fail.rule, "usage %s: %s", u, fail.reason)
	}
	if err := name.check(p.leaf); err != nil {
		return rejected("dane-ta/name-mismatch", "usage %s: path to the Server Public Key found, but the name check failed: %v", u, err)
	}
	return accepted("dane-ta/ok", "usage %s: %d presented certificate(s) lead from the leaf to the Server Public Key %s; leaf matches name %q", u, len(path), describe(spk), name)
}

// daneEE compares the leaf with the key only: no validity period and no name
// check (RFC 7671 §5.1).
func daneEE(u Usage, p presented, spk *x509.Certificate) Decision {
	if spk.IsCA {
		return rejected("dane-ee/spk-is-ca", "usage %s: the Server Public Key %s is a CA certificate; DANE-EE must name the server's own certificate", u, describe(spk))
	}
	if !equalRaw(p.leaf, spk) {
		return rejected("dane-ee/leaf-differs-from-spk", "usage %s: the presented leaf %s is not the Server Public Key %s", u, describe(p.leaf), describe(spk))
	}
	return accepted("dane-ee/ok", "usage %s: the presented leaf is the Server Public Key (validity period and name not checked, RFC 7671 §5.1)", u)
}
