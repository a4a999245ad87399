package client

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pion/dtls/v2"
	coapdtls "github.com/plgd-dev/go-coap/v3/dtls"
	"github.com/plgd-dev/go-coap/v3/message"
	"github.com/plgd-dev/go-coap/v3/message/codes"
	"github.com/plgd-dev/go-coap/v3/message/pool"
	"github.com/plgd-dev/go-coap/v3/mux"
	coapnet "github.com/plgd-dev/go-coap/v3/net"
	"github.com/plgd-dev/go-coap/v3/options"
	udpclient "github.com/plgd-dev/go-coap/v3/udp/client"
)

// serverSetup configures the in-test LwM2M (or bootstrap) server.
type serverSetup struct {
	pskIdentity string
	pskKey      []byte
	cert        *tls.Certificate // certificate mode when set
	cid         bool             // negotiate a Connection ID (8 bytes)
	resumption  bool             // keep sessions for resumption
	// onBootstrap runs (in its own goroutine) after POST /bs was
	// answered, with the connection to the client.
	onBootstrap func(conn mux.Conn)
}

// lwEvent is one client request the server received.
type lwEvent struct {
	kind    string // register, update, deregister, bootstrap
	path    string
	query   map[string]string
	payload string
	at      time.Time
}

// testServer is a real go-coap DTLS server behind a wireProxy.
type testServer struct {
	t      *testing.T
	proxy  *wireProxy
	events chan lwEvent
	conns  chan *udpclient.Conn

	mu        sync.Mutex
	nextID    int
	forget    bool // answer the next Update with 4.04
	live      map[string]bool
	connsSeen []*udpclient.Conn
}

// memSessions is a server-side pion SessionStore.
type memSessions struct {
	mu sync.Mutex
	m  map[string]dtls.Session
}

func (s *memSessions) Set(k []byte, v dtls.Session) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[string(k)] = v
	return nil
}

func (s *memSessions) Get(k []byte) (dtls.Session, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m[string(k)], nil
}

func (s *memSessions) Del(k []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, string(k))
	return nil
}

func startServer(t *testing.T, setup serverSetup) *testServer {
	t.Helper()
	cfg := &dtls.Config{
		ConnectContextMaker: func() (context.Context, func()) {
			return context.WithTimeout(context.Background(), 5*time.Second)
		},
		LoggerFactory: pionLogs{testLogger(t).With("side", "server")},
	}
	if setup.cert != nil {
		cfg.Certificates = []tls.Certificate{*setup.cert}
		cfg.ClientAuth = dtls.RequireAnyClientCert
		cfg.CipherSuites = []dtls.CipherSuiteID{
			dtls.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8, dtls.TLS_ECDHE_ECDSA_WITH_AES_128_CCM,
			dtls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, dtls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
		}
	} else {
		id, key := setup.pskIdentity, setup.pskKey
		cfg.PSK = func(hint []byte) ([]byte, error) {
			if string(hint) != id {
				return nil, fmt.Errorf("unknown PSK identity %q", hint)
			}
			return key, nil
		}
		cfg.CipherSuites = []dtls.CipherSuiteID{
			dtls.TLS_PSK_WITH_AES_128_CCM_8, dtls.TLS_PSK_WITH_AES_128_CCM, dtls.TLS_PSK_WITH_AES_128_GCM_SHA256,
		}
	}
	if setup.cid {
		cfg.ConnectionIDGenerator = dtls.RandomCIDGenerator(8)
	}
	if setup.resumption {
		cfg.SessionStore = &memSessions{m: map[string]dtls.Session{}}
	}
	lis, err := coapnet.NewDTLSListener("udp4", "127.0.0.1:0", cfg)
	if err != nil {
		t.Fatal(err)
	}
	s := &testServer{
		t:      t,
		proxy:  newWireProxy(t, lis.Addr()),
		events: make(chan lwEvent, 64),
		conns:  make(chan *udpclient.Conn, 16),
		live:   map[string]bool{},
	}
	router := mux.NewRouter()
	router.DefaultHandle(mux.HandlerFunc(func(w mux.ResponseWriter, r *mux.Message) { s.serve(w, r, setup) }))
	srv := coapdtls.NewServer(
		options.WithMux(router),
		options.WithOnNewConn(func(cc *udpclient.Conn) {
			s.mu.Lock()
			s.connsSeen = append(s.connsSeen, cc)
			s.mu.Unlock()
			s.conns <- cc
		}),
		options.WithErrors(func(error) {}),
	)
	done := make(chan struct{})
	go func() { _ = srv.Serve(lis); close(done) }()
	t.Cleanup(func() {
		srv.Stop()
		<-done
	})
	return s
}

func (s *testServer) uri() string { return fmt.Sprintf("coaps://127.0.0.1:%d", s.proxy.port()) }

