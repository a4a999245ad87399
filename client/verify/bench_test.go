package verify

import "testing"

// BenchmarkVerify measures a PKIX-TA acceptance: root as Server Public Key
// and trust store, leaf and intermediate presented.
func BenchmarkVerify(b *testing.B) {
	p := testPKI(b)
	in := Input{
		Usage:           PKIXTA,
		ServerPublicKey: p.root.der(),
		TrustStore:      storeOf(p.root),
		Chain:           chainOf(p.leaf, p.inter),
		ServerName:      "localhost",
		Now:             testNow,
	}
	if d := Verify(in); !d.Accept {
		b.Fatalf("benchmark input rejected: %s", d.Reason)
	}
	b.ReportAllocs()
	for b.Loop() {
		Verify(in)
	}
}
