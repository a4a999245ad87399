package est

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/plgd-dev/go-coap/v3/message"
	"github.com/plgd-dev/go-coap/v3/message/codes"

	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/servers"
)

// codeText renders a CoAP code in dotted form, e.g. "2.04".
func codeText(c codes.Code) string { return fmt.Sprintf("%d.%02d", uint8(c)>>5, uint8(c)&0x1f) }

func typeText(t message.Type) string {
	switch t {
	case message.Confirmable:
		return "CON"
	case message.NonConfirmable:
		return "NON"
	case message.Acknowledgement:
		return "ACK"
	case message.Reset:
		return "RST"
	}
	return strconv.Itoa(int(t))
}

// record adds the exchange to the case timeline: one events.Request with
// what=est, the request as it arrived and the reply as it left.
func (s *Server) record(at time.Time, in inbound, peer servers.Peer, rep reply) {
	op := opOf(in.path)
	if in.path == corePath {
		op = opDiscovery
	}
	s.mu.Lock()
	discovered := s.st.discovered
	s.mu.Unlock()
	f := map[string]string{
		"what":           "est",
		"op":             op,
		"method":         in.method.String(),
		"path":           in.path,
		"root":           underRoot(in.path),
		"type":           typeText(in.typ),
		"remote":         peer.Remote,
		"req_size":       strconv.Itoa(len(in.body)),
		"code":           codeText(rep.code),
		"size":           strconv.Itoa(len(rep.body)),
		"discovery_used": boolText(discovered && op != opDiscovery),
	}
	if peer.Session != "" {
		f["session"] = peer.Session
	}
	if len(in.query) > 0 {
		f["query"] = strings.Join(in.query, "&")
	}
	if in.cf != nil {
		f["ct"] = strconv.Itoa(int(*in.cf))
	}
	if in.accept != nil {
		f["accept"] = strconv.Itoa(int(*in.accept))
	}
	if in.block1 != nil {
		f["block1"] = in.block1.String()
	}
	if in.block2 != nil {
		f["block2"] = in.block2.String()
	}
	if rep.hasCF {
		f["resp_ct"] = strconv.Itoa(int(rep.format))
	}
	if rep.block1 != nil {
		f["resp_block1"] = rep.block1.String()
	}
	if rep.block2 != nil {
		f["resp_block2"] = rep.block2.String()
	}
	if rep.size2 > 0 {
		f["size2"] = strconv.Itoa(rep.size2)
	}
	if rep.maxAge > 0 {
		f["max_age"] = strconv.Itoa(int(rep.maxAge))
	}
	// Fields of the answer (CSR, issued certificate, fault) go with its
	// first block only.
	if rep.block2 == nil || rep.block2.num == 0 {
		for k, v := range rep.fields {
			f[k] = v
		}
	}
	summary := fmt.Sprintf("EST %s: %s %s", op, in.method, in.path)
	if in.block1 != nil {
		summary += " Block1 " + in.block1.String()
	}
	if in.block2 != nil {
		summary += " Block2 " + in.block2.String()
	}
	summary += fmt.Sprintf(" from %s: %s", peer.Remote, codeText(rep.code))
	if rep.hasCF && rep.code != codes.Continue && rep.code < codes.BadRequest {
		summary += fmt.Sprintf(" %s, %d bytes", FormatName(rep.format), len(rep.body))
	}
	if rep.block2 != nil {
		summary += " Block2 " + rep.block2.String()
	}
	if v := f["serial"]; v != "" {
		summary += ", serial " + v
	}
	if v := f["fault"]; v != "" {
		summary += " [fault " + v + "]"
	}
	if v := f["error"]; v != "" {
		summary += " (" + v + ")"
	}
	s.log.Debug(summary)
	if s.cfg.Events != nil {
		s.cfg.Events.Add(events.Event{Time: at, Kind: events.Request, Summary: summary, Fields: f})
	}
}
