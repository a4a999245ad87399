package runner

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/plgd-dev/go-coap/v3/message"

	"github.com/lwm2m-conform/lwm2m-conform/catalog"
	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/servers"
	"github.com/lwm2m-conform/lwm2m-conform/servers/est"
)

// Values of the harness_peer field the merged timeline of an est case
// gives each event.
const (
	peerBootstrap = "bootstrap" // the bootstrap server and its EST server
	peerLwM2M     = "lwm2m"
	// peerProvisioning is the adapter's own bootstrap server, which wrote
	// the SUT's accounts itself (sut.NewBootstrap); the est checks read
	// its Bootstrap-Finish.
	peerProvisioning = "provisioning"
)

// estPeers are the harness servers of an est case, each with its own
// timeline (their session names overlap).
type estPeers struct {
	ca       *est.CA
	est      *est.Server
	bs       *servers.Bootstrap
	lw       *servers.LwM2M
	bsLog    *events.Log
	lwLog    *events.Log
	endpoint string // the SUT's, once known
	lwURI    string // the LwM2M server's, written in Security Mode 4
}

func (p *estPeers) close() {
	if p.bs != nil {
		_ = p.bs.Close()
	}
	if p.lw != nil {
		_ = p.lw.Close()
	}
}

// estConfig is the EST server of the case.
func estConfig(e *catalog.EST, ca *est.CA, log *events.Log) est.Config {
	cfg := est.Config{CA: ca, Events: log, BlockSize: e.BlockSize, Validity: time.Duration(e.Validity) * time.Second,
		Formats: map[string]message.MediaType{}}
	if e.CrtsFormat != 0 {
		cfg.Formats["crts"] = message.MediaType(e.CrtsFormat)
	}
	if e.SenFormat != 0 {
		cfg.Formats["sen"] = message.MediaType(e.SenFormat)
		cfg.Formats["sren"] = message.MediaType(e.SenFormat)
	}
	if e.Fault != "" {
		op := e.FaultOp
		if op == "" {
			op = "sen"
		}
		cfg.Fault = est.Fault{Kind: e.Fault, Op: op, MaxAge: time.Duration(e.MaxAge) * time.Second}
	}
	return cfg
}

// startESTPeers starts the LwM2M server, then the bootstrap server that
// points the SUT to it.
// With evidence on, each server captures its socket and both log their
// session keys to the case's key log (estServerConfigs).
func startESTPeers(ctx context.Context, cr *caseRun, dir string) (*estPeers, error) {
	c := cr.c
	p := &estPeers{bsLog: events.NewLog(), lwLog: events.NewLog()}
	var err error
	if p.ca, err = est.NewCA("lwm2m-conform EST CA for "+c.ID, nil); err != nil {
		return nil, err
	}
	if p.est, err = est.New(estConfig(c.EST, p.ca, p.bsLog)); err != nil {
		return nil, fmt.Errorf("%s: EST server: %w", c.ID, err)
	}
	bound := cr.timing().handshake + time.Second
	bsDTLS, err := peerDTLS(cr.PKI, c, cr.caps, bound)
	if err != nil {
		return nil, err
	}
	if bsDTLS == nil || bsDTLS.Certificate == nil {
		return nil, fmt.Errorf("%s: an est case needs a certificate-mode bootstrap server (sut.mode cert, peer.chain)", c.ID)
	}
	// RFC 9148 §3: the EST client authenticates with a certificate.
	bsDTLS.RequireClientCert = true
	lwCert := *bsDTLS.Certificate // "foreign": a PKI /crts does not name
	if c.EST.Server != "foreign" {
		if lwCert, err = p.ca.IssueServer(c.SUT.Host); err != nil {
			return nil, err
		}
	}
	lwDTLS := &servers.DTLS{Certificate: &lwCert, RequireClientCert: true, FlightInterval: cr.caps.FlightInterval, HandshakeTimeout: bound}
	bsCfg, lwCfg := cr.estServerConfigs(bsDTLS, lwDTLS, dir)
	bsCfg.Events, lwCfg.Events = p.bsLog, p.lwLog
	if p.lw, err = servers.StartLwM2M(ctx, lwCfg); err != nil {
		p.close()
		return nil, fmt.Errorf("harness LwM2M server: %w", err)
	}
	p.lwURI = "coaps://" + net.JoinHostPort(c.SUT.Host, strconv.Itoa(p.lw.Addr().Port))
	lifetime := time.Duration(c.SUT.Lifetime) * time.Second
	p.bs, err = servers.StartBootstrap(ctx, servers.BootstrapConfig{
		Config: bsCfg,
		Provision: func(ep string) ([]servers.BootstrapWrite, error) {
			if ep != p.endpoint {
				return nil, fmt.Errorf("unexpected endpoint %q (the case's is %q)", ep, p.endpoint)
			}
			return mode4Writes(p.lwURI, lifetime), nil
		},
		DeleteAll: true,
		Mount:     p.est,
	})
	if err != nil {
		p.close()
		return nil, fmt.Errorf("harness bootstrap server: %w", err)
	}
	return p, nil
}

// mergeEST puts both servers' timelines into the case's, in time order,
// each event marked with the server that recorded it.
func (cr *caseRun) mergeEST(p *estPeers) {
	var prov []events.Event
	for _, in := range cr.insts {
		if b, ok := in.(interface{ BootstrapEvents() []events.Event }); ok {
			prov = append(prov, b.BootstrapEvents()...)
		}
	}
	for _, e := range mergedEvents(p.bsLog.Events(), p.lwLog.Events(), prov) {
		cr.log.Add(e)
	}
}
