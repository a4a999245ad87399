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
	Origin      string            `json:"origin"` // file:line of the table row or rule that produced the case
}

// Peer is how the harness server presents itself.
type Peer struct {
	Chain []string `json:"chain,omitempty"` // certificate refs "world/name", leaf first, as sent on the wire
	Key   string   `json:"key,omitempty"`   // ref of the certificate whose private key the server uses
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
}

// Wire holds expectations about what the SUT puts on the wire.
type Wire struct {
	SNI   string `json:"sni,omitempty"`    // the server_name the ClientHello must carry
	NoSNI bool   `json:"no_sni,omitempty"` // the ClientHello must carry no server_name extension
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
