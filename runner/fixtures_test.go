package runner

import (
	"os"
	"sync"
	"testing"

	"github.com/lwm2m-conform/lwm2m-conform/certgen"
	"github.com/lwm2m-conform/lwm2m-conform/internal/fixtures"
)

var (
	fxOnce sync.Once
	fx     *fixtures.Fixtures
	fxErr  error
)

func testFixtures(t testing.TB) *fixtures.Fixtures {
	t.Helper()
	fxOnce.Do(func() {
		wd, _ := os.Getwd()
		root, _ := fixtures.Find(wd)
		fx, fxErr = fixtures.Load(root)
	})
	if fxErr != nil {
		t.Fatal(fxErr)
	}
	return fx
}

func testPKI(t testing.TB) *certgen.Set {
	t.Helper()
	set, err := testFixtures(t).PKI()
	if err != nil {
		t.Fatal(err)
	}
	return set
}
