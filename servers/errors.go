package servers

import (
	"errors"
	"fmt"

	"github.com/plgd-dev/go-coap/v3/message/codes"
)

// ErrNotRegistered is returned by management operations on an endpoint that
// has no registration.
var ErrNotRegistered = errors.New("servers: endpoint not registered")

// StatusError is a management operation the client answered with an
// unexpected response code.
type StatusError struct {
	Op   string // "Read", "Write", ...
	Path string
	Code codes.Code // what the client answered
	Want codes.Code // what success would have been
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("servers: %s %s: client answered %s %v, want %s", e.Op, e.Path, codeText(e.Code), e.Code, codeText(e.Want))
}

// codeText renders a CoAP code in dotted form, e.g. "2.04".
func codeText(c codes.Code) string { return fmt.Sprintf("%d.%02d", uint8(c)>>5, uint8(c)&0x1f) }
