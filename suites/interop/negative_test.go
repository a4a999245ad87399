package interop

import (
	"fmt"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/lwm2m-conform/lwm2m-conform/peers/leshan"
)

// refusal is how one refused client ended, seen from both sides.
type refusal struct {
	handshakeErr string             // the client's first failed handshake, "" if none failed
	registerErr  string             // the client's "Register failed" log line, "" if none
	leshanDTLS   []leshan.DTLSEvent // Leshan's failed handshakes
	leshanLog    string             // Leshan's output lines about the refusal
}

func (r refusal) String() string {
	var b strings.Builder
	if r.handshakeErr != "" {
		fmt.Fprintf(&b, "client: handshake failed: %s\n", r.handshakeErr)
	}
	if r.registerErr != "" {
		fmt.Fprintf(&b, "client: %s\n", r.registerErr)
	}
	for _, d := range r.leshanDTLS {
		fmt.Fprintf(&b, "Leshan: handshake %s, alert %s (%s): %s\n", d.Result, orNone(d.Alert), orNone(d.AlertLevel), d.Error)
	}
	if r.leshanLog != "" {
		fmt.Fprintf(&b, "Leshan output:\n%s", r.leshanLog)
	}
	return b.String()
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// expectRefused starts a client that Leshan must refuse and waits for the
// first deciding sign: a failed handshake or a refused Register. Leshan
// must never list the endpoint.
func expectRefused(ctx SpecContext, ep string, start func() *refClient) refusal {
	GinkgoHelper()
	ev := subscribe(leshanOn.Events)
	mark := leshanOn.OutputMark()
	ref := start()
	var r refusal
	Eventually(func() bool {
		for _, h := range ref.Handshakes() {
			if h.Err != nil {
				r.handshakeErr = h.Err.Error()
				return true
			}
		}
		for _, line := range strings.Split(ref.Log(), "\n") {
			if strings.Contains(line, "Register failed") {
				r.registerErr = line[strings.Index(line, "msg="):]
				return true
			}
		}
		return false
	}).WithTimeout(40*time.Second).WithPolling(50*time.Millisecond).Should(BeTrue(), "a refusal of %s", ep)
	// Leshan's side of the same failure arrives within moments.
	time.Sleep(500 * time.Millisecond)
	ref.stop()
	for _, d := range dtls(ev.all(leshan.EventDTLS, "")) {
		if d.Result == "failed" {
			r.leshanDTLS = append(r.leshanDTLS, d)
		}
	}
	for _, line := range strings.Split(leshanOn.OutputSince(mark), "\n") {
		if strings.Contains(line, ep) || strings.Contains(line, "WARN") || strings.Contains(line, "failed") {
			r.leshanLog += line + "\n"
		}
	}
	Expect(ev.all(leshan.EventRegistration, ep)).To(BeEmpty(), "Leshan accepted a registration of %s", ep)
	Expect(ref.registered()).To(BeFalse())
	_, err := leshanOn.Client(ctx, ep)
	Expect(err).To(MatchError(leshan.ErrNotRegistered))
	AddReportEntry("observed", r.String())
	return r
}

// deviation records where Leshan's alert differs from the one the (D)TLS
// specifications name for the case.
func deviation(r refusal, wantAlert, why string) {
	var alerts []string
	for _, d := range r.leshanDTLS {
		alerts = append(alerts, d.Alert)
	}
	for _, a := range alerts {
		if strings.EqualFold(a, wantAlert) {
			return
		}
	}
	AddReportEntry("deviation", fmt.Sprintf("expected alert %s (%s); Leshan sent %v", wantAlert, why, orNone(strings.Join(alerts, ", "))))
}

var _ = Describe("Leshan refuses", func() {
	It("a PSK client with the wrong key", func(ctx SpecContext) {
		const ep = "interop-wrong-psk"
		Expect(leshanOn.AddPSK(ctx, ep, ep+"-id", []byte("the-right-key"))).To(Succeed())
		r := expectRefused(ctx, ep, func() *refClient {
			s := pskSettings(ep, leshanOn.CoapsURI("127.0.0.1"), []byte("the-wrong-key"))
			s.HandshakeTimeout = 4 * time.Second
			return startRef(s, false)
		})
		Expect(r.handshakeErr).NotTo(BeEmpty(), "the handshake must fail")
		if len(r.leshanDTLS) == 0 {
			// The client's Finished is encrypted with keys from the wrong
			// PSK, so Leshan cannot decrypt the record: RFC 6347 §4.1.2.7
			// lets it discard the record silently, and it does.
			AddReportEntry("note", "Leshan sends no alert: the undecryptable Finished is discarded silently "+
				"(allowed by RFC 6347 §4.1.2.7); the client only learns from its handshake timeout")
		}
	})

	It("a certificate whose CN is not the endpoint name", func(ctx SpecContext) {
		const ep = "interop-cn-mismatch" // the certificate names interop-somebody-else
		Expect(leshanOn.AddX509(ctx, ep)).To(Succeed())
		r := expectRefused(ctx, ep, func() *refClient {
			return startRef(x509Settings(ep, leshanOn.CoapsURI("127.0.0.1"), cert("wrong-cn"), cert("server"), "3"), false)
		})
		// The endpoint name first appears in the Register, after the
		// handshake: the refusal can only be a CoAP error.
		Expect(r.handshakeErr).To(BeEmpty(), "the certificate itself is valid")
		Expect(r.registerErr).To(ContainSubstring("Forbidden"), "Leshan answers the Register 4.03")
	})

	It("a certificate from a CA it does not trust", func(ctx SpecContext) {
		const ep = "interop-untrusted"
		Expect(leshanOn.AddX509(ctx, ep)).To(Succeed())
		r := expectRefused(ctx, ep, func() *refClient {
			return startRef(x509Settings(ep, leshanOn.CoapsURI("127.0.0.1"), cert("untrusted"), cert("server"), "3"), false)
		})
		Expect(r.handshakeErr).NotTo(BeEmpty(), "the handshake must fail")
		// Leshan's CertificateRequest names the CAs it trusts; pion then
		// sends an empty Certificate (RFC 5246 §7.4.6: "no suitable
		// certificate"), so this is Leshan refusing a client without one.
		deviation(r, "HANDSHAKE_FAILURE", "RFC 5246 §7.4.6: the client sent no certificate because none is issued by a CA "+
			"of Leshan's CertificateRequest, and the server MAY then abort with handshake_failure")
	})

	It("an expired client certificate", func(ctx SpecContext) {
		const ep = "interop-expired"
		Expect(leshanOn.AddX509(ctx, ep)).To(Succeed())
		r := expectRefused(ctx, ep, func() *refClient {
			return startRef(x509Settings(ep, leshanOn.CoapsURI("127.0.0.1"), cert("expired"), cert("server"), "3"), false)
		})
		Expect(r.handshakeErr).NotTo(BeEmpty(), "the handshake must fail")
		deviation(r, "CERTIFICATE_EXPIRED", "RFC 5246 §7.2.2: a certificate has expired")
	})
})
