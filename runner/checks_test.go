package runner

import (
	"strings"
	"testing"

	"github.com/lwm2m-conform/lwm2m-conform/catalog"
	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/sut"
	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// chkRow is one literal event sequence and what one wire check makes of it.
type chkRow struct {
	name   string
	c      catalog.Case
	caps   sut.Capabilities
	evs    []events.Event
	exited bool
	want   verdict.Verdict // "" = the check does not apply
	source string          // in the check's source
	msg    string          // in its message
}

// chkHello is a decoded ClientHello; sni "" means no server_name extension.
func chkHello(sni string, suites ...uint16) events.Event {
	return events.Event{Kind: events.ClientHello, Fields: map[string]string{},
		Hello: &events.Hello{Version: "DTLS 1.2", SNI: sni, HasSNI: sni != "", CipherSuites: suites}}
}

func chkEv(k events.Kind, fields ...string) events.Event {
	e := events.Event{Kind: k, Summary: string(k), Fields: map[string]string{}}
	for i := 0; i+1 < len(fields); i += 2 {
		e.Fields[fields[i]] = fields[i+1]
	}
	return e
}

// chkUp is a record from the SUT after the handshake; cid "" = none.
func chkUp(session, cid string) events.Event {
	e := chkEv(events.Record, "dir", "up", "type", "application_data", "epoch", "1", "session", session)
	if cid != "" {
		e.Fields["cid"] = cid
		e.Fields["type"] = "tls12_cid"
	}
	return e
}

func chkDone(session, cid, resumed string) events.Event {
	return chkEv(events.HandshakeDone, "session", session, "cid", cid, "resumed", resumed)
}

var chkScenario = chkEv(events.Note, "what", "scenario")

// runChecks judges each row and compares the named check.
func runChecks(t *testing.T, name string, rows []chkRow) {
	t.Helper()
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			r.c.Expect, r.c.Basis = catalog.Accept, catalog.BasisSeed
			var got []verdict.Check
			for _, k := range checks(r.c, r.caps, verdict.Observation{Outcome: verdict.Accepted}, r.evs, r.exited) {
				if k.Name == name {
					got = append(got, k)
				}
			}
			switch {
			case r.want == "" && len(got) == 0:
				return
			case r.want == "" || len(got) != 1:
				t.Fatalf("%s checks %+v, want %q", name, got, r.want)
			}
			k := got[0]
			if k.Verdict != r.want || !strings.Contains(k.Source, r.source) || !strings.Contains(k.Message, r.msg) {
				t.Fatalf("%s %s: %s\nsource %q\nwant %s, message with %q, source with %q", name, k.Verdict, k.Message, k.Source, r.want, r.msg, r.source)
			}
			if k.Verdict != verdict.Skip && k.Basis == "" {
				t.Fatalf("%s %s without a basis", name, k.Verdict)
			}
		})
	}
}

