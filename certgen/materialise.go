package certgen

import (
	"crypto"
	"crypto/rand"
	"crypto/x509"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// Set is every world materialised in memory: keys, certificates and trust stores.
type Set struct {
	now    time.Time
	worlds []string            // sorted
	certs  map[string][]*Cert  // world -> certificates in spec order
	stores map[string][]*store // world -> trust stores in spec order
	byRef  map[string]*Cert    // "world/name"
	tsRef  map[string][]*Cert  // "world/truststore"
}

type store struct {
	name  string
	certs []*Cert
}

// Materialise generates keys and certificates for all worlds. now anchors
// every validity window; it is truncated to whole seconds as X.509 stores them.
func Materialise(worlds []*World, now time.Time) (*Set, error) {
	now = now.UTC().Truncate(time.Second)
	s := &Set{
		now:    now,
		certs:  map[string][]*Cert{},
		stores: map[string][]*store{},
		byRef:  map[string]*Cert{},
		tsRef:  map[string][]*Cert{},
	}
	files := map[string]string{}
	for _, w := range worlds {
		if w == nil {
			return nil, fmt.Errorf("certgen: nil world")
		}
		if err := w.validate(); err != nil {
			return nil, err
		}
		if prev, dup := files[w.Name]; dup {
			return nil, w.errAt(w.lines, "world", "world", "duplicate world name %q (also in %s)", w.Name, prev)
		}
		files[w.Name] = w.File
		s.worlds = append(s.worlds, w.Name)
	}
	sort.Strings(s.worlds)

	keys, err := generateKeys(worlds)
	if err != nil {
		return nil, err
	}
	// Signing is cheap next to key generation, but worlds are independent.
	errs := make([]error, len(worlds))
	built := make([][]*Cert, len(worlds))
	var wg sync.WaitGroup
	for i, w := range worlds {
		wg.Go(func() { built[i], errs[i] = signWorld(w, keys[i], now) })
	}
	wg.Wait()
	for i, w := range worlds {
		if errs[i] != nil {
			return nil, fmt.Errorf("certgen: world %s: %w", w.Name, errs[i])
		}
		s.certs[w.Name] = built[i]
		for _, c := range built[i] {
			s.byRef[c.Ref()] = c
		}
		for _, ts := range w.TrustStores {
			st := &store{name: ts.Name}
			for _, member := range ts.Certs {
				st.certs = append(st.certs, s.byRef[w.Name+"/"+member])
			}
			s.stores[w.Name] = append(s.stores[w.Name], st)
			s.tsRef[w.Name+"/"+ts.Name] = st.certs
		}
	}
	return s, nil
}

// generateKeys makes every key of every world on a worker pool, slowest
// key types first so that an RSA key does not end up alone at the tail.
func generateKeys(worlds []*World) ([][]crypto.Signer, error) {
	type job struct{ w, c int }
	var jobs []job
	keys := make([][]crypto.Signer, len(worlds))
	for wi, w := range worlds {
		keys[wi] = make([]crypto.Signer, len(w.Certs))
		for ci := range w.Certs {
			jobs = append(jobs, job{wi, ci})
		}
	}
	cost := map[string]int{"rsa2048": 0, "p384": 1}
	rank := func(j job) int {
		if r, ok := cost[worlds[j.w].Certs[j.c].Key]; ok {
			return r
		}
		return len(cost)
	}
	slices.SortStableFunc(jobs, func(a, b job) int { return rank(a) - rank(b) })

	queue := make(chan job)
	errs := make(chan error, len(jobs))
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(jobs)) {
		wg.Go(func() {
			for j := range queue {
				k, err := generateKey(worlds[j.w].Certs[j.c].Key)
				if err != nil {
					errs <- fmt.Errorf("certgen: key for %s/%s: %w", worlds[j.w].Name, worlds[j.w].Certs[j.c].Name, err)
					continue
				}
				keys[j.w][j.c] = k
			}
		})
	}
	for _, j := range jobs {
		queue <- j
	}
	close(queue)
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return nil, err
	}
	return keys, nil
}

