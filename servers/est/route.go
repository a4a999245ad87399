package est

import (
	"strings"

	"github.com/plgd-dev/go-coap/v3/message/codes"

	"github.com/lwm2m-conform/lwm2m-conform/servers"
)

// route answers a complete request.
func (s *Server) route(in inbound, peer servers.Peer) answer {
	if in.path == corePath {
		if in.method != codes.GET {
			return diag(codes.MethodNotAllowed, "discovery is GET /.well-known/core")
		}
		return s.discovery(in.query)
	}
	switch op := opOf(in.path); op {
	case opCrts:
		if in.method != codes.GET {
			return diag(codes.MethodNotAllowed, "/crts is GET (RFC 9148 §4.1)")
		}
		return s.crts(in)
	case opSen, opSren:
		if in.method != codes.POST {
			return diag(codes.MethodNotAllowed, "/"+op+" is POST (RFC 9148 §4.1)")
		}
		return s.enroll(op, in, peer)
	case "skg", "skc", "att":
		return diag(codes.NotFound, "/"+op+" is optional (RFC 9148 §4.2) and not served here")
	default:
		return diag(codes.NotFound, "no EST-coaps resource "+in.path)
	}
}

// estLinks are the resources discovery announces (RFC 9148 §4.1), under
// the short root.
var estLinks = []struct{ path, rt, ct string }{
	{RootShort + "/crts", "ace.est.crts", `"281 287"`},
	{RootShort + "/sen", "ace.est.sen", `"281 287"`},
	{RootShort + "/sren", "ace.est.sren", `"281 287"`},
}

// discovery answers GET /.well-known/core, filtered by an rt query
// (RFC 6690 §4.1; a trailing * matches a prefix, as in rt=ace.est*).
func (s *Server) discovery(query []string) answer {
	rt := ""
	for _, q := range query {
		if v, ok := strings.CutPrefix(q, "rt="); ok {
			rt = v
		}
	}
	var links []string
	for _, l := range estLinks {
		if rt == "" || l.rt == rt || strings.HasSuffix(rt, "*") && strings.HasPrefix(l.rt, strings.TrimSuffix(rt, "*")) {
			links = append(links, "<"+l.path+`>;rt="`+l.rt+`";ct=`+l.ct)
		}
	}
	s.mu.Lock()
	s.st.discovered = true
	s.mu.Unlock()
	return answer{code: codes.Content, format: FormatLinkFormat, hasCF: true, body: []byte(strings.Join(links, ","))}
}
