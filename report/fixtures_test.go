package report

import (
	"fmt"
	"strings"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/catalog"
	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

var t0 = time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC)

// handRun covers every verdict across three areas, with events, an alert,
// a baseline deviation and SUT output. The skipped case has no checks, as
// the runner leaves it.
func handRun() Run {
	hello := &events.Hello{
		Version:         "DTLS 1.2",
		CipherSuites:    []uint16{0xC0AE, 0xC0A8, 0x00FF},
		Extensions:      []uint16{10, 11, 13, 23, 54},
		SupportedGroups: []uint16{23},
		ConnectionID:    true,
	}
	withSNI := *hello
	withSNI.HasSNI, withSNI.SNI = true, "lwm2m.example.net"
	return Run{
		SUT:     "fixtures/sut/reference-exec.yaml",
		Started: t0,
		Wall:    83 * time.Second,
		Labels:  []string{"certusage", "sni", "psk"},
		Notes:   []string{"baseline: 1 known deviation"},
		Results: []verdict.Result{
			{
				Case: catalog.Case{
					ID: "certusage/u0/spk-root/ts-root/chain-leaf-int", Area: "certusage",
					Description: "PKIX-TA with the root as Server Public Key", Source: "000 §2", Basis: catalog.BasisSeed, Expect: catalog.Accept,
					Dimensions: map[string]string{"usage": "u0", "spk": "root", "ts": "root", "chain": "leaf-int"},
				},
				Observation: verdict.Observation{Outcome: verdict.Accepted, DecidedBy: "register", DecidedAt: 90 * time.Millisecond},
				Checks: []verdict.Check{
					{Name: "decision", Verdict: verdict.Pass, Basis: catalog.BasisSeed, Source: "000 §2", Message: "expected accept, observed accepted"},
				},
				Verdict: verdict.Pass, Reason: "expected accept, observed accepted",
				Duration: 412 * time.Millisecond,
				Events: []events.Event{
					{Time: t0, Kind: events.ClientHello, Summary: "ClientHello", Hello: hello},
					{Time: t0.Add(40 * time.Millisecond), Kind: events.HandshakeDone, Summary: "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8"},
					{Time: t0.Add(90 * time.Millisecond), Kind: events.Register, Summary: "POST /rd ep=dev1"},
				},
			},
			{
				Case: catalog.Case{
					ID: "certusage/u1/spk-root/ts-root/chain-leaf-int", Area: "certusage",
					Description: "PKIX-EE naming a CA", Source: "000 §3", Basis: catalog.BasisSeed, Expect: catalog.Reject,
					Dimensions: map[string]string{"usage": "u1", "spk": "root", "ts": "root", "chain": "leaf-int"},
				},
				Observation: verdict.Observation{Outcome: verdict.Accepted},
				Checks: []verdict.Check{
					{Name: "decision", Verdict: verdict.Fail, Basis: catalog.BasisSeed, Source: "000 §3", Message: "expected reject, observed accepted"},
				},
				Verdict: verdict.Fail, Reason: "expected reject, observed accepted",
				Duration:    1500 * time.Millisecond,
				SUTCommand:  "lwm2mclient -h lwm2m.example.net -cu 1",
				SUTOutput:   strings.Repeat("early line\n", 300) + "last line: registered\n",
				EvidenceDir: "/tmp/evidence/u1",
				Baseline:    "vendor ticket #42: usage 1 treated as 0",
			},
			{
				Case: catalog.Case{
					ID: "certusage/u3/spk-empty/ts-absent/chain-leaf", Area: "certusage",
					Source: "000 §5", Basis: catalog.BasisSeed, Expect: catalog.Accept, Unvalidated: true,
					Dimensions: map[string]string{"usage": "u3", "spk": "empty", "ts": "absent", "chain": "leaf"},
				},
				Observation: verdict.Observation{Outcome: verdict.Accepted},
				Checks: []verdict.Check{
					{Name: "decision", Verdict: verdict.Warn, Basis: catalog.BasisSeed, Source: "000 §5", Message: "accepted WITHOUT server validation"},
				},
				Verdict: verdict.Warn, Reason: "accepted WITHOUT server validation",
				Duration: 300 * time.Millisecond,
			},
			{
				Case: catalog.Case{
					ID: "sni/ip-literal-no-sni", Area: "sni", Source: "001 §SNI", Basis: catalog.BasisSeed, Expect: catalog.Accept,
					Wire: catalog.Wire{NoSNI: true},
				},
				Observation: verdict.Observation{Outcome: verdict.Rejected, Alert: "bad_certificate"},
				Checks: []verdict.Check{
					{Name: "decision", Verdict: verdict.Fail, Basis: catalog.BasisSeed, Source: "001 §SNI", Message: "expected accept, observed rejected (alert bad_certificate)"},
					{Name: "sni", Verdict: verdict.Fail, Basis: catalog.BasisRFC, Source: "RFC 6066 §3", Message: `ClientHello carried SNI "lwm2m.example.net" for an IP-literal server URI`},
				},
				Verdict: verdict.Fail, Reason: "expected accept, observed rejected (alert bad_certificate)",
				Duration: 220 * time.Millisecond,
				Events: []events.Event{
					{Time: t0, Kind: events.ClientHello, Summary: "ClientHello", Hello: &withSNI},
					{Time: t0.Add(20 * time.Millisecond), Kind: events.AlertReceived, Summary: "fatal bad_certificate",
						Alert: &events.Alert{Level: 2, Description: 42, Name: "bad_certificate"}},
				},
			},
			{
				Case: catalog.Case{
					ID: "sni/name-mismatch-dane-ee", Area: "sni", Source: "RFC 7671 §5.1", Basis: catalog.BasisUnspecified, Expect: catalog.Accept,
				},
				Observation: verdict.Observation{Outcome: verdict.Rejected, Silent: true},
				Checks: []verdict.Check{
					{Name: "decision", Verdict: verdict.Info, Basis: catalog.BasisUnspecified, Source: "RFC 7671 §5.1", Message: "observed rejected (silent); basis unspecified (table says accept)"},
				},
				Verdict: verdict.Info, Reason: "observed rejected (silent); basis unspecified (table says accept)",
				Duration: 2 * time.Second,
			},
			{
				Case: catalog.Case{
					ID: "psk/identity-128-bytes", Area: "psk", Source: "001 §PSK", Basis: catalog.BasisSeed, Expect: catalog.Accept,
				},
				Verdict: verdict.Skip, Reason: "profile: max PSK identity length 64",
			},
		},
	}
}

