// Package catalog loads the committed case tables (fixtures/catalog) and
// expands their decision tables into concrete cases, each carrying its
// expected verdict and the source sentence that verdict comes from.
package catalog

// Expect is the verdict a conforming client must reach.
type Expect string

const (
	Accept Expect = "accept"
	Reject Expect = "reject"
)

// Basis says where an expectation comes from. Unspecified cells are
// recorded as INFO and never fail a run.
type Basis string

const (
	BasisSeed        Basis = "seed"
	BasisRFC         Basis = "rfc"
	BasisUnspecified Basis = "unspecified"
)

// UsageUnset marks an absent Certificate Usage resource (/0/x/15).
const UsageUnset = -1

// Case is one catalogued conformance case, fully resolved.
type Case struct {
	ID          string            `json:"id"`
	Area        string            `json:"area"`
	Labels      []string          `json:"labels"`
	Description string            `json:"description"`
	Source      string            `json:"source"`
	Basis       Basis             `json:"basis"`
	Expect      Expect            `json:"expect"`
	Unvalidated bool              `json:"unvalidated,omitempty"` // the expected acceptance happens without any server validation: WARN
	Dimensions  map[string]string `json:"dimensions,omitempty"`  // matrix coordinates, e.g. usage=u0 spk=root ts=root chain=leaf-int
	Peer        Peer              `json:"peer"`
	SUT         Provisioning      `json:"sut"`
	Wire        Wire              `json:"wire,omitempty"`
	Scenario    string            `json:"scenario,omitempty"` // what happens after the first Register; see Scenarios
	Impair      *Impairment       `json:"impair,omitempty"`   // run through the impairment proxy; nil = direct
	Requires    []string          `json:"requires,omitempty"` // SUT capabilities the case needs (else SKIP)
	// requiresDefault: Requires still holds the table default's list.
	requiresDefault bool
	StayAlive       bool   `json:"stay_alive,omitempty"` // the SUT must still be running when the case ends
	EST             *EST   `json:"est,omitempty"`        // an est case: EST-coaps server and Security Mode 4 (est.go)
	Origin          string `json:"origin"`               // file:line of the table row or rule that produced the case
}

// Scenarios a case can play after the first Register arrived.
var Scenarios = []string{
	"",        // accepted = handshake + Register
	"rebind",  // NAT rebinding at the proxy, then an Update must arrive (Registration Update Trigger)
	"reboot",  // the server executes /3/0/4; the SUT must reconnect and register again
	"restart", // the harness restarts the SUT with its persisted state; it must register again
}

// Capabilities a case may require, as SUT profiles declare them.
var Capabilities = []string{"cid", "resumption", "max_psk_len", "real_time_clock", "sni", "cipher_suites", "cert_usage"}

// Impairment is what the proxy does to the path.
type Impairment struct {
	Loss       float64  `json:"loss,omitempty"`        // 0..1 random loss, each direction
	DropUp     []int    `json:"drop_up,omitempty"`     // datagrams SUT→server to drop, 1-based
	DropFlight []string `json:"drop_flight,omitempty"` // "server_hello" = the first server flight
	Seed       int64    `json:"seed,omitempty"`        // fixed seed so a failure reproduces
}

// Peer is how the harness server presents itself.
type Peer struct {
	Chain []string `json:"chain,omitempty"` // certificate refs "world/name", leaf first, as sent on the wire
	Key   string   `json:"key,omitempty"`   // ref of the certificate whose private key the server uses

	PSKIdentity  string   `json:"psk_identity,omitempty"`  // the identity the server knows
	PSKKeyLen    int      `json:"psk_key_len,omitempty"`   // length of the server's key for it
	CipherSuites []uint16 `json:"cipher_suites,omitempty"` // the only suites the server accepts; nil = its defaults
	CID          bool     `json:"cid,omitempty"`           // the server offers a Connection ID
}

// Provisioning is what the SUT's Security Object holds for the server.
type Provisioning struct {
	Mode            string   `json:"mode"`                        // cert | psk | nosec
	Usage           int      `json:"usage"`                       // /0/x/15, UsageUnset when absent
	ServerPublicKey string   `json:"server_public_key,omitempty"` // /0/x/4 as a certificate ref; "" = empty
	TrustStore      []string `json:"trust_store,omitempty"`       // certificate refs; nil = no trust store
	ClientCert      string   `json:"client_cert,omitempty"`       // certificate ref whose cert and key the SUT presents
	Host            string   `json:"host"`                        // host part of the server URI: a name or an IP literal
	SNI             string   `json:"sni,omitempty"`               // /0/x/14; "" = unset
	CipherSuites    []uint16 `json:"cipher_suites,omitempty"`     // /0/x/16; nil = unset
	PSKIdentity     string   `json:"psk_identity,omitempty"`      // /0/x/3 in PSK mode
	PSKKeyLen       int      `json:"psk_key_len,omitempty"`       // /0/x/5 length; the key bytes derive from it (PSKKey)
	PSKWrongKey     bool     `json:"psk_wrong_key,omitempty"`     // the SUT holds a different key of that length
	CID             bool     `json:"cid,omitempty"`               // ask the SUT to negotiate a Connection ID
	Lifetime        int      `json:"lifetime,omitempty"`          // /1/x/1 in seconds; 0 = the SUT's default
}

// Wire holds expectations about what the SUT puts on the wire.
type Wire struct {
	SNI   string `json:"sni,omitempty"`    // the server_name the ClientHello must carry
	NoSNI bool   `json:"no_sni,omitempty"` // the ClientHello must carry no server_name extension

	SuitesExactly bool `json:"suites_exactly,omitempty"` // offered suites == /0/x/16 (the renegotiation SCSV aside)
	WeakSuites    bool `json:"weak_suites,omitempty"`    // flag weak suites on offer (WARN CBC-SHA1/3DES, FAIL NULL/anon/export/RC4)
	CID           bool `json:"cid,omitempty"`            // a Connection ID is negotiated
	Resumed       bool `json:"resumed,omitempty"`        // the handshake after the scenario is abbreviated
	SameSession   bool `json:"same_session,omitempty"`   // after the scenario, traffic continues on the first session, no new handshake
}

// HasLabel reports whether the case carries label l (areas are labels too).
func (c *Case) HasLabel(l string) bool {
	if c.Area == l {
		return true
	}
	for _, x := range c.Labels {
		if x == l {
			return true
		}
	}
	return false
}

// PSKKey derives the key bytes of a given length. Keys are deterministic
// so a failing case reproduces byte for byte; the wrong key differs in
// every byte.
func PSKKey(n int, wrong bool) []byte {
	k := make([]byte, n)
	for i := range k {
		k[i] = byte(0x5A ^ i*31 ^ n)
		if wrong {
			k[i] ^= 0xFF
		}
	}
	return k
}
