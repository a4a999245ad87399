package sut

import (
	"fmt"
	"os"
	"sync"
)

// outputKeep is how much of the start and of the end of a SUT's output is
// kept, in memory and in sut-output.log: the start shows how the SUT came
// up, the end why it failed; a SUT printing without end must not fill the
// disk of a CI runner.
const outputKeep = 256 << 10

// outputBuffer keeps the first and last keep bytes written to it, and
// streams them to a log file while the whole output still fits. It is safe
// for concurrent use: the SUT writes while the runner reads.
type outputBuffer struct {
	mu      sync.Mutex
	keep    int
	head    []byte
	tail    []byte
	total   int64 // bytes written
	dropped int64 // bytes between head and tail
	file    *os.File
	inFile  int64 // bytes streamed to file, the first ones
}

// newOutputBuffer keeps keep bytes at each end; f, when not nil, gets the
// same text and is closed by finish.
func newOutputBuffer(keep int, f *os.File) *outputBuffer {
	return &outputBuffer{keep: keep, file: f}
}

func (b *outputBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := len(p)
	if b.file != nil && b.inFile == b.total && b.total+int64(n) <= int64(2*b.keep) {
		// A failing log (disk full) must not stop the copy: the SUT would
		// block on a full pipe, and the buffer still holds its output.
		m, _ := b.file.Write(p)
		b.inFile += int64(m)
	}
	b.total += int64(n)
	if h := min(len(p), b.keep-len(b.head)); h > 0 {
		b.head = append(b.head, p[:h]...)
		p = p[h:]
	}
	switch over := len(b.tail) + len(p) - b.keep; {
	case len(p) >= b.keep:
		b.dropped += int64(over)
		b.tail = append(b.tail[:0], p[len(p)-b.keep:]...)
	case over > 0:
		b.dropped += int64(over)
		b.tail = append(append(b.tail[:0], b.tail[over:]...), p...)
	default:
		b.tail = append(b.tail, p...)
	}
	return n, nil
}

func (b *outputBuffer) marker() string {
	return fmt.Sprintf("\n[... %d bytes of output left out: the first and the last %d KiB are kept ...]\n", b.dropped, b.keep>>10)
}

// String is the kept output, the cut marked.
func (b *outputBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.dropped == 0 {
		return string(b.head) + string(b.tail)
	}
	return string(b.head) + b.marker() + string(b.tail)
}

// finish writes the marked cut and the tail to the log file, if the whole
// output did not fit, and closes it.
func (b *outputBuffer) finish() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.file == nil {
		return
	}
	if b.dropped > 0 && b.inFile >= int64(len(b.head)) && b.file.Truncate(int64(len(b.head))) == nil {
		if _, err := b.file.Seek(int64(len(b.head)), 0); err == nil {
			b.file.Write([]byte(b.marker()))
			b.file.Write(b.tail)
		}
	}
	b.file.Close()
	b.file = nil
}

// Close is finish, for the closers of an in-process SUT.
func (b *outputBuffer) Close() error {
	b.finish()
	return nil
}
