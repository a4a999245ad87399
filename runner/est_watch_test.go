package runner

import (
	"testing"

	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

func lwEv(ms int, k events.Kind) events.Event {
	return events.Event{Time: at(ms), Kind: k, Summary: string(k), Fields: map[string]string{harnessPeer: peerLwM2M}}
}

// A faulty first /sen answer: the SUT accepted it if it went to the LwM2M
// server before asking again; it rejected it if it asked again first and
// then registered. What happened before the faulty answer (traffic the
// fault cannot have caused, e.g. a stray client on a reused port) or
// after the new request never decides against the SUT.
func TestJudgeFault(t *testing.T) {
	faulty := estEv(1000, map[string]string{"op": "sen", "code": "2.04", "fault": "wrong-key"})
	again := estEv(2000, map[string]string{"op": "sen", "code": "2.04"})
	for name, tc := range map[string]struct {
		bs, lw  []events.Event
		decided bool
		outcome verdict.Outcome
		by      string
	}{
		"went on at once": {[]events.Event{faulty}, []events.Event{lwEv(1200, events.ClientHello)}, true, verdict.Accepted, "client_hello"},
		"asked again, registered": {[]events.Event{faulty, again},
			[]events.Event{lwEv(2100, events.ClientHello), lwEv(2300, events.Register)}, true, verdict.Rejected, "register after a good answer"},
		"asked again, not yet registered": {[]events.Event{faulty, again}, []events.Event{lwEv(2100, events.ClientHello)}, false, "", ""},
		"stray hello before the fault":    {[]events.Event{faulty}, []events.Event{lwEv(500, events.ClientHello)}, false, "", ""},
		"no answer yet":                   {nil, []events.Event{lwEv(500, events.ClientHello)}, false, "", ""},
		"went on, then asked again": {[]events.Event{faulty, again},
			[]events.Event{lwEv(1500, events.ClientHello), lwEv(2300, events.Register)}, true, verdict.Accepted, "client_hello"},
	} {
		o, ok := judgeFault(tc.bs, tc.lw, "sen", "wrong-key")
		if ok != tc.decided || o.Outcome != tc.outcome || o.DecidedBy != tc.by {
			t.Errorf("%s: decided %v %+v, want %v %s by %s", name, ok, o, tc.decided, tc.outcome, tc.by)
		}
	}
	// A faulty crts is used when a handshake with the LwM2M server
	// completes on the anchors it gave; a mere ClientHello is not that.
	crts := estEv(1000, map[string]string{"op": "crts", "code": "2.05", "fault": "truncated-pkcs7"})
	if _, ok := judgeFault([]events.Event{crts}, []events.Event{lwEv(1200, events.ClientHello)}, "crts", "truncated-pkcs7"); ok {
		t.Error("a ClientHello after a faulty crts decided")
	}
	if o, ok := judgeFault([]events.Event{crts}, []events.Event{lwEv(1200, events.HandshakeDone)}, "crts", "truncated-pkcs7"); !ok || o.Outcome != verdict.Accepted {
		t.Errorf("a handshake on the faulty anchors: %v %+v", ok, o)
	}
}
