package verify

import (
	"crypto/ecdsa"
	"crypto/x509"
	"strings"
	"testing"
	"time"
)

type verifyCase struct {
	name      string
	usage     Usage
	spk       []byte
	ts        []*x509.Certificate
	chain     [][]byte
	host      string // "" means "localhost"
	wantOK    bool
	wantRule  string
	unchecked bool // accepted without validation
}

func verifyCases(p *pki) []verifyCase {
	good := chainOf(p.leaf, p.inter)
	garbage := []byte("this is not a certificate")
	return []verifyCase{
		// 0 PKIX-TA with a CA as Server Public Key.
		{name: "pkix-ta/root-spk", usage: PKIXTA, spk: p.root.der(), ts: storeOf(p.root), chain: good, wantOK: true, wantRule: "pkix-ta/ok"},
		{name: "pkix-ta/intermediate-spk-in-ts", usage: PKIXTA, spk: p.inter.der(), ts: storeOf(p.root, p.inter), chain: good, wantOK: true, wantRule: "pkix-ta/ok"},
		{name: "pkix-ta/intermediate-spk-anchors-alone", usage: PKIXTA, spk: p.inter.der(), ts: storeOf(p.inter), chain: chainOf(p.leaf), wantOK: true, wantRule: "pkix-ta/ok"},
		{name: "pkix-ta/pem-spk", usage: PKIXTA, spk: p.root.pem(), ts: storeOf(p.root), chain: good, wantOK: true, wantRule: "pkix-ta/ok"},
		{name: "pkix-ta/intermediate-spk-not-in-ts", usage: PKIXTA, spk: p.inter.der(), ts: storeOf(p.root), chain: good, wantRule: "pkix-ta/spk-not-in-trust-store"},
		{name: "pkix-ta/spk-unrelated-ca", usage: PKIXTA, spk: p.otherRoot.der(), ts: storeOf(p.root, p.otherRoot), chain: good, wantRule: "pkix-ta/spk-not-in-verified-chain"},
		{name: "pkix-ta/leaf-spk", usage: PKIXTA, spk: p.leaf.der(), ts: storeOf(p.root), chain: good, wantRule: "pkix-ta/spk-not-ca"},
		{name: "pkix-ta/no-ts", usage: PKIXTA, spk: p.root.der(), chain: good, wantRule: "pkix-ta/no-trust-store"},
		{name: "pkix-ta/leaf-spk-no-ts", usage: PKIXTA, spk: p.leaf.der(), chain: good, wantRule: "pkix-ta/no-trust-store"},
		{name: "pkix-ta/garbage-spk-no-ts", usage: PKIXTA, spk: garbage, chain: good, wantRule: "pkix-ta/no-trust-store"},
		{name: "pkix-ta/unrelated-chain", usage: PKIXTA, spk: p.root.der(), ts: storeOf(p.root), chain: chainOf(p.otherLeaf, p.otherInter), wantRule: "pkix-ta/pkix-failed"},
		{name: "pkix-ta/name-mismatch", usage: PKIXTA, spk: p.root.der(), ts: storeOf(p.root), chain: good, host: "other.test", wantRule: "pkix-ta/name-mismatch"},
		{name: "pkix-ta/expired-leaf", usage: PKIXTA, spk: p.root.der(), ts: storeOf(p.root), chain: chainOf(p.expiredLeaf, p.inter), wantRule: "pkix-ta/pkix-failed"},
		{name: "pkix-ta/expired-root-in-ts", usage: PKIXTA, spk: p.expiredRoot.der(), ts: storeOf(p.expiredRoot), chain: chainOf(p.leafUnderExpiredRoot, p.interUnderExpiredRoot), wantRule: "pkix-ta/pkix-failed"},
		{name: "pkix-ta/garbage-spk", usage: PKIXTA, spk: garbage, ts: storeOf(p.root), chain: good, wantRule: "pkix-ta/bad-spk"},

		// 1 PKIX-EE.
		{name: "pkix-ee/leaf-spk", usage: PKIXEE, spk: p.leaf.der(), ts: storeOf(p.root), chain: good, wantOK: true, wantRule: "pkix-ee/ok"},
		{name: "pkix-ee/self-signed-in-ts", usage: PKIXEE, spk: p.selfSigned.der(), ts: storeOf(p.selfSigned), chain: chainOf(p.selfSigned), wantOK: true, wantRule: "pkix-ee/ok"},
		{name: "pkix-ee/leaf-in-ts", usage: PKIXEE, spk: p.leaf.pem(), ts: storeOf(p.leaf), chain: chainOf(p.leaf), wantOK: true, wantRule: "pkix-ee/ok"},
		// A CA-issued leaf in the trust store anchors no longer chain
		// (OpenSSL, GnuTLS and Mbed TLS reject; catalogue
		// certusage/u1/spk-leaf/ts-leaf/chain-leaf-int).
		{name: "pkix-ee/leaf-in-ts-with-intermediate", usage: PKIXEE, spk: p.leaf.der(), ts: storeOf(p.leaf), chain: good, wantRule: "pkix-ee/pkix-failed"},
		{name: "pkix-ee/leaf-in-ts-full-chain", usage: PKIXEE, spk: p.leaf.der(), ts: storeOf(p.leaf), chain: chainOf(p.leaf, p.inter, p.root), wantRule: "pkix-ee/pkix-failed"},
		{name: "pkix-ee/other-leaf-presented", usage: PKIXEE, spk: p.leaf.der(), ts: storeOf(p.root), chain: chainOf(p.directLeaf, p.anchorSig, p.inter), wantRule: "pkix-ee/leaf-differs-from-spk"},
		{name: "pkix-ee/ca-spk", usage: PKIXEE, spk: p.inter.der(), ts: storeOf(p.root), chain: good, wantRule: "pkix-ee/spk-is-ca"},
		{name: "pkix-ee/no-ts", usage: PKIXEE, spk: p.leaf.der(), chain: good, wantRule: "pkix-ee/no-trust-store"},
		{name: "pkix-ee/ca-spk-no-ts", usage: PKIXEE, spk: p.root.der(), chain: good, wantRule: "pkix-ee/no-trust-store"},
		{name: "pkix-ee/self-signed-not-in-ts", usage: PKIXEE, spk: p.selfSigned.der(), ts: storeOf(p.root), chain: chainOf(p.selfSigned), wantRule: "pkix-ee/pkix-failed"},
		{name: "pkix-ee/name-mismatch", usage: PKIXEE, spk: p.leaf.der(), ts: storeOf(p.root), chain: good, host: "other.test", wantRule: "pkix-ee/name-mismatch"},
		{name: "pkix-ee/expired-leaf", usage: PKIXEE, spk: p.expiredLeaf.der(), ts: storeOf(p.root), chain: chainOf(p.expiredLeaf, p.inter), wantRule: "pkix-ee/pkix-failed"},

		// 0 and 1 without a Server Public Key.
		{name: "pkix-ta/spk-empty/ts", usage: PKIXTA, ts: storeOf(p.root), chain: good, wantOK: true, wantRule: "pkix-ta/spk-empty/pkix-ok"},
		{name: "pkix-ee/spk-empty/ts", usage: PKIXEE, ts: storeOf(p.root), chain: good, wantOK: true, wantRule: "pkix-ee/spk-empty/pkix-ok"},
		{name: "pkix-ta/spk-empty/wrong-ts", usage: PKIXTA, ts: storeOf(p.otherRoot), chain: good, wantRule: "pkix-ta/spk-empty/pkix-failed"},
		{name: "pkix-ee/spk-empty/name-mismatch", usage: PKIXEE, ts: storeOf(p.root), chain: good, host: "other.test", wantRule: "pkix-ee/spk-empty/name-mismatch"},
		{name: "pkix-ta/spk-empty/no-ts", usage: PKIXTA, chain: good, wantRule: "pkix-ta/no-trust-store"},
		{name: "pkix-ee/spk-empty/empty-ts", usage: PKIXEE, ts: []*x509.Certificate{}, chain: good, wantRule: "pkix-ee/no-trust-store"},
		{name: "pkix-ta/spk-empty/missing-intermediate", usage: PKIXTA, ts: storeOf(p.root), chain: chainOf(p.leaf), wantRule: "pkix-ta/spk-empty/pkix-failed"},
		{name: "pkix-ta/spk-empty/leaf-in-ts", usage: PKIXTA, ts: storeOf(p.leaf), chain: chainOf(p.leaf), wantOK: true, wantRule: "pkix-ta/spk-empty/pkix-ok"},
		{name: "pkix-ta/spk-empty/leaf-in-ts-with-intermediate", usage: PKIXTA, ts: storeOf(p.leaf), chain: good, wantRule: "pkix-ta/spk-empty/pkix-failed"},
		{name: "dane-ee/spk-empty/leaf-in-ts-with-intermediate", usage: DANEEE, ts: storeOf(p.leaf), chain: good, wantRule: "dane-ee/spk-empty/pkix-failed"},
		// The root beside it still anchors the chain.
		{name: "pkix-ta/spk-empty/leaf-and-root-in-ts", usage: PKIXTA, ts: storeOf(p.leaf, p.root), chain: good, wantOK: true, wantRule: "pkix-ta/spk-empty/pkix-ok"},
		// A self-signed leaf anchors itself whatever else is presented.
		{name: "pkix-ta/spk-empty/self-signed-in-ts-with-extra", usage: PKIXTA, ts: storeOf(p.selfSigned), chain: chainOf(p.selfSigned, p.inter), wantOK: true, wantRule: "pkix-ta/spk-empty/pkix-ok"},
		{name: "pkix-ta/spk-empty/expired-root", usage: PKIXTA, ts: storeOf(p.expiredRoot), chain: chainOf(p.leafUnderExpiredRoot, p.interUnderExpiredRoot), wantRule: "pkix-ta/spk-empty/pkix-failed"},
		{name: "pkix-ta/spk-empty/expired-intermediate", usage: PKIXTA, ts: storeOf(p.root), chain: chainOf(p.leafUnderExpiredInter, p.expiredInter), wantRule: "pkix-ta/spk-empty/pkix-failed"},
		{name: "pkix-ta/spk-empty/not-yet-valid", usage: PKIXTA, ts: storeOf(p.root), chain: chainOf(p.futureLeaf, p.inter), wantRule: "pkix-ta/spk-empty/pkix-failed"},
		{name: "pkix-ta/spk-empty/ipv4", usage: PKIXTA, ts: storeOf(p.root), chain: chainOf(p.ipLeaf, p.inter), host: "127.0.0.1", wantOK: true, wantRule: "pkix-ta/spk-empty/pkix-ok"},
		{name: "pkix-ta/spk-empty/ipv6", usage: PKIXTA, ts: storeOf(p.root), chain: chainOf(p.ipLeaf, p.inter), host: "::1", wantOK: true, wantRule: "pkix-ta/spk-empty/pkix-ok"},
		{name: "pkix-ta/spk-empty/ip-leaf-dns-name", usage: PKIXTA, ts: storeOf(p.root), chain: chainOf(p.ipLeaf, p.inter), wantRule: "pkix-ta/spk-empty/name-mismatch"},
		{name: "pkix-ta/spk-empty/cn-only", usage: PKIXTA, ts: storeOf(p.root), chain: chainOf(p.cnOnly, p.inter), wantOK: true, wantRule: "pkix-ta/spk-empty/pkix-ok"},
		{name: "pkix-ta/spk-empty/wildcard", usage: PKIXTA, ts: storeOf(p.root), chain: chainOf(p.wildcard, p.inter), host: "coap.example.test", wantOK: true, wantRule: "pkix-ta/spk-empty/pkix-ok"},
		{name: "pkix-ta/spk-empty/empty-name", usage: PKIXTA, ts: storeOf(p.root), chain: good, host: "-", wantRule: "pkix-ta/spk-empty/name-mismatch"},

		// 2 DANE-TA.
		{name: "dane-ta/root-spk", usage: DANETA, spk: p.root.der(), chain: good, wantOK: true, wantRule: "dane-ta/ok"},
		{name: "dane-ta/root-spk-pem", usage: DANETA, spk: p.root.pem(), chain: good, wantOK: true, wantRule: "dane-ta/ok"},
		{name: "dane-ta/intermediate-spk", usage: DANETA, spk: p.inter.der(), chain: good, wantOK: true, wantRule: "dane-ta/ok"},
		{name: "dane-ta/missing-intermediate-spk-is-it", usage: DANETA, spk: p.inter.der(), chain: chainOf(p.leaf), wantOK: true, wantRule: "dane-ta/ok"},
		{name: "dane-ta/missing-intermediate", usage: DANETA, spk: p.root.der(), chain: chainOf(p.leaf), wantRule: "dane-ta/no-path-to-spk"},
		{name: "dane-ta/ts-ignored", usage: DANETA, spk: p.root.der(), ts: storeOf(p.otherRoot), chain: good, wantOK: true, wantRule: "dane-ta/ok"},
		{name: "dane-ta/chain-holds-anchor", usage: DANETA, spk: p.root.der(), chain: chainOf(p.leaf, p.inter, p.root), wantOK: true, wantRule: "dane-ta/ok"},
		{name: "dane-ta/chain-shuffled", usage: DANETA, spk: p.root.der(), chain: chainOf(p.directLeaf, p.root, p.inter, p.otherInter, p.anchorSig), wantOK: true, wantRule: "dane-ta/ok"},
		{name: "dane-ta/unrelated-anchor", usage: DANETA, spk: p.otherRoot.der(), chain: good, wantRule: "dane-ta/no-path-to-spk"},
		{name: "dane-ta/unrelated-chain", usage: DANETA, spk: p.root.der(), chain: chainOf(p.otherLeaf, p.otherInter), wantRule: "dane-ta/no-path-to-spk"},
		{name: "dane-ta/leaf-spk", usage: DANETA, spk: p.leaf.der(), chain: good, wantRule: "dane-ta/spk-not-ca"},
		{name: "dane-ta/leaf-spk-with-ts", usage: DANETA, spk: p.leaf.der(), ts: storeOf(p.root), chain: good, wantRule: "dane-ta/spk-not-ca"},
		// The anchor's own validity period is checked (OpenSSL and Mbed TLS
		// reject; catalogue validity/expired-root/u2).
		{name: "dane-ta/expired-anchor", usage: DANETA, spk: p.expiredRoot.der(), chain: chainOf(p.leafUnderExpiredRoot, p.interUnderExpiredRoot), wantRule: "dane-ta/anchor-outside-validity"},
		{name: "dane-ta/expired-anchor-presented", usage: DANETA, spk: p.expiredRoot.der(), chain: chainOf(p.leafUnderExpiredRoot, p.interUnderExpiredRoot, p.expiredRoot), wantRule: "dane-ta/anchor-outside-validity"},
		{name: "dane-ta/expired-leaf", usage: DANETA, spk: p.root.der(), chain: chainOf(p.expiredLeaf, p.inter), wantRule: "dane-ta/outside-validity"},
		{name: "dane-ta/expired-intermediate", usage: DANETA, spk: p.root.der(), chain: chainOf(p.leafUnderExpiredInter, p.expiredInter), wantRule: "dane-ta/outside-validity"},
		{name: "dane-ta/expired-intermediate-is-anchor", usage: DANETA, spk: p.expiredInter.der(), chain: chainOf(p.leafUnderExpiredInter, p.expiredInter), wantRule: "dane-ta/anchor-outside-validity"},
		{name: "dane-ta/not-yet-valid-leaf", usage: DANETA, spk: p.inter.der(), chain: chainOf(p.futureLeaf, p.inter), wantRule: "dane-ta/outside-validity"},
		{name: "dane-ta/name-mismatch", usage: DANETA, spk: p.root.der(), chain: good, host: "other.test", wantRule: "dane-ta/name-mismatch"},
		{name: "dane-ta/leaf-is-anchor", usage: DANETA, spk: p.root.der(), chain: chainOf(p.root), wantRule: "dane-ta/leaf-is-anchor"},
		{name: "dane-ta/depth-3", usage: DANETA, spk: p.root.der(), chain: chainOf(p.directLeaf, p.anchorSig, p.inter), wantOK: true, wantRule: "dane-ta/ok"},
		{name: "dane-ta/garbage-spk", usage: DANETA, spk: garbage, chain: good, wantRule: "dane-ta/bad-spk"},

		// 3 DANE-EE and unset.
		{name: "dane-ee/leaf-spk", usage: DANEEE, spk: p.leaf.der(), chain: good, wantOK: true, wantRule: "dane-ee/ok"},
		{name: "dane-ee/leaf-spk-pem", usage: DANEEE, spk: p.leaf.pem(), chain: chainOf(p.leaf), wantOK: true, wantRule: "dane-ee/ok"},
		{name: "dane-ee/self-signed", usage: DANEEE, spk: p.selfSigned.der(), chain: chainOf(p.selfSigned), wantOK: true, wantRule: "dane-ee/ok"},
		{name: "dane-ee/expired-leaf", usage: DANEEE, spk: p.expiredLeaf.der(), chain: chainOf(p.expiredLeaf, p.inter), wantOK: true, wantRule: "dane-ee/ok"},
		{name: "dane-ee/not-yet-valid-leaf", usage: DANEEE, spk: p.futureLeaf.der(), chain: chainOf(p.futureLeaf), wantOK: true, wantRule: "dane-ee/ok"},
		{name: "dane-ee/name-not-checked", usage: DANEEE, spk: p.leaf.der(), chain: good, host: "other.test", wantOK: true, wantRule: "dane-ee/ok"},
		{name: "dane-ee/ts-ignored", usage: DANEEE, spk: p.leaf.der(), ts: storeOf(p.otherRoot), chain: good, wantOK: true, wantRule: "dane-ee/ok"},
		{name: "dane-ee/other-leaf", usage: DANEEE, spk: p.leaf.der(), chain: chainOf(p.otherLeaf, p.otherInter), wantRule: "dane-ee/leaf-differs-from-spk"},
		{name: "dane-ee/same-pki-other-leaf", usage: DANEEE, spk: p.leaf.der(), chain: chainOf(p.wildcard, p.inter), wantRule: "dane-ee/leaf-differs-from-spk"},
		{name: "dane-ee/ca-spk", usage: DANEEE, spk: p.root.der(), chain: chainOf(p.root), wantRule: "dane-ee/spk-is-ca"},
		{name: "dane-ee/ca-spk-with-ts", usage: DANEEE, spk: p.inter.der(), ts: storeOf(p.root), chain: good, wantRule: "dane-ee/spk-is-ca"},
		{name: "dane-ee/garbage-spk", usage: DANEEE, spk: garbage, chain: good, wantRule: "dane-ee/bad-spk"},
		{name: "unset/leaf-spk", usage: Unset, spk: p.leaf.der(), chain: good, wantOK: true, wantRule: "dane-ee/ok"},
		{name: "unset/expired-leaf", usage: Unset, spk: p.expiredLeaf.der(), chain: chainOf(p.expiredLeaf), wantOK: true, wantRule: "dane-ee/ok"},
		{name: "unset/other-leaf", usage: Unset, spk: p.leaf.der(), chain: chainOf(p.selfSigned), wantRule: "dane-ee/leaf-differs-from-spk"},
		{name: "unset/ca-spk", usage: Unset, spk: p.root.der(), chain: good, wantRule: "dane-ee/spk-is-ca"},
		{name: "unset/garbage-spk", usage: Unset, spk: garbage, chain: good, wantRule: "dane-ee/bad-spk"},

		// 2 and 3 without a Server Public Key.
		{name: "dane-ta/spk-empty/ts", usage: DANETA, ts: storeOf(p.root), chain: good, wantOK: true, wantRule: "dane-ta/spk-empty/pkix-ok"},
		{name: "dane-ee/spk-empty/ts", usage: DANEEE, ts: storeOf(p.root), chain: good, wantOK: true, wantRule: "dane-ee/spk-empty/pkix-ok"},
		{name: "unset/spk-empty/ts", usage: Unset, ts: storeOf(p.root), chain: good, wantOK: true, wantRule: "dane-ee/spk-empty/pkix-ok"},
		{name: "dane-ta/spk-empty/wrong-ts", usage: DANETA, ts: storeOf(p.otherRoot), chain: good, wantRule: "dane-ta/spk-empty/pkix-failed"},
		{name: "dane-ee/spk-empty/expired-leaf", usage: DANEEE, ts: storeOf(p.root), chain: chainOf(p.expiredLeaf, p.inter), wantRule: "dane-ee/spk-empty/pkix-failed"},
		{name: "dane-ee/spk-empty/name-mismatch", usage: DANEEE, ts: storeOf(p.root), chain: good, host: "other.test", wantRule: "dane-ee/spk-empty/name-mismatch"},
		{name: "dane-ta/spk-empty/no-ts", usage: DANETA, chain: good, wantOK: true, unchecked: true, wantRule: "dane-ta/spk-empty/unvalidated"},
		{name: "dane-ee/spk-empty/no-ts", usage: DANEEE, chain: chainOf(p.otherLeaf), wantOK: true, unchecked: true, wantRule: "dane-ee/spk-empty/unvalidated"},
		{name: "dane-ee/spk-empty/no-ts-expired", usage: DANEEE, chain: chainOf(p.expiredLeaf), ts: []*x509.Certificate{}, wantOK: true, unchecked: true, wantRule: "dane-ee/spk-empty/unvalidated"},
		{name: "unset/spk-empty/no-ts", usage: Unset, chain: good, wantOK: true, unchecked: true, wantRule: "dane-ee/spk-empty/unvalidated"},

		// Bad input.
		{name: "input/usage-4", usage: 4, spk: p.leaf.der(), chain: good, wantRule: "input/unknown-usage"},
		{name: "input/usage-minus-2", usage: -2, chain: good, wantRule: "input/unknown-usage"},
		{name: "input/empty-chain", usage: DANEEE, chain: nil, wantRule: "input/bad-chain"},
		{name: "input/garbage-leaf", usage: DANEEE, chain: [][]byte{garbage}, wantRule: "input/bad-chain"},
		{name: "input/garbage-intermediate", usage: PKIXTA, ts: storeOf(p.root), chain: [][]byte{p.leaf.der(), garbage}, wantRule: "input/bad-chain"},
		{name: "input/truncated-leaf", usage: DANEEE, spk: p.leaf.der(), chain: [][]byte{p.leaf.der()[:100]}, wantRule: "input/bad-chain"},
		{name: "input/nil-ts-entry", usage: PKIXTA, ts: []*x509.Certificate{p.root.cert, nil}, chain: good, wantRule: "input/bad-trust-store"},
		{name: "input/private-key-pem-spk", usage: DANEEE, spk: []byte("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"), chain: good, wantRule: "dane-ee/bad-spk"},
		{name: "input/truncated-spk", usage: DANEEE, spk: p.leaf.der()[:200], chain: good, wantRule: "dane-ee/bad-spk"},
	}
}

