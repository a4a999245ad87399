package certlint

import (
	"encoding/asn1"
	"fmt"
	"slices"
	"strings"
	"testing"
)

var (
	lwm2mParams = Params{Endpoint: "dev1", Account: "account-7", MaxDepth: 3, Encoding: "pem"}
	ocfParams   = Params{}
)

// got renders findings as "rule:severity@cert", sorted, for literal comparison.
func got(t *testing.T, p *Profile, ders [][]byte, par Params) []string {
	t.Helper()
	fs, err := p.LintDER(ders, par)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range fs {
		out = append(out, fmt.Sprintf("%s:%s@%d", f.Rule, f.Severity, f.Cert))
	}
	slices.Sort(out)
	return out
}

func mustLoad(t *testing.T, name string) *Profile {
	t.Helper()
	p, err := Load(name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func ekuValue(t testing.TB, names ...asn1.ObjectIdentifier) []byte {
	v, err := asn1.Marshal(names)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

var (
	oidEKU       = asn1.ObjectIdentifier{2, 5, 29, 37}
	oidRole      = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 44924, 1, 7}
	setVersion2  = func(tb *tbs) { tb.Version = 1 }
	smallSerial  = func(tb *tbs) { tb.Serial.SetInt64(4097) }
	compliantFor = map[string]string{
		"lwm2m-device": "device-good", "lwm2m-bootstrap-device": "device-good",
		"ocf-identity": "ocf-identity-good", "ocf-role": "ocf-role-good",
	}
)

// TestCompliantChainsAreClean: each profile's compliant fixture, with its
// intermediate and root, gives no finding at all.
func TestCompliantChainsAreClean(t *testing.T) {
	for profile, fixture := range compliantFor {
		par := ocfParams
		if strings.HasPrefix(profile, "lwm2m") {
			par = lwm2mParams
		}
		if g := got(t, mustLoad(t, profile), chainDER(t, fixture), par); len(g) > 0 {
			t.Errorf("%s on %s: %v", profile, fixture, g)
		}
	}
}

type ruleCase struct {
	rule   string // the rule the negative breaks
	chain  func(t *testing.T) [][]byte
	params *Params  // nil: the profile family's defaults
	want   []string // every finding, "rule:severity@cert"
}

func named(name string) func(*testing.T) [][]byte {
	return func(t *testing.T) [][]byte { return chainDER(t, name) }
}

func edit(name string, i int, e func(*tbs)) func(*testing.T) [][]byte {
	return func(t *testing.T) [][]byte { return edited(t, name, i, e) }
}

// rfcCases break one RFC 5280/8813 or chain rule on a profile's compliant
// chain; extra lists what else the same edit breaks in that profile.
func rfcCases(good string, extra map[string][]string) []ruleCase {
	cs := []ruleCase{
		{rule: "rfc5280-extensions-need-v3", chain: edit(good, 0, setVersion2)},
		{rule: "rfc5280-bc-critical", chain: edit(good, 1, setExt(oidBC, false, bcCA)), want: []string{"rfc5280-bc-critical:error@1"}},
		{rule: "rfc5280-bc-pathlen-only-ca", chain: edit(good, 0, setExt(oidBC, true, bcLeafPathLen)), want: []string{"rfc5280-bc-pathlen-only-ca:error@0"}},
		{rule: "rfc5280-ku-certsign-needs-ca", chain: edit(good, 0, setExt(oidKU, true, kuSigAgreeSign))},
		{rule: "rfc5280-ku-some-bit", chain: edit(good, 0, setExt(oidKU, true, kuNoBits))},
		{rule: "rfc8813-ecdsa-ku", chain: edit(good, 0, setExt(oidKU, true, kuSigKeyEnc))},
		{rule: "rfc5280-ski-ca", chain: edit(good, 1, dropExt(oidSKI)), want: []string{"rfc5280-ski-ca:error@1"}},
		{rule: "rfc5280-ski-ee", chain: edit(good, 0, dropExt(oidSKI)), want: []string{"rfc5280-ski-ee:warn@0"}},
		{rule: "rfc5280-aki", chain: edit(good, 0, dropExt(oidAKI)), want: []string{"rfc5280-aki:error@0"}},
		{rule: "chain-issuer-is-ca", chain: edit(good, 1, setExt(oidKU, true, kuSigOnly)), want: []string{"chain-issuer-is-ca:error@1"}},
		{rule: "chain-path-len", chain: edit(good, 2, setExt(oidBC, true, bcCAPathLenZero)), want: []string{"chain-path-len:error@2"}},
	}
	for i := range cs {
		if x, ok := extra[cs[i].rule]; ok {
			cs[i].want = x
		}
	}
	return cs
}

func lwm2mCases(device bool) []ruleCase {
	cs := []ruleCase{
		{rule: "lwm2m-version-3", chain: edit("device-good", 0, setVersion2), want: []string{"lwm2m-version-3:error@0", "rfc5280-extensions-need-v3:error@0"}},
		{rule: "lwm2m-key-p256", chain: named("device-p384-key"), want: []string{"lwm2m-key-p256:error@0"}},
		{rule: "lwm2m-sig-ecdsa-sha256", chain: named("device-sha384"), want: []string{"lwm2m-sig-ecdsa-sha256:error@0"}},
		{rule: "lwm2m-not-self-signed", chain: named("device-self-signed"), want: []string{"lwm2m-not-before-issuer:notice@0", "lwm2m-not-self-signed:error@0"}},
		{rule: "lwm2m-not-before-issuer", chain: named("device-same-start"), want: []string{"lwm2m-not-before-issuer:error@0"}},
		{rule: "lwm2m-not-before-past", chain: named("device-future"), want: []string{"lwm2m-not-before-past:error@0"}},
		{rule: "lwm2m-validity-10-years", chain: named("device-ten-years"), want: []string{"lwm2m-validity-10-years:error@0"}},
		{rule: "lwm2m-cn-endpoint", chain: named("device-cn-other"), want: []string{"lwm2m-cn-endpoint:error@0"}},
		{rule: "lwm2m-chain-pem", chain: named("device-good"), params: &Params{Endpoint: lwm2mParams.Endpoint, Account: lwm2mParams.Account, MaxDepth: 3, Encoding: "der"}, want: []string{"lwm2m-chain-pem:error@0"}},
		{rule: "lwm2m-chain-depth", chain: named("device-deep"), want: []string{"lwm2m-chain-depth:error@0"}},
		{rule: "chain-linked", chain: func(t *testing.T) [][]byte {
			return [][]byte{cert(t, "device-good").DER, cert(t, "ocf-int").DER, cert(t, "ocf-root").DER}
		}, want: []string{"chain-linked:error@0"}},
	}
	if device {
		cs = append(cs, ruleCase{rule: "lwm2m-ou-account", chain: named("device-ou-other"), want: []string{"lwm2m-ou-account:error@0"}})
	}
	return append(cs, rfcCases("device-good", map[string][]string{
		"rfc5280-extensions-need-v3":   {"lwm2m-version-3:error@0", "rfc5280-extensions-need-v3:error@0"},
		"rfc5280-ku-certsign-needs-ca": {"rfc5280-ku-certsign-needs-ca:error@0"},
		"rfc5280-ku-some-bit":          {"rfc5280-ku-some-bit:error@0"},
		"rfc8813-ecdsa-ku":             {"rfc8813-ecdsa-ku:error@0"},
	})...)
}

func ocfCases(role bool) []ruleCase {
	good := "ocf-identity-good"
	if role {
		good = "ocf-role-good"
	}
	serverAuth, clientAuth := asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 1}, asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 2}
	cs := []ruleCase{
		{rule: "ocf-version-3", chain: edit(good, 0, setVersion2), want: []string{"ocf-version-3:error@0", "rfc5280-extensions-need-v3:error@0"}},
		{rule: "ocf-serial-random", chain: edit(good, 0, smallSerial), want: []string{"ocf-serial-random:warn@0"}},
		{rule: "ocf-impl-ee-key-usage", chain: edit(good, 0, setExt(oidKU, true, kuSigOnly)), want: []string{"ocf-impl-ee-key-usage:warn@0"}},
		{rule: "chain-linked", chain: func(t *testing.T) [][]byte {
			return [][]byte{cert(t, good).DER, cert(t, "int").DER, cert(t, "root").DER}
		}, want: []string{"chain-linked:error@0", "ocf-ca-eku:notice@1", "ocf-ca-eku:notice@2"}},
		{rule: "ocf-ca-eku", chain: edit(good, 1, dropExt(oidEKU)), want: []string{"ocf-ca-eku:notice@1"}},
	}
	if role {
		cs = append(cs,
			ruleCase{rule: "ocf-eku-role", chain: named("ocf-role-no-ocf-eku"), want: []string{"ocf-eku-role:error@0"}},
			ruleCase{rule: "ocf-eku-not-both", chain: named("ocf-both-ekus"), want: []string{"ocf-eku-not-both:error@0"}},
			ruleCase{rule: "ocf-eku-nested", chain: named("ocf-role-under-identity-only"), want: []string{"ocf-ca-eku:notice@1", "ocf-eku-nested:error@1"}},
			ruleCase{rule: "ocf-role-san", chain: named("ocf-role-no-dirname"), want: []string{"ocf-role-san:error@0"}},
			// Role-profile negatives for key and signature reuse identity
			// certificates, which also lack the role EKU and directory name.
			ruleCase{rule: "ocf-key-p256", chain: named("ocf-identity-p384-key"), want: []string{"ocf-eku-role:error@0", "ocf-key-p256:error@0", "ocf-role-san:error@0"}},
			ruleCase{rule: "ocf-sig-ecdsa-sha256", chain: named("ocf-identity-sha384"), want: []string{"ocf-eku-role:error@0", "ocf-key-p256:error@1", "ocf-role-san:error@0", "ocf-sig-ecdsa-sha256:error@0"}},
			ruleCase{rule: "ocf-impl-ee-tls-ekus", chain: edit(good, 0, setExt(oidEKU, false, ekuValue(nil, oidRole))), want: []string{"ocf-impl-ee-tls-ekus:warn@0"}},
			ruleCase{rule: "ocf-eku-no-any", chain: edit(good, 0, setExt(oidEKU, false, ekuValue(nil, serverAuth, clientAuth, asn1.ObjectIdentifier{2, 5, 29, 37, 0}, oidRole))), want: []string{"ocf-eku-nested:error@1", "ocf-eku-no-any:error@0"}},
		)
	} else {
		cs = append(cs,
			ruleCase{rule: "ocf-eku-identity", chain: named("ocf-identity-no-ocf-eku"), want: []string{"ocf-eku-identity:error@0"}},
			ruleCase{rule: "ocf-eku-not-both", chain: named("ocf-both-ekus"), want: []string{"ocf-eku-not-both:error@0"}},
			ruleCase{rule: "ocf-eku-no-any", chain: named("ocf-identity-any-eku"), want: []string{"ocf-eku-nested:error@1", "ocf-eku-no-any:error@0"}},
			ruleCase{rule: "ocf-eku-nested", chain: named("ocf-identity-any-eku"), want: []string{"ocf-eku-nested:error@1", "ocf-eku-no-any:error@0"}},
			ruleCase{rule: "ocf-key-p256", chain: named("ocf-identity-p384-key"), want: []string{"ocf-key-p256:error@0"}},
			ruleCase{rule: "ocf-sig-ecdsa-sha256", chain: named("ocf-identity-sha384"), want: []string{"ocf-key-p256:error@1", "ocf-sig-ecdsa-sha256:error@0"}},
			ruleCase{rule: "ocf-serial-random", chain: named("ocf-identity-serial-small"), want: []string{"ocf-serial-random:warn@0"}},
			ruleCase{rule: "ocf-ca-eku", chain: named("ocf-identity-under-no-eku"), want: []string{"ocf-ca-eku:notice@1"}},
			ruleCase{rule: "ocf-impl-ee-key-usage", chain: named("ocf-identity-ku-signature-only"), want: []string{"ocf-impl-ee-key-usage:warn@0"}},
			ruleCase{rule: "ocf-impl-ee-tls-ekus", chain: named("ocf-identity-no-tls-ekus"), want: []string{"ocf-impl-ee-tls-ekus:warn@0"}},
		)
	}
	return append(cs, rfcCases(good, map[string][]string{
		"rfc5280-extensions-need-v3":   {"ocf-version-3:error@0", "rfc5280-extensions-need-v3:error@0"},
		"rfc5280-ku-certsign-needs-ca": {"ocf-impl-ee-key-usage:warn@0", "rfc5280-ku-certsign-needs-ca:error@0"},
		"rfc5280-ku-some-bit":          {"ocf-impl-ee-key-usage:warn@0", "rfc5280-ku-some-bit:error@0"},
		"rfc8813-ecdsa-ku":             {"ocf-impl-ee-key-usage:warn@0", "rfc8813-ecdsa-ku:error@0"},
	})...)
}

