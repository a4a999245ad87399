package leshan

import (
	"fmt"
	"io"
	"os"
	"sync"
)

// maxOutput bounds the output a peer keeps in memory; the file has all.
const maxOutput = 1 << 20

// outputLog captures a peer's stdout and stderr: the last maxOutput bytes
// in memory, everything in a file, and optionally a live copy.
type outputLog struct {
	mu      sync.Mutex
	buf     []byte
	dropped int64
	file    *os.File
	live    io.Writer
}

func newOutputLog(path string, live io.Writer) (*outputLog, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, err
	}
	return &outputLog{file: f, live: live}, nil
}

func (o *outputLog) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.file != nil {
		_, _ = o.file.Write(p)
	}
	if o.live != nil {
		_, _ = o.live.Write(p)
	}
	o.buf = append(o.buf, p...)
	if over := len(o.buf) - maxOutput; over > 0 {
		o.dropped += int64(over)
		o.buf = append(o.buf[:0], o.buf[over:]...)
	}
	return len(p), nil
}

// String is the kept output, with a note when the start was dropped.
func (o *outputLog) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.dropped > 0 {
		return fmt.Sprintf("[... %d earlier bytes in the output file ...]\n%s", o.dropped, o.buf)
	}
	return string(o.buf)
}

// Len is the total number of bytes written so far; Since(n) returns what
// came after.
func (o *outputLog) Len() int64 {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.dropped + int64(len(o.buf))
}

func (o *outputLog) Since(n int64) string {
	o.mu.Lock()
	defer o.mu.Unlock()
	start := n - o.dropped
	if start < 0 {
		start = 0
	}
	if start > int64(len(o.buf)) {
		return ""
	}
	return string(o.buf[start:])
}

func (o *outputLog) close() {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.file != nil {
		_ = o.file.Close()
		o.file = nil
	}
}
