package dm

import (
	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
	"github.com/plgd-dev/go-coap/v3/message"
	"github.com/plgd-dev/go-coap/v3/mux"
)

// get serves Read, Discover, Observe and Cancel Observation.
func (h *Handler) get(w mux.ResponseWriter, r *mux.Message, p lwm2m.Path) {
	if accept, err := r.Accept(); err == nil && accept == message.AppLinkFormat {
		h.discover(w, r, p)
		return
	}
	obs, err := r.Observe()
	switch {
	case err == nil && obs == 0:
		h.observe(w, r, p)
		return
	case err == nil && obs == 1:
		// Cancel Observation (RFC 7641 §3.6): forget the token, then
		// answer like a Read.
		h.obs.cancel(w.Conn(), r.Token())
	}
	format, recs, payload, err := h.read(r, p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.log.Debug("lwm2m read", "path", p.String(), "format", format, "records", len(recs))
	content(w, format, payload)
}

// read performs a Read of p and encodes it in the negotiated format.
func (h *Handler) read(r *mux.Message, p lwm2m.Path) (message.MediaType, []lwm2m.Record, []byte, error) {
	recs, err := h.m.Read(p)
	if err != nil {
		return 0, nil, nil, err
	}
	format, err := h.responseFormat(r, p)
	if err != nil {
		return 0, nil, nil, err
	}
	payload, err := encode(format, p, recs)
	if err != nil {
		return 0, nil, nil, err
	}
	return format, recs, payload, nil
}
