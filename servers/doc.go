// Package servers holds the harness peers a conformance case stands up: an
// LwM2M server (registration interface plus device management) and an LwM2M
// bootstrap server, each on its own UDP port, over NoSec or DTLS 1.2.
//
// A peer presents exactly the credentials of its case and records a timeline
// of events (package events) from which the runner derives the verdict:
//
//   - client_hello: every ClientHello decoded from the wire before pion sees
//     it, with Fields cookie=true on the retry that carries the cookie and
//     retransmission=true on repeats;
//   - alert_received / alert_sent: plaintext (epoch 0) alerts, recorded the
//     moment the datagram is read, so a rejecting client is visible at once;
//   - note with Fields what=server_flight: the server's first flight (the one
//     with the ServerHello) went out; silence after it means the client gave
//     up without an alert;
//   - handshake_done (suite, suite_id, cid, resumed, sni, psk_identity,
//     peer_subject, remote, session) and handshake_fail (error, alert,
//     psk_identity, timeout, remote, session);
//   - register, update, deregister, bootstrap_request, bootstrap_finish, and
//     request for anything else, with code and parameters in Fields;
//   - record: every record header both ways, dir "up" (SUT→server) or
//     "down", with type, epoch, seq, length, cid, handshake and
//     observer=server, the fields of the impairment proxy's Record events;
//     at most 2000 per server, then one note what=records_capped.
//
// Every DTLS event carries Fields session ("s1", "s2"...), and so do the
// CoAP events that arrive on that session, so "a Register arrived on the
// handshake" can be checked.
//
// pion/dtls offers no ClientHello hook and go-coap's DTLS listener routes by
// address only, so the DTLS transport owns the UDP socket (packetListener):
// it decodes each datagram with servers/dtlswire, routes it by RFC 9146
// connection ID when the server hands CIDs out and by address otherwise, and
// bridges finished pion connections into go-coap's DTLS server through an
// accept adapter. CID on and off use the same code path.
package servers
