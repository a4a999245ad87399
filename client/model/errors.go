package model

import (
	"errors"
	"fmt"
)

// Errors carry the CoAP response code they map to; callers test them with
// errors.Is. Each returned error wraps one of them with a reason.
var (
	// ErrNotFound: the object, instance or resource does not exist (4.04).
	ErrNotFound = errors.New("not found")
	// ErrMethodNotAllowed: the operation is not allowed on the target,
	// e.g. a server writing a read-only resource or reading an executable
	// one (4.05).
	ErrMethodNotAllowed = errors.New("method not allowed")
	// ErrBadRequest: the request or its payload is malformed or would leave
	// the model inconsistent (4.00).
	ErrBadRequest = errors.New("bad request")
	// ErrUnauthorized: the target is not accessible to the caller, e.g. the
	// Security object for a management server (4.01).
	ErrUnauthorized = errors.New("unauthorized")
)

func notFound(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrNotFound}, args...)...)
}

func notAllowed(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrMethodNotAllowed}, args...)...)
}

func badRequest(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrBadRequest}, args...)...)
}

func unauthorized(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrUnauthorized}, args...)...)
}
