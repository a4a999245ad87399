package model

import (
	"sync"

	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
)

// subscribers holds the change listeners.
type subscribers struct {
	mu   sync.Mutex
	next uint64
	fns  map[uint64]func(lwm2m.Path)
}

func (s *subscribers) init() { s.fns = map[uint64]func(lwm2m.Path){} }

// Subscribe registers fn to be called, without the model's lock, with each
// path a successful Write, Create, Delete, Set, bootstrap operation or
// configuration change touched: the resource path for value changes, the
// instance path for created and deleted instances. cancel removes fn.
func (m *Model) Subscribe(fn func(changed lwm2m.Path)) (cancel func()) {
	s := &m.subs
	s.mu.Lock()
	id := s.next
	s.next++
	s.fns[id] = fn
	s.mu.Unlock()
	return func() {
		s.mu.Lock()
		delete(s.fns, id)
		s.mu.Unlock()
	}
}

// notify calls every listener with every changed path. It must be called
// without m.mu held.
func (m *Model) notify(changed []lwm2m.Path) {
	if len(changed) == 0 {
		return
	}
	s := &m.subs
	s.mu.Lock()
	fns := make([]func(lwm2m.Path), 0, len(s.fns))
	for _, id := range sortedKeys(s.fns) {
		fns = append(fns, s.fns[id])
	}
	s.mu.Unlock()
	for _, p := range changed {
		for _, fn := range fns {
			fn(p)
		}
	}
}
