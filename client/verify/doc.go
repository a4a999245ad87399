// Package verify decides whether an LwM2M client accepts a DTLS server's
// certificate chain under the Certificate Usage resource (/0/x/15), the
// Server Public Key resource (/0/x/4) and an optional trust store.
//
// The semantics follow the LwM2M client behaviour documented for certificate
// usage (RFC 6698 values 0..3, the empty-key fallbacks, usage unset behaving
// as DANE-EE) and RFC 7671 where that documentation is silent: DANE-EE checks
// neither validity period nor name. Where neither decides, it follows what
// OpenSSL, GnuTLS and Mbed TLS agree on: a DANE-TA anchor must be within its
// own validity period, and an end-entity certificate in the trust store
// that is not self-signed anchors no chain (it is trusted only when the
// server presents it alone).
//
// Verify is a pure function: the same Input always yields the same Decision,
// and no input makes it panic.
package verify
