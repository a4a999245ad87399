// Package est is the EST-coaps client side (RFC 9148) of the reference
// LwM2M client's Security Mode 4 (certificate mode with EST): the
// requests (/crts, /sen, /sren, discovery), the parsing of their answers
// in both formats a server may choose (281 certs-only PKCS#7 and 287 one
// DER certificate, seed 002 §10.3.2), the checks a careful client makes
// before installing anything, the key and CSR, the re-enrollment time
// (seed 002 §10.3.3.1) and the persisted state.
//
// It knows nothing of the LwM2M data model: package client decides when
// to enrol and where the credentials go.
package est
