package runner

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/lwm2m-conform/lwm2m-conform/sut"
	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// executeEST runs an est case: the harness bootstrap server (certificate
// mode, the case's Peer) with the EST-coaps server on its endpoint, the
// LwM2M server the bootstrap server points the SUT to (Security Mode 4),
// and the SUT started knowing only its bootstrap account. The decision is
// taken at the LwM2M server (estWatch); restart and re-enrollment follow
// an acceptance; the two servers' timelines are merged into the case's.
func (cr *caseRun) executeEST(ctx context.Context) (verdict.Observation, error) {
	c := cr.c
	if !cr.caps.EST {
		return verdict.Observation{}, &sut.SkipError{Reason: "the SUT profile does not declare est"}
	}
	if bt, ok := cr.Adapter.(sut.BootstrapTarget); !ok || !bt.BootstrapTargets() {
		return verdict.Observation{}, &sut.SkipError{Reason: "the " + cr.Adapter.Name() +
			" adapter cannot start its SUT knowing only a certificate-mode bootstrap account, which the est cases need" +
			" (an exec profile can when its templates name {{.Bootstrap}}, see fixtures/sut/README.md)"}
	}
	dir, cleanup, err := cr.caseDir()
	if err != nil {
		return verdict.Observation{}, err
	}
	defer cleanup()
	p, err := startESTPeers(ctx, cr, dir)
	if err != nil {
		return verdict.Observation{}, err
	}
	defer cr.mergeEST(p)         // after the peers are closed (deferred later, so run earlier)
	defer cr.embedLwM2MKeys(dir) // the same: the LwM2M server's capture is complete then
	defer p.close()
	cr.srv = p.lw
	if cr.target, err = target(cr.PKI, c, p.bs.Addr().Port, dir); err != nil {
		return verdict.Observation{}, err
	}
	cr.target.Bootstrap, cr.target.Mode4URI = true, p.lwURI
	if c.Scenario == "restart" {
		cr.target.StateFile = filepath.Join(dir, "state.json")
	}
	if cr.res.EvidenceDir != "" {
		cr.target.KeyLogFile = filepath.Join(dir, sutKeyLogFile)
	}
	cr.target.Verbose = cr.Verbose
	p.endpoint = cr.target.Endpoint
	defer cr.stopAll()
	if err := cr.start(ctx); err != nil {
		if _, skip := sut.IsSkip(err); skip {
			return verdict.Observation{}, err
		}
		return verdict.Observation{Outcome: verdict.Error, Detail: "SUT did not start: " + err.Error()}, nil
	}
	obs := cr.estWatch(ctx, p)
	if obs.Outcome == verdict.Accepted {
		obs = cr.estAfterAccept(ctx, p, obs)
	}
	cr.exited = cr.ended()
	if err := cr.writeESTEvidence(p); err != nil && cr.Logger != nil {
		cr.Logger.Warn("EST evidence not written", "case", c.ID, "err", fmt.Sprint(err))
	}
	return obs, nil
}
