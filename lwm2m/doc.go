// Package lwm2m holds the LwM2M 1.1 vocabulary shared by the reference
// client and the harness servers: paths, typed values, the object and
// resource registry for the Security (0), Server (1) and Device (3) objects,
// and the content formats a 1.1 client speaks (plain text, opaque, CBOR,
// TLV, SenML JSON, SenML CBOR and the CoRE Link Format).
//
// The package has no network code. Every decoder treats its input as
// hostile: malformed data yields an error, never a panic, and allocations
// are bounded by the size of the input.
package lwm2m
