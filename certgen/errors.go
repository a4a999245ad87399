package certgen

import "fmt"

// SpecError is a problem in a world spec, located by file, line and field
// path (for example "certs[2].key"). Line is 0 when the spec was built in
// code rather than parsed.
type SpecError struct {
	File  string
	Line  int
	Field string
	Msg   string
}

func (e *SpecError) Error() string {
	loc := e.File
	if loc == "" {
		loc = "<world spec>"
	}
	if e.Line > 0 {
		loc = fmt.Sprintf("%s:%d", loc, e.Line)
	}
	if e.Field == "" {
		return loc + ": " + e.Msg
	}
	return loc + ": " + e.Field + ": " + e.Msg
}
