package mutation

import (
	"slices"

	"github.com/lwm2m-conform/lwm2m-conform/catalog"
)

// input is one certificate decision: the provisioning as refs.
type input struct {
	usage        int      // 0..3; unset is read as 3 (LwM2M default)
	spk          string   // "" = empty
	trust        []string // nil = no trust store
	chain        []string // presented, leaf first
	name         string   // SNI if set, else the URI host
	skipName     bool
	skipValidity bool
}

// inputFor provisions the evaluator as the case provisions the client,
// with the verifier faults of b applied.
func inputFor(c catalog.Case, b Behaviour) input {
	in := input{usage: c.SUT.Usage, spk: c.SUT.ServerPublicKey, trust: c.SUT.TrustStore, chain: c.Peer.Chain,
		name: c.SUT.Host, skipName: b.SkipName, skipValidity: b.SkipValidity}
	if c.SUT.SNI != "" {
		in.name = c.SUT.SNI
	}
	if in.usage == catalog.UsageUnset || b.UsageAs3 {
		in.usage = 3
	}
	if b.IgnoreSPK {
		in.spk = ""
	}
	return in
}

// decide is the reference semantics table of DESIGN.md, row by row, with
// the choices of DESIGN-NOTES.md where the seeds leave a cell open. It
// returns whether the server is accepted and whether it was validated.
func (p PKI) decide(in input) (accept, validated bool, err error) {
	if len(in.chain) == 0 {
		return false, false, nil
	}
	leaf, err := p.get(in.chain[0])
	if err != nil {
		return false, false, err
	}
	if in.spk == "" {
		switch {
		case in.trust != nil: // 0–3, empty SPK, trust store: PKIX-OK(TS)
			path, err := p.pkixPath(in)
			return path != nil, path != nil, err
		case in.usage >= 2: // 2, 3, empty SPK, no trust store: accept, unvalidated
			return true, false, nil
		}
		return false, false, nil // 0, 1 without a trust store
	}
	spk, err := p.get(in.spk)
	if err != nil {
		return false, false, err
	}
	var ok bool
	switch in.usage {
	case 0: // PKIX-OK(TS), SPK a CA in the verified path and in TS
		if !spk.ca || in.trust == nil {
			return false, false, nil
		}
		path, err := p.pkixPath(in)
		if err != nil {
			return false, false, err
		}
		ok = slices.Contains(path, in.spk) && slices.Contains(in.trust, in.spk)
	case 1: // PKIX-OK(TS) and the presented leaf is the SPK
		if spk.ca || in.trust == nil {
			return false, false, nil
		}
		path, err := p.pkixPath(in)
		if err != nil {
			return false, false, err
		}
		ok = path != nil && leaf.ref == in.spk
	case 2: // a path from the leaf to the SPK from the handshake certificates
		if !spk.ca {
			return false, false, nil
		}
		ok, err = p.daneTA(in)
		if err != nil {
			return false, false, err
		}
	default: // 3: the presented leaf is the SPK; no names, no validity (RFC 7671 §5.1)
		ok = !spk.ca && leaf.ref == in.spk
	}
	return ok, ok, nil
}

// pkixPath builds the path from the presented leaf to an anchor of the
// trust store, issuers taken from the handshake or the store. A CA or a
// self-signed certificate anchors; a CA-issued leaf there only when the
// server presents it alone (the catalogue's ts-leaf rows). Every
// certificate on the path, the anchor included, must be inside its
// validity period, and the leaf must carry the name. nil = no valid path.
func (p PKI) pkixPath(in input) ([]string, error) {
	var path []string
	for cur := in.chain[0]; ; {
		c, err := p.get(cur)
		if err != nil {
			return nil, err
		}
		if ok, err := c.inPeriod(); err != nil || !ok && !in.skipValidity {
			return nil, err
		}
		path = append(path, cur)
		if slices.Contains(in.trust, cur) && (c.ca || c.issuer == cur || len(in.chain) == 1) {
			break
		}
		if c.issuer == cur || !slices.Contains(in.chain, c.issuer) && !slices.Contains(in.trust, c.issuer) {
			return nil, nil
		}
		cur = c.issuer
	}
	if !p.named(in) {
		return nil, nil
	}
	return path, nil
}

// daneTA: the leaf chains to the SPK through handshake certificates; every
// certificate on the path, the anchor included, is inside its validity
// period (the catalogue's validity/expired-root/u2), and names are checked
// (RFC 7671 §5.2).
func (p PKI) daneTA(in input) (bool, error) {
	for cur := in.chain[0]; ; {
		c, err := p.get(cur)
		if err != nil {
			return false, err
		}
		if ok, err := c.inPeriod(); err != nil || !ok && !in.skipValidity {
			return false, err
		}
		if c.issuer == in.spk {
			ok, err := p[in.spk].inPeriod()
			return (ok || in.skipValidity) && p.named(in), err
		}
		if c.issuer == cur || !slices.Contains(in.chain, c.issuer) {
			return false, nil
		}
		cur = c.issuer
	}
}

func (p PKI) named(in input) bool {
	return in.skipName || p[in.chain[0]].matches(in.name)
}
