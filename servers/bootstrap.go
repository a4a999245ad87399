package servers

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"

	"github.com/plgd-dev/go-coap/v3/message"
	"github.com/plgd-dev/go-coap/v3/message/codes"
	"github.com/plgd-dev/go-coap/v3/message/pool"
	"github.com/plgd-dev/go-coap/v3/net/responsewriter"
	udpClient "github.com/plgd-dev/go-coap/v3/udp/client"

	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
)

// DefaultBootstrapTimeout bounds one client's whole bootstrap sequence.
const DefaultBootstrapTimeout = 60 * time.Second

// BootstrapWrite is one Bootstrap-Write: the records of an object instance
// (e.g. /0/1 or /1/0) written with PUT.
type BootstrapWrite struct {
	Path    lwm2m.Path
	Records []lwm2m.Record
	// Optional: a refusal is recorded and the sequence goes on, for
	// resources a client may not implement (the 1.1 registration-failure
	// resources of /1/x, which a 1.0 client answers 4.04).
	Optional bool
}

// BootstrapConfig configures the harness bootstrap server.
type BootstrapConfig struct {
	Config
	// Provision says what to write to the client with endpoint ep.
	Provision func(ep string) ([]BootstrapWrite, error)
	// DeleteAll sends Bootstrap-Delete of "/" before the writes.
	DeleteAll bool
	// Format of the writes: message.AppLwm2mTLV (default) or
	// message.AppSenmlCbor.
	Format message.MediaType
	// Timeout bounds one client's sequence; default DefaultBootstrapTimeout.
	Timeout time.Duration
	// Mount, when set, serves another protocol on the same endpoint and
	// sessions (the EST-coaps server of servers/est); it sees each message
	// first.
	Mount Mount
}

// Bootstrap is the harness bootstrap server. On Bootstrap-Request
// (POST /bs?ep=X) it answers 2.04, then optionally deletes "/", performs the
// provisioned writes and sends Bootstrap-Finish (POST /bs), recording
// BootstrapReq and BootstrapDone events.
type Bootstrap struct {
	cfg    BootstrapConfig
	rec    *recorder
	t      *transport
	after  *afterResponse
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu      sync.Mutex
	closed  bool
	results map[string]error // outcome of the latest finished bootstrap per endpoint
	waiters map[string][]chan error
}

// StartBootstrap listens on cfg.Addr and serves until Close or until ctx is
// done.
func StartBootstrap(ctx context.Context, cfg BootstrapConfig) (*Bootstrap, error) {
	if cfg.Provision == nil {
		return nil, errors.New("servers: BootstrapConfig.Provision is nil")
	}
	switch cfg.Format {
	case 0:
		cfg.Format = message.AppLwm2mTLV
	case message.AppLwm2mTLV, message.AppSenmlCbor:
	default:
		return nil, fmt.Errorf("servers: bootstrap write format %v is not TLV or SenML CBOR", cfg.Format)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultBootstrapTimeout
	}
	bctx, cancel := context.WithCancel(context.Background())
	b := &Bootstrap{
		cfg:     cfg,
		rec:     newRecorder(cfg.Events, cfg.Logger),
		after:   newAfterResponse(),
		ctx:     bctx,
		cancel:  cancel,
		results: map[string]error{},
		waiters: map[string][]chan error{},
	}
	b.after.mount = cfg.Mount
	t, err := startTransport(ctx, cfg.Config, b.rec, b.handle, b.after)
	if err != nil {
		cancel()
		return nil, err
	}
	b.t = t
	b.rec.add(time.Now(), events.Note, "bootstrap server listening on "+t.addr.String()+" ("+securityName(cfg.Config)+")",
		map[string]string{"what": "listening", "addr": t.addr.String(), "security": securityName(cfg.Config)})
	return b, nil
}

// Addr is the UDP address the server listens on.
func (b *Bootstrap) Addr() *net.UDPAddr { return b.t.addr }

// Close aborts running bootstrap sequences and stops the server.
func (b *Bootstrap) Close() error {
	b.mu.Lock()
	b.closed = true
	b.mu.Unlock()
	b.cancel()
	err := b.t.Close()
	b.wg.Wait()
	return err
}

// Finished delivers the outcome of ep's bootstrap: nil when the client
// answered Bootstrap-Finish with 2.04. It reports the latest finished
// sequence, or the next one if ep has not finished yet.
func (b *Bootstrap) Finished(ep string) <-chan error {
	ch := make(chan error, 1)
	b.mu.Lock()
	defer b.mu.Unlock()
	if err, ok := b.results[ep]; ok {
		ch <- err
		return ch
	}
	b.waiters[ep] = append(b.waiters[ep], ch)
	return ch
}

