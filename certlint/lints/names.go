package lints

import (
	"encoding/asn1"
	"fmt"
	"strconv"
	"strings"
)

// ekuOIDs are the extended key usages profiles name; anything else is
// written as a dotted OID.
var ekuOIDs = map[string]string{
	"serverAuth":          "1.3.6.1.5.5.7.3.1",
	"clientAuth":          "1.3.6.1.5.5.7.3.2",
	"anyExtendedKeyUsage": "2.5.29.37.0",
	"ocf-identity":        "1.3.6.1.4.1.44924.1.6",
	"ocf-role":            "1.3.6.1.4.1.44924.1.7",
}

// EKUOID resolves an EKU name or dotted OID to the dotted OID.
func EKUOID(name string) (string, error) {
	if oid, ok := ekuOIDs[name]; ok {
		return oid, nil
	}
	if _, err := parseOID(name); err != nil {
		return "", fmt.Errorf("unknown extended key usage %q (want serverAuth, clientAuth, anyExtendedKeyUsage, ocf-identity, ocf-role or a dotted OID)", name)
	}
	return name, nil
}

// EKUName is the profile name of a dotted OID, or the OID itself.
func EKUName(oid string) string {
	for n, o := range ekuOIDs {
		if o == oid {
			return n
		}
	}
	return oid
}

func parseOID(s string) (asn1.ObjectIdentifier, error) {
	parts := strings.Split(s, ".")
	if len(parts) < 2 {
		return nil, fmt.Errorf("not an OID: %q", s)
	}
	oid := make(asn1.ObjectIdentifier, len(parts))
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("not an OID: %q", s)
		}
		oid[i] = n
	}
	return oid, nil
}

// keyUsageBits are the keyUsage bits by their RFC 5280 names, bit 0 first.
var keyUsageBits = []string{"digitalSignature", "contentCommitment", "keyEncipherment", "dataEncipherment",
	"keyAgreement", "keyCertSign", "cRLSign", "encipherOnly", "decipherOnly"}
