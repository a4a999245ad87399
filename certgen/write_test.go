package certgen

import (
	"bytes"
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// The fixture set is written once per test binary; tests only read it.
var writtenOnce struct {
	sync.Once
	dir string
	m   *Manifest
	err error
}

func writtenFixtures(t *testing.T) (*Set, string, *Manifest) {
	t.Helper()
	set, _, _ := fixtureSet(t)
	w := &writtenOnce
	w.Do(func() {
		if w.dir, w.err = os.MkdirTemp("", "certgen-test-"); w.err == nil {
			w.m, w.err = set.Write(w.dir)
		}
	})
	if w.err != nil {
		t.Fatal(w.err)
	}
	return set, w.dir, w.m
}

func TestMain(m *testing.M) {
	code := m.Run()
	if writtenOnce.dir != "" {
		os.RemoveAll(writtenOnce.dir)
	}
	os.Exit(code)
}

func pemCerts(t *testing.T, data []byte) [][]byte {
	t.Helper()
	var out [][]byte
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			break
		}
		if b.Type != "CERTIFICATE" {
			t.Fatalf("PEM block %q in a certificate file", b.Type)
		}
		out = append(out, b.Bytes)
	}
	if len(bytes.TrimSpace(data)) > 0 {
		t.Fatalf("trailing data in PEM file: %q", data)
	}
	return out
}

