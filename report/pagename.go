package report

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
)

// maxSlugLen keeps page file names well under file-system name limits.
const maxSlugLen = 160

// slug turns a case id into a readable file name stem: path separators
// become dots, anything outside [A-Za-z0-9_-] becomes an underscore.
func slug(id string) string {
	var b strings.Builder
	for _, r := range id {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		case r == '/':
			b.WriteByte('.')
		default:
			b.WriteByte('_')
		}
	}
	s := strings.Trim(b.String(), ".")
	if len(s) > maxSlugLen {
		s = s[:maxSlugLen]
	}
	if s == "" {
		s = "case"
	}
	return s
}

// pageNamer hands out one distinct detail-page file name per result, so
// ids that sanitise alike (or repeat) never overwrite each other's page.
type pageNamer struct {
	used map[string]bool
}

func newPageNamer() *pageNamer { return &pageNamer{used: map[string]bool{}} }

// name returns "<slug>.html", falling back to a hash of the id and then a
// counter when that name is taken.
func (p *pageNamer) name(id string) string {
	stem := slug(id)
	if p.take(stem) {
		return stem + ".html"
	}
	sum := sha256.Sum256([]byte(id))
	hashed := stem + "-" + hex.EncodeToString(sum[:4])
	if p.take(hashed) {
		return hashed + ".html"
	}
	for n := 2; ; n++ {
		candidate := hashed + "-" + strconv.Itoa(n)
		if p.take(candidate) {
			return candidate + ".html"
		}
	}
}

func (p *pageNamer) take(stem string) bool {
	key := strings.ToLower(stem) // case-insensitive file systems
	if p.used[key] {
		return false
	}
	p.used[key] = true
	return true
}