// serve answers the registration and bootstrap interfaces.
func (s *testServer) serve(w mux.ResponseWriter, r *mux.Message, setup serverSetup) {
	path, _ := r.Options().Path()
	path = "/" + strings.TrimPrefix(path, "/")
	ev := lwEvent{path: path, query: map[string]string{}, at: time.Now()}
	if qs, err := r.Options().Queries(); err == nil {
		for _, q := range qs {
			k, v, _ := strings.Cut(q, "=")
			ev.query[k] = v
		}
	}
	if r.Body() != nil {
		b, _ := io.ReadAll(r.Body())
		ev.payload = string(b)
	}
	switch {
	case r.Code() == codes.POST && path == "/rd":
		s.mu.Lock()
		s.nextID++
		loc := fmt.Sprintf("rd/r%d", s.nextID)
		s.live["/"+loc] = true
		s.mu.Unlock()
		ev.kind = "register"
		s.events <- ev
		_ = w.SetResponse(codes.Created, message.TextPlain, nil, message.Option{ID: message.LocationPath, Value: []byte("rd")}, message.Option{ID: message.LocationPath, Value: []byte(strings.TrimPrefix(loc, "rd/"))})
	case r.Code() == codes.POST && strings.HasPrefix(path, "/rd/"):
		ev.kind = "update"
		s.mu.Lock()
		code := codes.Changed
		if s.forget || !s.live[path] {
			s.forget = false
			delete(s.live, path)
			code = codes.NotFound
		}
		s.mu.Unlock()
		s.events <- ev
		_ = w.SetResponse(code, message.TextPlain, nil)
	case r.Code() == codes.DELETE && strings.HasPrefix(path, "/rd/"):
		ev.kind = "deregister"
		s.mu.Lock()
		delete(s.live, path)
		s.mu.Unlock()
		s.events <- ev
		_ = w.SetResponse(codes.Deleted, message.TextPlain, nil)
	case r.Code() == codes.POST && path == "/bs":
		ev.kind = "bootstrap"
		s.events <- ev
		_ = w.SetResponse(codes.Changed, message.TextPlain, nil)
		if setup.onBootstrap != nil {
			go setup.onBootstrap(w.Conn())
		}
	default:
		_ = w.SetResponse(codes.NotFound, message.TextPlain, nil)
	}
}

// next waits for the next event of kind, failing on any other kind.
func (s *testServer) next(kind string, within time.Duration) lwEvent {
	s.t.Helper()
	select {
	case ev := <-s.events:
		if ev.kind != kind {
			s.t.Fatalf("server got %s %s, want %s", ev.kind, ev.path, kind)
		}
		return ev
	case <-time.After(within):
		s.t.Fatalf("no %s within %s", kind, within)
	}
	return lwEvent{}
}

// conn waits for the next client connection.
func (s *testServer) conn(within time.Duration) *udpclient.Conn {
	s.t.Helper()
	select {
	case cc := <-s.conns:
		return cc
	case <-time.After(within):
		s.t.Fatalf("no client connection within %s", within)
	}
	return nil
}

// request sends a request to the client and returns code and payload.
func request(t *testing.T, cc *udpclient.Conn, code codes.Code, path string, cf message.MediaType, body []byte, mods ...func(*pool.Message)) (codes.Code, message.MediaType, []byte) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	var payload io.ReadSeeker
	if body != nil {
		payload = bytes.NewReader(body)
	}
	req := cc.AcquireMessage(ctx)
	defer cc.ReleaseMessage(req)
	tok, err := message.GetToken()
	if err != nil {
		t.Fatal(err)
	}
	req.SetCode(code)
	req.SetToken(tok)
	if err := req.SetPath(path); err != nil {
		t.Fatal(err)
	}
	for _, m := range mods {
		m(req)
	}
	req.SetType(message.Confirmable)
	if payload != nil {
		req.SetContentFormat(cf)
		req.SetBody(payload)
	}
	resp, err := cc.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", code, path, err)
	}
	defer cc.ReleaseMessage(resp)
	var b []byte
	if resp.Body() != nil {
		b, _ = io.ReadAll(resp.Body())
	}
	rcf, _ := resp.ContentFormat()
	return resp.Code(), rcf, b
}

// freeUDPAddr returns a loopback address nothing listens on.
func freeUDPAddr(t *testing.T) string {
	t.Helper()
	pc, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := pc.LocalAddr().String()
	_ = pc.Close()
	return addr
}

func withAccept(f message.MediaType) func(*pool.Message) {
	return func(m *pool.Message) { m.SetAccept(f) }
}

func withQuery(q string) func(*pool.Message) {
	return func(m *pool.Message) { m.AddQuery(q) }
}

func bytesReader(b []byte) io.ReadSeeker { return bytes.NewReader(b) }
