package servers

import (
	"strings"

	"github.com/plgd-dev/go-coap/v3/message"
)

// locationPath turns "/rd/abc" into Location-Path options "rd", "abc".
func locationPath(location string) []message.Option {
	var opts []message.Option
	for _, seg := range strings.Split(strings.Trim(location, "/"), "/") {
		opts = append(opts, message.Option{ID: message.LocationPath, Value: []byte(seg)})
	}
	return opts
}
