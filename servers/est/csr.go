package est

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
)

// maxCSR bounds a CSR body: a P-256 or RSA-4096 request with a few
// extensions is far below it.
const maxCSR = 16 << 10

// ParseCSR reads a DER PKCS#10 request (RFC 9148 §4.4: the bodies are DER,
// without base64) and checks its self-signature. Every failure says what
// is wrong, for the 4.00 diagnostic.
func ParseCSR(der []byte) (csr *x509.CertificateRequest, err error) {
	switch {
	case len(der) == 0:
		return nil, errors.New("empty CSR")
	case len(der) > maxCSR:
		return nil, fmt.Errorf("CSR of %d bytes is larger than %d", len(der), maxCSR)
	}
	defer func() { // the x509 parser must not take the server down
		if r := recover(); r != nil {
			csr, err = nil, fmt.Errorf("CSR does not parse: %v", r)
		}
	}()
	csr, err = x509.ParseCertificateRequest(der)
	if err != nil {
		return nil, fmt.Errorf("CSR does not parse: %w", err)
	}
	if err := csr.CheckSignature(); err != nil {
		return nil, fmt.Errorf("CSR signature does not verify: %w", err)
	}
	return csr, nil
}

// CSRFacts are what the runner checks about a CSR, as event fields.
type CSRFacts struct {
	CN        string // subject common name
	Subject   string
	KeyAlg    string   // "P-256", "P-384", "RSA", ...
	SigAlg    string   // "ECDSA-SHA256", ...
	SANs      []string // subjectAltName entries: DNS:, IP:, URI:, email:
	PublicKey []byte   // DER SubjectPublicKeyInfo
}

// Facts describes csr.
func Facts(csr *x509.CertificateRequest) CSRFacts {
	f := CSRFacts{
		CN:        csr.Subject.CommonName,
		Subject:   csr.Subject.String(),
		KeyAlg:    keyAlg(csr.PublicKey),
		SigAlg:    csr.SignatureAlgorithm.String(),
		PublicKey: csr.RawSubjectPublicKeyInfo,
	}
	f.SANs = sanList(csr.DNSNames, csr.IPAddresses, csr.URIs, csr.EmailAddresses)
	return f
}

// CertSANs lists a certificate's subjectAltName entries as Facts lists a
// CSR's, so that a renewal CSR can be compared with the certificate it
// renews (RFC 7030 §4.2.2).
func CertSANs(c *x509.Certificate) []string {
	return sanList(c.DNSNames, c.IPAddresses, c.URIs, c.EmailAddresses)
}

func sanList(dns []string, ips []net.IP, uris []*url.URL, emails []string) []string {
	var out []string
	for _, n := range dns {
		out = append(out, "DNS:"+n)
	}
	for _, ip := range ips {
		out = append(out, "IP:"+ip.String())
	}
	for _, u := range uris {
		out = append(out, "URI:"+u.String())
	}
	for _, e := range emails {
		out = append(out, "email:"+e)
	}
	return out
}

func keyAlg(pub any) string {
	switch k := pub.(type) {
	case *ecdsa.PublicKey:
		switch k.Curve {
		case elliptic.P256():
			return "P-256"
		case elliptic.P384():
			return "P-384"
		case elliptic.P521():
			return "P-521"
		}
		return "ECDSA"
	case nil:
		return "none"
	}
	return fmt.Sprintf("%T", pub)[1:]
}
