package leshan

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestChecksumErrorNamesBothSums(t *testing.T) {
	dir := t.TempDir()
	jar := filepath.Join(dir, "x.jar")
	if err := os.WriteFile(jar, []byte("jar bytes"), 0o644); err != nil {
		t.Fatal(err)
	}
	want := strings.Repeat("ab", 20)
	if err := os.WriteFile(jar+".sha1", []byte(want+"  x.jar\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := verifySHA1(jar, jar+".sha1")
	var ce *ChecksumError
	if !errors.As(err, &ce) {
		t.Fatalf("verifySHA1 = %v, want a *ChecksumError", err)
	}
	got, _ := fileSHA1(jar)
	if msg := err.Error(); !strings.Contains(msg, want) || !strings.Contains(msg, got) || !strings.Contains(msg, jar) {
		t.Errorf("%q does not name the file and both sums", msg)
	}
	if err := os.WriteFile(jar+".sha1", []byte(strings.ToUpper(got)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := verifySHA1(jar, jar+".sha1"); err != nil {
		t.Errorf("upper-case sum: %v", err)
	}
	for _, junk := range []string{"", "not-a-sum", strings.Repeat("zz", 20)} {
		_ = os.WriteFile(jar+".sha1", []byte(junk), 0o644)
		if err := verifySHA1(jar, jar+".sha1"); err == nil || errors.As(err, &ce) {
			t.Errorf(".sha1 %q: %v, want a format error", junk, err)
		}
	}
}

func TestFetchWithoutMavenSaysSo(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, err := Fetch(context.Background(), t.TempDir())
	if !errors.Is(err, ErrMavenMissing) {
		t.Fatalf("Fetch without mvn = %v, want ErrMavenMissing", err)
	}
}

// cacheCopy builds a cache directory holding a copy of the default
// cache's build and of the repository artifacts its libraries come from.
// With fullRepo the whole local repository (Maven's plugins too) is
// copied, so that Maven can run on it.
func cacheCopy(t *testing.T, fullRepo bool) (string, Jars) {
	t.Helper()
	requireJava(t)
	ctx := testCtx(t, 5*time.Minute)
	orig, err := Fetch(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	cache := t.TempDir()
	dst := filepath.Join(cache, filepath.Base(orig.Dir))
	copyTree(t, orig.Dir, dst)
	m2 := filepath.Join(filepath.Dir(orig.Dir), "m2")
	if fullRepo {
		copyTree(t, m2, filepath.Join(cache, "m2"))
		return cache, Jars{Dir: dst}
	}
	entries, err := readManifest(orig.Dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if rel, ok := libRel(e.rel); ok {
			for _, f := range []string{rel, rel + ".sha1"} {
				if err := copyFile(filepath.Join(m2, f), filepath.Join(cache, "m2", f)); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	return cache, Jars{Dir: dst}
}

func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		return copyFile(p, filepath.Join(dst, rel))
	})
	if err != nil {
		t.Fatal(err)
	}
}

// corrupt flips a byte in the middle of a file.
func corrupt(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 0xff
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func leshanServerJar(t *testing.T, j Jars) string {
	t.Helper()
	cp, err := j.Classpath(KindServer)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range cp {
		if strings.HasSuffix(p, "leshan-lwm2m-server-"+Version+".jar") {
			return p
		}
	}
	t.Fatalf("no leshan-lwm2m-server jar in %v", cp)
	return ""
}

func TestFetchRestoresCorruptedCachedJar(t *testing.T) {
	cache, j := cacheCopy(t, false)
	jar := leshanServerJar(t, j)
	corrupt(t, jar)
	got, err := Fetch(testCtx(t, time.Minute), cache)
	if err != nil {
		t.Fatal(err)
	}
	if got.Built || len(got.Repaired) != 1 || !strings.Contains(got.Repaired[0], "checksum mismatch for "+jar) {
		t.Fatalf("Fetch = %+v, want one repaired checksum mismatch of %s and no build", got, jar)
	}
	if problems := verifyBuild(got.Dir, filepath.Join(cache, "m2")); len(problems) != 0 {
		t.Errorf("after the repair: %v", problems)
	}
}

func TestFetchRefetchesCorruptedRepositoryJar(t *testing.T) {
	cache, j := cacheCopy(t, !testing.Short())
	jar := leshanServerJar(t, j)
	repoJar := filepath.Join(cache, "m2", "org", "eclipse", "leshan", "leshan-lwm2m-server", Version, filepath.Base(jar))
	corrupt(t, jar)
	corrupt(t, repoJar)
	m2 := filepath.Join(cache, "m2")
	problems := verifyBuild(j.Dir, m2)
	var ce *ChecksumError
	if len(problems) != 1 || !errors.As(problems[0], &ce) || ce.Source != repoJar+".sha1" || ce.Want == ce.Got {
		t.Fatalf("verifyBuild = %v, want one mismatch against Maven Central's .sha1", problems)
	}
	// The local repository's copy is bad too: no repair from it, and it
	// is deleted so that the next build downloads it again.
	if repairFromRepo(j.Dir, m2, problems) {
		t.Fatal("repaired from a corrupted repository copy")
	}
	if _, err := os.Stat(repoJar); !os.IsNotExist(err) {
		t.Errorf("corrupted repository copy still there (stat: %v)", err)
	}
	if testing.Short() {
		return
	}
	// Fetch downloads it again from Maven Central and rebuilds.
	got, err := Fetch(testCtx(t, 5*time.Minute), cache)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Built || len(got.Repaired) != 1 || !strings.Contains(got.Repaired[0], ce.Want) {
		t.Errorf("Fetch = %+v, want a rebuild after the mismatch", got)
	}
	if problems := verifyBuild(got.Dir, m2); len(problems) != 0 {
		t.Errorf("after the download: %v", problems)
	}
}
