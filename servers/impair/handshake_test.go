package impair

import (
	"strconv"
	"testing"
	"time"

	"github.com/pion/dtls/v2"

	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/servers/dtlswire"
)

// Real pion handshakes through an impaired path. pion retransmits every
// testFlightInterval (no backoff), which the measured intervals show.

func impairedPSKHandshake(t *testing.T, cfg Config) (*Proxy, *events.Log) {
	t.Helper()
	srv := startEchoServer(t, pskConfig())
	cfg.Upstream = srv.addr()
	log := events.NewLog()
	cfg.Events = log
	p := startProxy(t, cfg)
	c, err := dialThrough(t, p.Addr(), pskConfig(), 10*time.Second)
	if err != nil {
		t.Fatalf("handshake through %s: %v", cfg.describe(), err)
	}
	if cfg.Loss == 0 { // DTLS does not retransmit application data
		roundTrip(t, c, "through "+cfg.describe())
	}
	return p, log
}

// timerDriven reports whether some interval looks like pion's retransmission
// timer rather than an immediate answer to a retransmitted peer flight.
func timerDriven(rs []Retransmission) bool {
	for _, r := range rs {
		for _, iv := range r.Intervals {
			if iv >= testFlightInterval*8/10 && iv < 10*testFlightInterval {
				return true
			}
		}
	}
	return false
}

func TestRandomLossHandshakeCompletes(t *testing.T) {
	for _, loss := range []float64{0.2, 0.4} {
		t.Run(strconv.FormatFloat(loss, 'f', -1, 64), func(t *testing.T) {
			// With seed 13 the first draw of the SUT direction is 0.011: the
			// first ClientHello is always lost, so a retransmission is certain.
			p, log := impairedPSKHandshake(t, Config{Loss: loss, Seed: 13})
			first := recordsWhere(log, map[string]string{"dir": "up", "n": "1"})
			if len(first) != 1 || first[0].Fields["reason"] != "loss" || first[0].Fields["handshake"] != "client_hello" {
				t.Fatalf("first datagram: %+v", first)
			}
			st := p.Stats()
			if st.DroppedUp < 1 || len(st.Retransmissions) == 0 {
				t.Fatalf("stats %+v", st)
			}
			for _, r := range st.Retransmissions {
				if r.Count != len(r.Intervals) || r.Count < 1 || r.Epoch != 0 {
					t.Fatalf("retransmission %+v", r)
				}
				for _, iv := range r.Intervals {
					if iv <= 0 {
						t.Fatalf("interval %v in %+v", iv, r)
					}
				}
			}
			if !timerDriven(st.Retransmissions) {
				t.Fatalf("no interval near the %v flight interval: %+v", testFlightInterval, st.Retransmissions)
			}
			t.Logf("loss %v: %+v", loss, st)
		})
	}
}

func TestDropFirstClientHello(t *testing.T) {
	p, log := impairedPSKHandshake(t, Config{DropUp: []int{1}})
	st := p.Stats()
	if st.DroppedUp != 1 || st.DroppedDown != 0 {
		t.Fatalf("stats %+v", st)
	}
	dropped := recordsWhere(log, map[string]string{"dir": "up", "dropped": "true"})
	if len(dropped) != 1 || dropped[0].Fields["handshake"] != "client_hello" || dropped[0].Fields["reason"] != "drop_up #1" {
		t.Fatalf("dropped records %+v", dropped)
	}
	r := findRetransmission(st, Up, dtlswire.HandshakeClientHello, 0)
	if r == nil || r.Count != 1 {
		t.Fatalf("ClientHello retransmission %+v in %+v", r, st.Retransmissions)
	}
	// Nothing answered the first ClientHello, so only pion's timer sent
	// it again.
	if iv := r.Intervals[0]; iv < testFlightInterval*8/10 || iv > 5*testFlightInterval {
		t.Fatalf("ClientHello retransmitted after %v, flight interval %v", iv, testFlightInterval)
	}
}

func TestDropServerHelloFlight(t *testing.T) {
	p, log := impairedPSKHandshake(t, Config{DropFlight: []Flight{{Dir: Down, Handshake: dtlswire.HandshakeServerHello, Occurrence: 1}}})
	st := p.Stats()
	if st.DroppedDown != 1 || st.DroppedUp != 0 {
		t.Fatalf("stats %+v (the PSK server flight is one datagram)", st)
	}
	for _, e := range recordsWhere(log, map[string]string{"dir": "down", "dropped": "true"}) {
		if e.Fields["reason"] != "drop_flight server_hello #1" {
			t.Fatalf("dropped %+v", e.Fields)
		}
	}
	if r := findRetransmission(st, Down, dtlswire.HandshakeServerHello, 1); r == nil || r.Count < 1 {
		t.Fatalf("no ServerHello flight retransmission in %+v", st.Retransmissions)
	}
}

