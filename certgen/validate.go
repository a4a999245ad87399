package certgen

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Names become path components and "world/name" references, so they are
// kept to a portable character set.
var nameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

func checkName(s string) string {
	switch {
	case s == "":
		return "empty name"
	case !nameRE.MatchString(s):
		return fmt.Sprintf("invalid name %q (letters, digits, '.', '_' and '-', not starting with '.', '_' or '-')", s)
	}
	return ""
}

func want(values []string) string { return "want " + strings.Join(values, ", ") }

// errAt builds a SpecError at the line Parse recorded for key or, when the
// field is absent, for its nearest recorded parent ("subject.cn", then
// "subject", then the entry itself).
func (w *World) errAt(lines map[string]int, key, field, format string, args ...any) error {
	line, ok := lines[key]
	for !ok && key != "" {
		key = key[:max(strings.LastIndexAny(key, ".["), 0)]
		line, ok = lines[key]
	}
	return &SpecError{File: cmp.Or(w.File, unnamed), Line: line, Field: field, Msg: fmt.Sprintf(format, args...)}
}

// enum fills an empty value with its default and rejects unknown ones.
func (w *World) enum(lines map[string]int, key, field, what string, val *string, def string, allowed []string) error {
	if *val == "" {
		*val = def
	}
	if !slices.Contains(allowed, *val) {
		return w.errAt(lines, key, field, "unknown %s %q (%s)", what, *val, want(allowed))
	}
	return nil
}

// validate fills defaults and checks everything Materialise relies on. It is
// idempotent and writes only fields still unset, so specs built in code go
// through the same checks as parsed ones and a validated world can be
// materialised concurrently.
func (w *World) validate() error {
	if msg := checkName(w.Name); msg != "" {
		return w.errAt(w.lines, "world", "world", "%s", msg)
	}
	if len(w.Certs) == 0 {
		return w.errAt(w.lines, "certs", "certs", "no certificates")
	}
	byName := map[string]*CertSpec{}
	for i, c := range w.Certs {
		path := fmt.Sprintf("certs[%d]", i)
		if c == nil {
			return w.errAt(w.lines, "certs", path, "empty entry")
		}
		if err := w.validateCert(c, path); err != nil {
			return err
		}
		if first, dup := byName[c.Name]; dup {
			return w.errAt(c.lines, "name", path+".name", "duplicate certificate name %q (first at line %d)", c.Name, first.lines["name"])
		}
		byName[c.Name] = c
	}
	for i, c := range w.Certs {
		if err := w.checkIssuer(c, fmt.Sprintf("certs[%d].issuer", i), byName); err != nil {
			return err
		}
	}
	stores := map[string]*TrustStoreSpec{}
	for i, ts := range w.TrustStores {
		path := fmt.Sprintf("truststores[%d]", i)
		if ts == nil {
			return w.errAt(w.lines, "truststores", path, "empty entry")
		}
		if msg := checkName(ts.Name); msg != "" {
			return w.errAt(ts.lines, "name", path+".name", "%s", msg)
		}
		if first, dup := stores[ts.Name]; dup {
			return w.errAt(ts.lines, "name", path+".name", "duplicate trust store name %q (first at line %d)", ts.Name, first.lines["name"])
		}
		stores[ts.Name] = ts
		for j, member := range ts.Certs {
			key := fmt.Sprintf("certs[%d]", j)
			if byName[member] == nil {
				return w.errAt(ts.lines, key, path+"."+key, "unknown certificate %q", member)
			}
			if slices.Index(ts.Certs, member) != j {
				return w.errAt(ts.lines, key, path+"."+key, "certificate %q listed twice", member)
			}
		}
	}
	return nil
}

