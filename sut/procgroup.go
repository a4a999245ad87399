package sut

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// groupGoneWait bounds waiting for killed group members to die: SIGKILL is
// delivered asynchronously, and "nothing left behind" must hold when Stop
// returns.
const groupGoneWait = time.Second

// liveMembers counts the processes of group pgid that have not ended,
// from /proc (zombies have ended; whether they are reaped is up to the
// init process). ok is false when /proc cannot be read.
func liveMembers(pgid int) (n int, ok bool) {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return 0, false
	}
	for _, e := range ents {
		if e.Name()[0] < '0' || e.Name()[0] > '9' {
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
			n++
		}
	}
	return n, true
}

// waitGroupGone polls until no live process remains in group pgid, or the
// limit passes. It reports whether the group is gone.
func waitGroupGone(pgid int, limit time.Duration) bool {
	deadline := time.Now().Add(limit)
	for {
		n, ok := liveMembers(pgid)
		if !ok || n == 0 {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(2 * time.Millisecond)
	}
}
