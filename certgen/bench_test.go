package certgen

import (
	"testing"
	"time"
)

func BenchmarkMaterialiseAll(b *testing.B) {
	worlds, err := LoadDir(worldsDir)
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now()
	for b.Loop() {
		if _, err := Materialise(worlds, now); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWriteAll(b *testing.B) {
	worlds, err := LoadDir(worldsDir)
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now()
	dir := b.TempDir()
	for b.Loop() {
		set, err := Materialise(worlds, now)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := set.Write(dir); err != nil {
			b.Fatal(err)
		}
	}
}
