package leshan

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// api is a client of a peer's REST API.
type api struct {
	base string // http://host:port
	http *http.Client
}

func newAPI(host string, port int) *api {
	return &api{base: "http://" + hostPort(host, port), http: &http.Client{Timeout: 60 * time.Second}}
}

// HTTPError is a REST call answered with an unexpected status.
type HTTPError struct {
	Method, URL string
	Status      int
	Body        string
}

func (e *HTTPError) Error() string {
	return fmt.Sprintf("leshan: %s %s: HTTP %d: %s", e.Method, e.URL, e.Status, strings.TrimSpace(e.Body))
}

// call sends a request; body is JSON-encoded unless it is a string (sent
// as text) or nil. The answer's body is returned for a 2xx status.
func (a *api) call(ctx context.Context, method, path string, query url.Values, body any) ([]byte, error) {
	u := a.base + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	var rd io.Reader
	ctype := ""
	switch b := body.(type) {
	case nil:
	case string:
		rd, ctype = strings.NewReader(b), "text/plain; charset=utf-8"
	default:
		j, err := json.Marshal(b)
		if err != nil {
			return nil, fmt.Errorf("leshan: encoding the %s %s body: %w", method, path, err)
		}
		rd, ctype = bytes.NewReader(j), "application/json"
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return nil, fmt.Errorf("leshan: %w", err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := a.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("leshan: %s %s: %w", method, u, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return nil, fmt.Errorf("leshan: %s %s: %w", method, u, err)
	}
	if resp.StatusCode/100 != 2 {
		return data, &HTTPError{Method: method, URL: u, Status: resp.StatusCode, Body: string(data)}
	}
	return data, nil
}

// securityInfo is the demos' security entry.
type securityInfo struct {
	Endpoint string      `json:"endpoint"`
	TLS      securityTLS `json:"tls"`
}

type securityTLS struct {
	Mode    string           `json:"mode"`
	Details *securityDetails `json:"details,omitempty"`
}

type securityDetails struct {
	Identity string `json:"identity"`
	Key      string `json:"key"`
}

func (a *api) addPSK(ctx context.Context, endpoint, identity string, key []byte) error {
	if endpoint == "" || identity == "" || len(key) == 0 {
		return errors.New("leshan: AddPSK needs an endpoint, an identity and a key")
	}
	_, err := a.call(ctx, http.MethodPut, "/api/security/clients", nil, securityInfo{
		Endpoint: endpoint, TLS: securityTLS{Mode: "psk", Details: &securityDetails{Identity: identity, Key: hex.EncodeToString(key)}},
	})
	return err
}

func (a *api) addX509(ctx context.Context, endpoint string) error {
	if endpoint == "" {
		return errors.New("leshan: AddX509 needs an endpoint")
	}
	_, err := a.call(ctx, http.MethodPut, "/api/security/clients", nil, securityInfo{Endpoint: endpoint, TLS: securityTLS{Mode: "x509"}})
	return err
}

func (a *api) removeSecurity(ctx context.Context, endpoint string) error {
	_, err := a.call(ctx, http.MethodDelete, "/api/security/clients/"+url.PathEscape(endpoint), nil, nil)
	return err
}

// SecurityEntry is one client security entry of a peer.
type SecurityEntry struct {
	Endpoint string
	Mode     string // psk or x509
	Identity string // PSK identity
	Key      []byte // PSK key
}

func (a *api) security(ctx context.Context) ([]SecurityEntry, error) {
	data, err := a.call(ctx, http.MethodGet, "/api/security/clients", nil, nil)
	if err != nil {
		return nil, err
	}
	var raw []securityInfo
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("leshan: GET /api/security/clients: %w", err)
	}
	out := make([]SecurityEntry, 0, len(raw))
	for _, r := range raw {
		e := SecurityEntry{Endpoint: r.Endpoint, Mode: r.TLS.Mode}
		if r.TLS.Details != nil {
			e.Identity = r.TLS.Details.Identity
			if e.Key, err = hex.DecodeString(r.TLS.Details.Key); err != nil {
				return nil, fmt.Errorf("leshan: PSK key of %s: %w", r.Endpoint, err)
			}
		}
		out = append(out, e)
	}
	return out, nil
}
