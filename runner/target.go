package runner

import (
	"crypto/x509"
	"fmt"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/catalog"
	"github.com/lwm2m-conform/lwm2m-conform/certgen"
	"github.com/lwm2m-conform/lwm2m-conform/sut"
)

// target materialises the case's provisioning for the SUT.
func target(pki *certgen.Set, c catalog.Case, port int, dir string) (sut.Target, error) {
	scheme := "coaps"
	if c.SUT.Mode == "nosec" {
		scheme = "coap"
	}
	t := sut.Target{
		CaseID:       c.ID,
		Endpoint:     endpointName(c.ID),
		ServerURI:    fmt.Sprintf("%s://%s", scheme, net.JoinHostPort(c.SUT.Host, strconv.Itoa(port))),
		Mode:         c.SUT.Mode,
		LwM2M:        "1.1",
		Usage:        c.SUT.Usage,
		SNI:          c.SUT.SNI,
		CipherSuites: c.SUT.CipherSuites,
		ConnectionID: c.SUT.CID,
		Lifetime:     time.Duration(c.SUT.Lifetime) * time.Second,
		Dir:          dir,
	}
	if c.SUT.Mode == "psk" {
		t.PSKIdentity = c.SUT.PSKIdentity
		t.PSKKey = catalog.PSKKey(c.SUT.PSKKeyLen, c.SUT.PSKWrongKey)
	}
	if c.Scenario == "restart" || c.Scenario == "reboot" {
		t.StateFile = filepath.Join(dir, "state.json")
	}
	if c.SUT.ServerPublicKey != "" {
		cert, err := pki.Cert(c.SUT.ServerPublicKey)
		if err != nil {
			return t, err
		}
		t.ServerPublicKey = cert.DER
	}
	if c.SUT.TrustStore != nil {
		t.TrustStore = []*x509.Certificate{}
		for _, ref := range c.SUT.TrustStore {
			cert, err := pki.Cert(ref)
			if err != nil {
				return t, err
			}
			t.TrustStore = append(t.TrustStore, cert.X509)
		}
	}
	if c.SUT.ClientCert != "" {
		cert, err := pki.Cert(c.SUT.ClientCert)
		if err != nil {
			return t, err
		}
		t.ClientCertDER, t.ClientKeyPKCS8 = cert.DER, cert.KeyPKCS8
	}
	return t, nil
}

// endpointName derives a stable, URI-safe endpoint name from a case id.
func endpointName(id string) string {
	r := strings.NewReplacer("/", ".", " ", "_")
	return "conform." + r.Replace(id)
}