// gridVerdict spreads decisions over the matrix deterministically, with an
// observation consistent with the decision. Cells 3, 12, 21, … decide as
// expected and fail the sni check instead.
func gridVerdict(i int) (expect catalog.Expect, decision verdict.Verdict, o verdict.Outcome, sniFails bool) {
	expect, same, other := catalog.Reject, verdict.Rejected, verdict.Accepted
	if i%4 == 1 {
		expect, same, other = catalog.Accept, verdict.Accepted, verdict.Rejected
	}
	switch i % 9 {
	case 0:
		return expect, verdict.Fail, other, false
	case 3:
		return expect, verdict.Pass, same, true
	case 5:
		return catalog.Accept, verdict.Warn, verdict.Accepted, false
	case 7:
		return expect, verdict.Info, verdict.Accepted, false
	case 8:
		return expect, verdict.Skip, "", false
	}
	return expect, verdict.Pass, same, false
}

// gridResult is one matrix cell's result; a skipped one has no checks, as
// the runner leaves it.
func gridResult(i int, id string, dims map[string]string) verdict.Result {
	expect, decision, o, sniFails := gridVerdict(i)
	r := verdict.Result{
		Case: catalog.Case{
			ID: id, Area: "certusage", Source: "000 §2", Basis: catalog.BasisSeed, Expect: expect, Dimensions: dims,
		},
		Observation: verdict.Observation{Outcome: o},
		Verdict:     decision,
		Reason:      fmt.Sprintf("%s for cell %d", decision, i),
		Duration:    time.Duration(100+i) * time.Millisecond,
	}
	if decision != verdict.Skip {
		r.Checks = []verdict.Check{{Name: "decision", Verdict: decision, Basis: catalog.BasisSeed, Source: "000 §2", Message: r.Reason}}
	}
	if sniFails {
		r.Checks = append(r.Checks, verdict.Check{Name: "sni", Verdict: verdict.Fail, Basis: catalog.BasisSeed, Source: "001 §5.15.2.1",
			Message: `ClientHello carried no SNI, expected "lwm2m.example.net"`})
		r.Verdict, r.Reason = verdict.Fail, `sni: ClientHello carried no SNI, expected "lwm2m.example.net"`
	}
	return r
}

