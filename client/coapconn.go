package client

import (
	"context"
	"fmt"
	"sync"
	"time"

	coapdtls "github.com/plgd-dev/go-coap/v3/dtls"
	"github.com/plgd-dev/go-coap/v3/mux"
	"github.com/plgd-dev/go-coap/v3/options"
	"github.com/plgd-dev/go-coap/v3/pkg/runner/periodic"
	"github.com/plgd-dev/go-coap/v3/udp"
	udpclient "github.com/plgd-dev/go-coap/v3/udp/client"
)

// expirationTick drives go-coap's CON retransmissions and cache expiry;
// go-coap's default runner sleeps 4 s between checks and outlives the
// connection, so each connection gets its own, stopped on close.
const expirationTick = 250 * time.Millisecond

// coapConn is one CoAP connection to a server, with the handler that serves
// the server's requests on it.
type coapConn struct {
	*udpclient.Conn
	stopTicker context.CancelFunc
	closeOnce  sync.Once
}

// openCoAP connects to t: DTLS (PSK or certificate) or plain UDP for NoSec.
// Requests the server sends on the connection go to h.
func (c *Client) openCoAP(ctx context.Context, t target, h mux.Handler) (*coapConn, error) {
	tickCtx, stopTicker := context.WithCancel(context.Background())
	opts := []udp.Option{
		options.WithMux(logRequests(c.log, t.uri, h)),
		options.WithErrors(func(err error) { c.log.Debug("coap", "server", t.uri, "error", err) }),
		options.WithPeriodicRunner(periodic.New(tickCtx.Done(), expirationTick)),
	}
	if c.opts.AckTimeout > 0 {
		// NSTART 1 and MAX_RETRANSMIT 4 as RFC 7252 §4.8; only ACK_TIMEOUT moves.
		opts = append(opts, options.WithTransmission(1, c.opts.AckTimeout, 4))
	}
	var cc *udpclient.Conn
	if t.secure() {
		dc, err := c.dialDTLS(ctx, t)
		if err != nil {
			stopTicker()
			return nil, err
		}
		cc = coapdtls.Client(dc, append(opts, options.WithCloseSocket())...)
	} else {
		var err error
		cc, err = udp.Dial(t.address, opts...)
		if err != nil {
			stopTicker()
			return nil, fmt.Errorf("dial %s: %w", t.address, err)
		}
		c.log.Info("NoSec connection: plain CoAP over UDP, no DTLS", "server", t.uri)
	}
	return &coapConn{Conn: cc, stopTicker: stopTicker}, nil
}

// close closes the connection (and its socket) once.
func (cn *coapConn) close() {
	cn.closeOnce.Do(func() {
		_ = cn.Conn.Close()
		select { // the read loop ends on close; bounded all the same
		case <-cn.Conn.Done():
		case <-time.After(time.Second):
		}
		cn.stopTicker()
	})
}