func TestVerify(t *testing.T) {
	p := testPKI(t)
	for _, tc := range verifyCases(p) {
		t.Run(tc.name, func(t *testing.T) {
			host := tc.host
			switch host {
			case "":
				host = "localhost"
			case "-":
				host = ""
			}
			d := Verify(Input{Usage: tc.usage, ServerPublicKey: tc.spk, TrustStore: tc.ts, Chain: tc.chain, ServerName: host, Now: testNow})
			if d.Accept != tc.wantOK || d.Rule != tc.wantRule {
				t.Fatalf("got accept=%v rule=%q (%s); want accept=%v rule=%q", d.Accept, d.Rule, d.Reason, tc.wantOK, tc.wantRule)
			}
			if want := tc.wantOK && !tc.unchecked; d.Validated != want {
				t.Errorf("Validated = %v, want %v (%s)", d.Validated, want, d.Reason)
			}
			checkReason(t, d)
		})
	}
}

// checkReason: one non-empty line that says which way it went.
func checkReason(t *testing.T, d Decision) {
	t.Helper()
	if d.Reason == "" || strings.ContainsAny(d.Reason, "\r\n") {
		t.Errorf("reason %q is not one non-empty line", d.Reason)
	}
	switch {
	case d.Accept && !d.Validated:
		if !strings.Contains(d.Reason, "WITHOUT ANY VALIDATION") {
			t.Errorf("unvalidated acceptance does not say so loudly: %q", d.Reason)
		}
	case d.Accept:
		if !strings.HasPrefix(d.Reason, "accepted: ") {
			t.Errorf("reason %q does not start with \"accepted: \"", d.Reason)
		}
	default:
		if !strings.HasPrefix(d.Reason, "rejected: ") {
			t.Errorf("reason %q does not start with \"rejected: \"", d.Reason)
		}
	}
}

