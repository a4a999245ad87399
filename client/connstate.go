package client

import (
	"bytes"
	"encoding/gob"
	"fmt"

	"github.com/pion/dtls/v2"
)

// connFacts is what the handshake log needs from a pion connection. pion
// keeps the negotiated Connection ID unexported; its State serialises to gob
// with named fields, so a struct naming the fields we need decodes them.
type connFacts struct {
	CipherSuiteID      uint16
	SessionID          []byte
	RemoteConnectionID []byte // the CID this client puts in its records
	PeerCertificates   [][]byte
}

func factsOf(c *dtls.Conn) (connFacts, error) {
	st := c.ConnectionState()
	raw, err := st.MarshalBinary()
	if err != nil {
		return connFacts{}, fmt.Errorf("read DTLS connection state: %w", err)
	}
	var f connFacts
	if err := gob.NewDecoder(bytes.NewReader(raw)).Decode(&f); err != nil {
		return connFacts{}, fmt.Errorf("decode DTLS connection state: %w", err)
	}
	return f, nil
}
