package servers

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"time"

	"github.com/plgd-dev/go-coap/v3/message"
	"github.com/plgd-dev/go-coap/v3/message/codes"
	"github.com/plgd-dev/go-coap/v3/message/pool"
	udpClient "github.com/plgd-dev/go-coap/v3/udp/client"

	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
)

// conn is the connection of a registered endpoint.
func (s *LwM2M) conn(ep string) (*udpClient.Conn, error) {
	_, cc, ok := s.reg.get(ep)
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrNotRegistered, ep)
	}
	return cc, nil
}

// Read GETs p and decodes the answer, asking for accept (0 = let the client
// choose; TextPlain is CoAP's 0, so plain text cannot be requested explicitly).
func (s *LwM2M) Read(ctx context.Context, ep string, p lwm2m.Path, accept message.MediaType) ([]lwm2m.Record, error) {
	cc, err := s.conn(ep)
	if err != nil {
		return nil, err
	}
	req, err := cc.NewGetRequest(ctx, p.String())
	if err != nil {
		return nil, fmt.Errorf("servers: Read %s: %w", p, err)
	}
	defer cc.ReleaseMessage(req)
	if accept != 0 {
		req.SetAccept(accept)
	}
	resp, err := cc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("servers: Read %s on %q: %w", p, ep, err)
	}
	defer cc.ReleaseMessage(resp)
	if err := expect(resp, "Read", p, codes.Content); err != nil {
		return nil, err
	}
	return decodeBody(resp, p)
}

// Write PUTs (replace) or POSTs (partial update) recs encoded as format.
func (s *LwM2M) Write(ctx context.Context, ep string, p lwm2m.Path, format message.MediaType, recs []lwm2m.Record, replace bool) error {
	cc, err := s.conn(ep)
	if err != nil {
		return err
	}
	payload, err := lwm2m.Encode(format, p, recs)
	if err != nil {
		return fmt.Errorf("servers: Write %s: %w", p, err)
	}
	do := cc.Post
	if replace {
		do = cc.Put
	}
	resp, err := do(ctx, p.String(), format, bytes.NewReader(payload))
	if err != nil {
		return fmt.Errorf("servers: Write %s on %q: %w", p, ep, err)
	}
	defer cc.ReleaseMessage(resp)
	return expect(resp, "Write", p, codes.Changed)
}

// Execute POSTs args (LwM2M execute arguments, may be empty) to a resource.
func (s *LwM2M) Execute(ctx context.Context, ep string, p lwm2m.Path, args string) error {
	cc, err := s.conn(ep)
	if err != nil {
		return err
	}
	var body io.ReadSeeker
	if args != "" {
		body = bytes.NewReader([]byte(args))
	}
	resp, err := cc.Post(ctx, p.String(), message.TextPlain, body)
	if err != nil {
		return fmt.Errorf("servers: Execute %s on %q: %w", p, ep, err)
	}
	defer cc.ReleaseMessage(resp)
	return expect(resp, "Execute", p, codes.Changed)
}

// Discover GETs p in link format and returns the links with their attributes.
func (s *LwM2M) Discover(ctx context.Context, ep string, p lwm2m.Path) ([]lwm2m.Link, error) {
	cc, err := s.conn(ep)
	if err != nil {
		return nil, err
	}
	req, err := cc.NewGetRequest(ctx, p.String())
	if err != nil {
		return nil, fmt.Errorf("servers: Discover %s: %w", p, err)
	}
	defer cc.ReleaseMessage(req)
	req.SetAccept(message.AppLinkFormat)
	resp, err := cc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("servers: Discover %s on %q: %w", p, ep, err)
	}
	defer cc.ReleaseMessage(resp)
	if err := expect(resp, "Discover", p, codes.Content); err != nil {
		return nil, err
	}
	body, err := resp.ReadBody()
	if err != nil {
		return nil, fmt.Errorf("servers: Discover %s: %w", p, err)
	}
	links, err := lwm2m.ParseLinks(string(body))
	if err != nil {
		return nil, fmt.Errorf("servers: Discover %s: %w", p, err)
	}
	return links, nil
}

// Delete removes an object instance.
func (s *LwM2M) Delete(ctx context.Context, ep string, p lwm2m.Path) error {
	cc, err := s.conn(ep)
	if err != nil {
		return err
	}
	resp, err := cc.Delete(ctx, p.String())
	if err != nil {
		return fmt.Errorf("servers: Delete %s on %q: %w", p, ep, err)
	}
	defer cc.ReleaseMessage(resp)
	return expect(resp, "Delete", p, codes.Deleted)
}

// Observe subscribes to p; fn gets the records of the first response and of
// every notification, on the connection's receive goroutine, so it must not
// block. A notification that does not decode is recorded as a Note and
// skipped. cancel sends the deregistering GET (Observe=1).
func (s *LwM2M) Observe(ctx context.Context, ep string, p lwm2m.Path, fn func([]lwm2m.Record)) (cancel func(context.Context) error, err error) {
	cc, err := s.conn(ep)
	if err != nil {
		return nil, err
	}
	obs, err := cc.Observe(ctx, p.String(), func(n *pool.Message) {
		recs, err := decodeBody(n, p)
		if err != nil {
			s.rec.add(time.Now(), events.Note, fmt.Sprintf("notification for %s from %q not decodable: %v", p, ep, err),
				map[string]string{"ep": ep, "path": p.String(), "error": err.Error()})
			return
		}
		fn(recs)
	})
	if err != nil {
		return nil, fmt.Errorf("servers: Observe %s on %q: %w", p, ep, err)
	}
	return func(ctx context.Context) error { return obs.Cancel(ctx) }, nil
}

// expect turns an unexpected response code into a *StatusError.
func expect(resp *pool.Message, op string, p lwm2m.Path, want codes.Code) error {
	if resp.Code() != want {
		return &StatusError{Op: op, Path: p.String(), Code: resp.Code(), Want: want}
	}
	return nil
}

// decodeBody decodes a response or notification in its Content-Format
// (plain text when the option is absent).
func decodeBody(m *pool.Message, p lwm2m.Path) ([]lwm2m.Record, error) {
	format, err := m.ContentFormat()
	if err != nil {
		format = message.TextPlain
	}
	body, err := m.ReadBody()
	if err != nil {
		return nil, fmt.Errorf("servers: %s: reading body: %w", p, err)
	}
	recs, err := lwm2m.Decode(format, p, body, lwm2m.KindOf)
	if err != nil {
		return nil, fmt.Errorf("servers: %s: decoding %v: %w", p, format, err)
	}
	return recs, nil
}
