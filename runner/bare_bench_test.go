package runner

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net"
	"testing"
	"time"

	"github.com/pion/dtls/v2"
)

// BenchmarkBarePionHandshake is the floor under BenchmarkCaseAccepted: a
// bare pion ECDHE-ECDSA handshake with the same certificates (the case's
// chain, verified against its root), fresh sockets each time, no harness.
// Run beside the case benchmarks, the ratio is the harness's overhead.
func BenchmarkBarePionHandshake(b *testing.B) {
	pki := testPKI(b)
	leaf, _ := pki.Cert("main/server")
	inter, _ := pki.Cert("main/int")
	root, _ := pki.Cert("main/root")
	roots := x509.NewCertPool()
	roots.AddCert(root.X509)
	server := &dtls.Config{
		Certificates:   []tls.Certificate{{Certificate: [][]byte{leaf.DER, inter.DER}, PrivateKey: leaf.Key}},
		CipherSuites:   []dtls.CipherSuiteID{dtls.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8},
		FlightInterval: 200 * time.Millisecond,
	}
	client := &dtls.Config{
		RootCAs: roots, ServerName: "localhost",
		CipherSuites:   []dtls.CipherSuiteID{dtls.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8},
		FlightInterval: 200 * time.Millisecond,
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ln, err := dtls.Listen("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)}, server)
		if err != nil {
			b.Fatal(err)
		}
		done := make(chan error, 1)
		go func() {
			c, err := ln.Accept()
			if err == nil {
				c.Close()
			}
			done <- err
		}()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		c, err := dtls.DialWithContext(ctx, "udp", ln.Addr().(*net.UDPAddr), client)
		cancel()
		if err != nil {
			b.Fatal(err)
		}
		c.Close()
		if err := <-done; err != nil {
			b.Fatal(err)
		}
		ln.Close()
	}
}
