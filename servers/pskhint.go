package servers

import (
	"slices"
	"strings"

	"github.com/pion/dtls/v2"

	"github.com/lwm2m-conform/lwm2m-conform/servers/dtlswire"
)

// pskHint is the psk_identity_hint a session's handshake runs with.
//
// pion writes the hint's 2-byte length only for a non-nil hint, yet RFC 5489
// §2 puts psk_identity_hint<0..2^16-1> in every ECDHE-PSK ServerKeyExchange;
// without it OpenSSL and Mbed TLS answer decode_error. An empty non-nil hint
// marshals as length 0x0000. For plain PSK pion sends ServerKeyExchange
// whenever the hint is non-nil, so the hint stays nil when the ClientHello
// that opened the session makes a plain PSK suite the choice: that flight
// then omits ServerKeyExchange as RFC 4279 §2 describes. When the choice
// cannot be told, the empty hint is used, which is well formed either way.
func pskHint(configured []byte, accepted []dtls.CipherSuiteID, hello []byte) []byte {
	if configured != nil {
		return configured
	}
	if plainPSKChosen(accepted, hello) {
		return nil
	}
	return []byte{}
}

// plainPSKChosen predicts pion's choice: the client's first offered suite
// that the server accepts.
func plainPSKChosen(accepted []dtls.CipherSuiteID, hello []byte) bool {
	h, err := dtlswire.ParseClientHello(hello)
	if err != nil {
		return false
	}
	for _, id := range h.CipherSuites {
		if slices.Contains(accepted, dtls.CipherSuiteID(id)) {
			return strings.HasPrefix(dtlswire.CipherSuiteName(id), "TLS_PSK_WITH_")
		}
	}
	return false
}
