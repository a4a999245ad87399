package dtlswire

import "fmt"

// groupNames holds the IANA names of the supported_groups values (RFC 8422, RFC 7919).
var groupNames = map[uint16]string{
	21:     "secp224r1",
	22:     "secp256k1",
	23:     "secp256r1",
	24:     "secp384r1",
	25:     "secp521r1",
	26:     "brainpoolP256r1",
	27:     "brainpoolP384r1",
	28:     "brainpoolP512r1",
	29:     "x25519",
	30:     "x448",
	256:    "ffdhe2048",
	257:    "ffdhe3072",
	258:    "ffdhe4096",
	0x11EC: "X25519MLKEM768",
}

// GroupName names a supported_groups value; GREASE values are "GREASE",
// anything else unknown is rendered as hex.
func GroupName(g uint16) string {
	if n, ok := groupNames[g]; ok {
		return n
	}
	if IsGREASE(g) {
		return "GREASE"
	}
	return fmt.Sprintf("0x%04X", g)
}
