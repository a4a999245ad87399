package certgen

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"net"
	"slices"
	"strings"
	"testing"
	"time"
)

var (
	oidSAN              = asn1.ObjectIdentifier{2, 5, 29, 17}
	oidEKU              = asn1.ObjectIdentifier{2, 5, 29, 37}
	oidBasicConstraints = asn1.ObjectIdentifier{2, 5, 29, 19}
	oidKeyUsage         = asn1.ObjectIdentifier{2, 5, 29, 15}
)

func hasExt(c *x509.Certificate, oid asn1.ObjectIdentifier) bool {
	return slices.ContainsFunc(c.Extensions, func(e pkix.Extension) bool { return e.Id.Equal(oid) })
}

func keyTypeOf(t *testing.T, pub any) string {
	switch k := pub.(type) {
	case *ecdsa.PublicKey:
		switch k.Curve {
		case elliptic.P256():
			return "p256"
		case elliptic.P384():
			return "p384"
		}
	case ed25519.PublicKey:
		return "ed25519"
	case *rsa.PublicKey:
		if k.N.BitLen() == 2048 {
			return "rsa2048"
		}
	}
	t.Fatalf("unexpected public key %T", pub)
	return ""
}

func ekuNamesOf(c *x509.Certificate) []string {
	out := []string{}
	for _, u := range c.ExtKeyUsage {
		switch u {
		case x509.ExtKeyUsageServerAuth:
			out = append(out, "serverAuth")
		case x509.ExtKeyUsageClientAuth:
			out = append(out, "clientAuth")
		case x509.ExtKeyUsageAny:
			out = append(out, "any")
		default:
			out = append(out, "other")
		}
	}
	for _, oid := range c.UnknownExtKeyUsage {
		switch oid.String() {
		case "1.3.6.1.4.1.44924.1.6":
			out = append(out, "ocf-identity")
		case "1.3.6.1.4.1.44924.1.7":
			out = append(out, "ocf-role")
		default:
			out = append(out, oid.String())
		}
	}
	return out
}

func TestLoadDirFindsCatalogueWorlds(t *testing.T) {
	_, worlds, _ := fixtureSet(t)
	var names []string
	for _, w := range worlds {
		names = append(names, w.Name)
		if !strings.HasPrefix(w.File, worldsDir) || w.Description == "" {
			t.Errorf("world %s: file %q, description %q", w.Name, w.File, w.Description)
		}
	}
	if want := []string{"devicecerts", "main", "names", "other", "profile", "validity"}; !slices.Equal(names, want) {
		t.Fatalf("worlds = %v, want %v", names, want)
	}
}

// TestCertificatesMatchSpecs checks every certificate of every world against
// the spec it was made from.
func TestCertificatesMatchSpecs(t *testing.T) {
	set, worlds, now := fixtureSet(t)
	sigFor := map[string]x509.SignatureAlgorithm{
		"p256": x509.ECDSAWithSHA256, "p384": x509.ECDSAWithSHA384,
		"ed25519": x509.PureEd25519, "rsa2048": x509.SHA256WithRSA,
	}
	for _, w := range worlds {
		for _, spec := range w.Certs {
			c := mustCert(t, set, w.Name+"/"+spec.Name)
			x := c.X509
			t.Run(c.Ref(), func(t *testing.T) {
				if x.Subject.CommonName != spec.Subject.CN ||
					strings.Join(x.Subject.Organization, "|") != spec.Subject.O ||
					strings.Join(x.Subject.OrganizationalUnit, "|") != spec.Subject.OU {
					t.Errorf("subject %v, spec %+v", x.Subject, spec.Subject)
				}
				if !slices.Equal(x.DNSNames, spec.DNS) || !slices.EqualFunc(x.IPAddresses, spec.IPs, net.IP.Equal) {
					t.Errorf("SAN dns=%v ip=%v, spec dns=%v ip=%v", x.DNSNames, x.IPAddresses, spec.DNS, spec.IPs)
				}
				if !slices.Equal(dirNamesOf(x), spec.DirNames) {
					t.Errorf("SAN directory names %+v, spec %+v", dirNamesOf(x), spec.DirNames)
				}
				if hasExt(x, oidSAN) != (len(spec.DNS)+len(spec.IPs)+len(spec.DirNames) > 0) {
					t.Errorf("SAN extension present=%v with spec dns=%v ip=%v", hasExt(x, oidSAN), spec.DNS, spec.IPs)
				}
				if got := ekuNamesOf(x); !slices.Equal(got, spec.EKU) || hasExt(x, oidEKU) != (len(spec.EKU) > 0) {
					t.Errorf("EKU %v (extension %v), spec %v", got, hasExt(x, oidEKU), spec.EKU)
				}
				checkConstraints(t, x, spec)
				if got := keyTypeOf(t, x.PublicKey); got != spec.Key || c.KeyType != spec.Key {
					t.Errorf("key type %s (Cert.KeyType %s), spec %s", got, c.KeyType, spec.Key)
				}
				if !c.Key.Public().(interface{ Equal(crypto.PublicKey) bool }).Equal(x.PublicKey) {
					t.Error("private key does not match certificate")
				}
				checkIssuer(t, c, spec, sigFor)
				checkValidityWindow(t, x, spec, now)
			})
		}
	}
}

