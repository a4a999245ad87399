package catalog

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/lwm2m-conform/lwm2m-conform/internal/yamlpos"
)

// table is one case-table file: dimensions whose cross product makes the
// cases, and decision rules (first match wins) that give each its verdict.
type table struct {
	file, area       string
	labels           []string
	idTmpl, descTmpl string
	defaults         fragment
	dims             []dimension
	drops            []drop
	rules            []rule
	rulesAt          yamlpos.Node
}

type dimension struct {
	name   string
	values []dimValue
}

type dimValue struct {
	key, text string
	vars      map[string]string
	frag      fragment
}

// fragment is a partial case: what one dimension value (or the defaults)
// contributes, as setters applied in order.
type fragment []func(c *Case, r *resolver)

// ref is a certificate reference ("world/name" or "$var") and where it was written.
type ref struct {
	val string
	at  yamlpos.Node
}

type drop struct {
	when   map[string][]string
	reason string
	at     yamlpos.Node
}

type rule struct {
	when        map[string][]string
	expect      Expect
	basis       Basis
	source      string
	unvalidated bool
	at          yamlpos.Node
}

func parseTable(file string, root yamlpos.Node) (*table, error) {
	_, f, err := root.Fields("area", "labels", "id", "description", "defaults", "dimensions", "drop", "rules")
	if err != nil {
		return nil, err
	}
	t := &table{file: file}
	for _, req := range []string{"area", "id", "dimensions", "rules"} {
		if _, ok := f[req]; !ok {
			return nil, root.Errorf("missing field %q", req)
		}
	}
	if t.area, err = f["area"].Str(); err != nil {
		return nil, err
	}
	if t.idTmpl, err = f["id"].Str(); err != nil {
		return nil, err
	}
	if d, ok := f["description"]; ok {
		if t.descTmpl, err = d.Str(); err != nil {
			return nil, err
		}
	}
	if l, ok := f["labels"]; ok {
		if t.labels, err = l.StrOrList(); err != nil {
			return nil, err
		}
	}
	if d, ok := f["defaults"]; ok {
		if t.defaults, err = parseFragment(d, false); err != nil {
			return nil, err
		}
	}
	if t.dims, err = parseDimensions(f["dimensions"]); err != nil {
		return nil, err
	}
	for _, d := range t.dims {
		if !strings.Contains(t.idTmpl, "{"+d.name+"}") {
			return nil, f["id"].Errorf("id template does not use dimension {%s}: case ids would collide", d.name)
		}
	}
	if d, ok := f["drop"]; ok {
		items, err := d.Items()
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			_, df, err := it.Fields("when", "reason")
			if err != nil {
				return nil, err
			}
			dr := drop{at: it}
			if dr.when, err = t.parseWhen(df["when"], it); err != nil {
				return nil, err
			}
			if r, ok := df["reason"]; !ok {
				return nil, it.Errorf("a drop needs a reason")
			} else if dr.reason, err = r.Str(); err != nil {
				return nil, err
			}
			t.drops = append(t.drops, dr)
		}
	}
	t.rulesAt = f["rules"]
	items, err := f["rules"].Items()
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		r, err := t.parseRule(it)
		if err != nil {
			return nil, err
		}
		t.rules = append(t.rules, r)
	}
	return t, nil
}

func parseDimensions(x yamlpos.Node) ([]dimension, error) {
	items, err := x.Items()
	if err != nil {
		return nil, err
	}
	var dims []dimension
	seen := map[string]bool{}
	for _, it := range items {
		_, f, err := it.Fields("name", "values")
		if err != nil {
			return nil, err
		}
		nameNode, ok := f["name"]
		if !ok {
			return nil, it.Errorf("a dimension needs a name")
		}
		d := dimension{}
		if d.name, err = nameNode.Str(); err != nil {
			return nil, err
		}
		if seen[d.name] {
			return nil, nameNode.Errorf("duplicate dimension %q", d.name)
		}
		seen[d.name] = true
		vn, ok := f["values"]
		if !ok {
			return nil, it.Errorf("dimension %q has no values", d.name)
		}
		keys, vals, err := vn.Fields()
		if err != nil {
			return nil, err
		}
		for _, k := range keys {
			v, err := parseDimValue(k, vals[k])
			if err != nil {
				return nil, err
			}
			d.values = append(d.values, v)
		}
		if len(d.values) == 0 {
			return nil, vn.Errorf("dimension %q has no values", d.name)
		}
		dims = append(dims, d)
	}
	return dims, nil
}

