// Package certgen materialises declarative PKI "worlds" (YAML specs) into
// keys and X.509 certificates, in memory and as files with a manifest.
package certgen

import "net"

// World is one parsed PKI spec. It keeps the file it came from so that
// later errors can point at it.
type World struct {
	Name, Description, File string
	Certs                   []*CertSpec
	TrustStores             []*TrustStoreSpec

	lines map[string]int // field -> line, from Parse; "" is the document
}

// CertSpec declares one certificate. Enumerated fields hold the spec
// vocabulary (for example Kind "intermediate", Key "p384"); Parse has already
// filled defaults and checked every value.
type CertSpec struct {
	Name    string
	Kind    string // root | intermediate | leaf | self-signed
	Role    string // server | client for leaf kinds, "ca" for root and intermediate
	Issuer  string // empty for root and self-signed
	Subject Subject
	// DNS and IPs fill the subjectAltName extension; when both are empty
	// the certificate has no such extension and only the CN names the host.
	DNS              []string
	IPs              []net.IP
	Key              string   // p256 | p384 | ed25519 | rsa2048
	Validity         string   // valid | expired | not-yet-valid
	EKU              []string // nil: default for the kind and role; empty: no EKU extension
	BasicConstraints string   // correct | missing | wrong
	KeyUsage         string   // correct | missing | wrong; "" when KeyUsageBits is set
	// KeyUsageBits names the keyUsage bits outright (spec: key_usage given
	// as a list); nil leaves them to KeyUsage, empty omits the extension.
	KeyUsageBits []string
	// DirNames are directoryName entries of the subjectAltName extension,
	// as OCF role certificates carry their role in one.
	DirNames []Subject
	// NotBefore and Lifetime override the window Validity chooses: an
	// offset from generation time ("-30m", "+1h", "-2d") and the span from
	// NotBefore to NotAfter ("10y", "3650d"). Empty keeps the default.
	NotBefore, Lifetime string
	// Serial fixes the serial number; 0 draws a random one.
	Serial int64

	lines map[string]int // field -> line, from Parse; "" is the entry itself
}

// Subject is the distinguished name of a certificate.
type Subject struct {
	CN, O, OU string
}

// TrustStoreSpec names a set of certificates of the same world.
type TrustStoreSpec struct {
	Name  string
	Certs []string

	lines map[string]int // field -> line, from Parse; "" is the entry itself
}

// Vocabulary of the enumerated spec fields, in the order error messages list them.
var (
	kinds             = []string{"root", "intermediate", "leaf", "self-signed"}
	roles             = []string{"server", "client"}
	keyTypes          = []string{"p256", "p384", "ed25519", "rsa2048"}
	validities        = []string{"valid", "expired", "not-yet-valid"}
	ekuNames          = []string{"serverAuth", "clientAuth", "ocf-identity", "ocf-role", "any"}
	keyUsageNames     = []string{"digitalSignature", "contentCommitment", "keyEncipherment", "dataEncipherment", "keyAgreement", "keyCertSign", "cRLSign"}
	correctnessLevels = []string{"correct", "missing", "wrong"}
)

// RoleCA is the role of root and intermediate certificates.
const RoleCA = "ca"

// isCAKind reports whether certificates of this kind may issue others.
func isCAKind(kind string) bool { return kind == "root" || kind == "intermediate" }

// selfIssued reports whether certificates of this kind sign themselves.
func selfIssued(kind string) bool { return kind == "root" || kind == "self-signed" }
