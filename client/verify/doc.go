// Package verify decides whether an LwM2M client accepts a DTLS server's
// certificate chain under the Certificate Usage resource (/0/x/15), the
// Server Public Key resource (/0/x/4) and an optional trust store.
//
// The semantics follow the LwM2M client behaviour documented for certificate
// usage (RFC 6698 values 0..3, the empty-key fallbacks, usage unset behaving
// as DANE-EE) and RFC 7671 where that documentation is silent: DANE-EE checks
// neither validity period nor name, and a DANE-TA anchor's own validity
// period is not checked.
//
// Verify is a pure function: the same Input always yields the same Decision,
// and no input makes it panic.
package verify
