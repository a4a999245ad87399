package yamlpos

import (
	"fmt"
	"strconv"
)

// Error is a problem in a YAML input, located by file, line and field path
// (for example "certs[2].key"). Line 0 means the position is unknown, and
// the line is then left out of the message.
type Error struct {
	File  string
	Line  int
	Field string
	Msg   string
}

// Error renders "file:line: field: msg", or "file:line: msg" without a field.
func (e *Error) Error() string {
	loc := e.File
	if e.Line > 0 {
		loc += ":" + strconv.Itoa(e.Line)
	}
	if e.Field == "" {
		return loc + ": " + e.Msg
	}
	return loc + ": " + e.Field + ": " + e.Msg
}

// Join appends a mapping key to a field path: ("a", "b") is "a.b".
func Join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// Index appends a list position to a field path: ("a", 2) is "a[2]".
func Index(path string, i int) string {
	return fmt.Sprintf("%s[%d]", path, i)
}