func TestWriteManifestMatchesFiles(t *testing.T) {
	set, dir, m := writtenFixtures(t)
	raw, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		t.Fatal(err)
	}
	var onDisk Manifest
	if err := json.Unmarshal(raw, &onDisk); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"not_before"`, `"key_type"`, `"fullchain_pem"`, `"sha256"`} {
		if !bytes.Contains(raw, []byte(key)) {
			t.Errorf("manifest lacks %s", key)
		}
	}
	if !onDisk.Generated.Equal(set.Now()) || len(onDisk.Artefacts) != len(m.Artefacts) {
		t.Fatalf("manifest on disk: generated %s, %d artefacts; returned %d", onDisk.Generated, len(onDisk.Artefacts), len(m.Artefacts))
	}
	read := func(rel string) []byte {
		t.Helper()
		if filepath.IsAbs(rel) || strings.Contains(rel, "..") {
			t.Fatalf("manifest path %q is not relative to the output directory", rel)
		}
		data, err := os.ReadFile(filepath.Join(dir, rel))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	certs, stores := 0, 0
	for _, a := range onDisk.Artefacts {
		if a.Role == RoleTrustStore {
			stores++
			checkTrustStoreArtefact(t, set, dir, a, read)
			continue
		}
		certs++
		c := mustCert(t, set, a.World+"/"+a.Name)
		der := read(a.Files["cert_der"])
		sum := sha256.Sum256(der)
		if a.SHA256 != hex.EncodeToString(sum[:]) || !bytes.Equal(der, c.DER) {
			t.Errorf("%s: sha256 %s does not match the DER file", c.Ref(), a.SHA256)
		}
		if a.Kind != c.Kind || a.Role != c.Role || a.KeyType != c.KeyType || a.Subject != c.X509.Subject.String() ||
			a.Issuer != c.X509.Issuer.String() || !a.NotBefore.Equal(c.X509.NotBefore) || !a.NotAfter.Equal(c.X509.NotAfter) ||
			!strings.EqualFold(a.Serial, fmt.Sprintf("%x", c.X509.SerialNumber)) {
			t.Errorf("%s: artefact %+v does not describe the certificate", c.Ref(), a)
		}
		if got := pemCerts(t, read(a.Files["cert_pem"])); len(got) != 1 || !bytes.Equal(got[0], c.DER) {
			t.Errorf("%s: cert_pem is not the certificate", c.Ref())
		}
		for file, want := range map[string][]*Cert{"chain_pem": c.Chain, "fullchain_pem": c.fullChain()} {
			got := pemCerts(t, read(a.Files[file]))
			if !slices.EqualFunc(got, want, func(d []byte, w *Cert) bool { return bytes.Equal(d, w.DER) }) {
				t.Errorf("%s: %s has %d certificates, want %d", c.Ref(), file, len(got), len(want))
			}
		}
		key, err := x509.ParsePKCS8PrivateKey(read(a.Files["key_der"]))
		if err != nil {
			t.Fatalf("%s: key_der: %v", c.Ref(), err)
		}
		if !key.(crypto.Signer).Public().(interface{ Equal(crypto.PublicKey) bool }).Equal(c.X509.PublicKey) {
			t.Errorf("%s: key_der does not match the certificate", c.Ref())
		}
		if b, _ := pem.Decode(read(a.Files["key_pem"])); b == nil || b.Type != "PRIVATE KEY" || !bytes.Equal(b.Bytes, c.KeyPKCS8) {
			t.Errorf("%s: key_pem is not the PKCS#8 key", c.Ref())
		}
		for _, f := range []string{"key_pem", "key_der"} {
			st, err := os.Stat(filepath.Join(dir, a.Files[f]))
			if err != nil || st.Mode().Perm() != 0o600 {
				t.Errorf("%s: %s mode %v, want 0600 (%v)", c.Ref(), f, st.Mode().Perm(), err)
			}
		}
		if st, _ := os.Stat(filepath.Join(dir, a.Files["cert_pem"])); st.Mode().Perm()&0o044 == 0 {
			t.Errorf("%s: certificate file mode %v is not readable by others", c.Ref(), st.Mode().Perm())
		}
	}
	if certs != len(set.allRefs()) || stores != len(set.tsRef) {
		t.Errorf("manifest has %d certificates and %d trust stores, want %d and %d", certs, stores, len(set.allRefs()), len(set.tsRef))
	}
	if want := filepath.Join(dir, "main", "server.crt.pem"); !fileExists(want) {
		t.Errorf("layout: %s missing", want)
	}
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

func checkTrustStoreArtefact(t *testing.T, set *Set, dir string, a Artefact, read func(string) []byte) {
	t.Helper()
	ref := a.World + "/" + a.Name
	members, err := set.TrustStore(ref)
	if err != nil {
		t.Fatal(err)
	}
	bundle := read(a.Files["bundle_pem"])
	sum := sha256.Sum256(bundle)
	if a.SHA256 != hex.EncodeToString(sum[:]) || a.Kind != RoleTrustStore {
		t.Errorf("%s: sha256/kind of trust store artefact", ref)
	}
	got := pemCerts(t, bundle)
	var refs []string
	for i, c := range members {
		refs = append(refs, c.Ref())
		if i >= len(got) || !bytes.Equal(got[i], c.DER) {
			t.Errorf("%s: bundle member %d is not %s", ref, i, c.Ref())
		}
	}
	if len(got) != len(members) || !slices.Equal(a.Members, refs) {
		t.Errorf("%s: bundle has %d certificates, members %v; want %v", ref, len(got), a.Members, refs)
	}
	entries, err := os.ReadDir(filepath.Join(dir, a.Files["dir"]))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != len(members) {
		t.Errorf("%s: hashed dir has %d files, want %d", ref, len(entries), len(members))
	}
	for _, c := range members {
		h, err := OpenSSLNameHash(c.X509.RawSubject)
		if err != nil {
			t.Fatal(err)
		}
		if got := pemCerts(t, read(fmt.Sprintf("%s/%08x.0", a.Files["dir"], h))); len(got) != 1 || !bytes.Equal(got[0], c.DER) {
			t.Errorf("%s: %08x.0 is not %s", ref, h, c.Ref())
		}
	}
}

func openssl(t *testing.T, args ...string) (string, error) {
	t.Helper()
	bin, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("openssl not installed")
	}
	out, err := exec.Command(bin, args...).CombinedOutput()
	return string(out), err
}

func TestOpenSSLVerifiesWrittenChains(t *testing.T) {
	_, dir, _ := writtenFixtures(t)
	p := func(rel string) string { return filepath.Join(dir, filepath.FromSlash(rel)) }
	ok := [][]string{
		{"-CAfile", p("main/root.crt.pem"), "-untrusted", p("main/int.crt.pem"), p("main/server.crt.pem")},
		{"-CApath", p("main/truststores/root"), "-untrusted", p("main/int.crt.pem"), p("main/client.crt.pem")},
		{"-CAfile", p("main/truststores/root.pem"), "-untrusted", p("main/server.chain.pem"), p("main/server.crt.pem")},
		{"-CAfile", p("profile/root.crt.pem"), "-untrusted", p("profile/int.crt.pem"), p("profile/device-rsa.crt.pem")},
		{"-CAfile", p("profile/root.crt.pem"), "-untrusted", p("profile/int.crt.pem"), p("profile/device-ed25519.crt.pem")},
		{"-CAfile", p("profile/root.crt.pem"), "-untrusted", p("profile/int.crt.pem"), p("profile/device-p384.crt.pem")},
	}
	for _, args := range ok {
		out, err := openssl(t, append([]string{"verify"}, args...)...)
		if err != nil || !strings.HasSuffix(strings.TrimSpace(out), ": OK") {
			t.Errorf("openssl verify %v: %v\n%s", args, err, out)
		}
	}
	bad := map[string][]string{
		"certificate has expired":                {"-CAfile", p("validity/root.crt.pem"), "-untrusted", p("validity/int.crt.pem"), p("validity/leaf-expired.crt.pem")},
		"certificate is not yet valid":           {"-CAfile", p("validity/root.crt.pem"), "-untrusted", p("validity/int.crt.pem"), p("validity/leaf-not-yet-valid.crt.pem")},
		"unable to get local issuer certificate": {"-CAfile", p("main/root.crt.pem"), "-untrusted", p("other/int.crt.pem"), p("other/server.crt.pem")},
	}
	for want, args := range bad {
		out, err := openssl(t, append([]string{"verify"}, args...)...)
		if err == nil || !strings.Contains(out, want) {
			t.Errorf("openssl verify %v: want failure %q, got %v\n%s", args, want, err, out)
		}
	}
	// The keys are readable by OpenSSL and belong to their certificates.
	for _, name := range []string{"main/server", "profile/device-rsa", "profile/device-ed25519", "profile/device-p384"} {
		fromKey, err1 := openssl(t, "pkey", "-in", p(name+".key.pem"), "-pubout")
		fromCert, err2 := openssl(t, "x509", "-in", p(name+".crt.pem"), "-noout", "-pubkey")
		if err1 != nil || err2 != nil || fromKey != fromCert {
			t.Errorf("%s: key and certificate public keys differ (%v, %v)\n%s\n%s", name, err1, err2, fromKey, fromCert)
		}
	}
}

func TestWriteReplacesWorldsAndLeavesNoStaging(t *testing.T) {
	now := time.Now()
	world := func(cn string) *World {
		return &World{Name: "w", Certs: []*CertSpec{{Name: "root", Kind: "root", Subject: Subject{CN: cn}}},
			TrustStores: []*TrustStoreSpec{{Name: "ts", Certs: []string{"root"}}}}
	}
	dir := filepath.Join(t.TempDir(), "out")
	for _, cn := range []string{"first", "second"} {
		set, err := Materialise([]*World{world(cn)}, now)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := set.Write(dir); err != nil {
			t.Fatal(err)
		}
	}
	got := pemCerts(t, mustRead(t, filepath.Join(dir, "w", "root.crt.pem")))
	if c, err := x509.ParseCertificate(got[0]); err != nil || c.Subject.CommonName != "second" {
		t.Errorf("second write did not replace the world: %v %v", c.Subject, err)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if !slices.Equal(names, []string{ManifestFile, "w"}) {
		t.Errorf("output dir holds %v", names)
	}
}

func TestWriteFailureLeavesDirUntouched(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "keep.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	w := &World{Name: "w", Certs: []*CertSpec{
		{Name: "root", Kind: "root", Subject: Subject{CN: "r"}},
		{Name: "leaf", Kind: "leaf", Role: "server", Issuer: "root", Subject: Subject{CN: "l"}},
	}, TrustStores: []*TrustStoreSpec{{Name: "ts", Certs: []string{"root", "leaf"}}}}
	set, err := Materialise([]*World{w}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	// A subject that cannot be hashed fails the write after the
	// certificate files have already been staged.
	mustCert(t, set, "w/leaf").X509.RawSubject = []byte{0x30, 0x03, 0x02, 0x01, 0x00}
	if _, err := set.Write(dir); err == nil || !strings.Contains(err.Error(), "w/leaf: subject hash") {
		t.Fatalf("write with a bad subject: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != "keep.txt" {
		t.Errorf("failed write left %v behind", entries)
	}
	notDir := filepath.Join(dir, "keep.txt", "out")
	if _, err := set.Write(notDir); err == nil {
		t.Error("write below a regular file succeeded")
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// Two CAs with the same subject share a hash; like c_rehash, the second
// gets suffix .1 and OpenSSL finds the right one by trying both.
func TestTrustStoreDirSameSubject(t *testing.T) {
	w := &World{Name: "twins", Certs: []*CertSpec{
		{Name: "a", Kind: "root", Subject: Subject{CN: "Twin CA"}},
		{Name: "b", Kind: "root", Subject: Subject{CN: "Twin CA"}},
		{Name: "leaf", Kind: "leaf", Role: "server", Issuer: "b", Subject: Subject{CN: "localhost"}},
	}, TrustStores: []*TrustStoreSpec{{Name: "both", Certs: []string{"a", "b"}}}}
	set, err := Materialise([]*World{w}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := set.Write(dir); err != nil {
		t.Fatal(err)
	}
	h, err := OpenSSLNameHash(mustCert(t, set, "twins/a").X509.RawSubject)
	if err != nil {
		t.Fatal(err)
	}
	storeDir := filepath.Join(dir, "twins", "truststores", "both")
	for i, ref := range []string{"twins/a", "twins/b"} {
		got := pemCerts(t, mustRead(t, filepath.Join(storeDir, fmt.Sprintf("%08x.%d", h, i))))
		if len(got) != 1 || !bytes.Equal(got[0], mustCert(t, set, ref).DER) {
			t.Errorf("%08x.%d is not %s", h, i, ref)
		}
	}
	if out, err := openssl(t, "verify", "-CApath", storeDir, filepath.Join(dir, "twins", "leaf.crt.pem")); err != nil {
		t.Errorf("openssl verify -CApath: %v\n%s", err, out)
	}
}