func parseDimValue(key string, x yamlpos.Node) (dimValue, error) {
	v := dimValue{key: key, text: key, vars: map[string]string{}}
	_, f, err := x.Fields("text", "vars", "sut", "peer", "wire", "scenario", "impair", "requires", "stay_alive", "est")
	if err != nil {
		return v, err
	}
	if t, ok := f["text"]; ok {
		if v.text, err = t.Str(); err != nil {
			return v, err
		}
	}
	if vs, ok := f["vars"]; ok {
		keys, m, err := vs.Fields()
		if err != nil {
			return v, err
		}
		for _, k := range keys {
			if v.vars[k], err = m[k].Str(); err != nil {
				return v, err
			}
		}
	}
	v.frag, err = parseFragment(x, true)
	return v, err
}

// parseFragment reads the case parts of a mapping.
func parseFragment(x yamlpos.Node, allowExtra bool) (fragment, error) {
	allowed := []string{"sut", "peer", "wire", "scenario", "impair", "requires", "stay_alive", "est"}
	if allowExtra {
		allowed = append(allowed, "text", "vars")
	}
	keys, f, err := x.Fields(allowed...)
	if err != nil {
		return nil, err
	}
	var fr fragment
	for _, k := range keys {
		v := f[k]
		var part fragment
		switch k {
		case "sut":
			part, err = parseSUT(v)
		case "peer":
			part, err = parsePeer(v)
		case "wire":
			part, err = parseWire(v)
		case "scenario":
			var sc string
			if sc, err = v.Str(); err == nil && !slices.Contains(Scenarios, sc) {
				err = v.Errorf("unknown scenario %q (want one of %v)", sc, Scenarios[1:])
			}
			part = fragment{func(c *Case, _ *resolver) { c.Scenario = sc }}
		case "impair":
			part, err = parseImpair(v)
		case "requires":
			var caps []string
			if caps, err = v.StrOrList(); err == nil {
				for _, cp := range caps {
					if !slices.Contains(Capabilities, cp) {
						err = v.Errorf("unknown capability %q (want one of %v)", cp, Capabilities)
					}
				}
			}
			// A dimension value's list replaces the table default's (so
			// `requires: []` clears it); values of several dimensions add up.
			if allowExtra {
				part = fragment{func(c *Case, _ *resolver) {
					if c.requiresDefault {
						c.Requires, c.requiresDefault = nil, false
					}
					c.Requires = append(c.Requires, caps...)
				}}
			} else {
				part = fragment{func(c *Case, _ *resolver) { c.Requires, c.requiresDefault = slices.Clone(caps), true }}
			}
		case "est":
			part, err = parseEST(v) // est.go
		case "stay_alive":
			var b bool
			b, err = v.Bool()
			part = fragment{func(c *Case, _ *resolver) { c.StayAlive = b }}
		}
		if err != nil {
			return nil, err
		}
		fr = append(fr, part...)
	}
	return fr, nil
}

func parseSUT(x yamlpos.Node) (fragment, error) {
	keys, f, err := x.Fields("mode", "usage", "server_public_key", "trust_store", "client_cert", "host", "sni", "cipher_suites",
		"psk_identity", "psk_key_len", "psk_wrong_key", "cid", "lifetime")
	if err != nil {
		return nil, err
	}
	var fr fragment
	for _, k := range keys {
		v := f[k]
		var set func(c *Case, r *resolver)
		switch k {
		case "mode", "host", "sni", "psk_identity":
			s, err := v.Str()
			if err != nil {
				return nil, err
			}
			if k == "mode" && !slices.Contains([]string{"cert", "psk", "nosec"}, s) {
				return nil, v.Errorf("unknown security mode %q (want cert, psk, nosec)", s)
			}
			set = map[string]func(c *Case, r *resolver){
				"mode":         func(c *Case, _ *resolver) { c.SUT.Mode = s },
				"host":         func(c *Case, _ *resolver) { c.SUT.Host = s },
				"sni":          func(c *Case, _ *resolver) { c.SUT.SNI = s },
				"psk_identity": func(c *Case, _ *resolver) { c.SUT.PSKIdentity = s },
			}[k]
		case "usage":
			u, err := parseUsage(v)
			if err != nil {
				return nil, err
			}
			set = func(c *Case, _ *resolver) { c.SUT.Usage = u }
		case "server_public_key", "client_cert":
			r, err := oneRef(v)
			if err != nil {
				return nil, err
			}
			if k == "client_cert" {
				set = func(c *Case, rs *resolver) { c.SUT.ClientCert = rs.ref(r) }
			} else {
				set = func(c *Case, rs *resolver) { c.SUT.ServerPublicKey = rs.ref(r) }
			}
		case "trust_store":
			refs, err := refList(v)
			if err != nil {
				return nil, err
			}
			set = func(c *Case, rs *resolver) { c.SUT.TrustStore = rs.refs(refs) }
		case "cipher_suites":
			ids, err := suiteList(v)
			if err != nil {
				return nil, err
			}
			set = func(c *Case, _ *resolver) { c.SUT.CipherSuites = ids }
		case "psk_key_len":
			n, err := v.Int(1, 65535)
			if err != nil {
				return nil, err
			}
			set = func(c *Case, _ *resolver) { c.SUT.PSKKeyLen = n }
		case "lifetime":
			n, err := v.Int(1, 86400)
			if err != nil {
				return nil, err
			}
			set = func(c *Case, _ *resolver) { c.SUT.Lifetime = n }
		case "psk_wrong_key", "cid":
			b, err := v.Bool()
			if err != nil {
				return nil, err
			}
			if k == "cid" {
				set = func(c *Case, _ *resolver) { c.SUT.CID = b }
			} else {
				set = func(c *Case, _ *resolver) { c.SUT.PSKWrongKey = b }
			}
		}
		fr = append(fr, set)
	}
	return fr, nil
}

