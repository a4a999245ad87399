package runner

import (
	"context"
	"fmt"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// playScenario acts after the first Register and watches what follows:
//   - rebind: the proxy changes the SUT's source port as a NAT would; the
//     SUT's next Update (due within its short lifetime) must arrive;
//   - reboot: the server executes Reboot (/3/0/4); the SUT must register again;
//   - restart: the harness restarts the SUT with its persisted state; it
//     must register again.
//
// The wire checks (same session, resumed) then look at what followed.
func (cr *caseRun) playScenario(ctx context.Context) verdict.Observation {
	marker := len(cr.log.Events())
	cr.log.Add(events.Event{Kind: events.Note, Summary: "scenario: " + cr.c.Scenario,
		Fields: map[string]string{"what": "scenario", "scenario": cr.c.Scenario}})
	cfg := cr.stateConfig(true)
	start := time.Now()
	switch cr.c.Scenario {
	case "rebind":
		if cr.proxy == nil {
			return verdict.Observation{Outcome: verdict.Error, Detail: "rebind scenario needs the impairment proxy (impair: {})"}
		}
		// A NAT mapping changes on an idle path: let the Register response
		// reach the SUT first, or the rebinding would eat it.
		cr.waitFor(ctx, marker, time.Second, func(e events.Event) bool {
			// The proxy's own record event: the response has left it.
			return e.Kind == events.Record && e.Fields["dir"] == "down" && e.Fields["observer"] != "server"
		})
		if err := cr.proxy.Rebind(); err != nil {
			return verdict.Observation{Outcome: verdict.Error, Detail: "NAT rebinding: " + err.Error()}
		}
		// The SUT's next Update is due within its lifetime; without a CID
		// it may first have to notice the rebinding and shake hands again.
		cfg.timing.total = time.Duration(cr.c.SUT.Lifetime)*time.Second + cr.caps.RebindRecovery + 3*time.Second
	case "reboot":
		ep := cr.target.Endpoint
		if err := cr.srv.Execute(ctx, ep, lwm2m.NewPath(3, 0, 4), ""); err != nil {
			return verdict.Observation{Outcome: verdict.Error, Detail: "Execute /3/0/4: " + err.Error()}
		}
	case "restart":
		cr.inst().Stop()
		if err := cr.start(ctx); err != nil {
			return verdict.Observation{Outcome: verdict.Error, Detail: "SUT did not restart: " + err.Error()}
		}
		// A restarted SUT begins again: its start bound applies, and a
		// Register (not only an Update) shows it came back.
		start = cr.startedAt
	default:
		return verdict.Observation{Outcome: verdict.Error, Detail: fmt.Sprintf("unknown scenario %q", cr.c.Scenario)}
	}
	return watch(ctx, cr.log, cr.inst(), marker, cfg, start)
}

// waitFor waits until an event from index `from` on satisfies ok, or limit.
func (cr *caseRun) waitFor(ctx context.Context, from int, limit time.Duration, ok func(events.Event) bool) bool {
	deadline := time.NewTimer(limit)
	defer deadline.Stop()
	for {
		changed := cr.log.Changed()
		for _, e := range cr.log.Events()[from:] {
			if ok(e) {
				return true
			}
		}
		select {
		case <-changed:
		case <-deadline.C:
			return false
		case <-ctx.Done():
			return false
		}
	}
}
