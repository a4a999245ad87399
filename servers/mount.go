package servers

import (
	"crypto/x509"

	"github.com/pion/dtls/v2"
	"github.com/plgd-dev/go-coap/v3/message/pool"
	"github.com/plgd-dev/go-coap/v3/net/responsewriter"
	udpClient "github.com/plgd-dev/go-coap/v3/udp/client"
)

// Mount serves a second protocol on the bootstrap server's endpoint, beside
// the bootstrap interface: the EST-coaps server (RFC 9148) of package
// servers/est, on the same DTLS sessions.
//
// A mount sees each CoAP message before go-coap's block-wise layer, so it
// handles Block1 and Block2 itself and can record every block. Handles
// picks the requests it serves; Serve answers one, and the response goes
// out exactly as Serve leaves w's message: the mount sets its type and
// message ID (an ACK with the request's ID for a CON request) and deals
// with duplicates.
type Mount interface {
	Handles(r *pool.Message) bool
	Serve(w *responsewriter.ResponseWriter[*udpClient.Conn], r *pool.Message, peer Peer)
}

// Peer is who sent a request: its DTLS session, its address, and the
// certificate chain it presented in the handshake.
type Peer struct {
	Session string // "s3", the session field of the handshake events; "" for NoSec
	Remote  string
	// Chain is the client's certificate chain, leaf first; nil when it
	// presented none (PSK, NoSec) or a certificate did not parse.
	Chain []*x509.Certificate
}

// peerOf describes the peer of a connection.
func peerOf(cc *udpClient.Conn) Peer {
	p := Peer{Remote: cc.RemoteAddr().String()}
	ac, ok := cc.NetConn().(*acceptedConn)
	if !ok {
		return p
	}
	p.Session, p.Remote = ac.session.id, ac.session.remote().String()
	p.Chain = peerChain(ac.ConnectionState())
	return p
}

func peerChain(st dtls.State) []*x509.Certificate {
	var chain []*x509.Certificate
	for _, der := range st.PeerCertificates {
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return nil
		}
		chain = append(chain, c)
	}
	return chain
}

// serveMount offers req to m; it reports whether m answered it.
func serveMount(m Mount, req *pool.Message, cc *udpClient.Conn) bool {
	if m == nil || !m.Handles(req) {
		return false
	}
	peer := peerOf(cc)
	cc.ProcessReceivedMessageWithHandler(req, func(w *responsewriter.ResponseWriter[*udpClient.Conn], r *pool.Message) {
		m.Serve(w, r, peer)
	})
	return true
}
