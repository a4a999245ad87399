package report

import (
	"fmt"

	"github.com/lwm2m-conform/lwm2m-conform/servers/dtlswire"
)

// Names of TLS code points come from dtlswire, which decodes them from the
// wire: one IANA table for the whole harness.

// isGREASE reports whether v is a GREASE value (RFC 8701): both bytes equal
// and ending in 0xA.
func isGREASE(v uint16) bool {
	return v&0x0F0F == 0x0A0A && v>>8 == v&0xFF
}

// codeHex is the wire form of a 16-bit code point, e.g. 0xC0AE.
func codeHex(v uint16) string { return fmt.Sprintf("0x%04X", v) }

// CipherSuiteName returns the IANA name of a TLS cipher suite, or its hex
// code when it is not known.
func CipherSuiteName(v uint16) string { return dtlswire.CipherSuiteName(v) }
