package client

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"hash"
	"net"
	"time"

	"github.com/pion/dtls/v2"
	"github.com/pion/dtls/v2/pkg/crypto/clientcertificate"
	"github.com/pion/dtls/v2/pkg/protocol/recordlayer"
)

// faultConn carries the faults that need the datagrams themselves: pion
// has no hook for a late flight, and refuses to put an IP literal in SNI.
type faultConn struct {
	net.PacketConn
	delay time.Duration // slow: every handshake datagram waits this long
	ipSNI string        // sni-ip-literal: inserted into cookie-less ClientHellos
}

// wrapFaults returns pc, wrapped when a wire fault is active.
func (c *Client) wrapFaults(pc net.PacketConn, sni string) net.PacketConn {
	fc := &faultConn{PacketConn: pc}
	if c.faults.has(FaultSlow) {
		fc.delay = c.opts.FaultDelay
	}
	if c.faults.has(FaultSNIIPLiteral) && net.ParseIP(sni) != nil {
		fc.ipSNI = sni
	}
	if fc.delay == 0 && fc.ipSNI == "" {
		return pc
	}
	return fc
}

// WriteTo implements net.PacketConn. The delay blocks pion's writer, so a
// flight of several datagrams is late by a multiple of it.
func (f *faultConn) WriteTo(p []byte, addr net.Addr) (int, error) {
	out := p
	if f.ipSNI != "" {
		if b, ok := withSNI(p, f.ipSNI); ok {
			out = b
		}
	}
	if f.delay > 0 && len(p) > 0 && (p[0] == contentHandshake || p[0] == contentChangeCipherSpec) {
		time.Sleep(f.delay)
	}
	if _, err := f.PacketConn.WriteTo(out, addr); err != nil {
		return 0, err
	}
	return len(p), nil
}

const (
	contentChangeCipherSpec = 20
	hsTypeClientHello       = 1
	extTypeServerName       = 0
)

// withSNI returns a datagram whose first record, an unfragmented epoch-0
// ClientHello without a cookie, carries a server_name extension for name.
// Only the cookie-less ClientHello is changed: RFC 6347 §4.2.1 keeps it out
// of the handshake hash, so the handshake still completes with a server
// that sends HelloVerifyRequest (pion's own copy of the ClientHello, which
// the Finished message covers, has no SNI).
func withSNI(d []byte, name string) ([]byte, bool) {
	if len(d) < recordHeaderLen+handshakeHeaderLen || d[0] != contentHandshake || binary.BigEndian.Uint16(d[3:5]) != 0 {
		return nil, false
	}
	recLen := int(binary.BigEndian.Uint16(d[11:13]))
	if len(d) < recordHeaderLen+recLen {
		return nil, false
	}
	hs := d[recordHeaderLen : recordHeaderLen+recLen]
	msgLen := int(uint24(hs[1:4]))
	if hs[0] != hsTypeClientHello || uint24(hs[6:9]) != 0 || int(uint24(hs[9:12])) != msgLen || len(hs) != handshakeHeaderLen+msgLen {
		return nil, false
	}
	body := hs[handshakeHeaderLen:]
	at := 2 + 32             // client_version, random
	for i := 0; i < 2; i++ { // session_id, cookie
		if len(body) <= at {
			return nil, false
		}
		if i == 1 && body[at] != 0 {
			return nil, false // the ClientHello the Finished message covers
		}
		at += 1 + int(body[at])
	}
	for _, w := range []int{2, 1} { // cipher_suites, compression_methods
		if len(body) < at+w {
			return nil, false
		}
		n := int(body[at])
		if w == 2 {
			n = int(binary.BigEndian.Uint16(body[at:]))
		}
		at += w + n
	}
	if len(body) < at+2 || at+2+int(binary.BigEndian.Uint16(body[at:])) != len(body) {
		return nil, false // no extensions block, or trailing bytes
	}
	// server_name: type, length, server_name_list length, host_name(0), name.
	ext := binary.BigEndian.AppendUint16(nil, extTypeServerName)
	ext = binary.BigEndian.AppendUint16(ext, uint16(len(name)+5))
	ext = binary.BigEndian.AppendUint16(ext, uint16(len(name)+3))
	ext = append(ext, 0)
	ext = binary.BigEndian.AppendUint16(ext, uint16(len(name)))
	ext = append(ext, name...)

	grow := len(ext)
	out := make([]byte, 0, len(d)+grow)
	out = append(out, d[:recordHeaderLen]...)
	binary.BigEndian.PutUint16(out[11:13], uint16(recLen+grow))
	out = append(out, hs[:handshakeHeaderLen]...)
	putUint24(out[recordHeaderLen+1:], uint32(msgLen+grow))
	putUint24(out[recordHeaderLen+9:], uint32(msgLen+grow))
	out = append(out, body[:at]...)
	extsLen := binary.BigEndian.Uint16(body[at:])
	out = binary.BigEndian.AppendUint16(out, extsLen+uint16(grow))
	out = append(out, ext...)
	out = append(out, body[at+2:]...)
	out = append(out, d[recordHeaderLen+recLen:]...) // records after it
	return out, true
}

func uint24(b []byte) uint32 { return uint32(b[0])<<16 | uint32(b[1])<<8 | uint32(b[2]) }

func putUint24(b []byte, v uint32) { b[0], b[1], b[2] = byte(v>>16), byte(v>>8), byte(v) }

// weakSuiteID is what the weak-suite fault offers: no key exchange, no
// encryption, no MAC.
const weakSuiteID uint16 = 0x0000 // TLS_NULL_WITH_NULL_NULL

// nullSuite puts weakSuiteID into pion's ClientHello through its custom
// suite hook, so both ClientHellos and the handshake hash agree. It can
// never carry traffic: a server that picks it fails the handshake.
type nullSuite struct{}

var errNullSuite = errors.New("TLS_NULL_WITH_NULL_NULL is offered by the weak-suite fault only; it cannot be used")

func (nullSuite) String() string                          { return "TLS_NULL_WITH_NULL_NULL" }
func (nullSuite) ID() dtls.CipherSuiteID                  { return dtls.CipherSuiteID(weakSuiteID) }
func (nullSuite) CertificateType() clientcertificate.Type { return clientcertificate.ECDSASign }
func (nullSuite) HashFunc() func() hash.Hash              { return sha256.New }

// Anonymous passes pion's per-mode suite filter in PSK and certificate mode.
func (nullSuite) AuthenticationType() dtls.CipherSuiteAuthenticationType {
	return dtls.CipherSuiteAuthenticationTypeAnonymous
}

func (nullSuite) KeyExchangeAlgorithm() dtls.CipherSuiteKeyExchangeAlgorithm {
	return dtls.CipherSuiteKeyExchangeAlgorithmNone
}
func (nullSuite) ECC() bool                         { return false }
func (nullSuite) Init(_, _, _ []byte, _ bool) error { return errNullSuite }
func (nullSuite) IsInitialized() bool               { return false }
func (nullSuite) Encrypt(*recordlayer.RecordLayer, []byte) ([]byte, error) {
	return nil, errNullSuite
}
func (nullSuite) Decrypt(recordlayer.Header, []byte) ([]byte, error) { return nil, errNullSuite }
