package catalog

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// LoadError names the file, line and field of a problem in a case table.
type LoadError struct {
	File  string
	Line  int
	Field string
	Msg   string
}

func (e *LoadError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s:%d: %s: %s", e.File, e.Line, e.Field, e.Msg)
}

// node wraps a YAML node with the file and the field path that led to it,
// so every error can say where it is.
type node struct {
	file  string
	field string
	n     *yaml.Node
}

func (x node) errf(format string, a ...any) error {
	return &LoadError{File: x.file, Line: x.n.Line, Field: x.field, Msg: fmt.Sprintf(format, a...)}
}

func (x node) child(field string, n *yaml.Node) node {
	f := field
	if x.field != "" && !strings.HasPrefix(field, "[") {
		f = x.field + "." + field
	} else if x.field != "" {
		f = x.field + field
	}
	return node{file: x.file, field: f, n: n}
}

// mapping returns the keys of a mapping node in order, rejecting keys that
// are not allowed (a typo must not silently drop data).
func (x node) mapping(allowed ...string) ([]string, map[string]node, error) {
	if x.n.Kind != yaml.MappingNode {
		return nil, nil, x.errf("want a mapping, got %s", kindName(x.n))
	}
	var keys []string
	vals := map[string]node{}
	for i := 0; i+1 < len(x.n.Content); i += 2 {
		k, v := x.n.Content[i], x.n.Content[i+1]
		if allowed != nil && !contains(allowed, k.Value) {
			sort.Strings(allowed)
			return nil, nil, node{x.file, x.child(k.Value, k).field, k}.errf("unknown field (want one of %s)", strings.Join(allowed, ", "))
		}
		if _, dup := vals[k.Value]; dup {
			return nil, nil, x.child(k.Value, k).errf("duplicate key")
		}
		keys = append(keys, k.Value)
		vals[k.Value] = x.child(k.Value, v)
	}
	return keys, vals, nil
}

func (x node) str() (string, error) {
	if x.n.Kind != yaml.ScalarNode {
		return "", x.errf("want a string, got %s", kindName(x.n))
	}
	return x.n.Value, nil
}

func (x node) boolean() (bool, error) {
	b, err := strconv.ParseBool(x.n.Value)
	if err != nil || x.n.Kind != yaml.ScalarNode {
		return false, x.errf("want true or false")
	}
	return b, nil
}

func (x node) integer(min, max int) (int, error) {
	n, err := strconv.Atoi(x.n.Value)
	if err != nil || x.n.Kind != yaml.ScalarNode || n < min || n > max {
		return 0, x.errf("want an integer from %d to %d", min, max)
	}
	return n, nil
}

func (x node) strList() ([]string, error) {
	if x.n.Kind == yaml.ScalarNode {
		return []string{x.n.Value}, nil
	}
	if x.n.Kind != yaml.SequenceNode {
		return nil, x.errf("want a list, got %s", kindName(x.n))
	}
	var out []string
	for i, it := range x.n.Content {
		s, err := x.child(fmt.Sprintf("[%d]", i), it).str()
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

func (x node) seq() ([]node, error) {
	if x.n.Kind != yaml.SequenceNode {
		return nil, x.errf("want a list, got %s", kindName(x.n))
	}
	out := make([]node, len(x.n.Content))
	for i, it := range x.n.Content {
		out[i] = x.child(fmt.Sprintf("[%d]", i), it)
	}
	return out, nil
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return fmt.Sprintf("%q", n.Value)
	}
	return "nothing"
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}
