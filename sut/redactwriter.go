package sut

import (
	"bytes"
	"io"
)

const (
	// pemLabelMax bounds the label of a PEM header ("-----BEGIN … -----").
	pemLabelMax = 64
	// pemBodyMax bounds a private key block: past it, without an END
	// line, output is shown again (after a marker).
	pemBodyMax = 64 << 10
)

var (
	pemDashes = []byte("-----")
	pemEnd    = []byte("-----END ")
)

// redactWriter streams text to w with r's secrets hidden. It holds back
// only what could be the start of a secret, so the SUT's log stays live.
type redactWriter struct {
	r       *Redactor
	w       io.Writer
	buf     []byte
	prev    byte // last byte passed on, for whole-word matches
	inPEM   bool // inside a private key block
	skipped int  // bytes of it dropped so far
}

// Writer returns a writer that passes text to w with the secrets hidden;
// Close passes on what it still holds.
func (r *Redactor) Writer(w io.Writer) io.WriteCloser { return &redactWriter{r: r, w: w} }

func (rw *redactWriter) Write(p []byte) (int, error) {
	rw.buf = append(rw.buf, p...)
	return len(p), rw.flush(false)
}

func (rw *redactWriter) Close() error { return rw.flush(true) }

// flush passes on everything that cannot be part of a secret; final means
// no more input will come.
func (rw *redactWriter) flush(final bool) error {
	var out []byte
	for len(rw.buf) > 0 {
		if rw.inPEM {
			if !rw.skipPEM(final, &out) {
				break
			}
			continue
		}
		start, end, repl, hold := rw.next(final)
		if hold >= 0 {
			out = rw.emit(out, rw.buf[:hold])
			rw.buf = rw.buf[hold:]
			break
		}
		if start < 0 {
			out = rw.emit(out, rw.buf)
			rw.buf = rw.buf[:0]
			break
		}
		out = rw.emit(out, rw.buf[:start])
		if repl == nil { // a PEM block that holds no private key
			out = rw.emit(out, rw.buf[start:end])
		} else {
			out = append(out, repl...)
			rw.prev = 'x'
		}
		rw.buf = rw.buf[end:]
	}
	rw.buf = append([]byte(nil), rw.buf...) // do not pin what was passed on
	if len(out) == 0 {
		return nil
	}
	_, err := rw.w.Write(out)
	return err
}

func (rw *redactWriter) emit(out, b []byte) []byte {
	if len(b) > 0 {
		rw.prev = b[len(b)-1]
	}
	return append(out, b...)
}

// next finds the earliest secret in buf: [start, end) and what replaces it
// (nil: pass the span on unchanged), start -1 for none; or hold ≥ 0, where
// the text from hold on may still become a secret.
func (rw *redactWriter) next(final bool) (start, end int, repl []byte, hold int) {
	buf := rw.buf
	start, hold = -1, -1
	for _, p := range rw.r.pats {
		for off := 0; off < len(buf); {
			i := bytes.Index(buf[off:], p.text)
			if i < 0 {
				if !final {
					if k := partialSuffix(buf, p.text); k >= 0 && (hold < 0 || k < hold) {
						hold = k
					}
				}
				break
			}
			i += off
			if start >= 0 && i >= start {
				break
			}
			s, e, rp, ok, more := rw.judge(p, i, final)
			if more {
				if hold < 0 || i < hold {
					hold = i
				}
				break
			}
			if ok {
				start, end, repl = s, e, rp
				break
			}
			off = i + 1
		}
	}
	if start >= 0 && (hold < 0 || start < hold) {
		return start, end, repl, -1
	}
	return -1, 0, nil, hold
}

// judge decides a match of p at i: a secret to replace, not one (ok
// false), or more input needed.
func (rw *redactWriter) judge(p pattern, i int, final bool) (start, end int, repl []byte, ok, more bool) {
	buf := rw.buf
	e := i + len(p.text)
	if p.begin {
		j := bytes.Index(buf[e:min(len(buf), e+pemLabelMax)], pemDashes)
		if j < 0 {
			return 0, 0, nil, false, !final && len(buf)-e < pemLabelMax
		}
		label := buf[e : e+j]
		end := e + j + len(pemDashes)
		if bytes.HasSuffix(label, []byte("PRIVATE KEY")) {
			rw.inPEM, rw.skipped = true, 0
			return i, end, []byte(RedactedPrivateKey), true, false
		}
		return i, end, nil, true, false
	}
	if !p.word {
		return i, e, p.repl, true, false
	}
	before := rw.prev
	if i > 0 {
		before = buf[i-1]
	}
	if wordByte(before) {
		return 0, 0, nil, false, false
	}
	if e == len(buf) {
		if !final {
			return 0, 0, nil, false, true
		}
		return i, e, p.repl, true, false
	}
	if wordByte(buf[e]) {
		return 0, 0, nil, false, false
	}
	return i, e, p.repl, true, false
}

// skipPEM drops a private key block up to its END line; false means wait
// for more input.
func (rw *redactWriter) skipPEM(final bool, out *[]byte) bool {
	buf := rw.buf
	if i := bytes.Index(buf, pemEnd); i >= 0 {
		e := i + len(pemEnd)
		if j := bytes.Index(buf[e:min(len(buf), e+pemLabelMax)], pemDashes); j >= 0 {
			rw.buf, rw.inPEM = buf[e+j+len(pemDashes):], false
			return true
		}
		if !final && len(buf)-e < pemLabelMax {
			rw.skipped += i
			rw.buf = buf[i:]
			return false
		}
		rw.buf, rw.inPEM = buf[e:], false
		return true
	}
	keep := 0
	if !final {
		keep = min(len(buf), len(pemEnd)-1)
	}
	rw.skipped += len(buf) - keep
	rw.buf = buf[len(buf)-keep:]
	if rw.skipped > pemBodyMax || final {
		rw.inPEM = false
		*out = append(*out, "[... private key block without an END line ...]"...)
		return !final && len(rw.buf) > 0
	}
	return false
}

// partialSuffix is where the longest suffix of buf that begins p starts,
// -1 if none.
func partialSuffix(buf, p []byte) int {
	from := max(0, len(buf)-len(p)+1)
	for i := from; i < len(buf); i++ {
		j := bytes.IndexByte(buf[i:], p[0])
		if j < 0 {
			return -1
		}
		i += j
		if bytes.HasPrefix(p, buf[i:]) {
			return i
		}
	}
	return -1
}

func wordByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}
