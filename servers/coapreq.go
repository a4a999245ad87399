package servers

import (
	"strings"

	"github.com/plgd-dev/go-coap/v3/message/codes"
	"github.com/plgd-dev/go-coap/v3/message/pool"
	"github.com/plgd-dev/go-coap/v3/net/responsewriter"
	udpClient "github.com/plgd-dev/go-coap/v3/udp/client"
)

// request is the part of an inbound CoAP request the handlers use.
type request struct {
	method  codes.Code
	path    string            // "/rd/abc"; "/" for none
	query   map[string]string // Uri-Query "k=v"; a bare "k" maps to ""
	rawQ    []string
	payload []byte
	remote  string
	session string
}

// readRequest copies what is needed out of a pooled message.
func readRequest(w *responsewriter.ResponseWriter[*udpClient.Conn], r *pool.Message) (request, error) {
	req := request{method: r.Code(), path: "/", query: map[string]string{}}
	if p, err := r.Path(); err == nil && p != "" {
		req.path = p
	}
	if qs, err := r.Queries(); err == nil {
		req.rawQ = qs
		for _, q := range qs {
			k, v, _ := strings.Cut(q, "=")
			req.query[k] = v
		}
	}
	if r.Body() != nil {
		b, err := r.ReadBody()
		if err != nil {
			return req, err
		}
		req.payload = b
	}
	cc := w.Conn()
	req.remote = cc.RemoteAddr().String()
	if ac, ok := cc.NetConn().(*acceptedConn); ok {
		req.session = ac.session.id
		req.remote = ac.session.remote().String()
	}
	return req, nil
}

// fields are the event fields every request carries.
func (q request) fields() map[string]string {
	f := map[string]string{
		"method": q.method.String(),
		"path":   q.path,
		"remote": q.remote,
	}
	if q.session != "" {
		f["session"] = q.session
	}
	if len(q.rawQ) > 0 {
		f["query"] = strings.Join(q.rawQ, "&")
	}
	return f
}

// respond sets a payload-less response; a failure means the request carried
// No-Response and is ignored.
func respond(w *responsewriter.ResponseWriter[*udpClient.Conn], code codes.Code) {
	_ = w.SetResponse(code, 0, nil)
}
