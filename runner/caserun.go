package runner

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/catalog"
	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/servers"
	"github.com/lwm2m-conform/lwm2m-conform/servers/impair"
	"github.com/lwm2m-conform/lwm2m-conform/sut"
	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// caseRun is the state of one case while it runs: its peer, optional
// impairment proxy, and the SUT instances started for it (a restart
// scenario starts two).
type caseRun struct {
	*Runner
	c      catalog.Case
	caps   sut.Capabilities
	log    *events.Log
	res    *verdict.Result
	srv    *servers.LwM2M
	proxy  *impair.Proxy
	target sut.Target
	insts  []sut.Instance
	exited bool // the last SUT instance ended by itself before the verdict
	// startedAt is when the current SUT instance was started: its start
	// bound counts from there.
	startedAt time.Time
}

func (cr *caseRun) inst() sut.Instance { return cr.insts[len(cr.insts)-1] }

// execute starts peer, proxy and SUT, watches until the outcome is known,
// plays the case's scenario, and stops everything.
func (cr *caseRun) execute(ctx context.Context) (verdict.Observation, error) {
	c := cr.c
	if c.EST != nil {
		return cr.executeEST(ctx) // est.go
	}
	dtls, err := peerDTLS(cr.PKI, c, cr.caps, cr.timing().handshake)
	if err != nil {
		return verdict.Observation{}, err
	}
	dir, cleanup, err := cr.caseDir()
	if err != nil {
		return verdict.Observation{}, err
	}
	defer cleanup()
	cr.srv, err = servers.StartLwM2M(ctx, cr.serverConfig(dtls, dir))
	if err != nil {
		return verdict.Observation{}, fmt.Errorf("harness server: %w", err)
	}
	defer cr.srv.Close()
	port := cr.srv.Addr().Port
	if c.Impair != nil {
		if err := cr.startProxy(ctx, dir); err != nil {
			return verdict.Observation{}, err
		}
		defer cr.stopProxy()
		port = cr.proxy.Addr().Port
	}
	if cr.target, err = target(cr.PKI, c, port, dir); err != nil {
		return verdict.Observation{}, err
	}
	if cr.res.EvidenceDir != "" {
		cr.target.KeyLogFile = filepath.Join(dir, sutKeyLogFile)
	}
	cr.target.Verbose = cr.Verbose
	defer cr.stopAll()
	if err = cr.acquireDevice(ctx); err == nil { // device mode: hold a device (device.go)
		err = cr.start(ctx)
	}
	if err != nil {
		if _, skip := sut.IsSkip(err); skip {
			return verdict.Observation{}, err
		}
		return verdict.Observation{Outcome: verdict.Error, Detail: "SUT did not start: " + err.Error()}, nil
	}
	obs := watch(ctx, cr.log, cr.inst(), 0, cr.stateConfig(false), cr.startedAt)
	if obs.Outcome == verdict.Accepted && c.Scenario != "" {
		obs = cr.playScenario(ctx)
	}
	cr.exited = cr.ended()
	cr.steerDevice(ctx) // device mode: send it back to bootstrap (device.go)
	return obs, nil
}

// stateConfig is what this case's state machine judges against.
func (cr *caseRun) stateConfig(established bool) stateConfig {
	cfg := stateConfig{
		timing:          cr.timing(),
		established:     established,
		acceptOnAppData: cr.caps.AcceptOn == "handshake",
	}
	if pskOverDeclared(cr.c, cr.caps) {
		cfg.cleanFailure = fmt.Sprintf("no handshake attempted within the start bound with a %d-byte key; the SUT is still running", cr.c.SUT.PSKKeyLen)
	}
	return cfg
}

// ended reports whether the current SUT instance ended by itself.
func (cr *caseRun) ended() bool {
	select {
	case <-cr.inst().Done():
		return true
	default:
		return false
	}
}

// timeouts are the profile's bounds, or the defaults.
func (cr *caseRun) timeouts() sut.Timeouts {
	if p, ok := cr.Adapter.(interface{ Timeouts() sut.Timeouts }); ok {
		return p.Timeouts()
	}
	return sut.DefaultTimeouts
}

func (cr *caseRun) start(ctx context.Context) error {
	cr.startedAt = time.Now()
	inst, err := cr.Adapter.Start(ctx, cr.target)
	if err != nil {
		return err
	}
	cr.insts = append(cr.insts, inst)
	return nil
}

func (cr *caseRun) stopAll() {
	for _, in := range cr.insts {
		in.Stop()
	}
}

// caseDir is the case's evidence directory, or a temporary one: exec
// profiles write the SUT's credential files there.
func (cr *caseRun) caseDir() (string, func(), error) {
	if cr.EvidenceRoot == "" {
		dir, err := os.MkdirTemp("", "lwm2m-conform-case-")
		return dir, func() { os.RemoveAll(dir) }, err
	}
	dir := filepath.Join(cr.EvidenceRoot, filepath.FromSlash(cr.c.ID))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", nil, err
	}
	cr.res.EvidenceDir = dir
	return dir, func() {}, nil
}

// output joins what every SUT instance of the case printed.
func (cr *caseRun) output() (out, cmd string) {
	var outs, cmds []string
	for i, in := range cr.insts {
		o := in.Output()
		if len(cr.insts) > 1 {
			o = fmt.Sprintf("--- SUT start %d ---\n%s", i+1, o)
		}
		outs = append(outs, o)
		if in.Command() != "" {
			cmds = append(cmds, in.Command())
		}
	}
	return strings.Join(outs, "\n"), strings.Join(cmds, "\n")
}
