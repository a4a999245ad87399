package client

import (
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/client/model"
	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/servers"
)

// startPSKHarness starts the harness LwM2M server knowing pskAccount's
// identity; tweak adjusts its DTLS settings.
func startPSKHarness(t *testing.T, tweak func(*servers.DTLS)) (*servers.LwM2M, *events.Log) {
	t.Helper()
	d := &servers.DTLS{PSK: map[string][]byte{"ep-res": testPSK}, FlightInterval: 200 * time.Millisecond}
	if tweak != nil {
		tweak(d)
	}
	log := events.NewLog()
	s, err := servers.StartLwM2M(t.Context(), servers.Config{DTLS: d, Events: log})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s, log
}

func harnessURI(s *servers.LwM2M) string { return fmt.Sprintf("coaps://127.0.0.1:%d", s.Addr().Port) }

// helloEvents are the ClientHellos the server decoded, from index from on.
func helloEvents(log *events.Log, from int) []*events.Hello {
	var out []*events.Hello
	for _, e := range log.Events()[from:] {
		if e.Kind == events.ClientHello && e.Hello != nil {
			out = append(out, e.Hello)
		}
	}
	return out
}

// TestWireFaultsInClientHello runs each ClientHello fault against the
// harness server twice, without and with the fault: the first ClientHello
// the server records differs as the fault says, the client still
// registers, and what the client reports it offered is what was on the wire.
func TestWireFaultsInClientHello(t *testing.T) {
	pki := newTestPKI(t)
	srvCert := pki.server.tls()
	sni := func(h *events.Hello) string { return fmt.Sprintf("sni=%v %q", h.HasSNI, h.SNI) }
	suites := func(h *events.Hello) string { return suiteList(h.CipherSuites) }
	cid := func(h *events.Hello) string { return fmt.Sprintf("connection_id=%v", h.ConnectionID) }
	asCert := func(d *servers.DTLS) { d.PSK, d.Certificate = nil, &srvCert }
	rows := []struct {
		fault           Fault
		cert            bool
		client          func(*model.Security, *Options)
		server          func(*servers.DTLS)
		seen            func(*events.Hello) string
		correct, broken string
	}{
		{FaultOmitSNI, false, func(s *model.Security, _ *Options) { s.SNI = "lwm2m.example.test" }, nil,
			sni, `sni=true "lwm2m.example.test"`, `sni=false ""`},
		{FaultSNIIPLiteral, false, nil, nil, sni, `sni=false ""`, `sni=true "127.0.0.1"`},
		{FaultSNIIPLiteral, true, nil, asCert, sni, `sni=false ""`, `sni=true "127.0.0.1"`},
		{FaultExtraSuites, false, func(s *model.Security, _ *Options) { s.CipherSuites = []uint16{0xC0A8} }, nil,
			suites, "0xC0A8", "0xC0A8,0x00A8"},
		{FaultExtraSuites, true, func(s *model.Security, _ *Options) { s.CipherSuites = []uint16{0xC0AE} }, asCert,
			suites, "0xC0AE", "0xC0AE,0xC02B"},
		{FaultWeakSuite, false, nil, nil, suites, "0xC0A8,0xC0A4,0x00A8", "0x0000,0xC0A8,0xC0A4,0x00A8"},
		{FaultWeakSuite, true, nil, asCert, suites, "0xC0AE,0xC0AC,0xC02B,0xC02C", "0x0000,0xC0AE,0xC0AC,0xC02B,0xC02C"},
		{FaultNoCID, false, func(_ *model.Security, o *Options) { o.ConnectionID = true }, func(d *servers.DTLS) { d.ConnectionID = true },
			cid, "connection_id=true", "connection_id=false"},
	}
	for _, row := range rows {
		mode := "psk"
		if row.cert {
			mode = "cert"
		}
		t.Run(string(row.fault)+"/"+mode, func(t *testing.T) {
			for _, broken := range []bool{false, true} {
				srv, log := startPSKHarness(t, row.server)
				sec := pskAccount(harnessURI(srv))
				if row.cert {
					sec = certAccount(t, pki, harnessURI(srv), intp(3), pki.server.cert.Raw)
				}
				opts := Options{HandshakeTimeout: 3 * time.Second}
				if broken {
					opts.Faults = []string{string(row.fault)}
				}
				if row.client != nil {
					row.client(&sec, &opts)
				}
				opts.Model = provisioned(t, "ep-fault", sec, 30*time.Second)
				r := start(t, opts)
				r.registered(t)
				hellos := helloEvents(log, 0)
				if len(hellos) == 0 {
					t.Fatal("the server recorded no ClientHello")
				}
				want := row.correct
				if broken {
					want = row.broken
				}
				if got := row.seen(hellos[0]); got != want {
					t.Errorf("fault=%v: first ClientHello %s, want %s", broken, got, want)
				}
				hs := r.handshakes()
				if got := suiteList(hs[0].Offered); got != suiteList(hellos[0].CipherSuites) {
					t.Errorf("fault=%v: client reports it offered %s, the wire shows %s", broken, got, suiteList(hellos[0].CipherSuites))
				}
				_ = r.stop(t)
			}
		})
	}
}

