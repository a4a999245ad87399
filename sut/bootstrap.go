package sut

import (
	"context"
	"fmt"
	"path/filepath"
	"sync/atomic"

	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/servers"
)

// Bootstrap runs a profile's client provisioned through the LwM2M bootstrap
// interface instead of its command line: for each case a harness bootstrap
// server (NoSec, ephemeral port) writes the case's account into the client
// (the bootstrap account, the case's server, /1/0), and the client
// is started knowing only {{.BootstrapURI}}. It works for any client that
// supports client-initiated bootstrap.
type Bootstrap struct{ p *Profile }

// NewBootstrap returns the adapter that provisions inner's client through
// the harness bootstrap server. inner's command must name
// {{.BootstrapURI}} (see UsesBootstrap).
func NewBootstrap(inner *Profile) Adapter { return &Bootstrap{p: inner} }

func (b *Bootstrap) Name() string               { return b.p.Name }
func (b *Bootstrap) Capabilities() Capabilities { return b.p.Capabilities }
func (b *Bootstrap) Baseline(caseID string) (Deviation, bool) {
	d, ok := b.p.Baseline[caseID]
	return d, ok
}

// Profile is the profile whose client the adapter runs.
func (b *Bootstrap) Profile() *Profile { return b.p }

// Timeouts are the profile's; its start timeout covers the bootstrap.
func (b *Bootstrap) Timeouts() Timeouts { return b.p.Timeouts }

// SkipReason says why t cannot be provisioned through bootstrap, "" if it
// can. A PKIX trust store and the Connection ID setting have no LwM2M 1.1
// resource: a case with one is skipped unless the profile passes it on
// the client's command line.
func (b *Bootstrap) SkipReason(t Target) string {
	if t.TrustStore != nil && !b.p.passes(trustStoreCarrier) {
		return "the case needs a PKIX trust store, which the LwM2M bootstrap interface cannot provision (no LwM2M 1.1 resource holds one), and the profile passes none on the client's command line ({{.TrustStorePEM}} or {{.TrustStoreDir}})"
	}
	return b.p.neverPassed(t, func(c carrier) bool { return c.outOfBand })
}

// Start starts a bootstrap server provisioned for t, then the client. The
// instance ends when the client does, or when its bootstrap fails (the
// client is then stopped, and Err says which step failed).
func (b *Bootstrap) Start(ctx context.Context, t Target) (Instance, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if why := b.SkipReason(t); why != "" {
		return nil, &SkipError{Reason: why}
	}
	// A Target that cannot be written fails here, not on the server.
	if _, err := bootstrapWrites(t, sampleBootstrapURI, b.p.Bootstrap); err != nil {
		return nil, err
	}
	log := events.NewLog()
	// The URI is known once the server listens; Provision runs later, on
	// a server goroutine.
	var bsURI atomic.Value
	bs, err := servers.StartBootstrap(ctx, servers.BootstrapConfig{
		Config: servers.Config{Events: log},
		Provision: func(ep string) ([]servers.BootstrapWrite, error) {
			if ep != t.Endpoint {
				return nil, fmt.Errorf("unexpected endpoint %q (the case's is %q)", ep, t.Endpoint)
			}
			uri, _ := bsURI.Load().(string)
			return bootstrapWrites(t, uri, b.p.Bootstrap)
		},
		DeleteAll: true,
		Format:    bootstrapFormat,
	})
	if err != nil {
		return nil, fmt.Errorf("harness bootstrap server: %w", err)
	}
	uri := "coap://" + bs.Addr().String()
	bsURI.Store(uri)
	c, err := b.p.renderBootstrap(bootstrapAccount(t, uri), uri)
	if err != nil {
		bs.Close()
		return nil, err
	}
	proc, err := startProcess(ctx, c, filepath.Join(t.Dir, outputFile), t.Dir != "", NewRedactor(t.Secrets()...))
	if err != nil {
		bs.Close()
		return nil, err
	}
	return newBootstrapInstance(proc, bs, log, t.Dir), nil
}

// bootstrapAccount is what the client is started with: the case with its
// server account replaced by the bootstrap account. Client settings that
// no LwM2M resource carries stay: Connection ID, key log, state file,
// trust store (for a profile that passes it out of band).
func bootstrapAccount(t Target, uri string) Target {
	return Target{
		CaseID: t.CaseID, Endpoint: t.Endpoint, LwM2M: t.LwM2M,
		ServerURI: uri, Mode: "nosec", Usage: -1,
		TrustStore:   t.TrustStore,
		ConnectionID: t.ConnectionID,
		StateFile:    t.StateFile,
		Dir:          t.Dir, KeyLogFile: t.KeyLogFile, Verbose: t.Verbose,
	}
}
