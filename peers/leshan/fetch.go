package leshan

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
)

// Jars is a verified build of the peers in the cache.
type Jars struct {
	// Dir holds one directory per Maven module (lwm2m, bootstrap): the
	// module's jar and lib/ with its dependencies in Maven repository layout,
	// and SHA1SUMS listing every jar.
	Dir string
	// Built is true when this call ran Maven (first fetch, new sources, or
	// a repair that needed a download).
	Built bool
	// Repaired lists the problems this call found in the cache and fixed
	// (checksum mismatches, missing jars); empty when the cache was sound.
	Repaired []string
}

// ErrMavenMissing is returned when the peers must be built and mvn is not
// on PATH.
var ErrMavenMissing = errors.New("leshan: mvn not found in PATH: Maven and a Java 17 JDK are needed once to build the Leshan peers (container mode runs Maven in a container instead)")

// DefaultCacheDir is $XDG_CACHE_HOME/lwm2m-conform/leshan, or
// ~/.cache/lwm2m-conform/leshan.
func DefaultCacheDir() (string, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("leshan: no cache directory: %w", err)
	}
	return filepath.Join(base, "lwm2m-conform", "leshan"), nil
}

// Classpath is the JVM class path of a peer: its module jar, then the
// dependencies.
func (j Jars) Classpath(k Kind) ([]string, error) {
	if _, err := k.mainClass(); err != nil {
		return nil, err
	}
	entries, err := readManifest(j.Dir)
	if err != nil {
		return nil, fmt.Errorf("leshan: %s: %w", j.Dir, err)
	}
	var own, libs []string
	prefix := k.module() + "/"
	for _, e := range entries {
		if !strings.HasPrefix(e.rel, prefix) {
			continue
		}
		p := filepath.Join(j.Dir, filepath.FromSlash(e.rel))
		if strings.HasPrefix(e.rel, prefix+"lib/") {
			libs = append(libs, p)
		} else {
			own = append(own, p)
		}
	}
	if len(own) != 1 || len(libs) == 0 {
		return nil, fmt.Errorf("leshan: %s: incomplete build of module %s", j.Dir, k.module())
	}
	sort.Strings(libs)
	return append(own, libs...), nil
}

// Fetch makes sure cacheDir ("" = DefaultCacheDir) holds a verified build
// of the peers and returns it. The first call (and any call after the
// sources changed) runs Maven with strict checksums, which downloads
// Leshan and its dependencies from Maven Central; every library jar is then
// compared with the .sha1 Maven Central published for it. Later calls
// re-hash the cached jars: a corrupted one is restored from the local
// Maven repository when that copy still matches its .sha1, else
// downloaded again. A mismatch that survives a fresh download is an error
// naming both sums.
func Fetch(ctx context.Context, cacheDir string) (Jars, error) {
	if cacheDir == "" {
		var err error
		if cacheDir, err = DefaultCacheDir(); err != nil {
			return Jars{}, err
		}
	}
	if err := os.MkdirAll(cacheDir, 0o755); err != nil {
		return Jars{}, fmt.Errorf("leshan: cache: %w", err)
	}
	unlock, err := lockDir(cacheDir)
	if err != nil {
		return Jars{}, err
	}
	defer unlock()

	hash, err := sourceHash()
	if err != nil {
		return Jars{}, fmt.Errorf("leshan: embedded sources: %w", err)
	}
	j := Jars{Dir: filepath.Join(cacheDir, "peers-"+hash)}
	m2 := filepath.Join(cacheDir, "m2")
	if _, err := os.Stat(j.Dir); err == nil {
		problems := verifyBuild(j.Dir, m2)
		if len(problems) == 0 {
			return j, nil
		}
		for _, p := range problems {
			j.Repaired = append(j.Repaired, p.Error())
		}
		if repairFromRepo(j.Dir, m2, problems) && len(verifyBuild(j.Dir, m2)) == 0 {
			return j, nil
		}
		if err := os.RemoveAll(j.Dir); err != nil {
			return j, fmt.Errorf("leshan: removing the damaged build: %w", err)
		}
	}
	// Two tries: a jar that fails its .sha1 is deleted from the local
	// repository and downloaded again.
	for attempt := 1; ; attempt++ {
		err := build(ctx, cacheDir, m2, j.Dir)
		var ce *ChecksumError
		if err == nil || !errors.As(err, &ce) || attempt == 2 {
			if err != nil {
				return j, err
			}
			break
		}
		j.Repaired = append(j.Repaired, err.Error())
	}
	j.Built = true
	if problems := verifyBuild(j.Dir, m2); len(problems) > 0 {
		return j, fmt.Errorf("leshan: fresh build does not verify: %w", problems[0])
	}
	return j, nil
}

