package est

import (
	"bytes"
	"crypto/x509"
	"errors"
	"fmt"
	"github.com/lwm2m-conform/lwm2m-conform/lwm2m"

	"github.com/plgd-dev/go-coap/v3/message"
	"github.com/smallstep/pkcs7"
)

// Content-Formats of RFC 9148 §4.3 (and the two of RFC 7252 used here).
const (
	FormatPKCS7Certs                   = lwm2m.FormatPKCS7Certs
	FormatPKCS10                       = lwm2m.FormatPKCS10
	FormatPKIXCert                     = lwm2m.FormatPKIXCert
	FormatLinkFormat message.MediaType = 40 // application/link-format
	FormatOctets     message.MediaType = 42 // application/octet-stream
)

// FormatName is how the timeline names a Content-Format.
func FormatName(f message.MediaType) string {
	switch f {
	case FormatPKCS7Certs:
		return "281 (pkcs7 certs-only)"
	case FormatPKCS10:
		return "286 (pkcs10)"
	case FormatPKIXCert:
		return "287 (pkix-cert)"
	}
	return fmt.Sprintf("%d", f)
}

// EncodeCerts renders certificates as a response body in format f: a
// certs-only PKCS#7 (281, any number, possibly none) or one DER
// certificate (287).
func EncodeCerts(f message.MediaType, certs []*x509.Certificate) ([]byte, error) {
	switch f {
	case FormatPKCS7Certs:
		return DegeneratePKCS7(certs)
	case FormatPKIXCert:
		if len(certs) != 1 {
			return nil, fmt.Errorf("est: application/pkix-cert carries one certificate, not %d", len(certs))
		}
		return certs[0].Raw, nil
	}
	return nil, fmt.Errorf("est: %d is not a certificate format (281 or 287)", f)
}

// DegeneratePKCS7 is a certs-only SignedData (RFC 7030 §4.1.3, "degenerate"
// PKCS#7: no content, no signers) holding certs.
func DegeneratePKCS7(certs []*x509.Certificate) ([]byte, error) {
	var all bytes.Buffer
	for _, c := range certs {
		all.Write(c.Raw)
	}
	der, err := pkcs7.DegenerateCertificate(all.Bytes())
	if err != nil {
		return nil, fmt.Errorf("est: PKCS#7: %w", err)
	}
	return der, nil
}

// errNoFormat: the client's Accept names no certificate format.
var errNoFormat = errors.New("Accept names neither 281 nor 287")

// answerFormat is the format of a certificate response: the client's
// Accept when it names one, else the case's choice (RFC 9148 §4.3: without
// an Accept the server SHOULD choose 281; a case may choose 287 to check
// that a client takes both).
func answerFormat(accept *message.MediaType, preferred message.MediaType) (message.MediaType, error) {
	if accept == nil {
		return preferred, nil
	}
	switch *accept {
	case FormatPKCS7Certs, FormatPKIXCert:
		return *accept, nil
	}
	return 0, errNoFormat
}
