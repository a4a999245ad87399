//go:build unix && !linux

package procgroup

import "syscall"

// sysProcAttr ignores killWithParent: Pdeathsig is Linux's.
func sysProcAttr(killWithParent bool) *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}

// awaitExit cannot wait without reaping here: the caller reaps instead.
func awaitExit(pid int) bool { return false }