// A certificate flight split over several datagrams is dropped whole, and
// only its first transmission.
func TestDropMultiDatagramFlight(t *testing.T) {
	srvCfg, cliCfg := certConfigs(t)
	srvCfg.MTU = 250 // split the server flight
	srv := startEchoServer(t, srvCfg)
	log := events.NewLog()
	p := startProxy(t, Config{Upstream: srv.addr(), Events: log,
		DropFlight: []Flight{{Dir: Down, Handshake: dtlswire.HandshakeServerHello, Occurrence: 1}}})
	c, err := dialThrough(t, p.Addr(), cliCfg, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	roundTrip(t, c, "after a lost certificate flight")
	st := p.Stats()
	if st.DroppedDown < 2 {
		t.Fatalf("stats %+v: the split flight should lose several datagrams", st)
	}
	dropped := map[string]bool{}
	for _, e := range recordsWhere(log, map[string]string{"dir": "down", "dropped": "true"}) {
		dropped[e.Fields["n"]] = true
		switch e.Fields["handshake"] {
		case "server_hello", "certificate", "server_key_exchange", "server_hello_done":
		default:
			t.Fatalf("dropped a record outside the server flight: %+v", e.Fields)
		}
	}
	if len(dropped) != st.DroppedDown {
		t.Fatalf("%d dropped datagrams in events, %d in stats", len(dropped), st.DroppedDown)
	}
	// The first server_hello record is dropped, the next one is not.
	sh := recordsWhere(log, map[string]string{"dir": "down", "handshake": "server_hello"})
	if len(sh) < 2 || sh[0].Fields["dropped"] != "true" || sh[1].Fields["dropped"] != "" {
		t.Fatalf("server_hello records %+v", sh)
	}
}

// With client authentication the SUT's second flight starts with its
// Certificate; the ClientKeyExchange after it is part of the same flight.
func TestDropClientCertificateFlight(t *testing.T) {
	srvCfg, cliCfg := certConfigs(t)
	srvCfg.ClientAuth = dtls.RequireAnyClientCert
	cliCfg.Certificates = srvCfg.Certificates
	cliCfg.MTU = 250 // split the client flight
	srv := startEchoServer(t, srvCfg)
	log := events.NewLog()
	p := startProxy(t, Config{Upstream: srv.addr(), Events: log,
		DropFlight: []Flight{{Dir: Up, Handshake: dtlswire.HandshakeCertificate, Occurrence: 1}}})
	c, err := dialThrough(t, p.Addr(), cliCfg, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	roundTrip(t, c, "after a lost client certificate flight")
	st := p.Stats()
	if st.DroppedUp < 2 {
		t.Fatalf("stats %+v: the split flight should lose several datagrams", st)
	}
	kinds := map[string]bool{}
	for _, e := range recordsWhere(log, map[string]string{"dir": "up", "dropped": "true"}) {
		kinds[e.Fields["handshake"]] = true
		if e.Fields["reason"] != "drop_flight certificate #1" {
			t.Fatalf("dropped %+v", e.Fields)
		}
	}
	if !kinds["certificate"] || !kinds["client_key_exchange"] {
		t.Fatalf("dropped handshake messages %v, want the whole flight", kinds)
	}
	if r := findRetransmission(st, Up, dtlswire.HandshakeCertificate, 2); r == nil {
		t.Fatalf("no client Certificate flight retransmission in %+v", st.Retransmissions)
	}
	for _, r := range st.Retransmissions {
		if r.Handshake == dtlswire.HandshakeClientKeyExchange {
			t.Fatalf("ClientKeyExchange counted as a flight of its own: %+v", st.Retransmissions)
		}
	}
}

func TestDuplicateReorderDelay(t *testing.T) {
	p, log := impairedPSKHandshake(t, Config{Duplicate: 0.5, Reorder: 0.3, Delay: 20 * time.Millisecond, Jitter: 10 * time.Millisecond, Seed: 3})
	st := p.Stats()
	if st.Duplicated == 0 || st.DroppedUp+st.DroppedDown != 0 {
		t.Fatalf("stats %+v", st)
	}
	var reordered, delayed int
	for _, e := range log.Events() {
		if e.Kind != events.Record {
			continue
		}
		if e.Fields["reordered"] == "true" {
			reordered++
		}
		d, err := time.ParseDuration(e.Fields["delayed"])
		if err != nil {
			t.Fatalf("record without a delay: %+v", e.Fields)
		}
		if d < 10*time.Millisecond || d > 30*time.Millisecond {
			t.Fatalf("delay %v outside 20ms±10ms", d)
		}
		delayed++
	}
	if reordered == 0 || delayed == 0 {
		t.Fatalf("%d reordered, %d delayed records", reordered, delayed)
	}
}

func TestMTU(t *testing.T) {
	t.Run("above the flight size", func(t *testing.T) {
		srvCfg, cliCfg := certConfigs(t)
		srv := startEchoServer(t, srvCfg)
		log := events.NewLog()
		p := startProxy(t, Config{Upstream: srv.addr(), MTU: 1400, Events: log})
		c, err := dialThrough(t, p.Addr(), cliCfg, 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		roundTrip(t, c, "fits")
		if st := p.Stats(); st.DroppedDown+st.DroppedUp != 0 {
			t.Fatalf("stats %+v", st)
		}
	})
	t.Run("below the certificate flight", func(t *testing.T) {
		srvCfg, cliCfg := certConfigs(t)
		srv := startEchoServer(t, srvCfg)
		log := events.NewLog()
		p := startProxy(t, Config{Upstream: srv.addr(), MTU: 300, Events: log})
		if _, err := dialThrough(t, p.Addr(), cliCfg, 700*time.Millisecond); err == nil {
			t.Fatal("handshake completed although the certificate flight exceeds the MTU")
		}
		notes := notesWhat(log, "mtu_drop")
		if len(notes) == 0 {
			t.Fatal("no mtu_drop note")
		}
		size, _ := strconv.Atoi(notes[0].Fields["size"])
		if notes[0].Fields["dir"] != "down" || notes[0].Fields["mtu"] != "300" || size <= 300 {
			t.Fatalf("note %+v", notes[0])
		}
		if st := p.Stats(); st.DroppedDown != len(notes) {
			t.Fatalf("stats %+v, %d notes", st, len(notes))
		}
	})
}

func findRetransmission(st Stats, d Dir, typ uint8, seq uint16) *Retransmission {
	for i, r := range st.Retransmissions {
		if r.Dir == d && r.Handshake == typ && r.MessageSeq == seq {
			return &st.Retransmissions[i]
		}
	}
	return nil
}
