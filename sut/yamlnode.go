package sut

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// profileError is a profile mistake located as file:line: field: message.
type profileError struct {
	file  string
	line  int
	field string
	msg   string
}

func (e *profileError) Error() string {
	if e.field == "" {
		return fmt.Sprintf("%s:%d: %s", e.file, e.line, e.msg)
	}
	return fmt.Sprintf("%s:%d: %s: %s", e.file, e.line, e.field, e.msg)
}

// nodeReader decodes a profile from yaml.v3 nodes so that every error can
// name its line.
type nodeReader struct{ file string }

func (r nodeReader) errf(n *yaml.Node, field, format string, args ...any) error {
	return &profileError{file: r.file, line: n.Line, field: field, msg: fmt.Sprintf(format, args...)}
}

// mapping walks a mapping node, calling fn per key; keys outside known
// and repeated keys are errors.
func (r nodeReader) mapping(n *yaml.Node, field string, known []string, fn func(key string, v *yaml.Node) error) error {
	if n.Kind != yaml.MappingNode {
		return r.errf(n, field, "must be a mapping")
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		sub := joinField(field, k.Value)
		if !slices.Contains(known, k.Value) {
			return r.errf(k, sub, "unknown field (known: %s)", strings.Join(known, ", "))
		}
		if seen[k.Value] {
			return r.errf(k, sub, "repeated field")
		}
		seen[k.Value] = true
		if err := fn(k.Value, v); err != nil {
			return err
		}
	}
	return nil
}

// scalar is the text of a scalar node; null and collections are errors.
func (r nodeReader) scalar(n *yaml.Node, field string) (string, error) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return "", r.errf(n, field, "must be a string")
	}
	return n.Value, nil
}

func (r nodeReader) boolean(n *yaml.Node, field string) (bool, error) {
	var b bool
	if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" || n.Decode(&b) != nil {
		return false, r.errf(n, field, "must be true or false, not %q", n.Value)
	}
	return b, nil
}

func (r nodeReader) integer(n *yaml.Node, field string) (int, error) {
	var i int
	if n.Kind != yaml.ScalarNode || n.Tag != "!!int" || n.Decode(&i) != nil || i < 0 {
		return 0, r.errf(n, field, "must be a non-negative integer, not %q", n.Value)
	}
	return i, nil
}

func (r nodeReader) duration(n *yaml.Node, field string) (time.Duration, error) {
	s, err := r.scalar(n, field)
	if err != nil {
		return 0, err
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, r.errf(n, field, "bad duration %q (write e.g. 500ms, 10s)", s)
	}
	return d, nil
}

// structFields decodes a mapping into a struct of bool, int and
// time.Duration fields named by their yaml tags.
func (r nodeReader) structFields(n *yaml.Node, field string, out any) error {
	v := reflect.ValueOf(out).Elem()
	byTag := map[string]reflect.Value{}
	var known []string
	for i := 0; i < v.NumField(); i++ {
		tag := strings.Split(v.Type().Field(i).Tag.Get("yaml"), ",")[0]
		if tag == "" || tag == "-" {
			continue
		}
		byTag[tag] = v.Field(i)
		known = append(known, tag)
	}
	return r.mapping(n, field, known, func(key string, vn *yaml.Node) error {
		f, sub := byTag[key], joinField(field, key)
		switch {
		case f.Type() == reflect.TypeOf(time.Duration(0)):
			d, err := r.duration(vn, sub)
			f.SetInt(int64(d))
			return err
		case f.Kind() == reflect.Bool:
			b, err := r.boolean(vn, sub)
			f.SetBool(b)
			return err
		case f.Kind() == reflect.Int:
			i, err := r.integer(vn, sub)
			f.SetInt(int64(i))
			return err
		}
		return r.errf(vn, sub, "unsupported field type %s", f.Type())
	})
}

func joinField(parent, key string) string {
	if parent == "" {
		return key
	}
	return parent + "." + key
}
