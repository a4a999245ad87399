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
// The capture has two interfaces, both LINKTYPE_RAW with nanosecond
// timestamps and synthesised IPv4 (or IPv6) and UDP headers:
//
//   - interface 0 "sut-side": SUT address ⇄ Proxy.Addr, as the SUT sees it;
//   - interface 1 "server-side": the proxy's upstream socket ⇄ the server,
//     as the server sees it, so after Rebind the client port changes here.
//
// Each datagram appears where the proxy received it (inbound) and, unless
// it was dropped, again where it sent it (outbound, later when delayed,
// twice when duplicated). Dropped datagrams carry the packet comment
// "dropped by impairment (reason)". The SUT-side leg keeps one UDP
// 5-tuple for the whole session even across a rebinding, so Wireshark given
// the key log decrypts every record there; the server-side leg is decrypted
// until a rebinding starts a new 5-tuple there. Filter one leg with
// frame.interface_id == 0 to avoid seeing each record twice.
//
// # Flights
//
// A handshake flight is recognised by its first plaintext handshake message
// (fragment offset 0): ClientHello, Certificate or ClientKeyExchange from
// the SUT, HelloVerifyRequest or ServerHello from the server. The server's
// final flight (ChangeCipherSpec and encrypted Finished) has no visible first
// message; drop it by datagram index with DropDown instead.
package impair
