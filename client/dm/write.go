package dm

import (
	"strconv"
	"strings"

	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
	"github.com/plgd-dev/go-coap/v3/message"
	"github.com/plgd-dev/go-coap/v3/message/codes"
	"github.com/plgd-dev/go-coap/v3/mux"
)

// put serves Write (replace) and Write-Attributes: a PUT with Uri-Query
// options and no payload sets attributes.
func (h *Handler) put(w mux.ResponseWriter, r *mux.Message, p lwm2m.Path) {
	queries, _ := r.Options().Queries()
	body, err := readBody(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	_, cfErr := r.ContentFormat()
	if len(queries) > 0 && len(body) == 0 && cfErr != nil {
		h.writeAttributes(w, r, p, queries)
		return
	}
	h.write(w, r, p, true)
}

// post serves Create (on an object), partial-update Write (on an instance
// or a multiple resource) and Execute (on any other resource).
func (h *Handler) post(w mux.ResponseWriter, r *mux.Message, p lwm2m.Path) {
	switch {
	case p.Len() == 1:
		h.create(w, r, p.Obj())
	case p.Len() == 2, p.Len() == 3 && h.m.IsMultiple(p):
		h.write(w, r, p, false)
	case p.Len() == 3:
		h.execute(w, r, p)
	default:
		h.fail(w, r, status(codes.MethodNotAllowed, "POST on %v", p))
	}
}

func (h *Handler) write(w mux.ResponseWriter, r *mux.Message, p lwm2m.Path, replace bool) {
	if p.Len() < 2 {
		h.fail(w, r, status(codes.MethodNotAllowed, "write on %v: a server writes instances and resources", p))
		return
	}
	recs, err := h.decodePayload(r, p)
	if err == nil {
		err = h.m.Write(p, recs, replace)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.log.Debug("lwm2m write", "path", p.String(), "replace", replace, "records", len(recs))
	reply(w, codes.Changed)
}

func (h *Handler) execute(w mux.ResponseWriter, r *mux.Message, p lwm2m.Path) {
	body, err := readBody(r)
	if err == nil {
		err = h.m.Execute(p, string(body))
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.log.Debug("lwm2m execute", "path", p.String(), "args", string(body))
	reply(w, codes.Changed)
}

// placeholderInstance stands for "the instance the client will choose"
// while decoding a Create payload that names no instance: 65535 is
// reserved, so no real instance has it.
const placeholderInstance = 65535

// create serves Create (Core 1.1 §5.4.4). A payload that wraps its
// resources in an object-instance entry (TLV) or names them by full path
// (SenML) asks for that instance id; bare resources let the client choose.
// The answer is 2.01 with the new instance as Location-Path.
func (h *Handler) create(w mux.ResponseWriter, r *mux.Message, obj uint16) {
	base := lwm2m.NewPath(obj)
	recs, err := h.decodePayload(r, base)
	var want *uint16
	switch {
	case err != nil && codeOf(err) == codes.BadRequest:
		// Not an instance-level payload: try bare resources.
		recs, err = h.decodePayload(r, base.Append(placeholderInstance))
	case err == nil && len(recs) > 0:
		id := recs[0].Path.Inst()
		want = &id
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	id, err := h.m.Create(obj, want, recs)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.log.Debug("lwm2m create", "path", lwm2m.NewPath(obj, id).String())
	reply(w, codes.Created,
		message.Option{ID: message.LocationPath, Value: []byte(strconv.Itoa(int(obj)))},
		message.Option{ID: message.LocationPath, Value: []byte(strconv.Itoa(int(id)))})
}

// delete serves Delete (Core 1.1 §5.4.5).
func (h *Handler) delete(w mux.ResponseWriter, r *mux.Message, p lwm2m.Path) {
	if err := h.m.Delete(p); err != nil {
		h.fail(w, r, err)
		return
	}
	h.log.Debug("lwm2m delete", "path", p.String())
	reply(w, codes.Deleted)
}

// writeAttributes serves Write-Attributes (Core 1.1 §5.4.4): the target
// must exist and not be executable; gt, lt and st apply to numeric
// resources only.
func (h *Handler) writeAttributes(w mux.ResponseWriter, r *mux.Message, p lwm2m.Path, queries []string) {
	if err := h.checkAttrTarget(p); err != nil {
		h.fail(w, r, err)
		return
	}
	updates, err := parseAttrQuery(queries)
	if err != nil {
		h.fail(w, r, status(codes.BadRequest, "%v", err))
		return
	}
	for _, u := range updates {
		var a Attributes
		if a.threshold(u.name) != nil && !u.remove && !h.numeric(p) {
			h.fail(w, r, status(codes.BadRequest, "attribute %s applies to numeric resources, not %v", u.name, p))
			return
		}
	}
	if err := h.attrs.update(p, updates); err != nil {
		h.fail(w, r, status(codes.BadRequest, "%v", err))
		return
	}
	h.log.Debug("lwm2m write-attributes", "path", p.String(), "query", strings.Join(queries, "&"))
	h.obs.reconfigure()
	reply(w, codes.Changed)
}

// checkAttrTarget checks that p names something a server may observe.
func (h *Handler) checkAttrTarget(p lwm2m.Path) error {
	target := p
	if p.Len() == 4 {
		target = p.Parent()
	}
	nodes, err := h.m.Discover(target, true)
	if err != nil {
		return err
	}
	if ops, _ := h.m.Operations(p); strings.Contains(ops, "E") {
		return status(codes.MethodNotAllowed, "resource %v is executable", p)
	}
	for _, n := range nodes {
		if n.Path == p {
			return nil
		}
	}
	return status(codes.NotFound, "%v does not exist", p)
}

// numeric reports whether p is a resource (instance) of a number type.
func (h *Handler) numeric(p lwm2m.Path) bool {
	k, ok := h.m.KindOf(p)
	if !ok || (p.Len() == 3 && h.m.IsMultiple(p)) {
		return false
	}
	return k == lwm2m.KindInteger || k == lwm2m.KindUnsignedInteger || k == lwm2m.KindFloat
}
