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
// a baseline deviation and SUT output.
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
				Observation: verdict.Observation{Outcome: verdict.Accepted},
				Verdict:     verdict.Pass, Reason: "expected accept, observed accepted",
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
				Verdict:     verdict.Fail, Reason: "expected reject, observed accepted",
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
				Verdict:     verdict.Warn, Reason: "accepted WITHOUT server validation",
				Duration: 300 * time.Millisecond,
			},
			{
				Case: catalog.Case{
					ID: "sni/ip-literal-no-sni", Area: "sni", Source: "001 §SNI", Basis: catalog.BasisSeed, Expect: catalog.Accept,
					Wire: catalog.Wire{NoSNI: true},
				},
				Observation: verdict.Observation{Outcome: verdict.Rejected, Alert: "bad_certificate"},
				Verdict:     verdict.Fail, Reason: "expected accept, observed rejected (alert bad_certificate)",
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
				Verdict:     verdict.Info, Reason: "observed rejected (silent); basis unspecified (table says accept)",
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

// gridVerdict spreads verdicts over the matrix deterministically, with an
// observation consistent with the verdict.
func gridVerdict(i int) (catalog.Expect, verdict.Verdict, verdict.Outcome) {
	expect, same, other := catalog.Reject, verdict.Rejected, verdict.Accepted
	if i%4 == 1 {
		expect, same, other = catalog.Accept, verdict.Accepted, verdict.Rejected
	}
	switch i % 9 {
	case 0, 3:
		return expect, verdict.Fail, other
	case 5:
		return catalog.Accept, verdict.Warn, verdict.Accepted
	case 7:
		return expect, verdict.Info, verdict.Accepted
	case 8:
		return expect, verdict.Skip, ""
	}
	return expect, verdict.Pass, same
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
					expect, v, o := gridVerdict(i)
					rs = append(rs, verdict.Result{
						Case: catalog.Case{
							ID:   fmt.Sprintf("certusage/%s/spk-%s/ts-%s/chain-%s", u, spk, ts, ch),
							Area: "certusage", Source: "000 §2", Basis: catalog.BasisSeed, Expect: expect,
							Dimensions: map[string]string{"usage": u, "spk": spk, "ts": ts, "chain": ch},
						},
						Observation: verdict.Observation{Outcome: o},
						Verdict:     v,
						Reason:      fmt.Sprintf("%s for cell %d", v, i),
						Duration:    time.Duration(100+i) * time.Millisecond,
					})
					i++
				}
			}
		}
	}
	rs = append(rs,
		verdict.Result{
			Case:        catalog.Case{ID: "sni/hostname-set", Area: "sni", Source: "001 §SNI", Basis: catalog.BasisSeed, Expect: catalog.Accept},
			Observation: verdict.Observation{Outcome: verdict.Accepted},
			Verdict:     verdict.Pass, Reason: "expected accept, observed accepted", Duration: 300 * time.Millisecond,
		},
		verdict.Result{
			Case:        catalog.Case{ID: "sni/hostile-output", Area: "sni", Source: "001 §SNI", Basis: catalog.BasisSeed, Expect: catalog.Accept},
			Observation: verdict.Observation{Outcome: verdict.Error, Detail: `<img src=x onerror="alert(1)">`},
			Verdict:     verdict.Fail, Reason: `expected accept, SUT error: <script>alert("reason")</script>`,
			SUTCommand: `client --name '<script>alert("cmd")</script>'`,
			SUTOutput:  "starting\n<script>alert(\"out\")</script>\n\x1b[31mred\x1b[0m & done\n",
			Duration:   50 * time.Millisecond,
		},
		verdict.Result{
			Case:        catalog.Case{ID: "validity/expired-leaf", Area: "validity", Source: "001 §time", Basis: catalog.BasisSeed, Expect: catalog.Reject},
			Observation: verdict.Observation{Outcome: verdict.Rejected, Alert: "certificate_expired"},
			Verdict:     verdict.Pass, Reason: "expected reject, observed rejected (alert certificate_expired)", Duration: 250 * time.Millisecond,
			Baseline: "clock not set on boot",
		},
	)
	return Run{SUT: "reference <b>bold</b>", Started: t0, Wall: 12*time.Minute + 3*time.Second, Results: rs}
}
