// Package dtlswire decodes the plaintext parts of DTLS 1.0/1.2 datagrams:
// record headers (including RFC 9146 tls12_cid records), ClientHello and
// ServerHello messages, and epoch-0 alerts.
//
// The harness needs to see what a client under test offers on the wire, and
// pion/dtls has no hook for that, so every inbound datagram is decoded here
// before the DTLS stack consumes it. The decoders are pure functions over
// byte slices, never panic, and bound their work by the input length, so the
// same code can sit in a UDP impairment proxy.
//
// The message decoders take a whole message (fragment offset 0, fragment
// length equal to the message length) and return ErrFragmented for anything
// less; a Reassembler first puts a message split across records or datagrams
// back together. Encrypted records (epoch > 0) are reported by header only.
//
// Cipher suites are named and judged from two embedded tables: the whole
// IANA registry taken apart by component (iana_suites.tsv), and the rules
// that grade components as broken or legacy with their RFC (suite_rules.tsv).
package dtlswire
