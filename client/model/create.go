package model

import (
	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
)

// Create is a management server's Create (Core 1.1 §5.4.4) of an instance
// of obj. inst is the id the server asked for, or nil to let the client
// choose the lowest free id. Record paths must lie below /obj; their
// instance id is ignored when inst is nil (they must then all agree) and
// must equal *inst otherwise. Every mandatory, non-executable resource
// must be present. It returns the id of the new instance.
func (m *Model) Create(obj uint16, inst *uint16, recs []lwm2m.Record) (uint16, error) {
	if obj == lwm2m.ObjSecurity {
		return 0, unauthorized("the Security object is only writable by a bootstrap server")
	}
	def, ok := m.defs[obj]
	if !ok {
		return 0, notFound("object %d is not implemented", obj)
	}
	m.mu.Lock()
	id, err := m.createLocked(def, inst, recs)
	m.mu.Unlock()
	if err != nil {
		return 0, err
	}
	m.notify([]lwm2m.Path{lwm2m.NewPath(obj, id)})
	return id, nil
}

// createLocked validates and inserts the instance. Caller holds m.mu.
func (m *Model) createLocked(def lwm2m.ObjectDef, want *uint16, recs []lwm2m.Record) (uint16, error) {
	objects := m.objects[def.ID]
	if !def.Multiple && len(objects) > 0 {
		return 0, badRequest("object %d is single-instance and its instance exists", def.ID)
	}
	var id uint16
	switch {
	case want != nil:
		id = *want
		if id == 65535 {
			return 0, badRequest("instance id 65535 is reserved")
		}
		if _, ok := objects[id]; ok {
			return 0, badRequest("instance %v already exists", lwm2m.NewPath(def.ID, id))
		}
	default:
		free, ok := lowestFree(objects)
		if !ok {
			return 0, badRequest("object %d has no free instance id", def.ID)
		}
		id = free
	}
	rewritten, err := retarget(def.ID, id, want != nil, recs)
	if err != nil {
		return 0, err
	}
	pl, err := buildPlan(def, lwm2m.NewPath(def.ID, id), rewritten, serverCreate)
	if err != nil {
		return 0, err
	}
	planned := pl[id]
	if planned == nil {
		planned = instance{}
	}
	for _, rid := range sortedKeys(def.Resources) {
		rdef := def.Resources[rid]
		if _, ok := planned[rid]; rdef.Mandatory && !isExecutable(rdef) && !ok {
			return 0, badRequest("mandatory resource %v is missing", lwm2m.NewPath(def.ID, id, rid))
		}
	}
	objects[id] = instance{}
	m.applyInstance(def, id, objects[id], planned, false)
	return id, nil
}

// retarget checks that records lie below /obj and moves them to instance
// id. With explicit=true their instance must already be id; otherwise all
// records must share one (placeholder) instance id.
func retarget(obj, id uint16, explicit bool, recs []lwm2m.Record) ([]lwm2m.Record, error) {
	out := make([]lwm2m.Record, 0, len(recs))
	var seen *uint16
	for _, rec := range recs {
		p := rec.Path
		if p.Len() < 2 || p.Obj() != obj {
			return nil, badRequest("record %v does not lie below an instance of /%d", p, obj)
		}
		if explicit && p.Inst() != id {
			return nil, badRequest("record %v is not in the instance being created (%d)", p, id)
		}
		if seen != nil && *seen != p.Inst() {
			return nil, badRequest("create carries records for several instances (%d and %d)", *seen, p.Inst())
		}
		inst := p.Inst()
		seen = &inst
		q := lwm2m.NewPath(obj, id)
		for i := 2; i < p.Len(); i++ {
			q = q.Append(p.ID(i))
		}
		out = append(out, lwm2m.Record{Path: q, Value: rec.Value})
	}
	return out, nil
}

// lowestFree returns the lowest unused instance id below 65535.
func lowestFree(o object) (uint16, bool) {
	for id := uint16(0); id < 65535; id++ {
		if _, ok := o[id]; !ok {
			return id, true
		}
	}
	return 0, false
}
