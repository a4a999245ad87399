package model

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
)

// persistFormat versions the Marshal layout.
const persistFormat = 1

type persisted struct {
	Format      int                 `json:"format"`
	Endpoint    string              `json:"endpoint"`
	Version     string              `json:"lwm2m_version"`
	ClockOffset int64               `json:"clock_offset_s"`
	Instances   []persistedInstance `json:"instances"`
}

type persistedInstance struct {
	Path   lwm2m.Path       `json:"path"`
	Values []persistedValue `json:"values,omitempty"`
}

// persistedValue is one resource (instance) in plain-text form; the
// registry gives its type back. A multiple resource without instances is
// its resource path with no value.
type persistedValue struct {
	Path  lwm2m.Path `json:"path"`
	Value *string    `json:"value,omitempty"`
}

// Marshal renders every instance of every object, secrets included, as
// JSON. The caller stores it with mode 0600.
func (m *Model) Marshal() ([]byte, error) {
	m.mu.RLock()
	doc := persisted{
		Format:      persistFormat,
		Endpoint:    m.endpoint,
		Version:     m.version,
		ClockOffset: int64(m.clockOffset / time.Second),
		Instances:   []persistedInstance{},
	}
	for _, obj := range sortedKeys(m.objects) {
		o := m.objects[obj]
		for _, id := range sortedKeys(o) {
			doc.Instances = append(doc.Instances, persistInstance(obj, id, o[id]))
		}
	}
	m.mu.RUnlock()
	return json.MarshalIndent(doc, "", "  ")
}

func persistInstance(obj, id uint16, in instance) persistedInstance {
	pi := persistedInstance{Path: lwm2m.NewPath(obj, id)}
	for _, res := range sortedKeys(in) {
		r := in[res]
		p := lwm2m.NewPath(obj, id, res)
		if r.multi && len(r.inst) == 0 {
			pi.Values = append(pi.Values, persistedValue{Path: p})
			continue
		}
		for _, rec := range r.records(p) {
			s := rec.Value.String()
			pi.Values = append(pi.Values, persistedValue{Path: rec.Path, Value: &s})
		}
	}
	return pi
}

// Unmarshal replaces the model's instances with those of a Marshal
// output. Every path and value is checked against the registry first; on
// error the model is unchanged. Subscribers are told of every instance.
func (m *Model) Unmarshal(data []byte) error {
	var doc persisted
	if err := json.Unmarshal(data, &doc); err != nil {
		return fmt.Errorf("model: decode persisted state: %w", err)
	}
	if doc.Format != persistFormat {
		return fmt.Errorf("model: persisted state has format %d, want %d", doc.Format, persistFormat)
	}
	objects := map[uint16]object{}
	for obj := range m.defs {
		objects[obj] = object{}
	}
	for _, pi := range doc.Instances {
		in, err := m.restoreInstance(pi)
		if err != nil {
			return fmt.Errorf("model: persisted state: %w", err)
		}
		objects[pi.Path.Obj()][pi.Path.Inst()] = in
	}
	if len(objects[lwm2m.ObjDevice]) != 1 {
		return fmt.Errorf("model: persisted state has %d Device instances, want 1", len(objects[lwm2m.ObjDevice]))
	}
	m.mu.Lock()
	old := m.objects
	m.objects = objects
	m.clockOffset = time.Duration(doc.ClockOffset) * time.Second
	m.mu.Unlock()
	var changed []lwm2m.Path
	for _, set := range []map[uint16]object{old, objects} {
		for _, obj := range sortedKeys(set) {
			for _, id := range sortedKeys(set[obj]) {
				changed = append(changed, lwm2m.NewPath(obj, id))
			}
		}
	}
	m.notify(changed)
	return nil
}

// restoreInstance checks and rebuilds one persisted instance.
func (m *Model) restoreInstance(pi persistedInstance) (instance, error) {
	p := pi.Path
	def, ok := m.defs[p.Obj()]
	if p.Len() != 2 || !ok {
		return nil, fmt.Errorf("%v is not an instance of an implemented object", p)
	}
	in := instance{}
	for _, pv := range pi.Values {
		q := pv.Path
		if q.Len() < 3 || !p.IsPrefixOf(q) {
			return nil, fmt.Errorf("%v is not a resource of %v", q, p)
		}
		rdef, err := writableDef(def, q, deviceWrite)
		if err != nil {
			return nil, err
		}
		v := lwm2m.Value{}
		if pv.Value != nil {
			if v, err = lwm2m.ParseValue(rdef.Kind, *pv.Value); err != nil {
				return nil, fmt.Errorf("%v: %w", q, err)
			}
		}
		if err := addToPlan(in, rdef, q, v); err != nil {
			return nil, err
		}
	}
	return in, nil
}
