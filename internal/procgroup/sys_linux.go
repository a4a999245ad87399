package procgroup

import (
	"syscall"

	"golang.org/x/sys/unix"
)

func sysProcAttr(killWithParent bool) *syscall.SysProcAttr {
	a := &syscall.SysProcAttr{Setpgid: true}
	if killWithParent {
		a.Pdeathsig = syscall.SIGKILL
	}
	return a
}

// awaitExit blocks until process pid has exited and leaves it unreaped
// (waitid WNOWAIT), so that its group id stays reserved; true says so.
func awaitExit(pid int) bool {
	var info unix.Siginfo
	for {
		err := unix.Waitid(unix.P_PID, pid, &info, unix.WEXITED|unix.WNOWAIT, nil)
		if err != unix.EINTR {
			return true
		}
	}
}
