package client

import (
	"net"
	"slices"

	"github.com/pion/dtls/v2"
)

// sniFor is the SNI the ClientHello carries; the SNI faults change it. An
// IP literal here is dropped by pion and put back by faultConn.
func (c *Client) sniFor(t target) string {
	switch {
	case c.faults.has(FaultOmitSNI):
		return ""
	case c.faults.has(FaultSNIIPLiteral):
		return t.refName
	}
	return t.sni
}

// extraSuiteCandidates are the suites extra-suites adds, first one not
// already offered wins: all implemented by pion, for the account's mode.
var extraSuiteCandidates = map[suiteKind][]uint16{
	suiteCert: {
		uint16(dtls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256),
		uint16(dtls.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8),
		uint16(dtls.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA),
	},
	suitePSK: {
		uint16(dtls.TLS_PSK_WITH_AES_128_GCM_SHA256),
		uint16(dtls.TLS_PSK_WITH_AES_128_CCM_8),
		uint16(dtls.TLS_PSK_WITH_AES_256_CCM_8),
	},
}

// withExtraSuite appends, for the extra-suites fault, one implemented suite
// that /0/x/16 does not list.
func (c *Client) withExtraSuite(offer []uint16, kind suiteKind) []uint16 {
	if !c.faults.has(FaultExtraSuites) {
		return offer
	}
	for _, id := range extraSuiteCandidates[kind] {
		if !slices.Contains(offer, id) {
			return append(offer, id)
		}
	}
	return offer
}

// offered is the ClientHello's suite list: pion puts custom suites first.
func (c *Client) offered(offer []uint16) []uint16 {
	if c.faults.has(FaultWeakSuite) {
		return append([]uint16{weakSuiteID}, offer...)
	}
	return offer
}

// crash ends the client as kill -9 would, right after a handshake: with
// Options.Die the process ends here; otherwise the socket is closed before
// the connection, so no close_notify leaves, and a *CrashError ends Run.
func (c *Client) crash(t target, conn *dtls.Conn, sock net.Conn) error {
	c.log.Warn("fault crash-after-handshake: killing the client now, before Register", "server", t.uri)
	if c.opts.Die != nil {
		c.opts.Die()
	}
	_ = sock.Close()
	_ = conn.Close()
	return &CrashError{Server: t.uri}
}
