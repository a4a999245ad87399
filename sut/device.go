package sut

import (
	"context"
	"errors"
	"sync"

	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
)

// Device runs the catalogue on devices that are started once (by the user,
// or by the profile's start: command) with factory bootstrap credentials
// pointing at a long-lived harness bootstrap server. Each case provisions a
// device through the bootstrap interface; once the case is decided the
// device is steered back to bootstrap for the next one. A profile lists
// several devices of one model to run cases in parallel.
//
// It lives in package sut, not a subpackage: Load dispatches to it, and it
// runs devices with the process-group code of exec.go.
type Device struct {
	p *Profile
	o *DeviceOptions

	once sync.Once
	pool *devicePool
	err  error
}

// NewDevice returns the device-mode adapter of a device profile.
func NewDevice(p *Profile, o *DeviceOptions) *Device { return &Device{p: p, o: o} }

func (a *Device) Name() string               { return a.p.Name }
func (a *Device) Capabilities() Capabilities { return a.p.Capabilities }
func (a *Device) Baseline(caseID string) (Deviation, bool) {
	d, ok := a.p.Baseline[caseID]
	return d, ok
}

// Profile is the device profile.
func (a *Device) Profile() *Profile { return a.p }

// Options are the profile's device: key.
func (a *Device) Options() DeviceOptions { return *a.o }

// Timeouts are the profile's; the start bound covers the device's
// Bootstrap-Request and the provisioning.
func (a *Device) Timeouts() Timeouts { return a.p.Timeouts }

// DeviceMode is what the runner needs of a device-mode adapter beyond
// Adapter: a device held for a case before its instance starts, so that
// the wait for a free device counts against no bound, and the endpoint
// name the device registers with.
type DeviceMode interface {
	// Acquire holds a device for the case and returns its endpoint name;
	// log (the case's timeline) receives the device's steering events. A
	// case the devices cannot be given is a *SkipError; after a device
	// was lost every call fails with the reason.
	Acquire(ctx context.Context, t Target, scenario string, log *events.Log) (endpoint string, err error)
}

// Steerable is a device-mode Instance: once the case is decided, the
// runner hands it the case's server to send the device back to bootstrap.
type Steerable interface {
	// Steer executes the Bootstrap-Request Trigger through execute when
	// the device registered, then waits for its Bootstrap-Request, resets
	// it if it does not come, and releases it. An error means the device
	// is lost and the run stops.
	Steer(ctx context.Context, registered bool, execute func(context.Context, lwm2m.Path) error) error
	// ProcessEnded reports whether the device's own process ended during
	// the case (a return to bootstrap is not an end).
	ProcessEnded() bool
}

// SkipReason says why t cannot be run on a device, "" if it can: the
// bootstrap interface carries every Security resource but a PKIX trust
// store, and a device's Connection ID setting is its own.
func (a *Device) SkipReason(t Target) string {
	if t.TrustStore != nil {
		return "device mode: the case needs a PKIX trust store, which the LwM2M bootstrap interface cannot provision (no LwM2M 1.1 resource holds one)"
	}
	if t.ConnectionID {
		return "device mode: the case asks for a DTLS Connection ID, which no LwM2M 1.1 resource carries; a device's own setting cannot change per case"
	}
	return ""
}

// scenarioSkip says why a scenario cannot run on a device.
func (a *Device) scenarioSkip(scenario string) string {
	if scenario == "restart" && !a.o.HasReset() {
		return "device mode: a restart scenario restarts the client, which needs the profile's device.reset command"
	}
	return ""
}

// Acquire implements DeviceMode.
func (a *Device) Acquire(ctx context.Context, t Target, scenario string, log *events.Log) (string, error) {
	if why := a.SkipReason(t); why != "" {
		return "", &SkipError{Reason: why}
	}
	if why := a.scenarioSkip(scenario); why != "" {
		return "", &SkipError{Reason: why}
	}
	pool, err := a.start()
	if err != nil {
		return "", err
	}
	d, err := pool.acquire(ctx, t.CaseID, log)
	if err != nil {
		return "", err
	}
	return d.ep, nil
}

// Start provisions the device held for t (t.Endpoint, from Acquire) with
// the case, holding one first when Acquire was not called.
func (a *Device) Start(ctx context.Context, t Target) (Instance, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if why := a.SkipReason(t); why != "" {
		return nil, &SkipError{Reason: why}
	}
	pool, err := a.start()
	if err != nil {
		return nil, err
	}
	d := pool.heldFor(t.Endpoint, t.CaseID)
	if d == nil {
		if d, err = pool.acquire(ctx, t.CaseID, nil); err != nil {
			return nil, err
		}
		t.Endpoint = d.ep
	}
	writes, err := deviceWrites(t, a.p.Bootstrap)
	if err != nil {
		pool.release(d)
		return nil, err
	}
	return d.begin(ctx, t, writes), nil
}

// start brings up the bootstrap server and the devices on first use, so
// that loading a profile binds no port and starts nothing.
func (a *Device) start() (*devicePool, error) {
	a.once.Do(func() { a.pool, a.err = startPool(a.p, a.o) })
	return a.pool, a.err
}

// Lost is why device mode stopped (a device did not come back), nil
// while it runs.
func (a *Device) Lost() error {
	if a.pool == nil {
		return nil
	}
	return a.pool.lostErr()
}

// Close stops the devices the harness started and the bootstrap server.
func (a *Device) Close() error {
	a.once.Do(func() { a.err = errors.New("device mode: closed") })
	if a.pool == nil {
		return nil
	}
	return a.pool.Stop()
}
