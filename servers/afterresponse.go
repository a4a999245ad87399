package servers

import (
	"sync"

	"github.com/plgd-dev/go-coap/v3/message/pool"
	"github.com/plgd-dev/go-coap/v3/options/config"
	udpClient "github.com/plgd-dev/go-coap/v3/udp/client"
)

// afterResponse runs actions once the response to the current request has
// been written. The bootstrap server needs it: its Delete/Write requests must
// not reach the client before the 2.04 answering Bootstrap-Request.
// go-coap processes one connection's requests in order, so whatever a handler
// queued for a connection belongs to the request just answered.
type afterResponse struct {
	mu      sync.Mutex
	pending map[*udpClient.Conn][]func()
	mount   Mount // offered every message first (EST-coaps); may be nil
}

func newAfterResponse() *afterResponse {
	return &afterResponse{pending: map[*udpClient.Conn][]func(){}}
}

// add queues f for after the response on cc.
func (a *afterResponse) add(cc *udpClient.Conn, f func()) {
	a.mu.Lock()
	a.pending[cc] = append(a.pending[cc], f)
	a.mu.Unlock()
}

// process is a go-coap ProcessReceivedMessageFunc: the default processing,
// then the queued actions.
func (a *afterResponse) process(req *pool.Message, cc *udpClient.Conn, h config.HandlerFunc[*udpClient.Conn]) {
	if serveMount(a.mount, req, cc) {
		return
	}
	cc.ProcessReceivedMessageWithHandler(req, h)
	a.mu.Lock()
	fs := a.pending[cc]
	delete(a.pending, cc)
	a.mu.Unlock()
	for _, f := range fs {
		f()
	}
}
