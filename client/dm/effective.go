package dm

import (
	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
)

// nextSeq returns the next 24-bit Observe value. Notifications are
// numbered handler-wide, so a re-registration with the same token still
// sees the values increase.
func (h *Handler) nextSeq() uint32 { return h.seq.Add(1) & 0xFFFFFF }

// effectiveAttrs are the attributes that govern notifications for p: the
// written attributes inherited down to p, over the Default Minimum and
// Maximum Period of the server's Server instance (Core 1.1 §5.1.2,
// E.2 resources 2 and 3).
func (h *Handler) effectiveAttrs(p lwm2m.Path) Attributes {
	var base Attributes
	if ssid, _ := h.settings(); ssid != 0 {
		if srv, ok := h.m.ServerBySSID(ssid); ok {
			if srv.DefaultPmin > 0 {
				d := srv.DefaultPmin
				base.Pmin = &d
			}
			if srv.DefaultPmax > 0 {
				d := srv.DefaultPmax
				base.Pmax = &d
			}
		}
	}
	return base.overlay(h.attrs.effective(p))
}
