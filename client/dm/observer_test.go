package dm

import (
	"testing"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
	"github.com/plgd-dev/go-coap/v3/message"
	"github.com/plgd-dev/go-coap/v3/message/pool"
	"github.com/plgd-dev/go-coap/v3/mux"
)

// note is one message an observer received and when.
type note struct {
	at  time.Time
	r   resp
	typ message.Type
}

// observer records what arrives for one observation.
type observer struct {
	t     *testing.T
	path  string
	ch    chan note
	obs   mux.Observation
	first note
}

// observe registers an observation and returns after the first response.
func (e *env) observe(p string, opts ...message.Option) *observer {
	e.t.Helper()
	o := &observer{t: e.t, path: p, ch: make(chan note, 64)}
	obs, err := e.srv.Observe(ctx(e.t), p, func(m *pool.Message) {
		o.ch <- note{at: time.Now(), r: toResp(e.t, m), typ: m.Type()}
	}, opts...)
	if err != nil {
		e.t.Fatalf("observe %s: %v", p, err)
	}
	o.obs = obs
	o.first = o.next(time.Second)
	if o.first.r.observe < 0 {
		e.t.Fatalf("observe %s: first response without Observe option (%v)", p, o.first.r.code)
	}
	return o
}

// next waits up to within for the next message.
func (o *observer) next(within time.Duration) note {
	o.t.Helper()
	select {
	case n := <-o.ch:
		return n
	case <-time.After(within):
		o.t.Fatalf("observe %s: nothing within %v", o.path, within)
	}
	return note{}
}

// none asserts that nothing arrives for d.
func (o *observer) none(d time.Duration) {
	o.t.Helper()
	select {
	case n := <-o.ch:
		o.t.Fatalf("observe %s: unexpected notification %v %q", o.path, n.r.code, n.r.body)
	case <-time.After(d):
	}
}

// value decodes a single-value notification as text.
func (o *observer) value(n note) string {
	o.t.Helper()
	recs := decodeResp(o.t, n.r, o.path)
	if len(recs) != 1 {
		o.t.Fatalf("observe %s: %d records", o.path, len(recs))
	}
	return recs[0].Value.String()
}

func (e *env) setInt(p string, v int64) {
	e.t.Helper()
	if err := e.m.Set(mustPath(e.t, p), lwm2m.Int(v)); err != nil {
		e.t.Fatal(err)
	}
}