func checkConstraints(t *testing.T, x *x509.Certificate, spec *CertSpec) {
	t.Helper()
	ca := spec.Kind == "root" || spec.Kind == "intermediate"
	wantBC := map[string]bool{"correct": ca, "wrong": !ca}
	if spec.BasicConstraints == "missing" {
		if hasExt(x, oidBasicConstraints) {
			t.Error("basicConstraints present, spec says missing")
		}
	} else if !x.BasicConstraintsValid || x.IsCA != wantBC[spec.BasicConstraints] {
		t.Errorf("basicConstraints valid=%v CA=%v for %s %s", x.BasicConstraintsValid, x.IsCA, spec.BasicConstraints, spec.Kind)
	}
	caKU := x509.KeyUsageCertSign | x509.KeyUsageCRLSign
	leafKU := x509.KeyUsageDigitalSignature
	wantKU := map[string]x509.KeyUsage{"correct": leafKU, "wrong": caKU, "missing": 0}
	if ca {
		wantKU = map[string]x509.KeyUsage{"correct": caKU, "wrong": leafKU, "missing": 0}
	}
	if spec.KeyUsageBits != nil {
		want := x509.KeyUsage(0)
		for _, b := range spec.KeyUsageBits {
			want |= keyUsageByName[b]
		}
		if x.KeyUsage != want || hasExt(x, oidKeyUsage) != (len(spec.KeyUsageBits) > 0) {
			t.Errorf("keyUsage %b (extension %v), spec %v", x.KeyUsage, hasExt(x, oidKeyUsage), spec.KeyUsageBits)
		}
		return
	}
	if x.KeyUsage != wantKU[spec.KeyUsage] || hasExt(x, oidKeyUsage) != (spec.KeyUsage != "missing") {
		t.Errorf("keyUsage %b (extension %v) for %s %s", x.KeyUsage, hasExt(x, oidKeyUsage), spec.KeyUsage, spec.Kind)
	}
}

func checkIssuer(t *testing.T, c *Cert, spec *CertSpec, sigFor map[string]x509.SignatureAlgorithm) {
	t.Helper()
	x := c.X509
	if len(x.SubjectKeyId) != 20 {
		t.Errorf("subject key id %x", x.SubjectKeyId)
	}
	issuer := c
	if spec.Issuer != "" {
		if c.Issuer == nil || c.Issuer.Name != spec.Issuer {
			t.Fatalf("issuer %v, spec %s", c.Issuer, spec.Issuer)
		}
		issuer = c.Issuer
	} else if c.Issuer != nil {
		t.Fatalf("self-issued certificate has issuer %s", c.Issuer.Ref())
	}
	if !bytes.Equal(x.RawIssuer, issuer.X509.RawSubject) || !bytes.Equal(x.AuthorityKeyId, issuer.X509.SubjectKeyId) {
		t.Errorf("issuer name/AKID do not match %s", issuer.Ref())
	}
	if x.SignatureAlgorithm != sigFor[issuer.KeyType] {
		t.Errorf("signature %v, want %v for a %s issuer", x.SignatureAlgorithm, sigFor[issuer.KeyType], issuer.KeyType)
	}
	if err := x.CheckSignature(x.SignatureAlgorithm, x.RawTBSCertificate, x.Signature); err == nil && spec.Issuer != "" {
		t.Error("certificate verifies under its own key although it has an issuer")
	}
	if err := issuer.X509.CheckSignature(x.SignatureAlgorithm, x.RawTBSCertificate, x.Signature); err != nil {
		t.Errorf("signature does not verify with %s: %v", issuer.Ref(), err)
	}
}

