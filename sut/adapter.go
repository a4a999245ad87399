// Package sut starts the implementation under test for one case: the
// in-process reference client, any client through an exec profile, or a
// client provisioned through the harness bootstrap server.
package sut

import (
	"context"
	"crypto/x509"
	"slices"
	"time"
)

// Adapter starts a SUT provisioned for one case.
type Adapter interface {
	Name() string
	Capabilities() Capabilities
	// Baseline returns the profile's known deviation for a case id, and
	// whether there is one.
	Baseline(caseID string) (Deviation, bool)
	Start(ctx context.Context, t Target) (Instance, error)
}

// Instance is one running SUT.
type Instance interface {
	// Stop ends the SUT now (whole process group for exec); idempotent.
	Stop() error
	// Done is closed when the SUT ended by itself; Err then says how.
	Done() <-chan struct{}
	Err() error
	// Output is what the SUT printed (exec) or logged (in-process).
	Output() string
	// Command is the exact command line, "" in-process.
	Command() string
}

// Capabilities are what a profile declares its SUT supports; cases of
// unclaimed features are skipped with the reason, not failed.
type Capabilities struct {
	CID            bool          `yaml:"cid"`
	Resumption     bool          `yaml:"resumption"`
	EST            bool          `yaml:"est"`
	Bootstrap      bool          `yaml:"bootstrap"`
	MaxPSKLen      int           `yaml:"max_psk_len"`     // bytes; 0 = undeclared
	RealTimeClock  bool          `yaml:"real_time_clock"` // can check certificate validity periods
	SNI            bool          `yaml:"sni"`             // supports /0/x/14
	CipherSuites   bool          `yaml:"cipher_suites"`   // supports /0/x/16
	CertUsage      bool          `yaml:"cert_usage"`      // supports /0/x/15
	FlightInterval time.Duration `yaml:"flight_interval"` // initial retransmission timer
	// FlightBackoff multiplies the timer at each retransmission (Mbed TLS
	// and RFC 6347 §4.2.4.1: 2; 0 = 2); MaxFlightInterval caps it (0 = 60 s).
	FlightBackoff     float64       `yaml:"flight_backoff"`
	MaxFlightInterval time.Duration `yaml:"max_flight_interval"`
	// AcceptOn is what counts as acceptance: "register" (default, an LwM2M
	// client) or "handshake" (a DTLS stack or tool without LwM2M: the
	// handshake completed and the SUT sent application data).
	AcceptOn string `yaml:"accept_on" values:"register,handshake"`
	// CertificateProfile names the profile (certlint: lwm2m-device,
	// lwm2m-bootstrap-device, ocf-identity, ocf-role, or a file) that the
	// SUT's own certificate must follow; every chain it presents is
	// linted, with the case's endpoint name as the expected CN.
	CertificateProfile  string `yaml:"certificate_profile"`
	CertificateAccount  string `yaml:"certificate_account"`   // expected subject OU
	CertificateMaxDepth int    `yaml:"certificate_max_depth"` // longest chain allowed; 0 = not checked
	// RebindRecovery is how long the SUT takes, without a Connection ID, to
	// notice a NAT rebinding and recover with a new handshake.
	RebindRecovery time.Duration `yaml:"rebind_recovery"`
	// Modes are the security modes the SUT supports; none listed = all.
	Modes []string `yaml:"modes" values:"psk,cert,nosec"`
}

// SupportsMode reports whether the SUT supports security mode m (psk,
// cert or nosec). A profile that lists no modes supports all of them, as
// profiles did before the key existed.
func (c Capabilities) SupportsMode(m string) bool {
	return len(c.Modes) == 0 || slices.Contains(c.Modes, m)
}

// Target is everything the SUT needs for one case, already materialised.
type Target struct {
	CaseID    string
	Endpoint  string
	ServerURI string // coaps://host:port (or coap:// for nosec)
	Mode      string // cert | psk | nosec
	LwM2M     string // "1.1"

	PSKIdentity string
	PSKKey      []byte

	Usage           int    // /0/x/15; -1 = unset
	ServerPublicKey []byte // /0/x/4 DER; nil = empty
	TrustStore      []*x509.Certificate
	SNI             string   // /0/x/14; "" = unset
	CipherSuites    []uint16 // /0/x/16; nil = unset
	ClientCertDER   []byte
	ClientKeyPKCS8  []byte

	ConnectionID bool // ask the SUT to negotiate a CID (cid cases)

	// Bootstrap makes ServerURI a bootstrap server, reached with Mode and
	// the credentials above; the SUT gets its server accounts from it
	// (est cases). Only adapters with BootstrapTargets support it.
	Bootstrap bool
	// Mode4URI, with Bootstrap, is the LwM2M server that bootstrap server
	// provisions in Security Mode 4 (est cases). An adapter that writes
	// the accounts itself (the bootstrap adapter) writes that one.
	Mode4URI string

	// Lifetime is the registration lifetime (/1/x/1); 0 = the adapter's
	// default. Short lifetimes make the SUT send Updates soon (rebind cases).
	Lifetime time.Duration
	// StateFile is where the SUT persists its data model and DTLS sessions
	// (restart cases resume from it); "" = no persistence.
	StateFile string

	// Dir is the case's evidence directory: exec profiles get files written
	// there (see Files), and the SUT's key log goes to KeyLogFile.
	Dir        string
	KeyLogFile string
	Verbose    bool
}

// credentials are the SUT's own credentials for its mode: the PSK identity
// and key, or its certificate and PKCS#8 key; none in NoSec.
func (t Target) credentials() (identity, secret []byte) {
	switch t.Mode {
	case "psk":
		return []byte(t.PSKIdentity), t.PSKKey
	case "cert":
		return t.ClientCertDER, t.ClientKeyPKCS8
	}
	return nil, nil
}
