package model

import (
	"cmp"
	"maps"
	"slices"

	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
)

// resource holds a single value, or the instances of a multiple resource.
type resource struct {
	multi bool
	value lwm2m.Value
	inst  map[uint16]lwm2m.Value
}

func (r *resource) clone() *resource {
	c := *r
	c.inst = maps.Clone(r.inst)
	return &c
}

// instance maps resource ids to their values; an absent id is an unset
// (optional) resource.
type instance map[uint16]*resource

// object maps instance ids to instances.
type object map[uint16]instance

func (in instance) clone() instance {
	c := make(instance, len(in))
	for id, r := range in {
		c[id] = r.clone()
	}
	return c
}

// sortedKeys returns the ids of a map in ascending order, for stable
// payloads and links.
func sortedKeys[K cmp.Ordered, V any](m map[K]V) []K {
	return slices.Sorted(maps.Keys(m))
}

// records renders one resource as records: one for a single resource, one
// per instance for a multiple resource.
func (r *resource) records(p lwm2m.Path) []lwm2m.Record {
	if !r.multi {
		return []lwm2m.Record{{Path: p, Value: r.value}}
	}
	out := make([]lwm2m.Record, 0, len(r.inst))
	for _, ri := range sortedKeys(r.inst) {
		out = append(out, lwm2m.Record{Path: p.Append(ri), Value: r.inst[ri]})
	}
	return out
}