// TestNoResumeFaultNeverOffersASession: a stored session is resumed by the
// correct client, and never offered by one with no-resume.
func TestNoResumeFaultNeverOffersASession(t *testing.T) {
	srv, log := startPSKHarness(t, func(d *servers.DTLS) { d.SessionResumption = true })
	state := filepath.Join(t.TempDir(), "client.state")
	run := func(faults ...string) (HandshakeInfo, []*events.Hello) {
		t.Helper()
		from := len(log.Events())
		hs := runOnce(t, Options{Model: provisioned(t, "ep-res", pskAccount(harnessURI(srv)), 30*time.Second), StateFile: state, Faults: faults})
		if len(hs) != 1 || hs[0].Err != nil {
			t.Fatalf("handshakes %+v, want one that succeeds", hs)
		}
		return hs[0], helloEvents(log, from)
	}
	if h, _ := run(); h.Resumed {
		t.Fatal("first run resumed without a stored session")
	}
	h, hellos := run(string(FaultNoResume))
	if h.Resumed {
		t.Error("no-resume: the handshake was resumed")
	}
	for _, hello := range hellos {
		if len(hello.SessionID) != 0 {
			t.Errorf("no-resume: ClientHello offers session %x", hello.SessionID)
		}
	}
	if h, hellos = run(); !h.Resumed || len(hellos) == 0 || len(hellos[0].SessionID) == 0 {
		t.Errorf("correct client after no-resume: resumed=%v; the stored session should have been there to offer", h.Resumed)
	}
}

// TestCrashAfterHandshakeInProcess: without Options.Die the client ends Run
// with a *CrashError right after the handshake: the server saw the
// handshake complete and never a Register, and the client did not retry.
func TestCrashAfterHandshakeInProcess(t *testing.T) {
	srv, log := startPSKHarness(t, nil)
	r := start(t, Options{Model: provisioned(t, "ep-res", pskAccount(harnessURI(srv)), 30*time.Second), Faults: []string{string(FaultCrash)}})
	var err error
	select {
	case err = <-r.done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not end after the handshake")
	}
	r.cancel = nil
	var ce *CrashError
	if !errors.As(err, &ce) {
		t.Fatalf("Run: %v, want a *CrashError", err)
	}
	time.Sleep(300 * time.Millisecond) // anything the client still sent has arrived
	if _, ok := log.First(events.HandshakeDone); !ok {
		t.Error("the server never completed the handshake")
	}
	if e, ok := log.First(events.Register); ok {
		t.Errorf("the server got a Register: %s", e.Summary)
	}
	if n := len(r.handshakes()); n != 1 {
		t.Errorf("%d handshakes, want 1 (no retry after the crash)", n)
	}
}

// TestSlowFaultStillRegisters: every handshake datagram leaves late, which
// the server sees as a gap after its HelloVerifyRequest, and the client
// still registers.
func TestSlowFaultStillRegisters(t *testing.T) {
	const delay = 300 * time.Millisecond
	srv, log := startPSKHarness(t, func(d *servers.DTLS) { d.FlightInterval = time.Second })
	r := start(t, Options{Model: provisioned(t, "ep-res", pskAccount(harnessURI(srv)), 30*time.Second), Faults: []string{string(FaultSlow)}, FaultDelay: delay})
	r.registered(t)
	var hvr time.Time
	gap := time.Duration(-1)
	for _, e := range log.Events() {
		if e.Kind != events.Record {
			continue
		}
		switch {
		case e.Fields["dir"] == "down" && e.Fields["handshake"] == "hello_verify_request" && hvr.IsZero():
			hvr = e.Time
		case e.Fields["dir"] == "up" && !hvr.IsZero() && gap < 0:
			gap = e.Time.Sub(hvr)
		}
	}
	if gap < delay-20*time.Millisecond {
		t.Errorf("the client answered the HelloVerifyRequest after %s, want at least %s", gap, delay)
	}
	if d := r.handshakes()[0].Duration; d < 3*delay {
		t.Errorf("handshake took %s, want at least three delayed flights (%s)", d, 3*delay)
	}
}
