// Package pcapng writes the harness's packet captures: one section, one
// LINKTYPE_RAW interface with nanosecond timestamps, and synthesised IPv4
// (or IPv6) and UDP headers around each datagram, since the harness sees
// datagrams, not frames. The impairment proxy and the harness DTLS server
// both write through it.
//
// A capture is bounded (Options.Limit): the first datagram past the limit
// is kept as its IP and UDP headers only, with a comment saying so, and
// Close marks the last one with the count of what was left out.
//
// Wireshark decrypts DTLS only with the session keys before the records
// they protect, and those are known only once a handshake has finished:
// EmbedKeyLog inserts them as a Decryption Secrets Block ahead of the
// first packet when the case is over. Options.ShowPortAs lets the harness
// server appear on port 5684, where Wireshark decodes DTLS and CoAP over
// DTLS by default, so `tshark -r capture.pcapng -Y coap` needs nothing
// else.
package pcapng
