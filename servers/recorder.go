package servers

import (
	"context"
	"log/slog"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/events"
)

// recorder sends events to the case's log and mirrors them to the logger.
type recorder struct {
	log    *events.Log // may be nil: events are then only logged
	logger *slog.Logger
}

func newRecorder(log *events.Log, logger *slog.Logger) *recorder {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &recorder{log: log, logger: logger}
}

// add records e, stamped with at when given (the moment the datagram was
// read, so timelines are not skewed by decoding).
func (r *recorder) add(at time.Time, kind events.Kind, summary string, fields map[string]string, opts ...func(*events.Event)) {
	e := events.Event{Time: at, Kind: kind, Summary: summary, Fields: fields}
	for _, o := range opts {
		o(&e)
	}
	if r.log != nil {
		r.log.Add(e)
	}
	if r.logger.Enabled(context.Background(), slog.LevelDebug) {
		args := []any{"kind", string(kind)}
		for k, v := range fields {
			args = append(args, k, v)
		}
		r.logger.Debug(summary, args...)
	}
}

func withHello(h *events.Hello) func(*events.Event) {
	return func(e *events.Event) { e.Hello = h }
}

func withAlert(a *events.Alert) func(*events.Event) {
	return func(e *events.Event) { e.Alert = a }
}
