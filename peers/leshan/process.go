package leshan

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
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

// process is a peer running as a JVM in its own process group.
type process struct {
	cmd     *exec.Cmd
	exited  chan struct{}
	waitErr error

	stopOnce sync.Once
	stopErr  error
}

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
	cmd.SysProcAttr = peerSysProcAttr()
	// The class path is long: the evidence names the build instead.
	fmt.Fprintf(out, "$ (cd %s && %s %s -cp <%d jars of %s> %s %s)\n", dir, java, strings.Join(jvmFlags, " "),
		len(cp), jars.Dir, main, strings.Join(args, " "))
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("leshan: starting the %s peer: %w", kind, err)
	}
	p := &process{cmd: cmd, exited: make(chan struct{})}
	go func() {
		p.waitErr = cmd.Wait()
		close(p.exited)
	}()
	return p, nil
}

func (p *process) pid() int { return p.cmd.Process.Pid }

// done is closed when the JVM has exited.
func (p *process) done() <-chan struct{} { return p.exited }

func (p *process) exitError() error {
	select {
	case <-p.exited:
		if p.waitErr == nil {
			return errors.New("exited with status 0")
		}
		return p.waitErr
	default:
		return nil
	}
}

// stop ends the process group: SIGTERM (the peers' shutdown hooks close
// their sockets), SIGKILL after a grace period. Safe to call twice.
func (p *process) stop() error {
	p.stopOnce.Do(func() {
		pgid := p.cmd.Process.Pid
		_ = syscall.Kill(-pgid, syscall.SIGTERM)
		select {
		case <-p.exited:
		case <-time.After(3 * time.Second):
			_ = syscall.Kill(-pgid, syscall.SIGKILL)
			select {
			case <-p.exited:
			case <-time.After(5 * time.Second):
				p.stopErr = fmt.Errorf("leshan: process %d did not exit after SIGKILL", pgid)
				return
			}
		}
		// Anything else left in the group goes too.
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
	})
	return p.stopErr
}