func (b *Bootstrap) finish(ep string, err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.results[ep] = err
	for _, ch := range b.waiters[ep] {
		ch <- err
	}
	delete(b.waiters, ep)
}

func (b *Bootstrap) handle(w *responsewriter.ResponseWriter[*udpClient.Conn], r *pool.Message) {
	at := time.Now()
	req, err := readRequest(w, r)
	if err != nil {
		respond(w, codes.BadRequest)
		return
	}
	f := req.fields()
	ep := req.query["ep"]
	if req.path != "/bs" || req.method != codes.POST || ep == "" {
		respond(w, codes.NotFound)
		f["code"] = codeText(codes.NotFound)
		b.rec.add(at, events.Request, fmt.Sprintf("%s %s from %s: 4.04", req.method, req.path, req.remote), f)
		return
	}
	respond(w, codes.Changed)
	f["ep"], f["code"] = ep, codeText(codes.Changed)
	if pct, ok := req.query["pct"]; ok {
		f["pct"] = pct
	}
	b.rec.add(at, events.BootstrapReq, fmt.Sprintf("Bootstrap-Request %s from %s", ep, req.remote), f)
	cc := w.Conn()
	b.after.add(cc, func() { b.spawn(func() { b.finish(ep, b.provision(cc, ep, req)) }) })
}

// spawn runs f in a goroutine Close waits for, unless Close has begun.
func (b *Bootstrap) spawn(f func()) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return
	}
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		f()
	}()
}

// provision runs the Delete/Write/Finish sequence for ep.
func (b *Bootstrap) provision(cc *udpClient.Conn, ep string, req request) error {
	fail := func(err error) error {
		b.rec.add(time.Now(), events.Note, fmt.Sprintf("bootstrap of %s failed: %v", ep, err),
			map[string]string{"what": "bootstrap_failed", "ep": ep, "error": err.Error(), "remote": req.remote})
		return err
	}
	writes, err := b.cfg.Provision(ep)
	if err != nil {
		return fail(fmt.Errorf("servers: provisioning %q: %w", ep, err))
	}
	// The bound starts once the writes are known: a long-lived server's
	// Provision may hold a device until a case needs it.
	ctx, cancel := context.WithTimeout(b.ctx, b.cfg.Timeout)
	defer cancel()
	if b.cfg.DeleteAll {
		resp, err := cc.Delete(ctx, "/")
		if err := b.step(resp, err, cc, ep, "Bootstrap-Delete", "/", codes.Deleted); err != nil {
			return fail(err)
		}
	}
	for _, wr := range writes {
		payload, err := lwm2m.Encode(b.cfg.Format, wr.Path, wr.Records)
		if err != nil {
			return fail(fmt.Errorf("servers: encoding Bootstrap-Write %s: %w", wr.Path, err))
		}
		resp, err := cc.Put(ctx, wr.Path.String(), b.cfg.Format, bytes.NewReader(payload))
		err = b.step(resp, err, cc, ep, "Bootstrap-Write", wr.Path.String(), codes.Changed)
		var se *StatusError
		if wr.Optional && errors.As(err, &se) {
			continue // answered, and recorded by step: the client lacks it
		}
		if err != nil {
			return fail(err)
		}
	}
	resp, err := cc.Post(ctx, "/bs", 0, nil)
	f := map[string]string{"ep": ep, "remote": req.remote}
	if req.session != "" {
		f["session"] = req.session
	}
	if err != nil {
		f["error"] = err.Error()
		b.rec.add(time.Now(), events.BootstrapDone, fmt.Sprintf("Bootstrap-Finish to %s: no answer: %v", ep, err), f)
		return fmt.Errorf("servers: Bootstrap-Finish to %q: %w", ep, err)
	}
	code := resp.Code()
	cc.ReleaseMessage(resp)
	f["code"] = codeText(code)
	b.rec.add(time.Now(), events.BootstrapDone, fmt.Sprintf("Bootstrap-Finish to %s: %v", ep, code), f)
	if code != codes.Changed {
		return &StatusError{Op: "Bootstrap-Finish", Path: "/bs", Code: code, Want: codes.Changed}
	}
	return nil
}

// step records one Delete/Write and checks its response.
func (b *Bootstrap) step(resp *pool.Message, err error, cc *udpClient.Conn, ep, op, path string, want codes.Code) error {
	if err != nil {
		return fmt.Errorf("servers: %s %s to %q: %w", op, path, ep, err)
	}
	code := resp.Code()
	cc.ReleaseMessage(resp)
	b.rec.add(time.Now(), events.Note, fmt.Sprintf("%s %s to %s: %v", op, path, ep, code),
		map[string]string{"what": "bootstrap_step", "op": op, "path": path, "ep": ep, "code": codeText(code)})
	if code != want {
		return &StatusError{Op: op, Path: path, Code: code, Want: want}
	}
	return nil
}
