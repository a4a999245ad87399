package impair

import (
	"encoding/binary"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// capturedPacket is one Enhanced Packet Block, decoded.
type capturedPacket struct {
	at       time.Time
	src, dst net.UDPAddr
	payload  []byte
	comment  string
	inbound  bool
}

// readPcapng decodes the files the proxy writes (little-endian, one
// LINKTYPE_RAW interface with nanosecond timestamps) and checks every
// length and checksum on the way.
func readPcapng(t *testing.T, path string) []capturedPacket {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []capturedPacket
	sawIDB := false
	for off := 0; off < len(b); {
		if len(b)-off < 12 {
			t.Fatalf("truncated block at %d", off)
		}
		typ := binary.LittleEndian.Uint32(b[off:])
		total := int(binary.LittleEndian.Uint32(b[off+4:]))
		if total%4 != 0 || total < 12 || off+total > len(b) ||
			binary.LittleEndian.Uint32(b[off+total-4:]) != uint32(total) {
			t.Fatalf("bad block length %d at %d", total, off)
		}
		body := b[off+8 : off+total-4]
		switch {
		case off == 0:
			if typ != blockSHB || binary.LittleEndian.Uint32(body) != byteOrderMagic {
				t.Fatalf("file does not start with a little-endian section header")
			}
		case typ == blockIDB:
			if binary.LittleEndian.Uint16(body) != linktypeRaw {
				t.Fatalf("link type %d", binary.LittleEndian.Uint16(body))
			}
			if opts := options(t, body[8:]); string(opts[optIfTsresol]) != "\x09" || len(opts[optIfName]) == 0 {
				t.Fatalf("interface options %v", opts)
			}
			sawIDB = true
		case typ == blockEPB:
			if !sawIDB {
				t.Fatal("packet before the interface description")
			}
			out = append(out, decodeEPB(t, body))
		default:
			t.Fatalf("unexpected block type 0x%x", typ)
		}
		off += total
	}
	return out
}

func decodeEPB(t *testing.T, body []byte) capturedPacket {
	t.Helper()
	if iface := binary.LittleEndian.Uint32(body); iface != 0 {
		t.Fatalf("interface %d", iface)
	}
	ts := uint64(binary.LittleEndian.Uint32(body[4:]))<<32 | uint64(binary.LittleEndian.Uint32(body[8:]))
	capLen := int(binary.LittleEndian.Uint32(body[12:]))
	if origLen := int(binary.LittleEndian.Uint32(body[16:])); origLen != capLen {
		t.Fatalf("captured %d of %d bytes", capLen, origLen)
	}
	pkt := body[20 : 20+capLen]
	opts := options(t, body[20+capLen+pad4(capLen):])
	p := capturedPacket{at: time.Unix(0, int64(ts)), comment: string(opts[optComment]),
		inbound: binary.LittleEndian.Uint32(opts[optEpbFlags])&3 == epbInbound}
	if pkt[0]>>4 != 4 {
		t.Fatalf("IP version %d", pkt[0]>>4)
	}
	if fold(sum(0, pkt[:ipv4HeaderLen])) != 0xffff {
		t.Fatal("bad IPv4 header checksum")
	}
	if int(binary.BigEndian.Uint16(pkt[2:])) != len(pkt) || pkt[9] != protoUDP {
		t.Fatalf("IPv4 total length %d of %d bytes, protocol %d", binary.BigEndian.Uint16(pkt[2:]), len(pkt), pkt[9])
	}
	udp := pkt[ipv4HeaderLen:]
	if int(binary.BigEndian.Uint16(udp[4:])) != len(udp) {
		t.Fatalf("UDP length %d of %d bytes", binary.BigEndian.Uint16(udp[4:]), len(udp))
	}
	pseudo := append(append(append([]byte(nil), pkt[12:20]...), 0, protoUDP), byte(len(udp)>>8), byte(len(udp)))
	if fold(sum(sum(0, pseudo), udp)) != 0xffff {
		t.Fatal("bad UDP checksum")
	}
	p.src = net.UDPAddr{IP: net.IP(pkt[12:16]), Port: int(binary.BigEndian.Uint16(udp))}
	p.dst = net.UDPAddr{IP: net.IP(pkt[16:20]), Port: int(binary.BigEndian.Uint16(udp[2:]))}
	p.payload = udp[udpHeaderLen:]
	return p
}

func options(t *testing.T, b []byte) map[uint16][]byte {
	t.Helper()
	m := map[uint16][]byte{}
	for len(b) >= 4 {
		code, n := binary.LittleEndian.Uint16(b), int(binary.LittleEndian.Uint16(b[2:]))
		if code == optEnd {
			return m
		}
		if 4+n > len(b) {
			t.Fatalf("option %d of %d bytes overruns the block", code, n)
		}
		m[code] = b[4 : 4+n]
		b = b[4+n+pad4(n):]
	}
	t.Fatal("options without an end marker")
	return nil
}

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

	pkts := readPcapng(t, path)
	type row struct {
		src, dst, payload, comment string
		inbound                    bool
	}
	var got []row
	for _, k := range pkts {
		got = append(got, row{k.src.String(), k.dst.String(), string(k.payload), k.comment, k.inbound})
	}
	s, u1, u2 := srvAddr.String(), up1.String(), up2.String()
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
		if pkts[i].at.Before(pkts[i-1].at) {
			t.Errorf("packet %d is timestamped before packet %d", i+1, i)
		}
	}
}
