package dm

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/lwm2m-conform/lwm2m-conform/client/model"
	"github.com/plgd-dev/go-coap/v3/message"
	"github.com/plgd-dev/go-coap/v3/message/codes"
	"github.com/plgd-dev/go-coap/v3/mux"
)

// statusError is an error with the CoAP code to answer it with, for the
// codes the model's errors do not cover (4.06, 4.15...).
type statusError struct {
	code codes.Code
	err  error
}

func (e *statusError) Error() string { return e.err.Error() }
func (e *statusError) Unwrap() error { return e.err }

func status(code codes.Code, format string, args ...any) error {
	return &statusError{code: code, err: fmt.Errorf(format, args...)}
}

// codeOf maps an error to the response code (Core 1.1 §5.4 and §6.1
// tables); anything unexpected is 5.00.
func codeOf(err error) codes.Code {
	var se *statusError
	switch {
	case errors.As(err, &se):
		return se.code
	case errors.Is(err, model.ErrNotFound):
		return codes.NotFound
	case errors.Is(err, model.ErrMethodNotAllowed):
		return codes.MethodNotAllowed
	case errors.Is(err, model.ErrBadRequest):
		return codes.BadRequest
	case errors.Is(err, model.ErrUnauthorized):
		return codes.Unauthorized
	case errors.Is(err, model.ErrUnusableConfig):
		return codes.NotAcceptable
	}
	return codes.InternalServerError
}

// fail answers with the error's code and its text as diagnostic payload
// (RFC 7252 §5.5.2: no Content-Format).
func (h *Handler) fail(w mux.ResponseWriter, r *mux.Message, err error) {
	code := codeOf(err)
	h.log.Debug("lwm2m request refused", "code", code.String(), "method", r.Code().String(), "error", err)
	msg := w.Message()
	msg.SetCode(code)
	msg.ResetOptionsTo(nil)
	msg.SetBody(bytes.NewReader([]byte(err.Error())))
}

// reply answers with a code and no payload.
func reply(w mux.ResponseWriter, code codes.Code, opts ...message.Option) {
	msg := w.Message()
	msg.SetCode(code)
	msg.ResetOptionsTo(opts)
	msg.SetBody(nil)
}

// content answers 2.05 with a payload in the given format.
func content(w mux.ResponseWriter, format message.MediaType, payload []byte) {
	msg := w.Message()
	msg.SetCode(codes.Content)
	msg.ResetOptionsTo(nil)
	msg.SetContentFormat(format)
	msg.SetBody(bytes.NewReader(payload))
}
