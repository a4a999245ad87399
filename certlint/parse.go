package certlint

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/lwm2m-conform/lwm2m-conform/internal/yamlpos"
)

// Parse reads one profile; file names it in errors, which read
// "file:line: field: message".
func Parse(file string, data []byte) (*Profile, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil || len(doc.Content) == 0 {
		if err == nil || errors.Is(err, io.EOF) {
			return nil, &yamlpos.Error{File: file, Line: 1, Msg: "empty profile"}
		}
		return nil, yamlpos.Syntax(file, data, err)
	}
	src := &yamlpos.Source{File: file, RejectNull: true, BlockAtKey: true}
	root := src.Root(doc.Content[0])
	p := &Profile{File: file}
	var rulesNode yamlpos.Node
	err := root.Walk([]string{"profile", "description", "rules"}, func(key string, v yamlpos.Node) error {
		var err error
		switch key {
		case "profile":
			p.Name, err = v.Str()
		case "description":
			p.Description, err = v.Str()
		case "rules":
			rulesNode = v
			p.Rules, err = rules(v)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	for key, missing := range map[string]bool{"profile": p.Name == "", "rules": rulesNode.IsZero()} {
		if missing {
			return nil, &yamlpos.Error{File: file, Line: root.Line(), Field: key, Msg: "required"}
		}
	}
	if len(p.Rules) == 0 {
		return nil, rulesNode.Errorf("no rules")
	}
	if err := p.build(); err != nil {
		return nil, err
	}
	return p, nil
}

var ruleFields = []string{"id", "check", "certs", "severity", "basis", "source", "says", "params"}

func rules(v yamlpos.Node) ([]*Rule, error) {
	items, err := v.Items()
	if err != nil {
		return nil, err
	}
	var out []*Rule
	seen := map[string]int{}
	for _, item := range items {
		r, err := rule(item)
		if err != nil {
			return nil, err
		}
		if first, dup := seen[r.ID]; dup {
			return nil, &yamlpos.Error{File: item.File(), Line: r.Line, Field: yamlpos.Join(item.Field(), "id"),
				Msg: fmt.Sprintf("rule %q repeated (first at line %d)", r.ID, first)}
		}
		seen[r.ID] = r.Line
		out = append(out, r)
	}
	return out, nil
}

func rule(n yamlpos.Node) (*Rule, error) {
	_, f, err := n.Fields(ruleFields...)
	if err != nil {
		return nil, err
	}
	r := &Rule{Line: n.Line()}
	for _, req := range []struct {
		key string
		dst *string
	}{{"id", &r.ID}, {"check", &r.Check}, {"severity", &r.Severity}, {"basis", &r.Basis}, {"source", &r.Source}, {"says", &r.Says}} {
		v := f[req.key]
		if v.IsZero() {
			return nil, &yamlpos.Error{File: n.File(), Line: n.Line(), Field: yamlpos.Join(n.Field(), req.key), Msg: "required"}
		}
		if *req.dst, err = v.Str(); err != nil {
			return nil, err
		}
		if strings.TrimSpace(*req.dst) == "" {
			return nil, v.Errorf("empty")
		}
	}
	if !slices.Contains(severities, r.Severity) {
		return nil, f["severity"].Errorf("unknown severity %q (want %s)", r.Severity, strings.Join(severities, ", "))
	}
	if !slices.Contains(bases, r.Basis) {
		return nil, f["basis"].Errorf("unknown basis %q (want %s)", r.Basis, strings.Join(bases, ", "))
	}
	if v := f["certs"]; !v.IsZero() {
		if r.Certs, err = v.Str(); err != nil {
			return nil, err
		}
		if !slices.Contains(certScopes, r.Certs) {
			return nil, v.Errorf("unknown certs %q (want %s)", r.Certs, strings.Join(certScopes, ", "))
		}
	}
	if v := f["params"]; !v.IsZero() {
		if r.Params, err = params(v); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// params reads a mapping of integers, strings and lists of strings.
func params(v yamlpos.Node) (map[string]any, error) {
	pairs, err := v.Pairs()
	if err != nil {
		return nil, err
	}
	out := map[string]any{}
	for _, p := range pairs {
		key, val := p.Key.Value(), p.Value
		if _, dup := out[key]; dup {
			return nil, p.Key.Errorf("repeated parameter")
		}
		switch val.Kind() {
		case yaml.SequenceNode:
			out[key], err = val.StrList()
		case yaml.ScalarNode:
			if i, ierr := val.Int(math.MinInt64, math.MaxInt64); ierr == nil {
				out[key] = int64(i)
			} else {
				out[key], err = val.Str()
			}
		default:
			err = val.Errorf("want a number, a string or a list of strings, got %s", val.Describe())
		}
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ruleError locates a problem found after parsing at the rule's line.
func (p *Profile) ruleError(r *Rule, i int, field, format string, args ...any) error {
	return &yamlpos.Error{File: p.File, Line: r.Line, Field: fmt.Sprintf("rules[%d].%s", i, field), Msg: fmt.Sprintf(format, args...)}
}
