package yamlpos

import (
	"slices"

	"gopkg.in/yaml.v3"
)

// Pair is one key of a mapping and its value. The key node sits at the
// key's line; both carry the key's field path.
type Pair struct {
	Key, Value Node
}

// Pairs returns the entries of a mapping in order, without judging the keys.
func (n Node) Pairs() ([]Pair, error) {
	return n.pairs(nil)
}

func (n Node) pairs(known []string) ([]Pair, error) {
	if n.y.Kind != yaml.MappingNode {
		return nil, n.Errorf("%s", n.src.Wording.notMapping(n.Describe(), known))
	}
	out := make([]Pair, 0, len(n.y.Content)/2)
	for i := 0; i+1 < len(n.y.Content); i += 2 {
		k, v := n.y.Content[i], deref(n.y.Content[i+1])
		field := Join(n.field, k.Value)
		line := v.Line
		if n.src.BlockAtKey && v.Kind != yaml.ScalarNode && v.Style&yaml.FlowStyle == 0 {
			line = k.Line
		}
		out = append(out, Pair{Key: n.src.node(k, field, k.Line), Value: n.src.node(v, field, line)})
	}
	return out, nil
}

// Walk calls fn for each key of a mapping in order. A key not in known,
// or given twice, is an error at the key (a typo must not silently drop
// data); an empty known accepts any key, for mappings whose keys are data.
// fn is called for a key only once every key before it has passed.
func (n Node) Walk(known []string, fn func(key string, v Node) error) error {
	pairs, err := n.pairs(known)
	if err != nil {
		return err
	}
	firstLine := map[string]int{}
	for _, p := range pairs {
		key := p.Key.y.Value
		if len(known) > 0 && !slices.Contains(known, key) {
			return p.Key.Errorf("%s", n.src.Wording.unknownKey(known))
		}
		if first, dup := firstLine[key]; dup {
			return p.Key.Errorf("%s", n.src.Wording.repeatedKey(first))
		}
		firstLine[key] = p.Key.line
		if err := fn(key, p.Value); err != nil {
			return err
		}
	}
	return nil
}

// Fields checks every key of a mapping as Walk does before returning
// them in order, with their values by key. A key that is absent maps to
// the zero Node.
func (n Node) Fields(known ...string) ([]string, map[string]Node, error) {
	var keys []string
	vals := map[string]Node{}
	err := n.Walk(known, func(key string, v Node) error {
		keys = append(keys, key)
		vals[key] = v
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return keys, vals, nil
}
