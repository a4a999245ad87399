package certgen

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Parse reads one world spec. file is only used in error messages. The
// result has passed every check Materialise would make.
func Parse(file string, data []byte) (*World, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil || len(doc.Content) == 0 {
		if err == nil || errors.Is(err, io.EOF) {
			return nil, &SpecError{File: file, Line: 1, Msg: "empty world spec"}
		}
		return nil, yamlError(file, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, &SpecError{File: file, Line: extra.Line, Msg: "more than one YAML document (one world per file)"}
	} else if !errors.Is(err, io.EOF) {
		return nil, yamlError(file, err)
	}
	p := &parser{file: file}
	w, err := p.world(doc.Content[0])
	if err != nil {
		return nil, err
	}
	if err := w.validate(); err != nil {
		return nil, err
	}
	return w, nil
}

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlError turns a yaml.v3 syntax error into a SpecError with its line.
func yamlError(file string, err error) error {
	if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &SpecError{File: file, Line: line, Msg: "invalid YAML: " + m[2]}
	}
	return &SpecError{File: file, Msg: "invalid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}
}

// parser walks the yaml.Node tree so that every error can name its line.
type parser struct{ file string }

func (p *parser) errf(n *yaml.Node, field, format string, args ...any) error {
	return &SpecError{File: p.file, Line: n.Line, Field: field, Msg: fmt.Sprintf(format, args...)}
}

func deref(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

func nodeKindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "nothing"
		}
		return fmt.Sprintf("%q", n.Value)
	}
	return "nothing"
}

func joinField(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// mapping calls fn for each key of a mapping node, rejecting unknown and
// repeated keys.
func (p *parser) mapping(n *yaml.Node, path string, fields []string, fn func(name string, val *yaml.Node, field string, line int) error) error {
	n = deref(n)
	if n.Kind != yaml.MappingNode {
		return p.errf(n, path, "want a mapping with fields %s, got %s", strings.Join(fields, ", "), nodeKindName(n))
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], deref(n.Content[i+1])
		if v.Kind != yaml.ScalarNode && v.Style&yaml.FlowStyle == 0 {
			// A block mapping or list starts on the line after its key;
			// errors about it as a whole read better at the key.
			at := *v
			at.Line = k.Line
			v = &at
		}
		field := joinField(path, k.Value)
		if !slices.Contains(fields, k.Value) {
			return p.errf(k, field, "unknown field (want %s)", strings.Join(fields, ", "))
		}
		if first, dup := seen[k.Value]; dup {
			return p.errf(k, field, "repeated field (first at line %d)", first)
		}
		seen[k.Value] = k.Line
		if err := fn(k.Value, v, field, k.Line); err != nil {
			return err
		}
	}
	return nil
}

func (p *parser) str(n *yaml.Node, field string) (string, error) {
	if n.Kind != yaml.ScalarNode {
		return "", p.errf(n, field, "want a string, got %s", nodeKindName(n))
	}
	if n.Tag == "!!null" {
		return "", nil
	}
	return n.Value, nil
}

// enumStr reads a scalar that selects one value of an enumeration; an
// explicit empty value is an error (omit the field to get the default).
func (p *parser) enumStr(n *yaml.Node, field string) (string, error) {
	s, err := p.str(n, field)
	if err == nil && s == "" {
		err = p.errf(n, field, "empty value (omit the field for the default)")
	}
	return s, err
}