// gridRun holds a full certificate-usage matrix (480 cases) and a few sni
// and validity rows, one of them with a hostile SUT output.
func gridRun() Run {
	var rs []verdict.Result
	i := 0
	for _, u := range usageAxis {
		for _, spk := range spkAxis {
			for _, ts := range tsAxis {
				for _, ch := range chainAxis {
					id := fmt.Sprintf("certusage/%s/spk-%s/ts-%s/chain-%s", u, spk, ts, ch)
					rs = append(rs, gridResult(i, id, map[string]string{"usage": u, "spk": spk, "ts": ts, "chain": ch}))
					i++
				}
			}
		}
	}
	rs = append(rs,
		verdict.Result{
			Case:        catalog.Case{ID: "sni/hostname-set", Area: "sni", Source: "001 §SNI", Basis: catalog.BasisSeed, Expect: catalog.Accept},
			Observation: verdict.Observation{Outcome: verdict.Accepted},
			Checks: []verdict.Check{
				{Name: "decision", Verdict: verdict.Pass, Basis: catalog.BasisSeed, Source: "001 §SNI", Message: "expected accept, observed accepted"},
				{Name: "sni", Verdict: verdict.Pass, Basis: catalog.BasisSeed, Source: "001 §5.15.2.1", Message: `SNI "lwm2m.example.net"`},
			},
			Verdict: verdict.Pass, Reason: "expected accept, observed accepted", Duration: 300 * time.Millisecond,
		},
		verdict.Result{
			Case:        catalog.Case{ID: "sni/hostile-output", Area: "sni", Source: "001 §SNI", Basis: catalog.BasisSeed, Expect: catalog.Accept},
			Observation: verdict.Observation{Outcome: verdict.Error, Detail: `<img src=x onerror="alert(1)">`},
			Checks: []verdict.Check{
				{Name: "decision", Verdict: verdict.Fail, Basis: catalog.BasisSeed, Source: "001 §SNI", Message: `expected accept, SUT error: <script>alert("reason")</script>`},
				{Name: "sni", Verdict: verdict.Fail, Basis: catalog.BasisRFC, Source: `RFC 6066 <b>bold</b>`, Message: `ClientHello carried SNI "<script>alert('sni')</script>"`},
			},
			Verdict: verdict.Fail, Reason: `expected accept, SUT error: <script>alert("reason")</script>`,
			SUTCommand: `client --name '<script>alert("cmd")</script>'`,
			SUTOutput:  "starting\n<script>alert(\"out\")</script>\n\x1b[31mred\x1b[0m & done\n",
			Duration:   50 * time.Millisecond,
		},
		verdict.Result{
			Case:        catalog.Case{ID: "validity/expired-leaf", Area: "validity", Source: "001 §time", Basis: catalog.BasisSeed, Expect: catalog.Reject},
			Observation: verdict.Observation{Outcome: verdict.Rejected, Alert: "certificate_expired"},
			Checks: []verdict.Check{
				{Name: "decision", Verdict: verdict.Pass, Basis: catalog.BasisSeed, Source: "001 §time", Message: "expected reject, observed rejected (alert certificate_expired)"},
			},
			Verdict: verdict.Pass, Reason: "expected reject, observed rejected (alert certificate_expired)", Duration: 250 * time.Millisecond,
			Baseline: "clock not set on boot",
		},
	)
	return Run{SUT: "reference <b>bold</b>", Started: t0, Wall: 12*time.Minute + 3*time.Second, Results: rs}
}