func checkValidityWindow(t *testing.T, x *x509.Certificate, spec *CertSpec, now time.Time) {
	t.Helper()
	years := 11
	if spec.Kind == "root" || spec.Kind == "intermediate" {
		years = 20
	}
	want := map[string][2]time.Time{
		"valid":         {now.Add(-time.Hour), now.AddDate(years, 0, 0)},
		"expired":       {now.AddDate(-2, 0, 0), now.Add(-24 * time.Hour)},
		"not-yet-valid": {now.Add(24 * time.Hour), now.AddDate(2, 0, 0)},
	}[spec.Validity]
	// not_before and lifetime, where given, replace the default bounds.
	if spec.NotBefore != "" {
		sp, _ := parseSpan(spec.NotBefore, true)
		want[0] = sp.from(now)
	}
	if spec.Lifetime != "" {
		sp, _ := parseSpan(spec.Lifetime, false)
		want[1] = sp.from(want[0])
	}
	if !x.NotBefore.Equal(want[0]) || !x.NotAfter.Equal(want[1]) {
		t.Errorf("validity %s..%s, want %s..%s for %s", x.NotBefore, x.NotAfter, want[0], want[1], spec.Validity)
	}
	if spec.Validity == "valid" && spec.Lifetime == "" && spec.Kind != "root" && spec.Kind != "intermediate" && x.NotAfter.Sub(now) <= 10*365*24*time.Hour {
		t.Error("valid leaf does not last more than ten years")
	}
}

// TestChainsVerify runs Go's path validation on every certificate: it must
// succeed exactly when every certificate on the path is within its validity.
func TestChainsVerify(t *testing.T) {
	set, worlds, now := fixtureSet(t)
	for _, w := range worlds {
		for _, name := range certNames(set, w.Name) {
			c := mustCert(t, set, w.Name+"/"+name)
			roots, ints := x509.NewCertPool(), x509.NewCertPool()
			roots.AddCert(c.Root.X509)
			for _, i := range c.Chain[1:] {
				ints.AddCert(i.X509)
			}
			pathValid := true
			for p := c; p != nil; p = p.Issuer {
				pathValid = pathValid && now.After(p.X509.NotBefore) && now.Before(p.X509.NotAfter)
			}
			_, err := c.X509.Verify(x509.VerifyOptions{Roots: roots, Intermediates: ints, CurrentTime: now, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}})
			var inv x509.CertificateInvalidError
			switch {
			case pathValid && err != nil:
				t.Errorf("%s: %v", c.Ref(), err)
			case !pathValid && (!errors.As(err, &inv) || inv.Reason != x509.Expired):
				t.Errorf("%s: want an expiry error, got %v", c.Ref(), err)
			}
			// A year later nothing that was valid has expired.
			if pathValid {
				if _, err := c.X509.Verify(x509.VerifyOptions{Roots: roots, Intermediates: ints, CurrentTime: now.AddDate(1, 0, 0), KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}); err != nil {
					t.Errorf("%s a year on: %v", c.Ref(), err)
				}
			}
		}
	}
}

func certNames(s *Set, world string) []string {
	var out []string
	for _, c := range s.certs[world] {
		out = append(out, c.Name)
	}
	return out
}

