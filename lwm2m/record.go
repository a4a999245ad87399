package lwm2m

// Record is one value at a resource (/o/i/r) or resource instance
// (/o/i/r/ri) path. A record with a KindNone value names a node without a
// value: an empty object instance or multiple resource in TLV, or a bare
// name in a SenML composite request.
type Record struct {
	Path  Path
	Value Value
}

// String renders "path=value" for logs and test failures.
func (r Record) String() string {
	if r.Value.Kind == KindNone {
		return r.Path.String()
	}
	return r.Path.String() + "=" + r.Value.Kind.String() + "(" + clip(r.Value.String()) + ")"
}

// Equal reports whether both records have the same path and value.
func (r Record) Equal(o Record) bool { return r.Path == o.Path && r.Value.Equal(o.Value) }

// RecordsEqual compares two record lists element by element, in order.
func RecordsEqual(a, b []Record) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !a[i].Equal(b[i]) {
			return false
		}
	}
	return true
}
