package servers

import (
	"bytes"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/internal/pcapng"
	"github.com/lwm2m-conform/lwm2m-conform/servers/dtlswire"
)

// The capture holds every datagram the server read and wrote, in order,
// between the client's address and the server shown on 5684.
func TestServerCaptureIsOneLegAsTheServerSawIt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "capture.pcapng")
	s := startPSKServer(t, events.NewLog(), func(c *Config) { c.CapturePath = path })
	c, err := dialDTLS(testCtx(t, 5*time.Second), s.Addr(), pskClientConfig("dev1"), nil)
	if err != nil {
		t.Fatal(err)
	}
	cli := c.sock.LocalAddr().(*net.UDPAddr).String()
	if _, err := c.register(testCtx(t, 5*time.Second), "ep-capture", "</1/0>"); err != nil {
		t.Fatal(err)
	}
	c.close()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := pcapng.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(f.IfDescription, s.Addr().String()+" (shown as port 5684)") {
		t.Errorf("interface description %q", f.IfDescription)
	}
	srv := net.JoinHostPort(s.Addr().IP.String(), "5684")
	var appUp, appDown int
	for i, p := range f.Packets {
		up := p.Src.String() == cli && p.Dst.String() == srv && p.Inbound
		down := p.Src.String() == srv && p.Dst.String() == cli && !p.Inbound
		if !up && !down {
			t.Fatalf("packet %d %s → %s inbound %v: not between %s and %s", i+1, &p.Src, &p.Dst, p.Inbound, cli, srv)
		}
		if i > 0 && p.At.Before(f.Packets[i-1].At) {
			t.Errorf("packet %d timestamped before packet %d", i+1, i)
		}
		recs, err := dtlswire.ParseRecords(p.Payload, 0)
		if err != nil {
			t.Fatalf("packet %d: %v", i+1, err)
		}
		for _, r := range recs {
			switch {
			case r.ContentType != dtlswire.ContentApplicationData:
			case up:
				appUp++
			default:
				appDown++
			}
		}
	}
	first, _ := dtlswire.ParseRecords(f.Packets[0].Payload, 0)
	if len(first) == 0 || !bytes.Equal(first[0].Fragment[:1], []byte{dtlswire.HandshakeClientHello}) {
		t.Errorf("first packet is not the ClientHello: %x", f.Packets[0].Payload)
	}
	if appUp == 0 || appDown == 0 {
		t.Errorf("application data up %d, down %d: want the Register and its answer", appUp, appDown)
	}
}
