package verify

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"testing"
	"time"
)

var oidECDSAWithSHA256 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}

// issueV1 makes an X.509 version 1 certificate (no extensions, so no basic
// constraints) signed by parent. crypto/x509 only writes version 3, and its
// CheckSignatureFrom lets a version 1 certificate sign others.
func issueV1(cn string, parent issued) (issued, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return issued{}, err
	}
	spki, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		return issued{}, err
	}
	subject, err := asn1.Marshal(pkix.Name{CommonName: cn}.ToRDNSequence())
	if err != nil {
		return issued{}, err
	}
	alg := pkix.AlgorithmIdentifier{Algorithm: oidECDSAWithSHA256}
	tbs, err := asn1.Marshal(struct {
		Serial   *big.Int
		Alg      pkix.AlgorithmIdentifier
		Issuer   asn1.RawValue
		Validity struct{ NotBefore, NotAfter time.Time }
		Subject  asn1.RawValue
		SPKI     asn1.RawValue
	}{
		Serial:   big.NewInt(4242),
		Alg:      alg,
		Issuer:   asn1.RawValue{FullBytes: parent.cert.RawSubject},
		Validity: struct{ NotBefore, NotAfter time.Time }{current[0].Truncate(time.Second), current[1].Truncate(time.Second)},
		Subject:  asn1.RawValue{FullBytes: subject},
		SPKI:     asn1.RawValue{FullBytes: spki},
	})
	if err != nil {
		return issued{}, err
	}
	digest := sha256.Sum256(tbs)
	sig, err := ecdsa.SignASN1(rand.Reader, parent.key, digest[:])
	if err != nil {
		return issued{}, err
	}
	der, err := asn1.Marshal(struct {
		TBS asn1.RawValue
		Alg pkix.AlgorithmIdentifier
		Sig asn1.BitString
	}{asn1.RawValue{FullBytes: tbs}, alg, asn1.BitString{Bytes: sig, BitLength: 8 * len(sig)}})
	if err != nil {
		return issued{}, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return issued{}, err
	}
	return issued{cert: cert, key: key}, nil
}

// A version 1 certificate is not a CA: it cannot be an intermediate on a
// DANE-TA path, nor a DANE-TA or PKIX-TA anchor.
func TestVersion1CertificateIsNotAnIssuer(t *testing.T) {
	p := testPKI(t)
	v1, err := issueV1("v1 not a CA", p.inter)
	if err != nil {
		t.Fatal(err)
	}
	if v1.cert.Version != 1 || v1.cert.IsCA {
		t.Fatalf("fixture: version %d IsCA %v", v1.cert.Version, v1.cert.IsCA)
	}
	leaf, err := issue(spec{cn: "leaf under v1", validity: current, dns: []string{"localhost"}}, &v1)
	if err != nil {
		t.Fatal(err)
	}
	if err := leaf.cert.CheckSignatureFrom(v1.cert); err != nil {
		t.Fatalf("fixture: crypto/x509 refuses the v1 issuer itself (%v); the test needs it to accept", err)
	}
	cases := []struct {
		name     string
		in       Input
		wantRule string
	}{
		{"dane-ta path through v1", Input{Usage: DANETA, ServerPublicKey: p.root.der(), Chain: chainOf(leaf, v1, p.inter)}, "dane-ta/no-path-to-spk"},
		{"dane-ta v1 anchor", Input{Usage: DANETA, ServerPublicKey: v1.der(), Chain: chainOf(leaf, v1)}, "dane-ta/spk-not-ca"},
		{"pkix-ta v1 anchor", Input{Usage: PKIXTA, ServerPublicKey: v1.der(), TrustStore: storeOf(v1), Chain: chainOf(leaf)}, "pkix-ta/spk-not-ca"},
		{"pkix path through v1", Input{Usage: PKIXTA, TrustStore: storeOf(p.root), Chain: chainOf(leaf, v1, p.inter)}, "pkix-ta/spk-empty/pkix-failed"},
	}
	for _, tc := range cases {
		tc.in.ServerName, tc.in.Now = "localhost", testNow
		d := Verify(tc.in)
		if d.Accept || d.Rule != tc.wantRule {
			t.Errorf("%s: accept=%v rule=%q (%s), want rule %q", tc.name, d.Accept, d.Rule, d.Reason, tc.wantRule)
		}
	}
}
