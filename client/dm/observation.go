package dm

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/client/model"
	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
	"github.com/plgd-dev/go-coap/v3/message"
	"github.com/plgd-dev/go-coap/v3/message/codes"
)

// observation is one server's observation of a path. Its run loop owns
// the notification state; other goroutines only poke it or stop it.
type observation struct {
	h      *Handler
	key    obsKey
	path   lwm2m.Path
	format message.MediaType

	ctx      context.Context
	cancel   context.CancelFunc
	pokeCh   chan struct{}
	done     chan struct{}
	firstSeq uint32

	midMu sync.Mutex
	mids  [8]int32 // message ids of the latest notifications, for Reset
	midN  int

	// Loop state.
	lastSent time.Time
	lastRecs []lwm2m.Record
	lastEval time.Time
	pending  bool // a change met the conditions and waits for pmin
	evalDue  bool // a change waits for epmin before it is evaluated
	finished bool
}

func newObservation(h *Handler, key obsKey, p lwm2m.Path, format message.MediaType, recs []lwm2m.Record) *observation {
	ctx, cancel := context.WithCancel(key.conn.Context())
	now := time.Now()
	o := &observation{
		h: h, key: key, path: p, format: format,
		ctx: ctx, cancel: cancel,
		pokeCh:   make(chan struct{}, 1),
		done:     make(chan struct{}),
		firstSeq: h.nextSeq(),
		lastSent: now, lastRecs: recs, lastEval: now,
	}
	for i := range o.mids {
		o.mids[i] = -1
	}
	return o
}

// poke tells the loop that the observed values or attributes may have
// changed; it never blocks.
func (o *observation) poke() {
	select {
	case o.pokeCh <- struct{}{}:
	default:
	}
}

// stop ends the loop and waits until its timer is stopped.
func (o *observation) stop() {
	o.cancel()
	<-o.done
}

func (o *observation) recordMID(mid int32) {
	o.midMu.Lock()
	o.mids[o.midN%len(o.mids)] = mid
	o.midN++
	o.midMu.Unlock()
}

func (o *observation) sentMID(mid int32) bool {
	o.midMu.Lock()
	defer o.midMu.Unlock()
	for _, m := range o.mids {
		if m == mid {
			return true
		}
	}
	return false
}

// run notifies until the observation is cancelled, the connection closes,
// a notification cannot be sent or the observed path disappears.
func (o *observation) run() {
	defer close(o.done)
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()
	for {
		a := o.h.effectiveAttrs(o.path)
		o.step(a, time.Now())
		if o.finished {
			o.h.obs.detach(o)
			return
		}
		var wake <-chan time.Time
		if at := o.nextWake(a); !at.IsZero() {
			timer.Reset(time.Until(at))
			wake = timer.C
		}
		select {
		case <-o.ctx.Done():
			o.h.obs.detach(o)
			return
		case <-o.pokeCh:
			o.evalDue = true
		case <-wake:
		}
		timer.Stop()
	}
}

// periods returns the effective pmin and pmax (0 = none). A pmax below
// pmin is ignored (Core 1.1 §5.1.2).
func periods(a Attributes) (pmin, pmax time.Duration) {
	if a.Pmin != nil {
		pmin = *a.Pmin
	}
	if a.Pmax != nil && *a.Pmax >= pmin {
		pmax = *a.Pmax
	}
	return pmin, pmax
}

// step does what is due at now: evaluate changes (no more often than
// epmin, at least every epmax), send a notification for a qualifying
// change once pmin has passed, and send one anyway when pmax has passed.
func (o *observation) step(a Attributes, now time.Time) {
	pmin, pmax := periods(a)
	if o.evalDue && (a.Epmin == nil || !now.Before(o.lastEval.Add(*a.Epmin))) {
		o.evalDue = false
		o.evaluate(a, now)
	}
	if a.Epmax != nil && *a.Epmax > 0 && !now.Before(o.lastEval.Add(*a.Epmax)) {
		o.evaluate(a, now)
	}
	if o.finished {
		return
	}
	switch {
	case o.pending && !now.Before(o.lastSent.Add(pmin)):
		o.notify(now, true)
	case pmax > 0 && !now.Before(o.lastSent.Add(pmax)):
		o.notify(now, false)
	}
}