// TestEveryRuleHasANegative runs, for every rule of every built-in
// profile, a fixture that breaks it and compares every finding with a
// literal list. The positive side is TestCompliantChainsAreClean.
func TestEveryRuleHasANegative(t *testing.T) {
	casesFor := map[string][]ruleCase{
		"lwm2m-device": lwm2mCases(true), "lwm2m-bootstrap-device": lwm2mCases(false),
		"ocf-identity": ocfCases(false), "ocf-role": ocfCases(true),
	}
	if names := Names(); !slices.Equal(names, []string{"lwm2m-bootstrap-device", "lwm2m-device", "ocf-identity", "ocf-role"}) {
		t.Fatalf("built-in profiles %v", names)
	}
	for profile, cases := range casesFor {
		p := mustLoad(t, profile)
		covered := map[string]bool{}
		for _, c := range cases {
			covered[c.rule] = true
			t.Run(profile+"/"+c.rule, func(t *testing.T) {
				par := ocfParams
				if strings.HasPrefix(profile, "lwm2m") {
					par = lwm2mParams
				}
				if c.params != nil {
					par = *c.params
				}
				g := got(t, p, c.chain(t), par)
				want := slices.Sorted(slices.Values(c.want))
				if !slices.Equal(g, want) {
					t.Errorf("findings\n got: %v\nwant: %v", g, want)
				}
				if !slices.ContainsFunc(g, func(s string) bool { return strings.HasPrefix(s, c.rule+":") }) {
					t.Errorf("negative for %s does not trigger it", c.rule)
				}
			})
		}
		for _, r := range p.Rules {
			if !covered[r.ID] {
				t.Errorf("%s: rule %s has no negative fixture", profile, r.ID)
			}
		}
	}
}
