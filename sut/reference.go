package sut

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/client"
	"github.com/lwm2m-conform/lwm2m-conform/client/model"
)

// ReferenceOptions configure the in-process reference client.
type ReferenceOptions struct {
	// InsecureAcceptAnyServer makes the client accept every server: a
	// deliberately broken SUT that proves the suites can fail.
	InsecureAcceptAnyServer bool
	// Faults are the client's mutation faults (client.KnownFaults), passed
	// as they are. crash-after-handshake cannot kill the harness process:
	// the client ends with a *client.CrashError, whose Signal method makes
	// the runner judge a death by signal; the exec adapter gets a real one.
	Faults []string
	// HandshakeTimeout and FlightInterval are passed to the client; zero
	// means 10 s and referenceFlightInterval.
	HandshakeTimeout, FlightInterval time.Duration
}

// The account the reference client is provisioned with for every case.
const (
	referenceSSID     = 101
	referenceLifetime = 300 * time.Second
	// referenceStopWait bounds Stop: the client returns within ~100 ms of
	// cancellation (it sends De-register with a short timeout).
	referenceStopWait = 2 * time.Second
	// Shortened timers, declared in Capabilities so the retransmission and
	// rebinding cases finish fast: DTLS flights are resent every 200 ms and
	// a CoAP request is retransmitted after 300 ms and given up (and the
	// session re-established) after 3 s.
	referenceFlightInterval = 200 * time.Millisecond
	referenceAckTimeout     = 300 * time.Millisecond
	referenceRequestTimeout = 3 * time.Second
)

func (r *Reference) flightInterval() time.Duration {
	if r.opts.FlightInterval > 0 {
		return r.opts.FlightInterval
	}
	return referenceFlightInterval
}

// maxPionPSKLen is the longest PSK pion/dtls handles: it sizes the RFC 4279
// premaster secret (2 + N + 2 + N bytes) with uint16 arithmetic on N, so
// 2+N+2 must stay below 65536.
const maxPionPSKLen = 65531

// Reference runs the reference LwM2M client in-process.
type Reference struct{ opts ReferenceOptions }

// NewReference returns the adapter of the in-process reference client.
func NewReference(opts ReferenceOptions) Adapter { return &Reference{opts: opts} }

func (r *Reference) Name() string {
	if r.opts.InsecureAcceptAnyServer {
		return "reference-insecure"
	}
	return "reference"
}

// Capabilities are what the reference client implements.
func (r *Reference) Capabilities() Capabilities {
	return Capabilities{
		CID:            true,
		Resumption:     true,
		EST:            true, // Security Mode 4, with EST on the bootstrap server's endpoint
		Bootstrap:      true,
		MaxPSKLen:      maxPionPSKLen,
		RealTimeClock:  true,
		SNI:            true,
		CipherSuites:   true,
		CertUsage:      true,
		FlightInterval: r.flightInterval(),
		RebindRecovery: referenceRequestTimeout + 5*time.Second,
	}
}

// Baseline is empty: the reference client has no accepted deviations.
func (r *Reference) Baseline(string) (Deviation, bool) { return Deviation{}, false }

// Timeouts are the defaults, with the handshake bound the client uses.
func (r *Reference) Timeouts() Timeouts {
	t := DefaultTimeouts
	if r.opts.HandshakeTimeout > 0 {
		t.Handshake = r.opts.HandshakeTimeout
	}
	return t
}

