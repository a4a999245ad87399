package verify

import (
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"net"
	"strings"
)

// oidSubjectAltName is id-ce-subjectAltName (RFC 5280 §4.2.1.6).
var oidSubjectAltName = asn1.ObjectIdentifier{2, 5, 29, 17}

// CheckName checks that leaf is issued for name, the reference identity (the
// SNI resource if set, else the server URI host).
//
// An IP literal (v4, v6, optionally in brackets) must equal one of the IP
// SANs; DNS SANs and the CN are never used for it. A DNS name is compared
// case-insensitively with each DNS SAN, where "*.example.test" matches
// exactly one left-most label. The subject CN is compared the same way only
// when the certificate has no subjectAltName extension at all (RFC 6125
// §6.4.4).
func CheckName(leaf *x509.Certificate, name string) error {
	if leaf == nil {
		return errors.New("no certificate to check the name against")
	}
	if name == "" {
		return errors.New("no reference identity: neither SNI nor a server URI host is set")
	}
	if ip := parseIPLiteral(name); ip != nil {
		return checkIP(leaf, name, ip)
	}
	host := strings.TrimSuffix(name, ".")
	if !validHostname(host) {
		return fmt.Errorf("reference identity %q is neither an IP address nor a valid DNS name", name)
	}
	for _, san := range leaf.DNSNames {
		if matchDNS(san, host) {
			return nil
		}
	}
	if hasSANExtension(leaf) {
		return fmt.Errorf("name %q matches none of the certificate's DNS SANs %q", name, leaf.DNSNames)
	}
	cn := leaf.Subject.CommonName
	if cn != "" && matchDNS(cn, host) {
		return nil
	}
	return fmt.Errorf("name %q does not match subject CN %q (certificate has no SAN extension)", name, cn)
}

// parseIPLiteral returns the address in s ("192.0.2.1", "2001:db8::1",
// "[2001:db8::1]"), or nil when s is not an IP literal.
func parseIPLiteral(s string) net.IP {
	if len(s) > 2 && s[0] == '[' && s[len(s)-1] == ']' {
		s = s[1 : len(s)-1]
	}
	return net.ParseIP(s)
}

func checkIP(leaf *x509.Certificate, name string, ip net.IP) error {
	for _, have := range leaf.IPAddresses {
		if have.Equal(ip) {
			return nil
		}
	}
	if len(leaf.IPAddresses) == 0 {
		return fmt.Errorf("IP address %s: certificate has no IP SAN (DNS SANs and CN are not used for IP addresses)", name)
	}
	return fmt.Errorf("IP address %s matches none of the certificate's IP SANs %v", name, leaf.IPAddresses)
}

// hasSANExtension reports whether the certificate carries a subjectAltName
// extension of any content, which rules out the CN fallback.
func hasSANExtension(c *x509.Certificate) bool {
	if len(c.DNSNames)+len(c.IPAddresses)+len(c.URIs)+len(c.EmailAddresses) > 0 {
		return true
	}
	for _, ext := range c.Extensions {
		if ext.Id.Equal(oidSubjectAltName) {
			return true
		}
	}
	return false
}

// validHostname accepts non-empty dot-separated labels of letters, digits,
// '-' and '_'; a wildcard is a pattern, never a reference identity.
func validHostname(h string) bool {
	if h == "" || len(h) > 253 {
		return false
	}
	for _, label := range strings.Split(h, ".") {
		if label == "" || len(label) > 63 {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
				return false
			}
		}
	}
	return true
}

// matchDNS compares a certificate identity (DNS SAN or CN) with host. A
// left-most label "*" stands for exactly one non-empty label.
func matchDNS(pattern, host string) bool {
	pattern = strings.TrimSuffix(pattern, ".")
	if pattern == "" {
		return false
	}
	pl := strings.Split(pattern, ".")
	hl := strings.Split(host, ".")
	if len(pl) != len(hl) {
		return false
	}
	for i := range pl {
		if i == 0 && pl[0] == "*" && len(pl) > 1 {
			continue
		}
		if pl[i] == "" || !asciiEqualFold(pl[i], hl[i]) {
			return false
		}
	}
	return true
}

// asciiEqualFold compares case-insensitively in ASCII only: Unicode folding
// would let a CN such as "\u212a.test" (Kelvin sign) match "k.test".
func asciiEqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
