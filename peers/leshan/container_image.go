package leshan

import (
	"archive/tar"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/moby/moby/client"
)

// ImageRepo is the repository the peers' image is tagged in, one tag per
// content hash (and "latest" for the newest build).
const ImageRepo = "lwm2m-conform/leshan-peers"

// BaseImageEnv names the Java 17 image the peers' image is built on; CI
// sets it to a locally built JRE image, since it reaches no registry.
const BaseImageEnv = "LWM2M_CONFORM_LESHAN_BASE_IMAGE"

// DefaultBaseImage is the base image when BaseImageEnv is unset.
const DefaultBaseImage = "eclipse-temurin:17-jre"

// launcherRel is the entry point script, next to the Dockerfile.
const launcherRel = "docker/leshan-peer.sh"

// imageDir is where the image's files live inside it.
const imageDir = "/opt/leshan-peers"

// contextFile is one file of the build context: its bytes, or a host file.
type contextFile struct {
	name string
	data []byte
	path string
	mode int64
}

// imageContext is everything the image is made of; its hash names it.
type imageContext struct {
	base  string
	files []contextFile // sorted by name
	hash  string
}

// newImageContext lays out the build context from the Dockerfile, the
// launcher and a verified build of the peers.
func newImageContext(dockerfile, launcher []byte, base string, jars Jars) (*imageContext, error) {
	entries, err := readManifest(jars.Dir)
	if err != nil {
		return nil, fmt.Errorf("leshan: %s: %w", jars.Dir, err)
	}
	ic := &imageContext{base: base}
	ic.files = append(ic.files,
		contextFile{name: "Dockerfile", data: dockerfile, mode: 0o644},
		contextFile{name: "leshan-peer.sh", data: launcher, mode: 0o755})
	manifest, err := os.ReadFile(filepath.Join(jars.Dir, manifestName))
	if err != nil {
		return nil, fmt.Errorf("leshan: %w", err)
	}
	ic.files = append(ic.files, contextFile{name: "peers/" + manifestName, data: manifest, mode: 0o644})
	for _, e := range entries {
		ic.files = append(ic.files, contextFile{name: "peers/" + e.rel, path: filepath.Join(jars.Dir, filepath.FromSlash(e.rel)), mode: 0o644})
	}
	for _, k := range []Kind{KindServer, KindBSServer, KindClient} {
		args, err := argFile(jars, k)
		if err != nil {
			return nil, err
		}
		ic.files = append(ic.files, contextFile{name: "peers/" + string(k) + ".args", data: args, mode: 0o644})
	}
	sort.Slice(ic.files, func(i, j int) bool { return ic.files[i].name < ic.files[j].name })

	// The jars are named by SHA1SUMS, so hashing it stands for them.
	h := sha256.New()
	fmt.Fprintf(h, "base %s\n", base)
	for _, f := range ic.files {
		if f.data != nil {
			fmt.Fprintf(h, "%s %o %d\n", f.name, f.mode, len(f.data))
			h.Write(f.data)
		}
	}
	ic.hash = hex.EncodeToString(h.Sum(nil))[:16]
	return ic, nil
}

// argFile is a peer's java @argument file inside the image: the JVM flags
// of process mode, the class path in its order, and the main class.
func argFile(jars Jars, k Kind) ([]byte, error) {
	cp, err := jars.Classpath(k)
	if err != nil {
		return nil, err
	}
	main, err := k.mainClass()
	if err != nil {
		return nil, err
	}
	for i, p := range cp {
		rel, err := filepath.Rel(jars.Dir, p)
		if err != nil {
			return nil, err
		}
		cp[i] = imageDir + "/" + filepath.ToSlash(rel)
	}
	lines := append(append([]string{}, jvmFlags...), "-cp", strings.Join(cp, ":"), main)
	return []byte(strings.Join(lines, "\n") + "\n"), nil
}

// Ref is the image reference of this content.
func (ic *imageContext) ref() string { return ImageRepo + ":" + ic.hash }

// tar writes the context as the engine's build API takes it.
func (ic *imageContext) tar(w io.Writer) error {
	tw := tar.NewWriter(w)
	for _, f := range ic.files {
		data := f.data
		if data == nil {
			b, err := os.ReadFile(f.path)
			if err != nil {
				return err
			}
			data = b
		}
		hdr := &tar.Header{Name: f.name, Mode: f.mode, Size: int64(len(data)), ModTime: time.Unix(0, 0)}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if _, err := tw.Write(data); err != nil {
			return err
		}
	}
	return tw.Close()
}

// builtImages remembers the images this process has checked or built.
var builtImages struct {
	mu   sync.Mutex
	refs map[string]bool
}

