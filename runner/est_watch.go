package runner

import (
	"context"
	"fmt"
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
// good: it contacted the LwM2M server before any good answer (a faulty
// sen or sren), or completed a handshake with it before a good crts. It
// rejected it if it asked again and registered with what the good answer
// gave, or kept running without using anything until the case bound.
func (cr *caseRun) estFaultWatch(ctx context.Context, p *estPeers) verdict.Observation {
	op := cr.c.EST.FaultOp
	if op == "" {
		op = "sen"
	}
	use := events.ClientHello // a certificate is used from the first flight on
	if op == "crts" {
		use = events.HandshakeDone // anchors are used to accept the server
	}
	start := cr.startedAt
	bound := time.NewTimer(time.Until(start.Add(timingFor(cr.caps, cr.timeouts(), cr.caseTimeout()).total + estAllowance)))
	defer bound.Stop()
	done := cr.inst().Done()
	decide := func(o verdict.Observation, by string) verdict.Observation {
		o.DecidedBy, o.DecidedAt = by, time.Since(start).Round(time.Millisecond)
		return o
	}
	for {
		bsChanged, lwChanged := p.bsLog.Changed(), p.lwLog.Changed()
		good, goodAt := goodAnswer(p.bsLog.Events(), op)
		for _, e := range p.lwLog.Events() {
			if e.Kind == use && (!good || e.Time.Before(goodAt)) {
				return decide(verdict.Observation{Outcome: verdict.Accepted, Detail: fmt.Sprintf(
					"after the faulty /%s answer (%s) and before any good one, the SUT went on to the LwM2M server: %s", op, cr.c.EST.Fault, e.Summary)}, string(use))
			}
			if e.Kind == events.Register && good {
				return decide(verdict.Observation{Outcome: verdict.Rejected, Detail: fmt.Sprintf(
					"the SUT refused the faulty /%s answer (%s), asked again %s later and registered with what the good answer gave",
					op, cr.c.EST.Fault, goodAt.Sub(faultAt(p.bsLog.Events(), op)).Round(time.Millisecond))}, "register after a good answer")
			}
		}
		select {
		case <-bsChanged:
		case <-lwChanged:
		case <-done:
			ex := exitOf(cr.inst().Err())
			return decide(verdict.Observation{Outcome: verdict.Crashed, Exit: ex.status,
				Detail: fmt.Sprintf("the SUT ended after the faulty /%s answer (%s): %s", op, cr.c.EST.Fault, ex.status)}, "exit")
		case <-bound.C:
			return decide(verdict.Observation{Outcome: verdict.Rejected, Silent: true, Detail: fmt.Sprintf(
				"the SUT used nothing from the faulty /%s answer (%s) and kept running, without enrolling again within the case bound", op, cr.c.EST.Fault)}, "case bound")
		case <-ctx.Done():
			return verdict.Observation{Outcome: verdict.Error, Detail: "run cancelled: " + ctx.Err().Error(), DecidedBy: "cancel"}
		}
	}
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
