package model

import (
	"maps"

	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
)

// Write is a management server's Write (Core 1.1 §5.4.3) on an instance,
// resource or resource instance; record paths must lie at or below p.
//
// replace=true (CoAP PUT) replaces: at instance level every W resource the
// payload omits is removed, except mandatory ones, which keep their value
// (the lenient choice Leshan makes so that a short payload cannot leave an
// instance without, say, its Lifetime); a multiple resource in the payload
// loses the instances the payload omits. replace=false (CoAP POST) is the
// partial update: resources and resource instances in the payload are
// added or updated, everything else stays.
func (m *Model) Write(p lwm2m.Path, recs []lwm2m.Record, replace bool) error {
	if p.Len() > 0 && p.Obj() == lwm2m.ObjSecurity {
		return unauthorized("the Security object is only writable by a bootstrap server")
	}
	if p.Len() < 2 {
		return notAllowed("write on %v: a server writes instances, resources and resource instances", p)
	}
	m.mu.Lock()
	changed, err := m.writeLocked(p, recs, replace, serverWrite)
	m.mu.Unlock()
	if err != nil {
		return err
	}
	m.notify(changed)
	return nil
}

// BootstrapWrite is the Bootstrap-Write (Core 1.1 §6.1.7.4) on an object,
// instance or resource of any implemented object, Security included. It
// creates missing instances. An existing instance is updated: resources in
// the payload overwrite, others stay (as Anjay does), and a multiple
// resource in the payload is replaced as a whole so that, e.g., a new
// cipher-suite list leaves no stale entry.
func (m *Model) BootstrapWrite(p lwm2m.Path, recs []lwm2m.Record) error {
	if p.Len() == 0 {
		return notAllowed("bootstrap-write on the root")
	}
	m.mu.Lock()
	changed, err := m.writeLocked(p, recs, false, bootstrapWrite)
	m.mu.Unlock()
	if err != nil {
		return err
	}
	m.notify(changed)
	return nil
}

// Set is a device-side update of one resource or resource instance (the
// client's own values: Current Time, error codes, firmware version...).
// Access rules do not apply, but the instance must exist and the value
// must fit the resource's type. Subscribers are notified.
func (m *Model) Set(p lwm2m.Path, v lwm2m.Value) error {
	if p.Len() < 3 {
		return badRequest("set needs a resource or resource instance path, not %v", p)
	}
	if m.IsMultiple(p) && p.Len() == 3 {
		return badRequest("set on multiple resource %v needs a resource instance path", p)
	}
	m.mu.Lock()
	changed, err := m.writeLocked(p, []lwm2m.Record{{Path: p, Value: v}}, false, deviceWrite)
	m.mu.Unlock()
	if err != nil {
		return err
	}
	m.notify(changed)
	return nil
}

// writeLocked validates and applies a write. Caller holds m.mu.
func (m *Model) writeLocked(p lwm2m.Path, recs []lwm2m.Record, replace bool, a access) ([]lwm2m.Path, error) {
	def, ok := m.defs[p.Obj()]
	if !ok {
		return nil, notFound("object %d is not implemented", p.Obj())
	}
	if p.Len() >= 3 {
		if _, err := writableDef(def, p, a); err != nil {
			return nil, err
		}
		if len(recs) == 0 {
			return nil, badRequest("write on %v carries no value", p)
		}
	}
	pl, err := buildPlan(def, p, recs, a)
	if err != nil {
		return nil, err
	}
	obj := m.objects[p.Obj()]
	creates := a == bootstrapWrite
	if p.Len() >= 2 {
		if _, ok := obj[p.Inst()]; !ok && !creates {
			return nil, notFound("instance %v does not exist", lwm2m.NewPath(p.Obj(), p.Inst()))
		}
		if _, ok := pl[p.Inst()]; !ok {
			pl[p.Inst()] = instance{} // a replace with an empty payload
		}
	}
	if creates {
		if err := m.checkNewInstances(def, pl); err != nil {
			return nil, err
		}
	}
	var changed []lwm2m.Path
	for _, id := range sortedKeys(pl) {
		inst, existed := obj[id]
		if !existed {
			inst = instance{}
			obj[id] = inst
			changed = append(changed, lwm2m.NewPath(p.Obj(), id))
		}
		// Bootstrap writes replace multiple resources; a server's partial
		// update and resource-instance writes merge them.
		merge := (a == serverWrite && !replace) || p.Len() == 4 || a == deviceWrite
		res := m.applyInstance(def, id, inst, pl[id], merge)
		if replace && p.Len() == 2 && a == serverWrite {
			res = append(res, m.removeUnlisted(def, inst, pl[id])...)
		}
		if existed {
			for _, r := range res {
				changed = append(changed, lwm2m.NewPath(p.Obj(), id, r))
			}
		}
	}
	return changed, nil
}

// checkNewInstances refuses a second instance of a single-instance object.
func (m *Model) checkNewInstances(def lwm2m.ObjectDef, pl plan) error {
	if def.Multiple {
		return nil
	}
	obj := m.objects[def.ID]
	for id := range pl {
		if _, ok := obj[id]; ok {
			continue
		}
		if len(obj) > 0 || len(pl) > 1 {
			return badRequest("object %d is single-instance: cannot create /%d/%d", def.ID, def.ID, id)
		}
	}
	return nil
}

// applyInstance writes the planned resources into inst and returns the
// ids of the resources it touched.
func (m *Model) applyInstance(def lwm2m.ObjectDef, id uint16, inst, planned instance, merge bool) []uint16 {
	var touched []uint16
	for _, res := range sortedKeys(planned) {
		nr := planned[res]
		if isCurrentTime(def.ID, res) {
			m.setCurrentTime(nr.value)
		}
		if cur, ok := inst[res]; ok && nr.multi && merge {
			cur.inst = maps.Clone(cur.inst)
			if cur.inst == nil {
				cur.inst = map[uint16]lwm2m.Value{}
			}
			maps.Copy(cur.inst, nr.inst)
		} else {
			inst[res] = nr.clone()
		}
		touched = append(touched, res)
	}
	return touched
}

// removeUnlisted drops, for a replacing Write on an instance, the optional
// server-writable resources the payload did not carry. Current Time is the
// device clock and is never removed.
func (m *Model) removeUnlisted(def lwm2m.ObjectDef, inst, planned instance) []uint16 {
	var removed []uint16
	for _, res := range sortedKeys(inst) {
		if _, ok := planned[res]; ok {
			continue
		}
		rdef, ok := def.Resources[res]
		if !ok || rdef.Mandatory || isCurrentTime(def.ID, res) {
			continue
		}
		if _, err := writableDef(def, lwm2m.NewPath(def.ID, 0, res), serverWrite); err != nil {
			continue
		}
		delete(inst, res)
		removed = append(removed, res)
	}
	return removed
}
