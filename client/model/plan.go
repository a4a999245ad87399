package model

import (
	"strings"

	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
)

// access says whose rules a change is checked against.
type access int

const (
	// serverWrite: a management server's Write may set W resources only.
	serverWrite access = iota
	// serverCreate: a Create may set any non-executable resource.
	serverCreate
	// bootstrapWrite: the bootstrap server may set any non-executable
	// resource, Security included.
	bootstrapWrite
	// deviceWrite: the client itself.
	deviceWrite
)

// plan is the validated content of a write: new resource values grouped by
// instance. A multiple resource holds only the instances the payload named.
type plan map[uint16]instance

// isExecutable reports whether a resource is executed rather than valued.
func isExecutable(d lwm2m.ResourceDef) bool {
	return d.Kind == lwm2m.KindNone || strings.Contains(d.Ops, "E")
}

// buildPlan checks every record against target, the object definition and
// the access rules, converts values to the declared types, and groups them.
// Nothing in the model changes.
func buildPlan(def lwm2m.ObjectDef, target lwm2m.Path, recs []lwm2m.Record, a access) (plan, error) {
	pl := plan{}
	for _, rec := range recs {
		p := rec.Path
		if !target.IsPrefixOf(p) {
			return nil, badRequest("record %v lies outside the target %v", p, target)
		}
		if p.Len() < 2 {
			return nil, badRequest("record %v does not name an instance or resource", p)
		}
		inst := pl[p.Inst()]
		if inst == nil {
			inst = instance{}
			pl[p.Inst()] = inst
		}
		if p.Len() == 2 {
			if rec.Value.Kind != lwm2m.KindNone {
				return nil, badRequest("instance %v cannot hold a value", p)
			}
			continue // an empty instance: it exists, nothing more
		}
		rdef, err := writableDef(def, p, a)
		if err != nil {
			return nil, err
		}
		if err := addToPlan(inst, rdef, p, rec.Value); err != nil {
			return nil, err
		}
	}
	return pl, nil
}

// writableDef finds the definition of the resource p names and checks that
// the caller may write it.
func writableDef(def lwm2m.ObjectDef, p lwm2m.Path, a access) (lwm2m.ResourceDef, error) {
	rp := lwm2m.NewPath(p.Obj(), p.Inst(), p.Res())
	rdef, ok := def.Resources[p.Res()]
	if !ok {
		return rdef, notFound("resource %d is not defined in object %d", p.Res(), p.Obj())
	}
	if isExecutable(rdef) {
		return rdef, notAllowed("resource %v is executable, not writable", rp)
	}
	if a == serverWrite && !strings.Contains(rdef.Ops, "W") {
		return rdef, notAllowed("resource %v is read-only", rp)
	}
	if p.Len() == 4 && !rdef.Multiple {
		return rdef, badRequest("resource %v is single-instance: %v does not exist", rp, p)
	}
	return rdef, nil
}

// addToPlan records one value (or an empty multiple resource) in inst.
func addToPlan(inst instance, rdef lwm2m.ResourceDef, p lwm2m.Path, v lwm2m.Value) error {
	r := inst[p.Res()]
	if r == nil {
		r = &resource{multi: rdef.Multiple}
		if rdef.Multiple {
			r.inst = map[uint16]lwm2m.Value{}
		}
		inst[p.Res()] = r
	}
	switch {
	case p.Len() == 3 && rdef.Multiple:
		if v.Kind != lwm2m.KindNone {
			return badRequest("multiple resource %v takes resource instances, not a single value", p)
		}
		return nil // an empty multiple resource
	case v.Kind == lwm2m.KindNone:
		return badRequest("record %v has no value", p)
	}
	cv, err := coerce(p, rdef, v)
	if err != nil {
		return err
	}
	if rdef.Multiple {
		r.inst[p.ResInst()] = cv
	} else {
		r.value = cv
	}
	return nil
}
