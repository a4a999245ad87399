package runner

import (
	"os"
	"regexp"
	"slices"
	"testing"

	"github.com/lwm2m-conform/lwm2m-conform/sut"
	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// Every EST check name the runner can give is one a baseline may pin, and
// sut and verdict list the same names in the same order.
func TestESTCheckNamesArePinnable(t *testing.T) {
	if !slices.Equal(sut.CheckNames, verdict.CheckNames) {
		t.Fatalf("sut.CheckNames %v\nverdict.CheckNames %v", sut.CheckNames, verdict.CheckNames)
	}
	src, err := os.ReadFile("est_checks.go")
	if err != nil {
		t.Fatal(err)
	}
	var named []string
	for _, m := range regexp.MustCompile(`"(est-[a-z0-9-]+)"`).FindAllStringSubmatch(string(src), -1) {
		if !slices.Contains(named, m[1]) {
			named = append(named, m[1])
		}
	}
	slices.Sort(named)
	want := slices.Clone(verdict.ESTCheckNames)
	slices.Sort(want)
	if !slices.Equal(named, want) {
		t.Fatalf("est_checks.go names %v\nverdict.ESTCheckNames %v", named, want)
	}
}
