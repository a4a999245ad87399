package lwm2m

import "github.com/plgd-dev/go-coap/v3/message"

// Content-Formats of EST over CoAP (RFC 9148 §4.3), named once for the
// reference client's EST side and the harness EST server.
const (
	FormatPKCS7Certs message.MediaType = 281 // application/pkcs7-mime;smime-type=certs-only
	FormatPKCS10     message.MediaType = 286 // application/pkcs10
	FormatPKIXCert   message.MediaType = 287 // application/pkix-cert
)
