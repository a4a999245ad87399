package certgen

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// markedLine is the 1-based line carrying the "#<" marker.
func markedLine(t *testing.T, spec string) int {
	t.Helper()
	for i, l := range strings.Split(spec, "\n") {
		if strings.Contains(l, "#<") {
			return i + 1
		}
	}
	t.Fatal("spec has no #< marker")
	return 0
}

func TestParseRejectsBadSpecs(t *testing.T) {
	cases := []struct {
		name, spec, want string // want: the message after "file:line: "
	}{
		{"unknown key type", `world: w
certs:
  - name: root
    kind: root
    subject: {cn: Root}
  - name: leaf
    kind: leaf
    role: server
    issuer: root
    key: p521 #<
    subject: {cn: x}
`, `certs[1].key: unknown key type "p521" (want p256, p384, ed25519, rsa2048)`},
		{"unknown field", `world: w
certs:
  - name: root
    kind: root
    colour: blue #<
    subject: {cn: Root}
`, `certs[0].colour: unknown field (want name, kind, role, issuer, subject, san, key, validity, eku, basic_constraints, key_usage, not_before, lifetime, serial)`},
		{"unknown top-level field", `world: w
cert: [] #<
`, `cert: unknown field (want world, description, certs, truststores)`},
		{"unknown subject field", `world: w
certs:
  - name: root
    kind: root
    subject:
      cn: Root
      c: DE #<
`, `certs[0].subject.c: unknown field (want cn, o, ou)`},
		{"unknown issuer", `world: w
certs:
  - name: root
    kind: root
    subject: {cn: Root}
  - name: leaf
    kind: leaf
    role: client
    issuer: roto #<
    subject: {cn: x}
`, `certs[1].issuer: unknown issuer "roto"`},
		{"issuer is a leaf", `world: w
certs:
  - name: root
    kind: root
    subject: {cn: Root}
  - name: a
    kind: leaf
    role: server
    issuer: root
    subject: {cn: a}
  - name: b
    kind: leaf
    role: server
    issuer: a #<
    subject: {cn: b}
`, `certs[2].issuer: issuer "a" is a leaf certificate, not a root or intermediate`},
		{"issuer is self-signed", `world: w
certs:
  - name: ss
    kind: self-signed
    role: server
    subject: {cn: ss}
  - name: b
    kind: leaf
    role: server
    issuer: ss #<
    subject: {cn: b}
`, `certs[1].issuer: issuer "ss" is a self-signed certificate, not a root or intermediate`},
		{"issuer cycle", `world: w
certs:
  - name: a
    kind: intermediate
    issuer: b #<
    subject: {cn: a}
  - name: b
    kind: intermediate
    issuer: a
    subject: {cn: b}
`, `certs[0].issuer: issuer chain loops: a -> b -> a`},
		{"self-issued intermediate", `world: w
certs:
  - name: a
    kind: intermediate
    issuer: a #<
    subject: {cn: a}
`, `certs[0].issuer: issuer chain loops: a -> a`},
		{"duplicate cert name", `world: w
certs:
  - name: root
    kind: root
    subject: {cn: Root}
  - name: root #<
    kind: root
    subject: {cn: Root 2}
`, `certs[1].name: duplicate certificate name "root" (first at line 3)`},
		{"unknown truststore member", `world: w
certs:
  - name: root
    kind: root
    subject: {cn: Root}
truststores:
  - name: ts
    certs:
      - root
      - rot #<
`, `truststores[0].certs[1]: unknown certificate "rot"`},
		{"duplicate truststore", `world: w
certs:
  - name: root
    kind: root
    subject: {cn: Root}
truststores:
  - name: ts
    certs: [root]
  - name: ts #<
    certs: [root]
`, `truststores[1].name: duplicate trust store name "ts" (first at line 7)`},
		{"empty cert name", `world: w
certs:
  - name: "" #<
    kind: root
    subject: {cn: Root}
`, `certs[0].name: empty name`},
		{"missing cert name", `world: w
certs:
  - kind: root #<
    subject: {cn: Root}
`, `certs[0].name: empty name`},
		{"slash in name", `world: w
certs:
  - name: a/b #<
    kind: root
    subject: {cn: Root}
`, `certs[0].name: invalid name "a/b" (letters, digits, '.', '_' and '-', not starting with '.', '_' or '-')`},
		{"empty world name", `world: "" #<
certs:
  - name: root
    kind: root
    subject: {cn: Root}
`, `world: empty name`},
		{"unknown kind", `world: w
certs:
  - name: root
    kind: ca #<
    subject: {cn: Root}
`, `certs[0].kind: unknown kind "ca" (want root, intermediate, leaf, self-signed)`},
		{"unknown role", `world: w
certs:
  - name: ss
    kind: self-signed
    role: peer #<
    subject: {cn: x}
`, `certs[0].role: unknown role "peer" (want server, client)`},
		{"missing role", `world: w
certs:
  - name: ss #<
    kind: self-signed
    subject: {cn: x}
`, `certs[0].role: required for a self-signed certificate (want server, client)`},
		{"role on a CA", `world: w
certs:
  - name: root
    kind: root
    role: server #<
    subject: {cn: x}
`, `certs[0].role: a root certificate has no role (role is for leaf and self-signed)`},
		{"issuer on a root", `world: w
certs:
  - name: root
    kind: root
    issuer: root #<
    subject: {cn: x}
`, `certs[0].issuer: a root certificate has no issuer`},
		{"missing issuer", `world: w
certs:
  - name: leaf #<
    kind: leaf
    role: client
    subject: {cn: x}
`, `certs[0].issuer: required for a leaf certificate`},
		{"missing cn", `world: w
certs:
  - name: root
    kind: root
    subject: {o: x} #<
`, `certs[0].subject.cn: required`},
		{"unknown validity", `world: w
certs:
  - name: root
    kind: root
    validity: stale #<
    subject: {cn: x}
`, `certs[0].validity: unknown validity "stale" (want valid, expired, not-yet-valid)`},
		{"unknown eku", `world: w
certs:
  - name: ss
    kind: self-signed
    role: client
    eku:
      - clientAuth
      - codeSigning #<
    subject: {cn: x}
`, `certs[0].eku[1]: unknown EKU "codeSigning" (want serverAuth, clientAuth, ocf-identity, ocf-role, any)`},
		{"eku not a list", `world: w
certs:
  - name: ss
    kind: self-signed
    role: client
    eku: clientAuth #<
    subject: {cn: x}
`, `certs[0].eku: want a list, got "clientAuth"`},
		{"unknown basic_constraints", `world: w
certs:
  - name: root
    kind: root
    basic_constraints: yes #<
    subject: {cn: x}
`, `certs[0].basic_constraints: unknown basic_constraints value "yes" (want correct, missing, wrong)`},
		{"unknown key_usage", `world: w
certs:
  - name: root
    kind: root
    key_usage: all #<
    subject: {cn: x}
`, `certs[0].key_usage: unknown key_usage value "all" (want correct, missing, wrong)`},
		{"empty enum value", `world: w
certs:
  - name: root
    kind: root
    key: #<
    subject: {cn: x}
`, `certs[0].key: empty value (omit the field for the default)`},
		{"bad ip", `world: w
certs:
  - name: ss
    kind: self-signed
    role: server
    subject: {cn: x}
    san:
      ip: [127.0.0.1, 300.1.1.1] #<
`, `certs[0].san.ip[1]: invalid IP address "300.1.1.1"`},
		{"bad dns", `world: w
certs:
  - name: ss
    kind: self-signed
    role: server
    subject: {cn: x}
    san:
      dns:
        - "two words" #<
`, `certs[0].san.dns[0]: invalid DNS name "two words" (printable ASCII without spaces)`},
		{"repeated field", `world: w
certs:
  - name: root
    kind: root
    subject: {cn: x}
    kind: intermediate #<
`, `certs[0].kind: repeated field (first at line 4)`},
		{"certs not a list", `world: w
certs: #<
  root: {kind: root}
`, `certs: want a list of certificates, got a mapping`},
		{"no certs", `world: w #<
`, `certs: no certificates`},
		{"subject not a mapping", `world: w
certs:
  - name: root
    kind: root
    subject: Root #<
`, `certs[0].subject: want a mapping with fields cn, o, ou, got "Root"`},
		{"yaml syntax", `world: w
certs:
  - name: root
    kind: a: b #<
`, `invalid YAML: mapping values are not allowed in this context`},
		{"yaml bad indentation, at its own line", `world: w
certs:
  - name: root
    kind: root
   subject: {cn: x} #<
`, `invalid YAML: did not find expected '-' indicator`},
		{"bad not_before", `world: w
certs:
  - name: root
    kind: root
    subject: {cn: x}
    not_before: 30 minutes #<
`, `certs[0].not_before: bad time span "30 minutes" (want a signed number and a unit y, d, h, m or s, e.g. "-30m", "+1h", "-2d")`},
		{"signed lifetime", `world: w
certs:
  - name: root
    kind: root
    subject: {cn: x}
    lifetime: -1y #<
`, `certs[0].lifetime: bad time span "-1y" (want a number and a unit y, d, h, m or s, e.g. "10y", "3650d")`},
		{"zero lifetime", `world: w
certs:
  - name: root
    kind: root
    subject: {cn: x}
    lifetime: 0d #<
`, `certs[0].lifetime: lifetime must be positive`},
		{"window upside down", `world: w
certs:
  - name: root
    kind: root
    subject: {cn: x}
    not_before: +21y #<
`, `certs[0].not_before: not_before +21y is not before the end of the valid window`},
		{"unknown key usage bit", `world: w
certs:
  - name: root
    kind: root
    subject: {cn: x}
    key_usage:
      - keyCertSign
      - signing #<
`, `certs[0].key_usage[1]: unknown key usage "signing" (want digitalSignature, contentCommitment, keyEncipherment, dataEncipherment, keyAgreement, keyCertSign, cRLSign)`},
		{"repeated key usage bit", `world: w
certs:
  - name: root
    kind: root
    subject: {cn: x}
    key_usage: [keyCertSign, keyCertSign] #<
`, `certs[0].key_usage[1]: key usage "keyCertSign" listed twice`},
		{"directory name without cn", `world: w
certs:
  - name: root
    kind: root
    subject: {cn: x}
    san:
      dir:
        - {ou: authority} #<
`, `certs[0].san.dir[0].cn: required`},
		{"serial zero", `world: w
certs:
  - name: root
    kind: root
    subject: {cn: x}
    serial: 0 #<
`, `certs[0].serial: want an integer from 1 to 9223372036854775807`},
		{"two documents", `world: w
certs:
  - {name: root, kind: root, subject: {cn: x}}
--- #<
world: v
`, `more than one YAML document (one world per file)`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("worlds/w.yaml", []byte(tc.spec))
			want := fmt.Sprintf("worlds/w.yaml:%d: %s", markedLine(t, tc.spec), tc.want)
			if err == nil || err.Error() != want {
				t.Fatalf("error\n got: %v\nwant: %s", err, want)
			}
		})
	}
}

