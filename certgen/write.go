package certgen

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Manifest lists every file Write produced; paths are relative to its directory.
type Manifest struct {
	Generated time.Time  `json:"generated"`
	Artefacts []Artefact `json:"artefacts"`
}

// Artefact is one certificate with its key, or one trust store (Role
// "truststore", Members set). SHA256 is over the certificate DER, or over
// the bundle PEM file for a trust store.
type Artefact struct {
	Name      string            `json:"name"`
	World     string            `json:"world"`
	Role      string            `json:"role"`
	Kind      string            `json:"kind"`
	Subject   string            `json:"subject"`
	Issuer    string            `json:"issuer"`
	Serial    string            `json:"serial"`
	NotBefore time.Time         `json:"not_before"`
	NotAfter  time.Time         `json:"not_after"`
	SHA256    string            `json:"sha256"`
	KeyType   string            `json:"key_type"`
	Files     map[string]string `json:"files"`
	Members   []string          `json:"members,omitempty"` // trust stores: "world/name" of each certificate
}

// Role and Kind of trust-store artefacts.
const RoleTrustStore = "truststore"

// ManifestFile is the name of the manifest inside the output directory.
const ManifestFile = "manifest.json"

// stagingPrefix cannot collide with a world directory: world names never
// start with '.'.
const stagingPrefix = ".certgen-staging-"

// Write stores every world under dir/<world>/ and dir/manifest.json. All
// files are first written to a staging directory inside dir and moved into
// place only once complete, so an error leaves dir as it was.
func (s *Set) Write(dir string) (*Manifest, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("certgen: %w", err)
	}
	staging, err := os.MkdirTemp(dir, stagingPrefix)
	if err != nil {
		return nil, fmt.Errorf("certgen: %w", err)
	}
	defer os.RemoveAll(staging)

	// Worlds are written concurrently: the time goes into file-creation
	// system calls, which overlap well.
	perWorld := make([][]Artefact, len(s.worlds))
	errs := make([]error, len(s.worlds))
	var wg sync.WaitGroup
	for i, world := range s.worlds {
		wg.Go(func() { perWorld[i], errs[i] = s.writeWorld(staging, world) })
	}
	wg.Wait()
	m := &Manifest{Generated: s.now}
	for i := range s.worlds {
		if errs[i] != nil {
			return nil, errs[i]
		}
		m.Artefacts = append(m.Artefacts, perWorld[i]...)
	}
	js, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("certgen: manifest: %w", err)
	}
	if err := os.WriteFile(filepath.Join(staging, ManifestFile), append(js, '\n'), 0o644); err != nil {
		return nil, fmt.Errorf("certgen: %w", err)
	}
	// Swap each world in with two renames; the old tree is moved into the
	// staging directory and deleted with it.
	for _, world := range s.worlds {
		final := filepath.Join(dir, world)
		if err := os.Rename(final, filepath.Join(staging, ".old-"+world)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("certgen: %w", err)
		}
		if err := os.Rename(filepath.Join(staging, world), final); err != nil {
			return nil, fmt.Errorf("certgen: %w", err)
		}
	}
	if err := os.Rename(filepath.Join(staging, ManifestFile), filepath.Join(dir, ManifestFile)); err != nil {
		return nil, fmt.Errorf("certgen: %w", err)
	}
	return m, nil
}

// writeWorld writes one world's certificates and trust stores below root.
func (s *Set) writeWorld(root, world string) ([]Artefact, error) {
	fw := &fileWriter{root: root}
	fw.mkdir(world + "/truststores")
	var out []Artefact
	for _, c := range s.certs[world] {
		out = append(out, fw.cert(c))
	}
	for _, st := range s.stores[world] {
		a, err := fw.trustStore(world, st)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	if fw.err != nil {
		return nil, fmt.Errorf("certgen: %w", fw.err)
	}
	return out, nil
}

// fileWriter writes files relative to root and keeps the first error, so
// the artefact builders read as plain lists of files.
type fileWriter struct {
	root string
	err  error
}

func (fw *fileWriter) mkdir(rel string) {
	if fw.err == nil {
		fw.err = os.MkdirAll(filepath.Join(fw.root, filepath.FromSlash(rel)), 0o755)
	}
}

// put writes data at rel (slash-separated, in an existing directory) and
// returns rel for the manifest.
func (fw *fileWriter) put(rel string, data []byte, perm os.FileMode) string {
	if fw.err == nil {
		fw.err = os.WriteFile(filepath.Join(fw.root, filepath.FromSlash(rel)), data, perm)
	}
	return rel
}

func (fw *fileWriter) cert(c *Cert) Artefact {
	base := c.World + "/" + c.Name
	sum := sha256.Sum256(c.DER)
	return Artefact{
		Name: c.Name, World: c.World, Role: c.Role, Kind: c.Kind,
		Subject:   c.X509.Subject.String(),
		Issuer:    c.X509.Issuer.String(),
		Serial:    strings.ToUpper(c.X509.SerialNumber.Text(16)),
		NotBefore: c.X509.NotBefore, NotAfter: c.X509.NotAfter,
		SHA256:  hex.EncodeToString(sum[:]),
		KeyType: c.KeyType,
		Files: map[string]string{
			"cert_pem":      fw.put(base+".crt.pem", c.PEM(), 0o644),
			"cert_der":      fw.put(base+".crt.der", c.DER, 0o644),
			"key_pem":       fw.put(base+".key.pem", c.KeyPEM(), 0o600),
			"key_der":       fw.put(base+".key.der", c.KeyPKCS8, 0o600),
			"chain_pem":     fw.put(base+".chain.pem", pemBundle(c.Chain), 0o644),
			"fullchain_pem": fw.put(base+".fullchain.pem", pemBundle(c.fullChain()), 0o644),
		},
	}
}

// trustStore writes the PEM bundle and the hashed directory (OpenSSL
// -CApath layout: <subject hash>.<n>, n counting certificates whose
// subjects share a hash).
func (fw *fileWriter) trustStore(world string, st *store) (Artefact, error) {
	base := world + "/truststores/" + st.name
	bundle := pemBundle(st.certs)
	sum := sha256.Sum256(bundle)
	a := Artefact{
		Name: st.name, World: world, Role: RoleTrustStore, Kind: RoleTrustStore,
		SHA256: hex.EncodeToString(sum[:]),
		Files: map[string]string{
			"bundle_pem": fw.put(base+".pem", bundle, 0o644),
			"dir":        base,
		},
	}
	fw.mkdir(base)
	used := map[uint32]int{}
	for _, c := range st.certs {
		a.Members = append(a.Members, c.Ref())
		h, err := OpenSSLNameHash(c.X509.RawSubject)
		if err != nil {
			return a, fmt.Errorf("certgen: %s: subject hash: %w", c.Ref(), err)
		}
		fw.put(fmt.Sprintf("%s/%08x.%d", base, h, used[h]), c.PEM(), 0o644)
		used[h]++
	}
	return a, nil
}
