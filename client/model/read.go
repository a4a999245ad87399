package model

import (
	"strings"

	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
)

// Read returns the values at p as a management server may see them: an
// object (all instances), an instance, a resource or a resource instance.
// Only readable resources are included at object and instance level; a
// resource that is not readable is ErrMethodNotAllowed, the Security
// object ErrUnauthorized, anything absent ErrNotFound.
func (m *Model) Read(p lwm2m.Path) ([]lwm2m.Record, error) {
	if p.Len() == 0 {
		return nil, notAllowed("read on the root")
	}
	if p.Obj() == lwm2m.ObjSecurity {
		return nil, unauthorized("the Security object is only accessible to a bootstrap server")
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.readLocked(p, serverReadable)
}

// BootstrapRead is the Bootstrap-Read operation (Core 1.1 §6.1.7.2): it
// may target only the Server object or one of its instances (the Access
// Control object is not implemented); other targets are
// ErrMethodNotAllowed.
func (m *Model) BootstrapRead(p lwm2m.Path) ([]lwm2m.Record, error) {
	if p.Len() == 0 || p.Len() > 2 || p.Obj() != lwm2m.ObjServer {
		return nil, notAllowed("bootstrap-read is limited to /1 and /1/x, not %v", p)
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.readLocked(p, hasValue)
}

// ReadAll returns every value at or below p, ignoring access rules, for
// the client's own use (persistence, logs, tests).
func (m *Model) ReadAll(p lwm2m.Path) ([]lwm2m.Record, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if p.Len() == 0 {
		var out []lwm2m.Record
		for _, obj := range sortedKeys(m.objects) {
			recs, err := m.readLocked(lwm2m.NewPath(obj), hasValue)
			if err != nil {
				return nil, err
			}
			out = append(out, recs...)
		}
		return out, nil
	}
	return m.readLocked(p, hasValue)
}

// serverReadable: a management server reads resources with the R operation.
func serverReadable(d lwm2m.ResourceDef) bool { return strings.Contains(d.Ops, "R") }

// hasValue: every non-executable resource holds a value.
func hasValue(d lwm2m.ResourceDef) bool { return !isExecutable(d) }

// readLocked collects records at p, including at object and instance level
// only resources readable passes. Caller holds m.mu.
func (m *Model) readLocked(p lwm2m.Path, readable func(lwm2m.ResourceDef) bool) ([]lwm2m.Record, error) {
	def, ok := m.defs[p.Obj()]
	if !ok {
		return nil, notFound("object %d is not implemented", p.Obj())
	}
	obj := m.objects[p.Obj()]
	if p.Len() == 1 {
		var out []lwm2m.Record
		for _, id := range sortedKeys(obj) {
			out = append(out, m.instanceRecords(def, id, obj[id], readable)...)
		}
		return out, nil
	}
	inst, ok := obj[p.Inst()]
	if !ok {
		return nil, notFound("instance %v does not exist", lwm2m.NewPath(p.Obj(), p.Inst()))
	}
	if p.Len() == 2 {
		return m.instanceRecords(def, p.Inst(), inst, readable), nil
	}
	rdef, ok := def.Resources[p.Res()]
	if !ok {
		return nil, notFound("resource %d is not defined in object %d", p.Res(), p.Obj())
	}
	if !readable(rdef) {
		return nil, notAllowed("resource %v is not readable", lwm2m.NewPath(p.Obj(), p.Inst(), p.Res()))
	}
	r, ok := inst[p.Res()]
	if !ok {
		return nil, notFound("resource %v is not set", lwm2m.NewPath(p.Obj(), p.Inst(), p.Res()))
	}
	recs := m.resourceRecords(lwm2m.NewPath(p.Obj(), p.Inst(), p.Res()), r)
	if p.Len() == 3 {
		return recs, nil
	}
	if !rdef.Multiple {
		return nil, notFound("resource %v has no instances", p.Parent())
	}
	for _, rec := range recs {
		if rec.Path == p {
			return []lwm2m.Record{rec}, nil
		}
	}
	return nil, notFound("resource instance %v does not exist", p)
}

// instanceRecords renders the readable resources of one instance.
func (m *Model) instanceRecords(def lwm2m.ObjectDef, id uint16, inst instance, readable func(lwm2m.ResourceDef) bool) []lwm2m.Record {
	var out []lwm2m.Record
	for _, res := range sortedKeys(inst) {
		rdef, ok := def.Resources[res]
		if !ok || !readable(rdef) {
			continue
		}
		out = append(out, m.resourceRecords(lwm2m.NewPath(def.ID, id, res), inst[res])...)
	}
	return out
}

// resourceRecords renders one resource, substituting computed values.
func (m *Model) resourceRecords(p lwm2m.Path, r *resource) []lwm2m.Record {
	if isCurrentTime(p.Obj(), p.Res()) {
		return []lwm2m.Record{{Path: p, Value: m.currentTime()}}
	}
	return r.records(p)
}
