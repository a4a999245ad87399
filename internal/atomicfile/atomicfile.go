// Package atomicfile replaces a file through a temporary file in the same
// directory and a rename, so a reader never sees half a file and a file
// left by an earlier run never keeps its old mode. The one implementation
// for state files, evidence and key material.
package atomicfile

import (
	"os"
	"path/filepath"
)

// Write replaces path with data, created with mode (e.g. 0600 for secrets).
func Write(path string, data []byte, mode os.FileMode) error {
	return write(path, data, mode, false)
}

// WriteSynced is Write with the data flushed to disk before the rename:
// for state a client must find again after a power cut.
func WriteSynced(path string, data []byte, mode os.FileMode) error {
	return write(path, data, mode, true)
}

func write(path string, data []byte, mode os.FileMode, sync bool) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	if err = tmp.Chmod(mode); err != nil {
		return err
	}
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if sync {
		if err = tmp.Sync(); err != nil {
			return err
		}
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
