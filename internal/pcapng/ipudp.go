package pcapng

import (
	"encoding/binary"
	"fmt"
	"net"
)

const (
	ipv4HeaderLen = 20
	ipv6HeaderLen = 40
	udpHeaderLen  = 8
	protoUDP      = 17
	maxIPPayload  = 0xffff
)

// ipUDPPacket synthesises the IP packet that would carry payload from src to
// dst: IPv4 when both addresses are IPv4, else IPv6 (IPv4 addresses mapped).
// Lengths and checksums are correct so Wireshark reports no errors.
func ipUDPPacket(src, dst *net.UDPAddr, payload []byte, id uint16) ([]byte, error) {
	if src == nil || dst == nil {
		return nil, fmt.Errorf("pcapng: capture needs both addresses, have %v and %v", src, dst)
	}
	udpLen := udpHeaderLen + len(payload)
	s4, d4 := src.IP.To4(), dst.IP.To4()
	if s4 != nil && d4 != nil {
		if ipv4HeaderLen+udpLen > maxIPPayload {
			return nil, fmt.Errorf("pcapng: datagram of %d bytes too large for IPv4", len(payload))
		}
		p := make([]byte, ipv4HeaderLen+udpLen)
		h := p[:ipv4HeaderLen]
		h[0] = 0x45 // version 4, 5 words
		binary.BigEndian.PutUint16(h[2:], uint16(len(p)))
		binary.BigEndian.PutUint16(h[4:], id)
		h[8] = 64 // TTL
		h[9] = protoUDP
		copy(h[12:16], s4)
		copy(h[16:20], d4)
		binary.BigEndian.PutUint16(h[10:], ^fold(sum(0, h)))
		pseudo := make([]byte, 0, 12)
		pseudo = append(pseudo, s4...)
		pseudo = append(pseudo, d4...)
		pseudo = append(pseudo, 0, protoUDP, byte(udpLen>>8), byte(udpLen))
		putUDP(p[ipv4HeaderLen:], src.Port, dst.Port, payload, pseudo)
		return p, nil
	}
	s6, d6 := src.IP.To16(), dst.IP.To16()
	if s6 == nil || d6 == nil {
		return nil, fmt.Errorf("pcapng: cannot capture between %v and %v", src, dst)
	}
	if udpLen > maxIPPayload {
		return nil, fmt.Errorf("pcapng: datagram of %d bytes too large for IPv6", len(payload))
	}
	p := make([]byte, ipv6HeaderLen+udpLen)
	h := p[:ipv6HeaderLen]
	h[0] = 0x60 // version 6
	binary.BigEndian.PutUint16(h[4:], uint16(udpLen))
	h[6] = protoUDP
	h[7] = 64 // hop limit
	copy(h[8:24], s6)
	copy(h[24:40], d6)
	pseudo := make([]byte, 0, 40)
	pseudo = append(pseudo, s6...)
	pseudo = append(pseudo, d6...)
	pseudo = append(pseudo, 0, 0, byte(udpLen>>8), byte(udpLen), 0, 0, 0, protoUDP)
	putUDP(p[ipv6HeaderLen:], src.Port, dst.Port, payload, pseudo)
	return p, nil
}

// putUDP writes the UDP header and payload into b with the checksum over
// the pseudo header (RFC 768, RFC 8200 §8.1).
func putUDP(b []byte, sport, dport int, payload, pseudo []byte) {
	binary.BigEndian.PutUint16(b[0:], uint16(sport))
	binary.BigEndian.PutUint16(b[2:], uint16(dport))
	binary.BigEndian.PutUint16(b[4:], uint16(len(b)))
	copy(b[udpHeaderLen:], payload)
	c := ^fold(sum(sum(0, pseudo), b))
	if c == 0 {
		c = 0xffff // zero means "no checksum"
	}
	binary.BigEndian.PutUint16(b[6:], c)
}

// sum adds b as big-endian 16-bit words to acc (RFC 1071).
func sum(acc uint32, b []byte) uint32 {
	for i := 0; i+1 < len(b); i += 2 {
		acc += uint32(b[i])<<8 | uint32(b[i+1])
	}
	if len(b)%2 == 1 {
		acc += uint32(b[len(b)-1]) << 8
	}
	return acc
}

func fold(acc uint32) uint16 {
	for acc > 0xffff {
		acc = acc>>16 + acc&0xffff
	}
	return uint16(acc)
}
