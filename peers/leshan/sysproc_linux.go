package leshan

import "syscall"

// peerSysProcAttr puts the JVM in its own process group (Stop kills the
// group) and has the kernel kill it if the harness dies first.
func peerSysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
