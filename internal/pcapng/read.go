package pcapng

import (
	"encoding/binary"
	"fmt"
	"net"
	"os"
	"time"
)

// File is a capture this package wrote, decoded.
type File struct {
	App                   string
	IfName, IfDescription string
	KeyLogs               [][]byte // Decryption Secrets Blocks, in order
	SecretsFirst          bool     // every key log precedes every packet
	Packets               []Packet
}

// Packet is one Enhanced Packet Block.
type Packet struct {
	At       time.Time
	Src, Dst net.UDPAddr
	Payload  []byte // nil when only the headers were kept
	OrigLen  int    // length of the whole IP packet
	Comment  string
	Inbound  bool
}

// Truncated reports a packet kept as its headers only.
func (p Packet) Truncated() bool { return p.Payload == nil }

// ReadFile decodes a capture written by Writer (little-endian, one
// LINKTYPE_RAW interface, nanosecond timestamps), checking every length and
// checksum on the way. Tests and tools use it; it is not a general reader.
func ReadFile(path string) (*File, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	f := &File{SecretsFirst: true}
	sawIDB := false
	for off := 0; off < len(b); {
		if len(b)-off < 12 {
			return nil, fmt.Errorf("truncated block at %d", off)
		}
		typ := binary.LittleEndian.Uint32(b[off:])
		total := int(binary.LittleEndian.Uint32(b[off+4:]))
		if total%4 != 0 || total < 12 || off+total > len(b) ||
			binary.LittleEndian.Uint32(b[off+total-4:]) != uint32(total) {
			return nil, fmt.Errorf("bad block length %d at %d", total, off)
		}
		body := b[off+8 : off+total-4]
		switch {
		case off == 0:
			if typ != blockSHB || binary.LittleEndian.Uint32(body) != byteOrderMagic {
				return nil, fmt.Errorf("file does not start with a little-endian section header")
			}
			opts, err := options(body[16:])
			if err != nil {
				return nil, err
			}
			f.App = string(opts[optShbUserApp])
		case typ == blockIDB:
			if sawIDB || binary.LittleEndian.Uint16(body) != linktypeRaw {
				return nil, fmt.Errorf("want one LINKTYPE_RAW interface")
			}
			opts, err := options(body[8:])
			if err != nil {
				return nil, err
			}
			if string(opts[optIfTsresol]) != "\x09" || len(opts[optIfName]) == 0 {
				return nil, fmt.Errorf("interface options %v", opts)
			}
			f.IfName, f.IfDescription = string(opts[optIfName]), string(opts[optIfDescr])
			sawIDB = true
		case typ == blockDSB:
			if binary.LittleEndian.Uint32(body) != secretsTLSKey {
				return nil, fmt.Errorf("secrets type 0x%x", binary.LittleEndian.Uint32(body))
			}
			n := int(binary.LittleEndian.Uint32(body[4:]))
			if 8+n > len(body) {
				return nil, fmt.Errorf("secrets of %d bytes overrun their block", n)
			}
			f.KeyLogs = append(f.KeyLogs, body[8:8+n])
			if len(f.Packets) > 0 {
				f.SecretsFirst = false
			}
		case typ == blockEPB:
			if !sawIDB {
				return nil, fmt.Errorf("packet before the interface description")
			}
			p, err := decodeEPB(body)
			if err != nil {
				return nil, fmt.Errorf("packet %d: %w", len(f.Packets)+1, err)
			}
			f.Packets = append(f.Packets, p)
		default:
			return nil, fmt.Errorf("unexpected block type 0x%x", typ)
		}
		off += total
	}
	return f, nil
}