func TestCheckSNI(t *testing.T) {
	dns := catalog.Case{Area: "sni", Wire: catalog.Wire{SNI: "lwm2m.example"}}
	explicit := catalog.Case{Area: "psk", SUT: catalog.Provisioning{SNI: "override.example"}, Wire: catalog.Wire{SNI: "override.example"}}
	literal := catalog.Case{Area: "sni", SUT: catalog.Provisioning{Host: "127.0.0.1"}, Wire: catalog.Wire{NoSNI: true}}
	elsewhere := catalog.Case{Area: "resumption", Wire: catalog.Wire{SNI: "localhost"}}
	none := catalog.Case{Area: "certusage"}
	on := sut.Capabilities{SNI: true}
	runChecks(t, verdict.CheckSNI, []chkRow{
		{"present", dns, on, []events.Event{chkHello("lwm2m.example", 0xC0A8)}, false, verdict.Pass, srcSNI, `"lwm2m.example"`},
		{"absent", dns, on, []events.Event{chkHello("", 0xC0A8)}, false, verdict.Fail, srcSNI, "no SNI"},
		{"wrong value", dns, on, []events.Event{chkHello("other.example", 0xC0A8)}, false, verdict.Fail, srcSNI, `"other.example", expected "lwm2m.example"`},
		{"IPv4 literal", dns, on, []events.Event{chkHello("192.0.2.1", 0xC0A8)}, false, verdict.Fail, srcSNILit, "IP literal"},
		{"IPv6 literal in brackets", dns, on, []events.Event{chkHello("[2001:db8::1]", 0xC0A8)}, false, verdict.Fail, srcSNILit, "IP literal"},
		{"only the first ClientHello counts", dns, on, []events.Event{chkHello("", 0xC0A8), chkHello("lwm2m.example", 0xC0A8)}, false, verdict.Fail, srcSNI, "no SNI"},
		{"no ClientHello", dns, on, nil, false, verdict.Skip, "", "no ClientHello"},
		{"sni: false profile, no SNI", dns, sut.Capabilities{}, []events.Event{chkHello("", 0xC0A8)}, false, verdict.Skip, "", "sni: false"},
		{"sni: false profile, SNI sent anyway", dns, sut.Capabilities{}, []events.Event{chkHello("lwm2m.example", 0xC0A8)}, false, verdict.Pass, srcSNI, ""},
		{"/0/x/14 set: judged in any area", explicit, on, []events.Event{chkHello("", 0xC0A8)}, false, verdict.Fail, srcSNI, `expected "override.example"`},
		{"IP-literal URI, no SNI", literal, on, []events.Event{chkHello("", 0xC0A8)}, false, verdict.Pass, srcSNILit, "no SNI"},
		{"IP-literal URI, a name sent", literal, on, []events.Event{chkHello("localhost", 0xC0A8)}, false, verdict.Fail, srcSNILit, `"localhost"`},
		{"outside the sni area presence is not judged", elsewhere, on, []events.Event{chkHello("", 0xC0A8)}, false, verdict.Skip, "", "sni area"},
		{"outside the sni area an IP literal fails", elsewhere, on, []events.Event{chkHello("127.0.0.1", 0xC0A8)}, false, verdict.Fail, srcSNILit, "IP literal"},
		{"no SNI expectation: an IP literal fails", none, on, []events.Event{chkHello("::1", 0xC0A8)}, false, verdict.Fail, srcSNILit, "IP literal"},
		{"no SNI expectation: a name is not judged", none, on, []events.Event{chkHello("lwm2m.example", 0xC0A8)}, false, "", "", ""},
	})
}

func TestCheckSuites(t *testing.T) {
	c := catalog.Case{Area: "ciphers", SUT: catalog.Provisioning{CipherSuites: []uint16{0xC0A8, 0x00A8}}, Wire: catalog.Wire{SuitesExactly: true}}
	runChecks(t, verdict.CheckSuites, []chkRow{
		{"equal", c, sut.Capabilities{}, []events.Event{chkHello("", 0xC0A8, 0x00A8)}, false, verdict.Pass, srcSuites, "TLS_PSK_WITH_AES_128_CCM_8"},
		{"equal in another order", c, sut.Capabilities{}, []events.Event{chkHello("", 0x00A8, 0xC0A8)}, false, verdict.Pass, srcSuites, ""},
		{"equal modulo SCSVs and GREASE", c, sut.Capabilities{}, []events.Event{chkHello("", 0x0A0A, 0xC0A8, 0x00A8, 0x00FF, 0x5600)}, false, verdict.Pass, srcSuites, ""},
		{"a strict subset", c, sut.Capabilities{}, []events.Event{chkHello("", 0xC0A8, 0x00FF)}, false, verdict.Fail, srcSuites, "/0/x/16 holds"},
		{"a suite beyond /0/x/16", c, sut.Capabilities{}, []events.Event{chkHello("", 0xC0A8, 0x00A8, 0xC02B)}, false, verdict.Fail, srcSuites, "0xC02B"},
		{"disjoint", c, sut.Capabilities{}, []events.Event{chkHello("", 0xC0AE)}, false, verdict.Fail, srcSuites, "0xC0AE"},
		{"no ClientHello", c, sut.Capabilities{}, nil, false, verdict.Skip, "", "no ClientHello"},
		{"not asked for", catalog.Case{Area: "ciphers", SUT: c.SUT}, sut.Capabilities{}, []events.Event{chkHello("", 0xC02B)}, false, "", "", ""},
	})
}