// signWorld issues the certificates of one validated world, issuers first.
func signWorld(w *World, keys []crypto.Signer, now time.Time) ([]*Cert, error) {
	index := map[string]int{}
	for i, c := range w.Certs {
		index[c.Name] = i
	}
	out := make([]*Cert, len(w.Certs))
	var sign func(i int) (*Cert, error)
	sign = func(i int) (*Cert, error) {
		if out[i] != nil {
			return out[i], nil
		}
		spec := w.Certs[i]
		var issuer *Cert
		if spec.Issuer != "" {
			var err error
			if issuer, err = sign(index[spec.Issuer]); err != nil {
				return nil, err
			}
		}
		c, err := issue(w.Name, spec, keys[i], issuer, now)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", spec.Name, err)
		}
		out[i] = c
		return c, nil
	}
	for i := range w.Certs {
		if _, err := sign(i); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// issue creates one certificate; issuer is nil for self-issued kinds.
func issue(world string, spec *CertSpec, key crypto.Signer, issuer *Cert, now time.Time) (*Cert, error) {
	tmpl, err := certTemplate(spec, now)
	if err != nil {
		return nil, err
	}
	if tmpl.SubjectKeyId, err = subjectKeyID(key.Public()); err != nil {
		return nil, err
	}
	parent, parentKey := tmpl, key
	if issuer != nil {
		parent, parentKey = issuer.X509, issuer.Key
	}
	// Set explicitly: Go omits it for self-issued certificates otherwise.
	tmpl.AuthorityKeyId = parent.SubjectKeyId
	if tmpl.SignatureAlgorithm, err = signatureAlgorithm(parentKey); err != nil {
		return nil, err
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, key.Public(), parentKey)
	if err != nil {
		return nil, err
	}
	parsed, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, err
	}
	c := &Cert{
		World: world, Name: spec.Name, Kind: spec.Kind, Role: spec.Role, KeyType: spec.Key,
		X509: parsed, DER: der, Key: key, KeyPKCS8: pkcs8, Issuer: issuer,
	}
	c.Chain, c.Root = []*Cert{c}, c
	if issuer != nil {
		c.Root = issuer.Root
		// The issuer's chain ends at the root only when the issuer is the root.
		if issuer != issuer.Root {
			c.Chain = append(c.Chain, issuer.Chain...)
		}
	}
	return c, nil
}

// splitRef parses "world/name".
func splitRef(ref string) (string, string, error) {
	world, name, ok := strings.Cut(ref, "/")
	if !ok || world == "" || name == "" || strings.Contains(name, "/") {
		return "", "", fmt.Errorf("certgen: malformed reference %q (want world/name)", ref)
	}
	return world, name, nil
}

// Cert looks up a certificate by "world/name".
func (s *Set) Cert(ref string) (*Cert, error) {
	world, _, err := splitRef(ref)
	if err != nil {
		return nil, err
	}
	if c := s.byRef[ref]; c != nil {
		return c, nil
	}
	if _, ok := s.certs[world]; !ok {
		return nil, fmt.Errorf("certgen: %s: unknown world %q (have %s)", ref, world, strings.Join(s.worlds, ", "))
	}
	return nil, fmt.Errorf("certgen: %s: no such certificate in world %q", ref, world)
}

// TrustStore looks up a trust store by "world/truststore".
func (s *Set) TrustStore(ref string) ([]*Cert, error) {
	world, _, err := splitRef(ref)
	if err != nil {
		return nil, err
	}
	if certs, ok := s.tsRef[ref]; ok {
		return certs, nil
	}
	if _, ok := s.certs[world]; !ok {
		return nil, fmt.Errorf("certgen: %s: unknown world %q (have %s)", ref, world, strings.Join(s.worlds, ", "))
	}
	return nil, fmt.Errorf("certgen: %s: no such trust store in world %q", ref, world)
}

// Worlds lists the world names, sorted.
func (s *Set) Worlds() []string { return slices.Clone(s.worlds) }

// Now is the instant the validity windows were computed from.
func (s *Set) Now() time.Time { return s.now }
