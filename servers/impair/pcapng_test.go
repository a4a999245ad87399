package impair

import (
	"fmt"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/internal/pcapng"
)

func TestCaptureShowsThePathAsTheServerSawIt(t *testing.T) {
	server, sut := udpSocket(t), udpSocket(t)
	path := filepath.Join(t.TempDir(), "c.pcapng")
	srvAddr := server.LocalAddr().(*net.UDPAddr)
	p := startProxy(t, Config{Upstream: srvAddr, PcapngPath: path, DropUp: []int{2}, Duplicate: 1, Delay: 30 * time.Millisecond})
	exchange := func(msg string) *net.UDPAddr {
		if _, err := sut.WriteToUDP([]byte(msg), p.Addr()); err != nil {
			t.Fatal(err)
		}
		_, from := recv(t, server, 500*time.Millisecond)
		return from
	}
	up1 := exchange("one")
	if up1 == nil {
		t.Fatal("first datagram lost")
	}
	recv(t, server, 100*time.Millisecond) // its duplicate
	if exchange("two") != nil {
		t.Fatal("datagram #2 was not dropped")
	}
	if _, err := server.WriteToUDP([]byte("back"), up1); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if b, _ := recv(t, sut, 500*time.Millisecond); string(b) != "back" {
			t.Fatalf("SUT got %q", b)
		}
	}
	if err := p.Rebind(); err != nil {
		t.Fatal(err)
	}
	up2 := exchange("three")
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}

	f, err := pcapng.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pkts := f.Packets
	type row struct {
		src, dst, payload, comment string
		inbound                    bool
	}
	var got []row
	for _, k := range pkts {
		got = append(got, row{k.Src.String(), k.Dst.String(), string(k.Payload), k.Comment, k.Inbound})
	}
	// The server appears on 5684, so Wireshark decodes DTLS and CoAP
	// unprompted; the description keeps its real address.
	s := net.JoinHostPort(srvAddr.IP.String(), "5684")
	if !strings.Contains(f.IfDescription, srvAddr.String()+" (shown as port 5684)") {
		t.Errorf("interface description %q", f.IfDescription)
	}
	u1, u2 := up1.String(), up2.String()
	delayed := "delayed by impairment (30ms)"
	want := []row{
		{u1, s, "one", "from SUT " + sut.LocalAddr().String() + "; " + delayed, true},
		{u1, s, "one", "duplicated by impairment", true},
		{u1, s, "two", "dropped by impairment (drop_up #2)", true},
		{s, u1, "back", delayed, false},
		{s, u1, "back", "duplicated by impairment", false},
		{u2, s, "three", fmt.Sprintf("NAT rebinding: source port %d → %d; %s", up1.Port, up2.Port, delayed), true},
		{u2, s, "three", "duplicated by impairment", true},
	}
	if len(got) != len(want) {
		t.Fatalf("%d packets, want %d:\n%+v", len(got), len(want), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("packet %d:\n got %+v\nwant %+v", i+1, got[i], want[i])
		}
	}
	for i := 1; i < len(pkts); i++ {
		if pkts[i].At.Before(pkts[i-1].At) {
			t.Errorf("packet %d is timestamped before packet %d", i+1, i)
		}
	}
}