// The x509 error must reach the reason, so a person sees why PKIX failed.
func TestVerifyReasonCarriesX509Error(t *testing.T) {
	p := testPKI(t)
	d := Verify(Input{Usage: PKIXTA, TrustStore: storeOf(p.root), Chain: chainOf(p.expiredLeaf, p.inter), ServerName: "localhost", Now: testNow})
	if !strings.Contains(d.Reason, "x509: certificate has expired") {
		t.Errorf("reason %q lacks the x509 error", d.Reason)
	}
	d = Verify(Input{Usage: DANETA, ServerPublicKey: p.root.der(), Chain: chainOf(p.leafUnderExpiredInter, p.expiredInter), ServerName: "localhost", Now: testNow})
	if !strings.Contains(d.Reason, `"Expired Intermediate" at depth 1`) || !strings.Contains(d.Reason, "expired at") {
		t.Errorf("reason %q does not name the expired intermediate", d.Reason)
	}
	d = Verify(Input{Usage: 7, Chain: chainOf(p.leaf)})
	if !strings.Contains(d.Reason, "unknown certificate usage 7") {
		t.Errorf("reason %q", d.Reason)
	}
}

// A zero Now means the current time.
func TestVerifyZeroNowIsCurrentTime(t *testing.T) {
	now := time.Now()
	root, err := issue(spec{cn: "now root", ca: true, validity: [2]time.Time{now.Add(-time.Hour), now.Add(time.Hour)}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := issue(spec{cn: "now leaf", validity: [2]time.Time{now.Add(-time.Hour), now.Add(time.Hour)}, dns: []string{"localhost"}}, &root)
	if err != nil {
		t.Fatal(err)
	}
	in := Input{Usage: PKIXTA, TrustStore: storeOf(root), Chain: chainOf(leaf), ServerName: "localhost"}
	if d := Verify(in); !d.Accept {
		t.Fatalf("zero Now rejected a currently valid chain: %s", d.Reason)
	}
	in.Now = now.Add(2 * time.Hour)
	if d := Verify(in); d.Accept {
		t.Fatalf("accepted a chain two hours after it expired: %s", d.Reason)
	}
}

// Certificates built by hand in the trust store must not make Verify panic;
// one with a nil ECDSA key crashes crypto/x509, and the chain is rejected.
func TestVerifyHandBuiltTrustStoreEntry(t *testing.T) {
	p := testPKI(t)
	nilKey := &x509.Certificate{
		Raw: []byte{1}, RawSubject: p.inter.cert.RawSubject, Subject: p.inter.cert.Subject,
		PublicKeyAlgorithm: x509.ECDSA, PublicKey: (*ecdsa.PublicKey)(nil),
		BasicConstraintsValid: true, IsCA: true, NotBefore: current[0], NotAfter: current[1],
	}
	for _, entry := range []*x509.Certificate{{}, nilKey} {
		for _, u := range []Usage{PKIXTA, PKIXEE, DANETA, DANEEE} {
			d := Verify(Input{Usage: u, TrustStore: []*x509.Certificate{entry}, Chain: chainOf(p.leaf), ServerName: "localhost", Now: testNow})
			if d.Accept {
				t.Errorf("usage %s accepted against a hand-built trust store entry: %s", u, d.Reason)
			}
		}
	}
	d := Verify(Input{Usage: PKIXTA, TrustStore: []*x509.Certificate{nilKey}, Chain: chainOf(p.leaf), ServerName: "localhost", Now: testNow})
	if d.Rule != "internal/panic" || !strings.Contains(d.Reason, "nil pointer") {
		t.Errorf("nil-key trust store entry: rule %q reason %q", d.Rule, d.Reason)
	}
}

// A server presenting certificates that all sign each other must not make
// the DANE-TA search run away.
func TestDANETABoundedWork(t *testing.T) {
	p := testPKI(t)
	chain := chainOf(p.leaf)
	for i := 0; i < 40; i++ {
		chain = append(chain, p.inter.der(), p.anchorSig.der(), p.otherInter.der())
	}
	start := time.Now()
	d := Verify(Input{Usage: DANETA, ServerPublicKey: p.otherRoot.der(), Chain: chain, ServerName: "localhost", Now: testNow})
	if d.Accept {
		t.Fatalf("accepted: %s", d.Reason)
	}
	if d.Rule != "dane-ta/too-many-signature-checks" {
		t.Errorf("rule = %q (%s)", d.Rule, d.Reason)
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("took %v", el)
	}
}

// Paths longer than maxPathLen below the anchor are refused.
func TestDANETADepthLimit(t *testing.T) {
	root, err := issue(spec{cn: "deep root", ca: true, validity: current}, nil)
	if err != nil {
		t.Fatal(err)
	}
	parent := root
	var cas []issued
	for i := 0; i < maxPathLen; i++ {
		ca, err := issue(spec{cn: "deep CA", ca: true, validity: current}, &parent)
		if err != nil {
			t.Fatal(err)
		}
		cas = append(cas, ca)
		parent = ca
	}
	leaf, err := issue(spec{cn: "deep leaf", validity: current, dns: []string{"localhost"}}, &parent)
	if err != nil {
		t.Fatal(err)
	}
	// leaf + 7 CAs below the anchor cas[0]: exactly maxPathLen certificates.
	chain := chainOf(leaf)
	for i := len(cas) - 1; i >= 1; i-- {
		chain = append(chain, cas[i].der())
	}
	d := Verify(Input{Usage: DANETA, ServerPublicKey: cas[0].der(), Chain: chain, ServerName: "localhost", Now: testNow})
	if !d.Accept {
		t.Fatalf("path of %d certificates rejected: %s", maxPathLen, d.Reason)
	}
	// One more level: anchor at root, maxPathLen+1 certificates below it.
	chain = append(chain, cas[0].der())
	d = Verify(Input{Usage: DANETA, ServerPublicKey: root.der(), Chain: chain, ServerName: "localhost", Now: testNow})
	if d.Accept || d.Rule != "dane-ta/no-path-to-spk" {
		t.Fatalf("path of %d certificates: accept=%v rule=%q (%s)", maxPathLen+1, d.Accept, d.Rule, d.Reason)
	}
}
