package client

import (
	"crypto/x509"
	"errors"
	"sync"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/client/verify"
)

// peerCheck judges the server certificate of one handshake with package
// verify and remembers the decision for the handshake log.
type peerCheck struct {
	t      target
	trust  []*x509.Certificate
	now    func() time.Time
	faults faultSet

	mu       sync.Mutex
	called   bool
	decision verify.Decision
}

// errServerRejected is returned to pion, which then sends a fatal
// bad_certificate alert (flight5handler.go): that alert is how a peer sees
// the rejection at once, so the error is never swallowed.
var errServerRejected = errors.New("server certificate rejected")

func certUsage(p *int) verify.Usage {
	if p == nil {
		return verify.Unset
	}
	return verify.Usage(*p)
}

// verifyPeer is the pion VerifyPeerCertificate callback (pion's own
// verification is off: InsecureSkipVerify).
func (p *peerCheck) verifyPeer(rawCerts [][]byte, _ [][]*x509.Certificate) error {
	in := verify.Input{
		Usage:           certUsage(p.t.sec.CertUsage),
		ServerPublicKey: p.t.sec.ServerPublicKey,
		TrustStore:      p.trust,
		Chain:           rawCerts,
		ServerName:      p.t.refName,
		Now:             p.now(),
		SkipName:        p.faults.has(FaultSkipHostname),
		SkipValidity:    p.faults.has(FaultSkipValidity),
	}
	if p.faults.has(FaultIgnoreUsage) {
		in.Usage = verify.DANEEE
	}
	if p.faults.has(FaultIgnoreSPK) {
		in.ServerPublicKey = nil
	}
	d := verify.Verify(in)
	if broken := p.faults.verifierFaults(); broken != "" {
		d.Reason += " [deliberately broken verifier: fault " + broken + "]"
	}
	p.mu.Lock()
	p.called, p.decision = true, d
	p.mu.Unlock()
	if d.Accept || p.faults.has(FaultAcceptAny) {
		return nil
	}
	return &rejectError{d}
}

// rejectError carries the verifier's reason out of pion's handshake error.
type rejectError struct{ d verify.Decision }

func (e *rejectError) Error() string { return e.d.Reason }
func (e *rejectError) Unwrap() error { return errServerRejected }

// result returns the decision if the callback ran.
func (p *peerCheck) result() (verify.Decision, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.decision, p.called
}

// validated is what a new session records: false without a decision, when
// accepted unvalidated, or when a fault weakened the verifier.
func (p *peerCheck) validated() bool {
	d, ok := p.result()
	return ok && d.Accept && d.Validated && p.faults.verifierFaults() == ""
}
