package verify

import (
	"strings"
	"testing"
)

// TestSkipSwitchesFlipDecisions: each switch turns exactly the rejection of
// its own check into an acceptance, and leaves other rejections alone.
func TestSkipSwitchesFlipDecisions(t *testing.T) {
	p := testPKI(t)
	good := chainOf(p.leaf, p.inter)
	cases := []struct {
		name                 string
		in                   Input
		skipName, skipValid  bool
		wantRule, brokenRule string // without and with the switch
	}{
		{"pkix-ta/name-mismatch", Input{Usage: PKIXTA, ServerPublicKey: p.root.der(), TrustStore: storeOf(p.root), Chain: good, ServerName: "other.test"},
			true, false, "pkix-ta/name-mismatch", "pkix-ta/ok"},
		{"pkix-ee/ip-not-in-san", Input{Usage: PKIXEE, ServerPublicKey: p.leaf.der(), TrustStore: storeOf(p.root), Chain: good, ServerName: "192.0.2.1"},
			true, false, "pkix-ee/name-mismatch", "pkix-ee/ok"},
		{"dane-ta/name-mismatch", Input{Usage: DANETA, ServerPublicKey: p.root.der(), Chain: good, ServerName: "other.test"},
			true, false, "dane-ta/name-mismatch", "dane-ta/ok"},
		{"spk-empty/name-mismatch", Input{Usage: DANEEE, TrustStore: storeOf(p.root), Chain: good, ServerName: "other.test"},
			true, false, "dane-ee/spk-empty/name-mismatch", "dane-ee/spk-empty/pkix-ok"},
		{"skip-name/expired-still-rejected", Input{Usage: PKIXTA, ServerPublicKey: p.root.der(), TrustStore: storeOf(p.root), Chain: chainOf(p.expiredLeaf, p.inter), ServerName: "other.test"},
			true, false, "pkix-ta/pkix-failed", "pkix-ta/pkix-failed"},
		{"pkix-ta/expired-leaf", Input{Usage: PKIXTA, ServerPublicKey: p.root.der(), TrustStore: storeOf(p.root), Chain: chainOf(p.expiredLeaf, p.inter), ServerName: "localhost"},
			false, true, "pkix-ta/pkix-failed", "pkix-ta/ok"},
		{"pkix-ta/expired-root-in-ts", Input{Usage: PKIXTA, ServerPublicKey: p.expiredRoot.der(), TrustStore: storeOf(p.expiredRoot), Chain: chainOf(p.leafUnderExpiredRoot, p.interUnderExpiredRoot), ServerName: "localhost"},
			false, true, "pkix-ta/pkix-failed", "pkix-ta/ok"},
		{"pkix-ee/not-yet-valid", Input{Usage: PKIXEE, ServerPublicKey: p.futureLeaf.der(), TrustStore: storeOf(p.root), Chain: chainOf(p.futureLeaf, p.inter), ServerName: "localhost"},
			false, true, "pkix-ee/pkix-failed", "pkix-ee/ok"},
		{"dane-ta/expired-intermediate", Input{Usage: DANETA, ServerPublicKey: p.root.der(), Chain: chainOf(p.leafUnderExpiredInter, p.expiredInter), ServerName: "localhost"},
			false, true, "dane-ta/outside-validity", "dane-ta/ok"},
		{"dane-ta/expired-anchor", Input{Usage: DANETA, ServerPublicKey: p.expiredRoot.der(), Chain: chainOf(p.leafUnderExpiredRoot, p.interUnderExpiredRoot), ServerName: "localhost"},
			false, true, "dane-ta/anchor-outside-validity", "dane-ta/ok"},
		{"skip-validity/name-still-checked", Input{Usage: PKIXTA, ServerPublicKey: p.root.der(), TrustStore: storeOf(p.root), Chain: chainOf(p.expiredLeaf, p.inter), ServerName: "other.test"},
			false, true, "pkix-ta/pkix-failed", "pkix-ta/name-mismatch"},
		{"skip-validity/wrong-anchor-still-rejected", Input{Usage: PKIXTA, ServerPublicKey: p.otherRoot.der(), TrustStore: storeOf(p.otherRoot), Chain: chainOf(p.expiredLeaf, p.inter), ServerName: "localhost"},
			false, true, "pkix-ta/pkix-failed", "pkix-ta/pkix-failed"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.in.Now = testNow
			if d := Verify(tc.in); d.Rule != tc.wantRule {
				t.Fatalf("checks on: rule %q (%s), want %q", d.Rule, d.Reason, tc.wantRule)
			}
			in := tc.in
			in.SkipName, in.SkipValidity = tc.skipName, tc.skipValid
			d := Verify(in)
			if d.Rule != tc.brokenRule || d.Accept != strings.HasSuffix(tc.brokenRule, "ok") {
				t.Fatalf("check off: accept=%v rule %q (%s), want rule %q", d.Accept, d.Rule, d.Reason, tc.brokenRule)
			}
		})
	}
}

// SkipValidity works on copies: the caller's certificates keep their
// validity period.
func TestSkipValidityLeavesInputUntouched(t *testing.T) {
	p := testPKI(t)
	ts := storeOf(p.expiredRoot)
	before := ts[0].NotAfter
	Verify(Input{Usage: PKIXTA, TrustStore: ts, Chain: chainOf(p.leafUnderExpiredRoot, p.interUnderExpiredRoot), ServerName: "localhost", Now: testNow, SkipValidity: true})
	if !ts[0].NotAfter.Equal(before) {
		t.Fatalf("trust store certificate changed: NotAfter %s, was %s", ts[0].NotAfter, before)
	}
}
