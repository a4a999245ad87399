package pcapng

import "encoding/binary"

// pcapng block and option codes (draft-ietf-opsawg-pcapng).
const (
	blockSHB = 0x0A0D0D0A
	blockIDB = 0x00000001
	blockEPB = 0x00000006
	blockDSB = 0x0000000A

	byteOrderMagic = 0x1A2B3C4D
	linktypeRaw    = 101        // raw IPv4 or IPv6, by the version nibble
	secretsTLSKey  = 0x544c534b // "TLSK": NSS key log lines

	optEnd        = 0
	optComment    = 1
	optIfName     = 2
	optIfDescr    = 3
	optShbUserApp = 4
	optIfTsresol  = 9
	optEpbFlags   = 2

	epbInbound  = 1 // epb_flags direction bits
	epbOutbound = 2
)

// block encodes one block around body (already padded to 32 bits).
func block(typ uint32, body []byte) []byte {
	total := uint32(12 + len(body))
	b := binary.LittleEndian.AppendUint32(make([]byte, 0, total), typ)
	b = binary.LittleEndian.AppendUint32(b, total)
	b = append(b, body...)
	return binary.LittleEndian.AppendUint32(b, total)
}

// appendOption appends a pcapng option, its value padded to 32 bits.
func appendOption(b []byte, code uint16, value []byte) []byte {
	b = binary.LittleEndian.AppendUint16(b, code)
	b = binary.LittleEndian.AppendUint16(b, uint16(len(value)))
	b = append(b, value...)
	return append(b, make([]byte, pad4(len(value)))...)
}

func pad4(n int) int { return (4 - n%4) % 4 }

func sectionHeader(app string) []byte {
	b := binary.LittleEndian.AppendUint32(nil, byteOrderMagic)
	b = binary.LittleEndian.AppendUint16(b, 1) // major
	b = binary.LittleEndian.AppendUint16(b, 0) // minor
	b = binary.LittleEndian.AppendUint64(b, ^uint64(0))
	b = appendOption(b, optShbUserApp, []byte(app))
	b = appendOption(b, optEnd, nil)
	return block(blockSHB, b)
}

func interfaceDescription(name, description string) []byte {
	b := binary.LittleEndian.AppendUint16(nil, linktypeRaw)
	b = binary.LittleEndian.AppendUint16(b, 0) // reserved
	b = binary.LittleEndian.AppendUint32(b, 0) // snaplen: no limit
	b = appendOption(b, optIfName, []byte(name))
	b = appendOption(b, optIfDescr, []byte(description))
	b = appendOption(b, optIfTsresol, []byte{9}) // nanoseconds
	b = appendOption(b, optEnd, nil)
	return block(blockIDB, b)
}

// enhancedPacket encodes the captured bytes of an origLen-byte packet on
// interface 0.
func enhancedPacket(ts int64, captured []byte, origLen int, inbound bool, comment string) []byte {
	u := uint64(ts)
	b := binary.LittleEndian.AppendUint32(nil, 0) // interface 0
	b = binary.LittleEndian.AppendUint32(b, uint32(u>>32))
	b = binary.LittleEndian.AppendUint32(b, uint32(u))
	b = binary.LittleEndian.AppendUint32(b, uint32(len(captured)))
	b = binary.LittleEndian.AppendUint32(b, uint32(origLen))
	b = append(b, captured...)
	b = append(b, make([]byte, pad4(len(captured)))...)
	if comment != "" {
		b = appendOption(b, optComment, []byte(comment))
	}
	flags := uint32(epbOutbound)
	if inbound {
		flags = epbInbound
	}
	b = appendOption(b, optEpbFlags, binary.LittleEndian.AppendUint32(nil, flags))
	b = appendOption(b, optEnd, nil)
	return block(blockEPB, b)
}

// decryptionSecrets encodes a TLS key log as a Decryption Secrets Block.
func decryptionSecrets(keylog []byte) []byte {
	b := binary.LittleEndian.AppendUint32(nil, secretsTLSKey)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(keylog)))
	b = append(b, keylog...)
	b = append(b, make([]byte, pad4(len(keylog)))...)
	return block(blockDSB, b)
}