func decodeEPB(body []byte) (Packet, error) {
	if iface := binary.LittleEndian.Uint32(body); iface != 0 {
		return Packet{}, fmt.Errorf("interface %d", iface)
	}
	ts := uint64(binary.LittleEndian.Uint32(body[4:]))<<32 | uint64(binary.LittleEndian.Uint32(body[8:]))
	capLen := int(binary.LittleEndian.Uint32(body[12:]))
	origLen := int(binary.LittleEndian.Uint32(body[16:]))
	if capLen > origLen || 20+capLen > len(body) {
		return Packet{}, fmt.Errorf("captured %d of %d bytes", capLen, origLen)
	}
	pkt := body[20 : 20+capLen]
	opts, err := options(body[20+capLen+pad4(capLen):])
	if err != nil {
		return Packet{}, err
	}
	p := Packet{At: time.Unix(0, int64(ts)), OrigLen: origLen, Comment: string(opts[optComment]),
		Inbound: binary.LittleEndian.Uint32(opts[optEpbFlags])&3 == epbInbound}
	if len(pkt) == 0 {
		return Packet{}, fmt.Errorf("empty packet")
	}
	var udp, pseudo []byte
	switch pkt[0] >> 4 {
	case 4:
		if len(pkt) < ipv4HeaderLen+udpHeaderLen || pkt[9] != protoUDP || int(binary.BigEndian.Uint16(pkt[2:])) != origLen {
			return Packet{}, fmt.Errorf("IPv4 header %x for %d bytes", pkt[:min(len(pkt), ipv4HeaderLen)], origLen)
		}
		if fold(sum(0, pkt[:ipv4HeaderLen])) != 0xffff {
			return Packet{}, fmt.Errorf("bad IPv4 header checksum")
		}
		udp = pkt[ipv4HeaderLen:]
		p.Src.IP, p.Dst.IP = net.IP(pkt[12:16]), net.IP(pkt[16:20])
		pseudo = append(append([]byte(nil), pkt[12:20]...), 0, protoUDP)
	case 6:
		if len(pkt) < ipv6HeaderLen+udpHeaderLen || pkt[6] != protoUDP || int(binary.BigEndian.Uint16(pkt[4:]))+ipv6HeaderLen != origLen {
			return Packet{}, fmt.Errorf("IPv6 header %x for %d bytes", pkt[:min(len(pkt), ipv6HeaderLen)], origLen)
		}
		udp = pkt[ipv6HeaderLen:]
		p.Src.IP, p.Dst.IP = net.IP(pkt[8:24]), net.IP(pkt[24:40])
		pseudo = append(append([]byte(nil), pkt[8:40]...), 0, 0, 0, 0, 0, 0, 0, protoUDP)
	default:
		return Packet{}, fmt.Errorf("IP version %d", pkt[0]>>4)
	}
	udpLen := int(binary.BigEndian.Uint16(udp[4:]))
	if udpLen != origLen-(len(pkt)-len(udp)) {
		return Packet{}, fmt.Errorf("UDP length %d in a %d-byte packet", udpLen, origLen)
	}
	p.Src.Port, p.Dst.Port = int(binary.BigEndian.Uint16(udp)), int(binary.BigEndian.Uint16(udp[2:]))
	if capLen < origLen {
		return p, nil // headers only: the checksum covers what is missing
	}
	if pkt[0]>>4 == 4 {
		pseudo = append(pseudo, byte(udpLen>>8), byte(udpLen))
	} else {
		pseudo[len(pseudo)-6], pseudo[len(pseudo)-5] = byte(udpLen>>8), byte(udpLen)
	}
	if fold(sum(sum(0, pseudo), udp)) != 0xffff {
		return Packet{}, fmt.Errorf("bad UDP checksum")
	}
	p.Payload = append([]byte{}, udp[udpHeaderLen:]...)
	return p, nil
}

func options(b []byte) (map[uint16][]byte, error) {
	m := map[uint16][]byte{}
	for len(b) >= 4 {
		code, n := binary.LittleEndian.Uint16(b), int(binary.LittleEndian.Uint16(b[2:]))
		if code == optEnd {
			return m, nil
		}
		if 4+n > len(b) {
			return nil, fmt.Errorf("option %d of %d bytes overruns the block", code, n)
		}
		m[code] = b[4 : 4+n]
		b = b[4+n+pad4(n):]
	}
	return nil, fmt.Errorf("options without an end marker")
}
