package certgen

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/lwm2m-conform/lwm2m-conform/internal/yamlpos"
)

// Parse reads one world spec. file is only used in error messages. The
// result has passed every check Materialise would make.
func Parse(file string, data []byte) (*World, error) {
	where := cmp.Or(file, unnamed)
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil || len(doc.Content) == 0 {
		if err == nil || errors.Is(err, io.EOF) {
			return nil, &SpecError{File: where, Line: 1, Msg: "empty world spec"}
		}
		return nil, yamlpos.Syntax(where, data, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, &SpecError{File: where, Line: extra.Line, Msg: "more than one YAML document (one world per file)"}
	} else if !errors.Is(err, io.EOF) {
		return nil, yamlpos.Syntax(where, data, err)
	}
	src := &yamlpos.Source{File: where, Wording: wording, BlockAtKey: true}
	w, err := world(file, src.Root(doc.Content[0]))
	if err != nil {
		return nil, err
	}
	if err := w.validate(); err != nil {
		return nil, err
	}
	return w, nil
}

// wording is how world-spec errors have always been phrased.
var wording = yamlpos.Wording{
	NotMapping: func(got string, known []string) string {
		return fmt.Sprintf("want a mapping with fields %s, got %s", strings.Join(known, ", "), got)
	},
	UnknownKey: func(known []string) string {
		return "unknown field (want " + strings.Join(known, ", ") + ")"
	},
}

// enumStr reads a scalar that selects one value of an enumeration; an
// explicit empty value is an error (omit the field to get the default).
func enumStr(v yamlpos.Node) (string, error) {
	s, err := v.Str()
	if err == nil && s == "" {
		err = v.Errorf("empty value (omit the field for the default)")
	}
	return s, err
}

// list returns the entries of a list whose absence of list-ness is worded
// after what it should hold ("a list of certificates").
func list(v yamlpos.Node, what string) ([]yamlpos.Node, error) {
	if v.Kind() != yaml.SequenceNode {
		return nil, v.Errorf("want a list of %s, got %s", what, v.Describe())
	}
	return v.Items()
}

func world(file string, n yamlpos.Node) (*World, error) {
	w := &World{File: file, lines: map[string]int{"": n.Line()}}
	err := n.Walk([]string{"world", "description", "certs", "truststores"}, func(name string, v yamlpos.Node) error {
		var err error
		w.lines[name] = v.Line()
		switch name {
		case "world":
			w.Name, err = v.Str()
		case "description":
			w.Description, err = v.Str()
		case "certs":
			items, err := list(v, "certificates")
			if err != nil {
				return err
			}
			for _, item := range items {
				c, err := cert(item)
				if err != nil {
					return err
				}
				w.Certs = append(w.Certs, c)
			}
		case "truststores":
			items, err := list(v, "trust stores")
			if err != nil {
				return err
			}
			for _, item := range items {
				ts, err := trustStore(item)
				if err != nil {
					return err
				}
				w.TrustStores = append(w.TrustStores, ts)
			}
		}
		return err
	})
	return w, err
}

var certFields = []string{"name", "kind", "role", "issuer", "subject", "san", "key", "validity", "eku", "basic_constraints", "key_usage", "not_before", "lifetime", "serial"}

func cert(n yamlpos.Node) (*CertSpec, error) {
	c := &CertSpec{lines: map[string]int{"": n.Line()}}
	err := n.Walk(certFields, func(name string, v yamlpos.Node) error {
		var err error
		c.lines[name] = v.Line()
		switch name {
		case "name":
			c.Name, err = v.Str()
		case "issuer":
			c.Issuer, err = v.Str()
		case "kind":
			c.Kind, err = enumStr(v)
		case "role":
			c.Role, err = enumStr(v)
		case "key":
			c.Key, err = enumStr(v)
		case "validity":
			c.Validity, err = enumStr(v)
		case "basic_constraints":
			c.BasicConstraints, err = enumStr(v)
		case "key_usage":
			// A list names the bits; a scalar picks a shape.
			if v.Kind() == yaml.SequenceNode {
				c.KeyUsageBits, err = strList(v, c.lines, "key_usage")
			} else {
				c.KeyUsage, err = enumStr(v)
			}
		case "not_before":
			c.NotBefore, err = enumStr(v)
		case "lifetime":
			c.Lifetime, err = enumStr(v)
		case "serial":
			var n int
			n, err = v.Int(1, math.MaxInt64)
			c.Serial = int64(n)
		case "eku":
			c.EKU, err = strList(v, c.lines, "eku")
		case "subject":
			c.Subject, err = subject(v, c.lines, "subject")
		case "san":
			err = san(c, v)
		}
		return err
	})
	return c, err
}

// strList reads a list of strings, recording the line of each entry
// under key[i] so that validation can point at it.
func strList(v yamlpos.Node, lines map[string]int, key string) ([]string, error) {
	out, err := v.StrList()
	if err != nil {
		return nil, err
	}
	items, _ := v.Items()
	for i, item := range items {
		lines[yamlpos.Index(key, i)] = item.Line()
	}
	return out, nil
}

// subject reads a {cn, o, ou} mapping, recording lines under key.
func subject(n yamlpos.Node, lines map[string]int, key string) (Subject, error) {
	var s Subject
	err := n.Walk([]string{"cn", "o", "ou"}, func(name string, v yamlpos.Node) error {
		var err error
		lines[key+"."+name] = v.Line()
		switch name {
		case "cn":
			s.CN, err = v.Str()
		case "o":
			s.O, err = v.Str()
		case "ou":
			s.OU, err = v.Str()
		}
		return err
	})
	return s, err
}

func san(c *CertSpec, n yamlpos.Node) error {
	return n.Walk([]string{"dns", "ip", "dir"}, func(name string, v yamlpos.Node) error {
		if name == "dir" {
			return sanDirs(c, v)
		}
		list, err := strList(v, c.lines, "san."+name)
		if err != nil {
			return err
		}
		items, _ := v.Items()
		for i, s := range list {
			if name == "dns" {
				c.DNS = append(c.DNS, s)
				continue
			}
			ip := net.ParseIP(s)
			if ip == nil {
				return items[i].Errorf("invalid IP address %q", s)
			}
			c.IPs = append(c.IPs, ip)
		}
		return nil
	})
}

// sanDirs reads san.dir, a list of directory names.
func sanDirs(c *CertSpec, v yamlpos.Node) error {
	items, err := list(v, "directory names")
	if err != nil {
		return err
	}
	for i, item := range items {
		key := yamlpos.Index("san.dir", i)
		c.lines[key] = item.Line()
		d, err := subject(item, c.lines, key)
		if err != nil {
			return err
		}
		c.DirNames = append(c.DirNames, d)
	}
	return nil
}

func trustStore(n yamlpos.Node) (*TrustStoreSpec, error) {
	ts := &TrustStoreSpec{lines: map[string]int{"": n.Line()}}
	err := n.Walk([]string{"name", "certs"}, func(name string, v yamlpos.Node) error {
		var err error
		ts.lines[name] = v.Line()
		switch name {
		case "name":
			ts.Name, err = v.Str()
		case "certs":
			ts.Certs, err = strList(v, ts.lines, "certs")
		}
		return err
	})
	return ts, err
}