func parsePeer(x yamlpos.Node) (fragment, error) {
	keys, f, err := x.Fields("chain", "key", "psk_identity", "psk_key_len", "cipher_suites", "cid")
	if err != nil {
		return nil, err
	}
	var fr fragment
	for _, k := range keys {
		v := f[k]
		switch k {
		case "chain":
			refs, err := refList(v)
			if err != nil {
				return nil, err
			}
			fr = append(fr, func(c *Case, rs *resolver) { c.Peer.Chain = rs.refs(refs) })
		case "key":
			r, err := oneRef(v)
			if err != nil {
				return nil, err
			}
			fr = append(fr, func(c *Case, rs *resolver) { c.Peer.Key = rs.ref(r) })
		case "psk_identity":
			s, err := v.Str()
			if err != nil {
				return nil, err
			}
			fr = append(fr, func(c *Case, _ *resolver) { c.Peer.PSKIdentity = s })
		case "psk_key_len":
			n, err := v.Int(1, 65535)
			if err != nil {
				return nil, err
			}
			fr = append(fr, func(c *Case, _ *resolver) { c.Peer.PSKKeyLen = n })
		case "cipher_suites":
			ids, err := suiteList(v)
			if err != nil {
				return nil, err
			}
			fr = append(fr, func(c *Case, _ *resolver) { c.Peer.CipherSuites = ids })
		case "cid":
			b, err := v.Bool()
			if err != nil {
				return nil, err
			}
			fr = append(fr, func(c *Case, _ *resolver) { c.Peer.CID = b })
		}
	}
	return fr, nil
}

func parseWire(x yamlpos.Node) (fragment, error) {
	keys, f, err := x.Fields("sni", "no_sni", "suites_exactly", "weak_suites", "cid", "resumed", "same_session")
	if err != nil {
		return nil, err
	}
	var fr fragment
	for _, k := range keys {
		v := f[k]
		if k == "sni" {
			s, err := v.Str()
			if err != nil {
				return nil, err
			}
			fr = append(fr, func(c *Case, _ *resolver) { c.Wire.SNI, c.Wire.NoSNI = s, false })
			continue
		}
		b, err := v.Bool()
		if err != nil {
			return nil, err
		}
		fr = append(fr, map[string]func(c *Case, _ *resolver){
			"no_sni": func(c *Case, _ *resolver) {
				c.Wire.NoSNI = b
				if b {
					c.Wire.SNI = ""
				}
			},
			"suites_exactly": func(c *Case, _ *resolver) { c.Wire.SuitesExactly = b },
			"weak_suites":    func(c *Case, _ *resolver) { c.Wire.WeakSuites = b },
			"cid":            func(c *Case, _ *resolver) { c.Wire.CID = b },
			"resumed":        func(c *Case, _ *resolver) { c.Wire.Resumed = b },
			"same_session":   func(c *Case, _ *resolver) { c.Wire.SameSession = b },
		}[k])
	}
	return fr, nil
}

func parseImpair(x yamlpos.Node) (fragment, error) {
	keys, f, err := x.Fields("loss", "drop_up", "drop_flight", "seed")
	if err != nil {
		return nil, err
	}
	imp := Impairment{}
	for _, k := range keys {
		v := f[k]
		switch k {
		case "loss":
			l, err := v.Float(0, 1)
			if err != nil {
				return nil, err
			}
			imp.Loss = l
		case "drop_up":
			items, err := v.Items()
			if err != nil {
				return nil, err
			}
			for _, it := range items {
				n, err := it.Int(1, 1000)
				if err != nil {
					return nil, err
				}
				imp.DropUp = append(imp.DropUp, n)
			}
		case "drop_flight":
			fl, err := v.StrOrList()
			if err != nil {
				return nil, err
			}
			for _, x := range fl {
				if x != "server_hello" {
					return nil, v.Errorf("unknown flight %q (want server_hello)", x)
				}
			}
			imp.DropFlight = fl
		case "seed":
			n, err := v.Int(math.MinInt, math.MaxInt)
			if err != nil {
				return nil, v.Errorf("want an integer")
			}
			imp.Seed = int64(n)
		}
	}
	return fragment{func(c *Case, _ *resolver) { cp := imp; c.Impair = &cp }}, nil
}

