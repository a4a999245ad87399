package dtlswire

import (
	"encoding/hex"
	"strings"
	"testing"
)

// unhex decodes a hex vector written with spaces, newlines and // comments.
func unhex(t testing.TB, s string) []byte {
	t.Helper()
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		if i := strings.Index(line, "//"); i >= 0 {
			line = line[:i]
		}
		b.WriteString(strings.Join(strings.Fields(line), ""))
	}
	out, err := hex.DecodeString(b.String())
	if err != nil {
		t.Fatalf("bad test vector: %v", err)
	}
	return out
}

// clientHelloVector is a hand-assembled DTLS 1.2 ClientHello datagram that
// carries a cookie, SNI "lwm2m.example", two PSK suites plus the SCSV, two
// groups, an empty connection_id and extended_master_secret.
const clientHelloVector = `
16 feff 0000 000000000001 0069                 // record: handshake, DTLS 1.0, epoch 0, seq 1, len 105
01 00005d 0001 000000 00005d                   // handshake: client_hello, len 93, msg_seq 1, whole
fefd                                           // client_version DTLS 1.2
000102030405060708090a0b0c0d0e0f
101112131415161718191a1b1c1d1e1f               // random
00                                             // session_id: empty
04 aabbccdd                                    // cookie
0006 c0a8 c0ae 00ff                            // cipher_suites
01 00                                          // compression: null
0029                                           // extensions: 41 bytes
  0000 0012 0010 00 000d 6c776d326d2e6578616d706c65 // server_name host_name "lwm2m.example"
  000a 0006 0004 001d 0017                     // supported_groups x25519, secp256r1
  0036 0001 00                                 // connection_id, empty CID
  0017 0000                                    // extended_master_secret
`

// alertVector is a plaintext fatal bad_certificate alert record.
const alertVector = `15 fefd 0000 000000000002 0002 02 2a`
