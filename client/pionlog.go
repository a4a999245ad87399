package client

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/pion/logging"
)

// pionLogs routes pion/dtls's internal logging into slog instead of pion's
// default stderr logger. pion's messages are diagnostics of the library, not
// of the LwM2M exchange, so they go to Debug (Error to Info); Trace is only
// emitted when the handler is at a level below Debug.
type pionLogs struct{ log *slog.Logger }

func (p pionLogs) NewLogger(scope string) logging.LeveledLogger {
	return pionLogger{log: p.log.With("pion", scope)}
}

type pionLogger struct{ log *slog.Logger }

const levelTrace = slog.LevelDebug - 4

func (l pionLogger) emit(level slog.Level, msg string) {
	if l.log.Enabled(context.Background(), level) {
		l.log.Log(context.Background(), level, msg)
	}
}

// emitf formats only when the level is enabled: pion traces every record.
func (l pionLogger) emitf(level slog.Level, f string, a []any) {
	if l.log.Enabled(context.Background(), level) {
		l.log.Log(context.Background(), level, fmt.Sprintf(f, a...))
	}
}

func (l pionLogger) Trace(msg string)          { l.emit(levelTrace, msg) }
func (l pionLogger) Tracef(f string, a ...any) { l.emitf(levelTrace, f, a) }
func (l pionLogger) Debug(msg string)          { l.emit(slog.LevelDebug, msg) }
func (l pionLogger) Debugf(f string, a ...any) { l.emitf(slog.LevelDebug, f, a) }
func (l pionLogger) Info(msg string)           { l.emit(slog.LevelDebug, msg) }
func (l pionLogger) Infof(f string, a ...any)  { l.emitf(slog.LevelDebug, f, a) }
func (l pionLogger) Warn(msg string)           { l.emit(slog.LevelDebug, msg) }
func (l pionLogger) Warnf(f string, a ...any)  { l.emitf(slog.LevelDebug, f, a) }
func (l pionLogger) Error(msg string)          { l.emit(slog.LevelInfo, msg) }
func (l pionLogger) Errorf(f string, a ...any) { l.emitf(slog.LevelInfo, f, a) }
