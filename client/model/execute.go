package model

import (
	"sync"

	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
)

// resKey names a resource across all instances of its object.
type resKey struct{ obj, res uint16 }

// executeHooks holds what Execute runs.
type executeHooks struct {
	mu    sync.RWMutex
	exact map[lwm2m.Path]func(args string) error
	any   map[resKey]func(inst uint16, args string) error
}

func (h *executeHooks) init() {
	h.exact = map[lwm2m.Path]func(string) error{}
	h.any = map[resKey]func(uint16, string) error{}
}

// OnExecute sets the function Execute runs for the executable resource p
// (/1/x/8 Registration Update Trigger, /1/x/4 Disable, /3/0/4 Reboot,
// /3/0/5 Factory Reset...). A nil fn removes the hook. It takes precedence
// over a hook set with OnExecuteResource.
func (m *Model) OnExecute(p lwm2m.Path, fn func(args string) error) {
	m.hooks.mu.Lock()
	defer m.hooks.mu.Unlock()
	if fn == nil {
		delete(m.hooks.exact, p)
		return
	}
	m.hooks.exact[p] = fn
}

// OnExecuteResource sets the function Execute runs for resource res of
// every instance of obj, including instances created later (e.g. the
// Registration Update Trigger of each Server instance a bootstrap server
// writes). A nil fn removes the hook.
func (m *Model) OnExecuteResource(obj, res uint16, fn func(inst uint16, args string) error) {
	m.hooks.mu.Lock()
	defer m.hooks.mu.Unlock()
	k := resKey{obj, res}
	if fn == nil {
		delete(m.hooks.any, k)
		return
	}
	m.hooks.any[k] = fn
}

// Execute is a management server's Execute (Core 1.1 §5.4.5) on an
// executable resource. args must follow the argument grammar of Core 1.1
// §5.4.5 (e.g. "0,1='text'"), else ErrBadRequest. The hook for the
// resource runs without the model's lock; without a hook the execution
// succeeds and does nothing, except Reset Error Code (/3/0/12), which
// the model implements itself.
func (m *Model) Execute(p lwm2m.Path, args string) error {
	if p.Len() > 0 && p.Obj() == lwm2m.ObjSecurity {
		return unauthorized("the Security object is only accessible to a bootstrap server")
	}
	if p.Len() != 3 {
		return notAllowed("execute on %v: only resources are executable", p)
	}
	rdef, ok := m.resourceDef(p.Obj(), p.Res())
	if !ok {
		return notFound("resource %v is not defined", p)
	}
	m.mu.RLock()
	_, exists := m.objects[p.Obj()][p.Inst()]
	m.mu.RUnlock()
	if !exists {
		return notFound("instance %v does not exist", p.Parent())
	}
	if !isExecutable(rdef) {
		return notAllowed("resource %v is not executable", p)
	}
	if err := checkExecuteArgs(args); err != nil {
		return err
	}
	m.hooks.mu.RLock()
	exact := m.hooks.exact[p]
	anyInst := m.hooks.any[resKey{p.Obj(), p.Res()}]
	m.hooks.mu.RUnlock()
	switch {
	case exact != nil:
		return exact(args)
	case anyInst != nil:
		return anyInst(p.Inst(), args)
	case p.Obj() == lwm2m.ObjDevice && p.Res() == lwm2m.DevResetErrorCode:
		return m.resetErrorCodes(p.Inst())
	}
	return nil
}

// resetErrorCodes sets Error Code back to the single entry 0 ("no error").
func (m *Model) resetErrorCodes(inst uint16) error {
	m.mu.Lock()
	in, ok := m.objects[lwm2m.ObjDevice][inst]
	if ok {
		in[lwm2m.DevErrorCode] = &resource{multi: true, inst: map[uint16]lwm2m.Value{0: lwm2m.Int(0)}}
	}
	m.mu.Unlock()
	if !ok {
		return notFound("Device instance %d does not exist", inst)
	}
	m.notify([]lwm2m.Path{lwm2m.NewPath(lwm2m.ObjDevice, inst, lwm2m.DevErrorCode)})
	return nil
}

// checkExecuteArgs validates the Execute argument list (Core 1.1 §5.4.5):
//
//	arglist = argument *( "," argument )
//	argument = DIGIT [ "=" "'" *CHAR "'" ]
//	CHAR = "!" / %x23-26 / %x28-5B / %x5D-7E
//
// An empty payload means no arguments.
func checkExecuteArgs(args string) error {
	i := 0
	for i < len(args) {
		if args[i] < '0' || args[i] > '9' {
			return badRequest("execute arguments %q: expected a digit at offset %d", args, i)
		}
		i++
		if i < len(args) && args[i] == '=' {
			i++
			if i >= len(args) || args[i] != '\'' {
				return badRequest("execute arguments %q: value at offset %d is not quoted with '", args, i)
			}
			i++
			for i < len(args) && args[i] != '\'' {
				if !argChar(args[i]) {
					return badRequest("execute arguments %q: character %q at offset %d is not allowed", args, args[i], i)
				}
				i++
			}
			if i >= len(args) {
				return badRequest("execute arguments %q: unterminated value", args)
			}
			i++
		}
		if i < len(args) {
			if args[i] != ',' || i == len(args)-1 {
				return badRequest("execute arguments %q: expected ',' between arguments at offset %d", args, i)
			}
			i++
		}
	}
	return nil
}

func argChar(c byte) bool {
	return c == '!' || (c >= 0x23 && c <= 0x26) || (c >= 0x28 && c <= 0x5B) || (c >= 0x5D && c <= 0x7E)
}
