package model

import (
	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
)

// Delete is a management server's Delete (Core 1.1 §5.4.5) of an object
// instance. Other levels are ErrMethodNotAllowed, the Security object is
// ErrUnauthorized, and the Device instance cannot be deleted (it is
// mandatory and single: ErrMethodNotAllowed, as Leshan answers).
func (m *Model) Delete(p lwm2m.Path) error {
	if p.Len() > 0 && p.Obj() == lwm2m.ObjSecurity {
		return unauthorized("the Security object is only accessible to a bootstrap server")
	}
	if p.Len() != 2 {
		return notAllowed("delete on %v: a server deletes object instances", p)
	}
	if _, ok := m.defs[p.Obj()]; !ok {
		return notFound("object %d is not implemented", p.Obj())
	}
	return m.DeleteInstance(p.Obj(), p.Inst())
}

// DeleteInstance removes an instance without access rules (configuration
// and factory bootstrap). Subscribers are notified. The Device instance
// stays: the model always has one (ErrMethodNotAllowed).
func (m *Model) DeleteInstance(obj, inst uint16) error {
	if obj == lwm2m.ObjDevice {
		return notAllowed("the Device object instance cannot be deleted")
	}
	m.mu.Lock()
	o, ok := m.objects[obj]
	if ok {
		_, ok = o[inst]
	}
	if ok {
		delete(o, inst)
	}
	m.mu.Unlock()
	if !ok {
		return notFound("instance %v does not exist", lwm2m.NewPath(obj, inst))
	}
	m.notify([]lwm2m.Path{lwm2m.NewPath(obj, inst)})
	return nil
}

// BootstrapDelete is the Bootstrap-Delete (Core 1.1 §6.1.7.5) on the root,
// an object or an instance. The Bootstrap-Server Security instance is
// never deleted: on "/" and "/0" it is kept, and targeting it directly is
// ErrBadRequest. The Device instance is kept on "/" too (it is mandatory
// and single, as in Anjay), and targeting /3 or /3/0 is ErrBadRequest.
// Deleting an absent instance succeeds: the spec lists no 4.04 for this
// operation.
func (m *Model) BootstrapDelete(p lwm2m.Path) error {
	if p.Len() > 2 {
		return badRequest("bootstrap-delete targets the root, an object or an instance, not %v", p)
	}
	if p.Len() >= 1 {
		if _, ok := m.defs[p.Obj()]; !ok {
			return notFound("object %d is not implemented", p.Obj())
		}
		if p.Obj() == lwm2m.ObjDevice {
			return badRequest("the Device object instance cannot be deleted")
		}
	}
	m.mu.Lock()
	changed, err := m.bootstrapDeleteLocked(p)
	m.mu.Unlock()
	if err != nil {
		return err
	}
	m.notify(changed)
	return nil
}

func (m *Model) bootstrapDeleteLocked(p lwm2m.Path) ([]lwm2m.Path, error) {
	if p.Len() == 2 && m.isBootstrapAccount(p.Obj(), p.Inst()) {
		return nil, badRequest("%v is the Bootstrap-Server account and cannot be deleted", p)
	}
	var changed []lwm2m.Path
	for _, obj := range sortedKeys(m.objects) {
		if obj == lwm2m.ObjDevice || (p.Len() >= 1 && obj != p.Obj()) {
			continue
		}
		o := m.objects[obj]
		for _, id := range sortedKeys(o) {
			if (p.Len() == 2 && id != p.Inst()) || m.isBootstrapAccount(obj, id) {
				continue
			}
			delete(o, id)
			changed = append(changed, lwm2m.NewPath(obj, id))
		}
	}
	return changed, nil
}

// isBootstrapAccount reports whether obj/id is a Security instance with
// Bootstrap-Server set. Caller holds m.mu.
func (m *Model) isBootstrapAccount(obj, id uint16) bool {
	if obj != lwm2m.ObjSecurity {
		return false
	}
	r, ok := m.objects[obj][id][lwm2m.SecBootstrapServer]
	if !ok {
		return false
	}
	b, _ := r.value.AsBool()
	return b
}
