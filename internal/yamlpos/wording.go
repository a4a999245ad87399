package yamlpos

import (
	"fmt"
	"slices"
	"strings"
)

// Wording phrases the errors the walkers and accessors report, so that each
// input format keeps the messages its users and tests know. A nil entry
// uses the default shown beside it. got is a node described by
// Node.Describe; value is the scalar text as written.
type Wording struct {
	NotMapping  func(got string, known []string) string     // want a mapping, got <got>
	UnknownKey  func(known []string) string                 // unknown field (want one of <known, sorted>)
	RepeatedKey func(firstLine int) string                  // repeated field (first at line <firstLine>)
	NotString   func(got string) string                     // want a string, got <got>
	NotList     func(got string) string                     // want a list, got <got>
	NotBool     func(value string) string                   // want true or false
	NotInt      func(value string, min, max int) string     // want an integer from <min> to <max>
	NotFloat    func(value string, min, max float64) string // want a number from <min> to <max>
	NotDuration func(value string) string                   // bad duration <value> (write e.g. 500ms, 10s)
}

func (w *Wording) notMapping(got string, known []string) string {
	if w.NotMapping != nil {
		return w.NotMapping(got, known)
	}
	return "want a mapping, got " + got
}

func (w *Wording) unknownKey(known []string) string {
	if w.UnknownKey != nil {
		return w.UnknownKey(known)
	}
	return "unknown field (want one of " + strings.Join(slices.Sorted(slices.Values(known)), ", ") + ")"
}

func (w *Wording) repeatedKey(firstLine int) string {
	if w.RepeatedKey != nil {
		return w.RepeatedKey(firstLine)
	}
	return fmt.Sprintf("repeated field (first at line %d)", firstLine)
}

func (w *Wording) notString(got string) string {
	if w.NotString != nil {
		return w.NotString(got)
	}
	return "want a string, got " + got
}

func (w *Wording) notList(got string) string {
	if w.NotList != nil {
		return w.NotList(got)
	}
	return "want a list, got " + got
}

func (w *Wording) notBool(value string) string {
	if w.NotBool != nil {
		return w.NotBool(value)
	}
	return "want true or false"
}

func (w *Wording) notInt(value string, min, max int) string {
	if w.NotInt != nil {
		return w.NotInt(value, min, max)
	}
	return fmt.Sprintf("want an integer from %d to %d", min, max)
}

func (w *Wording) notFloat(value string, min, max float64) string {
	if w.NotFloat != nil {
		return w.NotFloat(value, min, max)
	}
	return fmt.Sprintf("want a number from %g to %g", min, max)
}

func (w *Wording) notDuration(value string) string {
	if w.NotDuration != nil {
		return w.NotDuration(value)
	}
	return fmt.Sprintf("bad duration %q (write e.g. 500ms, 10s)", value)
}
