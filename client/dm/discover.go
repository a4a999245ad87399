package dm

import (
	"strconv"

	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
	"github.com/plgd-dev/go-coap/v3/message"
	"github.com/plgd-dev/go-coap/v3/mux"
)

// discover serves the Discover operation (Core 1.1 §5.4.2). Each link
// carries the attributes written at its own level; the target of a
// resource-level Discover also shows those it inherits from its instance
// and object, as in the specification's examples. Multiple resources
// carry dim. LwM2M 1.1 lists the resource instances of a discovered
// multiple resource.
func (h *Handler) discover(w mux.ResponseWriter, r *mux.Message, p lwm2m.Path) {
	nodes, err := h.m.Discover(p, h.m.Version() != "1.0")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	links := make([]lwm2m.Link, 0, len(nodes))
	for _, n := range nodes {
		l := lwm2m.Link{Target: n.Path.String()}
		if n.Dim >= 0 {
			l.Params = append(l.Params, lwm2m.TokenParam("dim", strconv.Itoa(n.Dim)))
		}
		attrs := h.attrs.at(n.Path)
		if n.Path == p && p.Len() == 3 {
			attrs = h.attrs.effective(p)
		}
		for _, kv := range attrs.params() {
			l.Params = append(l.Params, lwm2m.TokenParam(kv[0], kv[1]))
		}
		links = append(links, l)
	}
	content(w, message.AppLinkFormat, []byte(lwm2m.FormatLinks(links)))
}
