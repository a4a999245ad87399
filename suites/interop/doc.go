// Package interop checks that the reference client interoperates with
// Eclipse Leshan, the most used open-source LwM2M server, over DTLS: PSK
// and X.509 (Leshan checks that the client certificate names the
// endpoint), with and without Connection ID, through the whole
// registration lifecycle and device management as Leshan's REST API and
// event stream show it, through Leshan's bootstrap server, and that Leshan
// refuses the clients it must refuse (wrong PSK, wrong CN, untrusted CA,
// expired certificate), recording how.
//
// The suite is `go test ./suites/interop` (label "interop"). It needs Java
// 17 and Maven (process mode; the first run builds the peers, see package
// peers/leshan) or a Docker engine (container mode); with neither it
// skips, unless CI is set, when it fails. LWM2M_CONFORM_LESHAN_MODE picks
// process, container or auto (the default).
package interop
