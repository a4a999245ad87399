// Package interop checks that the reference client interoperates with
// Eclipse Leshan, the most used open-source LwM2M server, over DTLS: PSK
// and X.509 (Leshan checks that the client certificate names the
// endpoint), with and without Connection ID, through the whole
// registration lifecycle and device management as Leshan's REST API and
// event stream show it, through Leshan's bootstrap server, and that Leshan
// refuses the clients it must refuse (wrong PSK, wrong CN, untrusted CA,
// expired certificate), recording how.
//
// The suite is `go test ./suites/interop` (label "interop"). The first run
// builds the peers with Java 17 and Maven (see package peers/leshan); they
// run as JVMs (process mode) or in containers of a Docker engine
// (container mode); LWM2M_CONFORM_LESHAN_MODE picks process, container or
// auto (the default: containers when an engine answers). Where the peers
// cannot run it skips, unless CI is set, when it fails. With
// LWM2M_CONFORM_INTEROP_EVIDENCE set, the peers' working directories (their
// whole logs) stay there. The suite also runs itself in a child process and
// interrupts it (SIGINT, SIGKILL), checking that no container, network,
// volume or JVM of the child is left.
package interop
