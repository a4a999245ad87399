package leshan

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// Event names of the server-sent event stream (/api/event).
const (
	EventRegistration   = "REGISTRATION"
	EventUpdated        = "UPDATED"
	EventDeregistration = "DEREGISTRATION"
	EventNotification   = "NOTIFICATION"
	// EventDTLS is every DTLS handshake's outcome (an addition of the
	// peers to the demos' events): see DTLSEvent.
	EventDTLS = "DTLS"
	// Bootstrap server events.
	EventBootstrapStarted = "BOOTSTRAP_STARTED"
	EventBootstrapRequest = "BOOTSTRAP_REQUEST"
	EventBootstrapSuccess = "BOOTSTRAP_SUCCESS"
	EventBootstrapFailure = "BOOTSTRAP_FAILURE"
)

// Event is one server-sent event.
type Event struct {
	Name string
	// Endpoint is the client the event is about, "" when none (DTLS).
	Endpoint string
	Data     json.RawMessage
}

// DTLSEvent is the data of an EventDTLS.
type DTLSEvent struct {
	Result     string `json:"result"` // completed or failed
	Peer       string `json:"peer"`
	Suite      string `json:"suite"`
	Identity   string `json:"identity"` // PSK identity or certificate subject
	CID        string `json:"cid"`      // the CID the peer receives with (hex)
	PeerCID    string `json:"peerCid"`  // the CID the peer sends
	Error      string `json:"error"`
	Alert      string `json:"alert"` // e.g. BAD_CERTIFICATE, DECRYPT_ERROR
	AlertLevel string `json:"alertLevel"`
}

// Notification is the data of an EventNotification.
type Notification struct {
	Endpoint string          `json:"ep"`
	Path     string          `json:"res"`
	Value    json.RawMessage `json:"val"`
}

// endpointOf finds the client an event is about: "ep", "endpoint", or
// "registration.endpoint".
func endpointOf(data []byte) string {
	var v struct {
		Ep           string `json:"ep"`
		Endpoint     string `json:"endpoint"`
		Registration *struct {
			Endpoint string `json:"endpoint"`
		} `json:"registration"`
	}
	if json.Unmarshal(data, &v) != nil {
		return ""
	}
	switch {
	case v.Ep != "":
		return v.Ep
	case v.Endpoint != "":
		return v.Endpoint
	case v.Registration != nil:
		return v.Registration.Endpoint
	}
	return ""
}

// events subscribes to /api/event. It returns once the peer has accepted
// the subscription, so that no event of a later action is missed; the
// channel closes when ctx ends or the stream breaks.
func (a *api) events(ctx context.Context) (<-chan Event, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, a.base+"/api/event", nil)
	if err != nil {
		return nil, fmt.Errorf("leshan: %w", err)
	}
	req.Header.Set("Accept", "text/event-stream")
	// No client timeout: the stream lives as long as ctx.
	resp, err := (&http.Client{}).Do(req)
	if err != nil {
		return nil, fmt.Errorf("leshan: GET /api/event: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, &HTTPError{Method: http.MethodGet, URL: req.URL.String(), Status: resp.StatusCode}
	}
	rd := bufio.NewReaderSize(resp.Body, 64<<10)
	// The peer writes a comment first: the subscription is in place.
	if _, err := rd.ReadString('\n'); err != nil {
		resp.Body.Close()
		return nil, fmt.Errorf("leshan: GET /api/event: %w", err)
	}
	ch := make(chan Event, 256)
	go func() {
		defer close(ch)
		defer resp.Body.Close()
		var name string
		var data strings.Builder
		for {
			line, err := rd.ReadString('\n')
			if err != nil {
				return
			}
			line = strings.TrimRight(line, "\r\n")
			switch {
			case line == "":
				if name != "" || data.Len() > 0 {
					ev := Event{Name: name, Data: json.RawMessage(data.String())}
					ev.Endpoint = endpointOf(ev.Data)
					select {
					case ch <- ev:
					case <-ctx.Done():
						return
					}
				}
				name = ""
				data.Reset()
			case strings.HasPrefix(line, ":"):
			case strings.HasPrefix(line, "event:"):
				name = strings.TrimSpace(strings.TrimPrefix(line, "event:"))
			case strings.HasPrefix(line, "data:"):
				if data.Len() > 0 {
					data.WriteByte('\n')
				}
				data.WriteString(strings.TrimPrefix(strings.TrimPrefix(line, "data:"), " "))
			}
		}
	}()
	return ch, nil
}