// build runs Maven on the embedded sources and moves the verified result
// to dst.
func build(ctx context.Context, cacheDir, m2, dst string) error {
	mvn, err := exec.LookPath("mvn")
	if err != nil {
		return ErrMavenMissing
	}
	work, err := os.MkdirTemp(cacheDir, "build-")
	if err != nil {
		return fmt.Errorf("leshan: %w", err)
	}
	defer os.RemoveAll(work)
	src := filepath.Join(work, "src")
	if err := writeSources(src); err != nil {
		return fmt.Errorf("leshan: writing the peers' sources: %w", err)
	}
	cmd := exec.CommandContext(ctx, mvn, "-B", "-q", "-C", "-Dmaven.repo.local="+m2,
		"-f", filepath.Join(src, "pom.xml"),
		"package", "dependency:copy-dependencies",
		"-Dmdep.useRepositoryLayout=true", "-DincludeScope=runtime")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.Env = append(os.Environ(), "MAVEN_OPTS=-Xmx512m")
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("leshan: mvn package failed (%v):\n%s", err, tail(out.String(), 40))
	}
	stage := filepath.Join(work, "out")
	for _, module := range []string{"lwm2m", "bootstrap"} {
		if err := assembleModule(src, m2, stage, module); err != nil {
			return err
		}
	}
	if err := writeManifest(stage); err != nil {
		return fmt.Errorf("leshan: %w", err)
	}
	if err := os.RemoveAll(dst); err != nil {
		return fmt.Errorf("leshan: %w", err)
	}
	if err := os.Rename(stage, dst); err != nil {
		return fmt.Errorf("leshan: %w", err)
	}
	return nil
}

// assembleModule copies a module's jar and its dependencies into
// stage/module, checking each downloaded jar against its .sha1. A jar that
// fails is deleted from the local repository so that the next build
// downloads it again.
func assembleModule(src, m2, stage, module string) error {
	target := filepath.Join(src, module, "target")
	jars, _ := filepath.Glob(filepath.Join(target, "leshan-peers-"+module+"-*.jar"))
	if len(jars) != 1 {
		return fmt.Errorf("leshan: mvn built no jar for module %s", module)
	}
	dst := filepath.Join(stage, module)
	if err := copyFile(jars[0], filepath.Join(dst, filepath.Base(jars[0]))); err != nil {
		return err
	}
	deps := filepath.Join(target, "dependency")
	return filepath.WalkDir(deps, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".jar") {
			return err
		}
		rel, _ := filepath.Rel(deps, p)
		if !ownArtifact(rel) {
			if err := verifySHA1(p, filepath.Join(m2, rel)+".sha1"); err != nil {
				_ = os.RemoveAll(filepath.Join(m2, filepath.Dir(rel)))
				return err
			}
		}
		return copyFile(p, filepath.Join(dst, "lib", rel))
	})
}

// ownArtifact is true for jars built from our sources (no .sha1 upstream).
func ownArtifact(repoRel string) bool {
	return strings.HasPrefix(filepath.ToSlash(repoRel), "org/lwm2mconform/")
}

// verifyBuild re-hashes every jar of a build: against the .sha1 Maven
// Central published (in the local repository) for library jars, else
// against SHA1SUMS.
func verifyBuild(dir, m2 string) []error {
	entries, err := readManifest(dir)
	if err != nil {
		return []error{fmt.Errorf("%s: %w", dir, err)}
	}
	var problems []error
	for _, e := range entries {
		p := filepath.Join(dir, filepath.FromSlash(e.rel))
		got, err := fileSHA1(p)
		if err != nil {
			problems = append(problems, err)
			continue
		}
		if repoRel, ok := libRel(e.rel); ok {
			sumFile := filepath.Join(m2, repoRel) + ".sha1"
			if want, err := readSHA1File(sumFile); err == nil && want != got {
				problems = append(problems, &ChecksumError{File: p, Source: sumFile, Want: want, Got: got})
				continue
			}
		}
		if got != e.sum {
			problems = append(problems, &ChecksumError{File: p, Source: filepath.Join(dir, manifestName), Want: e.sum, Got: got})
		}
	}
	return problems
}

// libRel turns "lwm2m/lib/org/x/y.jar" into "org/x/y.jar" for library
// jars from Maven Central.
func libRel(rel string) (string, bool) {
	_, after, ok := strings.Cut(rel, "/lib/")
	if !ok || ownArtifact(after) {
		return "", false
	}
	return after, true
}

// repairFromRepo restores damaged library jars from the local Maven
// repository when its copy still matches the published .sha1; it reports
// whether every problem was of that kind.
func repairFromRepo(dir, m2 string, problems []error) bool {
	for _, p := range problems {
		var ce *ChecksumError
		if !errors.As(p, &ce) {
			return false
		}
		rel, err := filepath.Rel(dir, ce.File)
		if err != nil {
			return false
		}
		repoRel, ok := libRel(filepath.ToSlash(rel))
		if !ok {
			return false
		}
		repoJar := filepath.Join(m2, filepath.FromSlash(repoRel))
		if verifySHA1(repoJar, repoJar+".sha1") != nil {
			_ = os.RemoveAll(filepath.Dir(repoJar))
			return false
		}
		if copyFile(repoJar, ce.File) != nil {
			return false
		}
	}
	return true
}

func copyFile(src, dst string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	tmp := dst + ".tmp"
	out, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, dst)
}

// lockDir takes an exclusive lock on dir/.lock, so that concurrent test
// processes build the cache once.
func lockDir(dir string) (func(), error) {
	f, err := os.OpenFile(filepath.Join(dir, ".lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("leshan: cache lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("leshan: cache lock: %w", err)
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

// tail keeps the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
