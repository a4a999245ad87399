package sut

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"

	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/servers"
)

// devicePool is the long-lived bootstrap server and the devices it
// provisions. A device is free between cases; a case holds it from
// Acquire until its instance is steered back (or stopped).
type devicePool struct {
	p     *Profile
	o     *DeviceOptions
	bs    *servers.Bootstrap
	bsLog *events.Log
	uri   string
	devs  map[string]*device
	free  chan *device

	closed    chan struct{}
	closeOnce sync.Once
	stopped   chan struct{} // closed when a device is lost: the run stops
	mu        sync.Mutex
	lost      error
}

// errHeld ends a held Bootstrap-Request that no case took; its text marks
// the server's bootstrap_failed note as the harness's own doing.
var errHeld = errors.New("device mode: Bootstrap-Request released unanswered")

func startPool(p *Profile, o *DeviceOptions) (*devicePool, error) {
	dtlsCfg, err := bootstrapDTLS(o)
	if err != nil {
		return nil, err
	}
	pool := &devicePool{
		p: p, o: o, bsLog: events.NewLog(), devs: map[string]*device{},
		free: make(chan *device, len(o.Endpoints)), closed: make(chan struct{}), stopped: make(chan struct{}),
	}
	// Every device exists before the server can hear from one: the
	// server's goroutines read the map.
	for _, ep := range o.Endpoints {
		d, err := newDevice(pool, ep)
		if err != nil {
			pool.removeDirs()
			return nil, err
		}
		pool.devs[ep] = d
	}
	pool.bs, err = servers.StartBootstrap(context.Background(), servers.BootstrapConfig{
		Config:    servers.Config{Addr: o.Listen, DTLS: dtlsCfg, Events: pool.bsLog},
		Provision: pool.provision,
		DeleteAll: true,
		Format:    bootstrapFormat,
		// The writes of one case must fit its start bound.
		Timeout: p.Timeouts.Start,
	})
	if err != nil {
		pool.removeDirs()
		return nil, fmt.Errorf("device mode: harness bootstrap server on %s: %w", o.Listen, err)
	}
	scheme := "coap://"
	if dtlsCfg != nil {
		scheme = "coaps://"
	}
	pool.uri = scheme + pool.bs.Addr().String()
	track(pool)
	go pool.dispatch()
	for _, ep := range o.Endpoints {
		d := pool.devs[ep]
		if o.start != nil {
			if err := d.startProcess(); err != nil {
				pool.Stop()
				return nil, err
			}
		}
		pool.free <- d
	}
	return pool, nil
}

func (p *devicePool) removeDirs() {
	for _, d := range p.devs {
		os.RemoveAll(d.dir)
	}
}

// bootstrapDTLS is the bootstrap server's security: the bootstrap account
// the devices were given at the factory.
func bootstrapDTLS(o *DeviceOptions) (*servers.DTLS, error) {
	switch o.Security {
	case "psk":
		return &servers.DTLS{PSK: map[string][]byte{o.PSKIdentity: o.PSKKey}}, nil
	case "cert":
		cert, err := tls.LoadX509KeyPair(o.Certificate, o.PrivateKey)
		if err != nil {
			return nil, fmt.Errorf("device mode: bootstrap server certificate: %w", err)
		}
		d := &servers.DTLS{Certificate: &cert, RequireClientCert: true}
		if o.ClientCA != "" {
			pem, err := os.ReadFile(o.ClientCA)
			if err != nil {
				return nil, err
			}
			d.ClientCAs = x509.NewCertPool()
			if !d.ClientCAs.AppendCertsFromPEM(pem) {
				return nil, fmt.Errorf("device mode: %s holds no PEM certificate", o.ClientCA)
			}
		}
		return d, nil
	}
	return nil, nil
}

// provision answers a device's Bootstrap-Request: the case holding the
// device gets its writes at once; otherwise the request is held until a
// case takes the device (a device waits for its writes as long as its
// bootstrap session lasts).
func (p *devicePool) provision(ep string) ([]servers.BootstrapWrite, error) {
	d := p.devs[ep]
	if d == nil {
		return nil, fmt.Errorf("device mode: %q is not one of the profile's endpoints (%s)", ep, strings.Join(p.o.Endpoints, ", "))
	}
	writes, held := d.onRequest()
	if held == nil {
		return writes, nil
	}
	select {
	case r := <-held:
		return r.writes, r.err
	case <-p.closed:
		return nil, errHeld
	}
}

// dispatch hands each bootstrap server event to the case holding the
// device it concerns.
func (p *devicePool) dispatch() {
	fed := 0
	for {
		changed := p.bsLog.Changed()
		for _, e := range p.bsLog.Since(fed) {
			fed++
			if d := p.devs[e.Fields["ep"]]; d != nil {
				d.serverEvent(e)
			}
		}
		select {
		case <-changed:
		case <-p.closed:
			return
		}
	}
}

// acquire holds a free device for caseID. After a device was lost it
// fails with the reason: the run stops.
func (p *devicePool) acquire(ctx context.Context, caseID string, log *events.Log) (*device, error) {
	if err := p.lostErr(); err != nil {
		return nil, err
	}
	select {
	case d := <-p.free:
		if err := p.lostErr(); err != nil {
			p.free <- d
			return nil, err
		}
		d.hold(caseID, log)
		return d, nil
	case <-p.stopped:
		return nil, p.lostErr()
	case <-p.closed:
		return nil, errors.New("device mode: the devices were stopped")
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// heldFor is the device ep when caseID holds it.
func (p *devicePool) heldFor(ep, caseID string) *device {
	if d := p.devs[ep]; d != nil && d.heldBy(caseID) {
		return d
	}
	return nil
}

func (p *devicePool) release(d *device) {
	d.unhold()
	p.free <- d
}

// stop records that a device was lost; every later acquire fails with err.
func (p *devicePool) stop(err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.lost == nil {
		p.lost = err
		close(p.stopped)
	}
}

func (p *devicePool) lostErr() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.lost
}

// Stop ends device mode: held requests are released, the devices the
// harness started are stopped, then the bootstrap server. The pool is
// tracked like an Instance, so that StopAll (Ctrl-C, end of a run) leaves
// nothing behind.
func (p *devicePool) Stop() error {
	var first error
	p.closeOnce.Do(func() {
		close(p.closed)
		for _, d := range p.devs {
			if err := d.stopProcess(); err != nil && first == nil {
				first = err
			}
		}
		if err := p.bs.Close(); err != nil && first == nil {
			first = err
		}
		p.removeDirs()
		untrack(p)
	})
	return first
}

func (p *devicePool) Done() <-chan struct{} { return p.closed }
func (p *devicePool) Err() error            { return nil }
func (p *devicePool) Output() string        { return "" }
func (p *devicePool) Command() string       { return "device mode: bootstrap server " + p.uri }
