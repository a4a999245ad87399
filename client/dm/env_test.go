package dm

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/client/model"
	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
	"github.com/plgd-dev/go-coap/v3/message"
	"github.com/plgd-dev/go-coap/v3/message/codes"
	"github.com/plgd-dev/go-coap/v3/message/pool"
	coapNet "github.com/plgd-dev/go-coap/v3/net"
	"github.com/plgd-dev/go-coap/v3/options"
	"github.com/plgd-dev/go-coap/v3/udp"
	udpClient "github.com/plgd-dev/go-coap/v3/udp/client"
)

// env runs a Handler behind a go-coap UDP server on loopback and holds a
// go-coap UDP client playing the LwM2M server.
type env struct {
	t    *testing.T
	m    *model.Model
	h    *Handler
	addr string
	srv  *udpClient.Conn
}

func newEnv(t *testing.T, version string) *env {
	t.Helper()
	m := model.New("ep1", version)
	if err := m.PutSecurity(model.Security{Instance: 0, URI: "coaps://bs.example:5684", Bootstrap: true,
		Mode: model.ModePSK, PublicKeyOrIdentity: []byte("bs"), SecretKey: []byte{1}}); err != nil {
		t.Fatal(err)
	}
	if err := m.PutSecurity(model.Security{Instance: 1, URI: "coap://dm.example:5683", Mode: model.ModeNoSec,
		ShortServerID: 101}); err != nil {
		t.Fatal(err)
	}
	if err := m.PutServer(model.Server{Instance: 0, ShortServerID: 101, Lifetime: 300 * time.Second, Binding: "U"}); err != nil {
		t.Fatal(err)
	}
	h := New(m, slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug})))
	l, err := coapNet.NewListenUDP("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := udp.NewServer(options.WithMux(h))
	go func() { _ = s.Serve(l) }()
	addr := l.LocalAddr().String()
	conn, err := udp.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = conn.Close()
		h.Close()
		s.Stop()
		_ = l.Close()
	})
	return &env{t: t, m: m, h: h, addr: addr, srv: conn}
}

// testWriter sends handler logs to the test log.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(b), "\n"))
	return len(b), nil
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	t.Cleanup(cancel)
	return c
}

// resp is a response reduced to what tests check.
type resp struct {
	code     codes.Code
	format   message.MediaType
	hasCF    bool
	body     []byte
	location string
	observe  int64 // -1 without Observe option
}

func toResp(t *testing.T, m *pool.Message) resp {
	t.Helper()
	r := resp{code: m.Code(), observe: -1}
	if cf, err := m.ContentFormat(); err == nil {
		r.format, r.hasCF = cf, true
	}
	if b, err := m.ReadBody(); err == nil {
		r.body = bytes.Clone(b)
	}
	if loc, err := m.Options().LocationPath(); err == nil {
		r.location = loc
	}
	if obs, err := m.Observe(); err == nil {
		r.observe = int64(obs)
	}
	return r
}

func accept(f message.MediaType) message.Option {
	buf := make([]byte, 4)
	n, _ := message.EncodeUint32(buf, uint32(f))
	return message.Option{ID: message.Accept, Value: buf[:n]}
}

// noAccept marks a request without Accept option.
const noAccept message.MediaType = 0xFFFF

// getAccept sends a GET with the given Accept, or none for noAccept.
func (e *env) getAccept(p string, f message.MediaType) resp {
	e.t.Helper()
	if f == noAccept {
		return e.get(p)
	}
	return e.get(p, accept(f))
}

func query(q string) message.Option { return message.Option{ID: message.URIQuery, Value: []byte(q)} }

func (e *env) get(p string, opts ...message.Option) resp {
	e.t.Helper()
	m, err := e.srv.Get(ctx(e.t), p, opts...)
	if err != nil {
		e.t.Fatalf("GET %s: %v", p, err)
	}
	return toResp(e.t, m)
}

// payload turns nil into "no payload" (a nil *bytes.Reader in an
// io.ReadSeeker would not be nil).
func payload(b []byte) io.ReadSeeker {
	if b == nil {
		return nil
	}
	return bytes.NewReader(b)
}

func (e *env) put(p string, f message.MediaType, body []byte, opts ...message.Option) resp {
	e.t.Helper()
	m, err := e.srv.Put(ctx(e.t), p, f, payload(body), opts...)
	if err != nil {
		e.t.Fatalf("PUT %s: %v", p, err)
	}
	return toResp(e.t, m)
}

func (e *env) post(p string, f message.MediaType, body []byte) resp {
	e.t.Helper()
	m, err := e.srv.Post(ctx(e.t), p, f, payload(body))
	if err != nil {
		e.t.Fatalf("POST %s: %v", p, err)
	}
	return toResp(e.t, m)
}

func (e *env) del(p string) resp {
	e.t.Helper()
	m, err := e.srv.Delete(ctx(e.t), p)
	if err != nil {
		e.t.Fatalf("DELETE %s: %v", p, err)
	}
	return toResp(e.t, m)
}

// writeAttrs sends Write-Attributes and expects 2.04.
func (e *env) writeAttrs(p string, qs ...string) {
	e.t.Helper()
	opts := make([]message.Option, len(qs))
	for i, q := range qs {
		opts[i] = query(q)
	}
	if r := e.put(p, 0, nil, opts...); r.code != codes.Changed {
		e.t.Fatalf("write-attributes %s %v: %v %s", p, qs, r.code, r.body)
	}
}

func wantCode(t *testing.T, what string, r resp, want codes.Code) {
	t.Helper()
	if r.code != want {
		t.Fatalf("%s: code %v, want %v (%s)", what, r.code, want, r.body)
	}
}

func mustPath(t *testing.T, s string) lwm2m.Path {
	t.Helper()
	p, err := lwm2m.ParsePath(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func encodeRecs(t *testing.T, f message.MediaType, base string, recs ...lwm2m.Record) []byte {
	t.Helper()
	b, err := lwm2m.Encode(f, mustPath(t, base), recs)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func decodeResp(t *testing.T, r resp, base string) []lwm2m.Record {
	t.Helper()
	if !r.hasCF {
		t.Fatalf("response without Content-Format: %v", r.code)
	}
	recs, err := lwm2m.Decode(r.format, mustPath(t, base), r.body, lwm2m.KindOf)
	if err != nil {
		t.Fatalf("decode %v response for %s: %v", r.format, base, err)
	}
	return recs
}

func rec(t *testing.T, p string, v lwm2m.Value) lwm2m.Record {
	return lwm2m.Record{Path: mustPath(t, p), Value: v}
}
