package catalog

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite fixtures/catalog/golden/expectations.txt")

const (
	tablesDir  = "../fixtures/catalog"
	goldenFile = "../fixtures/catalog/golden/expectations.txt"
)

func loadAll(t *testing.T) *Catalogue {
	t.Helper()
	cat, err := Load(tablesDir, knownRefs(t))
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// The committed golden matrix and the tables must agree.
func TestGoldenMatrix(t *testing.T) {
	got := Golden(loadAll(t).Cases)
	if *update {
		if err := os.MkdirAll(filepath.Dir(goldenFile), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(goldenFile, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(goldenFile)
	if err != nil {
		t.Fatalf("%v (run go test ./catalog -update once)", err)
	}
	if got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) || i < len(wl); i++ {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Fatalf("catalogue and %s disagree at line %d:\n catalogue: %s\n golden:    %s", goldenFile, i+1, g, w)
			}
		}
	}
}

// The certificate-usage matrix is the full cross product with the exact
// dimension names of the id scheme.
func TestCertUsageMatrixIsFullCrossProduct(t *testing.T) {
	cases := loadAll(t).Select("certusage")
	if len(cases) != 5*6*4*4 {
		t.Fatalf("certusage has %d cases, want 480", len(cases))
	}
	seen := map[string]bool{}
	for _, u := range []string{"u0", "u1", "u2", "u3", "unset"} {
		for _, s := range []string{"empty", "root", "int", "leaf", "other-leaf", "other-ca"} {
			for _, ts := range []string{"absent", "root", "other-root", "leaf"} {
				for _, ch := range []string{"leaf-int", "leaf", "full", "self-signed"} {
					seen["certusage/"+u+"/spk-"+s+"/ts-"+ts+"/chain-"+ch] = true
				}
			}
		}
	}
	for _, c := range cases {
		if !seen[c.ID] {
			t.Errorf("unexpected id %s", c.ID)
		}
		delete(seen, c.ID)
	}
	for id := range seen {
		t.Errorf("missing id %s", id)
	}
}

// Spot checks of single cells against the semantics table in DESIGN.md,
// written out literally so a wrong rule order shows up here.
func TestCertUsageSpotChecks(t *testing.T) {
	cat := loadAll(t)
	for id, want := range map[string]string{
		"certusage/u0/spk-root/ts-root/chain-leaf-int":       "accept seed",
		"certusage/u0/spk-int/ts-root/chain-leaf-int":        "reject seed",
		"certusage/u0/spk-leaf/ts-root/chain-leaf-int":       "reject seed",
		"certusage/u0/spk-empty/ts-root/chain-full":          "accept seed",
		"certusage/u1/spk-leaf/ts-absent/chain-leaf-int":     "reject seed",
		"certusage/u1/spk-leaf/ts-leaf/chain-self-signed":    "accept seed",
		"certusage/u1/spk-leaf/ts-leaf/chain-leaf-int":       "reject unspecified",
		"certusage/u1/spk-leaf/ts-leaf/chain-leaf":           "accept unspecified",
		"certusage/u2/spk-int/ts-absent/chain-leaf":          "accept seed",
		"certusage/u2/spk-root/ts-other-root/chain-leaf":     "reject seed",
		"certusage/u2/spk-empty/ts-absent/chain-self-signed": "accept seed",
		"certusage/u3/spk-leaf/ts-other-root/chain-leaf":     "accept seed",
		"certusage/u3/spk-root/ts-root/chain-leaf-int":       "reject seed",
		"certusage/unset/spk-leaf/ts-absent/chain-full":      "accept seed",
		"certusage/unset/spk-empty/ts-root/chain-leaf":       "reject rfc",
	} {
		c, ok := cat.Get(id)
		if !ok {
			t.Errorf("%s: missing", id)
			continue
		}
		if got := string(c.Expect) + " " + string(c.Basis); got != want {
			t.Errorf("%s: got %s, want %s (rule %s)", id, got, want, c.Origin)
		}
	}
	c, _ := cat.Get("certusage/u3/spk-empty/ts-absent/chain-leaf-int")
	if !c.Unvalidated {
		t.Errorf("usage 3 without SPK and trust store must be flagged unvalidated")
	}
	c, _ = cat.Get("certusage/u1/spk-leaf/ts-leaf/chain-self-signed")
	if c.SUT.ServerPublicKey != "main/self-signed" || len(c.SUT.TrustStore) != 1 || c.SUT.TrustStore[0] != "main/self-signed" {
		t.Errorf("$leaf must resolve to the presented self-signed leaf: %+v", c.SUT)
	}
	if c.SUT.Usage != 1 || c.Peer.Key != "main/self-signed" {
		t.Errorf("bad provisioning %+v / peer %+v", c.SUT, c.Peer)
	}
	c, _ = cat.Get("certusage/unset/spk-empty/ts-absent/chain-leaf")
	if c.SUT.Usage != UsageUnset || c.SUT.TrustStore != nil {
		t.Errorf("unset usage / absent trust store must stay unset: %+v", c.SUT)
	}
}

func TestEveryCaseCitesItsSource(t *testing.T) {
	counts := map[string]int{}
	for _, c := range loadAll(t).Cases {
		if c.Source == "" || c.Origin == "" || c.Description == "" {
			t.Errorf("%s: missing source, origin or description", c.ID)
		}
		if c.Basis == BasisSeed && !strings.Contains(c.Source, ".txt §") {
			t.Errorf("%s: basis seed must cite a seed file and section: %s", c.ID, c.Source)
		}
		if c.Basis == BasisRFC && !strings.Contains(c.Source, "RFC ") {
			t.Errorf("%s: basis rfc must cite an RFC: %s", c.ID, c.Source)
		}
		counts[c.Area+"/"+string(c.Basis)]++
	}
	t.Logf("cases per area and basis: %v", counts)
}

func TestSNIAndValidityWire(t *testing.T) {
	cat := loadAll(t)
	c, _ := cat.Get("sni/ip-san/u0")
	if !c.Wire.NoSNI || c.SUT.Host != "127.0.0.1" || c.Expect != Accept {
		t.Errorf("ip-san/u0: %+v", c)
	}
	c, _ = cat.Get("sni/sni-mismatch-uri-match/pkix")
	if c.Wire.SNI != "other.example.test" || c.SUT.SNI != "other.example.test" || c.Expect != Reject {
		t.Errorf("sni-mismatch-uri-match/pkix: %+v", c)
	}
	c, _ = cat.Get("validity/expired-leaf/u3")
	if c.Expect != Accept || c.Basis != BasisRFC {
		t.Errorf("DANE-EE ignores expiry (RFC 7671 §5.1): %+v", c)
	}
	if n := len(cat.Select("sni")); n != 48 {
		t.Errorf("sni: %d cases, want 48", n)
	}
	if n := len(cat.Select("validity")); n != 24 {
		t.Errorf("validity: %d cases, want 24", n)
	}
}

// `requires: []` on a dimension value clears the table default: the
// default-offer cases need no capability.
func TestRequiresOnAValueReplacesTheDefault(t *testing.T) {
	cat := loadAll(t)
	for id, want := range map[string]int{"ciphers/default-psk": 0, "ciphers/default-cert": 0, "ciphers/psk-one": 1} {
		c, ok := cat.Get(id)
		if !ok || len(c.Requires) != want {
			t.Errorf("%s: requires %v, want %d entries", id, c.Requires, want)
		}
	}
}