// TestCatalogueContract pins the certificates other packages refer to by name.
func TestCatalogueContract(t *testing.T) {
	set, _, now := fixtureSet(t)
	type want struct {
		kind, role, cn, issuer string
		dns, ips, eku          []string
		key                    string
		ca                     bool
		expired, future        bool
	}
	cases := map[string]want{
		"main/root":                        {kind: "root", role: "ca", cn: "lwm2m-conform Root CA", eku: []string{}, key: "p256", ca: true},
		"main/int":                         {kind: "intermediate", role: "ca", issuer: "root", cn: "lwm2m-conform Intermediate CA", eku: []string{}, key: "p256", ca: true},
		"main/server":                      {kind: "leaf", role: "server", issuer: "int", cn: "localhost", dns: []string{"localhost"}, eku: []string{"serverAuth"}, key: "p256"},
		"main/self-signed":                 {kind: "self-signed", role: "server", cn: "localhost", dns: []string{"localhost"}, eku: []string{"serverAuth"}, key: "p256"},
		"main/client":                      {kind: "leaf", role: "client", issuer: "int", cn: "urn:imei:000000000000001", eku: []string{"clientAuth"}, key: "p256"},
		"other/server":                     {kind: "leaf", role: "server", issuer: "int", cn: "localhost", dns: []string{"localhost"}, eku: []string{"serverAuth"}, key: "p256"},
		"names/dns-match":                  {kind: "leaf", role: "server", issuer: "int", cn: "localhost", dns: []string{"localhost"}, eku: []string{"serverAuth"}, key: "p256"},
		"names/dns-other":                  {kind: "leaf", role: "server", issuer: "int", cn: "other.example.test", dns: []string{"other.example.test"}, eku: []string{"serverAuth"}, key: "p256"},
		"names/cn-only":                    {kind: "leaf", role: "server", issuer: "int", cn: "localhost", eku: []string{"serverAuth"}, key: "p256"},
		"names/wildcard":                   {kind: "leaf", role: "server", issuer: "int", cn: "*.example.test", dns: []string{"*.example.test"}, eku: []string{"serverAuth"}, key: "p256"},
		"names/ip-match":                   {kind: "leaf", role: "server", issuer: "int", cn: "127.0.0.1", ips: []string{"127.0.0.1"}, eku: []string{"serverAuth"}, key: "p256"},
		"names/sni-name":                   {kind: "leaf", role: "server", issuer: "int", cn: "lwm2m.example.test", dns: []string{"lwm2m.example.test"}, eku: []string{"serverAuth"}, key: "p256"},
		"validity/leaf-valid":              {kind: "leaf", role: "server", issuer: "int", cn: "localhost", dns: []string{"localhost"}, eku: []string{"serverAuth"}, key: "p256"},
		"validity/leaf-expired":            {kind: "leaf", role: "server", issuer: "int", cn: "localhost", dns: []string{"localhost"}, eku: []string{"serverAuth"}, key: "p256", expired: true},
		"validity/leaf-not-yet-valid":      {kind: "leaf", role: "server", issuer: "int", cn: "localhost", dns: []string{"localhost"}, eku: []string{"serverAuth"}, key: "p256", future: true},
		"validity/int-expired":             {kind: "intermediate", role: "ca", issuer: "root", cn: "lwm2m-conform Expired Intermediate CA", eku: []string{}, key: "p256", ca: true, expired: true},
		"validity/leaf-under-expired-int":  {kind: "leaf", role: "server", issuer: "int-expired", cn: "localhost", dns: []string{"localhost"}, eku: []string{"serverAuth"}, key: "p256"},
		"validity/root-expired":            {kind: "root", role: "ca", cn: "lwm2m-conform Expired Root CA", eku: []string{}, key: "p256", ca: true, expired: true},
		"validity/int-under-expired-root":  {kind: "intermediate", role: "ca", issuer: "root-expired", cn: "lwm2m-conform Intermediate CA under Expired Root", eku: []string{}, key: "p256", ca: true},
		"validity/leaf-under-expired-root": {kind: "leaf", role: "server", issuer: "int-under-expired-root", cn: "localhost", dns: []string{"localhost"}, eku: []string{"serverAuth"}, key: "p256"},
		"profile/device-good":              {kind: "leaf", role: "client", issuer: "int", cn: "urn:imei:000000000000002", eku: []string{"clientAuth"}, key: "p256"},
		"profile/device-p384":              {kind: "leaf", role: "client", issuer: "int", cn: "urn:imei:000000000000002", eku: []string{"clientAuth"}, key: "p384"},
		"profile/device-rsa":               {kind: "leaf", role: "client", issuer: "int", cn: "urn:imei:000000000000002", eku: []string{"clientAuth"}, key: "rsa2048"},
		"profile/device-ed25519":           {kind: "leaf", role: "client", issuer: "int", cn: "urn:imei:000000000000002", eku: []string{"clientAuth"}, key: "ed25519"},
		"profile/device-self-signed":       {kind: "self-signed", role: "client", cn: "urn:imei:000000000000002", eku: []string{"clientAuth"}, key: "p256"},
		"profile/device-no-eku":            {kind: "leaf", role: "client", issuer: "int", cn: "urn:imei:000000000000002", eku: []string{}, key: "p256"},
		"profile/ocf-identity":             {kind: "leaf", role: "client", issuer: "int", cn: "uuid:00000000-0000-0000-0000-000000000002", eku: []string{"ocf-identity"}, key: "p256"},
		"profile/ocf-role":                 {kind: "leaf", role: "client", issuer: "int", cn: "uuid:00000000-0000-0000-0000-000000000002", eku: []string{"ocf-role"}, key: "p256"},
		"profile/leaf-bc-wrong":            {kind: "leaf", role: "client", issuer: "int", cn: "urn:imei:000000000000002", eku: []string{"clientAuth"}, key: "p256", ca: true},
		"profile/leaf-ku-missing":          {kind: "leaf", role: "client", issuer: "int", cn: "urn:imei:000000000000002", eku: []string{"clientAuth"}, key: "p256"},
	}
	for ref, w := range cases {
		c := mustCert(t, set, ref)
		x := c.X509
		var issuer string
		if c.Issuer != nil {
			issuer = c.Issuer.Name
		}
		var ips []string
		for _, ip := range x.IPAddresses {
			ips = append(ips, ip.String())
		}
		if c.Kind != w.kind || c.Role != w.role || x.Subject.CommonName != w.cn || issuer != w.issuer ||
			!slices.Equal(x.DNSNames, w.dns) || !slices.Equal(ips, w.ips) || !slices.Equal(ekuNamesOf(x), w.eku) ||
			keyTypeOf(t, x.PublicKey) != w.key || x.IsCA != w.ca ||
			now.After(x.NotAfter) != w.expired || now.Before(x.NotBefore) != w.future {
			t.Errorf("%s: kind=%s role=%s cn=%q issuer=%q dns=%v ips=%v eku=%v ca=%v validity=%s..%s, want %+v",
				ref, c.Kind, c.Role, x.Subject.CommonName, issuer, x.DNSNames, ips, ekuNamesOf(x), x.IsCA, x.NotBefore, x.NotAfter, w)
		}
	}
	if ou := mustCert(t, set, "profile/device-good").X509.Subject.OrganizationalUnit; !slices.Equal(ou, []string{"account-42"}) {
		t.Errorf("profile/device-good OU = %v", ou)
	}
	if o := mustCert(t, set, "main/client").X509.Subject.Organization; !slices.Equal(o, []string{"lwm2m-conform"}) {
		t.Errorf("main/client O = %v", o)
	}
	if x := mustCert(t, set, "names/cn-only").X509; hasExt(x, oidSAN) {
		t.Error("names/cn-only has a subjectAltName extension")
	}
	if x := mustCert(t, set, "profile/leaf-ku-missing").X509; hasExt(x, oidKeyUsage) {
		t.Error("profile/leaf-ku-missing has a keyUsage extension")
	}
}

