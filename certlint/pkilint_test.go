package certlint

import (
	"encoding/json"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3"
	"github.com/zmap/zlint/v3/lint"
)

// pkilintPairs maps a zlint RFC 5280 lint to the pkilint findings that
// mean the same thing.
var pkilintPairs = map[string][]string{
	"e_cert_extensions_version_not_3":  {"pkix.certificate_version_is_not_v3"},
	"e_basic_constraints_not_critical": {"pkix.basic_constraints_extension_not_critical"},
	// Not paired: on a leaf with "cA FALSE, pathLen 0" pkilint 0.13.3
	// reports itu.invalid_asn1_syntax instead of
	// pkix.basic_constraints_has_pathlen_for_non_ca (zlint:
	// e_path_len_constraint_improperly_included).
	"e_ext_key_usage_cert_sign_without_ca":             {"pkix.ee_certificate_keycertsign_keyusage_set"},
	"e_ext_subject_key_identifier_missing_ca":          {"pkix.certificate_skid_ca_missing"},
	"w_ext_subject_key_identifier_missing_sub_cert":    {"pkix.certificate_skid_end_entity_missing"},
	"e_ext_authority_key_identifier_no_key_identifier": {"pkix.authority_key_identifier_extension_absent", "pkix.authority_key_identifier_keyid_missing"},
}

// TestPkilintAgreesWithZlint runs DigiCert's pkilint (lint_pkix_cert) on
// shipped fixtures and on edited ones that break the shared RFC 5280
// rules, and wants both linters to flag, or pass, each certificate alike.
// Without pkilint it skips, unless CI=true.
func TestPkilintAgreesWithZlint(t *testing.T) {
	bin, err := exec.LookPath("lint_pkix_cert")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("lint_pkix_cert not found (pip install pkilint)")
		}
		t.Skip("lint_pkix_cert not found (pip install pkilint)")
	}
	fixtures := map[string][]byte{}
	for _, n := range []string{"root", "int", "device-good", "device-ku-certsign", "device-self-signed", "ocf-identity-good", "ocf-role-good", "ocf-int"} {
		fixtures[n] = cert(t, n).DER
	}
	edits := map[string]struct {
		name string
		i    int
		edit func(*tbs)
	}{
		"v2-with-extensions":  {"device-good", 0, setVersion2},
		"int-bc-not-critical": {"device-good", 1, setExt(oidBC, false, bcCA)},
		"int-no-ski":          {"device-good", 1, dropExt(oidSKI)},
		"leaf-no-ski":         {"device-good", 0, dropExt(oidSKI)},
		"leaf-no-aki":         {"device-good", 0, dropExt(oidAKI)},
	}
	for n, e := range edits {
		fixtures[n] = edited(t, e.name, e.i, e.edit)[e.i]
	}
	names := make([]string, 0, len(pkilintPairs))
	for n := range pkilintPairs {
		names = append(names, n)
	}
	reg, err := lint.GlobalRegistry().Filter(lint.FilterOptions{IncludeNames: names})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	flagged := 0
	for name, der := range fixtures {
		file := filepath.Join(dir, name+".pem")
		if err := os.WriteFile(file, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(bin, "lint", "-f", "JSON", file).Output()
		if len(out) == 0 {
			t.Fatalf("%s: lint_pkix_cert: %v", name, err)
		}
		pki := pkilintCodes(t, out)
		c, err := x509.ParseCertificate(der)
		if err != nil {
			t.Fatal(err)
		}
		rs := zlint.LintCertificateEx(c, reg)
		for zname, codes := range pkilintPairs {
			z := rs.Results[zname].Status >= lint.Notice
			p := slices.ContainsFunc(codes, func(code string) bool { return slices.Contains(pki, code) })
			if z != p {
				t.Errorf("%s: zlint %s flagged=%v, pkilint %s flagged=%v (pkilint said %v)", name, zname, z, strings.Join(codes, "|"), p, pki)
			}
			if z && p {
				flagged++
			}
		}
	}
	// The edited fixtures must have been flagged by both, or the test proves little.
	if flagged < len(edits) {
		t.Errorf("only %d findings both linters share, want at least %d", flagged, len(edits))
	}
}

func pkilintCodes(t *testing.T, out []byte) []string {
	var doc struct {
		Results []struct {
			Findings []struct{ Code string } `json:"finding_descriptions"`
		} `json:"results"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatalf("pkilint output: %v: %s", err, out)
	}
	var codes []string
	for _, r := range doc.Results {
		for _, f := range r.Findings {
			codes = append(codes, f.Code)
		}
	}
	return codes
}
