package runner

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/lwm2m-conform/lwm2m-conform/catalog"
	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// A clean failure (a refused provisioning, an over-long key never tried)
// looks exactly like a SUT that cannot work at all. It counts as a
// rejection only when the same SUT was shown working in this run: an
// accepted case in the same security mode, or for a key length the longest
// key within the declared limit. Otherwise the case is inconclusive.

// proofs remembers what the SUT was shown to do in this run.
type proofs struct {
	mu sync.Mutex
	m  map[string]*proof
}

type proof struct {
	done chan struct{}
	ok   bool
	why  string
}

// note records an acceptance seen during the run, so that no control case
// has to run for what the run already showed.
func (p *proofs) note(key, why string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.m == nil {
		p.m = map[string]*proof{}
	}
	if old, ok := p.m[key]; ok && (old.ok || !closed(old.done)) {
		return
	}
	pr := &proof{done: make(chan struct{}), ok: true, why: why}
	close(pr.done)
	p.m[key] = pr
}

// get returns the proof for key, running show once if nothing is known.
func (p *proofs) get(key string, show func() (bool, string)) (bool, string) {
	p.mu.Lock()
	if p.m == nil {
		p.m = map[string]*proof{}
	}
	pr, ok := p.m[key]
	if !ok {
		pr = &proof{done: make(chan struct{})}
		p.m[key] = pr
		p.mu.Unlock()
		pr.ok, pr.why = show()
		close(pr.done)
		return pr.ok, pr.why
	}
	p.mu.Unlock()
	<-pr.done
	return pr.ok, pr.why
}

func closed(c chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

func modeKey(mode string) string { return "mode:" + mode }
func caseKey(id string) string   { return "case:" + id }

// remember notes what an accepted case shows about the SUT.
func (r *Runner) remember(c catalog.Case, obs verdict.Observation) {
	if obs.Outcome != verdict.Accepted {
		return
	}
	why := "case " + c.ID + " was accepted in this run"
	r.proofs.note(modeKey(c.SUT.Mode), why)
	r.proofs.note(caseKey(c.ID), why)
}

// attribute turns a clean failure into refused when the SUT was shown
// working, and into inconclusive when it was not.
func (r *Runner) attribute(ctx context.Context, c catalog.Case, obs verdict.Observation) verdict.Observation {
	caps := r.Adapter.Capabilities()
	// The control is looked for only when the run has not already shown
	// the SUT working: an acceptance seen earlier answers without a scan.
	key, find := modeKey(c.SUT.Mode), func() catalog.Case { return r.modeControl(c) }
	if pskOverDeclared(c, caps) {
		control := r.pskControl(c, caps.MaxPSKLen)
		key, find = caseKey(control.ID), func() catalog.Case { return control }
	}
	ok, why := r.proofs.get(key, func() (bool, string) {
		control := find()
		if control.ID == "" {
			return false, "" // no control case: said below
		}
		// The control runs without evidence and without controls of its own.
		rc := &Runner{PKI: r.PKI, Adapter: r.Adapter, CaseTimeout: r.CaseTimeout, Logger: r.Logger}
		res := rc.Run(ctx, control)
		if res.Observation.Outcome == verdict.Accepted {
			return true, "control case " + control.ID + " was accepted"
		}
		return false, fmt.Sprintf("control case %s was %s", control.ID, res.Observation)
	})
	switch {
	case !ok && why == "":
		obs.Outcome = verdict.Inconclusive
		obs.Detail += fmt.Sprintf("; no control case in the catalogue shows this SUT working in %s mode", c.SUT.Mode)
	case !ok:
		obs.Outcome = verdict.Inconclusive
		obs.Detail += "; the SUT was not shown working in this run: " + why
	default:
		obs.Detail += " (shown working: " + why + ")"
	}
	return obs
}

// pskControl is the longest-key accept case within the declared limit.
func (r *Runner) pskControl(c catalog.Case, maxLen int) catalog.Case {
	var best catalog.Case
	for _, k := range r.Catalog {
		if k.Area == c.Area && k.SUT.Mode == "psk" && k.Expect == catalog.Accept && k.ID != c.ID &&
			k.SUT.PSKKeyLen <= maxLen && k.SUT.PSKKeyLen > best.SUT.PSKKeyLen && !k.SUT.PSKWrongKey {
			best = k
		}
	}
	return best
}

// modeControl is the plainest accept case in the same security mode that
// this profile runs: the LwM2M default (DANE-EE, usage 3, with the server's
// own certificate as Server Public Key) before anything needing a trust
// store, and never the empty-Server-Public-Key fallback.
func (r *Runner) modeControl(c catalog.Case) catalog.Case {
	caps := r.Adapter.Capabilities()
	var best catalog.Case
	bestScore := 1 << 30
	for _, k := range r.Catalog {
		k = adjustForProfile(k, caps)
		if k.ID == c.ID || k.SUT.Mode != c.SUT.Mode || k.Expect != catalog.Accept || k.Basis == catalog.BasisUnspecified ||
			k.Unvalidated || k.Impair != nil || k.Scenario != "" || skipReason(caps, k) != "" {
			continue
		}
		score := 0
		if k.SUT.Mode == "cert" && k.SUT.Usage != 3 {
			score += 4
		}
		if k.SUT.ServerPublicKey == "" && k.SUT.Mode == "cert" {
			score += 2
		}
		if k.SUT.TrustStore != nil {
			score++
		}
		if score < bestScore || score == bestScore && strings.Compare(k.ID, best.ID) < 0 {
			best, bestScore = k, score
		}
	}
	return best
}
