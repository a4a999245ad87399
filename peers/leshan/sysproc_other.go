//go:build unix && !linux

package leshan

import "syscall"

// peerSysProcAttr puts the JVM in its own process group (Stop kills the
// group).
func peerSysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}
