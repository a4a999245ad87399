package leshan

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"
)

// Mode says how a peer runs.
type Mode string

const (
	// ModeProcess runs the peer as a JVM on this machine (needs Java 17,
	// and Maven for the first Fetch).
	ModeProcess Mode = "process"
	// ModeContainer runs the peer in a container built from docker/
	// (needs a Docker engine).
	ModeContainer Mode = "container"
	// ModeAuto is ModeContainer when a Docker engine answers, else
	// ModeProcess.
	ModeAuto Mode = "auto"
)

// ModeFromEnv reads LWM2M_CONFORM_LESHAN_MODE (process, container or
// auto; empty = auto).
func ModeFromEnv() (Mode, error) {
	switch m := Mode(os.Getenv("LWM2M_CONFORM_LESHAN_MODE")); m {
	case "":
		return ModeAuto, nil
	case ModeProcess, ModeContainer, ModeAuto:
		return m, nil
	default:
		return "", fmt.Errorf("leshan: LWM2M_CONFORM_LESHAN_MODE=%q: want process, container or auto", string(m))
	}
}

// UnavailableError says why no peer can run here: the reason a test skips.
type UnavailableError struct{ Reason string }

func (e *UnavailableError) Error() string { return "leshan peers unavailable: " + e.Reason }

// IsUnavailable reports whether err is an *UnavailableError.
func IsUnavailable(err error) bool {
	var u *UnavailableError
	return errors.As(err, &u)
}

// ResolveMode turns ModeAuto ("" too) into the mode that works here, and
// checks that a requested mode can work. The error is an *UnavailableError
// when the machine lacks what the mode needs.
func ResolveMode(ctx context.Context, m Mode) (Mode, error) {
	switch m {
	case ModeProcess:
		if _, err := javaPath(); err != nil {
			return "", &UnavailableError{Reason: err.Error()}
		}
		return ModeProcess, nil
	case ModeContainer:
		if err := dockerHealthy(ctx); err != nil {
			return "", &UnavailableError{Reason: "no Docker engine: " + err.Error()}
		}
		return ModeContainer, nil
	case ModeAuto, "":
		derr := dockerHealthy(ctx)
		if derr == nil {
			return ModeContainer, nil
		}
		if _, jerr := javaPath(); jerr != nil {
			return "", &UnavailableError{Reason: fmt.Sprintf("no Docker engine (%v) and %v", derr, jerr)}
		}
		return ModeProcess, nil
	}
	return "", fmt.Errorf("leshan: unknown mode %q (want process, container or auto)", string(m))
}

// dockerProbeTimeout bounds the Docker health check of ModeAuto.
const dockerProbeTimeout = 5 * time.Second
