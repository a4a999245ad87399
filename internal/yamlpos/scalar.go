package yamlpos

import (
	"time"

	"gopkg.in/yaml.v3"
)

// Str is the text of a scalar. A null reads as "" unless the source
// rejects nulls.
func (n Node) Str() (string, error) {
	if n.y.Kind != yaml.ScalarNode || (n.src.RejectNull && n.IsNull()) {
		return "", n.Errorf("%s", n.src.Wording.notString(n.Describe()))
	}
	if n.IsNull() {
		return "", nil
	}
	return n.y.Value, nil
}

// StrList reads a list of strings; an empty list gives an empty, non-nil slice.
func (n Node) StrList() ([]string, error) {
	items, err := n.Items()
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(items))
	for _, it := range items {
		s, err := it.Str()
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// StrOrList reads a list of strings, taking a lone scalar as a list of one.
func (n Node) StrOrList() ([]string, error) {
	if n.y.Kind == yaml.ScalarNode {
		s, err := n.Str()
		if err != nil {
			return nil, err
		}
		return []string{s}, nil
	}
	return n.StrList()
}

// Bool reads a YAML boolean (true, false; not a quoted string).
func (n Node) Bool() (bool, error) {
	var b bool
	if n.y.Kind != yaml.ScalarNode || n.y.Tag != "!!bool" || n.y.Decode(&b) != nil {
		return false, n.Errorf("%s", n.src.Wording.notBool(n.y.Value))
	}
	return b, nil
}

// Int reads a YAML integer from min to max.
func (n Node) Int(min, max int) (int, error) {
	var i int
	if n.y.Kind != yaml.ScalarNode || n.y.Tag != "!!int" || n.y.Decode(&i) != nil || i < min || i > max {
		return 0, n.Errorf("%s", n.src.Wording.notInt(n.y.Value, min, max))
	}
	return i, nil
}

// Float reads a YAML number from min to max (NaN is never in range).
func (n Node) Float(min, max float64) (float64, error) {
	var f float64
	if n.y.Kind != yaml.ScalarNode || (n.y.Tag != "!!float" && n.y.Tag != "!!int") || n.y.Decode(&f) != nil || !(f >= min && f <= max) {
		return 0, n.Errorf("%s", n.src.Wording.notFloat(n.y.Value, min, max))
	}
	return f, nil
}

// Duration reads a non-negative Go duration such as 500ms or 10s.
func (n Node) Duration() (time.Duration, error) {
	s, err := n.Str()
	if err != nil {
		return 0, err
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, n.Errorf("%s", n.src.Wording.notDuration(s))
	}
	return d, nil
}
