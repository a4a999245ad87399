package servers

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/plgd-dev/go-coap/v3/message/codes"
	"github.com/plgd-dev/go-coap/v3/message/pool"
	"github.com/plgd-dev/go-coap/v3/net/responsewriter"
	udpClient "github.com/plgd-dev/go-coap/v3/udp/client"

	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
)

// Defaults of the Register parameters (LwM2M 1.1 Transport §6.2.1).
const (
	defaultLifetime = "86400"
	defaultVersion  = "1.0"
	defaultBinding  = "U"
)

// handle is the LwM2M server's CoAP handler: the registration interface, and
// a Request event with 4.04 for everything else.
func (s *LwM2M) handle(w *responsewriter.ResponseWriter[*udpClient.Conn], r *pool.Message) {
	at := time.Now()
	req, err := readRequest(w, r)
	if err != nil {
		respond(w, codes.BadRequest)
		return
	}
	switch {
	case req.path == "/rd" && req.method == codes.POST:
		s.register(w, req, at)
	case strings.HasPrefix(req.path, "/rd/") && req.method == codes.POST:
		s.update(w, req, at)
	case strings.HasPrefix(req.path, "/rd/") && req.method == codes.DELETE:
		s.deregister(w, req, at)
	default:
		s.reject(w, req, at, codes.NotFound, "no such resource")
	}
}

// reject answers code and records the request with why.
func (s *LwM2M) reject(w *responsewriter.ResponseWriter[*udpClient.Conn], req request, at time.Time, code codes.Code, why string) {
	respond(w, code)
	f := req.fields()
	f["code"] = codeText(code)
	f["error"] = why
	s.rec.add(at, events.Request, fmt.Sprintf("%s %s from %s: %s %v (%s)", req.method, req.path, req.remote, codeText(code), code, why), f)
}

func (s *LwM2M) register(w *responsewriter.ResponseWriter[*udpClient.Conn], req request, at time.Time) {
	ep := req.query["ep"]
	if ep == "" {
		s.reject(w, req, at, codes.BadRequest, "Register without endpoint name")
		return
	}
	reg := Registration{
		Endpoint:   ep,
		Lifetime:   queryOr(req.query, "lt", defaultLifetime),
		Version:    queryOr(req.query, "lwm2m", defaultVersion),
		Binding:    queryOr(req.query, "b", defaultBinding),
		Remote:     req.remote,
		Session:    req.session,
		Registered: at,
		Updated:    at,
	}
	if _, err := strconv.ParseUint(reg.Lifetime, 10, 32); err != nil {
		s.reject(w, req, at, codes.BadRequest, fmt.Sprintf("lifetime %q is not a number", reg.Lifetime))
		return
	}
	links, err := lwm2m.ParseLinks(string(req.payload))
	if err != nil {
		s.reject(w, req, at, codes.BadRequest, "Register payload: "+err.Error())
		return
	}
	reg.Links = links
	reg, err = s.reg.add(reg, w.Conn())
	if err != nil {
		s.reject(w, req, at, codes.InternalServerError, err.Error())
		return
	}
	_ = w.SetResponse(codes.Created, 0, nil, locationPath(reg.Location)...)
	f := req.fields()
	f["ep"], f["lt"], f["lwm2m"], f["b"] = reg.Endpoint, reg.Lifetime, reg.Version, reg.Binding
	f["links"], f["location"], f["code"] = string(req.payload), reg.Location, codeText(codes.Created)
	s.rec.add(at, events.Register, fmt.Sprintf("Register %s from %s (lt %s, lwm2m %s, b %s) → %s", ep, req.remote, reg.Lifetime, reg.Version, reg.Binding, reg.Location), f)
}

func (s *LwM2M) update(w *responsewriter.ResponseWriter[*udpClient.Conn], req request, at time.Time) {
	id := strings.TrimPrefix(req.path, "/rd/")
	var links []lwm2m.Link
	if len(req.payload) > 0 {
		var err error
		if links, err = lwm2m.ParseLinks(string(req.payload)); err != nil {
			s.reject(w, req, at, codes.BadRequest, "Update payload: "+err.Error())
			return
		}
	}
	if lt, ok := req.query["lt"]; ok {
		if _, err := strconv.ParseUint(lt, 10, 32); err != nil {
			s.reject(w, req, at, codes.BadRequest, fmt.Sprintf("lifetime %q is not a number", lt))
			return
		}
	}
	reg, ok := s.reg.update(id, w.Conn(), func(r *Registration) {
		if lt, ok := req.query["lt"]; ok {
			r.Lifetime = lt
		}
		if b, ok := req.query["b"]; ok {
			r.Binding = b
		}
		if links != nil {
			r.Links = links
		}
		r.Remote, r.Session, r.Updated = req.remote, req.session, at
	})
	if !ok {
		s.reject(w, req, at, codes.NotFound, "Update of unknown registration")
		return
	}
	respond(w, codes.Changed)
	f := req.fields()
	f["ep"], f["location"], f["code"] = reg.Endpoint, reg.Location, codeText(codes.Changed)
	for _, k := range []string{"lt", "b"} {
		if v, ok := req.query[k]; ok {
			f[k] = v
		}
	}
	if len(req.payload) > 0 {
		f["links"] = string(req.payload)
	}
	s.rec.add(at, events.Update, fmt.Sprintf("Update %s from %s", reg.Endpoint, req.remote), f)
}

func (s *LwM2M) deregister(w *responsewriter.ResponseWriter[*udpClient.Conn], req request, at time.Time) {
	reg, ok := s.reg.remove(strings.TrimPrefix(req.path, "/rd/"))
	if !ok {
		s.reject(w, req, at, codes.NotFound, "De-register of unknown registration")
		return
	}
	respond(w, codes.Deleted)
	f := req.fields()
	f["ep"], f["location"], f["code"] = reg.Endpoint, reg.Location, codeText(codes.Deleted)
	s.rec.add(at, events.Deregister, fmt.Sprintf("De-register %s from %s", reg.Endpoint, req.remote), f)
}

func queryOr(q map[string]string, k, def string) string {
	if v, ok := q[k]; ok && v != "" {
		return v
	}
	return def
}
