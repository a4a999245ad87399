package client

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/plgd-dev/go-coap/v3/message"
	"github.com/plgd-dev/go-coap/v3/message/codes"
)

// The registration interface, LwM2M 1.1 Core §6.2 and Transport §6.

// regParams is what a Register sends.
type regParams struct {
	endpoint string
	version  string        // lwm2m=
	lifetime time.Duration // lt=, whole seconds
	binding  string        // b=
	links    string        // the link-format payload
}

// updateParams is what an Update sends: only what changed (Core §6.2.2).
type updateParams struct {
	lifetime *time.Duration
	binding  *string
	links    *string
}

func (u updateParams) String() string {
	var parts []string
	if u.lifetime != nil {
		parts = append(parts, "lt="+strconv.Itoa(seconds(*u.lifetime)))
	}
	if u.binding != nil {
		parts = append(parts, "b="+*u.binding)
	}
	if u.links != nil {
		parts = append(parts, "objects="+*u.links)
	}
	if len(parts) == 0 {
		return "(no parameters)"
	}
	return strings.Join(parts, " ")
}

// errRegistrationGone is an Update answered 4.04: the server forgot the
// registration, the client must register again (Core §6.2.2).
var errRegistrationGone = errors.New("server answered 4.04 Not Found: registration unknown")

// responseError is a server answer with an unexpected code.
type responseError struct {
	op   string
	code codes.Code
	diag string
}

func (e *responseError) Error() string {
	s := fmt.Sprintf("%s answered %s", e.op, e.code)
	if e.diag != "" {
		s += ": " + e.diag
	}
	return s
}

func seconds(d time.Duration) int { return int(d / time.Second) }

func query(k, v string) message.Option {
	return message.Option{ID: message.URIQuery, Value: []byte(k + "=" + v)}
}

// register sends POST /rd?ep=&lt=&lwm2m=&b= with the object links and
// returns the Location-Path ("/rd/xyz").
func register(ctx context.Context, cn *coapConn, p regParams) (string, error) {
	opts := []message.Option{
		query("ep", p.endpoint),
		query("lt", strconv.Itoa(seconds(p.lifetime))),
		query("lwm2m", p.version),
		query("b", p.binding),
	}
	resp, err := cn.Post(ctx, "/rd", message.AppLinkFormat, bytes.NewReader([]byte(p.links)), opts...)
	if err != nil {
		return "", fmt.Errorf("Register: %w", err)
	}
	defer cn.ReleaseMessage(resp)
	if resp.Code() != codes.Created {
		return "", &responseError{"Register", resp.Code(), diagnostic(resp.Body())}
	}
	loc, err := resp.Options().LocationPath()
	if err != nil || loc == "" {
		return "", errors.New("Register answered 2.01 without a Location-Path")
	}
	if !strings.HasPrefix(loc, "/") {
		loc = "/" + loc
	}
	return loc, nil
}

// update sends POST {location} with the changed parameters.
func update(ctx context.Context, cn *coapConn, location string, u updateParams) error {
	var opts []message.Option
	if u.lifetime != nil {
		opts = append(opts, query("lt", strconv.Itoa(seconds(*u.lifetime))))
	}
	if u.binding != nil {
		opts = append(opts, query("b", *u.binding))
	}
	var payload io.ReadSeeker // a nil interface, not a nil *bytes.Reader
	if u.links != nil {
		payload = bytes.NewReader([]byte(*u.links))
	}
	resp, err := cn.Post(ctx, location, message.AppLinkFormat, payload, opts...)
	if err != nil {
		return fmt.Errorf("Update: %w", err)
	}
	defer cn.ReleaseMessage(resp)
	switch resp.Code() {
	case codes.Changed:
		return nil
	case codes.NotFound:
		return errRegistrationGone
	default:
		return &responseError{"Update", resp.Code(), diagnostic(resp.Body())}
	}
}

// deregister sends DELETE {location}.
func deregister(ctx context.Context, cn *coapConn, location string) error {
	resp, err := cn.Delete(ctx, location)
	if err != nil {
		return fmt.Errorf("De-register: %w", err)
	}
	defer cn.ReleaseMessage(resp)
	if resp.Code() != codes.Deleted {
		return &responseError{"De-register", resp.Code(), diagnostic(resp.Body())}
	}
	return nil
}

// bootstrapRequest sends POST /bs?ep= (Core §6.1.1, Client Initiated
// Bootstrap) and expects 2.04 Changed.
func bootstrapRequest(ctx context.Context, cn *coapConn, endpoint string) error {
	resp, err := cn.Post(ctx, "/bs", message.TextPlain, nil, query("ep", endpoint))
	if err != nil {
		return fmt.Errorf("Bootstrap-Request: %w", err)
	}
	defer cn.ReleaseMessage(resp)
	if resp.Code() != codes.Changed {
		return &responseError{"Bootstrap-Request", resp.Code(), diagnostic(resp.Body())}
	}
	return nil
}

// diagnostic returns the start of an error response's payload, which CoAP
// servers use for a diagnostic message (RFC 7252 §5.5.2).
func diagnostic(body io.ReadSeeker) string {
	if body == nil {
		return ""
	}
	b, _ := io.ReadAll(io.LimitReader(body, 200))
	return strings.Join(strings.Fields(string(b)), " ")
}
