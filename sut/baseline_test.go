package sut

import (
	"reflect"
	"strings"
	"testing"
)

func TestBaselineEntriesPinOutcomeAlertAndChecks(t *testing.T) {
	p := mustLoad(t, `command: [x]
baseline:
  - case: certusage/u1/a
    outcome: rejected
    alert: bad_certificate
    checks: [sni, decision]
    reason: refuses a self-signed leaf
  - {case: sni/b, outcome: accepted, reason: no SNI}
`)
	want := map[string]Deviation{
		"certusage/u1/a": {Case: "certusage/u1/a", Reason: "refuses a self-signed leaf", Outcome: "rejected",
			Alert: "bad_certificate", Checks: []string{"decision", "sni"}, Line: 3},
		"sni/b": {Case: "sni/b", Reason: "no SNI", Outcome: "accepted", Checks: []string{"decision"}, Line: 8},
	}
	if !reflect.DeepEqual(p.Baseline, want) {
		t.Errorf("baseline\n got %+v\nwant %+v", p.Baseline, want)
	}
	for _, a := range []Adapter{NewExec(p), NewBootstrap(p)} {
		if d, ok := a.Baseline("sni/b"); !ok || !reflect.DeepEqual(d, want["sni/b"]) {
			t.Errorf("%T.Baseline = %+v, %v", a, d, ok)
		}
	}
	if d, ok := NewReference(ReferenceOptions{}).Baseline("sni/b"); ok {
		t.Errorf("reference baseline = %+v", d)
	}
}

func TestBaselineEntryErrors(t *testing.T) {
	entry := func(fields string) string { return "command: [x]\nbaseline:\n  - {case: a/b, " + fields + "}\n" }
	cases := []struct{ name, body, want string }{
		{"missing outcome", entry("reason: r"), ":3: baseline[0]: case a/b: missing outcome, the observed outcome the deviation pins (one of accepted, rejected, refused, crashed, timeout, error, inconclusive)"},
		{"unknown outcome", entry("outcome: hang, reason: r"), `:3: baseline[0].outcome: unknown outcome "hang" (want one of accepted, rejected, refused, crashed, timeout, error, inconclusive)`},
		{"unknown check", entry("outcome: accepted, checks: [decision, snii], reason: r"), `:3: baseline[0].checks[1]: unknown value "snii" (want one of decision, sni, suites, weak-suites, cid, same-session, resumed, stay-alive, cert-profile, est-order, est-path, est-csr, est-csr-key, est-csr-cn, est-fresh-key, est-issued-cert, est-retry-wait, est-retry-csr, est-block2, est-sren-timing, est-sren-subject, est-sren-auth, est-sren-key, est-no-new-enroll)`},
		{"check twice", entry("outcome: accepted, checks: [sni, sni], reason: r"), `:3: baseline[0].checks[1]: "sni" is listed twice`},
		{"no check", entry("outcome: accepted, checks: [], reason: r"), ":3: baseline[0].checks: must name at least one failing check"},
		{"checks not a list", entry("outcome: accepted, checks: sni, reason: r"), ":3: baseline[0].checks: must be a list"},
		{"unknown alert", entry("outcome: rejected, alert: bad_cert, reason: r"), `:3: baseline[0].alert: unknown alert "bad_cert"`},
		{"alert without rejection", entry("outcome: accepted, alert: bad_certificate, reason: r"), ":3: baseline[0].alert: an alert is only observed with outcome rejected, not accepted"},
		{"missing reason", entry("outcome: accepted"), ":3: baseline[0]: case a/b: missing reason"},
		{"missing case", "command: [x]\nbaseline:\n  - {outcome: accepted, reason: r}\n", ":3: baseline[0]: missing case id"},
		{"not a list", "command: [x]\nbaseline: {case: a}\n", ":2: baseline: must be a list of {case, outcome, checks, reason}"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := writeProfile(t, c.body)
			_, err := LoadProfile(path)
			if err == nil || !strings.HasPrefix(err.Error(), path+c.want) {
				t.Errorf("error = %v\nwant %s", err, path+c.want)
			}
		})
	}
}

func TestDeviationMatches(t *testing.T) {
	d := Deviation{Outcome: "rejected", Alert: "bad_certificate", Checks: []string{"decision", "sni"}}
	cases := []struct {
		outcome, alert string
		failed         []string
		want           bool
	}{
		{"rejected", "bad_certificate", []string{"sni", "decision"}, true},
		{"accepted", "", []string{"sni", "decision"}, false},                  // another outcome
		{"rejected", "handshake_failure", []string{"decision", "sni"}, false}, // another alert
		{"rejected", "bad_certificate", []string{"decision"}, false},          // SNI now right
		{"rejected", "bad_certificate", []string{"decision", "suites"}, false},
		{"rejected", "bad_certificate", []string{"decision", "sni", "cid"}, false},
	}
	for _, c := range cases {
		if got := d.Matches(c.outcome, c.alert, c.failed); got != c.want {
			t.Errorf("Matches(%s, %s, %v) = %v", c.outcome, c.alert, c.failed, got)
		}
	}
	// Without a pinned alert, any alert (or none) matches.
	d.Alert = ""
	if !d.Matches("rejected", "", []string{"decision", "sni"}) || !d.Matches("rejected", "decode_error", []string{"decision", "sni"}) {
		t.Error("an unpinned alert must not matter")
	}
}

func TestModesCapability(t *testing.T) {
	p := mustLoad(t, "command: [x]\ncapabilities: {modes: [psk, nosec]}\n")
	if !reflect.DeepEqual(p.Capabilities.Modes, []string{"psk", "nosec"}) {
		t.Errorf("modes = %v", p.Capabilities.Modes)
	}
	for m, want := range map[string]bool{"psk": true, "nosec": true, "cert": false} {
		if got := p.Capabilities.SupportsMode(m); got != want {
			t.Errorf("SupportsMode(%s) = %v", m, got)
		}
	}
	all := mustLoad(t, "command: [x]\n").Capabilities
	if !all.SupportsMode("cert") || !all.SupportsMode("psk") || !all.SupportsMode("nosec") {
		t.Error("a profile without modes must support every mode")
	}
	for body, want := range map[string]string{
		"command: [x]\ncapabilities:\n  modes: [psk, rpk]\n": `:3: capabilities.modes[1]: unknown value "rpk" (want one of psk, cert, nosec)`,
		"command: [x]\ncapabilities:\n  modes: [psk, psk]\n": `:3: capabilities.modes[1]: "psk" is listed twice`,
		"command: [x]\ncapabilities:\n  modes: psk\n":        ":3: capabilities.modes: must be a list",
	} {
		path := writeProfile(t, body)
		if _, err := LoadProfile(path); err == nil || err.Error() != path+want {
			t.Errorf("error = %v\nwant %s", err, path+want)
		}
	}
}

// A baseline may pin the est checks, e.g. a client that enrols its
// bootstrap key.
func TestBaselinePinsESTChecks(t *testing.T) {
	p := mustLoad(t, "command: [x]\nbaseline:\n  - {case: est/csr/form, outcome: accepted, checks: [est-fresh-key, est-csr-key], reason: r}\n")
	d := p.Baseline["est/csr/form"]
	if !d.Matches("accepted", "", []string{"est-csr-key", "est-fresh-key"}) || d.Matches("accepted", "", []string{"est-fresh-key"}) {
		t.Fatalf("deviation %+v", d)
	}
}
