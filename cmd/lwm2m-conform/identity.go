package main

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"

	"github.com/lwm2m-conform/lwm2m-conform/report"
	"github.com/lwm2m-conform/lwm2m-conform/sut"
)

// profileIdentity names the SUT profile of a run and hashes its
// definition: the bytes of the profile file (found as sut.Load finds it),
// or, for the built-in reference client, its name, since its definition
// is the binary itself.
func profileIdentity(flagValue string, adapter sut.Adapter) (report.Profile, error) {
	p := report.Profile{Name: adapter.Name()}
	data := []byte("built-in " + adapter.Name())
	if flagValue != "reference" {
		path := flagValue
		if _, err := os.Stat(path); err != nil {
			path = filepath.Join(sut.ProfileDir, flagValue+".yaml")
		}
		var err error
		if data, err = os.ReadFile(path); err != nil {
			return p, err
		}
	}
	sum := sha256.Sum256(data)
	p.Hash = "sha256:" + hex.EncodeToString(sum[:])
	return p, nil
}