func TestCheckWeakSuites(t *testing.T) {
	c := catalog.Case{Area: "ciphers", Wire: catalog.Wire{WeakSuites: true}}
	runChecks(t, verdict.CheckWeakSuites, []chkRow{
		{"AEAD only", c, sut.Capabilities{}, []events.Event{chkHello("", 0xC0A8, 0xC02B, 0x00FF)}, false, verdict.Pass, "RFC 9325 §4.1", ""},
		{"PSK is not flagged", c, sut.Capabilities{}, []events.Event{chkHello("", 0x00A8)}, false, verdict.Pass, "", ""},
		{"NULL cipher", c, sut.Capabilities{}, []events.Event{chkHello("", 0xC0A8, 0x00B0)}, false, verdict.Fail, "RFC 9325 §4.1", "TLS_PSK_WITH_NULL_SHA256 (0x00B0: NULL cipher"},
		{"RC4", c, sut.Capabilities{}, []events.Event{chkHello("", 0x0005)}, false, verdict.Fail, "RFC 7465 §2", "RC4"},
		{"broken outweighs legacy, with its own source", c, sut.Capabilities{}, []events.Event{chkHello("", 0x008C, 0x0004)}, false, verdict.Fail, "RFC 7465 §2", "TLS_RSA_WITH_RC4_128_MD5"},
		{"CBC with SHA-1", c, sut.Capabilities{}, []events.Event{chkHello("", 0xC0A8, 0x008C)}, false, verdict.Warn, "RFC 9325 §4.2", "TLS_PSK_WITH_AES_128_CBC_SHA"},
		{"3DES", c, sut.Capabilities{}, []events.Event{chkHello("", 0x000A)}, false, verdict.Warn, "RFC 9325 §4.1", "3DES"},
		{"static RSA: not forward secret", c, sut.Capabilities{}, []events.Event{chkHello("", 0xC02B, 0x009C)}, false, verdict.Warn, "RFC 9325 §4.1", "no forward secrecy"},
		{"two legacy findings name both sources", c, sut.Capabilities{}, []events.Event{chkHello("", 0x008C, 0x009C)}, false, verdict.Warn, "RFC 9325 §4.2; RFC 9325 §4.1", ""},
		{"no ClientHello", c, sut.Capabilities{}, nil, false, verdict.Skip, "", "no ClientHello"},
		{"not asked for", catalog.Case{Area: "ciphers"}, sut.Capabilities{}, []events.Event{chkHello("", 0x00B0)}, false, "", "", ""},
	})
}

func TestCheckCID(t *testing.T) {
	c := catalog.Case{Area: "cid", Wire: catalog.Wire{CID: true}}
	hello := chkHello("", 0xC0A8)
	// Before the handshake, epoch 0, the server's own records and other
	// sessions do not count.
	noise := []events.Event{hello, chkEv(events.Record, "dir", "up", "type", "handshake", "epoch", "0", "session", "s1"),
		chkDone("s1", "c1d2e3f4", "false"),
		chkEv(events.Record, "dir", "down", "type", "application_data", "epoch", "1", "session", "s1"),
		chkUp("s2", "")}
	runChecks(t, verdict.CheckCID, []chkRow{
		{"negotiated and used", c, sut.Capabilities{}, append(noise, chkUp("s1", "c1d2e3f4"), chkUp("s1", "c1d2e3f4")), false, verdict.Pass, srcCID, "c1d2e3f4"},
		{"negotiated, then a record without it", c, sut.Capabilities{}, append(noise, chkUp("s1", "c1d2e3f4"), chkUp("s1", "")), false, verdict.Fail, srcCID, "without it"},
		{"negotiated, then another CID", c, sut.Capabilities{}, append(noise, chkUp("s1", "deadbeef")), false, verdict.Fail, srcCID, "deadbeef, the server chose c1d2e3f4"},
		{"the proxy's record without it", c, sut.Capabilities{}, append(noise, chkEv(events.Record, "dir", "up", "type", "application_data", "epoch", "1", "n", "7")), false, verdict.Fail, srcCID, "without it"},
		{"not negotiated", c, sut.Capabilities{}, []events.Event{hello, chkDone("s1", "", "false"), chkUp("s1", "")}, false, verdict.Fail, srcCID, "no Connection ID"},
		{"no handshake", c, sut.Capabilities{}, []events.Event{hello}, false, verdict.Skip, "", "no handshake"},
		{"not asked for", catalog.Case{Area: "cid"}, sut.Capabilities{}, []events.Event{hello, chkDone("s1", "", "false")}, false, "", "", ""},
	})
}

