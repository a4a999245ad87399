package sut

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

const goodProfile = `name: good
description: a profile with every section
command:
  - "{{.Harness}}"
  - client
  - "--endpoint={{.Endpoint}}"
  - "{{with .SNI}}--sni={{.}}{{end}}"
workdir: "{{.Dir}}"
env: {SSLKEYLOGFILE: "{{.KeyLogFile}}", B_VAR: fixed}
capabilities: {cid: true, resumption: true, max_psk_len: 64, real_time_clock: true, sni: true, cipher_suites: true, cert_usage: true, flight_interval: 1500ms}
timeouts: {start: 2s, handshake: 7s}
baseline:
  - case: certusage/u0/a
    outcome: accepted
    reason: "known: accepts an intermediate"
`

func TestLoadProfileGood(t *testing.T) {
	p := mustLoad(t, goodProfile)
	if p.Name != "good" || p.Description != "a profile with every section" {
		t.Errorf("name/description = %q/%q", p.Name, p.Description)
	}
	want := Capabilities{CID: true, Resumption: true, MaxPSKLen: 64, RealTimeClock: true, SNI: true,
		CipherSuites: true, CertUsage: true, FlightInterval: 1500 * time.Millisecond}
	if !reflect.DeepEqual(p.Capabilities, want) {
		t.Errorf("capabilities = %+v, want %+v", p.Capabilities, want)
	}
	// case is not given: it keeps its default.
	if p.Timeouts != (Timeouts{Start: 2 * time.Second, Handshake: 7 * time.Second, Case: DefaultTimeouts.Case}) {
		t.Errorf("timeouts = %+v", p.Timeouts)
	}
	a := NewExec(p)
	wantDev := Deviation{Case: "certusage/u0/a", Reason: "known: accepts an intermediate",
		Outcome: "accepted", Checks: []string{"decision"}, Line: 13}
	if got, ok := a.Baseline("certusage/u0/a"); !ok || !reflect.DeepEqual(got, wantDev) {
		t.Errorf("baseline = %+v, %v; want %+v", got, ok, wantDev)
	}
	if got, ok := a.Baseline("certusage/u0/b"); ok {
		t.Errorf("baseline of an unlisted case = %+v", got)
	}
	if a.Name() != "good" || !reflect.DeepEqual(a.Capabilities(), want) {
		t.Errorf("adapter name/capabilities = %q/%+v", a.Name(), a.Capabilities())
	}
}

