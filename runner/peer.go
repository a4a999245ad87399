package runner

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"time"

	"github.com/pion/dtls/v2"

	"github.com/lwm2m-conform/lwm2m-conform/catalog"
	"github.com/lwm2m-conform/lwm2m-conform/certgen"
	"github.com/lwm2m-conform/lwm2m-conform/servers"
	"github.com/lwm2m-conform/lwm2m-conform/sut"
)

// peerDTLS builds the harness server's DTLS identity: exactly the chain the
// case presents (or the PSK it knows), the suites it accepts, whether it
// offers a Connection ID, and the SUT's declared retransmission timer.
func peerDTLS(pki *certgen.Set, c catalog.Case, caps sut.Capabilities, handshakeBound time.Duration) (*servers.DTLS, error) {
	d := &servers.DTLS{
		ConnectionID: c.Peer.CID,
		// Only where a case checks resumption, so that other areas do not
		// also test a client's handling of a server session_id (pion's own
		// client stalls on it when the server flight spans datagrams; the
		// reference client works around that in client/flightgate.go).
		SessionResumption: c.Wire.Resumed,
		FlightInterval:    caps.FlightInterval,
		// The server never gives up on a handshake before the SUT's own
		// declared bound: its timer must not decide a case.
		HandshakeTimeout: handshakeBound + time.Second,
	}
	for _, id := range c.Peer.CipherSuites {
		d.CipherSuites = append(d.CipherSuites, dtls.CipherSuiteID(id))
	}
	switch c.SUT.Mode {
	case "nosec":
		return nil, nil
	case "psk":
		d.PSK = map[string][]byte{c.Peer.PSKIdentity: catalog.PSKKey(c.Peer.PSKKeyLen, false)}
		return d, nil
	case "cert":
	default:
		return nil, fmt.Errorf("%s: unknown security mode %q", c.ID, c.SUT.Mode)
	}
	// Where the profile declares a certificate profile, ask for the SUT's
	// certificate (not verified: the case is about the SUT's judgement of
	// the server) so the chain it presents can be linted. Otherwise the
	// server does not ask, as before: pion does not resume sessions that
	// carried a client certificate.
	d.RequireClientCert = caps.CertificateProfile != ""
	key, err := pki.Cert(c.Peer.Key)
	if err != nil {
		return nil, err
	}
	tc := tls.Certificate{PrivateKey: key.Key}
	for _, ref := range c.Peer.Chain {
		cert, err := pki.Cert(ref)
		if err != nil {
			return nil, err
		}
		tc.Certificate = append(tc.Certificate, cert.DER)
	}
	tc.Leaf, _ = x509.ParseCertificate(tc.Certificate[0])
	d.Certificate = &tc
	return d, nil
}
