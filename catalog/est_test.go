package catalog

import (
	"slices"
	"strings"
	"testing"
)

const estTable = `area: est
id: "est/{c}"
defaults:
  sut: {mode: cert, host: localhost, client_cert: w/leaf}
  peer: {chain: [w/leaf], key: w/leaf}
  est: {checks: [order]}
dimensions:
  - name: c
    values:
      plain: {}
      blocks: {est: {block_size: 64, crts_format: 287, checks: [block2, order]}}
      refuse: {est: {fault: wrong-key, fault_op: sen, validity: 10, server: foreign}, stay_alive: true}
rules:
  - when: {}
    expect: accept
    basis: rfc
    source: "RFC 9148 §4"
`

// The est: key of a dimension value merges into the defaults; checks add
// up without repeats.
func TestESTFields(t *testing.T) {
	cases, err := Parse("est.yaml", []byte(estTable), nil)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]Case{}
	for _, c := range cases {
		byID[c.ID] = c
	}
	if e := byID["est/plain"].EST; e == nil || !slices.Equal(e.Checks, []string{"order"}) || e.BlockSize != 0 {
		t.Errorf("plain: %+v", e)
	}
	if e := byID["est/blocks"].EST; e.BlockSize != 64 || e.CrtsFormat != 287 || !slices.Equal(e.Checks, []string{"order", "block2"}) {
		t.Errorf("blocks: %+v", e)
	}
	r := byID["est/refuse"]
	if e := r.EST; e.Fault != "wrong-key" || e.FaultOp != "sen" || e.Validity != 10 || e.Server != "foreign" || !r.StayAlive {
		t.Errorf("refuse: %+v", e)
	}
	if !r.HasESTCheck("order") || r.HasESTCheck("block2") {
		t.Error("HasESTCheck")
	}
	if byID["est/plain"].EST == byID["est/blocks"].EST {
		t.Error("cases share their EST settings")
	}
}

func TestESTFieldErrors(t *testing.T) {
	for value, want := range map[string]string{
		`{est: {fault: nonsense}}`:       `est.yaml:11: dimensions[0].values.bad.est.fault: unknown value "nonsense" (want one of wrong-key,`,
		`{est: {crts_format: 42}}`:       `est.yaml:11: dimensions[0].values.bad.est.crts_format: Content-Format 42: want 281 (pkcs7 certs-only) or 287 (pkix-cert)`,
		`{est: {block_size: 100}}`:       `block size 100: want 16, 32, 64`,
		`{est: {checks: [order, typo]}}`: `unknown EST check "typo"`,
		`{est: {fault_op: att}}`:         `unknown value "att" (want one of crts, sen, sren)`,
		`{est: {validity: 0}}`:           `est.yaml:11: dimensions[0].values.bad.est.validity`,
		`{est: {colour: red}}`:           `est.yaml:11: dimensions[0].values.bad.est.colour: unknown field`,
	} {
		table := strings.Replace(estTable, "      plain: {}\n", "      plain: {}\n      bad: "+value+"\n", 1)
		_, err := Parse("est.yaml", []byte(table), nil)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", value, err, want)
		}
	}
}
