package catalog

import (
	"slices"
	"strings"
)

// expand turns a table into cases: the cross product of its dimensions,
// minus the declared drops, each combination judged by the first rule
// that matches. A combination no rule covers is a load error: tables must
// be complete.
func (t *table) expand(known func(ref string) bool) ([]Case, error) {
	var out []Case
	combo := map[string]string{}
	var walk func(i int, chosen []*dimValue) error
	walk = func(i int, chosen []*dimValue) error {
		if i == len(t.dims) {
			c, keep, err := t.build(combo, chosen, known)
			if err != nil {
				return err
			}
			if keep {
				out = append(out, c)
			}
			return nil
		}
		d := t.dims[i]
		for j := range d.values {
			combo[d.name] = d.values[j].key
			if err := walk(i+1, append(chosen, &d.values[j])); err != nil {
				return err
			}
		}
		delete(combo, d.name)
		return nil
	}
	return out, walk(0, nil)
}

func (t *table) build(combo map[string]string, chosen []*dimValue, known func(string) bool) (Case, bool, error) {
	for _, d := range t.drops {
		if matches(d.when, combo) {
			return Case{}, false, nil
		}
	}
	vars := map[string]string{}
	for _, v := range chosen {
		for k, val := range v.vars {
			vars[k] = val
		}
	}
	id, desc := t.idTmpl, t.descTmpl
	dims := map[string]string{}
	for i, d := range t.dims {
		id = strings.ReplaceAll(id, "{"+d.name+"}", chosen[i].key)
		desc = strings.ReplaceAll(desc, "{"+d.name+"}", chosen[i].text)
		dims[d.name] = chosen[i].key
	}
	c := Case{
		ID: id, Area: t.area, Description: desc, Dimensions: dims,
		Labels: append([]string(nil), t.labels...),
		SUT:    Provisioning{Usage: UsageUnset},
	}
	if !slices.Contains(c.Labels, t.area) {
		c.Labels = append([]string{t.area}, c.Labels...)
	}
	r := &resolver{vars: vars, known: known}
	r.apply(&c, t.defaults)
	for _, v := range chosen {
		r.apply(&c, v.frag)
	}
	if r.err != nil {
		return c, false, r.err
	}
	for _, rl := range t.rules {
		if matches(rl.when, combo) {
			c.Expect, c.Basis, c.Source, c.Unvalidated = rl.expect, rl.basis, rl.source, rl.unvalidated
			c.Origin = rl.origin()
			return c, true, c.check(t.file)
		}
	}
	return c, false, t.rulesAt.Errorf("no rule gives a verdict for %s: the table must cover every combination", id)
}

// resolver merges fragments into a case, substituting $vars and checking
// every certificate reference against the PKI worlds.
type resolver struct {
	vars  map[string]string
	known func(string) bool
	err   error
}

func (r *resolver) ref(x ref) string {
	v := x.val
	if strings.HasPrefix(v, "$") {
		sub, ok := r.vars[v[1:]]
		if !ok {
			r.fail(x.at.Errorf("unknown variable %s (no dimension value defines it)", v))
			return ""
		}
		v = sub
	}
	if !strings.Contains(v, "/") {
		r.fail(x.at.Errorf("certificate reference %q must be world/name", v))
	} else if r.known != nil && !r.known(v) {
		r.fail(x.at.Errorf("unknown certificate %q (no such world or certificate in fixtures/worlds)", v))
	}
	return v
}

func (r *resolver) refs(xs []ref) []string {
	out := make([]string, 0, len(xs))
	for _, x := range xs {
		out = append(out, r.ref(x))
	}
	return out
}

func (r *resolver) fail(err error) {
	if r.err == nil {
		r.err = err
	}
}

func (r *resolver) apply(c *Case, f fragment) {
	for _, set := range f {
		set(c, r)
	}
}

// check rejects cases that cannot run: a certificate-mode case without a
// chain, or an SNI that is an IP literal.
func (c *Case) check(file string) error {
	bad := func(msg string) error {
		return &LoadError{File: file, Line: 1, Field: c.ID, Msg: msg}
	}
	if c.SUT.Mode == "" {
		return bad("no security mode (sut.mode)")
	}
	if c.SUT.Host == "" {
		return bad("no server host (sut.host)")
	}
	if c.SUT.Mode == "cert" && (len(c.Peer.Chain) == 0 || c.Peer.Key == "") {
		return bad("certificate mode needs peer.chain and peer.key")
	}
	if c.SUT.Mode == "psk" && (c.SUT.PSKIdentity == "" || c.SUT.PSKKeyLen == 0 || c.Peer.PSKIdentity == "" || c.Peer.PSKKeyLen == 0) {
		return bad("PSK mode needs sut and peer psk_identity and psk_key_len")
	}
	if c.Wire.SuitesExactly && len(c.SUT.CipherSuites) == 0 {
		return bad("wire.suites_exactly needs sut.cipher_suites")
	}
	if (c.Wire.SameSession || c.Wire.Resumed) && c.Scenario == "" {
		return bad("wire.same_session and wire.resumed need a scenario")
	}
	return nil
}
