package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// lockName is the lock file a run keeps in its report directory.
const lockName = ".lwm2m-conform.lock"

// lockDir claims dir for this process, so two runs never write one report
// directory at once. The lock file holds the pid; the lock itself is an
// flock, which the kernel drops when the process dies, so a lock file
// left by a killed run (its pid dead) is simply taken over.
func lockDir(dir string) (release func(), err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, lockName)
	for {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			return nil, err
		}
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
			data, _ := os.ReadFile(path)
			f.Close()
			if errors.Is(err, syscall.EWOULDBLOCK) {
				return nil, usageErr(fmt.Errorf("%s is in use by another lwm2m-conform run (pid %s, %s): wait for it to end or choose another directory",
					dir, orUnknown(strings.TrimSpace(string(data))), path))
			}
			return nil, err
		}
		// The holder before us may have removed the file between our open
		// and our lock: then we hold a lock on nothing. Start again.
		if same, err := sameFile(f, path); err != nil || !same {
			f.Close()
			if err != nil && !errors.Is(err, os.ErrNotExist) {
				return nil, err
			}
			continue
		}
		if err := f.Truncate(0); err != nil {
			f.Close()
			return nil, err
		}
		if _, err := f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0); err != nil {
			f.Close()
			return nil, err
		}
		return func() { os.Remove(path); f.Close() }, nil
	}
}

func sameFile(f *os.File, path string) (bool, error) {
	a, err := f.Stat()
	if err != nil {
		return false, err
	}
	b, err := os.Stat(path)
	if err != nil {
		return false, err
	}
	return os.SameFile(a, b), nil
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}
