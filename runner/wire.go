package runner

import (
	"fmt"
	"slices"
	"strings"

	"github.com/lwm2m-conform/lwm2m-conform/catalog"
	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/servers/dtlswire"
)

// wireMismatch checks the case's wire expectations against what the peer
// recorded; "" when they hold. Checks about a ClientHello are skipped when
// none was sent (the outcome already says so).
func wireMismatch(c catalog.Case, evs []events.Event) string {
	for _, check := range []func(catalog.Case, []events.Event) string{checkSNI, checkSuites, checkCID, checkScenarioWire} {
		if why := check(c, evs); why != "" {
			return why
		}
	}
	return ""
}

func checkSNI(c catalog.Case, evs []events.Event) string {
	e, ok := first(evs, events.ClientHello)
	if !ok || e.Hello == nil {
		return ""
	}
	h := e.Hello
	switch {
	case c.Wire.NoSNI && h.HasSNI:
		return fmt.Sprintf("ClientHello carried SNI %q for an IP-literal server URI (RFC 6066 §3: literal addresses are not permitted in HostName)", h.SNI)
	case c.Wire.SNI != "" && !h.HasSNI:
		return fmt.Sprintf("ClientHello carried no SNI, expected %q (seed 001 §5.15.2.1: /0/x/14 when set, else the URI host)", c.Wire.SNI)
	case c.Wire.SNI != "" && h.SNI != c.Wire.SNI:
		return fmt.Sprintf("ClientHello carried SNI %q, expected %q (seed 001 §5.15.2.1: /0/x/14 when set, else the URI host)", h.SNI, c.Wire.SNI)
	}
	return ""
}

// signalling suites are not offers: the renegotiation SCSV and TLS_FALLBACK_SCSV.
func offered(h *events.Hello) []uint16 {
	var out []uint16
	for _, s := range h.CipherSuites {
		if s != 0x00FF && s != 0x5600 {
			out = append(out, s)
		}
	}
	return out
}

func checkSuites(c catalog.Case, evs []events.Event) string {
	e, ok := first(evs, events.ClientHello)
	if !ok || e.Hello == nil {
		return ""
	}
	got := offered(e.Hello)
	if c.Wire.SuitesExactly {
		want := slices.Clone(c.SUT.CipherSuites)
		g := slices.Clone(got)
		slices.Sort(want)
		slices.Sort(g)
		if !slices.Equal(g, want) {
			return fmt.Sprintf("ClientHello offered %s, /0/x/16 holds %s (seed 001 §5.15.1.4: offer only the configured suites)", suiteNames(got), suiteNames(c.SUT.CipherSuites))
		}
	}
	if c.Wire.WeakSuites {
		if bad, _ := weakSuites(got); len(bad) > 0 {
			return fmt.Sprintf("ClientHello offers broken suites %s (NULL, anonymous, export or RC4; seed 001 §5.15.1.4)", suiteNames(bad))
		}
	}
	return ""
}

// weakSuitesWarning turns a pass into a WARN when legacy suites are on offer.
func weakSuitesWarning(c catalog.Case, evs []events.Event) string {
	e, ok := first(evs, events.ClientHello)
	if !c.Wire.WeakSuites || !ok || e.Hello == nil {
		return ""
	}
	if _, weak := weakSuites(offered(e.Hello)); len(weak) > 0 {
		return fmt.Sprintf("accepted, but the default offer includes legacy suites %s (CBC-SHA1 or 3DES; seed 001 §5.15.1.4)", suiteNames(weak))
	}
	return ""
}

// weakSuites sorts offered suites into broken (FAIL) and legacy (WARN).
func weakSuites(ids []uint16) (broken, legacy []uint16) {
	for _, id := range ids {
		n := dtlswire.CipherSuiteName(id)
		switch {
		case strings.Contains(n, "_NULL_") || strings.HasSuffix(n, "_NULL") || strings.Contains(n, "_anon_") ||
			strings.Contains(n, "EXPORT") || strings.Contains(n, "RC4"):
			broken = append(broken, id)
		case strings.Contains(n, "3DES") || strings.HasSuffix(n, "_CBC_SHA"):
			legacy = append(legacy, id)
		}
	}
	return broken, legacy
}

func suiteNames(ids []uint16) string {
	var n []string
	for _, id := range ids {
		n = append(n, fmt.Sprintf("%s (0x%04X)", dtlswire.CipherSuiteName(id), id))
	}
	return "[" + strings.Join(n, ", ") + "]"
}

func checkCID(c catalog.Case, evs []events.Event) string {
	if !c.Wire.CID {
		return ""
	}
	hd, ok := first(evs, events.HandshakeDone)
	if !ok {
		return ""
	}
	cid := hd.Fields["cid"]
	if cid == "" {
		return "no Connection ID was negotiated (seed 001 §5.15.1.1)"
	}
	// The records the SUT sends after the handshake must carry that CID.
	for _, e := range evs {
		if e.Kind == events.Record && e.Fields["dir"] == "up" && e.Fields["cid"] != "" && e.Fields["cid"] != cid {
			return fmt.Sprintf("the SUT sent records with CID %s, the server chose %s", e.Fields["cid"], cid)
		}
	}
	return ""
}

// checkScenarioWire looks at what followed the scenario's action.
func checkScenarioWire(c catalog.Case, evs []events.Event) string {
	if c.Scenario == "" {
		return ""
	}
	marker := -1
	for i, e := range evs {
		if e.Kind == events.Note && e.Fields["what"] == "scenario" {
			marker = i
			break
		}
	}
	if marker < 0 {
		return ""
	}
	before, after := evs[:marker], evs[marker:]
	if c.Wire.SameSession {
		reg, _ := first(before, events.Register)
		if hello, again := first(after, events.ClientHello); again {
			return "a new handshake followed the NAT rebinding (" + hello.Summary + "): the session did not survive (seed 001 §5.15.1.1)"
		}
		for _, e := range after {
			if (e.Kind == events.Update || e.Kind == events.Register) && e.Fields["session"] != reg.Fields["session"] {
				return fmt.Sprintf("after the rebinding the SUT spoke on session %s, not %s", e.Fields["session"], reg.Fields["session"])
			}
		}
	}
	if c.Wire.Resumed {
		hd, ok := first(after, events.HandshakeDone)
		if !ok {
			return ""
		}
		if hd.Fields["resumed"] != "true" {
			return "the handshake after the " + c.Scenario + " was a full one, not an abbreviated (resumed) one (seed 001 §5.15.2.5)"
		}
	}
	return ""
}