func TestChainsAndTrustStores(t *testing.T) {
	set, _, _ := fixtureSet(t)
	refs := func(cs []*Cert) string {
		var out []string
		for _, c := range cs {
			out = append(out, c.Ref())
		}
		return strings.Join(out, " ")
	}
	chains := map[string][2]string{ // chain, root
		"main/server":                      {"main/server main/int", "main/root"},
		"main/int":                         {"main/int", "main/root"},
		"main/root":                        {"main/root", "main/root"},
		"main/self-signed":                 {"main/self-signed", "main/self-signed"},
		"validity/leaf-under-expired-root": {"validity/leaf-under-expired-root validity/int-under-expired-root", "validity/root-expired"},
	}
	for ref, want := range chains {
		c := mustCert(t, set, ref)
		if got := refs(c.Chain); got != want[0] || c.Root.Ref() != want[1] {
			t.Errorf("%s: chain %q root %s, want %q root %s", ref, got, c.Root.Ref(), want[0], want[1])
		}
	}
	server := mustCert(t, set, "main/server")
	for withRoot, n := range map[bool]int{false: 2, true: 3} {
		tc := server.TLSCertificate(withRoot)
		if len(tc.Certificate) != n || !bytes.Equal(tc.Certificate[0], server.DER) || tc.Leaf != server.X509 || tc.PrivateKey != server.Key {
			t.Errorf("TLSCertificate(%v): %d certificates", withRoot, len(tc.Certificate))
		}
	}
	if n := len(mustCert(t, set, "main/root").TLSCertificate(true).Certificate); n != 1 {
		t.Errorf("root TLSCertificate(true) has %d certificates, want 1", n)
	}

	stores := map[string]string{
		"main/root": "main/root", "main/leaf": "main/server", "main/self-signed": "main/self-signed", "main/int": "main/int",
		"other/root": "other/root", "names/root": "names/root", "profile/root": "profile/root",
		"validity/root": "validity/root", "validity/root-expired": "validity/root-expired",
	}
	for ref, want := range stores {
		ts, err := set.TrustStore(ref)
		if err != nil || refs(ts) != want {
			t.Errorf("TrustStore(%s) = %q, %v; want %q", ref, refs(ts), err, want)
		}
	}
	for _, bad := range []string{"main/nope", "nope/root", "main", "/root", "main/root/x"} {
		if _, err := set.TrustStore(bad); err == nil {
			t.Errorf("TrustStore(%q) succeeded", bad)
		}
		if _, err := set.Cert(strings.Replace(bad, "root", "server", 1)); err == nil {
			t.Errorf("Cert(%q) succeeded", bad)
		}
	}
	if got := set.Worlds(); !slices.Equal(got, []string{"devicecerts", "main", "names", "other", "profile", "validity"}) {
		t.Errorf("Worlds() = %v", got)
	}
}

