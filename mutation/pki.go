package mutation

import (
	"fmt"
	"net"
	"strings"

	"github.com/lwm2m-conform/lwm2m-conform/certgen"
)

// cert is what the evaluator needs of one certificate, read from the
// world specs: nothing is materialised.
type cert struct {
	ref    string
	ca     bool   // root or intermediate: may name an anchor in /0/x/4
	issuer string // ref; itself for a root or self-signed certificate
	valid  bool   // inside its validity period now
	window bool   // an explicit not_before/lifetime: validity not modelled
	dns    []string
	ips    []net.IP
	cn     string
	p256   bool // an ECDSA P-256 key
}

// PKI is every certificate of the worlds, by "world/name".
type PKI map[string]cert

// NewPKI reads the world specs.
func NewPKI(worlds []*certgen.World) (PKI, error) {
	p := PKI{}
	for _, w := range worlds {
		for _, c := range w.Certs {
			ref := w.Name + "/" + c.Name
			issuer := ref
			if c.Issuer != "" {
				issuer = w.Name + "/" + c.Issuer
			}
			p[ref] = cert{ref: ref, ca: c.Kind == "root" || c.Kind == "intermediate", issuer: issuer,
				valid:  c.Validity == "" || c.Validity == "valid",
				window: c.NotBefore != "" || c.Lifetime != "", dns: c.DNS, ips: c.IPs, cn: c.Subject.CN,
				p256: c.Key == "" || c.Key == "p256"}
		}
	}
	return p, nil
}

func (p PKI) get(ref string) (cert, error) {
	c, ok := p[ref]
	if !ok {
		return cert{}, fmt.Errorf("unknown certificate %q", ref)
	}
	return c, nil
}

// inPeriod is the validity check. An explicit window would need the clock
// here; the catalogue's server PKIs use the validity vocabulary only.
func (c cert) inPeriod() (bool, error) {
	if c.window {
		return false, fmt.Errorf("%s: not_before/lifetime are not modelled", c.ref)
	}
	return c.valid, nil
}

// matches is the host-name check: an IP literal against iPAddress SANs; a
// name against dNSName SANs (a wildcard standing for exactly the
// left-most label), against the CN only when there is no SAN at all
// (RFC 6125 §6.4.4; DESIGN-NOTES: CN-only certificates).
func (c cert) matches(name string) bool {
	if ip := net.ParseIP(strings.Trim(name, "[]")); ip != nil {
		for _, x := range c.ips {
			if x.Equal(ip) {
				return true
			}
		}
		return false
	}
	names := c.dns
	if len(c.dns) == 0 && len(c.ips) == 0 {
		names = []string{c.cn}
	}
	for _, n := range names {
		if hostMatch(n, name) {
			return true
		}
	}
	return false
}

func hostMatch(pattern, name string) bool {
	pattern, name = strings.ToLower(pattern), strings.ToLower(name)
	if rest, ok := strings.CutPrefix(pattern, "*."); ok {
		label, tail, found := strings.Cut(name, ".")
		return found && label != "" && tail == rest
	}
	return pattern == name
}