func TestCheckSameSession(t *testing.T) {
	c := catalog.Case{Area: "cid", Scenario: "rebind", Wire: catalog.Wire{CID: true, SameSession: true}}
	first := []events.Event{chkHello("", 0xC0A8), chkDone("s1", "c1d2e3f4", "false"), chkEv(events.Register, "session", "s1"), chkScenario}
	runChecks(t, verdict.CheckSameSession, []chkRow{
		{"Update on the same session after rebinding", c, sut.Capabilities{}, append(first, chkUp("s1", "c1d2e3f4"), chkEv(events.Update, "session", "s1")), false, verdict.Pass, srcSession, "session s1"},
		{"a new handshake after rebinding", c, sut.Capabilities{}, append(first, chkHello("", 0xC0A8), chkDone("s2", "aa", "false"), chkEv(events.Update, "session", "s2")), false, verdict.Fail, srcSession, "new handshake"},
		{"Update on another session", c, sut.Capabilities{}, append(first, chkEv(events.Update, "session", "s2")), false, verdict.Fail, srcSession, "session s2, not s1"},
		{"Register on another session", c, sut.Capabilities{}, append(first, chkEv(events.Register, "session", "s3")), false, verdict.Fail, srcSession, "session s3"},
		{"the scenario did not run", c, sut.Capabilities{}, first[:3], false, verdict.Skip, "", "did not run"},
		{"no scenario", catalog.Case{Area: "cid", Wire: c.Wire}, sut.Capabilities{}, first, false, "", "", ""},
	})
}

func TestCheckResumed(t *testing.T) {
	c := catalog.Case{Area: "resumption", Scenario: "reboot", Wire: catalog.Wire{Resumed: true}}
	first := []events.Event{chkHello("", 0xC0A8), chkDone("s1", "", "false"), chkEv(events.Register, "session", "s1"), chkScenario}
	runChecks(t, verdict.CheckResumed, []chkRow{
		{"abbreviated handshake", c, sut.Capabilities{}, append(first, chkHello("", 0xC0A8), chkDone("s2", "", "true"), chkEv(events.Register, "session", "s2")), false, verdict.Pass, srcResumed, "abbreviated"},
		{"a full handshake", c, sut.Capabilities{}, append(first, chkHello("", 0xC0A8), chkDone("s2", "", "false"), chkEv(events.Register, "session", "s2")), false, verdict.Fail, srcResumed, "full one"},
		{"an Update on the old session is no resumption", c, sut.Capabilities{}, append(first, chkUp("s1", ""), chkEv(events.Update, "session", "s1")), false, verdict.Fail, srcResumed, "no new handshake"},
		{"a resumed handshake before the scenario does not count", c, sut.Capabilities{},
			[]events.Event{chkHello("", 0xC0A8), chkDone("s1", "", "true"), chkEv(events.Register, "session", "s1"), chkScenario, chkEv(events.Update, "session", "s1")}, false, verdict.Fail, srcResumed, "no new handshake"},
		{"the scenario did not run", c, sut.Capabilities{}, first[:3], false, verdict.Skip, "", "did not run"},
		{"no scenario", catalog.Case{Area: "resumption", Wire: c.Wire}, sut.Capabilities{}, first, false, "", "", ""},
	})
}

func TestCheckStayAlive(t *testing.T) {
	c := catalog.Case{Area: "ciphers", StayAlive: true}
	alert := chkEv(events.AlertReceived, "alert", "handshake_failure")
	runChecks(t, verdict.CheckStayAlive, []chkRow{
		{"kept running", c, sut.Capabilities{}, []events.Event{chkHello("", 0xC0A8), alert}, false, verdict.Pass, srcStayAlive, "kept running"},
		{"exited", c, sut.Capabilities{}, []events.Event{chkHello("", 0xC0A8), alert}, true, verdict.Fail, srcStayAlive, "exited"},
		{"not asked for", catalog.Case{Area: "ciphers"}, sut.Capabilities{}, nil, true, "", "", ""},
	})
}
