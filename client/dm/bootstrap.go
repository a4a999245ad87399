package dm

import (
	"strconv"

	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
	"github.com/plgd-dev/go-coap/v3/message"
	"github.com/plgd-dev/go-coap/v3/message/codes"
	"github.com/plgd-dev/go-coap/v3/mux"
)

// serveBootstrap serves the Bootstrap interface (Core 1.1 §6.1).
func (h *Handler) serveBootstrap(w mux.ResponseWriter, r *mux.Message, segs []string) {
	if len(segs) == 1 && segs[0] == "bs" {
		if r.Code() != codes.POST {
			h.fail(w, r, status(codes.MethodNotAllowed, "/bs takes POST (Bootstrap-Finish)"))
			return
		}
		h.bootstrapFinish(w, r)
		return
	}
	p, err := lwm2mPath(segs)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	switch r.Code() {
	case codes.GET:
		if accept, err := r.Accept(); err == nil && accept == message.AppLinkFormat {
			h.bootstrapDiscover(w, r, p)
			return
		}
		h.bootstrapRead(w, r, p)
	case codes.PUT:
		h.bootstrapWrite(w, r, p)
	case codes.DELETE:
		if err := h.m.BootstrapDelete(p); err != nil {
			h.fail(w, r, err)
			return
		}
		h.log.Debug("lwm2m bootstrap-delete", "path", p.String())
		reply(w, codes.Deleted)
	default:
		h.fail(w, r, status(codes.MethodNotAllowed, "%v on %v is not a bootstrap operation", r.Code(), p))
	}
}

func (h *Handler) bootstrapWrite(w mux.ResponseWriter, r *mux.Message, p lwm2m.Path) {
	if p.Len() == 0 {
		h.fail(w, r, status(codes.MethodNotAllowed, "bootstrap-write on the root"))
		return
	}
	recs, err := h.decodePayload(r, p)
	if err == nil {
		err = h.m.BootstrapWrite(p, recs)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.log.Debug("lwm2m bootstrap-write", "path", p.String(), "records", len(recs))
	reply(w, codes.Changed)
}

func (h *Handler) bootstrapRead(w mux.ResponseWriter, r *mux.Message, p lwm2m.Path) {
	recs, err := h.m.BootstrapRead(p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	format, err := h.responseFormat(r, p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	payload, err := encode(format, p, recs)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	content(w, format, payload)
}

// bootstrapDiscover serves Bootstrap-Discover (Core 1.1 §6.1.7.3) on the
// root or an object: the enabler version first (lwm2m="1.1"), then the
// objects as in a Register payload, Security objects included; in 1.1
// each Security instance carries its uri (and ssid unless it is the
// bootstrap account) and each Server instance its ssid.
func (h *Handler) bootstrapDiscover(w mux.ResponseWriter, r *mux.Message, p lwm2m.Path) {
	if p.Len() > 1 {
		h.fail(w, r, status(codes.MethodNotAllowed, "bootstrap-discover targets the root or an object, not %v", p))
		return
	}
	if _, ok := h.m.ObjectDef(p.Obj()); p.Len() == 1 && !ok {
		h.fail(w, r, status(codes.NotFound, "object %d is not implemented", p.Obj()))
		return
	}
	v11 := h.m.Version() != "1.0"
	links := []lwm2m.Link{{Params: []lwm2m.LinkParam{lwm2m.QuotedParam("lwm2m", h.m.Version())}}}
	secAttrs := map[uint16][]lwm2m.LinkParam{}
	for _, s := range h.m.Security() {
		var ps []lwm2m.LinkParam
		if !s.Bootstrap {
			ps = append(ps, lwm2m.TokenParam("ssid", strconv.Itoa(int(s.ShortServerID))))
		}
		secAttrs[s.Instance] = append(ps, lwm2m.QuotedParam("uri", s.URI))
	}
	srvAttrs := map[uint16][]lwm2m.LinkParam{}
	for _, s := range h.m.Servers() {
		srvAttrs[s.Instance] = []lwm2m.LinkParam{lwm2m.TokenParam("ssid", strconv.Itoa(int(s.ShortServerID)))}
	}
	for _, obj := range h.m.Objects() {
		if p.Len() == 1 && obj != p.Obj() {
			continue
		}
		def, _ := h.m.ObjectDef(obj)
		insts := h.m.Instances(obj)
		objLink := lwm2m.Link{Target: lwm2m.NewPath(obj).String()}
		if v11 && def.Version != "" && def.Version != "1.0" {
			objLink.Params = append(objLink.Params, lwm2m.TokenParam("ver", def.Version))
		}
		if len(insts) == 0 || len(objLink.Params) > 0 {
			links = append(links, objLink)
		}
		for _, id := range insts {
			l := lwm2m.Link{Target: lwm2m.NewPath(obj, id).String()}
			if v11 && obj == lwm2m.ObjSecurity {
				l.Params = secAttrs[id]
			}
			if v11 && obj == lwm2m.ObjServer {
				l.Params = srvAttrs[id]
			}
			links = append(links, l)
		}
	}
	content(w, message.AppLinkFormat, []byte(lwm2m.FormatLinks(links)))
}

// bootstrapFinish serves Bootstrap-Finish (Core 1.1 §6.1.7.6).
func (h *Handler) bootstrapFinish(w mux.ResponseWriter, r *mux.Message) {
	h.mu.Lock()
	check := h.finish
	h.mu.Unlock()
	if check == nil {
		check = h.m.CheckServerAccounts
	}
	if err := check(); err != nil {
		h.log.Info("bootstrap-finish refused", "error", err)
		h.fail(w, r, status(codes.NotAcceptable, "configuration unusable: %v", err))
		return
	}
	h.SetBootstrapMode(false)
	h.log.Info("bootstrap finished")
	reply(w, codes.Changed)
}
