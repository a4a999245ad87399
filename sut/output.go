package sut

import (
	"strconv"
	"sync"
)

// outputLimit is how much of a SUT's output an Instance keeps in memory:
// the end of the output is where a failure is explained.
const outputLimit = 256 << 10

// tailBuffer keeps the last limit bytes written to it. It is safe for
// concurrent use: the SUT writes while the runner reads.
type tailBuffer struct {
	mu      sync.Mutex
	limit   int
	buf     []byte
	dropped int64 // bytes discarded from the front
}

func newTailBuffer(limit int) *tailBuffer { return &tailBuffer{limit: limit} }

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := len(p)
	if len(p) >= b.limit {
		b.dropped += int64(len(b.buf) + len(p) - b.limit)
		b.buf = append(b.buf[:0], p[len(p)-b.limit:]...)
		return n, nil
	}
	if over := len(b.buf) + len(p) - b.limit; over > 0 {
		b.dropped += int64(over)
		b.buf = append(b.buf[:0], b.buf[over:]...)
	}
	b.buf = append(b.buf, p...)
	return n, nil
}

// String returns the kept output, prefixed by a note when the front was
// discarded so that a reader knows the log is partial.
func (b *tailBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.dropped == 0 {
		return string(b.buf)
	}
	return "[... " + strconv.FormatInt(b.dropped, 10) + " earlier bytes dropped ...]\n" + string(b.buf)
}
