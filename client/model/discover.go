package model

import (
	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
)

// Node is one entry of a Discover answer: an object, instance, resource
// or resource instance the client implements.
type Node struct {
	Path lwm2m.Path
	// Dim is the number of instances of a multiple resource; -1 for
	// everything else.
	Dim int
}

// Discover lists what a management server's Discover (Core 1.1 §5.4.2)
// on p reveals: for an object, the object, its instances and their
// resources; for an instance, the instance and its resources; for a
// resource, the resource and, with instances=true (LwM2M 1.1), its
// resource instances. Resources are those with a value plus every
// executable resource of the object. The Security object is
// ErrUnauthorized.
func (m *Model) Discover(p lwm2m.Path, instances bool) ([]Node, error) {
	if p.Len() == 0 {
		return nil, notAllowed("discover on the root is a bootstrap operation")
	}
	if p.Obj() == lwm2m.ObjSecurity {
		return nil, unauthorized("the Security object is only accessible to a bootstrap server")
	}
	if p.Len() > 3 {
		return nil, badRequest("discover targets an object, instance or resource, not %v", p)
	}
	def, ok := m.defs[p.Obj()]
	if !ok {
		return nil, notFound("object %d is not implemented", p.Obj())
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	obj := m.objects[p.Obj()]
	if p.Len() == 1 {
		out := []Node{{Path: p, Dim: -1}}
		for _, id := range sortedKeys(obj) {
			out = append(out, Node{Path: p.Append(id), Dim: -1})
			out = append(out, resourceNodes(def, id, obj[id])...)
		}
		return out, nil
	}
	inst, ok := obj[p.Inst()]
	if !ok {
		return nil, notFound("instance %v does not exist", lwm2m.NewPath(p.Obj(), p.Inst()))
	}
	if p.Len() == 2 {
		return append([]Node{{Path: p, Dim: -1}}, resourceNodes(def, p.Inst(), inst)...), nil
	}
	for _, n := range resourceNodes(def, p.Inst(), inst) {
		if n.Path != p {
			continue
		}
		out := []Node{n}
		if r := inst[p.Res()]; instances && r != nil && r.multi {
			for _, ri := range sortedKeys(r.inst) {
				out = append(out, Node{Path: p.Append(ri), Dim: -1})
			}
		}
		return out, nil
	}
	if _, ok := def.Resources[p.Res()]; !ok {
		return nil, notFound("resource %d is not defined in object %d", p.Res(), p.Obj())
	}
	return nil, notFound("resource %v is not set", p)
}

// resourceNodes lists the implemented resources of one instance in id
// order: those holding a value, and the object's executable resources.
func resourceNodes(def lwm2m.ObjectDef, id uint16, inst instance) []Node {
	var out []Node
	for _, res := range sortedKeys(def.Resources) {
		rdef := def.Resources[res]
		r, set := inst[res]
		switch {
		case isExecutable(rdef):
			out = append(out, Node{Path: lwm2m.NewPath(def.ID, id, res), Dim: -1})
		case set && r.multi:
			out = append(out, Node{Path: lwm2m.NewPath(def.ID, id, res), Dim: len(r.inst)})
		case set:
			out = append(out, Node{Path: lwm2m.NewPath(def.ID, id, res), Dim: -1})
		}
	}
	return out
}
