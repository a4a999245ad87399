package client

import (
	"crypto/x509"
	"io"
	"log/slog"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/client/model"
)

// Options configure a Client. Only Model is required.
type Options struct {
	// Model holds the provisioned Security/Server/Device objects (factory
	// bootstrap), or only a bootstrap Security instance.
	Model *model.Model
	// TrustStore is the client's PKIX trust store; it is not part of the
	// Security object (like Anjay's trust_store_certs). nil = none.
	TrustStore []*x509.Certificate
	Logger     *slog.Logger
	// StateFile, when set, persists the data model and the DTLS sessions
	// (atomic rename, mode 0600) and restores them at New.
	StateFile string
	// KeyLogWriter receives NSS key log lines (SSLKEYLOGFILE format).
	KeyLogWriter io.Writer
	// HandshakeTimeout bounds each DTLS handshake; default 10 s.
	HandshakeTimeout time.Duration
	// FlightInterval is pion's (fixed) retransmission interval; default 1 s.
	FlightInterval time.Duration
	// ConnectionID negotiates DTLS Connection ID (RFC 9146): the client
	// sends the CID the server chose and asks for none itself.
	ConnectionID      bool
	DisableResumption bool
	// Faults names deliberate defects (KnownFaults lists them): a broken
	// client that proves a harness check can fail. Unknown names make New
	// fail; the active ones are logged loudly when Run starts.
	Faults []string
	// FaultDelay is the slow fault's delay; default DefaultFaultDelay.
	FaultDelay time.Duration
	// Die, when set, ends the process at once for crash-after-handshake
	// (the CLI sends itself SIGKILL). In-process it is nil and Run returns
	// a *CrashError instead.
	Die func()
	// InsecureAcceptAnyServer is the accept-any fault, by its older name.
	InsecureAcceptAnyServer bool
	// Now is the clock for certificate validity; default time.Now.
	Now func() time.Time
	// OnHandshake observes every DTLS handshake attempt (tests, harness).
	OnHandshake func(HandshakeInfo)
	// OnRegistered is called after each successful Register with the
	// server's Short Server ID and the registration location.
	OnRegistered func(ssid uint16, location string)

	// DeregisterTimeout bounds the De-register sent when Run's context is
	// cancelled; default 80 ms so that Run returns promptly for the
	// harness. The CLI sets a longer one.
	DeregisterTimeout time.Duration
	// RequestTimeout bounds each request the client sends (Register,
	// Update, Bootstrap-Request); a server that vanished without a
	// close_notify is noticed this way. Default 93 s, MAX_TRANSMIT_WAIT of
	// RFC 7252 §4.8.2 with the default transmission parameters.
	RequestTimeout time.Duration
	// AckTimeout is CoAP's ACK_TIMEOUT for the client's confirmable
	// requests (RFC 7252 §4.8, default 2 s); shorter values retransmit a
	// lost Register or Update sooner on lossy paths.
	AckTimeout time.Duration
	// MaxPSKLen, when set, refuses pre-shared keys longer than this many
	// bytes before any handshake, as an mbed TLS build does with
	// MBEDTLS_PSK_MAX_LEN (seed 001 §5.15.1.3). The client stays up and
	// retries, so a device with a misprovisioned key fails cleanly.
	MaxPSKLen int
	// RetryBase is the first delay before reconnecting after a failure;
	// it doubles up to RetryMax. Defaults 1 s and 60 s.
	RetryBase, RetryMax time.Duration
	// EST configures Security Mode 4 (certificate mode with EST).
	EST ESTOptions
}

// HandshakeInfo describes one DTLS handshake attempt.
type HandshakeInfo struct {
	Server        string // the server URI
	SNI           string // the SNI sent, "" when none
	CipherSuite   string // the suite the server chose
	CipherSuiteID uint16
	Offered       []uint16 // the suites in the ClientHello, in order
	CID           []byte   // the Connection ID this client sends, nil if none
	Resumed       bool
	// Validated is false when the server was accepted without validation
	// (usage 2/3 fallback, or a fault that weakens the verifier). PSK is
	// validated.
	Validated bool
	// Decision is the verifier's one-line reason; Rule its stable id.
	Decision string
	Rule     string
	Err      error
	Duration time.Duration
}

// Status is a snapshot of the client's state.
type Status struct {
	// Registered maps a Short Server ID to the registration location
	// (e.g. "/rd/5a3f").
	Registered    map[uint16]string
	Warnings      []string
	LastHandshake *HandshakeInfo
	// Bootstrapped is true once a Bootstrap-Finish was accepted.
	Bootstrapped bool
}

func (o *Options) applyDefaults() {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.HandshakeTimeout <= 0 {
		o.HandshakeTimeout = 10 * time.Second
	}
	if o.FlightInterval <= 0 {
		o.FlightInterval = time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.FaultDelay <= 0 {
		o.FaultDelay = DefaultFaultDelay
	}
	if o.DeregisterTimeout <= 0 {
		o.DeregisterTimeout = 80 * time.Millisecond
	}
	if o.RequestTimeout <= 0 {
		o.RequestTimeout = maxTransmitWait
	}
	if o.RetryBase <= 0 {
		o.RetryBase = time.Second
	}
	if o.RetryMax <= 0 {
		o.RetryMax = 60 * time.Second
	}
	if o.RetryMax < o.RetryBase {
		o.RetryMax = o.RetryBase
	}
}
