package leshan

import "fmt"

// Version is the Leshan release the server and client peers are built on.
const Version = "2.0.0-M18"

// BootstrapVersion is the Leshan release of the bootstrap server peer.
const BootstrapVersion = "2.0.0-M15"

// Kind names one of the three peers.
type Kind string

const (
	KindServer   Kind = "server"
	KindBSServer Kind = "bsserver"
	KindClient   Kind = "client"
)

// mainClass is the Java entry point of a peer.
func (k Kind) mainClass() (string, error) {
	switch k {
	case KindServer:
		return "org.lwm2mconform.leshan.lwm2m.ServerPeer", nil
	case KindClient:
		return "org.lwm2mconform.leshan.lwm2m.ClientPeer", nil
	case KindBSServer:
		return "org.lwm2mconform.leshan.bootstrap.BootstrapServerPeer", nil
	}
	return "", fmt.Errorf("leshan: unknown peer kind %q (want server, bsserver or client)", string(k))
}

// module is the Maven module holding a peer.
func (k Kind) module() string {
	if k == KindBSServer {
		return "bootstrap"
	}
	return "lwm2m"
}

// leshanVersion is the Leshan release a peer is built on.
func (k Kind) leshanVersion() string {
	if k == KindBSServer {
		return BootstrapVersion
	}
	return Version
}
