package runner

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/lwm2m-conform/lwm2m-conform/catalog"
	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/servers/dtlswire"
	"github.com/lwm2m-conform/lwm2m-conform/sut"
	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// Sources of the wire checks, named once.
const (
	srcSNI       = "001_53514e0c24f0536e.txt §5.15.2.1 — “If SNI is explicitly provided in the Security Object instance …, it is used. Otherwise, the hostname part of … server_uri is used as SNI” (when SNI support is enabled); RFC 7925 §15 — the client implements SNI, the client decides when to use it"
	srcSNILit    = "RFC 6066 §3 — “Literal IPv4 and IPv6 addresses are not permitted in “HostName”.”"
	srcSuites    = "001_53514e0c24f0536e.txt §5.15.1.4 — the client offers the cipher suites configured in /0/x/16"
	srcCID       = "001_53514e0c24f0536e.txt §5.15.1.1 — DTLS Connection ID (RFC 9146): the client negotiates a CID and sends its records with it"
	srcSession   = "001_53514e0c24f0536e.txt §5.15.1.1 — with a Connection ID the session survives a change of the client's address"
	srcResumed   = "001_53514e0c24f0536e.txt §5.15.2.5 — session resumption: an abbreviated handshake on a stored session"
	srcStayAlive = "001_53514e0c24f0536e.txt §5.15.1.3 — an unusable key makes “the connection … fail during setup”: a failure, not a crash"
)

// checks judges the case: the decision first, then each wire expectation
// the case carries, each with its own basis and source.
func checks(c catalog.Case, caps sut.Capabilities, obs verdict.Observation, evs []events.Event, exited bool) []verdict.Check {
	v, why := verdict.Judge(c, obs)
	out := []verdict.Check{{Name: verdict.CheckDecision, Verdict: v, Basis: c.Basis, Source: c.Source, Message: why}}
	hello, helloOK := firstHello(evs)
	for _, ch := range []func() (verdict.Check, bool){
		func() (verdict.Check, bool) { return checkSNI(c, caps, hello, helloOK) },
		func() (verdict.Check, bool) { return checkSuites(c, hello, helloOK) },
		func() (verdict.Check, bool) { return checkWeakSuites(c, hello, helloOK) },
		func() (verdict.Check, bool) { return checkCID(c, evs) },
		func() (verdict.Check, bool) { return checkSameSession(c, evs) },
		func() (verdict.Check, bool) { return checkResumed(c, evs) },
		func() (verdict.Check, bool) { return checkStayAlive(c, exited) },
		func() (verdict.Check, bool) { return checkCertProfile(caps, endpointName(c.ID), evs) },
	} {
		if k, ok := ch(); ok {
			out = append(out, k)
		}
	}
	return out
}

func pass(name string, basis catalog.Basis, src, msg string) verdict.Check {
	return verdict.Check{Name: name, Verdict: verdict.Pass, Basis: basis, Source: src, Message: msg}
}

func fail(name string, basis catalog.Basis, src, msg string) verdict.Check {
	return verdict.Check{Name: name, Verdict: verdict.Fail, Basis: basis, Source: src, Message: msg}
}

func skipCheck(name, msg string) verdict.Check {
	return verdict.Check{Name: name, Verdict: verdict.Skip, Message: msg}
}

// checkSNI judges server_name. An IP literal in it fails wherever it is
// seen; presence and value are judged in the sni area (and the psk
// area's SNI cases), and only for a SUT that declares SNI support.
func checkSNI(c catalog.Case, caps sut.Capabilities, h *events.Hello, ok bool) (verdict.Check, bool) {
	if ok && h.HasSNI {
		if _, err := netip.ParseAddr(strings.Trim(h.SNI, "[]")); err == nil {
			return fail(verdict.CheckSNI, catalog.BasisRFC, srcSNILit, fmt.Sprintf("ClientHello carried the IP literal %q as SNI", h.SNI)), true
		}
	}
	if c.Wire.SNI == "" && !c.Wire.NoSNI {
		return verdict.Check{}, false
	}
	switch {
	case !ok:
		return skipCheck(verdict.CheckSNI, "no ClientHello was seen"), true
	case c.Wire.NoSNI && h.HasSNI:
		return fail(verdict.CheckSNI, catalog.BasisRFC, srcSNILit, fmt.Sprintf("ClientHello carried SNI %q for an IP-literal server URI", h.SNI)), true
	case c.Wire.NoSNI:
		return pass(verdict.CheckSNI, catalog.BasisRFC, srcSNILit, "no SNI for an IP-literal server URI"), true
	case !sniArea(c):
		return skipCheck(verdict.CheckSNI, "SNI presence is judged in the sni area"), true
	case !caps.SNI && !h.HasSNI:
		return skipCheck(verdict.CheckSNI, "the profile declares no SNI support (sni: false); seed 001 §5.15.2.1 makes SNI conditional on it"), true
	case !h.HasSNI:
		return fail(verdict.CheckSNI, catalog.BasisSeed, srcSNI, fmt.Sprintf("ClientHello carried no SNI, expected %q", c.Wire.SNI)), true
	case h.SNI != c.Wire.SNI:
		return fail(verdict.CheckSNI, catalog.BasisSeed, srcSNI, fmt.Sprintf("ClientHello carried SNI %q, expected %q", h.SNI, c.Wire.SNI)), true
	}
	return pass(verdict.CheckSNI, catalog.BasisSeed, srcSNI, fmt.Sprintf("SNI %q", h.SNI)), true
}

