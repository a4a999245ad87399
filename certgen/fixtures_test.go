package certgen

import (
	"sync"
	"testing"
	"time"
)

const worldsDir = "../fixtures/worlds"

// The committed worlds are materialised once per test binary: RSA key
// generation dominates and every test only reads the result.
var fixtureOnce struct {
	sync.Once
	worlds []*World
	set    *Set
	now    time.Time
	err    error
}

func fixtureSet(t testing.TB) (*Set, []*World, time.Time) {
	t.Helper()
	f := &fixtureOnce
	f.Do(func() {
		f.now = time.Now().UTC().Truncate(time.Second)
		if f.worlds, f.err = LoadDir(worldsDir); f.err != nil {
			return
		}
		f.set, f.err = Materialise(f.worlds, f.now)
	})
	if f.err != nil {
		t.Fatalf("materialise %s: %v", worldsDir, f.err)
	}
	return f.set, f.worlds, f.now
}

func mustCert(t testing.TB, s *Set, ref string) *Cert {
	t.Helper()
	c, err := s.Cert(ref)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
