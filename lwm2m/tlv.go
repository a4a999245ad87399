package lwm2m

import (
	"errors"
	"fmt"
)

// OMA TLV (Core 1.1 §7.4.3). The type byte holds, from the top: two bits
// of identifier type, one bit for a 16-bit identifier, two bits for the
// width of the length field (0 = the length sits in the low three bits).

type tlvType byte

const (
	tlvObjectInstance   tlvType = 0b00
	tlvResourceInstance tlvType = 0b01
	tlvMultipleResource tlvType = 0b10
	tlvResource         tlvType = 0b11
)

func (t tlvType) String() string {
	switch t {
	case tlvObjectInstance:
		return "object instance"
	case tlvResourceInstance:
		return "resource instance"
	case tlvMultipleResource:
		return "multiple resource"
	}
	return "resource"
}

// tlvMaxLength is the largest length a 24-bit length field holds.
const tlvMaxLength = 1<<24 - 1

type tlvEntry struct {
	typ    tlvType
	id     uint16
	value  []byte // a sub-slice of the input
	off    int    // where the entry starts in the payload, for messages
	valOff int    // where its value starts
}

// readTLV splits the first entry off b; offset is only for messages.
func readTLV(b []byte, offset int) (tlvEntry, []byte, error) {
	if len(b) == 0 {
		return tlvEntry{}, nil, errors.New("empty entry")
	}
	t := b[0]
	e := tlvEntry{typ: tlvType(t >> 6)}
	pos := 1
	idLen := 1
	if t&0x20 != 0 {
		idLen = 2
	}
	lenLen := int(t>>3) & 0x3
	if len(b) < pos+idLen+lenLen {
		return tlvEntry{}, nil, fmt.Errorf("entry at offset %d: header truncated (%d of %d bytes)", offset, len(b), pos+idLen+lenLen)
	}
	e.id = uint16(b[pos])
	if idLen == 2 {
		e.id = e.id<<8 | uint16(b[pos+1])
	}
	pos += idLen
	n := int(t & 0x7)
	if lenLen > 0 {
		n = 0
		for _, c := range b[pos : pos+lenLen] {
			n = n<<8 | int(c)
		}
		pos += lenLen
	}
	if n > len(b)-pos {
		return tlvEntry{}, nil, fmt.Errorf("entry at offset %d: length %d exceeds the %d bytes left", offset, n, len(b)-pos)
	}
	e.value = b[pos : pos+n]
	e.off, e.valOff = offset, offset+pos
	return e, b[pos+n:], nil
}

// readAllTLV splits b into consecutive entries; base is b's offset in the
// whole payload.
func readAllTLV(b []byte, base int) ([]tlvEntry, error) {
	var entries []tlvEntry
	off := base
	for len(b) > 0 {
		e, rest, err := readTLV(b, off)
		if err != nil {
			return nil, err
		}
		entries = append(entries, e)
		off += len(b) - len(rest)
		b = rest
	}
	return entries, nil
}

// appendTLV writes one entry with the shortest identifier and length
// fields, as the specification's examples do.
func appendTLV(dst []byte, typ tlvType, id uint16, value []byte) ([]byte, error) {
	n := len(value)
	if n > tlvMaxLength {
		return nil, fmt.Errorf("%v %d: %d bytes exceed the TLV maximum of %d", typ, id, n, tlvMaxLength)
	}
	t := byte(typ) << 6
	if id > 0xff {
		t |= 0x20
	}
	switch {
	case n <= 7:
		t |= byte(n)
	case n <= 0xff:
		t |= 1 << 3
	case n <= 0xffff:
		t |= 2 << 3
	default:
		t |= 3 << 3
	}
	dst = append(dst, t)
	if id > 0xff {
		dst = append(dst, byte(id>>8))
	}
	dst = append(dst, byte(id))
	switch {
	case n <= 7:
	case n <= 0xff:
		dst = append(dst, byte(n))
	case n <= 0xffff:
		dst = append(dst, byte(n>>8), byte(n))
	default:
		dst = append(dst, byte(n>>16), byte(n>>8), byte(n))
	}
	return append(dst, value...), nil
}
