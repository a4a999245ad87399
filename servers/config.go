package servers

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/pion/dtls/v2"

	"github.com/lwm2m-conform/lwm2m-conform/events"
)

// DefaultAddr is where a harness peer listens unless told otherwise: an
// ephemeral loopback port, so many cases can run at once.
const DefaultAddr = "127.0.0.1:0"

// DefaultHandshakeTimeout bounds one DTLS handshake on the server side.
const DefaultHandshakeTimeout = 30 * time.Second

// ConnectionIDLength is the length of the connection IDs the server hands
// out when DTLS.ConnectionID is set.
const ConnectionIDLength = 8

// DTLS is the security a harness peer presents. A nil *DTLS in Config means
// NoSec: plain CoAP over UDP.
type DTLS struct {
	// Certificate is the chain exactly as the case presents it (leaf first)
	// with its private key; nil for PSK-only servers.
	Certificate *tls.Certificate
	// PSK maps identity to key; nil means no PSK. An unknown identity fails
	// the handshake (pion answers with internal_error).
	PSK             map[string][]byte
	PSKIdentityHint []byte
	// CipherSuites the server accepts; nil means every suite pion implements
	// for the configured credentials, the LwM2M mandatory CCM_8 suites first.
	CipherSuites []dtls.CipherSuiteID
	// ConnectionID makes the server hand out a ConnectionIDLength-byte CID
	// and route by it (RFC 9146), so a client whose address changes keeps
	// its session.
	ConnectionID bool
	// ClientCAs, when set, makes the server require a client certificate and
	// verify it against this pool.
	ClientCAs *x509.CertPool
	// RequireClientCert requires a client certificate without verifying it
	// when ClientCAs is nil.
	RequireClientCert bool
	// SessionResumption keeps sessions in memory so clients can resume them
	// with an abbreviated handshake.
	SessionResumption bool
	KeyLogWriter      io.Writer
	// FlightInterval is pion's retransmission interval (default 1 s).
	FlightInterval time.Duration
	// HandshakeTimeout defaults to DefaultHandshakeTimeout.
	HandshakeTimeout time.Duration
}

// Config is what every harness server needs.
type Config struct {
	Addr   string      // default DefaultAddr
	DTLS   *DTLS       // nil = NoSec
	Events *events.Log // where the timeline goes; may be nil
	Logger *slog.Logger
	// Verbose also notes datagrams that match no session (for `reproduce`
	// and evidence pages); Record events are recorded either way.
	Verbose bool
	// CapturePath, when set, receives a pcapng capture of every datagram
	// a DTLS server reads and writes (servers/capture.go); NoSec servers
	// are not captured.
	CapturePath string
}

func (c Config) addr() string {
	if c.Addr == "" {
		return DefaultAddr
	}
	return c.Addr
}

// validate reports configuration mistakes before any socket is opened.
func (d *DTLS) validate() error {
	if d.Certificate == nil && d.PSK == nil {
		return errors.New("servers: DTLS needs a Certificate, a PSK map, or both")
	}
	if d.Certificate != nil {
		if len(d.Certificate.Certificate) == 0 {
			return errors.New("servers: DTLS Certificate has an empty chain")
		}
		if d.Certificate.PrivateKey == nil {
			return errors.New("servers: DTLS Certificate has no private key")
		}
	}
	if d.PSK != nil && len(d.PSK) == 0 {
		return errors.New("servers: DTLS PSK map is empty; use nil for no PSK")
	}
	for id, key := range d.PSK {
		if len(key) == 0 {
			return fmt.Errorf("servers: PSK identity %q has an empty key", id)
		}
	}
	if (d.ClientCAs != nil || d.RequireClientCert) && d.Certificate == nil {
		return errors.New("servers: client certificates need a server Certificate (certificate cipher suites)")
	}
	if d.FlightInterval < 0 || d.HandshakeTimeout < 0 {
		return errors.New("servers: negative DTLS FlightInterval or HandshakeTimeout")
	}
	return nil
}

func (d *DTLS) handshakeTimeout() time.Duration {
	if d.HandshakeTimeout == 0 {
		return DefaultHandshakeTimeout
	}
	return d.HandshakeTimeout
}
