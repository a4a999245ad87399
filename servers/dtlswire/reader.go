package dtlswire

// reader walks a byte slice; every method reports false instead of reading
// past the end, so malformed lengths can never cause a panic.
type reader struct{ b []byte }

func (r *reader) empty() bool { return len(r.b) == 0 }

func (r *reader) u8(v *uint8) bool {
	if len(r.b) < 1 {
		return false
	}
	*v = r.b[0]
	r.b = r.b[1:]
	return true
}

func (r *reader) u16(v *uint16) bool {
	if len(r.b) < 2 {
		return false
	}
	*v = uint16(r.b[0])<<8 | uint16(r.b[1])
	r.b = r.b[2:]
	return true
}

func (r *reader) bytes(n int, v *[]byte) bool {
	if n < 0 || len(r.b) < n {
		return false
	}
	*v = r.b[:n]
	r.b = r.b[n:]
	return true
}

// vec8 reads an opaque vector with a one-byte length prefix.
func (r *reader) vec8(v *[]byte) bool {
	var n uint8
	return r.u8(&n) && r.bytes(int(n), v)
}

// vec16 reads an opaque vector with a two-byte length prefix.
func (r *reader) vec16(v *[]byte) bool {
	var n uint16
	return r.u16(&n) && r.bytes(int(n), v)
}

// uint16List decodes a vector body that is a list of 16-bit values.
func uint16List(b []byte) ([]uint16, bool) {
	if len(b)%2 != 0 {
		return nil, false
	}
	out := make([]uint16, 0, len(b)/2)
	for i := 0; i < len(b); i += 2 {
		out = append(out, uint16(b[i])<<8|uint16(b[i+1]))
	}
	return out, true
}