// checksRun separates the decision from the wire checks: a matrix case
// that decided as expected but sent no SNI, one that crashed, one accepted
// without validation, and a stale baseline entry explained only by its
// reason.
func checksRun() Run {
	return Run{SUT: "reference", Started: t0, Wall: 3 * time.Second, Results: []verdict.Result{
		{
			Case: catalog.Case{
				ID: "certusage/u0/spk-root/ts-root/chain-full", Area: "certusage", Source: "000 §2", Basis: catalog.BasisSeed, Expect: catalog.Accept,
				Dimensions: map[string]string{"usage": "u0", "spk": "root", "ts": "root", "chain": "full"},
			},
			Observation: verdict.Observation{Outcome: verdict.Accepted, DecidedBy: "register", DecidedAt: 120 * time.Millisecond},
			Checks: []verdict.Check{
				{Name: "decision", Verdict: verdict.Pass, Basis: catalog.BasisSeed, Source: "000 §2", Message: "expected accept, observed accepted"},
				{Name: "sni", Verdict: verdict.Fail, Basis: catalog.BasisSeed, Source: "001 §5.15.2.1", Message: `ClientHello carried no SNI, expected "lwm2m.example.net"`},
			},
			Verdict: verdict.Fail, Reason: `sni: ClientHello carried no SNI, expected "lwm2m.example.net"`,
			Duration: 400 * time.Millisecond,
		},
		{
			Case: catalog.Case{
				ID: "certusage/u1/spk-leaf/ts-absent/chain-leaf", Area: "certusage", Source: "000 §3", Basis: catalog.BasisSeed, Expect: catalog.Reject,
				Dimensions: map[string]string{"usage": "u1", "spk": "leaf", "ts": "absent", "chain": "leaf"},
			},
			Observation: verdict.Observation{Outcome: verdict.Crashed, Exit: "signal: segmentation fault", Detail: "the SUT died during the handshake",
				DecidedBy: "exit", DecidedAt: 412 * time.Millisecond},
			Checks: []verdict.Check{
				{Name: "decision", Verdict: verdict.Fail, Basis: catalog.BasisSeed, Source: "000 §3",
					Message: "expected reject, SUT crashed (signal: segmentation fault): the SUT died during the handshake"},
			},
			Verdict: verdict.Fail, Reason: "expected reject, SUT crashed (signal: segmentation fault): the SUT died during the handshake",
			Duration: 500 * time.Millisecond,
		},
		{
			Case: catalog.Case{
				ID: "certusage/u3/spk-empty/ts-absent/chain-self-signed", Area: "certusage", Source: "000 §5", Basis: catalog.BasisSeed,
				Expect: catalog.Accept, Unvalidated: true,
				Dimensions: map[string]string{"usage": "u3", "spk": "empty", "ts": "absent", "chain": "self-signed"},
			},
			Observation: verdict.Observation{Outcome: verdict.Accepted, DecidedBy: "register", DecidedAt: 95 * time.Millisecond},
			Checks: []verdict.Check{
				{Name: "decision", Verdict: verdict.Warn, Basis: catalog.BasisSeed, Source: "000 §5",
					Message: "accepted WITHOUT server validation (usage 2/3 fallback: no Server Public Key, no trust store)"},
			},
			Verdict: verdict.Warn, Reason: "accepted WITHOUT server validation (usage 2/3 fallback: no Server Public Key, no trust store)",
			Duration: 300 * time.Millisecond,
		},
		{
			Case:        catalog.Case{ID: "psk/identity-16-bytes", Area: "psk", Source: "001 §PSK", Basis: catalog.BasisSeed, Expect: catalog.Accept},
			Observation: verdict.Observation{Outcome: verdict.Accepted, DecidedBy: "register", DecidedAt: 80 * time.Millisecond},
			Checks: []verdict.Check{
				{Name: "decision", Verdict: verdict.Pass, Basis: catalog.BasisSeed, Source: "001 §PSK", Message: "expected accept, observed accepted"},
			},
			Verdict:  verdict.Fail,
			Reason:   "listed in the profile's baseline as a known deviation (short keys), but the SUT now behaves as expected: remove the entry",
			Duration: 200 * time.Millisecond,
		},
	}}
}
