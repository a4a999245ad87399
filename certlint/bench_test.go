package certlint

import "testing"

// BenchmarkLintOne lints one certificate (a leaf alone) against a profile;
// the target is well under 5 ms.
func BenchmarkLintOne(b *testing.B) {
	p, err := Load("ocf-identity")
	if err != nil {
		b.Fatal(err)
	}
	leaf := [][]byte{cert(b, "ocf-identity-good").DER}
	for b.Loop() {
		if _, err := p.LintDER(leaf, Params{}); err != nil {
			b.Fatal(err)
		}
	}
}
