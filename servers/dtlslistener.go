package servers

import (
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pion/dtls/v2"
	coapNet "github.com/plgd-dev/go-coap/v3/net"

	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/servers/dtlswire"
)

// dtlsListener runs a server handshake for every session the packet listener
// accepts and hands finished connections to go-coap through
// AcceptWithContext (the dtls/server.Listener interface). Handshakes run in
// parallel, so one silent client never delays another.
type dtlsListener struct {
	pl       *packetListener
	sec      *DTLS
	base     *dtls.Config
	rec      *recorder
	ctx      context.Context
	cancel   context.CancelFunc
	accepted chan *acceptedConn
	wg       sync.WaitGroup
	once     sync.Once
}

// acceptedConn is a finished DTLS connection with the session it ran on, so
// CoAP handlers can tie requests to the handshake events.
type acceptedConn struct {
	*dtls.Conn
	session *sessionConn
}

func newDTLSListener(pl *packetListener, sec *DTLS, base *dtls.Config, rec *recorder) *dtlsListener {
	ctx, cancel := context.WithCancel(context.Background())
	l := &dtlsListener{
		pl:       pl,
		sec:      sec,
		base:     base,
		rec:      rec,
		ctx:      ctx,
		cancel:   cancel,
		accepted: make(chan *acceptedConn),
	}
	l.wg.Add(1)
	go l.run()
	return l
}

func (l *dtlsListener) run() {
	defer l.wg.Done()
	for {
		s, err := l.pl.accept(l.ctx)
		if err != nil {
			return
		}
		l.wg.Add(1)
		go l.handshake(s)
	}
}

func (l *dtlsListener) handshake(s *sessionConn) {
	defer l.wg.Done()
	ctx, cancel := context.WithTimeout(l.ctx, l.sec.handshakeTimeout())
	defer cancel()
	conn, err := dtls.ServerWithContext(ctx, s, s.raddr, l.sec.sessionConfig(l.base, s))
	if err != nil {
		_ = s.Close()
		if l.ctx.Err() == nil { // not a shutdown
			l.handshakeFail(s, err)
		}
		return
	}
	s.established.Store(true)
	l.handshakeDone(s, conn)
	select {
	case l.accepted <- &acceptedConn{Conn: conn, session: s}:
	case <-l.ctx.Done():
		_ = conn.Close()
	}
}

func (l *dtlsListener) handshakeDone(s *sessionConn, conn *dtls.Conn) {
	st := conn.ConnectionState()
	suite := dtlswire.CipherSuiteName(uint16(st.CipherSuiteID))
	f := map[string]string{
		"session":  s.id,
		"remote":   conn.RemoteAddr().String(),
		"suite":    suite,
		"suite_id": fmt.Sprintf("0x%04X", uint16(st.CipherSuiteID)),
		"cid":      hex.EncodeToString(s.wire.localCID()),
		"resumed":  strconv.FormatBool(s.wire.resumed()),
	}
	if sni, ok := s.wire.sni(); ok {
		f["sni"] = sni
	}
	if len(st.IdentityHint) > 0 {
		f["psk_identity"] = string(st.IdentityHint)
	}
	if len(st.PeerCertificates) > 0 {
		if c, err := x509.ParseCertificate(st.PeerCertificates[0]); err == nil {
			f["peer_subject"] = c.Subject.String()
		}
		// The chain the SUT presented, for certificate-profile checks:
		// base64 DER, leaf first (certificates are public).
		chain := make([]string, len(st.PeerCertificates))
		for i, der := range st.PeerCertificates {
			chain[i] = base64.StdEncoding.EncodeToString(der)
		}
		f["peer_chain"] = strings.Join(chain, ",")
	}
	l.rec.add(time.Now(), events.HandshakeDone,
		fmt.Sprintf("DTLS handshake with %s done: %s", f["remote"], suite), f)
}

func (l *dtlsListener) handshakeFail(s *sessionConn, err error) {
	f := map[string]string{
		"session": s.id,
		"remote":  s.raddr.String(),
		"error":   err.Error(),
	}
	if a := s.wire.lastAlert(); a != nil {
		f["alert"] = a.Name
	}
	s.wire.mu.Lock()
	if s.wire.pskSeen {
		f["psk_identity"] = s.wire.pskIdentity
	}
	s.wire.mu.Unlock()
	if errors.Is(err, context.DeadlineExceeded) {
		f["timeout"] = "true"
	}
	l.rec.add(time.Now(), events.HandshakeFail,
		fmt.Sprintf("DTLS handshake with %s failed: %v", s.raddr, err), f)
}

// AcceptWithContext implements go-coap's dtls/server.Listener.
func (l *dtlsListener) AcceptWithContext(ctx context.Context) (net.Conn, error) {
	select {
	case c := <-l.accepted:
		return c, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-l.ctx.Done():
		return nil, coapNet.ErrListenerIsClosed
	}
}

// Close aborts running handshakes, closes the socket and every session, and
// waits for the handshake goroutines.
func (l *dtlsListener) Close() error {
	var err error
	l.once.Do(func() {
		l.cancel()
		err = l.pl.Close()
		l.wg.Wait()
	})
	return err
}