// sniArea: the cases whose subject is server_name.
func sniArea(c catalog.Case) bool {
	return c.HasLabel("sni") || c.SUT.SNI != ""
}

func checkSuites(c catalog.Case, h *events.Hello, ok bool) (verdict.Check, bool) {
	if !c.Wire.SuitesExactly {
		return verdict.Check{}, false
	}
	if !ok {
		return skipCheck(verdict.CheckSuites, "no ClientHello was seen"), true
	}
	got, want := slices.Clone(offered(h)), slices.Clone(c.SUT.CipherSuites)
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		return fail(verdict.CheckSuites, catalog.BasisSeed, srcSuites,
			fmt.Sprintf("ClientHello offered %s, /0/x/16 holds %s", suiteNames(offered(h)), suiteNames(c.SUT.CipherSuites))), true
	}
	return pass(verdict.CheckSuites, catalog.BasisSeed, srcSuites, "offered exactly "+suiteNames(want)), true
}

// checkWeakSuites: broken suites on offer fail, legacy ones warn; each
// finding names its source.
func checkWeakSuites(c catalog.Case, h *events.Hello, ok bool) (verdict.Check, bool) {
	if !c.Wire.WeakSuites {
		return verdict.Check{}, false
	}
	if !ok {
		return skipCheck(verdict.CheckWeakSuites, "no ClientHello was seen"), true
	}
	broken, legacy := weakSuites(offered(h))
	switch {
	case len(broken) > 0:
		return fail(verdict.CheckWeakSuites, catalog.BasisRFC, findingSources(broken), "ClientHello offers broken suites "+findingList(broken)), true
	case len(legacy) > 0:
		return verdict.Check{Name: verdict.CheckWeakSuites, Verdict: verdict.Warn, Basis: catalog.BasisRFC,
			Source: findingSources(legacy), Message: "the offer includes legacy suites " + findingList(legacy)}, true
	}
	return pass(verdict.CheckWeakSuites, catalog.BasisRFC, "RFC 9325 §4.1", "no broken, legacy or non-forward-secret suite on offer"), true
}

// offered drops signalling values (SCSVs, GREASE): they are not offers.
func offered(h *events.Hello) []uint16 {
	var out []uint16
	for _, s := range h.CipherSuites {
		if !dtlswire.IsSignalling(s) {
			out = append(out, s)
		}
	}
	return out
}

func suiteNames(ids []uint16) string {
	var n []string
	for _, id := range ids {
		n = append(n, fmt.Sprintf("%s (0x%04X)", dtlswire.CipherSuiteName(id), id))
	}
	return "[" + strings.Join(n, ", ") + "]"
}