func suiteList(v yamlpos.Node) ([]uint16, error) {
	items, err := v.StrOrList()
	if err != nil {
		return nil, err
	}
	ids := []uint16{}
	for _, s := range items {
		id, err := strconv.ParseUint(s, 0, 16)
		if err != nil {
			return nil, v.Errorf("cipher suite %q is not a 16-bit number such as 0xC0A8", s)
		}
		ids = append(ids, uint16(id))
	}
	return ids, nil
}

// parseUsage accepts 0..3 and "unset"; anything else is a load-time error.
func parseUsage(v yamlpos.Node) (int, error) {
	s, err := v.Str()
	if err != nil {
		return 0, err
	}
	switch s {
	case "0", "1", "2", "3":
		return int(s[0] - '0'), nil
	case "unset":
		return UsageUnset, nil
	}
	return 0, v.Errorf("unknown certificate usage %q (want 0, 1, 2, 3 or unset)", s)
}

func oneRef(x yamlpos.Node) (ref, error) {
	s, err := x.Str()
	return ref{val: s, at: x}, err
}

func refList(x yamlpos.Node) ([]ref, error) {
	items, err := x.Items()
	if err != nil {
		return nil, err
	}
	var out []ref
	for _, it := range items {
		r, err := oneRef(it)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

func (t *table) parseWhen(x yamlpos.Node, parent yamlpos.Node) (map[string][]string, error) {
	if x.IsZero() {
		return nil, parent.Errorf("missing field \"when\"")
	}
	keys, f, err := x.Fields()
	if err != nil {
		return nil, err
	}
	when := map[string][]string{}
	for _, k := range keys {
		d := t.dim(k)
		if d == nil {
			return nil, f[k].Errorf("unknown dimension %q", k)
		}
		vals, err := f[k].StrOrList()
		if err != nil {
			return nil, err
		}
		for _, v := range vals {
			if d.value(v) == nil {
				return nil, f[k].Errorf("dimension %s has no value %q", k, v)
			}
		}
		when[k] = vals
	}
	return when, nil
}

func (t *table) parseRule(x yamlpos.Node) (rule, error) {
	_, f, err := x.Fields("when", "expect", "basis", "source", "unvalidated")
	if err != nil {
		return rule{}, err
	}
	r := rule{at: x}
	if r.when, err = t.parseWhen(f["when"], x); err != nil {
		return r, err
	}
	for _, req := range []string{"expect", "basis", "source"} {
		if _, ok := f[req]; !ok {
			return r, x.Errorf("a rule needs %q", req)
		}
	}
	e, _ := f["expect"].Str()
	if r.expect = Expect(e); r.expect != Accept && r.expect != Reject {
		return r, f["expect"].Errorf("unknown value %q (want accept, reject)", e)
	}
	b, _ := f["basis"].Str()
	if r.basis = Basis(b); r.basis != BasisSeed && r.basis != BasisRFC && r.basis != BasisUnspecified {
		return r, f["basis"].Errorf("unknown value %q (want seed, rfc, unspecified)", b)
	}
	if r.source, err = f["source"].Str(); err != nil || strings.TrimSpace(r.source) == "" {
		return r, f["source"].Errorf("a rule must cite its source")
	}
	if u, ok := f["unvalidated"]; ok {
		if r.unvalidated, err = u.Bool(); err != nil {
			return r, err
		}
	}
	return r, nil
}

func (t *table) dim(name string) *dimension {
	for i := range t.dims {
		if t.dims[i].name == name {
			return &t.dims[i]
		}
	}
	return nil
}

func (d *dimension) value(key string) *dimValue {
	for i := range d.values {
		if d.values[i].key == key {
			return &d.values[i]
		}
	}
	return nil
}

// matches reports whether a combination satisfies a when-clause.
func matches(when map[string][]string, combo map[string]string) bool {
	for dim, vals := range when {
		if !slices.Contains(vals, combo[dim]) {
			return false
		}
	}
	return true
}

func (r rule) origin() string { return fmt.Sprintf("%s:%d", r.at.File(), r.at.Line()) }
