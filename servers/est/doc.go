// Package est is the harness EST-coaps server (RFC 9148): mounted on the
// harness bootstrap server's endpoint (servers.BootstrapConfig.Mount), on
// the same DTLS sessions, it serves /crts, /sen and /sren under both
// /.well-known/est and /est, answers discovery
// (GET /.well-known/core?rt=ace.est*), and issues certificates from a CA of
// its own, made for one case, with the validity the case chooses.
//
// The server does Block1 and Block2 itself (RFC 9148 §4.6: servers MUST),
// at the block size the case chooses, so that every message of a transfer
// is recorded: each exchange is one events.Request with what=est and the
// path, method, content formats, Accept, block options, whether the client
// used discovery, and the response. The CSR and the issued certificate
// travel in the event fields (base64 DER) and in Issued, for the case
// evidence.
//
// A Fault makes the first answer to one operation misbehave, for the
// negative cases: a certificate for another key, from an unknown CA or
// already expired, a truncated or empty PKCS#7, a wrong Content-Format,
// 4.00, 5.00, or 5.03 with Max-Age (retry later). Later answers are good,
// so a client that refused the bad one can still enrol.
package est
