package runner

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/catalog"
	"github.com/lwm2m-conform/lwm2m-conform/certgen"
	"github.com/lwm2m-conform/lwm2m-conform/events"
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
	Verbose     bool
	Logger      *slog.Logger
	// Catalog is the whole catalogue, where control cases come from: a
	// clean failure counts only when the same SUT was shown working.
	Catalog []catalog.Case

	proofs proofs
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

// Run executes one case and judges it. It never panics on SUT behaviour:
// whatever the SUT does becomes an observation, then checks, then a verdict.
func (r *Runner) Run(ctx context.Context, c catalog.Case) (res verdict.Result) {
	start := time.Now()
	caps := r.Adapter.Capabilities()
	c = adjustForProfile(c, caps)
	res = verdict.Result{Case: c}
	defer func() { res.Duration = time.Since(start) }()
	if why := skipReason(caps, c); why != "" {
		res.Verdict, res.Reason = verdict.Skip, why
		return res
	}
	log := events.NewLog()
	cr := &caseRun{Runner: r, c: c, caps: caps, log: log, res: &res}
	obs, err := cr.execute(ctx)
	if why, skip := sut.IsSkip(err); skip {
		// The adapter cannot provision this case (e.g. a trust store
		// through bootstrap): a capability gap, not a failure.
		res.Verdict, res.Reason = verdict.Skip, why
		return res
	}
	if err != nil {
		// A harness-side failure (bad fixture, port) is an error observation.
		obs = verdict.Observation{Outcome: verdict.Error, Detail: err.Error()}
	}
	res.SUTOutput, res.SUTCommand = cr.output()
	if obs.Outcome == verdict.Refused {
		obs = r.attribute(ctx, c, obs)
	}
	res.Observation = obs
	r.remember(c, obs)
	res.Events = log.Events()
	res.Checks = append(checks(c, caps, obs, res.Events, cr.exited), estChecks(c, res.Events)...)
	res.Combine()
	r.applyBaseline(&res)
	if err := r.writeEvidence(&res); err != nil && r.Logger != nil {
		r.Logger.Warn("evidence not written", "case", c.ID, "err", err)
	}
	return res
}

// applyBaseline matches a result against the profile's pinned deviation:
// exactly the pinned outcome, alert and failed checks is known (reported as
// a skip with the reason); a case that now passes makes the entry stale; any
// other change fails as a changed deviation.
func (r *Runner) applyBaseline(res *verdict.Result) {
	d, ok := r.Adapter.Baseline(res.Case.ID)
	if !ok || res.Verdict == verdict.Skip {
		return
	}
	failed := res.FailedChecks()
	switch {
	case d.Matches(string(res.Observation.Outcome), res.Observation.Alert, failed):
		res.Verdict, res.Baseline = verdict.Fail, d.Reason
	case len(failed) == 0:
		res.Verdict = verdict.Fail
		res.Reason = fmt.Sprintf("listed in the profile's baseline as a known deviation (%s), but the SUT now behaves as expected: remove the entry", d.Reason)
	default:
		res.Verdict = verdict.Fail
		res.Reason = fmt.Sprintf("known deviation changed: the baseline pins %s, now %s — %s", pinned(d.Outcome, d.Alert, d.Checks), pinned(string(res.Observation.Outcome), res.Observation.Alert, failed), res.Reason)
	}
}

func pinned(outcome, alert string, failed []string) string {
	s := outcome
	if alert != "" {
		s += " (alert " + alert + ")"
	}
	if len(failed) == 0 {
		return s + " with no failed check"
	}
	return s + " with failed " + strings.Join(failed, ", ")
}

// skipReason names the capability a case needs that the profile does not claim.
func skipReason(caps sut.Capabilities, c catalog.Case) string {
	if !caps.SupportsMode(c.SUT.Mode) {
		return "the SUT profile does not list security mode " + c.SUT.Mode + " (modes: " + strings.Join(caps.Modes, ", ") + ")"
	}
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
	for _, req := range c.Requires {
		switch {
		case req == "cid" && !caps.CID, req == "resumption" && !caps.Resumption,
			req == "max_psk_len" && caps.MaxPSKLen == 0, req == "real_time_clock" && !caps.RealTimeClock,
			req == "sni" && !caps.SNI, req == "cipher_suites" && !caps.CipherSuites, req == "cert_usage" && !caps.CertUsage:
			if !slices.Contains(missing, req) {
				missing = append(missing, req)
			}
		}
	}
	if len(missing) == 0 {
		return ""
	}
	return "the SUT profile does not declare " + strings.Join(missing, ", ")
}

// rfcMinPSKLen: RFC 4279 §5.3 — “TLS implementations supporting these
// cipher suites MUST support arbitrary PSK identities up to 128 octets in
// length, and arbitrary PSKs up to 64 octets in length.”
const rfcMinPSKLen = 64

// adjustForProfile applies the rules that depend on what the SUT profile
// declares. A PSK longer than both the declared max_psk_len and the 64
// octets every implementation must support may fail cleanly (seed 001
// §5.15.1.3), with the SUT still running.
func adjustForProfile(c catalog.Case, caps sut.Capabilities) catalog.Case {
	if pskOverMax(c, caps) && c.Expect == catalog.Accept {
		c.Expect, c.StayAlive = catalog.Reject, true
		c.Source = fmt.Sprintf("001_53514e0c24f0536e.txt §5.15.1.3 — the key (%d bytes) is longer than the profile's max_psk_len %d: “the connection will fail during setup”", c.SUT.PSKKeyLen, caps.MaxPSKLen)
	}
	return c
}

// pskOverMax reports a PSK the SUT may refuse: longer than it declares it
// supports, and longer than the RFC minimum.
func pskOverMax(c catalog.Case, caps sut.Capabilities) bool {
	return pskOverDeclared(c, caps) && c.SUT.PSKKeyLen > rfcMinPSKLen
}

// pskOverDeclared reports a PSK longer than the profile declares: a SUT
// that never tries it has refused it (a FAIL still, up to 64 octets).
func pskOverDeclared(c catalog.Case, caps sut.Capabilities) bool {
	return c.SUT.Mode == "psk" && caps.MaxPSKLen > 0 && c.SUT.PSKKeyLen > caps.MaxPSKLen
}
