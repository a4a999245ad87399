package chain

import (
	"fmt"
	"time"
)

func init() {
	register("chain_depth", "The chain holds no more certificates than the configured maximum depth.", depth)
	register("chain_pem_only", "A chain of more than one certificate is stored as PEM.", pemOnly)
	register("chain_not_before_issuer", "The leaf's notBefore is later than its issuer's notBefore.", notBeforeIssuer)
}

// depth counts certificates, leaf included: a leaf with one intermediate
// and the root is depth 3. Without a configured maximum there is nothing
// to compare (seed 004: the depth is a configuration parameter).
func depth(in Input) []Problem {
	if in.MaxDepth > 0 && len(in.Certs) > in.MaxDepth {
		return []Problem{{Msg: fmt.Sprintf("chain of %d certificates, more than the maximum depth %d", len(in.Certs), in.MaxDepth)}}
	}
	return nil
}

// pemOnly only judges chains read from files; a handshake has no encoding.
func pemOnly(in Input) []Problem {
	if len(in.Certs) > 1 && in.Encoding != "" && in.Encoding != "pem" {
		return []Problem{{Msg: fmt.Sprintf("chain of %d certificates stored as %s, not PEM", len(in.Certs), in.Encoding)}}
	}
	return nil
}

func notBeforeIssuer(in Input) []Problem {
	if len(in.Certs) < 2 {
		return []Problem{{Msg: "leaf notBefore not compared: no issuer certificate given", Unchecked: true}}
	}
	leaf, iss := in.Certs[0], in.Certs[1]
	if !leaf.NotBefore.After(iss.NotBefore) {
		return []Problem{{Msg: fmt.Sprintf("notBefore %s is not later than the issuer's notBefore %s",
			leaf.NotBefore.UTC().Format(time.RFC3339), iss.NotBefore.UTC().Format(time.RFC3339))}}
	}
	return nil
}
