package yamlpos

import (
	"fmt"

	"gopkg.in/yaml.v3"
)

// Source is one YAML input being read: its file name for error locations,
// the wording of its errors, and how it treats nulls and block values.
type Source struct {
	File    string
	Wording Wording
	// RejectNull makes a null where a string is wanted ("key:" with no
	// value) an error; otherwise it reads as "".
	RejectNull bool
	// BlockAtKey locates a block mapping or list given as a mapping value
	// at its key's line, where a reader looks, rather than at the line of
	// its first entry.
	BlockAtKey bool
}

// Root wraps the top node of a document (the first entry of a
// yaml.DocumentNode); its field path is empty.
func (s *Source) Root(n *yaml.Node) Node {
	n = deref(n)
	return Node{y: n, src: s, line: n.Line}
}

// Node is a YAML node together with its source, its field path and the line
// its errors point at. The zero Node stands for an absent value: only
// IsZero, Line and Field may be asked of it.
type Node struct {
	y     *yaml.Node
	src   *Source
	field string
	line  int
}

func (s *Source) node(n *yaml.Node, field string, line int) Node {
	return Node{y: n, src: s, field: field, line: line}
}

// IsZero reports whether the node is absent (a missing mapping key).
func (n Node) IsZero() bool { return n.y == nil }

// Field is the path that led to the node, such as "rules[0].when".
func (n Node) Field() string { return n.field }

// Line is the 1-based line errors about the node point at.
func (n Node) Line() int { return n.line }

// File is the name of the input the node was read from.
func (n Node) File() string { return n.src.File }

// Kind is the YAML kind of the node, aliases already followed.
func (n Node) Kind() yaml.Kind { return n.y.Kind }

// Value is the text of a scalar as written ("" for collections).
func (n Node) Value() string { return n.y.Value }

// IsNull reports whether the node is an explicit or implied null.
func (n Node) IsNull() bool { return n.y.Kind == yaml.ScalarNode && n.y.Tag == "!!null" }

// Describe names what the node is for "got ..." messages: "a mapping",
// "a list", "nothing", or the quoted scalar.
func (n Node) Describe() string {
	switch {
	case n.y.Kind == yaml.MappingNode:
		return "a mapping"
	case n.y.Kind == yaml.SequenceNode:
		return "a list"
	case n.y.Kind == yaml.ScalarNode && !n.IsNull():
		return fmt.Sprintf("%q", n.y.Value)
	}
	return "nothing"
}

// Errorf returns an *Error at the node's line and field.
func (n Node) Errorf(format string, args ...any) error {
	return &Error{File: n.src.File, Line: n.line, Field: n.field, Msg: fmt.Sprintf(format, args...)}
}

// Items returns the entries of a list, each with its "[i]" field path.
func (n Node) Items() ([]Node, error) {
	if n.y.Kind != yaml.SequenceNode {
		return nil, n.Errorf("%s", n.src.Wording.notList(n.Describe()))
	}
	out := make([]Node, len(n.y.Content))
	for i, it := range n.y.Content {
		it = deref(it)
		out[i] = n.src.node(it, Index(n.field, i), it.Line)
	}
	return out, nil
}

// deref follows aliases to the node they name.
func deref(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}
