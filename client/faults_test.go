package client

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/client/model"
	"github.com/lwm2m-conform/lwm2m-conform/events"
)

func TestUnknownFaultIsAnErrorListingKnownOnes(t *testing.T) {
	m := provisioned(t, "ep", model.Security{URI: "coap://127.0.0.1:5683", Mode: modeNoSec}, 30*time.Second)
	_, err := New(Options{Model: m, Faults: []string{"slow", "sloww"}})
	if err == nil || !strings.Contains(err.Error(), `unknown fault "sloww"`) {
		t.Fatalf("New: %v, want an unknown fault error", err)
	}
	for _, fi := range KnownFaults() {
		if !strings.Contains(err.Error(), string(fi.Name)) {
			t.Errorf("error %q does not list %s", err, fi.Name)
		}
		if fi.Meaning == "" {
			t.Errorf("fault %s has no meaning", fi.Name)
		}
	}
}

// TestExitAtStartWarnsAndSendsNothing: Run returns nil at once, after one
// WARN line naming every active fault, and no datagram reaches the server.
func TestExitAtStartWarnsAndSendsNothing(t *testing.T) {
	srv, log := startPSKHarness(t, nil)
	var out syncBuffer
	m := provisioned(t, "ep-exit", pskAccount(harnessURI(srv)), 30*time.Second)
	c, err := New(Options{Model: m, Logger: slog.New(slog.NewTextHandler(&out, nil)), Faults: []string{"exit-at-start", "slow"}, InsecureAcceptAnyServer: true})
	if err != nil {
		t.Fatal(err)
	}
	begin := time.Now()
	if err := c.Run(context.Background()); err != nil {
		t.Fatalf("Run: %v, want nil", err)
	}
	if d := time.Since(begin); d > 100*time.Millisecond {
		t.Errorf("Run took %s, want an immediate return", d)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 1 || !strings.Contains(lines[0], "level=WARN") || !strings.Contains(lines[0], "faults=accept-any,slow,exit-at-start") {
		t.Fatalf("log %q, want one WARN line naming accept-any, slow and exit-at-start", lines)
	}
	time.Sleep(100 * time.Millisecond)
	for _, e := range log.Events() {
		if e.Kind != events.Note {
			t.Fatalf("server saw %s, want no datagram: %s", e.Kind, e.Summary)
		}
	}
}

// TestVerifierFaultsFlipDecisions feeds a real handshake's certificates to
// the client's verification callback: each row is rejected by the correct
// client and accepted with its fault (or accept-any), and no other fault
// accepts it, so each fault breaks only its own check.
func TestVerifierFaultsFlipDecisions(t *testing.T) {
	pki := newTestPKI(t)
	other := issueCert(t, certSpec{cn: "someone else", dns: []string{"localhost"}}, &pki.ca)
	chain := [][]byte{pki.server.cert.Raw}
	rows := []struct {
		fault   Fault
		usage   *int
		spk     []byte
		trust   bool
		refName string
		later   time.Duration // clock offset: 48 h puts the server leaf past notAfter
		rule    string        // the correct client's rejection
	}{
		{FaultSkipHostname, intp(0), pki.ca.cert.Raw, true, "other.test", 0, "pkix-ta/name-mismatch"},
		{FaultSkipValidity, intp(0), pki.ca.cert.Raw, true, "localhost", 48 * time.Hour, "pkix-ta/pkix-failed"},
		{FaultIgnoreUsage, intp(0), pki.server.cert.Raw, false, "localhost", 0, "pkix-ta/no-trust-store"},
		{FaultIgnoreSPK, intp(3), other.cert.Raw, true, "localhost", 0, "dane-ee/leaf-differs-from-spk"},
	}
	verifier := []Fault{FaultAcceptAny, FaultSkipHostname, FaultSkipValidity, FaultIgnoreUsage, FaultIgnoreSPK}
	for _, row := range rows {
		t.Run(string(row.fault), func(t *testing.T) {
			check := func(f Fault) (*peerCheck, error) {
				p := &peerCheck{
					t:      target{sec: model.Security{Mode: modeCert, CertUsage: row.usage, ServerPublicKey: row.spk}, refName: row.refName},
					now:    func() time.Time { return time.Now().Add(row.later) },
					faults: faultSet{},
				}
				if row.trust {
					p.trust = trustOf(pki)
				}
				if f != "" {
					p.faults[f] = true
				}
				return p, p.verifyPeer(chain, nil)
			}
			p, err := check("")
			if d, _ := p.result(); err == nil || d.Rule != row.rule {
				t.Fatalf("correct client: err %v, rule %q; want a rejection by %s", err, d.Rule, row.rule)
			}
			for _, f := range verifier {
				p, err := check(f)
				want := f == row.fault || f == FaultAcceptAny
				if (err == nil) != want {
					t.Errorf("fault %s: accepted=%v, want %v (%v)", f, err == nil, want, err)
				}
				d, _ := p.result()
				if p.validated() || !strings.Contains(d.Reason, "deliberately broken verifier: fault "+string(f)) {
					t.Errorf("fault %s: validated=%v, reason %q; want unvalidated and the fault named", f, p.validated(), d.Reason)
				}
			}
		})
	}
}

// A crash is fatal: Run does not retry after it.
func TestCrashErrorIsASignal(t *testing.T) {
	var err error = &CrashError{Server: "coaps://x"}
	var sig interface{ Signal() string }
	if !errors.As(err, &sig) || sig.Signal() == "" || !isCrash(err) {
		t.Fatalf("%v does not read as a death by signal", err)
	}
}
