package lwm2m

import "maps"

// ResourceDef describes one resource of an object. Ops is "R", "W", "RW",
// "E", or "" for Security Object resources, which only a bootstrap server
// may write and no operation may read.
type ResourceDef struct {
	ID        uint16
	Name      string
	Kind      Kind
	Multiple  bool
	Mandatory bool
	Ops       string
}

// ObjectDef describes one object: whether it may have several instances,
// whether a client must implement it, its version and its resources.
type ObjectDef struct {
	ID        uint16
	Name      string
	Multiple  bool
	Mandatory bool
	Version   string
	Resources map[uint16]ResourceDef
}

// Object ids of the objects the registry knows.
const (
	ObjSecurity uint16 = 0
	ObjServer   uint16 = 1
	ObjDevice   uint16 = 3
)

// registry is built once; callers receive copies so it cannot be altered.
var registry = buildRegistry()

func buildRegistry() map[uint16]ObjectDef {
	objs := []ObjectDef{securityObject(), serverObject(), deviceObject()}
	m := make(map[uint16]ObjectDef, len(objs))
	for _, o := range objs {
		m[o.ID] = o
	}
	return m
}

// Registry returns the definitions of the Security (0), Server (1) and
// Device (3) objects as of LwM2M 1.1. The map is a fresh copy.
func Registry() map[uint16]ObjectDef {
	out := make(map[uint16]ObjectDef, len(registry))
	for id, o := range registry {
		o.Resources = maps.Clone(o.Resources)
		out[id] = o
	}
	return out
}

// LookupResource returns the definition of the resource p names. A
// resource instance path is only valid for a multiple resource.
func LookupResource(p Path) (ResourceDef, bool) {
	if p.Len() < 3 {
		return ResourceDef{}, false
	}
	o, ok := registry[p.Obj()]
	if !ok {
		return ResourceDef{}, false
	}
	r, ok := o.Resources[p.Res()]
	if !ok || (p.Len() == 4 && !r.Multiple) {
		return ResourceDef{}, false
	}
	return r, true
}

// KindOf returns the data type of the resource (instance) p names, via the
// registry; ok is false for unknown objects, resources and non-resource
// paths. Its signature fits Decode's kind argument.
func KindOf(p Path) (Kind, bool) {
	r, ok := LookupResource(p)
	return r.Kind, ok
}
