package leshan

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/internal/procgroup"
)

// jvmFlags trade peak speed for start-up time: the peers live for one
// test suite.
var jvmFlags = []string{
	"-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx256m", "-Xss512k",
	"-Dorg.slf4j.simpleLogger.showDateTime=true",
	"-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS",
}

// javaPath finds the java launcher: $JAVA_HOME/bin/java, else PATH.
func javaPath() (string, error) {
	if home := os.Getenv("JAVA_HOME"); home != "" {
		p := filepath.Join(home, "bin", "java")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	p, err := exec.LookPath("java")
	if err != nil {
		return "", errors.New("java not found (JAVA_HOME unset or wrong, and no java in PATH): the Leshan peers need Java 17")
	}
	return p, nil
}

// stopGrace is the JVM's time between SIGTERM and SIGKILL: the peers'
// shutdown hooks close their sockets.
const stopGrace = 3 * time.Second

// process is a peer running as a JVM in its own process group, which the
// kernel kills if the harness dies first.
type process struct{ g *procgroup.Group }

func startProcess(jars Jars, kind Kind, dir string, args []string, out *outputLog) (*process, error) {
	java, err := javaPath()
	if err != nil {
		return nil, err
	}
	main, err := kind.mainClass()
	if err != nil {
		return nil, err
	}
	cp, err := jars.Classpath(kind)
	if err != nil {
		return nil, err
	}
	argv := append(append([]string{}, jvmFlags...), "-cp", strings.Join(cp, string(os.PathListSeparator)), main)
	cmd := exec.Command(java, append(argv, args...)...)
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = out, out
	// The class path is long: the evidence names the build instead.
	fmt.Fprintf(out, "$ (cd %s && %s %s -cp <%d jars of %s> %s %s)\n", dir, java, strings.Join(jvmFlags, " "),
		len(cp), jars.Dir, main, strings.Join(args, " "))
	g, err := procgroup.Start(cmd, procgroup.Options{Grace: stopGrace, KillWithParent: true})
	if err != nil {
		return nil, fmt.Errorf("leshan: starting the %s peer: %w", kind, err)
	}
	return &process{g: g}, nil
}

func (p *process) pid() int { return p.g.Pid() }

// done is closed when the JVM has exited.
func (p *process) done() <-chan struct{} { return p.g.Done() }

func (p *process) exitError() error {
	select {
	case <-p.g.Done():
		if err := p.g.Err(); err != nil {
			return err
		}
		return errors.New("exited with status 0")
	default:
		return nil
	}
}

// stop ends the process group: SIGTERM, SIGKILL after a grace period.
// Safe to call twice.
func (p *process) stop() error {
	if err := p.g.Stop(); err != nil {
		return fmt.Errorf("leshan: %w", err)
	}
	return nil
}
