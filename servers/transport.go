package servers

import (
	"context"
	"fmt"
	"net"
	"sync"
	"time"

	dtlsServer "github.com/plgd-dev/go-coap/v3/dtls/server"
	"github.com/plgd-dev/go-coap/v3/message/pool"
	coapNet "github.com/plgd-dev/go-coap/v3/net"
	"github.com/plgd-dev/go-coap/v3/net/responsewriter"
	"github.com/plgd-dev/go-coap/v3/options"
	udpClient "github.com/plgd-dev/go-coap/v3/udp/client"
	udpServer "github.com/plgd-dev/go-coap/v3/udp/server"
)

// handlerFunc answers a CoAP request; both the DTLS and the NoSec transports
// deliver requests on a go-coap UDP client connection.
type handlerFunc = func(w *responsewriter.ResponseWriter[*udpClient.Conn], r *pool.Message)

// idleTimeout keeps go-coap from closing a quiet client's connection: an
// LwM2M client may stay silent for its whole registration lifetime, and a
// harness peer lives only as long as its case.
const idleTimeout = 24 * time.Hour

// transport is the CoAP server under a harness peer: DTLS (tapped, CID-aware)
// or plain UDP.
type transport struct {
	addr   *net.UDPAddr
	stop   func() // stops serving and waits for the serve goroutine
	runner *periodicRunner
	once   sync.Once

	mu      sync.Mutex
	ctxStop func() bool // unregisters the ctx watcher
}

// coapOption is an option both go-coap server flavours accept.
type coapOption interface {
	udpServer.Option
	dtlsServer.Option
}

// startTransport listens on cfg.Addr and serves h until Close, or until ctx
// is done. after, when not nil, runs actions queued by h once the response is
// written.
func startTransport(ctx context.Context, cfg Config, rec *recorder, h handlerFunc, after *afterResponse) (*transport, error) {
	if cfg.DTLS != nil {
		if err := cfg.DTLS.validate(); err != nil {
			return nil, err
		}
	}
	t := &transport{runner: newPeriodicRunner()}
	opts := []coapOption{
		options.WithHandlerFunc(h),
		options.WithErrors(func(err error) { rec.logger.Debug("coap", "error", err) }),
		options.WithPeriodicRunner(t.runner.run),
		options.WithInactivityMonitor(idleTimeout, func(cc *udpClient.Conn) { _ = cc.Close() }),
	}
	if after != nil {
		opts = append(opts, options.WithProcessReceivedMessageFunc(after.process))
	}
	var err error
	if cfg.DTLS == nil {
		err = t.serveUDP(cfg, opts)
	} else {
		err = t.serveDTLS(cfg, rec, opts)
	}
	if err != nil {
		return nil, err
	}
	stop := context.AfterFunc(ctx, func() { _ = t.Close() })
	t.mu.Lock()
	t.ctxStop = stop
	t.mu.Unlock()
	return t, nil
}

// serveUDP starts a NoSec server.
func (t *transport) serveUDP(cfg Config, opts []coapOption) error {
	l, err := coapNet.NewListenUDP("udp", cfg.addr())
	if err != nil {
		return fmt.Errorf("servers: listen %q: %w", cfg.addr(), err)
	}
	var uo []udpServer.Option
	for _, o := range opts {
		uo = append(uo, o)
	}
	srv := udpServer.New(uo...)
	served := make(chan struct{})
	t.addr = l.LocalAddr().(*net.UDPAddr)
	t.stop = func() { srv.Stop(); <-served; _ = l.Close() }
	go func() { defer close(served); _ = srv.Serve(l) }()
	return nil
}

// serveDTLS starts a DTLS server on the tapped packet listener.
func (t *transport) serveDTLS(cfg Config, rec *recorder, opts []coapOption) error {
	base, err := cfg.DTLS.pionConfig(rec.logger)
	if err != nil {
		return err
	}
	cidLen := 0
	if cfg.DTLS.ConnectionID {
		cidLen = ConnectionIDLength
	}
	pl, err := listenPackets(cfg.addr(), cidLen, &wireTap{rec: rec, verbose: cfg.Verbose}, cfg.CapturePath)
	if err != nil {
		return err
	}
	dl := newDTLSListener(pl, cfg.DTLS, base, rec)
	var do []dtlsServer.Option
	for _, o := range opts {
		do = append(do, o)
	}
	srv := dtlsServer.New(do...)
	served := make(chan struct{})
	t.addr = pl.Addr().(*net.UDPAddr)
	t.stop = func() { srv.Stop(); <-served; _ = dl.Close() }
	go func() { defer close(served); _ = srv.Serve(dl) }()
	return nil
}

// Close stops the server and waits until every goroutine it started is gone.
func (t *transport) Close() error {
	t.once.Do(func() {
		t.stop()
		t.runner.stop()
	})
	t.mu.Lock()
	stop := t.ctxStop
	t.mu.Unlock()
	if stop != nil {
		stop()
	}
	return nil
}