// Start provisions the client for t (factory bootstrap) and runs it until
// Stop or until ctx is cancelled.
func (r *Reference) Start(ctx context.Context, t Target) (Instance, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m, err := referenceModel(t)
	if err != nil {
		return nil, err
	}
	var logFile *os.File
	if t.Dir != "" {
		if logFile, err = os.OpenFile(filepath.Join(t.Dir, outputFile), os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644); err != nil {
			return nil, fmt.Errorf("SUT output log: %w", err)
		}
	}
	out := newOutputBuffer(outputKeep, logFile)
	logOut := NewRedactor(t.Secrets()...).Writer(out)
	closers := []io.Closer{logOut, out} // in this order: the redactor flushes into out
	closeAll := func() {
		for _, c := range closers {
			c.Close()
		}
	}
	opts := client.Options{
		Model:                   m,
		TrustStore:              t.TrustStore,
		Logger:                  slog.New(slog.NewTextHandler(logOut, &slog.HandlerOptions{Level: logLevel(t.Verbose)})),
		ConnectionID:            t.ConnectionID,
		InsecureAcceptAnyServer: r.opts.InsecureAcceptAnyServer,
		Faults:                  r.opts.Faults,
		HandshakeTimeout:        r.opts.HandshakeTimeout,
		FlightInterval:          r.flightInterval(),
		RequestTimeout:          referenceRequestTimeout,
		AckTimeout:              referenceAckTimeout,
		StateFile:               t.StateFile,
	}
	if t.KeyLogFile != "" {
		// Session secrets: readable by the owner only.
		f, err := os.OpenFile(t.KeyLogFile, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
		if err != nil {
			closeAll()
			return nil, fmt.Errorf("key log: %w", err)
		}
		closers = append(closers, f)
		opts.KeyLogWriter = f
	}
	c, err := client.New(opts)
	if err != nil {
		closeAll()
		return nil, err
	}
	runCtx, cancel := context.WithCancel(ctx)
	inst := &refInstance{cancel: cancel, out: out, done: make(chan struct{})}
	track(inst)
	go func() {
		err := c.Run(runCtx)
		cancel()
		closeAll()
		if inst.stopped.Load() {
			err = ErrStopped
		} else if err != nil {
			err = fmt.Errorf("reference client: %w", err)
		}
		inst.err = err
		untrack(inst)
		close(inst.done)
	}()
	return inst, nil
}

func logLevel(verbose bool) slog.Level {
	if verbose {
		return slog.LevelDebug
	}
	return slog.LevelInfo
}

// referenceModel provisions Security and Server instance 0 (SSID 101) from
// the Target, as a factory bootstrap would.
func referenceModel(t Target) (*model.Model, error) {
	if t.Bootstrap {
		return referenceBootstrapModel(t) // reference_bootstrap.go
	}
	m := model.New(t.Endpoint, t.LwM2M)
	sec := model.Security{
		URI:             t.ServerURI,
		ServerPublicKey: t.ServerPublicKey,
		ShortServerID:   referenceSSID,
		SNI:             t.SNI,
		CipherSuites:    t.CipherSuites,
	}
	if err := withAccountSecurity(&sec, t); err != nil {
		return nil, err
	}
	if err := m.PutSecurity(sec); err != nil {
		return nil, fmt.Errorf("provisioning /0/0: %w", err)
	}
	srv := model.Server{ShortServerID: referenceSSID, Lifetime: referenceLifetime, Binding: "U"}
	if t.Lifetime > 0 {
		srv.Lifetime = t.Lifetime
	}
	if err := m.PutServer(srv); err != nil {
		return nil, fmt.Errorf("provisioning /1/0: %w", err)
	}
	return m, nil
}

// refInstance is one running in-process reference client.
type refInstance struct {
	cancel   context.CancelFunc
	out      *outputBuffer
	done     chan struct{}
	err      error // set before done closes
	stopped  atomic.Bool
	stopOnce sync.Once
}

func (i *refInstance) Stop() error {
	i.stopOnce.Do(func() {
		select {
		case <-i.done: // it ended by itself: keep its own error
		default:
			i.stopped.Store(true)
		}
		i.cancel()
	})
	select {
	case <-i.done:
		return nil
	case <-time.After(referenceStopWait):
		return fmt.Errorf("reference client did not stop within %s", referenceStopWait)
	}
}

func (i *refInstance) Done() <-chan struct{} { return i.done }

func (i *refInstance) Err() error {
	select {
	case <-i.done:
		return i.err
	default:
		return nil
	}
}

func (i *refInstance) Output() string  { return i.out.String() }
func (i *refInstance) Command() string { return "" }

// withAccountSecurity fills a Security instance's mode, credentials and
// Certificate Usage from the Target: the same for a server account and a
// bootstrap account.
func withAccountSecurity(sec *model.Security, t Target) error {
	switch t.Mode {
	case "psk":
		sec.Mode = model.ModePSK
	case "cert":
		sec.Mode = model.ModeCertificate
	case "nosec":
		sec.Mode = model.ModeNoSec
	default:
		return fmt.Errorf("security mode %q: want cert, psk or nosec", t.Mode)
	}
	sec.PublicKeyOrIdentity, sec.SecretKey = t.credentials()
	if t.Usage >= 0 {
		u := t.Usage
		sec.CertUsage = &u
	}
	return nil
}
