package client

import (
	"encoding/binary"
	"errors"
	"net"
	"sync"
	"testing"
	"time"
)

// datagram is one UDP payload seen by the wire proxy.
type datagram struct {
	fromClient bool
	at         time.Time
	data       []byte
}

// wireProxy sits between the client and the test server and records every
// datagram both ways, as the harness's proxy does: it is how the tests see
// the ClientHello and alerts exactly as sent.
type wireProxy struct {
	pc       *net.UDPConn
	upstream *net.UDPAddr

	mu    sync.Mutex
	log   []datagram
	peers map[string]*net.UDPConn
	wg    sync.WaitGroup
}

func newWireProxy(t *testing.T, upstream net.Addr) *wireProxy {
	t.Helper()
	pc, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	p := &wireProxy{pc: pc, upstream: upstream.(*net.UDPAddr), peers: map[string]*net.UDPConn{}}
	p.wg.Add(1)
	go p.fromClients()
	t.Cleanup(p.close)
	return p
}

func (p *wireProxy) port() int { return p.pc.LocalAddr().(*net.UDPAddr).Port }

func (p *wireProxy) record(fromClient bool, b []byte) {
	p.mu.Lock()
	p.log = append(p.log, datagram{fromClient: fromClient, at: time.Now(), data: append([]byte(nil), b...)})
	p.mu.Unlock()
}

func (p *wireProxy) datagrams() []datagram {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]datagram(nil), p.log...)
}

func (p *wireProxy) fromClients() {
	defer p.wg.Done()
	buf := make([]byte, 65536)
	for {
		n, from, err := p.pc.ReadFromUDP(buf)
		if err != nil {
			return
		}
		p.record(true, buf[:n])
		up, err := p.peer(from)
		if err != nil {
			continue
		}
		_, _ = up.Write(buf[:n])
	}
}

// peer returns the upstream socket for one client address, so the server
// sees each client (and each client restart) as its own peer.
func (p *wireProxy) peer(client *net.UDPAddr) (*net.UDPConn, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if c, ok := p.peers[client.String()]; ok {
		return c, nil
	}
	up, err := net.DialUDP("udp4", nil, p.upstream)
	if err != nil {
		return nil, err
	}
	p.peers[client.String()] = up
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		buf := make([]byte, 65536)
		for {
			n, err := up.Read(buf)
			if err != nil {
				var ne net.Error
				if errors.As(err, &ne) && !errors.Is(err, net.ErrClosed) {
					continue // ICMP refused while the server restarts
				}
				return
			}
			p.record(false, buf[:n])
			_, _ = p.pc.WriteToUDP(buf[:n], client)
		}
	}()
	return up, nil
}

func (p *wireProxy) close() {
	_ = p.pc.Close()
	p.mu.Lock()
	for _, c := range p.peers {
		_ = c.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
}

// DTLS record and handshake decoding, just what the tests assert on.

const (
	recAlert      = 21
	recHandshake  = 22
	recCID        = 25 // tls12_cid, RFC 9146
	hsClientHello = 1
	extSNI        = 0
	extCID        = 54
)

type record struct {
	typ   byte
	epoch uint16
	body  []byte
}

// records splits a datagram into DTLS records (no CID records expected
// before the handshake ends, so the plain 13-byte header is used; CID
// records are reported by type only).
func records(d []byte) []record {
	var out []record
	for len(d) >= 13 {
		typ := d[0]
		if typ == recCID {
			out = append(out, record{typ: typ})
			return out
		}
		n := int(binary.BigEndian.Uint16(d[11:13]))
		if len(d) < 13+n {
			return out
		}
		out = append(out, record{typ: typ, epoch: binary.BigEndian.Uint16(d[3:5]), body: d[13 : 13+n]})
		d = d[13+n:]
	}
	return out
}

type clientHello struct {
	suites    []uint16
	sni       string
	hasSNI    bool
	hasCID    bool
	cid       []byte
	sessionID []byte
	cookie    []byte
}

// parseClientHello decodes an unfragmented ClientHello record.
func parseClientHello(r record) (clientHello, bool) {
	var ch clientHello
	b := r.body
	if r.typ != recHandshake || r.epoch != 0 || len(b) < 12 || b[0] != hsClientHello {
		return ch, false
	}
	b = b[12:]
	if len(b) < 35 {
		return ch, false
	}
	b = b[34:] // version, random
	take := func(n int) ([]byte, bool) {
		if len(b) < n {
			return nil, false
		}
		v := b[:n]
		b = b[n:]
		return v, true
	}
	vec8 := func() ([]byte, bool) {
		l, ok := take(1)
		if !ok {
			return nil, false
		}
		return take(int(l[0]))
	}
	vec16 := func() ([]byte, bool) {
		l, ok := take(2)
		if !ok {
			return nil, false
		}
		return take(int(binary.BigEndian.Uint16(l)))
	}
	var ok bool
	if ch.sessionID, ok = vec8(); !ok {
		return ch, false
	}
	if ch.cookie, ok = vec8(); !ok {
		return ch, false
	}
	suites, ok := vec16()
	if !ok {
		return ch, false
	}
	for i := 0; i+1 < len(suites); i += 2 {
		ch.suites = append(ch.suites, binary.BigEndian.Uint16(suites[i:]))
	}
	if _, ok = vec8(); !ok { // compression methods
		return ch, false
	}
	exts, ok := vec16()
	if !ok {
		return ch, true
	}
	for len(exts) >= 4 {
		typ := binary.BigEndian.Uint16(exts)
		n := int(binary.BigEndian.Uint16(exts[2:]))
		if len(exts) < 4+n {
			break
		}
		data := exts[4 : 4+n]
		exts = exts[4+n:]
		switch typ {
		case extSNI:
			ch.hasSNI = true
			if len(data) >= 5 && data[2] == 0 {
				l := int(binary.BigEndian.Uint16(data[3:]))
				if len(data) >= 5+l {
					ch.sni = string(data[5 : 5+l])
				}
			}
		case extCID:
			ch.hasCID = true
			if len(data) >= 1 && len(data) >= 1+int(data[0]) {
				ch.cid = data[1 : 1+int(data[0])]
			}
		}
	}
	return ch, true
}

// clientHellos returns every ClientHello the client sent, in order.
func (p *wireProxy) clientHellos() []clientHello {
	var out []clientHello
	for _, d := range p.datagrams() {
		if !d.fromClient {
			continue
		}
		for _, r := range records(d.data) {
			if ch, ok := parseClientHello(r); ok {
				out = append(out, ch)
			}
		}
	}
	return out
}

// alertSeen is a plaintext alert record with its time.
type alertSeen struct {
	fromClient  bool
	level, desc byte
	at          time.Time
}

func (p *wireProxy) alerts() []alertSeen {
	var out []alertSeen
	for _, d := range p.datagrams() {
		for _, r := range records(d.data) {
			if r.typ == recAlert && r.epoch == 0 && len(r.body) == 2 {
				out = append(out, alertSeen{d.fromClient, r.body[0], r.body[1], d.at})
			}
		}
	}
	return out
}
