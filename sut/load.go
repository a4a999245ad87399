package sut

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// ProfileDir is where the shipped profiles live, relative to the
// repository root; Load looks there for a bare profile name.
const ProfileDir = "fixtures/sut"

// Load returns the adapter named by nameOrPath: "reference" is the
// in-process reference client (configured by opts); anything else is a
// profile file, or the name of a profile in fixtures/sut
// ("reference-exec" for fixtures/sut/reference-exec.yaml).
func Load(nameOrPath string, opts ReferenceOptions) (Adapter, error) {
	if nameOrPath == "reference" {
		return NewReference(opts), nil
	}
	if nameOrPath == "" {
		return nil, errors.New(`SUT: empty name (want "reference" or a profile file)`)
	}
	path := nameOrPath
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) && isBareName(path) {
		shipped := filepath.Join(ProfileDir, path+".yaml")
		if _, err := os.Stat(shipped); err == nil {
			path = shipped
		} else {
			return nil, fmt.Errorf("SUT %q: not \"reference\", not a file, and no %s", nameOrPath, shipped)
		}
	}
	p, o, err := readProfile(path)
	if err != nil {
		return nil, err
	}
	if o != nil {
		return NewDevice(p, o), nil
	}
	if UsesBootstrap(p) {
		return NewBootstrap(p), nil
	}
	return NewExec(p), nil
}

func isBareName(s string) bool {
	return !strings.ContainsAny(s, `/\`) && filepath.Ext(s) == ""
}
