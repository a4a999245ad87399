package leshan

import (
	"bufio"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// ChecksumError is a jar whose SHA-1 is not the one it must have.
type ChecksumError struct {
	File   string // the jar
	Source string // where the expected sum comes from (a .sha1 file, or SHA1SUMS)
	Want   string
	Got    string
}

func (e *ChecksumError) Error() string {
	return fmt.Sprintf("checksum mismatch for %s: %s says %s, the file hashes to %s", e.File, e.Source, e.Want, e.Got)
}

// fileSHA1 is the lower-case hex SHA-1 of a file.
func fileSHA1(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha1.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// readSHA1File reads a Maven .sha1 file: the sum is its first word (some
// files carry the file name after it).
func readSHA1File(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	fields := strings.Fields(string(b))
	if len(fields) == 0 || len(fields[0]) != 40 {
		return "", fmt.Errorf("%s: not a SHA-1 checksum file", path)
	}
	sum := strings.ToLower(fields[0])
	if _, err := hex.DecodeString(sum); err != nil {
		return "", fmt.Errorf("%s: not a SHA-1 checksum file", path)
	}
	return sum, nil
}

// verifySHA1 compares file against the sum in sumFile (a Maven .sha1).
func verifySHA1(file, sumFile string) error {
	want, err := readSHA1File(sumFile)
	if err != nil {
		return err
	}
	got, err := fileSHA1(file)
	if err != nil {
		return err
	}
	if got != want {
		return &ChecksumError{File: file, Source: sumFile, Want: want, Got: got}
	}
	return nil
}

// manifestName is the list of every jar of a build with its SHA-1.
const manifestName = "SHA1SUMS"

// writeManifest records "SUM  relpath" for every jar under dir.
func writeManifest(dir string) error {
	var lines []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".jar") {
			return err
		}
		sum, err := fileSHA1(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		lines = append(lines, sum+"  "+filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		return err
	}
	sort.Strings(lines)
	return os.WriteFile(filepath.Join(dir, manifestName), []byte(strings.Join(lines, "\n")+"\n"), 0o644)
}

// manifestEntry is one line of SHA1SUMS.
type manifestEntry struct{ sum, rel string }

func readManifest(dir string) ([]manifestEntry, error) {
	f, err := os.Open(filepath.Join(dir, manifestName))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []manifestEntry
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		sum, rel, ok := strings.Cut(sc.Text(), "  ")
		if !ok || len(sum) != 40 || rel == "" {
			return nil, fmt.Errorf("%s: malformed line %q", manifestName, sc.Text())
		}
		out = append(out, manifestEntry{sum, rel})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s is empty", manifestName)
	}
	return out, sc.Err()
}
