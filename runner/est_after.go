package runner

import (
	"context"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// srenSlack is how long after its due time the case waits for a /sren.
const srenSlack = 3 * time.Second

// estAfterAccept plays what follows an accepted est case: a restart with
// the persisted state (a Register must follow), or the wait for the
// re-enrollment the case's sren checks judge.
func (cr *caseRun) estAfterAccept(ctx context.Context, p *estPeers, obs verdict.Observation) verdict.Observation {
	if cr.c.Scenario == "restart" {
		marker := len(p.lwLog.Events())
		p.lwLog.Add(events.Event{Kind: events.Note, Summary: "scenario: restart",
			Fields: map[string]string{"what": "scenario", "scenario": "restart"}})
		cr.inst().Stop()
		if err := cr.start(ctx); err != nil {
			return verdict.Observation{Outcome: verdict.Error, Detail: "SUT did not restart: " + err.Error()}
		}
		cfg := cr.stateConfig(true)
		cfg.timing.start += estAllowance
		obs = watch(ctx, p.lwLog, cr.inst(), marker, cfg, cr.startedAt)
	}
	if cr.c.HasESTCheck("sren-timing") || cr.c.HasESTCheck("sren-subject") || cr.c.HasESTCheck("sren-auth") {
		cr.waitSren(ctx, p)
	}
	return obs
}

// waitSren waits for the first good /sren answer, at most until
// srenSlack after it is due by seed 002's default rule.
func (cr *caseRun) waitSren(ctx context.Context, p *estPeers) {
	iss, ok := firstGoodIssuance(p.bsLog.Events())
	if !ok {
		return
	}
	limit := time.Until(srenDue(iss).Add(srenSlack))
	deadline := time.NewTimer(max(limit, 0))
	defer deadline.Stop()
	for {
		changed := p.bsLog.Changed()
		if ok, _ := goodAnswer(p.bsLog.Events(), "sren"); ok {
			return
		}
		select {
		case <-changed:
		case <-deadline.C:
			return
		case <-cr.inst().Done():
			return
		case <-ctx.Done():
			return
		}
	}
}
