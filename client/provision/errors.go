package provision

import "fmt"

// FieldError names the flag (and file, when one was read) a bad value came
// from, so the command prints one line a person can act on.
type FieldError struct {
	Flag string // without dashes, e.g. "key"
	File string // "" when the value is not a file
	Err  error
}

func (e *FieldError) Error() string {
	if e.File != "" {
		return fmt.Sprintf("--%s %s: %v", e.Flag, e.File, e.Err)
	}
	return fmt.Sprintf("--%s: %v", e.Flag, e.Err)
}

func (e *FieldError) Unwrap() error { return e.Err }

func fieldErr(flag string, format string, a ...any) error {
	return &FieldError{Flag: flag, Err: fmt.Errorf(format, a...)}
}

func fileErr(flag, file string, err error) error {
	return &FieldError{Flag: flag, File: file, Err: err}
}
