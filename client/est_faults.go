package client

import (
	"context"
	"crypto/ecdsa"
	"crypto/x509"
	"errors"
	"fmt"

	"github.com/lwm2m-conform/lwm2m-conform/client/est"
)

// The EST faults (faults.go) are deliberate defects of Security Mode 4,
// each breaking one behaviour an est check judges.

// enrollBeforeBootstrap is the est-before-finish fault: one enrollment
// attempt on the bootstrap account's endpoint before bootstrapping, as if
// the account to come were in mode 4 (seed 002 §10.3.3.1 allows EST
// requests other than /sren only after Bootstrap-Finish). A failed attempt
// is logged and the client bootstraps as usual; ensure enrols afterwards.
func (m *estMode) enrollBeforeBootstrap(ctx context.Context) error {
	if !m.c.faults.has(FaultESTBeforeFinish) || m.usable(m.c.opts.Now()) {
		return nil
	}
	m.log.Warn("DELIBERATELY BROKEN: EST enrollment before Bootstrap-Finish (fault " + string(FaultESTBeforeFinish) + ")")
	err := m.enrollOnce(ctx)
	switch {
	case err == nil:
		return nil
	case ctx.Err() != nil:
		return context.Cause(ctx)
	}
	m.log.Warn("EST enrollment before bootstrap failed; bootstrapping", "error", err)
	return nil
}

// enrollmentKey is the key pair a first enrollment certifies: a fresh
// P-256 key, or with est-reuse-bootstrap-key the bootstrap certificate's.
func (m *estMode) enrollmentKey() (*ecdsa.PrivateKey, error) {
	if !m.c.faults.has(FaultESTReuseBSKey) {
		return est.NewKey()
	}
	bs, ok := bootstrapSecurity(m.c.model)
	if !ok {
		return nil, &configError{errors.New("fault est-reuse-bootstrap-key: no bootstrap account")}
	}
	k, err := x509.ParsePKCS8PrivateKey(bs.SecretKey)
	if err != nil {
		return nil, &configError{fmt.Errorf("fault est-reuse-bootstrap-key: the bootstrap key (/0/%d/5): %w", bs.Instance, err)}
	}
	ec, ok := k.(*ecdsa.PrivateKey)
	if !ok {
		return nil, &configError{fmt.Errorf("fault est-reuse-bootstrap-key: the bootstrap key is %T, not ECDSA", k)}
	}
	m.log.Warn("DELIBERATELY BROKEN: enrolling the bootstrap certificate's key (fault " + string(FaultESTReuseBSKey) + ")")
	return ec, nil
}

// renewalCSR is the /sren request for key: the Subject and subjectAltName
// of cur (RFC 7030 §4.2.2), or with est-new-subject another Subject.
func (m *estMode) renewalCSR(key *ecdsa.PrivateKey, cur *x509.Certificate) ([]byte, error) {
	if !m.c.faults.has(FaultESTNewSubject) {
		return est.RenewalCSR(key, cur)
	}
	subject := cur.Subject.CommonName + "-renamed"
	m.log.Warn("DELIBERATELY BROKEN: re-enrolling with another Subject (fault "+string(FaultESTNewSubject)+")", "cn", subject)
	return est.CSR(key, subject)
}

// modeAnchors are the anchors mode 4 connections trust: the /crts ones,
// none with est-ignore-crts (the configured trust store stays).
func (m *estMode) modeAnchors() []*x509.Certificate {
	if m.c.faults.has(FaultESTIgnoreCrts) {
		return nil
	}
	return m.anchors()
}
