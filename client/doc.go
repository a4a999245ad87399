// Package client is the harness's reference LwM2M client: the transport
// (plain CoAP over UDP, or CoAP over pion/dtls with PSK or certificates),
// the bootstrap and registration lifecycle, and persistence of the data
// model and DTLS sessions.
//
// Every behaviour here is something a conformance case checks on another
// implementation, so each choice follows the LwM2M 1.1 Transport and Core
// specifications and the source documents in the design: the ClientHello
// offers exactly the configured cipher suites, SNI is never an IP literal,
// the server certificate is judged by package verify according to the
// Certificate Usage resource, and a rejected server gets a fatal alert at
// once.
//
// Options.Faults switches on deliberate defects (faults.go), each breaking
// one of these behaviours, loudly, to show that a harness check can fail.
package client