func TestSerialsAreRandom128Bit(t *testing.T) {
	set, _, _ := fixtureSet(t)
	seen := map[string]string{}
	maxBits := 0
	fixed := fixedSerials(t)
	for _, ref := range set.allRefs() {
		sn := mustCert(t, set, ref).X509.SerialNumber
		if want, ok := fixed[ref]; ok {
			if sn.Int64() != want {
				t.Errorf("%s: serial %d, spec %d", ref, sn, want)
			}
			continue
		}
		if sn.Sign() <= 0 || sn.BitLen() > 128 || sn.BitLen() < 96 {
			t.Errorf("%s: serial %x has %d bits", ref, sn, sn.BitLen())
		}
		maxBits = max(maxBits, sn.BitLen())
		if prev, dup := seen[sn.String()]; dup {
			t.Errorf("%s and %s share serial %x", ref, prev, sn)
		}
		seen[sn.String()] = ref
	}
	if maxBits < 120 {
		t.Errorf("longest of %d serials has %d bits", len(seen), maxBits)
	}
	// Two materialisations of the same world never repeat a serial.
	_, worlds, now := fixtureSet(t)
	again, err := Materialise(worlds[:1], now)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range again.certs[worlds[0].Name] {
		if _, ok := fixed[c.Ref()]; ok {
			continue
		}
		if _, dup := seen[c.X509.SerialNumber.String()]; dup {
			t.Errorf("%s: serial repeated across runs", c.Ref())
		}
	}
}

