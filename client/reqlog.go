package client

import (
	"log/slog"
	"strings"
	"time"

	"github.com/plgd-dev/go-coap/v3/message/codes"
	"github.com/plgd-dev/go-coap/v3/mux"
)

// logRequests wraps the device-management handler so that every request a
// server sends is logged with its answer.
func logRequests(log *slog.Logger, server string, next mux.Handler) mux.Handler {
	return mux.HandlerFunc(func(w mux.ResponseWriter, r *mux.Message) {
		code := r.Code()
		if code < codes.GET || code > codes.DELETE {
			next.ServeCOAP(w, r) // empty ACK/RST: not a request
			return
		}
		start := time.Now()
		path, _ := r.Options().Path()
		attrs := []any{"server", server, "method", code.String(), "path", "/" + strings.TrimPrefix(path, "/")}
		if q, err := r.Options().Queries(); err == nil && len(q) > 0 {
			attrs = append(attrs, "query", strings.Join(q, "&"))
		}
		if cf, err := r.Options().ContentFormat(); err == nil {
			attrs = append(attrs, "content_format", cf.String())
		}
		if acc, err := r.Options().Accept(); err == nil {
			attrs = append(attrs, "accept", acc.String())
		}
		if obs, err := r.Options().Observe(); err == nil {
			attrs = append(attrs, "observe", obs)
		}
		if n, err := r.BodySize(); err == nil && n > 0 {
			attrs = append(attrs, "payload_bytes", n)
		}
		next.ServeCOAP(w, r)
		attrs = append(attrs, "response", responseCode(w), "took", time.Since(start).Round(time.Microsecond).String())
		log.Info("request from server", attrs...)
	})
}

func responseCode(w mux.ResponseWriter) string {
	m := w.Message()
	if m == nil || !m.IsModified() {
		return "(none)"
	}
	s := m.Code().String()
	if cf, err := m.Options().ContentFormat(); err == nil {
		s += " " + cf.String()
	}
	return s
}
