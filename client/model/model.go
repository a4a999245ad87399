package model

import (
	"sync"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
)

// Model is the client's object tree. The zero value is not usable; build
// it with New.
type Model struct {
	endpoint string
	version  string
	defs     map[uint16]lwm2m.ObjectDef
	now      func() time.Time

	mu          sync.RWMutex
	objects     map[uint16]object // guarded by mu
	clockOffset time.Duration     // guarded by mu: Current Time minus now()

	hooks executeHooks
	subs  subscribers
}

// Option adjusts the Device object (or the clock) New starts with.
type Option func(*settings)

type settings struct {
	manufacturer, modelNumber, serial, firmware string
	now                                         func() time.Time
}

// WithManufacturer sets /3/0/0 (default "lwm2m-conform").
func WithManufacturer(s string) Option { return func(c *settings) { c.manufacturer = s } }

// WithModelNumber sets /3/0/1 (default "reference-client").
func WithModelNumber(s string) Option { return func(c *settings) { c.modelNumber = s } }

// WithSerialNumber sets /3/0/2 (default: the endpoint name, unique per
// client in a run).
func WithSerialNumber(s string) Option { return func(c *settings) { c.serial = s } }

// WithFirmwareVersion sets /3/0/3 (default "dev").
func WithFirmwareVersion(s string) Option { return func(c *settings) { c.firmware = s } }

// WithClock replaces time.Now as the source of Current Time (/3/0/13).
func WithClock(now func() time.Time) Option { return func(c *settings) { c.now = now } }

// New returns a model holding the Device object instance 0 and no Security
// or Server instances. version is the LwM2M enabler version the client
// speaks: "1.0", or "1.1" (anything else is taken as "1.1").
func New(endpoint string, version string, opts ...Option) *Model {
	if version != "1.0" {
		version = "1.1"
	}
	cfg := settings{
		manufacturer: "lwm2m-conform",
		modelNumber:  "reference-client",
		serial:       endpoint,
		firmware:     "dev",
		now:          time.Now,
	}
	for _, o := range opts {
		o(&cfg)
	}
	m := &Model{
		endpoint: endpoint,
		version:  version,
		defs:     lwm2m.Registry(),
		now:      cfg.now,
		objects: map[uint16]object{
			lwm2m.ObjSecurity: {},
			lwm2m.ObjServer:   {},
			lwm2m.ObjDevice:   {0: deviceInstance(cfg)},
		},
	}
	m.hooks.init()
	m.subs.init()
	return m
}

// Endpoint is the client's endpoint name.
func (m *Model) Endpoint() string { return m.endpoint }

// Version is the LwM2M version the client speaks, "1.0" or "1.1".
func (m *Model) Version() string { return m.version }

// Instances lists the instance ids of an object in ascending order; nil
// for an unknown object.
func (m *Model) Instances(obj uint16) []uint16 {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return sortedKeys(m.objects[obj])
}

// Objects lists the ids of the objects the model implements.
func (m *Model) Objects() []uint16 { return sortedKeys(m.defs) }

// ObjectDef returns the definition of an implemented object.
func (m *Model) ObjectDef(obj uint16) (lwm2m.ObjectDef, bool) {
	d, ok := m.defs[obj]
	return d, ok
}

// resourceDef looks up a resource of an implemented object.
func (m *Model) resourceDef(obj, res uint16) (lwm2m.ResourceDef, bool) {
	d, ok := m.defs[obj]
	if !ok {
		return lwm2m.ResourceDef{}, false
	}
	r, ok := d.Resources[res]
	return r, ok
}

// KindOf is the data type of a resource (instance) path, for decoders.
func (m *Model) KindOf(p lwm2m.Path) (lwm2m.Kind, bool) {
	if p.Len() < 3 {
		return lwm2m.KindNone, false
	}
	d, ok := m.resourceDef(p.Obj(), p.Res())
	if !ok || (p.Len() == 4 && !d.Multiple) {
		return lwm2m.KindNone, false
	}
	return d.Kind, true
}

// IsMultiple reports whether p names a multiple resource.
func (m *Model) IsMultiple(p lwm2m.Path) bool {
	d, ok := m.resourceDef(p.Obj(), p.Res())
	return ok && p.Len() >= 3 && d.Multiple
}

// Operations returns the operations a management server may perform on
// the resource p names ("R", "W", "RW", "E" or "").
func (m *Model) Operations(p lwm2m.Path) (string, bool) {
	if p.Len() < 3 {
		return "", false
	}
	d, ok := m.resourceDef(p.Obj(), p.Res())
	return d.Ops, ok
}
