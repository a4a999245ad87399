package client

import (
	"fmt"
	"strings"

	"github.com/pion/dtls/v2"
)

// suiteKind says which security mode a cipher suite can serve.
type suiteKind int

const (
	suitePSK suiteKind = iota
	suiteCert
)

// implementedSuites lists every cipher suite pion/dtls implements, with the
// mode it authenticates with. pion has no way to ask for this list, so it is
// kept here next to the constants it names.
var implementedSuites = map[uint16]suiteKind{
	uint16(dtls.TLS_ECDHE_ECDSA_WITH_AES_128_CCM):        suiteCert,
	uint16(dtls.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8):      suiteCert,
	uint16(dtls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256): suiteCert,
	uint16(dtls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256):   suiteCert,
	uint16(dtls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384): suiteCert,
	uint16(dtls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384):   suiteCert,
	uint16(dtls.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA):    suiteCert,
	uint16(dtls.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA):      suiteCert,
	uint16(dtls.TLS_PSK_WITH_AES_128_CCM):                suitePSK,
	uint16(dtls.TLS_PSK_WITH_AES_128_CCM_8):              suitePSK,
	uint16(dtls.TLS_PSK_WITH_AES_256_CCM_8):              suitePSK,
	uint16(dtls.TLS_PSK_WITH_AES_128_GCM_SHA256):         suitePSK,
	uint16(dtls.TLS_PSK_WITH_AES_128_CBC_SHA256):         suitePSK,
	uint16(dtls.TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256):   suitePSK,
}

// Secure defaults used when /0/x/16 is unset (seed 001 §5.15.1.4: offer only
// what is secure and needed). CCM_8 first: LwM2M 1.1 Transport §5.2.1 makes
// the CCM_8 suites mandatory to implement.
var (
	defaultPSKSuites = []uint16{
		uint16(dtls.TLS_PSK_WITH_AES_128_CCM_8),
		uint16(dtls.TLS_PSK_WITH_AES_128_CCM),
		uint16(dtls.TLS_PSK_WITH_AES_128_GCM_SHA256),
	}
	defaultCertSuites = []uint16{
		uint16(dtls.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8),
		uint16(dtls.TLS_ECDHE_ECDSA_WITH_AES_128_CCM),
		uint16(dtls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256),
		uint16(dtls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384),
	}
	// defaultRSASuites are added for a client whose own key is RSA.
	defaultRSASuites = []uint16{
		uint16(dtls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256),
		uint16(dtls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384),
	}
)

// droppedSuite records a configured suite left out of the ClientHello.
type droppedSuite struct {
	ID     uint16
	Reason string
}

// selectSuites returns the suites the ClientHello offers, in the configured
// order. configured nil means /0/x/16 is unset: the secure default for the
// mode. Configured IDs pion does not implement, or that cannot serve the mode
// (a certificate suite for a PSK account and vice versa: pion would drop them
// silently), are reported in dropped; none left is an error.
func selectSuites(configured []uint16, kind suiteKind, rsaKey bool) (offer []uint16, dropped []droppedSuite, err error) {
	if configured == nil {
		switch {
		case kind == suitePSK:
			return append([]uint16(nil), defaultPSKSuites...), nil, nil
		case rsaKey:
			return append(append([]uint16(nil), defaultCertSuites...), defaultRSASuites...), nil, nil
		default:
			return append([]uint16(nil), defaultCertSuites...), nil, nil
		}
	}
	seen := map[uint16]bool{}
	for _, id := range configured {
		k, ok := implementedSuites[id]
		switch {
		case !ok:
			dropped = append(dropped, droppedSuite{id, "not implemented by pion/dtls"})
		case k != kind:
			dropped = append(dropped, droppedSuite{id, fmt.Sprintf("cannot serve %s mode", kindName(kind))})
		case seen[id]:
			dropped = append(dropped, droppedSuite{id, "listed twice"})
		default:
			seen[id] = true
			offer = append(offer, id)
		}
	}
	if len(offer) == 0 {
		return nil, dropped, fmt.Errorf("none of the configured cipher suites (/0/x/16 = %s) is usable in %s mode", suiteList(configured), kindName(kind))
	}
	return offer, dropped, nil
}

func kindName(k suiteKind) string {
	if k == suitePSK {
		return "PSK"
	}
	return "certificate"
}

// suiteName is the IANA name when pion knows the suite, else its hex ID.
func suiteName(id uint16) string {
	return dtls.CipherSuiteName(dtls.CipherSuiteID(id))
}

// suiteList renders IDs as "0xC0A8,0xC02B" for logs and errors.
func suiteList(ids []uint16) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprintf("0x%04X", id)
	}
	return strings.Join(parts, ",")
}

// suiteNames renders IDs as their names for logs.
func suiteNames(ids []uint16) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = suiteName(id)
	}
	return out
}

func toPionSuites(ids []uint16) []dtls.CipherSuiteID {
	out := make([]dtls.CipherSuiteID, len(ids))
	for i, id := range ids {
		out[i] = dtls.CipherSuiteID(id)
	}
	return out
}
