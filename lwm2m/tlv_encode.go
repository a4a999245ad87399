package lwm2m

import (
	"fmt"
	"slices"
)

// encodeTLV writes records in path order. Below /o the payload is object
// instance entries; below /o/i resource and multiple resource entries; for
// /o/i/r it is the one resource or multiple resource entry, for /o/i/r/ri
// the resource instance entry. A record without value at an object
// instance or multiple resource stands for the empty container.
func encodeTLV(base Path, recs []Record) ([]byte, error) {
	if base.Len() == 0 {
		return nil, fmt.Errorf("TLV cannot address the root path")
	}
	sorted := slices.Clone(recs)
	slices.SortStableFunc(sorted, func(a, b Record) int { return a.Path.Compare(b.Path) })
	for i, r := range sorted {
		if !base.IsPrefixOf(r.Path) {
			return nil, fmt.Errorf("record %v is not below %v", r.Path, base)
		}
		if i > 0 && sorted[i-1].Path == r.Path {
			return nil, fmt.Errorf("record %v appears twice", r.Path)
		}
	}
	switch {
	case base.Len() >= 3 && len(sorted) == 0:
		return nil, fmt.Errorf("no record to encode at %v", base)
	case base.Len() >= 3, len(sorted) > 0 && sorted[0].Path == base:
		return tlvNode(nil, base, sorted)
	}
	return tlvChildren(nil, base, sorted)
}

// tlvChildren writes one entry per child of parent; recs are sorted, below
// parent and not parent itself.
func tlvChildren(dst []byte, parent Path, recs []Record) ([]byte, error) {
	depth := parent.Len() + 1
	for len(recs) > 0 {
		id := recs[0].Path.ID(depth - 1)
		n := 1
		for n < len(recs) && recs[n].Path.ID(depth-1) == id {
			n++
		}
		var err error
		if dst, err = tlvNode(dst, parent.Append(id), recs[:n]); err != nil {
			return nil, err
		}
		recs = recs[n:]
	}
	return dst, nil
}

// tlvNode writes the entry for node p; recs all lie at or below p.
func tlvNode(dst []byte, p Path, recs []Record) ([]byte, error) {
	atNode := recs[0].Path == p
	if atNode && len(recs) > 1 {
		return nil, fmt.Errorf("record %v cannot sit beside records below it", p)
	}
	switch p.Len() {
	case 1:
		return nil, fmt.Errorf("record %v names an object; TLV carries instances", p)
	case 2:
		if atNode && recs[0].Value.Kind != KindNone {
			return nil, fmt.Errorf("record %v is an object instance and cannot hold a value", p)
		}
		return tlvContainer(dst, tlvObjectInstance, p, recs, atNode)
	case 3:
		if atNode && recs[0].Value.Kind != KindNone {
			return tlvLeaf(dst, tlvResource, p, recs[0].Value)
		}
		return tlvContainer(dst, tlvMultipleResource, p, recs, atNode)
	}
	if recs[0].Value.Kind == KindNone {
		return nil, fmt.Errorf("record %v has no value", p)
	}
	return tlvLeaf(dst, tlvResourceInstance, p, recs[0].Value)
}

// tlvContainer writes an object instance or multiple resource entry; a
// lone record without value at the node makes it empty.
func tlvContainer(dst []byte, typ tlvType, p Path, recs []Record, empty bool) ([]byte, error) {
	var inner []byte
	if !empty {
		var err error
		if inner, err = tlvChildren(nil, p, recs); err != nil {
			return nil, err
		}
	}
	return appendTLV(dst, typ, p.ID(p.Len()-1), inner)
}

func tlvLeaf(dst []byte, typ tlvType, p Path, v Value) ([]byte, error) {
	b, err := tlvValueBytes(v)
	if err != nil {
		return nil, fmt.Errorf("record %v: %w", p, err)
	}
	return appendTLV(dst, typ, p.ID(p.Len()-1), b)
}
