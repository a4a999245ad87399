package dm

import (
	"bytes"
	"context"
	"time"

	"github.com/plgd-dev/go-coap/v3/message"
	"github.com/plgd-dev/go-coap/v3/message/codes"
	"github.com/plgd-dev/go-coap/v3/mux"
	udpClient "github.com/plgd-dev/go-coap/v3/udp/client"
)

// notifyTimeout bounds how long a CON notification waits for its ACK.
const notifyTimeout = 60 * time.Second

// send writes one notification: 2.05 with the observation's token and the
// next sequence number, or an error code without Observe, which ends the
// observation at the server (RFC 7641 §3.2).
func (o *observation) send(code codes.Code, payload []byte) error {
	ctx, cancel := context.WithTimeout(o.ctx, notifyTimeout)
	defer cancel()
	conn := o.key.conn
	msg := conn.AcquireMessage(ctx)
	defer conn.ReleaseMessage(msg)
	msg.SetCode(code)
	msg.SetToken(message.Token(o.key.token))
	if code == codes.Content {
		msg.SetObserve(o.h.nextSeq())
		msg.SetContentFormat(o.format)
		msg.SetBody(bytes.NewReader(payload))
	}
	_, confirmable := o.h.settings()
	mid := nextMID(conn)
	msg.SetMessageID(mid)
	o.recordMID(mid)
	if confirmable {
		msg.SetType(message.Confirmable)
	} else {
		msg.SetType(message.NonConfirmable)
		if s, ok := conn.(sessionConn); ok {
			// Written as is, the NON keeps the message id a Reset echoes.
			return s.Session().WriteMessage(msg)
		}
	}
	// go-coap's blockwise layer copies the message and draws the next
	// message id of the connection; remember that one too.
	o.recordMID((mid + 1) & 0xFFFF)
	return conn.WriteMessage(msg)
}

// sessionConn is a go-coap UDP or DTLS connection, whose session writes a
// message without touching its message id.
type sessionConn interface {
	Session() udpClient.Session
}

// nextMID takes a message id from the connection's own counter when it
// has one (go-coap's UDP and DTLS connections do), so that a Reset can be
// matched to the notification it answers.
func nextMID(conn mux.Conn) int32 {
	if g, ok := conn.(interface{ GetMessageID() int32 }); ok {
		return g.GetMessageID()
	}
	return message.GetMID()
}
