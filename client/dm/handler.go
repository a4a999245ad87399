package dm

import (
	"errors"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/lwm2m-conform/lwm2m-conform/client/model"
	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
	"github.com/plgd-dev/go-coap/v3/message"
	"github.com/plgd-dev/go-coap/v3/message/codes"
	"github.com/plgd-dev/go-coap/v3/mux"
)

// Handler serves the LwM2M requests arriving on a client connection.
type Handler struct {
	m     *model.Model
	log   *slog.Logger
	attrs *attrStore
	obs   *observations
	seq   atomic.Uint32 // last Observe sequence number

	mu          sync.Mutex
	bootstrap   bool         // guarded by mu
	finish      func() error // guarded by mu
	ssid        uint16       // guarded by mu
	confirmable bool         // guarded by mu

	unsubscribe func()
}

// New returns a handler over m; log may be nil.
func New(m *model.Model, log *slog.Logger) *Handler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	h := &Handler{m: m, log: log, attrs: newAttrStore()}
	h.obs = newObservations(h)
	h.unsubscribe = m.Subscribe(h.modelChanged)
	return h
}

// SetBootstrapMode switches the Bootstrap interface on or off. While on,
// requests are Bootstrap-Write, -Read, -Discover, -Delete (Security
// object included) and Bootstrap-Finish (POST /bs); other operations are
// 4.05.
func (h *Handler) SetBootstrapMode(on bool) {
	h.mu.Lock()
	h.bootstrap = on
	h.mu.Unlock()
}

// BootstrapMode reports whether the Bootstrap interface is active.
func (h *Handler) BootstrapMode() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.bootstrap
}

// OnBootstrapFinish sets the check Bootstrap-Finish runs. An error is
// answered 4.06 Not Acceptable (Core 1.1 §6.1.7.6) and bootstrap mode
// stays on; success is 2.04 and ends bootstrap mode. Without a check the
// handler uses model.CheckServerAccounts.
func (h *Handler) OnBootstrapFinish(fn func() error) {
	h.mu.Lock()
	h.finish = fn
	h.mu.Unlock()
}

// SetShortServerID names the server this handler serves: its Server
// instance's Default Minimum and Maximum Period (/1/x/2, /1/x/3) apply to
// observations without pmin or pmax attributes.
func (h *Handler) SetShortServerID(ssid uint16) {
	h.mu.Lock()
	h.ssid = ssid
	h.mu.Unlock()
}

// SetConfirmableNotifications makes notifications CON (default NON, as
// Anjay and Californium-based clients send them). A CON notification the
// server does not acknowledge ends its observation (RFC 7641 §4.5).
func (h *Handler) SetConfirmableNotifications(on bool) {
	h.mu.Lock()
	h.confirmable = on
	h.mu.Unlock()
}

// CancelObservations ends every observation and forgets the attributes
// written by the server, e.g. on re-registration, when the server's
// state is gone. Notification timers are stopped when it returns.
func (h *Handler) CancelObservations() {
	h.obs.cancelAll()
	h.attrs.clear()
}

// Close cancels all observations and detaches the handler from the model.
func (h *Handler) Close() {
	h.unsubscribe()
	h.CancelObservations()
}

// ServeCOAP implements mux.Handler.
func (h *Handler) ServeCOAP(w mux.ResponseWriter, r *mux.Message) {
	if r.Type() == message.Reset {
		// A Reset answers a notification the server no longer wants.
		h.obs.reset(w.Conn(), r.MessageID())
		return
	}
	if r.Code() == codes.Empty {
		return
	}
	segs, err := uriPath(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if h.BootstrapMode() {
		h.serveBootstrap(w, r, segs)
		return
	}
	p, err := lwm2mPath(segs)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	switch r.Code() {
	case codes.GET:
		h.get(w, r, p)
	case codes.PUT:
		h.put(w, r, p)
	case codes.POST:
		h.post(w, r, p)
	case codes.DELETE:
		h.delete(w, r, p)
	default:
		h.fail(w, r, status(codes.MethodNotAllowed, "method %v is not supported", r.Code()))
	}
}

// uriPath returns the Uri-Path segments; none is the root.
func uriPath(r *mux.Message) ([]string, error) {
	n := 0
	for _, o := range r.Options() {
		if o.ID == message.URIPath {
			n++
		}
	}
	segs := make([]string, n)
	if n == 0 {
		return segs, nil
	}
	got, err := r.Options().GetStrings(message.URIPath, segs)
	if err != nil && !errors.Is(err, message.ErrOptionNotFound) {
		return nil, status(codes.BadOption, "Uri-Path: %v", err)
	}
	return segs[:got], nil
}

// lwm2mPath parses Uri-Path segments as an LwM2M path; anything else is
// not a resource of the client (4.04).
func lwm2mPath(segs []string) (lwm2m.Path, error) {
	if slices.Contains(segs, "") {
		return lwm2m.Path{}, status(codes.NotFound, "empty Uri-Path segment")
	}
	s := "/"
	for i, seg := range segs {
		if i > 0 {
			s += "/"
		}
		s += seg
	}
	p, err := lwm2m.ParsePath(s)
	if err != nil {
		return lwm2m.Path{}, status(codes.NotFound, "%v", err)
	}
	return p, nil
}

// modelChanged feeds observations, and forgets attributes of instances
// that no longer exist.
func (h *Handler) modelChanged(p lwm2m.Path) {
	if p.Len() == 2 && !slices.Contains(h.m.Instances(p.Obj()), p.Inst()) {
		h.attrs.dropBelow(p)
	}
	h.obs.changed(p)
}

// settings returns the mode-dependent settings under one lock.
func (h *Handler) settings() (ssid uint16, confirmable bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.ssid, h.confirmable
}
