package runner

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"

	"github.com/lwm2m-conform/lwm2m-conform/catalog"
	"github.com/lwm2m-conform/lwm2m-conform/certgen"
	"github.com/lwm2m-conform/lwm2m-conform/servers"
)

// peerDTLS builds the harness server's DTLS identity: exactly the chain the
// case presents, with the key of the case's peer certificate.
func peerDTLS(pki *certgen.Set, c catalog.Case) (*servers.DTLS, error) {
	switch c.SUT.Mode {
	case "nosec":
		return nil, nil
	case "cert":
	default:
		return nil, fmt.Errorf("%s: security mode %q is not run by this harness yet", c.ID, c.SUT.Mode)
	}
	key, err := pki.Cert(c.Peer.Key)
	if err != nil {
		return nil, err
	}
	tc := tls.Certificate{PrivateKey: key.Key}
	for _, ref := range c.Peer.Chain {
		cert, err := pki.Cert(ref)
		if err != nil {
			return nil, err
		}
		tc.Certificate = append(tc.Certificate, cert.DER)
	}
	tc.Leaf, _ = x509.ParseCertificate(tc.Certificate[0])
	return &servers.DTLS{Certificate: &tc}, nil
}
