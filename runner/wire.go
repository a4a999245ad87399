package runner

import (
	"fmt"

	"github.com/lwm2m-conform/lwm2m-conform/catalog"
	"github.com/lwm2m-conform/lwm2m-conform/events"
)

// wireMismatch checks the case's wire expectations against the first
// ClientHello the SUT sent; "" when they hold or nothing was sent.
func wireMismatch(c catalog.Case, evs []events.Event) string {
	e, ok := first(evs, events.ClientHello)
	if !ok || e.Hello == nil {
		return ""
	}
	h := e.Hello
	switch {
	case c.Wire.NoSNI && h.HasSNI:
		return fmt.Sprintf("ClientHello carried SNI %q for an IP-literal server URI (RFC 6066 §3: literal addresses are not permitted in HostName)", h.SNI)
	case c.Wire.SNI != "" && !h.HasSNI:
		return fmt.Sprintf("ClientHello carried no SNI, expected %q (seed 001 §5.15.2.1: /0/x/14 when set, else the URI host)", c.Wire.SNI)
	case c.Wire.SNI != "" && h.SNI != c.Wire.SNI:
		return fmt.Sprintf("ClientHello carried SNI %q, expected %q (seed 001 §5.15.2.1: /0/x/14 when set, else the URI host)", h.SNI, c.Wire.SNI)
	}
	return ""
}
