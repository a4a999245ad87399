package catalog

import (
	"slices"
	"strings"

	"github.com/lwm2m-conform/lwm2m-conform/internal/yamlpos"
)

// EST is the EST-coaps side of an est case (RFC 9148, seed 002 §10.3):
// how the harness EST server on the bootstrap server's endpoint answers,
// what the LwM2M server presents, and which EST checks the case carries.
// In an est case, SUT and Peer describe the bootstrap account (the SUT's
// bootstrap certificate, the bootstrap server's chain); the LwM2M server
// account the bootstrap server writes is in Security Mode 4.
type EST struct {
	CrtsFormat int    `json:"crts_format,omitempty"` // 281 | 287 without an Accept; 0 = 281
	SenFormat  int    `json:"sen_format,omitempty"`  // the same for sen and sren
	BlockSize  int    `json:"block_size,omitempty"`  // largest block of the EST server, bytes; 0 = 1024
	Fault      string `json:"fault,omitempty"`       // one of ESTFaults, on the first answer to FaultOp
	FaultOp    string `json:"fault_op,omitempty"`    // crts | sen | sren
	MaxAge     int    `json:"max_age,omitempty"`     // seconds, for the retry-later fault
	Validity   int    `json:"validity,omitempty"`    // seconds, of the certificates sen and sren issue; 0 = 3600
	// Server is the LwM2M server's identity: "est" (default), a
	// certificate from the case CA, whose root /crts hands out; "foreign",
	// the chain of Peer (another PKI, absent from /crts).
	Server string   `json:"server,omitempty"`
	Checks []string `json:"checks,omitempty"` // from ESTChecks
}

// ESTFaults are the misbehaviours of the harness EST server.
var ESTFaults = []string{"wrong-key", "unknown-ca", "expired", "truncated-pkcs7", "empty-pkcs7", "wrong-cf",
	"bad-request", "server-error", "retry-later"}

// ESTChecks are the EST checks a case may carry; the runner defines each.
var ESTChecks = []string{
	"order",         // EST requests other than sren come after Bootstrap-Finish
	"path",          // which root the client used, and whether it discovered it (INFO)
	"csr",           // CON POST, Content-Format 286, signature, P-256 and ECDSA-SHA256, CN = endpoint
	"fresh-key",     // the enrolled key is not the bootstrap key
	"issued-cert",   // the client registers presenting the certificate sen issued
	"retry",         // after 5.03, Max-Age waited and the identical CSR resent
	"block2",        // the client fetched every block at the server's block size
	"sren-timing",   // sren when seed 002's default rule says
	"sren-subject",  // the renewal CSR keeps Subject and subjectAltName
	"sren-auth",     // the sren handshake presents the certificate being renewed
	"sren-key",      // whether the key changed (INFO)
	"no-new-enroll", // after a restart, no new crts or sen
}

func parseEST(x yamlpos.Node) (fragment, error) {
	keys, f, err := x.Fields("crts_format", "sen_format", "block_size", "fault", "fault_op", "max_age", "validity", "server", "checks")
	if err != nil {
		return nil, err
	}
	var fr fragment
	set := func(fn func(e *EST)) {
		fr = append(fr, func(c *Case, _ *resolver) {
			if c.EST == nil {
				c.EST = &EST{}
			}
			fn(c.EST)
		})
	}
	for _, k := range keys {
		v := f[k]
		switch k {
		case "crts_format", "sen_format":
			n, err := v.Int(0, 65535)
			if err != nil {
				return nil, err
			}
			if n != 281 && n != 287 {
				return nil, v.Errorf("Content-Format %d: want 281 (pkcs7 certs-only) or 287 (pkix-cert)", n)
			}
			if k == "crts_format" {
				set(func(e *EST) { e.CrtsFormat = n })
			} else {
				set(func(e *EST) { e.SenFormat = n })
			}
		case "block_size":
			n, err := v.Int(16, 1024)
			if err != nil {
				return nil, err
			}
			if n&(n-1) != 0 {
				return nil, v.Errorf("block size %d: want 16, 32, 64, 128, 256, 512 or 1024", n)
			}
			set(func(e *EST) { e.BlockSize = n })
		case "max_age", "validity":
			n, err := v.Int(1, 86400)
			if err != nil {
				return nil, err
			}
			if k == "max_age" {
				set(func(e *EST) { e.MaxAge = n })
			} else {
				set(func(e *EST) { e.Validity = n })
			}
		case "fault", "fault_op", "server":
			s, err := v.Str()
			if err != nil {
				return nil, err
			}
			allowed := map[string][]string{"fault": ESTFaults, "fault_op": {"crts", "sen", "sren"}, "server": {"est", "foreign"}}[k]
			if !slices.Contains(allowed, s) {
				return nil, v.Errorf("unknown value %q (want one of %s)", s, strings.Join(allowed, ", "))
			}
			switch k {
			case "fault":
				set(func(e *EST) { e.Fault = s })
			case "fault_op":
				set(func(e *EST) { e.FaultOp = s })
			default:
				set(func(e *EST) { e.Server = s })
			}
		case "checks":
			checks, err := v.StrOrList()
			if err != nil {
				return nil, err
			}
			for _, ch := range checks {
				if !slices.Contains(ESTChecks, ch) {
					return nil, v.Errorf("unknown EST check %q (want one of %s)", ch, strings.Join(ESTChecks, ", "))
				}
			}
			// A dimension value's checks add to the defaults'.
			set(func(e *EST) {
				for _, ch := range checks {
					if !slices.Contains(e.Checks, ch) {
						e.Checks = append(e.Checks, ch)
					}
				}
			})
		}
	}
	return fr, nil
}

// HasESTCheck reports whether the case carries EST check name.
func (c *Case) HasESTCheck(name string) bool {
	return c.EST != nil && slices.Contains(c.EST.Checks, name)
}
