package sut

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/peers/leshan"
)

// The Leshan client as a SUT. Leshan's demo jars are not published in the
// Maven repository the project builds from, so the SUT is the client peer
// of peers/leshan: Leshan's own client library (Californium/Scandium DTLS)
// behind the client demo's flags. Its jars are built once per machine by
// leshan.Fetch; a profile names them through {{.LeshanClientArgFile}} or
// {{.LeshanClientClasspath}} and runs them with {{.Java}}.
const (
	// leshanClientMain is the client peer's entry point.
	leshanClientMain = "org.lwm2mconform.leshan.lwm2m.ClientPeer"
	// fileLeshanArgFile is the java @argfile written into the case
	// directory: the class path is some 3 KB, which would bury the
	// command line shown in reports.
	fileLeshanArgFile = "leshan-client.argfile"
	// leshanFetchTimeout bounds the first build of the peers, which
	// downloads Leshan and its dependencies with Maven.
	leshanFetchTimeout = 15 * time.Minute
)

// leshanClient is resolved once per process: Fetch re-hashes every jar,
// which is too slow to repeat for each case.
var leshanClient struct {
	once      sync.Once
	classpath []string
	err       error
}

// leshanClientClasspath is the client peer's class path, fetching (and on
// first use building) the peers into leshan.DefaultCacheDir.
func leshanClientClasspath() ([]string, error) {
	leshanClient.once.Do(func() {
		leshanClient.classpath, leshanClient.err = resolveLeshanClient()
	})
	return leshanClient.classpath, leshanClient.err
}

func resolveLeshanClient() ([]string, error) {
	if _, err := javaLauncher(); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), leshanFetchTimeout)
	defer cancel()
	jars, err := leshan.Fetch(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("Leshan client SUT: %w", err)
	}
	cp, err := jars.Classpath(leshan.KindClient)
	if err != nil {
		return nil, fmt.Errorf("Leshan client SUT: %w", err)
	}
	if err := jarHasClass(cp[0], leshanClientMain); err != nil {
		return nil, fmt.Errorf("Leshan client SUT: %w", err)
	}
	return cp, nil
}

// jarHasClass checks that jar holds class, so that a renamed peer fails
// here with its name rather than as a ClassNotFoundException per case.
func jarHasClass(jar, class string) error {
	z, err := zip.OpenReader(jar)
	if err != nil {
		return err
	}
	defer z.Close()
	entry := strings.ReplaceAll(class, ".", "/") + ".class"
	for _, f := range z.File {
		if f.Name == entry {
			return nil
		}
	}
	return fmt.Errorf("%s has no class %s", jar, class)
}

// javaLauncher finds java as the Leshan peers do: $JAVA_HOME/bin/java,
// else the PATH.
func javaLauncher() (string, error) {
	if home := os.Getenv("JAVA_HOME"); home != "" {
		p := filepath.Join(home, "bin", "java")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	p, err := exec.LookPath("java")
	if err != nil {
		return "", errors.New("java not found ($JAVA_HOME/bin/java, then PATH): the Leshan client SUT needs a Java 17 runtime")
	}
	return p, nil
}

// Java is the java launcher ($JAVA_HOME/bin/java, else java on the PATH).
func (d *TemplateData) Java() (string, error) {
	if d.dry {
		return "java", nil
	}
	return javaLauncher()
}

// LeshanClientClasspath is the Leshan client peer's class path, entries
// joined with the platform's list separator. The first use in a process
// builds or verifies the peers (leshan.Fetch; Maven on the first run).
func (d *TemplateData) LeshanClientClasspath() (string, error) {
	if d.dry {
		return filepath.Join("leshan", "client.jar"), nil
	}
	cp, err := leshanClientClasspath()
	if err != nil {
		return "", err
	}
	return strings.Join(cp, string(os.PathListSeparator)), nil
}

// LeshanClientArgFile writes a java @argfile naming the class path and the
// main class of the Leshan client peer into the case directory and returns
// its path: a profile runs `java "@{{.LeshanClientArgFile}}" <client flags>`.
func (d *TemplateData) LeshanClientArgFile() (string, error) {
	content := []byte("placeholder")
	if !d.dry {
		cp, err := leshanClientClasspath()
		if err != nil {
			return "", err
		}
		content = leshanArgFile(cp)
	}
	return d.file(fileLeshanArgFile, 0o644, content, asIs)
}

// leshanArgFile is "-cp <path> <main class>" in java's @argfile syntax:
// one argument per line, quoted so that a space in a path is kept.
func leshanArgFile(classpath []string) []byte {
	q := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	cp := q.Replace(strings.Join(classpath, string(os.PathListSeparator)))
	return []byte("-cp\n\"" + cp + "\"\n" + leshanClientMain + "\n")
}