// ensureImage returns the reference of the peers' image for the current
// jars, Dockerfile and base image, building it only when the engine does
// not have it yet. log receives one line saying which; the build output
// goes to a file in the cache.
func ensureImage(ctx context.Context, cacheDir string, log io.Writer) (string, error) {
	if cacheDir == "" {
		var err error
		if cacheDir, err = DefaultCacheDir(); err != nil {
			return "", err
		}
	}
	jars, err := fetchForContainer(ctx, cacheDir, log)
	if err != nil {
		return "", err
	}
	dfPath, err := findDockerfile()
	if err != nil {
		return "", err
	}
	df, err := os.ReadFile(dfPath)
	if err != nil {
		return "", fmt.Errorf("leshan: %w", err)
	}
	launcher, err := os.ReadFile(filepath.Join(filepath.Dir(filepath.Dir(dfPath)), launcherRel))
	if err != nil {
		return "", fmt.Errorf("leshan: %w", err)
	}
	base := os.Getenv(BaseImageEnv)
	if base == "" {
		base = DefaultBaseImage
	}
	ic, err := newImageContext(df, launcher, base, jars)
	if err != nil {
		return "", err
	}
	ref := ic.ref()

	builtImages.mu.Lock()
	defer builtImages.mu.Unlock()
	if builtImages.refs[ref] {
		fmt.Fprintf(log, "image %s (built on %s)\n", ref, base)
		return ref, nil
	}
	cli, err := engineClient(ctx)
	if err != nil {
		return "", err
	}
	// Other test processes build the same image: one builds, the others
	// find it afterwards.
	unlock, err := lockDir(cacheDir)
	if err != nil {
		return "", err
	}
	defer unlock()
	if _, err := cli.ImageInspect(ctx, ref); err == nil {
		fmt.Fprintf(log, "image %s reused (built on %s)\n", ref, base)
	} else {
		t0 := time.Now()
		logPath := filepath.Join(cacheDir, "image-"+ic.hash+".build.log")
		if err := buildImage(ctx, cli, ic, logPath); err != nil {
			return "", err
		}
		fmt.Fprintf(log, "image %s built on %s in %s (log: %s)\n", ref, base, time.Since(t0).Round(time.Millisecond), logPath)
	}
	if builtImages.refs == nil {
		builtImages.refs = map[string]bool{}
	}
	builtImages.refs[ref] = true
	return ref, nil
}

// buildImage sends the context to the engine's build API and tags the
// result with its hash and latest; the build's output goes to logPath.
func buildImage(ctx context.Context, cli *client.Client, ic *imageContext, logPath string) error {
	logf, err := os.Create(logPath)
	if err != nil {
		return fmt.Errorf("leshan: %w", err)
	}
	defer logf.Close()
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(ic.tar(pw)) }()
	defer pr.Close()
	base := ic.base
	resp, err := cli.ImageBuild(ctx, pr, client.ImageBuildOptions{
		Dockerfile:  "Dockerfile",
		Tags:        []string{ic.ref(), ImageRepo + ":latest"},
		BuildArgs:   map[string]*string{"BASE_IMAGE": &base},
		Labels:      map[string]string{"org.lwm2m-conform.content": ic.hash, "org.lwm2m-conform.base": base},
		Remove:      true,
		ForceRemove: true,
	})
	if err != nil {
		return fmt.Errorf("leshan: building %s: %w", ic.ref(), err)
	}
	defer resp.Body.Close()
	if err := buildOutput(resp.Body, logf); err != nil {
		b, _ := os.ReadFile(logPath)
		return fmt.Errorf("leshan: building %s on %s: %w\n%s", ic.ref(), base, err, tail(string(b), 30))
	}
	return nil
}

// buildOutput copies the build API's JSON message stream to w as text
// and returns the error it reports, if any.
func buildOutput(r io.Reader, w io.Writer) error {
	dec := json.NewDecoder(r)
	for {
		var m struct {
			Stream      string `json:"stream"`
			Status      string `json:"status"`
			Error       string `json:"error"`
			ErrorDetail struct {
				Message string `json:"message"`
			} `json:"errorDetail"`
		}
		if err := dec.Decode(&m); errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return fmt.Errorf("reading the build output: %w", err)
		}
		if m.Error != "" || m.ErrorDetail.Message != "" {
			msg := m.ErrorDetail.Message
			if msg == "" {
				msg = m.Error
			}
			fmt.Fprintln(w, msg)
			return errors.New(msg)
		}
		switch {
		case m.Stream != "":
			fmt.Fprint(w, m.Stream)
		case m.Status != "":
			fmt.Fprintln(w, m.Status)
		}
	}
}

// Image is the reference of the peers' image container mode runs, built
// first when the engine lacks it (cacheDir "" = DefaultCacheDir).
func Image(ctx context.Context, cacheDir string) (string, error) {
	return ensureImage(ctx, cacheDir, io.Discard)
}
