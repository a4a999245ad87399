package lwm2m

import "fmt"

// tlvDecoder turns a TLV payload into records. The nesting is fixed by the
// format (object instance > resource or multiple resource > resource
// instance), so recursion depth is at most three whatever the input.
type tlvDecoder struct {
	kind  KindFunc
	recs  []Record
	nodes map[Path]nodeFlags
}

// nodeFlags record what the payload said about a node, so that a node is
// described once and a value or an empty container gets no children.
type nodeFlags uint8

const (
	nodeSeen     nodeFlags = 1 << iota // an entry described this node
	nodeTerminal                       // it holds a value or is an empty container
	nodeHasKids                        // some entry lies below it
)

// decodeTLV accepts, for each base depth, the entries a Read or Write of
// that depth carries, and also the entry that wraps base itself (an object
// instance entry for /o/i, a resource entry for /o/i/r, ...), which some
// peers send.
func decodeTLV(base Path, data []byte, kind KindFunc) ([]Record, error) {
	if base.Len() == 0 {
		return nil, fmt.Errorf("TLV cannot address the root path")
	}
	if base.Len() >= 3 && len(data) == 0 {
		return nil, fmt.Errorf("empty TLV payload for resource %v", base)
	}
	entries, err := readAllTLV(data, 0)
	if err != nil {
		return nil, err
	}
	d := &tlvDecoder{kind: kind, nodes: map[Path]nodeFlags{}}
	for _, e := range entries {
		p, err := tlvTopPath(base, e)
		if err != nil {
			return nil, err
		}
		if err := d.entry(p, e); err != nil {
			return nil, err
		}
	}
	return d.recs, nil
}

// tlvTopPath places a top-level entry relative to base.
func tlvTopPath(base Path, e tlvEntry) (Path, error) {
	depth := tlvDepth(e.typ)
	switch {
	case base.Len() == depth-1:
		return base.Append(e.id), nil
	case base.Len() == depth && base.ID(depth-1) == e.id:
		return base, nil
	case base.Len() == depth:
		return Path{}, fmt.Errorf("entry at offset %d: %v %d does not match %v", e.off, e.typ, e.id, base)
	}
	return Path{}, fmt.Errorf("entry at offset %d: a %v cannot appear at the top of a payload for %v", e.off, e.typ, base)
}

// tlvDepth is the path length of the node an entry type describes.
func tlvDepth(t tlvType) int {
	switch t {
	case tlvObjectInstance:
		return 2
	case tlvResourceInstance:
		return 4
	}
	return 3
}

func (d *tlvDecoder) entry(p Path, e tlvEntry) error {
	if d.nodes[p]&nodeSeen != 0 {
		return fmt.Errorf("entry at offset %d: %v appears twice", e.off, p)
	}
	d.nodes[p] |= nodeSeen
	for a := p.Parent(); a.Len() > 0; a = a.Parent() {
		if d.nodes[a]&nodeTerminal != 0 {
			return fmt.Errorf("entry at offset %d: %v lies below %v, which has no children", e.off, p, a)
		}
		d.nodes[a] |= nodeHasKids
	}
	if e.typ == tlvResource || e.typ == tlvResourceInstance || len(e.value) == 0 {
		if d.nodes[p]&nodeHasKids != 0 {
			return fmt.Errorf("entry at offset %d: %v has entries below it", e.off, p)
		}
		d.nodes[p] |= nodeTerminal
	}
	switch e.typ {
	case tlvObjectInstance:
		return d.children(p, e, tlvResource, tlvMultipleResource)
	case tlvMultipleResource:
		return d.children(p, e, tlvResourceInstance, tlvResourceInstance)
	}
	k, known := d.kind(p)
	v, err := tlvValue(e.value, k, known)
	if err != nil {
		return fmt.Errorf("entry at offset %d: %v: %w", e.off, p, err)
	}
	d.recs = append(d.recs, Record{Path: p, Value: v})
	return nil
}

// children decodes a container whose entries must be of type a or b; an
// empty container becomes a record without value so that it survives a
// round trip.
func (d *tlvDecoder) children(p Path, e tlvEntry, a, b tlvType) error {
	if len(e.value) == 0 {
		d.recs = append(d.recs, Record{Path: p})
		return nil
	}
	kids, err := readAllTLV(e.value, e.valOff)
	if err != nil {
		return err
	}
	for _, k := range kids {
		if k.typ != a && k.typ != b {
			return fmt.Errorf("entry at offset %d: a %v cannot hold a %v", e.off, e.typ, k.typ)
		}
		if err := d.entry(p.Append(k.id), k); err != nil {
			return err
		}
	}
	return nil
}
