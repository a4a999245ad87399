// Package leshan runs Eclipse Leshan as an interop peer: a LwM2M server and
// a bootstrap server to test clients against, and a LwM2M client to test as
// an implementation under test.
//
// The peers are small Java programs in java/ built on Leshan's own
// libraries from Maven Central — the server and client on Leshan 2.0.0-M18
// (Version), the bootstrap server on 2.0.0-M15 (BootstrapVersion), the
// newest Leshan bootstrap server published with its Californium
// transport in the Maven repository this project builds from. The Leshan
// demo jars (leshan-demo-server and friends) are not published there, so
// the peers take the demos' command-line flags and the subset of their REST
// API the harness needs instead: PUT /api/security/clients, GET
// /api/clients, Read/Write/Execute/Observe under /api/clients/{endpoint},
// POST /api/bootstrap/{endpoint}, and the /api/event stream. DTLS, the
// security store, the registration and bootstrap logic — everything a
// conformance verdict depends on — are Leshan's and Californium's code.
//
// Fetch builds the peers once with Maven (strict checksums) into a cache
// outside the repository and verifies every library jar against Maven
// Central's .sha1; the peers then run as JVM processes (ModeProcess) or as
// containers built from docker/ (ModeContainer).
package leshan