func (p *parser) strList(n *yaml.Node, field string) ([]string, error) {
	if n.Kind != yaml.SequenceNode {
		return nil, p.errf(n, field, "want a list, got %s", nodeKindName(n))
	}
	out := make([]string, 0, len(n.Content))
	for i, item := range n.Content {
		s, err := p.str(deref(item), fmt.Sprintf("%s[%d]", field, i))
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

func (p *parser) world(n *yaml.Node) (*World, error) {
	w := &World{File: p.file, lines: map[string]int{"": n.Line}}
	err := p.mapping(n, "", []string{"world", "description", "certs", "truststores"}, func(name string, v *yaml.Node, field string, _ int) error {
		var err error
		w.lines[name] = v.Line
		switch name {
		case "world":
			w.Name, err = p.str(v, field)
		case "description":
			w.Description, err = p.str(v, field)
		case "certs":
			if v.Kind != yaml.SequenceNode {
				return p.errf(v, field, "want a list of certificates, got %s", nodeKindName(v))
			}
			for i, item := range v.Content {
				c, err := p.cert(deref(item), fmt.Sprintf("certs[%d]", i))
				if err != nil {
					return err
				}
				w.Certs = append(w.Certs, c)
			}
		case "truststores":
			if v.Kind != yaml.SequenceNode {
				return p.errf(v, field, "want a list of trust stores, got %s", nodeKindName(v))
			}
			for i, item := range v.Content {
				ts, err := p.trustStore(deref(item), fmt.Sprintf("truststores[%d]", i))
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

var certFields = []string{"name", "kind", "role", "issuer", "subject", "san", "key", "validity", "eku", "basic_constraints", "key_usage"}

func (p *parser) cert(n *yaml.Node, path string) (*CertSpec, error) {
	c := &CertSpec{lines: map[string]int{"": n.Line}}
	err := p.mapping(n, path, certFields, func(name string, v *yaml.Node, field string, _ int) error {
		var err error
		c.lines[name] = v.Line
		switch name {
		case "name":
			c.Name, err = p.str(v, field)
		case "issuer":
			c.Issuer, err = p.str(v, field)
		case "kind":
			c.Kind, err = p.enumStr(v, field)
		case "role":
			c.Role, err = p.enumStr(v, field)
		case "key":
			c.Key, err = p.enumStr(v, field)
		case "validity":
			c.Validity, err = p.enumStr(v, field)
		case "basic_constraints":
			c.BasicConstraints, err = p.enumStr(v, field)
		case "key_usage":
			c.KeyUsage, err = p.enumStr(v, field)
		case "eku":
			c.EKU, err = p.strList(v, field)
			for i, item := range v.Content {
				c.lines[fmt.Sprintf("eku[%d]", i)] = item.Line
			}
		case "subject":
			err = p.mapping(v, field, []string{"cn", "o", "ou"}, func(name string, v *yaml.Node, field string, _ int) error {
				var err error
				c.lines["subject."+name] = v.Line
				switch name {
				case "cn":
					c.Subject.CN, err = p.str(v, field)
				case "o":
					c.Subject.O, err = p.str(v, field)
				case "ou":
					c.Subject.OU, err = p.str(v, field)
				}
				return err
			})
		case "san":
			err = p.san(c, v, field)
		}
		return err
	})
	return c, err
}

func (p *parser) san(c *CertSpec, n *yaml.Node, path string) error {
	return p.mapping(n, path, []string{"dns", "ip"}, func(name string, v *yaml.Node, field string, _ int) error {
		list, err := p.strList(v, field)
		if err != nil {
			return err
		}
		for i, s := range list {
			c.lines[fmt.Sprintf("san.%s[%d]", name, i)] = v.Content[i].Line
			if name == "dns" {
				c.DNS = append(c.DNS, s)
				continue
			}
			ip := net.ParseIP(s)
			if ip == nil {
				return p.errf(v.Content[i], fmt.Sprintf("%s[%d]", field, i), "invalid IP address %q", s)
			}
			c.IPs = append(c.IPs, ip)
		}
		return nil
	})
}

func (p *parser) trustStore(n *yaml.Node, path string) (*TrustStoreSpec, error) {
	ts := &TrustStoreSpec{lines: map[string]int{"": n.Line}}
	err := p.mapping(n, path, []string{"name", "certs"}, func(name string, v *yaml.Node, field string, _ int) error {
		var err error
		ts.lines[name] = v.Line
		switch name {
		case "name":
			ts.Name, err = p.str(v, field)
		case "certs":
			ts.Certs, err = p.strList(v, field)
			for i, item := range v.Content {
				ts.lines[fmt.Sprintf("certs[%d]", i)] = item.Line
			}
		}
		return err
	})
	return ts, err
}
