package dtlswire

import (
	"encoding/binary"
	"fmt"
)

// Record content types (RFC 6347 §4.1, RFC 9146 §4).
const (
	ContentChangeCipherSpec uint8 = 20
	ContentAlert            uint8 = 21
	ContentHandshake        uint8 = 22
	ContentApplicationData  uint8 = 23
	ContentTLS12CID         uint8 = 25
)

// Protocol versions as they appear on the wire.
const (
	VersionDTLS10 uint16 = 0xfeff
	VersionDTLS12 uint16 = 0xfefd
)

const (
	recordHeaderLen = 13 // type(1) version(2) epoch(2) seq(6) length(2)
)

// RecordHeader is a decoded DTLS record header.
type RecordHeader struct {
	ContentType uint8
	Version     uint16
	Epoch       uint16
	Seq         uint64 // 48-bit sequence number
	CID         []byte // set for tls12_cid records only; aliases the datagram
	Length      int    // length of the fragment that follows the header
}

// Record is one DTLS record: its header and the fragment bytes, which alias
// the datagram they were parsed from.
type Record struct {
	RecordHeader
	Fragment []byte
}

// ParseRecords splits a datagram into its records. cidLen is the length of
// the connection ID the receiver expects in tls12_cid records (RFC 9146);
// with cidLen 0 a tls12_cid record cannot be delimited and is an error.
// On error the records decoded before the faulty one are returned with it.
func ParseRecords(datagram []byte, cidLen int) ([]Record, error) {
	if cidLen < 0 || cidLen > 255 {
		return nil, fmt.Errorf("dtlswire: connection ID length %d out of range 0..255", cidLen)
	}
	if len(datagram) == 0 {
		return nil, fmt.Errorf("dtlswire: empty datagram")
	}
	var out []Record
	for off := 0; off < len(datagram); {
		rec, n, err := parseRecord(datagram[off:], cidLen)
		if err != nil {
			return out, fmt.Errorf("dtlswire: record %d at offset %d: %w", len(out), off, err)
		}
		out = append(out, rec)
		off += n
	}
	return out, nil
}

// parseRecord decodes the record at the start of b and returns its total size.
func parseRecord(b []byte, cidLen int) (Record, int, error) {
	if len(b) < recordHeaderLen {
		return Record{}, 0, fmt.Errorf("truncated header: %d bytes, need %d", len(b), recordHeaderLen)
	}
	h := RecordHeader{
		ContentType: b[0],
		Version:     binary.BigEndian.Uint16(b[1:3]),
		Epoch:       binary.BigEndian.Uint16(b[3:5]),
		Seq:         uint64(b[5])<<40 | uint64(b[6])<<32 | uint64(binary.BigEndian.Uint32(b[7:11])),
	}
	if b[1] != 0xfe {
		return Record{}, 0, fmt.Errorf("not a DTLS record: version 0x%04x", h.Version)
	}
	lenAt := 11
	if h.ContentType == ContentTLS12CID {
		if cidLen == 0 {
			return Record{}, 0, fmt.Errorf("tls12_cid record but no connection ID length is known")
		}
		if len(b) < recordHeaderLen+cidLen {
			return Record{}, 0, fmt.Errorf("truncated tls12_cid header: %d bytes, need %d", len(b), recordHeaderLen+cidLen)
		}
		h.CID = b[11 : 11+cidLen]
		lenAt += cidLen
	}
	h.Length = int(binary.BigEndian.Uint16(b[lenAt : lenAt+2]))
	start := lenAt + 2
	if start+h.Length > len(b) {
		return Record{}, 0, fmt.Errorf("length %d exceeds the %d bytes left in the datagram", h.Length, len(b)-start)
	}
	return Record{RecordHeader: h, Fragment: b[start : start+h.Length]}, start + h.Length, nil
}

// ContentTypeName names a record content type.
func ContentTypeName(t uint8) string {
	switch t {
	case ContentChangeCipherSpec:
		return "change_cipher_spec"
	case ContentAlert:
		return "alert"
	case ContentHandshake:
		return "handshake"
	case ContentApplicationData:
		return "application_data"
	case ContentTLS12CID:
		return "tls12_cid"
	}
	return fmt.Sprintf("unknown(%d)", t)
}

// VersionName renders a wire version as "DTLS 1.2", "DTLS 1.0" or hex.
func VersionName(v uint16) string {
	switch v {
	case VersionDTLS12:
		return "DTLS 1.2"
	case VersionDTLS10:
		return "DTLS 1.0"
	}
	return fmt.Sprintf("0x%04x", v)
}