func TestLoadProfileNameDefaultsToFileName(t *testing.T) {
	path := filepath.Join(t.TempDir(), "my-client.yaml")
	if err := os.WriteFile(path, []byte("command: [true]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := LoadProfile(path)
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "my-client" || p.Timeouts != DefaultTimeouts {
		t.Errorf("name %q timeouts %+v", p.Name, p.Timeouts)
	}
}

func TestLoadProfileErrors(t *testing.T) {
	cases := []struct {
		name, body, want string
	}{
		{"unknown top-level field", "command: [x]\ncomand: [y]\n", ":2: comand: unknown field"},
		{"unknown template field", "command:\n  - a\n  - b\n  - c\n  - \"{{.SNIX}}\"\n", ":5: command[3]: template: unknown field .SNIX"},
		{"template does not parse", "command:\n  - a\n  - \"{{.SNI\"\n", ":3: command[1]: template: "},
		{"unknown capability", "command: [x]\ncapabilities:\n  cid: true\n  dtls13: true\n", ":4: capabilities.dtls13: unknown field"},
		{"bad duration", "command: [x]\ncapabilities: {flight_interval: soon}\n", `:2: capabilities.flight_interval: bad duration "soon"`},
		{"bad timeout", "command: [x]\ntimeouts:\n  case: 10\n", `:3: timeouts.case: bad duration "10"`},
		{"bad bool", "command: [x]\ncapabilities: {sni: maybe}\n", `:2: capabilities.sni: must be true or false`},
		{"bad int", "command: [x]\ncapabilities: {max_psk_len: -1}\n", `:2: capabilities.max_psk_len: must be a non-negative integer`},
		{"missing command", "name: x\n", ":1: command: missing"},
		{"empty command", "command: []\n", ":1: command: must be a non-empty list"},
		{"program renders empty", "command: [\"{{.Nothing}}\"]\n", ":1: command[0]: template: unknown field .Nothing"},
		{"program empty", "command: [\"{{with .Nope}}{{end}}\", x]\n", ":1: command[0]: template: unknown field .Nope"},
		{"program blank", "command: [\"{{if false}}x{{end}}\", x]\n", ":1: command[0]: the program name renders empty"},
		{"workdir template", "command: [x]\nworkdir: \"{{.Dri}}\"\n", ":2: workdir: template: unknown field .Dri"},
		{"env template", "command: [x]\nenv:\n  A: ok\n  B: \"{{.Keylog}}\"\n", ":4: env.B: template: unknown field .Keylog"},
		{"env not a mapping", "command: [x]\nenv: [A]\n", ":2: env: must be a mapping"},
		{"baseline without reason", "command: [x]\nbaseline:\n  - case: a/b\n    outcome: rejected\n", ":3: baseline[0]: case a/b: missing reason"},
		{"baseline unknown key", "command: [x]\nbaseline:\n  - case: a/b\n    why: x\n", ":4: baseline[0].why: unknown field"},
		{"baseline twice", "command: [x]\nbaseline:\n  - {case: a, outcome: accepted, reason: r}\n  - {case: a, outcome: accepted, reason: s}\n", ":4: baseline[1]: case a is listed twice"},
		{"null command element", "command:\n  - x\n  -\n", ":3: command[1]: must be a string"},
		{"repeated field", "command: [x]\nname: a\nname: b\n", ":3: name: repeated field"},
		{"not a mapping", "- x\n", ":1: must be a mapping"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := writeProfile(t, c.body)
			_, err := LoadProfile(path)
			if err == nil {
				t.Fatalf("no error; want %q", c.want)
			}
			if !strings.HasPrefix(err.Error(), path+":") || !strings.Contains(err.Error(), path+c.want) {
				t.Errorf("error = %q\nwant %q", err, path+c.want)
			}
		})
	}
}

func TestLoadProfileYAMLSyntaxAndMissingFile(t *testing.T) {
	path := writeProfile(t, "command: [x\n")
	// The file:line: message form, as every YAML the harness reads.
	if _, err := LoadProfile(path); err == nil || !strings.HasPrefix(err.Error(), path+":1: invalid YAML:") {
		t.Errorf("syntax error = %v", err)
	}
	if _, err := LoadProfile(filepath.Join(t.TempDir(), "none.yaml")); err == nil || !strings.Contains(err.Error(), "none.yaml") {
		t.Errorf("missing file error = %v", err)
	}
}

// The shipped profiles must load: they are what users copy.
func TestShippedProfilesLoad(t *testing.T) {
	paths, err := filepath.Glob("../fixtures/sut/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) < 3 {
		t.Fatalf("found %d shipped profiles, want at least 3", len(paths))
	}
	golden, err := os.ReadFile("../fixtures/catalog/golden/expectations.txt")
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	for _, line := range strings.Split(string(golden), "\n") {
		if f := strings.Fields(line); len(f) > 0 {
			known[f[0]] = true
		}
	}
	for _, path := range paths {
		p, err := LoadProfile(path)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		// A baseline entry for a case that does not exist hides nothing and
		// is most likely a typo.
		for id := range p.Baseline {
			if !known[id] {
				t.Errorf("%s: baseline names %s, which is not a catalogued case", path, id)
			}
		}
	}
}

// A YAML syntax error names the line it is on, in the file:line form.
func TestProfileSyntaxErrorLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.yaml")
	data := "name: x\ncommand: [a]\ncapabilities:\n  sni: true\n   cid: true\n"
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := LoadProfile(path)
	if err == nil || !strings.Contains(err.Error(), path+":5:") {
		t.Fatalf("got %v, want %s:5:", err, path)
	}
}
