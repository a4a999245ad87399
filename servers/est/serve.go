package est

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/plgd-dev/go-coap/v3/message"
	"github.com/plgd-dev/go-coap/v3/message/codes"
	"github.com/plgd-dev/go-coap/v3/message/pool"
	"github.com/plgd-dev/go-coap/v3/net/responsewriter"
	udpClient "github.com/plgd-dev/go-coap/v3/udp/client"

	"github.com/lwm2m-conform/lwm2m-conform/servers"
)

// inbound is what the server reads from one request message.
type inbound struct {
	method         codes.Code
	path           string
	query          []string
	cf, accept     *message.MediaType
	block1, block2 *block
	body           []byte
	typ            message.Type
	mid            int32
	err            error // a malformed option or body
}

func readInbound(r *pool.Message) inbound {
	in := inbound{method: r.Code(), typ: r.Type(), mid: r.MessageID()}
	p, _ := r.Path()
	in.path = "/" + strings.TrimPrefix(p, "/")
	in.query, _ = r.Queries()
	if cf, err := r.ContentFormat(); err == nil {
		in.cf = &cf
	}
	if a, err := r.Accept(); err == nil {
		in.accept = &a
	}
	for _, opt := range []struct {
		id  message.OptionID
		dst **block
	}{{message.Block1, &in.block1}, {message.Block2, &in.block2}} {
		b, ok, err := blockOption(r, opt.id)
		if err != nil && in.err == nil {
			in.err = err
		}
		if ok && err == nil {
			*opt.dst = &b
		}
	}
	if r.Body() != nil {
		body, err := r.ReadBody()
		if err != nil && in.err == nil {
			in.err = fmt.Errorf("reading the payload: %w", err)
		}
		in.body = body
	}
	return in
}

// Serve implements servers.Mount: it answers one message, repeating the
// earlier reply for a duplicate (RFC 7252 §4.5), and records the exchange.
func (s *Server) Serve(w *responsewriter.ResponseWriter[*udpClient.Conn], r *pool.Message, peer servers.Peer) {
	at := s.cfg.Now()
	cc := w.Conn()
	in := readInbound(r)
	key := midKey{cc: cc, mid: in.mid}
	s.mu.Lock()
	prev, dup := s.st.replies[key]
	s.mu.Unlock()
	if dup {
		s.log.Debug("EST duplicate message: repeating the reply", "mid", in.mid, "path", in.path)
		s.write(w, in, prev)
		return
	}
	rep := s.exchange(cc, in, peer)
	s.mu.Lock()
	s.st.remember(key, rep)
	s.mu.Unlock()
	s.write(w, in, rep)
	s.record(at, in, peer, rep)
}

// exchange computes the reply to one message: a Block1 step, a Block2
// continuation, or a new answer (its first block if it is large).
func (s *Server) exchange(cc *udpClient.Conn, in inbound, peer servers.Peer) reply {
	if in.err != nil {
		return reply{answer: diag(codes.BadRequest, in.err.Error())}
	}
	tr := transfer{cc: cc, path: in.path}
	if in.block1 != nil && in.method == codes.POST {
		done, rep := s.upload(tr, &in)
		if !done {
			return rep
		}
	}
	if in.block2 != nil && in.block2.num > 0 {
		s.mu.Lock()
		a, ok := s.st.downloads[tr]
		s.mu.Unlock()
		if ok {
			return s.blockOf(a, *in.block2)
		}
		if in.method != codes.GET {
			return reply{answer: diag(codes.RequestEntityIncomplete, "no Block2 transfer of this resource is in progress")}
		}
	}
	a := s.route(in, peer)
	first := block{szx: s.szx}
	if in.block2 != nil { // early negotiation, or a stateless GET of a later block
		first = block{num: in.block2.num, szx: min(in.block2.szx, s.szx)}
	}
	if int64(len(a.body)) > first.size() {
		s.mu.Lock()
		s.st.downloads[tr] = a
		s.mu.Unlock()
	}
	return s.blockOf(a, first)
}

// upload takes one Block1 block; done is true once in.body holds the
// whole request body.
func (s *Server) upload(tr transfer, in *inbound) (done bool, rep reply) {
	b := *in.block1
	s.mu.Lock()
	defer s.mu.Unlock()
	buf := s.st.uploads[tr]
	if b.num == 0 {
		buf = nil
	}
	if off := b.num * b.size(); off != int64(len(buf)) {
		delete(s.st.uploads, tr)
		return false, reply{answer: diag(codes.RequestEntityIncomplete,
			fmt.Sprintf("Block1 %s starts at byte %d, %d bytes were received", b, off, len(buf)))}
	}
	buf = append(buf, in.body...)
	ack := b
	if b.more {
		s.st.uploads[tr] = buf
		return false, reply{answer: answer{code: codes.Continue}, block1: &ack}
	}
	delete(s.st.uploads, tr)
	in.body = buf
	return true, reply{}
}

// blockOf cuts block b (in the client's numbering) out of a, at the
// smaller of the client's and the server's block size. A body that fits
// one block goes out whole, without a Block2 option.
func (s *Server) blockOf(a answer, b block) reply {
	szx := min(b.szx, s.szx)
	if b.num == 0 && int64(len(a.body)) <= szx.Size() {
		return reply{answer: a}
	}
	num := b.num * b.size() / szx.Size()
	part, more, ok := slice(a.body, num, szx)
	if !ok {
		return reply{answer: diag(codes.BadOption, fmt.Sprintf("Block2 %s lies past the end of the %d-byte body", b, len(a.body)))}
	}
	out := a
	out.body = part
	rep := reply{answer: out, block2: &block{num: num, more: more, szx: szx}}
	if num == 0 {
		rep.size2 = len(a.body)
	}
	return rep
}

// write puts rep into w's message: piggybacked on the ACK of a CON
// request, or a NON with a fresh message ID (RFC 7252 §5.2).
func (s *Server) write(w *responsewriter.ResponseWriter[*udpClient.Conn], in inbound, rep reply) {
	var body io.ReadSeeker
	if rep.hasCF {
		body = bytes.NewReader(rep.body)
	}
	if err := w.SetResponse(rep.code, rep.format, body); err != nil {
		return // No-Response asked for silence
	}
	m := w.Message()
	if rep.block1 != nil {
		m.SetOptionUint32(message.Block1, encodeBlock(*rep.block1))
	}
	if rep.block2 != nil {
		m.SetOptionUint32(message.Block2, encodeBlock(*rep.block2))
	}
	if rep.size2 > 0 {
		m.SetOptionUint32(message.Size2, uint32(rep.size2))
	}
	if rep.maxAge > 0 {
		m.SetOptionUint32(message.MaxAge, rep.maxAge)
	}
	if in.typ == message.Confirmable {
		m.SetType(message.Acknowledgement)
		m.SetMessageID(in.mid)
	} else {
		m.SetType(message.NonConfirmable)
		m.SetMessageID(w.Conn().GetMessageID())
	}
}

// diag is an error answer with a diagnostic payload (RFC 7252 §5.5.2).
func diag(code codes.Code, why string) answer {
	return answer{code: code, format: message.TextPlain, hasCF: true, body: []byte(why),
		fields: map[string]string{"error": why}}
}
