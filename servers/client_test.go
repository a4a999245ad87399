package servers

import (
	"context"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/pion/dtls/v2"
	coapdtls "github.com/plgd-dev/go-coap/v3/dtls"
	"github.com/plgd-dev/go-coap/v3/message"
	"github.com/plgd-dev/go-coap/v3/message/codes"
	"github.com/plgd-dev/go-coap/v3/options"
	"github.com/plgd-dev/go-coap/v3/udp"
	udpClient "github.com/plgd-dev/go-coap/v3/udp/client"
)

// testClient is a go-coap client over pion DTLS (or plain UDP) whose socket
// can be swapped to simulate a NAT rebinding.
type testClient struct {
	cc     *udpClient.Conn
	sock   *rebindConn // nil for NoSec
	runner *periodicRunner
}

// dialDTLS runs a pion client handshake to addr and starts CoAP on it; h
// answers the server's requests (nil: 4.04 for everything).
func dialDTLS(ctx context.Context, addr *net.UDPAddr, cfg *dtls.Config, h handlerFunc) (*testClient, error) {
	sock, err := newRebindConn()
	if err != nil {
		return nil, err
	}
	conn, err := dtls.ClientWithContext(ctx, sock, addr, cfg)
	if err != nil {
		_ = sock.Close()
		return nil, err
	}
	runner := newPeriodicRunner()
	opts := []udp.Option{options.WithPeriodicRunner(runner.run), options.WithErrors(func(error) {}), options.WithCloseSocket()}
	if h != nil {
		opts = append(opts, options.WithHandlerFunc(h))
	}
	return &testClient{cc: coapdtls.Client(conn, opts...), sock: sock, runner: runner}, nil
}

// dialUDP starts a NoSec CoAP client.
func dialUDP(addr *net.UDPAddr, h handlerFunc) (*testClient, error) {
	runner := newPeriodicRunner()
	opts := []udp.Option{options.WithPeriodicRunner(runner.run), options.WithErrors(func(error) {})}
	if h != nil {
		opts = append(opts, options.WithHandlerFunc(h))
	}
	cc, err := udp.Dial(addr.String(), opts...)
	if err != nil {
		return nil, err
	}
	return &testClient{cc: cc, runner: runner}, nil
}

func (c *testClient) close() {
	_ = c.cc.Close()
	<-c.cc.Done()
	c.runner.stop()
	if c.sock != nil {
		_ = c.sock.Close()
	}
}

// register sends Register and returns the location path ("rd/<id>").
func (c *testClient) register(ctx context.Context, ep, links string, query ...string) (string, error) {
	opts := []message.Option{{ID: message.URIQuery, Value: []byte("ep=" + ep)}}
	for _, q := range query {
		opts = append(opts, message.Option{ID: message.URIQuery, Value: []byte(q)})
	}
	resp, err := c.cc.Post(ctx, "/rd", message.AppLinkFormat, strings.NewReader(links), opts...)
	if err != nil {
		return "", err
	}
	defer c.cc.ReleaseMessage(resp)
	if resp.Code() != codes.Created {
		return "", fmt.Errorf("Register answered %v", resp.Code())
	}
	return resp.Options().LocationPath()
}

// post sends a POST (link-format payload when not empty) and returns the
// response code.
func (c *testClient) post(ctx context.Context, path string, payload string, query ...string) (codes.Code, error) {
	var opts []message.Option
	for _, q := range query {
		opts = append(opts, message.Option{ID: message.URIQuery, Value: []byte(q)})
	}
	var body io.ReadSeeker
	if payload != "" {
		body = strings.NewReader(payload)
	}
	m, err := c.cc.Post(ctx, path, message.AppLinkFormat, body, opts...)
	if err != nil {
		return 0, err
	}
	defer c.cc.ReleaseMessage(m)
	return m.Code(), nil
}

// delete sends a DELETE and returns the response code.
func (c *testClient) delete(ctx context.Context, path string) (codes.Code, error) {
	m, err := c.cc.Delete(ctx, path)
	if err != nil {
		return 0, err
	}
	defer c.cc.ReleaseMessage(m)
	return m.Code(), nil
}

// rebindConn is a client socket that can move to a new local port while the
// DTLS connection above it continues.
type rebindConn struct {
	mu       sync.Mutex
	cur      *net.UDPConn
	deadline time.Time
}

func newRebindConn() (*rebindConn, error) {
	c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		return nil, err
	}
	return &rebindConn{cur: c}, nil
}

func (r *rebindConn) get() *net.UDPConn {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.cur
}

// rebind moves to a fresh port and returns it.
func (r *rebindConn) rebind() (*net.UDPAddr, error) {
	n, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	old := r.cur
	r.cur = n
	_ = n.SetReadDeadline(r.deadline)
	r.mu.Unlock()
	_ = old.Close()
	return n.LocalAddr().(*net.UDPAddr), nil
}

func (r *rebindConn) ReadFrom(p []byte) (int, net.Addr, error) {
	for {
		c := r.get()
		n, a, err := c.ReadFrom(p)
		if err != nil && r.get() != c {
			continue // the socket was swapped under the read
		}
		return n, a, err
	}
}

func (r *rebindConn) WriteTo(p []byte, a net.Addr) (int, error) { return r.get().WriteTo(p, a) }
func (r *rebindConn) Close() error                              { return r.get().Close() }
func (r *rebindConn) LocalAddr() net.Addr                       { return r.get().LocalAddr() }
func (r *rebindConn) SetDeadline(t time.Time) error             { return r.SetReadDeadline(t) }
func (r *rebindConn) SetWriteDeadline(time.Time) error          { return nil }
func (r *rebindConn) SetReadDeadline(t time.Time) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.deadline = t
	return r.cur.SetReadDeadline(t)
}
