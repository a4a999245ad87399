package verify

import (
	"bytes"
	"math/rand"
	"strings"
	"testing"
)

// FuzzVerify mutates the Server Public Key and the presented chain. It calls
// decide, not Verify, so that a panic is reported rather than recovered.
func FuzzVerify(f *testing.F) {
	p := testPKI(f)
	rng := rand.New(rand.NewSource(1))
	random := make([]byte, 300)
	rng.Read(random)
	leaf, inter := p.leaf.der(), p.inter.der()
	seeds := []struct {
		usage      int8
		spk        []byte
		leaf, rest []byte
		ts         bool
	}{
		{0, p.root.der(), leaf, inter, true},
		{0, p.root.pem(), leaf, inter, true},
		{1, leaf, leaf, inter, true},
		{1, p.leaf.pem(), leaf, inter, true},
		{2, p.root.der(), leaf, inter, false},
		{2, inter, leaf, nil, false},
		{3, leaf, leaf, nil, false},
		{3, p.leaf.pem(), leaf, inter, false},
		{-1, leaf, leaf, nil, false},
		{2, nil, leaf, inter, false},
		{3, nil, leaf, inter, true},
		{0, p.root.der()[:len(p.root.der())/2], leaf, inter, true},
		{3, leaf[:len(leaf)-1], leaf, nil, false},
		{2, p.root.pem()[:40], leaf[:50], inter, false},
		{3, random, random, random, true},
		{2, random[:64], leaf, random[:10], false},
		{5, leaf, leaf, nil, false},
	}
	for _, s := range seeds {
		f.Add(s.usage, s.spk, s.leaf, s.rest, s.ts)
	}
	f.Fuzz(func(t *testing.T, usage int8, spk, leafDER, rest []byte, withTS bool) {
		in := Input{Usage: Usage(usage), ServerPublicKey: spk, Chain: [][]byte{leafDER}, ServerName: "localhost", Now: testNow}
		if len(rest) > 0 {
			in.Chain = append(in.Chain, rest)
		}
		if withTS {
			in.TrustStore = storeOf(p.root)
		}
		d := decide(in)
		if d.Reason == "" || d.Rule == "" || strings.ContainsAny(d.Reason, "\r\n") {
			t.Fatalf("bad decision text: rule %q reason %q", d.Rule, d.Reason)
		}
		if !d.Accept {
			return
		}
		if !in.Usage.valid() {
			t.Fatalf("accepted usage %d: %s", usage, d.Reason)
		}
		if len(spk) == 0 {
			if !d.Validated && (withTS || in.Usage.effective() < DANETA) {
				t.Fatalf("unvalidated acceptance outside usage 2/3 without trust store: %s", d.Reason)
			}
			return
		}
		if !d.Validated {
			t.Fatalf("unvalidated acceptance with a Server Public Key: %s", d.Reason)
		}
		key, err := ParseServerPublicKey(spk)
		if err != nil {
			t.Fatalf("accepted under usage %d with a Server Public Key that does not parse (%v): %s", usage, err, d.Reason)
		}
		if in.Usage.effective() == DANEEE && !bytes.Equal(key.Raw, leafDER) {
			t.Fatalf("DANE-EE accepted a leaf that is not the Server Public Key: %s", d.Reason)
		}
		if in.Usage.effective() != DANEEE && !withTS && in.Usage.effective() != DANETA {
			t.Fatalf("PKIX usage accepted without a trust store: %s", d.Reason)
		}
	})
}
