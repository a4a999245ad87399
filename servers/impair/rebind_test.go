package impair

import (
	"net"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/pion/dtls/v2"

	"github.com/lwm2m-conform/lwm2m-conform/events"
)

// cidSession runs a CID handshake through a proxy, application data, a NAT
// rebinding and more application data; it returns what the tshark test
// needs.
type cidSession struct {
	proxy   *Proxy
	log     *events.Log
	server  *echoServer
	pcap    string
	keylog  string
	oldPort int
	newPort int
}

func runCIDSession(t *testing.T) cidSession {
	t.Helper()
	srvCfg := pskConfig()
	srvCfg.ConnectionIDGenerator = dtls.RandomCIDGenerator(8)
	srv := startEchoServer(t, srvCfg)

	dir := t.TempDir()
	s := cidSession{log: events.NewLog(), server: srv, pcap: filepath.Join(dir, "capture.pcapng"), keylog: filepath.Join(dir, "keylog.txt")}
	s.proxy = startProxy(t, Config{Upstream: srv.addr(), Events: s.log, PcapngPath: s.pcap, Seed: 7})

	keys := &syncBuffer{}
	cliCfg := pskConfig()
	cliCfg.ConnectionIDGenerator = dtls.OnlySendCIDGenerator()
	cliCfg.KeyLogWriter = keys
	c, err := dialThrough(t, s.proxy.Addr(), cliCfg, 5*time.Second)
	if err != nil {
		t.Fatalf("handshake through the proxy: %v", err)
	}
	roundTrip(t, c, "before rebinding")
	s.proxy.mu.Lock()
	s.oldPort = s.proxy.up.LocalAddr().(*net.UDPAddr).Port
	s.proxy.mu.Unlock()
	if err := s.proxy.Rebind(); err != nil {
		t.Fatal(err)
	}
	s.proxy.mu.Lock()
	s.newPort = s.proxy.up.LocalAddr().(*net.UDPAddr).Port
	s.proxy.mu.Unlock()
	roundTrip(t, c, "after rebinding")
	roundTrip(t, c, "and again")
	if err := s.proxy.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(s.keylog, []byte(keys.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestCIDSessionSurvivesRebinding(t *testing.T) {
	s := runCIDSession(t)
	if s.oldPort == s.newPort {
		t.Fatalf("rebinding kept port %d", s.oldPort)
	}
	notes := notesWhat(s.log, "nat_rebinding")
	if len(notes) != 1 {
		t.Fatalf("%d nat_rebinding notes, want 1", len(notes))
	}
	want := regexp.MustCompile(`^nat_rebinding old=127\.0\.0\.1:\d+ new=127\.0\.0\.1:\d+$`)
	if !want.MatchString(notes[0].Summary) {
		t.Fatalf("note %q", notes[0].Summary)
	}

	// The SUT's records after the handshake carry the 8-byte CID the
	// server chose; the server's records carry none (the client offered an
	// empty one).
	cidRecs := recordsWhere(s.log, map[string]string{"dir": "up", "type": "tls12_cid"})
	if len(cidRecs) < 3 {
		t.Fatalf("%d tls12_cid records up, want at least 3 (one per message)", len(cidRecs))
	}
	cid := cidRecs[0].Fields["cid"]
	if len(cid) != 16 {
		t.Fatalf("cid %q, want 8 bytes in hex", cid)
	}
	after := 0
	for _, e := range cidRecs {
		if e.Fields["cid"] != cid {
			t.Fatalf("record with cid %q, first was %q", e.Fields["cid"], cid)
		}
		if e.Fields["epoch"] != "1" {
			t.Fatalf("tls12_cid record in epoch %s", e.Fields["epoch"])
		}
		if e.Time.After(notes[0].Time) {
			after++
		}
	}
	if after < 2 {
		t.Fatalf("%d CID records after the rebinding, want 2", after)
	}
	if n := len(recordsWhere(s.log, map[string]string{"dir": "down", "type": "tls12_cid"})); n != 0 {
		t.Fatalf("%d tls12_cid records down; the client asked for none", n)
	}
	if n := len(recordsWhere(s.log, map[string]string{"dir": "down", "type": "application_data"})); n != 3 {
		t.Fatalf("%d application_data records down, want 3 echoes", n)
	}
	if n := len(recordsWhere(s.log, map[string]string{"dir": "up", "handshake": "client_hello"})); n != 2 {
		t.Fatalf("%d ClientHellos, want 2 (with and without cookie)", n)
	}
	st := s.proxy.Stats()
	if st.DroppedUp+st.DroppedDown+st.Duplicated != 0 || st.Up < 6 || st.Down < 6 {
		t.Fatalf("stats %+v", st)
	}
}
