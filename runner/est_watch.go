package runner

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/servers/est"
	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// estAllowance is what an est case adds to the SUT's start bound: a
// bootstrap, EST requests, a retry after a faulty answer or a Max-Age.
const estAllowance = 10 * time.Second

// faultDecides reports whether the case's decision is about a faulty EST
// answer: every fault but retry-later, which a client must follow.
func (cr *caseRun) faultDecides() bool {
	e := cr.c.EST
	return e.Fault != "" && e.Fault != est.FaultRetryLater
}

// estWatch decides an est case at the LwM2M server: the generic state
// machine on its timeline (accepted = a Register on a handshake) for the
// enrollment cases, estFaultWatch for a faulty answer.
func (cr *caseRun) estWatch(ctx context.Context, p *estPeers) verdict.Observation {
	if cr.faultDecides() {
		return cr.estFaultWatch(ctx, p)
	}
	cfg := cr.stateConfig(false)
	cfg.timing.start += estAllowance + time.Duration(cr.c.EST.MaxAge)*time.Second
	cfg.timing.total += estAllowance
	return watch(ctx, p.lwLog, cr.inst(), 0, cfg, cr.startedAt)
}

// estFaultWatch decides a case whose first EST answer to one operation was
// faulty. The SUT accepted the fault if it went on as if the answer were
// good before asking for that operation again: it contacted the LwM2M
// server (a faulty sen or sren: its first ClientHello), or completed a
// handshake with it (a faulty crts: the anchors judge the server). It
// rejected the fault if it asked again first (then the case waits for the
// Register the good answer allows, for the detail), or kept running
// without using anything until the case bound. Only the window between
// the faulty answer and the next request is read, so traffic that the
// fault cannot have caused never decides.
func (cr *caseRun) estFaultWatch(ctx context.Context, p *estPeers) verdict.Observation {
	op := cr.c.EST.FaultOp
	if op == "" {
		op = "sen"
	}
	fault := cr.c.EST.Fault
	start := cr.startedAt
	bound := time.NewTimer(time.Until(start.Add(cr.timing().total + estAllowance)))
	defer bound.Stop()
	done := cr.inst().Done()
	decide := func(o verdict.Observation, by string) verdict.Observation {
		o.DecidedBy, o.DecidedAt = by, time.Since(start).Round(time.Millisecond)
		return o
	}
	for {
		bsChanged, lwChanged := p.bsLog.Changed(), p.lwLog.Changed()
		bs := p.bsLog.Events()
		if o, ok := judgeFault(bs, p.lwLog.Events(), op, fault); ok {
			return decide(o, o.DecidedBy)
		}
		faulty := faultAt(bs, op)
		again, againAt := nextRequest(bs, op, faulty)
		select {
		case <-bsChanged:
		case <-lwChanged:
		case <-done:
			ex := exitOf(cr.inst().Err())
			return decide(verdict.Observation{Outcome: verdict.Crashed, Exit: ex.status,
				Detail: fmt.Sprintf("the SUT ended after the faulty /%s answer (%s): %s", op, fault, ex.status)}, "exit")
		case <-bound.C:
			detail := fmt.Sprintf("the SUT used nothing from the faulty /%s answer (%s) and kept running, without asking again within the case bound", op, fault)
			if again {
				detail = fmt.Sprintf("the SUT refused the faulty /%s answer (%s) and asked again %s later, but did not register within the case bound",
					op, fault, againAt.Sub(faulty).Round(time.Millisecond))
			}
			return decide(verdict.Observation{Outcome: verdict.Rejected, Silent: !again, Detail: detail}, "case bound")
		case <-ctx.Done():
			return verdict.Observation{Outcome: verdict.Error, Detail: "run cancelled: " + ctx.Err().Error(), DecidedBy: "cancel"}
		}
	}
}

// judgeFault reads the window between the faulty answer to op and the
// next request for op (see estFaultWatch); ok is false while undecided.
func judgeFault(bs, lw []events.Event, op, fault string) (verdict.Observation, bool) {
	use := events.ClientHello // a certificate is used from the first flight on
	if op == "crts" {
		use = events.HandshakeDone // anchors are used to accept the server
	}
	faulty := faultAt(bs, op)
	if faulty.IsZero() {
		return verdict.Observation{}, false
	}
	again, againAt := nextRequest(bs, op, faulty)
	good, goodAt := goodAnswer(bs, op)
	for _, e := range lw {
		if e.Kind == use && e.Time.After(faulty) && (!again || e.Time.Before(againAt)) {
			return verdict.Observation{Outcome: verdict.Accepted, DecidedBy: string(use), Detail: fmt.Sprintf(
				"after the faulty /%s answer (%s), without asking again, the SUT went on to the LwM2M server: %s", op, fault, e.Summary)}, true
		}
		if e.Kind == events.Register && again && good && e.Time.After(goodAt) {
			return verdict.Observation{Outcome: verdict.Rejected, DecidedBy: "register after a good answer", Detail: fmt.Sprintf(
				"the SUT refused the faulty /%s answer (%s), asked again %s later and registered with what the good answer gave",
				op, fault, againAt.Sub(faulty).Round(time.Millisecond))}, true
		}
	}
	return verdict.Observation{}, false
}

// nextRequest is the first new request for op after the faulty answer
// went out at faulty (a Block2 continuation of that answer is not one).
func nextRequest(bs []events.Event, op string, faulty time.Time) (bool, time.Time) {
	if faulty.IsZero() {
		return false, time.Time{}
	}
	for _, e := range estExchanges(bs, op) {
		if e.Time.After(faulty) && e.Fields["fault"] == "" && (e.Fields["block2"] == "" || strings.HasPrefix(e.Fields["block2"], "0/")) {
			return true, e.Time
		}
	}
	return false, time.Time{}
}

// goodAnswer finds the first good answer to op: 2.04 (sen, sren) or 2.05
// (crts) without a fault, and when it was sent.
func goodAnswer(bs []events.Event, op string) (bool, time.Time) {
	for _, e := range estExchanges(bs, op) {
		if e.Fields["fault"] == "" && (e.Fields["code"] == "2.04" || e.Fields["code"] == "2.05") {
			return true, e.Time
		}
	}
	return false, time.Time{}
}

// faultAt is when the faulty answer to op went out.
func faultAt(bs []events.Event, op string) time.Time {
	for _, e := range estExchanges(bs, op) {
		if e.Fields["fault"] != "" {
			return e.Time
		}
	}
	return time.Time{}
}

// estExchanges are the EST events of op ("" = every op).
func estExchanges(evs []events.Event, op string) []events.Event {
	var out []events.Event
	for _, e := range evs {
		if e.Kind == events.Request && e.Fields["what"] == "est" && (op == "" || e.Fields["op"] == op) {
			out = append(out, e)
		}
	}
	return out
}