func TestParseFillsDefaults(t *testing.T) {
	w, err := Parse("w.yaml", []byte(`world: w
description: d
certs:
  - name: root
    kind: root
    subject: {cn: Root, o: Org, ou: Unit}
  - name: leaf
    kind: leaf
    role: server
    issuer: root
    subject: {cn: host}
    san: {dns: [a.test, "*.b.test"], ip: ["::1", 10.0.0.1]}
  - name: bare
    kind: leaf
    role: client
    issuer: root
    eku: []
    key: ed25519
    validity: expired
    basic_constraints: missing
    key_usage: wrong
    subject: {cn: dev}
truststores:
  - name: empty
    certs: []
`))
	if err != nil {
		t.Fatal(err)
	}
	root, leaf, bare := w.Certs[0], w.Certs[1], w.Certs[2]
	if w.Name != "w" || w.Description != "d" || w.File != "w.yaml" {
		t.Errorf("world %q %q %q", w.Name, w.Description, w.File)
	}
	if root.Role != RoleCA || root.Key != "p256" || root.Validity != "valid" || root.BasicConstraints != "correct" || root.KeyUsage != "correct" ||
		root.EKU == nil || len(root.EKU) != 0 || root.Subject != (Subject{CN: "Root", O: "Org", OU: "Unit"}) {
		t.Errorf("root defaults: %+v", root)
	}
	if !slices.Equal(leaf.EKU, []string{"serverAuth"}) || !slices.Equal(leaf.DNS, []string{"a.test", "*.b.test"}) ||
		len(leaf.IPs) != 2 || leaf.IPs[0].String() != "::1" || leaf.IPs[1].String() != "10.0.0.1" {
		t.Errorf("leaf: eku %v dns %v ips %v", leaf.EKU, leaf.DNS, leaf.IPs)
	}
	if len(bare.EKU) != 0 || bare.Key != "ed25519" || bare.Validity != "expired" || bare.BasicConstraints != "missing" || bare.KeyUsage != "wrong" {
		t.Errorf("explicit values: %+v", bare)
	}
	if len(w.TrustStores) != 1 || len(w.TrustStores[0].Certs) != 0 {
		t.Errorf("trust stores %+v", w.TrustStores)
	}
}

func TestLoadDirErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := LoadDir(dir); err == nil || !strings.Contains(err.Error(), "no world specs") {
		t.Errorf("empty dir: %v", err)
	}
	if _, err := LoadDir(filepath.Join(dir, "missing")); err == nil {
		t.Error("missing dir accepted")
	}
	spec := "description: x\nworld: same\ncerts: [{name: r, kind: root, subject: {cn: r}}]\n"
	write("a.yaml", spec)
	write("notes.txt", "not a world")
	worlds, err := LoadDir(dir)
	if err != nil || len(worlds) != 1 {
		t.Fatalf("one world: %v %v", worlds, err)
	}
	write("b.yaml", spec)
	want := fmt.Sprintf("%s:2: world: duplicate world name \"same\" (also in %s:2)", filepath.Join(dir, "b.yaml"), filepath.Join(dir, "a.yaml"))
	if _, err := LoadDir(dir); err == nil || err.Error() != want {
		t.Errorf("duplicate world\n got: %v\nwant: %s", err, want)
	}
	write("b.yaml", "world: other\ncerts:\n  - {name: r, kind: root, key: p521, subject: {cn: r}}\n")
	want = filepath.Join(dir, "b.yaml") + `:3: certs[0].key: unknown key type "p521" (want p256, p384, ed25519, rsa2048)`
	if _, err := LoadDir(dir); err == nil || err.Error() != want {
		t.Errorf("bad file\n got: %v\nwant: %s", err, want)
	}
}
