package est

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"strings"
	"time"

	"github.com/plgd-dev/go-coap/v3/message"
	"github.com/plgd-dev/go-coap/v3/message/codes"

	"github.com/lwm2m-conform/lwm2m-conform/servers"
)

// crts answers GET /crts with the case CA (RFC 9148 §4.1, RFC 7030
// §4.1.3).
func (s *Server) crts(in inbound) answer {
	format, err := answerFormat(in.accept, s.formatFor(opCrts))
	if err != nil {
		return diag(codes.NotAcceptable, err.Error())
	}
	fault := s.faultFor(opCrts)
	if a, ok := s.errorFault(fault); ok {
		return a
	}
	body, err := EncodeCerts(format, []*x509.Certificate{s.cfg.CA.Cert})
	if err != nil {
		return diag(codes.InternalServerError, err.Error())
	}
	return s.certAnswer(codes.Content, format, body, fault)
}

// enroll answers POST /sen and /sren: a certificate for the CSR's key
// with its subject and subjectAltNames (RFC 7030 §4.2).
func (s *Server) enroll(op string, in inbound, peer servers.Peer) answer {
	fields := map[string]string{}
	if len(in.body) > 0 {
		fields["csr"] = base64.StdEncoding.EncodeToString(in.body)
	}
	if len(peer.Chain) > 0 {
		fields["peer_serial"] = serialHex(peer.Chain[0])
		fields["peer_subject"] = peer.Chain[0].Subject.String()
		fields["peer_issued_here"] = boolText(peer.Chain[0].CheckSignatureFrom(s.cfg.CA.Cert) == nil)
	}
	with := func(a answer) answer {
		for k, v := range fields {
			if a.fields == nil {
				a.fields = map[string]string{}
			}
			if _, set := a.fields[k]; !set {
				a.fields[k] = v
			}
		}
		return a
	}
	if len(peer.Chain) == 0 {
		return with(diag(codes.Unauthorized, "EST-coaps needs a client certificate in the DTLS handshake (RFC 9148 §3)"))
	}
	if in.cf != nil && *in.cf != FormatPKCS10 {
		return with(diag(codes.UnsupportedMediaType, "a CSR is application/pkcs10 (286), not "+FormatName(*in.cf)))
	}
	csr, err := ParseCSR(in.body)
	if err != nil {
		s.issued(Issuance{Op: op, At: s.cfg.Now(), Session: peer.Session, Code: "4.00"})
		return with(diag(codes.BadRequest, err.Error()))
	}
	f := Facts(csr)
	fields["csr_cn"], fields["csr_key"], fields["csr_sig"] = f.CN, f.KeyAlg, f.SigAlg
	fields["csr_subject"] = f.Subject
	fields["csr_san"] = strings.Join(f.SANs, ",")
	fields["csr_spki"] = base64.StdEncoding.EncodeToString(f.PublicKey)
	format, err := answerFormat(in.accept, s.formatFor(op))
	if err != nil {
		return with(diag(codes.NotAcceptable, err.Error()))
	}
	fault := s.faultFor(op)
	rec := Issuance{Op: op, At: s.cfg.Now(), Session: peer.Session, CSR: in.body, Fault: fault}
	if a, ok := s.errorFault(fault); ok {
		rec.Code = codeText(a.code)
		s.issued(rec)
		return with(a)
	}
	cert, err := s.issue(csr, fault)
	if err != nil {
		return with(diag(codes.InternalServerError, err.Error()))
	}
	rec.Cert, rec.Code = cert, "2.04"
	s.issued(rec)
	fields["issued"] = base64.StdEncoding.EncodeToString(cert.Raw)
	fields["serial"] = serialHex(cert)
	fields["not_before"] = cert.NotBefore.UTC().Format(time.RFC3339)
	fields["not_after"] = cert.NotAfter.UTC().Format(time.RFC3339)
	body, err := EncodeCerts(format, []*x509.Certificate{cert})
	if err != nil {
		return with(diag(codes.InternalServerError, err.Error()))
	}
	return with(s.certAnswer(codes.Changed, format, body, fault))
}

// issue signs the certificate an answer carries: a good one, or the one
// a certificate fault asks for.
func (s *Server) issue(csr *x509.CertificateRequest, fault string) (*x509.Certificate, error) {
	now := s.cfg.Now()
	switch fault {
	case FaultWrongKey:
		other, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return nil, err
		}
		return s.cfg.CA.IssueClient(csr, other.Public(), s.cfg.Validity)
	case FaultUnknownCA:
		stranger, err := NewCA("lwm2m-conform unknown EST CA", s.cfg.Now)
		if err != nil {
			return nil, err
		}
		return stranger.IssueClient(csr, csr.PublicKey, s.cfg.Validity)
	case FaultExpired:
		return s.cfg.CA.IssueClientWindow(csr, csr.PublicKey, now.Add(-2*time.Hour), now.Add(-time.Hour))
	}
	return s.cfg.CA.IssueClient(csr, csr.PublicKey, s.cfg.Validity)
}

// errorFault is the answer of a fault that replaces the whole response.
func (s *Server) errorFault(fault string) (answer, bool) {
	var a answer
	switch fault {
	case FaultRetryLater:
		a = answer{code: codes.ServiceUnavailable, maxAge: uint32(s.cfg.Fault.maxAge() / time.Second)}
	case FaultBadRequest:
		a = diag(codes.BadRequest, "deliberate 4.00 (harness fault bad-request)")
	case FaultInternal:
		a = diag(codes.InternalServerError, "deliberate 5.00 (harness fault server-error)")
	default:
		return answer{}, false
	}
	if a.fields == nil {
		a.fields = map[string]string{}
	}
	a.fields["fault"] = fault
	return a, true
}

// certAnswer is a certificate response, spoilt as a body fault asks.
func (s *Server) certAnswer(code codes.Code, format message.MediaType, body []byte, fault string) answer {
	switch fault {
	case FaultTruncated:
		body = body[:len(body)/2]
	case FaultEmpty:
		format = FormatPKCS7Certs
		body, _ = DegeneratePKCS7(nil)
	case FaultWrongCF:
		format = FormatOctets
	}
	a := answer{code: code, format: format, hasCF: true, body: body, fields: map[string]string{}}
	if fault != "" {
		a.fields["fault"] = fault
	}
	return a
}

func (s *Server) issued(i Issuance) {
	s.mu.Lock()
	s.st.issued = append(s.st.issued, i)
	s.mu.Unlock()
}

func serialHex(c *x509.Certificate) string { return c.SerialNumber.Text(16) }

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}
