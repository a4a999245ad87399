package pcapng

import (
	"bytes"
	"net"
	"testing"
)

func TestIPv6Capture(t *testing.T) {
	src := &net.UDPAddr{IP: net.ParseIP("2001:db8::1"), Port: 5684}
	dst := &net.UDPAddr{IP: net.ParseIP("127.0.0.1"), Port: 40000}
	p, err := ipUDPPacket(src, dst, []byte("abc"), 1)
	if err != nil {
		t.Fatal(err)
	}
	if p[0]>>4 != 6 || len(p) != ipv6HeaderLen+udpHeaderLen+3 || p[6] != protoUDP {
		t.Fatalf("packet %x", p)
	}
	if !bytes.Equal(p[24:40], net.ParseIP("::ffff:127.0.0.1")) {
		t.Fatalf("IPv4 destination not mapped: %x", p[24:40])
	}
	udp := p[ipv6HeaderLen:]
	pseudo := append(append(append([]byte(nil), p[8:40]...), 0, 0, 0, byte(len(udp))), 0, 0, 0, protoUDP)
	if fold(sum(sum(0, pseudo), udp)) != 0xffff {
		t.Fatal("bad UDP checksum")
	}
	if _, err := ipUDPPacket(src, nil, nil, 1); err == nil {
		t.Fatal("no error without a destination")
	}
	if _, err := ipUDPPacket(&net.UDPAddr{IP: net.IPv4(1, 2, 3, 4)}, dst, make([]byte, 70000), 1); err == nil {
		t.Fatal("no error for an oversized datagram")
	}
}
