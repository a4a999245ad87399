package servers

import (
	"bytes"
	"sync"
	"time"

	"github.com/plgd-dev/go-coap/v3/message"
	"github.com/plgd-dev/go-coap/v3/message/codes"
	"github.com/plgd-dev/go-coap/v3/message/pool"
	"github.com/plgd-dev/go-coap/v3/net/responsewriter"
	udpClient "github.com/plgd-dev/go-coap/v3/udp/client"

	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"
)

// fakeDevice is the LwM2M-client side of the management tests: it answers
// reads from a record store in the requested format and remembers what the
// server wrote, executed, deleted and observed.
type fakeDevice struct {
	mu       sync.Mutex
	store    []lwm2m.Record
	requests []deviceRequest
	observe  chan struct{} // closed when an observation is cancelled
}

type deviceRequest struct {
	method  codes.Code
	path    string
	format  message.MediaType
	records []lwm2m.Record
	payload string
}

func deviceStore() []lwm2m.Record {
	return []lwm2m.Record{
		{Path: lwm2m.NewPath(3, 0, 0), Value: lwm2m.String("Open Mobile Alliance")},
		{Path: lwm2m.NewPath(3, 0, 1), Value: lwm2m.String("Lightweight M2M Client")},
		{Path: lwm2m.NewPath(3, 0, 11, 0), Value: lwm2m.Int(0)},
		{Path: lwm2m.NewPath(3, 0, 11, 1), Value: lwm2m.Int(5)},
		{Path: lwm2m.NewPath(3, 0, 13), Value: lwm2m.UnixTime(1700000000)},
	}
}

func newFakeDevice() *fakeDevice {
	return &fakeDevice{store: deviceStore(), observe: make(chan struct{})}
}

func (d *fakeDevice) log(r deviceRequest) {
	d.mu.Lock()
	d.requests = append(d.requests, r)
	d.mu.Unlock()
}

func (d *fakeDevice) seen() []deviceRequest {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]deviceRequest(nil), d.requests...)
}

func (d *fakeDevice) handle(w *responsewriter.ResponseWriter[*udpClient.Conn], r *pool.Message) {
	pathStr, _ := r.Path()
	if pathStr == "" {
		pathStr = "/"
	}
	if pathStr == "/bs" && r.Code() == codes.POST { // Bootstrap-Finish
		d.log(deviceRequest{method: codes.POST, path: pathStr})
		_ = w.SetResponse(codes.Changed, 0, nil)
		return
	}
	p, err := lwm2m.ParsePath(pathStr)
	if err != nil {
		_ = w.SetResponse(codes.BadRequest, 0, nil)
		return
	}
	req := deviceRequest{method: r.Code(), path: p.String()}
	if body, err := r.ReadBody(); err == nil {
		req.payload = string(body)
	}
	if cf, err := r.ContentFormat(); err == nil {
		req.format = cf
		req.records, _ = lwm2m.Decode(cf, p, []byte(req.payload), lwm2m.KindOf)
	}
	d.log(req)
	switch r.Code() {
	case codes.GET:
		d.get(w, r, p)
	case codes.PUT, codes.POST:
		if r.Code() == codes.PUT && p.Len() == 2 && p.Obj() == 3 {
			_ = w.SetResponse(codes.MethodNotAllowed, 0, nil) // Device instances are not replaceable here
			return
		}
		_ = w.SetResponse(codes.Changed, 0, nil)
	case codes.DELETE:
		if p.Len() == 2 && p.Obj() == 3 {
			_ = w.SetResponse(codes.MethodNotAllowed, 0, nil)
			return
		}
		_ = w.SetResponse(codes.Deleted, 0, nil)
	}
}

func (d *fakeDevice) get(w *responsewriter.ResponseWriter[*udpClient.Conn], r *pool.Message, p lwm2m.Path) {
	accept, err := r.Accept()
	if err == nil && accept == message.AppLinkFormat {
		links := `</3/0>,</3/0/0>,</3/0/11>;dim=2,</3/0/13>;pmin=10`
		_ = w.SetResponse(codes.Content, message.AppLinkFormat, bytes.NewReader([]byte(links)))
		return
	}
	var recs []lwm2m.Record
	for _, rec := range d.store {
		if p.IsPrefixOf(rec.Path) {
			recs = append(recs, rec)
		}
	}
	if len(recs) == 0 {
		_ = w.SetResponse(codes.NotFound, 0, nil)
		return
	}
	format := message.AppLwm2mTLV
	if err == nil {
		format = accept
	} else if p.Len() == 3 && len(recs) == 1 {
		format = message.TextPlain
	}
	payload, encErr := lwm2m.Encode(format, p, recs)
	if encErr != nil {
		_ = w.SetResponse(codes.NotAcceptable, 0, nil)
		return
	}
	obs, obsErr := r.Observe()
	_ = w.SetResponse(codes.Content, format, bytes.NewReader(payload))
	switch {
	case obsErr == nil && obs == 0:
		w.Message().SetObserve(1)
		go d.notify(w.Conn(), append(message.Token(nil), r.Token()...), p, format)
	case obsErr == nil && obs == 1:
		close(d.observe)
	}
}

// notify sends two notifications with later times.
func (d *fakeDevice) notify(cc *udpClient.Conn, token message.Token, p lwm2m.Path, format message.MediaType) {
	for seq := uint32(2); seq <= 3; seq++ {
		time.Sleep(20 * time.Millisecond)
		payload, err := lwm2m.Encode(format, p, []lwm2m.Record{{Path: p, Value: lwm2m.UnixTime(1700000000 + int64(seq))}})
		if err != nil {
			return
		}
		m := cc.AcquireMessage(cc.Context())
		m.SetCode(codes.Content)
		m.SetToken(token)
		m.SetObserve(seq)
		m.SetContentFormat(format)
		m.SetBody(bytes.NewReader(payload))
		_ = cc.WriteMessage(m)
		cc.ReleaseMessage(m)
	}
}
