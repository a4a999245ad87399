package catalog

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
)

// Hash identifies a catalogue version: SHA-256 of its expanded cases as
// JSON (ids, expectations, bases, provisioning, certificate references,
// origins). Results of runs with different hashes are not comparable
// case for case, so shards of different versions are never merged.
func Hash(cases []Case) string {
	h := sha256.New()
	enc := json.NewEncoder(h)
	for _, c := range cases {
		// Case marshals from plain data; an error here is a programming error.
		if err := enc.Encode(c); err != nil {
			panic("catalog: hashing case " + c.ID + ": " + err.Error())
		}
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}
