package verify

import (
	"crypto/x509"
	"fmt"
	"time"
)

const (
	// maxPathLen bounds the certificates on a DANE-TA path below the anchor,
	// leaf included.
	maxPathLen = 8
	// maxSignatureChecks bounds the work a server can cause with a long
	// chain of certificates that sign each other (x509.Verify uses the same
	// figure).
	maxSignatureChecks = 100
)

// daneTAPath builds the shortest path from the presented leaf to anchor
// using only presented certificates (RFC 7671 §5.2): each step goes to a
// presented CA whose key verifies the current certificate's signature, and
// the path ends at a certificate whose signature verifies with the anchor's
// key. A presented copy of the anchor is never part of the path. Every
// certificate on the path must be within its validity period at now; the
// anchor's own period is checked by the caller (daneTA).
func daneTAPath(certs []*x509.Certificate, anchor *x509.Certificate, now time.Time) ([]*x509.Certificate, *failure) {
	if equalRaw(certs[0], anchor) {
		return nil, &failure{"leaf-is-anchor", "the presented leaf is the Server Public Key itself; a DANE-TA anchor must issue the server certificate, not be it"}
	}
	path, fail := shortestPath(certs, anchor, now, true)
	if fail != nil {
		return nil, fail
	}
	if path != nil {
		return path, nil
	}
	// No path through valid certificates: say whether one exists at all.
	full, fail := shortestPath(certs, anchor, now, false)
	if fail != nil {
		return nil, fail
	}
	for depth, c := range full {
		if msg := validityError(c, now); msg != "" {
			return nil, &failure{"outside-validity", fmt.Sprintf("certificate %s at depth %d on the path to the Server Public Key %s", describe(c), depth, msg)}
		}
	}
	return nil, &failure{"no-path-to-spk", fmt.Sprintf("no chain of at most %d presented certificates leads from the leaf %s to the Server Public Key %s", maxPathLen, describe(certs[0]), describe(anchor))}
}

// shortestPath is a breadth-first search over the presented certificates,
// leaf first; with onlyValid it skips certificates outside their validity
// period. It returns nil, nil when no path exists.
func shortestPath(certs []*x509.Certificate, anchor *x509.Certificate, now time.Time, onlyValid bool) ([]*x509.Certificate, *failure) {
	checks := 0
	signs := func(child, parent *x509.Certificate) (bool, *failure) {
		if checks++; checks > maxSignatureChecks {
			return false, &failure{"too-many-signature-checks", fmt.Sprintf("gave up building the DANE-TA path after %d signature checks over %d presented certificates", maxSignatureChecks, len(certs))}
		}
		return child.CheckSignatureFrom(parent) == nil, nil
	}
	parent := make([]int, len(certs))
	depth := make([]int, len(certs))
	seen := make([]bool, len(certs))
	seen[0], parent[0], depth[0] = true, -1, 1
	for queue := []int{0}; len(queue) > 0; queue = queue[1:] {
		i := queue[0]
		if onlyValid && validityError(certs[i], now) != "" {
			continue
		}
		ok, fail := signs(certs[i], anchor)
		if fail != nil {
			return nil, fail
		}
		if ok {
			return walkBack(certs, parent, i), nil
		}
		if depth[i] == maxPathLen {
			continue
		}
		for j, c := range certs {
			if seen[j] || !c.IsCA || equalRaw(c, anchor) {
				continue
			}
			ok, fail := signs(certs[i], c)
			if fail != nil {
				return nil, fail
			}
			if ok {
				seen[j], parent[j], depth[j] = true, i, depth[i]+1
				queue = append(queue, j)
			}
		}
	}
	return nil, nil
}

// walkBack lists the path from the leaf to certificate i.
func walkBack(certs []*x509.Certificate, parent []int, i int) []*x509.Certificate {
	var rev []*x509.Certificate
	for ; i >= 0; i = parent[i] {
		rev = append(rev, certs[i])
	}
	path := make([]*x509.Certificate, len(rev))
	for k, c := range rev {
		path[len(rev)-1-k] = c
	}
	return path
}

// validityError says how c is outside its validity period at now, or "".
func validityError(c *x509.Certificate, now time.Time) string {
	switch {
	case now.Before(c.NotBefore):
		return fmt.Sprintf("is not valid before %s (now %s)", c.NotBefore.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	case now.After(c.NotAfter):
		return fmt.Sprintf("expired at %s (now %s)", c.NotAfter.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	return ""
}