// fixedSerials lists the certificates whose spec sets the serial.
func fixedSerials(t *testing.T) map[string]int64 {
	_, worlds, _ := fixtureSet(t)
	out := map[string]int64{}
	for _, w := range worlds {
		for _, c := range w.Certs {
			if c.Serial != 0 {
				out[w.Name+"/"+c.Name] = c.Serial
			}
		}
	}
	return out
}

// dirNamesOf reads the directoryName entries of the subjectAltName.
func dirNamesOf(c *x509.Certificate) []Subject {
	var out []Subject
	for _, e := range c.Extensions {
		if !e.Id.Equal(oidSAN) {
			continue
		}
		var names []asn1.RawValue
		if _, err := asn1.Unmarshal(e.Value, &names); err != nil {
			return nil
		}
		for _, n := range names {
			if n.Class != asn1.ClassContextSpecific || n.Tag != 4 {
				continue
			}
			var rdn pkix.RDNSequence
			if _, err := asn1.Unmarshal(n.Bytes, &rdn); err != nil {
				return nil
			}
			var name pkix.Name
			name.FillFromRDNSequence(&rdn)
			out = append(out, Subject{CN: name.CommonName, O: strings.Join(name.Organization, "|"), OU: strings.Join(name.OrganizationalUnit, "|")})
		}
	}
	return out
}

func (s *Set) allRefs() []string {
	var out []string
	for _, w := range s.worlds {
		for _, c := range s.certs[w] {
			out = append(out, c.Ref())
		}
	}
	return out
}

func TestMaterialiseCodeBuiltWorld(t *testing.T) {
	now := time.Date(2030, 1, 2, 3, 4, 5, 600, time.UTC)
	w := &World{Name: "code", Certs: []*CertSpec{
		{Name: "leaf", Kind: "leaf", Role: "client", Issuer: "ca", Subject: Subject{CN: "dev"}},
		{Name: "ca", Kind: "root", Subject: Subject{CN: "CA"}, Key: "p384"},
	}, TrustStores: []*TrustStoreSpec{{Name: "ts", Certs: []string{"ca"}}}}
	set, err := Materialise([]*World{w}, now)
	if err != nil {
		t.Fatal(err)
	}
	leaf := mustCert(t, set, "code/leaf")
	if leaf.KeyType != "p256" || leaf.X509.SignatureAlgorithm != x509.ECDSAWithSHA384 || !slices.Equal(ekuNamesOf(leaf.X509), []string{"clientAuth"}) {
		t.Errorf("defaults not applied: key %s sig %v eku %v", leaf.KeyType, leaf.X509.SignatureAlgorithm, ekuNamesOf(leaf.X509))
	}
	if !set.Now().Equal(now.Truncate(time.Second)) || !leaf.X509.NotBefore.Equal(now.Truncate(time.Second).Add(-time.Hour)) {
		t.Errorf("now %s, NotBefore %s", set.Now(), leaf.X509.NotBefore)
	}

	dup := &World{Name: "code", File: "b.yaml", Certs: []*CertSpec{{Name: "r", Kind: "root", Subject: Subject{CN: "r"}}}}
	if _, err := Materialise([]*World{w, dup}, now); err == nil || !strings.Contains(err.Error(), `duplicate world name "code"`) {
		t.Errorf("duplicate worlds: %v", err)
	}
	bad := &World{Name: "bad", Certs: []*CertSpec{{Name: "r", Kind: "root", Subject: Subject{CN: "r"}, Key: "p521"}}}
	if _, err := Materialise([]*World{bad}, now); err == nil || err.Error() != `<world spec>: certs[0].key: unknown key type "p521" (want p256, p384, ed25519, rsa2048)` {
		t.Errorf("bad key: %v", err)
	}
	if _, err := Materialise([]*World{nil}, now); err == nil {
		t.Error("nil world accepted")
	}
}