func (w *World) validateCert(c *CertSpec, path string) error {
	if msg := checkName(c.Name); msg != "" {
		return w.errAt(c.lines, "name", path+".name", "%s", msg)
	}
	if c.Kind == "" {
		return w.errAt(c.lines, "kind", path+".kind", "required (%s)", want(kinds))
	}
	if !slices.Contains(kinds, c.Kind) {
		return w.errAt(c.lines, "kind", path+".kind", "unknown kind %q (%s)", c.Kind, want(kinds))
	}
	switch {
	case selfIssued(c.Kind) && c.Issuer != "":
		return w.errAt(c.lines, "issuer", path+".issuer", "a %s certificate has no issuer", c.Kind)
	case !selfIssued(c.Kind) && c.Issuer == "":
		return w.errAt(c.lines, "issuer", path+".issuer", "required for a %s certificate", c.Kind)
	}
	if isCAKind(c.Kind) {
		if c.Role != "" && c.Role != RoleCA {
			return w.errAt(c.lines, "role", path+".role", "a %s certificate has no role (role is for leaf and self-signed)", c.Kind)
		}
		if c.Role == "" {
			c.Role = RoleCA
		}
	} else {
		if c.Role == "" {
			return w.errAt(c.lines, "role", path+".role", "required for a %s certificate (%s)", c.Kind, want(roles))
		}
		if !slices.Contains(roles, c.Role) {
			return w.errAt(c.lines, "role", path+".role", "unknown role %q (%s)", c.Role, want(roles))
		}
	}
	if strings.TrimSpace(c.Subject.CN) == "" {
		return w.errAt(c.lines, "subject.cn", path+".subject.cn", "required")
	}
	for i, d := range c.DNS {
		if d == "" || strings.ContainsFunc(d, func(r rune) bool { return r <= ' ' || r > '~' }) {
			key := fmt.Sprintf("san.dns[%d]", i)
			return w.errAt(c.lines, key, path+"."+key, "invalid DNS name %q (printable ASCII without spaces)", d)
		}
	}
	if err := w.enum(c.lines, "key", path+".key", "key type", &c.Key, "p256", keyTypes); err != nil {
		return err
	}
	if err := w.enum(c.lines, "validity", path+".validity", "validity", &c.Validity, "valid", validities); err != nil {
		return err
	}
	if err := w.enum(c.lines, "basic_constraints", path+".basic_constraints", "basic_constraints value", &c.BasicConstraints, "correct", correctnessLevels); err != nil {
		return err
	}
	if err := w.validateKeyUsage(c, path); err != nil {
		return err
	}
	if err := w.validateWindow(c, path); err != nil {
		return err
	}
	for i, d := range c.DirNames {
		if strings.TrimSpace(d.CN) == "" {
			key := fmt.Sprintf("san.dir[%d].cn", i)
			return w.errAt(c.lines, key, path+"."+key, "required")
		}
	}
	if c.EKU == nil {
		c.EKU = defaultEKU(c.Role)
	}
	for i, e := range c.EKU {
		key := fmt.Sprintf("eku[%d]", i)
		if !slices.Contains(ekuNames, e) {
			return w.errAt(c.lines, key, path+"."+key, "unknown EKU %q (%s)", e, want(ekuNames))
		}
		if slices.Index(c.EKU, e) != i {
			return w.errAt(c.lines, key, path+"."+key, "EKU %q listed twice", e)
		}
	}
	return nil
}

// validateKeyUsage checks either the named bits or the shape of key_usage.
func (w *World) validateKeyUsage(c *CertSpec, path string) error {
	if c.KeyUsageBits == nil {
		return w.enum(c.lines, "key_usage", path+".key_usage", "key_usage value", &c.KeyUsage, "correct", correctnessLevels)
	}
	for i, b := range c.KeyUsageBits {
		key := fmt.Sprintf("key_usage[%d]", i)
		if !slices.Contains(keyUsageNames, b) {
			return w.errAt(c.lines, key, path+"."+key, "unknown key usage %q (%s)", b, want(keyUsageNames))
		}
		if slices.Index(c.KeyUsageBits, b) != i {
			return w.errAt(c.lines, key, path+"."+key, "key usage %q listed twice", b)
		}
	}
	return nil
}

// validateWindow checks not_before and lifetime and that the window they
// give, with the validity default for what they leave out, is not empty.
func (w *World) validateWindow(c *CertSpec, path string) error {
	for _, f := range []struct {
		key    string
		val    string
		signed bool
	}{{"not_before", c.NotBefore, true}, {"lifetime", c.Lifetime, false}} {
		if f.val == "" {
			continue
		}
		sp, err := parseSpan(f.val, f.signed)
		if err != nil {
			return w.errAt(c.lines, f.key, path+"."+f.key, "%v", err)
		}
		if !f.signed && sp.from(time.Unix(0, 0)).Unix() <= 0 {
			return w.errAt(c.lines, f.key, path+"."+f.key, "lifetime must be positive")
		}
	}
	if nb, na := validityWindow(c, time.Now()); !na.After(nb) {
		return w.errAt(c.lines, "not_before", path+".not_before", "not_before %s is not before the end of the %s window", c.NotBefore, c.Validity)
	}
	return nil
}

// defaultEKU is the EKU list of a certificate whose spec names none; CAs
// get no EKU extension so that they do not constrain what they issue.
func defaultEKU(role string) []string {
	switch role {
	case "server":
		return []string{"serverAuth"}
	case "client":
		return []string{"clientAuth"}
	}
	return []string{}
}

// checkIssuer rejects unknown issuers, issuers that are not CAs, and issuer
// chains that loop.
func (w *World) checkIssuer(c *CertSpec, field string, byName map[string]*CertSpec) error {
	if c.Issuer == "" {
		return nil
	}
	iss := byName[c.Issuer]
	if iss == nil {
		return w.errAt(c.lines, "issuer", field, "unknown issuer %q", c.Issuer)
	}
	if !isCAKind(iss.Kind) {
		return w.errAt(c.lines, "issuer", field, "issuer %q is a %s certificate, not a root or intermediate", c.Issuer, iss.Kind)
	}
	path := []string{c.Name}
	for cur := c; cur.Issuer != ""; cur = byName[cur.Issuer] {
		path = append(path, cur.Issuer)
		if slices.Contains(path[:len(path)-1], cur.Issuer) {
			return w.errAt(c.lines, "issuer", field, "issuer chain loops: %s", strings.Join(path, " -> "))
		}
		if byName[cur.Issuer] == nil {
			break // reported when that certificate is checked
		}
	}
	return nil
}