// nextWake is when step has something to do next; zero for never.
func (o *observation) nextWake(a Attributes) time.Time {
	pmin, pmax := periods(a)
	var at time.Time
	earliest := func(t time.Time) {
		if at.IsZero() || t.Before(at) {
			at = t
		}
	}
	if o.evalDue && a.Epmin != nil {
		earliest(o.lastEval.Add(*a.Epmin))
	}
	if a.Epmax != nil && *a.Epmax > 0 {
		earliest(o.lastEval.Add(*a.Epmax))
	}
	if o.pending {
		earliest(o.lastSent.Add(pmin))
	}
	if pmax > 0 {
		earliest(o.lastSent.Add(pmax))
	}
	return at
}

// evaluate reads the observed values and marks a notification pending
// when they changed in a way the attributes ask to be told about.
func (o *observation) evaluate(a Attributes, now time.Time) {
	o.lastEval = now
	recs, ok := o.readOrEnd()
	if !ok {
		return
	}
	if lwm2m.RecordsEqual(recs, o.lastRecs) {
		return
	}
	if o.path.Len() >= 3 && a.hasThresholds() && !thresholdsMet(a, o.lastRecs, recs) {
		return
	}
	o.pending = true
}

// notify sends the current values. With onlyIfChanged it skips values
// equal to the last notification (a change that reverted within pmin).
func (o *observation) notify(now time.Time, onlyIfChanged bool) {
	o.pending = false
	recs, ok := o.readOrEnd()
	if !ok {
		return
	}
	if onlyIfChanged && lwm2m.RecordsEqual(recs, o.lastRecs) {
		return
	}
	payload, err := lwm2m.Encode(o.format, o.path, recs)
	if err == nil {
		err = o.send(codes.Content, payload)
	}
	if err != nil {
		if o.ctx.Err() == nil {
			o.h.log.Warn("lwm2m notification failed, observation ended", "path", o.path.String(), "error", err)
		}
		o.finished = true
		return
	}
	o.lastSent, o.lastRecs = now, recs
}

// readOrEnd reads the observed path. When it no longer exists the server
// gets a 4.04 notification and the observation ends.
func (o *observation) readOrEnd() ([]lwm2m.Record, bool) {
	recs, err := o.h.m.Read(o.path)
	if err == nil {
		return recs, true
	}
	o.finished = true
	o.h.obs.detach(o) // gone before the server hears of it
	code := codeOf(err)
	if errors.Is(err, model.ErrNotFound) {
		code = codes.NotFound
	}
	if sendErr := o.send(code, nil); sendErr != nil && o.ctx.Err() == nil {
		o.h.log.Debug("lwm2m final notification failed", "path", o.path.String(), "error", sendErr)
	}
	return nil, false
}

// thresholdsMet applies gt, lt and st (Core 1.1 §5.1.2) to a numeric
// resource: notify when the value crossed gt or lt since the last
// notification, or moved by at least st. A value that is not numeric
// always qualifies.
func thresholdsMet(a Attributes, prev, cur []lwm2m.Record) bool {
	if len(prev) != 1 || len(cur) != 1 {
		return true
	}
	p, ok1 := model.Numeric(prev[0].Value)
	c, ok2 := model.Numeric(cur[0].Value)
	if !ok1 || !ok2 {
		return true
	}
	if a.Gt != nil && (p <= *a.Gt) != (c <= *a.Gt) {
		return true
	}
	if a.Lt != nil && (p < *a.Lt) != (c < *a.Lt) {
		return true
	}
	if a.St != nil && abs(c-p) >= *a.St {
		return true
	}
	return false
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}
