// Package impair is the UDP impairment proxy that transport cases put
// between the client under test and the harness DTLS server:
//
//	SUT ⇄ proxy (Proxy.Addr, what the SUT is given) ⇄ harness server (Config.Upstream)
//
// It degrades the path (random loss, targeted drops of datagrams or whole
// handshake flights, delay with jitter, duplication, reordering, an MTU
// limit), simulates NAT rebinding, decodes every DTLS record header into
// the case's event timeline, measures how the peers retransmit handshake
// messages, and writes a pcapng capture a person can open in Wireshark.
//
// Randomness comes from one generator per direction seeded from
// Config.Seed, and every datagram consumes the same number of draws whatever
// is decided for it, so a failing impaired case reproduces from its seed as
// long as the peers send the same datagrams.
//
// # Capture layout
//
// The pcapng capture has one interface, LINKTYPE_RAW with nanosecond
// timestamps and synthesised IPv4 (or IPv6) and UDP headers, and shows the
// path as one wire seen from the server: the SUT's end is the proxy's
// upstream socket, so after Rebind the client port changes as the server saw
// it. Each datagram appears once: when the proxy sent it on (delay,
// reordering and duplicates show in timing and order, with packet comments),
// or at its arrival with the comment "dropped by impairment (reason)". The
// first SUT datagram carries the SUT's real address in a comment, the first
// after a rebinding the port change.
// The server's port is shown as 5684, so Wireshark decodes DTLS and CoAP
// without being told the real one (kept in the interface description); the
// capture is bounded and written by internal/pcapng, like the harness
// server's own.
//
// Wireshark given the key log decrypts the whole session, before and after
// a rebinding (it follows a tls12_cid session by its CID across ports). A
// capture of both legs would not decrypt: Wireshark merges the two copies of
// the session by their CID and then misattributes one leg's server records.
//
// # Flights
//
// A handshake flight is recognised by its first plaintext handshake message
// (fragment offset 0): ClientHello, Certificate or ClientKeyExchange from
// the SUT, HelloVerifyRequest or ServerHello from the server. The server's
// final flight (ChangeCipherSpec and encrypted Finished) has no visible first
// message; drop it by datagram index with DropDown instead.
package impair
