package est

import (
	"crypto/x509"
	"errors"
	"fmt"
	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"

	"github.com/plgd-dev/go-coap/v3/message"
	"github.com/smallstep/pkcs7"
)

// Content-Formats of RFC 9148 §4.3.
const (
	FormatPKCS7Certs = lwm2m.FormatPKCS7Certs
	FormatPKCS10     = lwm2m.FormatPKCS10
	FormatPKIXCert   = lwm2m.FormatPKIXCert
)

// maxBody bounds a certificate response this client reads.
const maxBody = 64 << 10

// ParseCertsResponse reads the certificates of a /crts, /sen or /sren
// answer by its Content-Format: 281 a certs-only PKCS#7, 287 one DER
// certificate. Anything else, an empty answer or one without any
// certificate is an error naming the problem.
func ParseCertsResponse(format message.MediaType, body []byte) ([]*x509.Certificate, error) {
	if len(body) > maxBody {
		return nil, fmt.Errorf("EST answer of %d bytes is larger than %d", len(body), maxBody)
	}
	switch format {
	case FormatPKCS7Certs:
		return ParsePKCS7(body)
	case FormatPKIXCert:
		if len(body) == 0 {
			return nil, errors.New("empty application/pkix-cert answer")
		}
		c, err := x509.ParseCertificate(body)
		if err != nil {
			return nil, fmt.Errorf("application/pkix-cert answer does not parse: %w", err)
		}
		return []*x509.Certificate{c}, nil
	}
	return nil, fmt.Errorf("EST answer in Content-Format %d: want 281 (pkcs7 certs-only) or 287 (pkix-cert)", format)
}

// ParsePKCS7 reads a certs-only PKCS#7 (RFC 7030 §4.1.3) and returns its
// certificates; a malformed or truncated structure, or one holding no
// certificate, is an error.
func ParsePKCS7(der []byte) (certs []*x509.Certificate, err error) {
	if len(der) == 0 {
		return nil, errors.New("empty PKCS#7 answer")
	}
	defer func() { // the parser must never take the client down
		if r := recover(); r != nil {
			certs, err = nil, fmt.Errorf("PKCS#7 answer does not parse: %v", r)
		}
	}()
	p7, err := pkcs7.Parse(der)
	if err != nil {
		return nil, fmt.Errorf("PKCS#7 answer does not parse: %w", err)
	}
	if len(p7.Certificates) == 0 {
		return nil, errors.New("PKCS#7 answer holds no certificate")
	}
	return p7.Certificates, nil
}
