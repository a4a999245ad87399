package client

import (
	"sync"

	"github.com/lwm2m-conform/lwm2m-conform/client/model"
	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
)

// execHooks turns Execute operations that concern the transport into
// signals: Registration Update Trigger (/1/x/8) and Disable (/1/x/4) for the
// session of Server instance x, Bootstrap-Request Trigger (/1/x/9) and
// Reboot (/3/0/4) for the whole client. The model calls the hooks from the
// handler goroutine; signals are buffered so the handler never blocks.
type execHooks struct {
	mu       sync.Mutex
	sessions map[uint16]*sessionSignals // by Server instance

	reboot    chan struct{}
	bootstrap chan struct{}
}

// sessionSignals are the signals for one server session.
type sessionSignals struct {
	update  chan struct{}
	disable chan struct{}
}

func newExecHooks(m *model.Model) *execHooks {
	h := &execHooks{
		sessions:  map[uint16]*sessionSignals{},
		reboot:    make(chan struct{}, 1),
		bootstrap: make(chan struct{}, 1),
	}
	m.OnExecuteResource(lwm2m.ObjServer, lwm2m.SrvRegUpdateTrigger, func(inst uint16, _ string) error {
		h.signal(inst, func(s *sessionSignals) chan struct{} { return s.update })
		return nil
	})
	m.OnExecuteResource(lwm2m.ObjServer, lwm2m.SrvDisable, func(inst uint16, _ string) error {
		h.signal(inst, func(s *sessionSignals) chan struct{} { return s.disable })
		return nil
	})
	m.OnExecuteResource(lwm2m.ObjServer, lwm2m.SrvBootstrapTrigger, func(uint16, string) error {
		poke(h.bootstrap)
		return nil
	})
	m.OnExecute(lwm2m.NewPath(lwm2m.ObjDevice, 0, lwm2m.DevReboot), func(string) error {
		poke(h.reboot)
		return nil
	})
	return h
}

// attach returns the signals for Server instance inst; detach when the
// session ends.
func (h *execHooks) attach(inst uint16) *sessionSignals {
	s := &sessionSignals{update: make(chan struct{}, 1), disable: make(chan struct{}, 1)}
	h.mu.Lock()
	h.sessions[inst] = s
	h.mu.Unlock()
	return s
}

func (h *execHooks) detach(inst uint16, s *sessionSignals) {
	h.mu.Lock()
	if h.sessions[inst] == s {
		delete(h.sessions, inst)
	}
	h.mu.Unlock()
}

func (h *execHooks) signal(inst uint16, pick func(*sessionSignals) chan struct{}) {
	h.mu.Lock()
	s := h.sessions[inst]
	h.mu.Unlock()
	if s != nil {
		poke(pick(s))
	}
}

// drain empties the client-wide signals before a new start.
func (h *execHooks) drain() {
	for _, ch := range []chan struct{}{h.reboot, h.bootstrap} {
		select {
		case <-ch:
		default:
		}
	}
}

// poke sends on a 1-buffered channel without blocking.
func poke(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}
