package procgroup

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Members lists the processes of group pgid that have not ended, from
// /proc (zombies have ended; whether they are reaped is up to the init
// process). ok is false when /proc cannot be read.
func Members(pgid int) (pids []int, ok bool) {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return nil, false
	}
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue // ended meanwhile
		}
		// After the parenthesised command name: state ppid pgrp ...
		s := string(stat)
		f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
		if len(f) < 3 || f[0] == "Z" || f[0] == "X" {
			continue
		}
		if g, err := strconv.Atoi(f[2]); err == nil && g == pgid {
			pids = append(pids, pid)
		}
	}
	return pids, true
}

// waitGone polls until no live process remains in group pgid, or the
// limit passes. It reports whether the group is gone.
func waitGone(pgid int, limit time.Duration) bool {
	deadline := time.Now().Add(limit)
	for {
		pids, ok := Members(pgid)
		if !ok || len(pids) == 0 {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(2 * time.Millisecond)
	}
}