func checkCID(c catalog.Case, evs []events.Event) (verdict.Check, bool) {
	if !c.Wire.CID {
		return verdict.Check{}, false
	}
	hd, ok := firstOf(evs, events.HandshakeDone)
	if !ok {
		return skipCheck(verdict.CheckCID, "no handshake completed"), true
	}
	cid := hd.Fields["cid"]
	if cid == "" {
		return fail(verdict.CheckCID, catalog.BasisSeed, srcCID, "no Connection ID was negotiated"), true
	}
	// Once negotiated, the SUT's records after the handshake carry it.
	after := false
	for _, e := range evs {
		if e.Kind == events.HandshakeDone && e.Fields["session"] == hd.Fields["session"] {
			after = true
			continue
		}
		if !after || e.Kind != events.Record || e.Fields["dir"] != "up" || e.Fields["epoch"] == "0" || e.Fields["session"] != hd.Fields["session"] && e.Fields["session"] != "" {
			continue
		}
		switch got := e.Fields["cid"]; {
		case got == "":
			return fail(verdict.CheckCID, catalog.BasisSeed, srcCID, "after negotiating CID "+cid+" the SUT sent a record without it: "+e.Summary), true
		case got != cid:
			return fail(verdict.CheckCID, catalog.BasisSeed, srcCID, fmt.Sprintf("the SUT sent records with CID %s, the server chose %s", got, cid)), true
		}
	}
	return pass(verdict.CheckCID, catalog.BasisSeed, srcCID, "Connection ID "+cid+" negotiated and used"), true
}

// scenarioSplit splits the events at the scenario's marker.
func scenarioSplit(evs []events.Event) (before, after []events.Event, ok bool) {
	for i, e := range evs {
		if e.Kind == events.Note && e.Fields["what"] == "scenario" {
			return evs[:i], evs[i:], true
		}
	}
	return nil, nil, false
}

func checkSameSession(c catalog.Case, evs []events.Event) (verdict.Check, bool) {
	if c.Scenario == "" || !c.Wire.SameSession {
		return verdict.Check{}, false
	}
	before, after, ok := scenarioSplit(evs)
	if !ok {
		return skipCheck(verdict.CheckSameSession, "the scenario did not run"), true
	}
	reg, _ := firstOf(before, events.Register)
	if hello, again := firstOf(after, events.ClientHello); again {
		return fail(verdict.CheckSameSession, catalog.BasisSeed, srcSession, "a new handshake followed the NAT rebinding ("+hello.Summary+"): the session did not survive"), true
	}
	for _, e := range after {
		if (e.Kind == events.Update || e.Kind == events.Register) && e.Fields["session"] != reg.Fields["session"] {
			return fail(verdict.CheckSameSession, catalog.BasisSeed, srcSession, fmt.Sprintf("after the rebinding the SUT spoke on session %s, not %s", e.Fields["session"], reg.Fields["session"])), true
		}
	}
	return pass(verdict.CheckSameSession, catalog.BasisSeed, srcSession, "traffic continued on session "+reg.Fields["session"]), true
}

// checkResumed requires an abbreviated handshake after the scenario: a
// new handshake that resumed, never an Update on the old session.
func checkResumed(c catalog.Case, evs []events.Event) (verdict.Check, bool) {
	if c.Scenario == "" || !c.Wire.Resumed {
		return verdict.Check{}, false
	}
	_, after, ok := scenarioSplit(evs)
	if !ok {
		return skipCheck(verdict.CheckResumed, "the scenario did not run"), true
	}
	hd, ok := firstOf(after, events.HandshakeDone)
	switch {
	case !ok:
		return fail(verdict.CheckResumed, catalog.BasisSeed, srcResumed, "no new handshake followed the "+c.Scenario+": the SUT kept its old session, nothing was resumed"), true
	case hd.Fields["resumed"] != "true":
		return fail(verdict.CheckResumed, catalog.BasisSeed, srcResumed, "the handshake after the "+c.Scenario+" was a full one, not an abbreviated (resumed) one"), true
	}
	return pass(verdict.CheckResumed, catalog.BasisSeed, srcResumed, "abbreviated handshake after the "+c.Scenario), true
}

func checkStayAlive(c catalog.Case, exited bool) (verdict.Check, bool) {
	if !c.StayAlive {
		return verdict.Check{}, false
	}
	if exited {
		return fail(verdict.CheckStayAlive, catalog.BasisSeed, srcStayAlive, "the SUT exited during the case: it must fail cleanly and stay alive"), true
	}
	return pass(verdict.CheckStayAlive, catalog.BasisSeed, srcStayAlive, "the SUT kept running"), true
}

func firstHello(evs []events.Event) (*events.Hello, bool) {
	e, ok := firstOf(evs, events.ClientHello)
	if !ok || e.Hello == nil {
		return nil, false
	}
	return e.Hello, true
}

func firstOf(evs []events.Event, k events.Kind) (events.Event, bool) {
	for _, e := range evs {
		if e.Kind == k {
			return e, true
		}
	}
	return events.Event{}, false
}
