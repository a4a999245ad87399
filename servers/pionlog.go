package servers

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/pion/logging"
)

// pionLoggerFactory routes pion's logs into the server's slog logger at debug
// level: handshake failures are expected in a conformance run, not errors of
// the harness. Trace output is dropped.
type pionLoggerFactory struct{ logger *slog.Logger }

func (f pionLoggerFactory) NewLogger(scope string) logging.LeveledLogger {
	if f.logger == nil {
		return pionLogger{logger: slog.New(slog.DiscardHandler)}
	}
	return pionLogger{logger: f.logger.With("pion", scope)}
}

type pionLogger struct{ logger *slog.Logger }

func (l pionLogger) log(msg string) { l.logger.Debug(msg) }

func (l pionLogger) logf(format string, args ...interface{}) {
	if l.logger.Enabled(context.Background(), slog.LevelDebug) {
		l.logger.Debug(fmt.Sprintf(format, args...))
	}
}

func (pionLogger) Trace(string)                             {}
func (pionLogger) Tracef(string, ...interface{})            {}
func (l pionLogger) Debug(msg string)                       { l.log(msg) }
func (l pionLogger) Debugf(format string, a ...interface{}) { l.logf(format, a...) }
func (l pionLogger) Info(msg string)                        { l.log(msg) }
func (l pionLogger) Infof(format string, a ...interface{})  { l.logf(format, a...) }
func (l pionLogger) Warn(msg string)                        { l.log(msg) }
func (l pionLogger) Warnf(format string, a ...interface{})  { l.logf(format, a...) }
func (l pionLogger) Error(msg string)                       { l.log(msg) }
func (l pionLogger) Errorf(format string, a ...interface{}) { l.logf(format, a...) }
