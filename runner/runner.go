package runner

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/catalog"
	"github.com/lwm2m-conform/lwm2m-conform/certgen"
	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/servers"
	"github.com/lwm2m-conform/lwm2m-conform/sut"
	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// Runner runs cases against one SUT adapter.
type Runner struct {
	PKI     *certgen.Set
	Adapter sut.Adapter
	// EvidenceRoot receives one directory per case (events.json, SUT output,
	// key log); "" keeps evidence in memory only.
	EvidenceRoot string
	// CaseTimeout bounds a case whose SUT neither finishes nor aborts (hang).
	CaseTimeout time.Duration
	// Quiet is how long a SUT may stay silent mid-handshake before that
	// silence counts as a rejection without an alert.
	Quiet   time.Duration
	Verbose bool
	Logger  *slog.Logger
}

// caseTimeout is the runner's limit, else the profile's, else 15 s.
func (r *Runner) caseTimeout() time.Duration {
	if r.CaseTimeout > 0 {
		return r.CaseTimeout
	}
	if p, ok := r.Adapter.(interface{ Timeouts() sut.Timeouts }); ok && p.Timeouts().Case > 0 {
		return p.Timeouts().Case
	}
	return 15 * time.Second
}

func (r *Runner) quiet() time.Duration {
	if r.Quiet > 0 {
		return r.Quiet
	}
	return 3 * time.Second
}

// Run executes one case and judges it. It never panics on SUT behaviour:
// whatever the SUT does becomes an observation.
func (r *Runner) Run(ctx context.Context, c catalog.Case) (res verdict.Result) {
	start := time.Now()
	res = verdict.Result{Case: c}
	defer func() { res.Duration = time.Since(start) }()
	if why := skipReason(r.Adapter.Capabilities(), c); why != "" {
		res.Verdict, res.Reason = verdict.Skip, why
		return res
	}
	log := events.NewLog()
	obs, inst, err := r.execute(ctx, c, log, &res)
	if err != nil {
		// A harness-side failure (bad fixture, port) is an error observation.
		obs = verdict.Observation{Outcome: verdict.Error, Detail: err.Error()}
	}
	if inst != nil {
		res.SUTOutput, res.SUTCommand = inst.Output(), inst.Command()
	}
	res.Observation = obs
	res.Events = log.Events()
	res.Verdict, res.Reason = verdict.Judge(c, obs)
	if why := wireMismatch(c, res.Events); why != "" && res.Verdict != verdict.Fail {
		res.Verdict, res.Reason = verdict.Fail, why
	}
	if b := r.Adapter.Baseline(c.ID); b != "" {
		res.Baseline = b
	}
	if err := r.writeEvidence(&res); err != nil && r.Logger != nil {
		r.Logger.Warn("evidence not written", "case", c.ID, "err", err)
	}
	return res
}

// execute starts peer and SUT and watches until the outcome is known.
func (r *Runner) execute(ctx context.Context, c catalog.Case, log *events.Log, res *verdict.Result) (verdict.Observation, sut.Instance, error) {
	dtls, err := peerDTLS(r.PKI, c)
	if err != nil {
		return verdict.Observation{}, nil, err
	}
	// Every case gets a directory: exec profiles write the SUT's credential
	// files there. Without an evidence root it is temporary.
	var dir string
	if r.EvidenceRoot != "" {
		dir = filepath.Join(r.EvidenceRoot, filepath.FromSlash(c.ID))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return verdict.Observation{}, nil, err
		}
		res.EvidenceDir = dir
	} else {
		if dir, err = os.MkdirTemp("", "lwm2m-conform-case-"); err != nil {
			return verdict.Observation{}, nil, err
		}
		defer os.RemoveAll(dir)
	}
	srv, err := servers.StartLwM2M(ctx, servers.Config{DTLS: dtls, Events: log, Logger: r.Logger})
	if err != nil {
		return verdict.Observation{}, nil, fmt.Errorf("harness server: %w", err)
	}
	defer srv.Close()
	t, err := target(r.PKI, c, srv.Addr().Port, dir)
	if err != nil {
		return verdict.Observation{}, nil, err
	}
	if res.EvidenceDir != "" {
		t.KeyLogFile = filepath.Join(dir, "sslkeylog.txt")
	}
	t.Verbose = r.Verbose
	inst, err := r.Adapter.Start(ctx, t)
	if err != nil {
		return verdict.Observation{Outcome: verdict.Error, Detail: "SUT did not start: " + err.Error()}, nil, nil
	}
	obs := watch(ctx, log, inst, r.caseTimeout(), r.quiet())
	inst.Stop()
	return obs, inst, nil
}

// skipReason names the capability a case needs that the profile does not claim.
func skipReason(caps sut.Capabilities, c catalog.Case) string {
	var missing []string
	if c.Area == "validity" && !caps.RealTimeClock {
		missing = append(missing, "real_time_clock")
	}
	if c.SUT.SNI != "" && !caps.SNI {
		missing = append(missing, "sni")
	}
	if c.SUT.Usage != catalog.UsageUnset && !caps.CertUsage {
		missing = append(missing, "cert_usage")
	}
	if c.SUT.CipherSuites != nil && !caps.CipherSuites {
		missing = append(missing, "cipher_suites")
	}
	if len(missing) == 0 {
		return ""
	}
	return "the SUT profile does not declare " + strings.Join(missing, ", ")
}
