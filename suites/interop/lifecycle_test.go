package interop

import (
	"fmt"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/lwm2m-conform/lwm2m-conform/peers/leshan"
)

// describeLifecycle declares the registration lifecycle against Leshan as
// ordered specs: Register, Read, Write (lifetime → Update), Execute
// (Registration Update Trigger → Update), Observe, De-register. start
// provisions Leshan and starts the reference client.
func describeLifecycle(title, ep string, start func(SpecContext) *refClient) {
	Describe(title, Ordered, func() {
		var (
			ev  *eventLog
			ref *refClient
		)
		BeforeAll(func(ctx SpecContext) {
			ev = subscribe(leshanOn.Events)
			ref = start(ctx)
		})

		It("registers: Leshan sends REGISTRATION and lists the endpoint", func(ctx SpecContext) {
			reg := decode[leshan.Registration](ev.await(leshan.EventRegistration, ep, 1, 20*time.Second))
			Expect(reg.Secure).To(BeTrue(), "Leshan sees a DTLS registration")
			Expect(reg.LwM2MVersion).To(Equal("1.1"))
			Expect(reg.Lifetime).To(BeEquivalentTo(60))
			listed, err := leshanOn.Client(ctx, ep)
			Expect(err).NotTo(HaveOccurred())
			Expect(listed.RegistrationID).To(Equal(reg.RegistrationID))
			Eventually(ref.registered).Should(BeTrue())
			hs := ref.Handshakes()
			Expect(hs).NotTo(BeEmpty())
			last := hs[len(hs)-1]
			Expect(last.Err).NotTo(HaveOccurred())
			Expect(last.Validated).To(BeTrue(), "the client validated Leshan (%s)", last.Decision)
			AddReportEntry("handshake", fmt.Sprintf("suite %s, CID %x, validated %v (%s), Leshan identity %q",
				last.CipherSuite, last.CID, last.Validated, last.Rule, reg.Identity))
		})

		It("Leshan reads /3/0 and sees the client's Device values", func(ctx SpecContext) {
			raw, err := leshanOn.Read(ctx, ep, "/3/0")
			Expect(err).NotTo(HaveOccurred())
			dev, err := leshan.ParseNode(raw)
			Expect(err).NotTo(HaveOccurred())
			Expect(dev.Kind).To(Equal("instance"))
			for _, id := range []int{0, 1, 2, 3} {
				r, ok := dev.Resource(id)
				Expect(ok).To(BeTrue(), "/3/0/%d in %s", id, raw)
				Expect(r.Text()).To(Equal(ref.modelValue(fmt.Sprintf("/3/0/%d", id))), "/3/0/%d", id)
			}
			for _, format := range []string{"TLV", "SENML_JSON", "SENML_CBOR"} {
				raw, err := leshanOn.ReadFormat(ctx, ep, "/3/0/0", format)
				Expect(err).NotTo(HaveOccurred(), "Read /3/0/0 as %s", format)
				n, _ := leshan.ParseNode(raw)
				Expect(n.Text()).To(Equal(ref.modelValue("/3/0/0")), format)
			}
		})

		It("Leshan writes the lifetime /1/0/1: the client takes it and sends an Update", func(ctx SpecContext) {
			Expect(leshanOn.Write(ctx, ep, "/1/0/1", 120)).To(Succeed())
			Expect(ref.modelValue("/1/0/1")).To(Equal("120"))
			up := decode[leshan.RegistrationUpdate](ev.await(leshan.EventUpdated, ep, 1, 10*time.Second))
			Expect(up.Update.Lifetime).NotTo(BeNil())
			Expect(*up.Update.Lifetime).To(BeEquivalentTo(120))
			raw, err := leshanOn.Read(ctx, ep, "/1/0/1")
			Expect(err).NotTo(HaveOccurred())
			n, _ := leshan.ParseNode(raw)
			Expect(n.Text()).To(Equal("120"))
		})

		It("Leshan executes the Registration Update Trigger /1/0/8: the client sends an Update", func(ctx SpecContext) {
			before := len(ev.all(leshan.EventUpdated, ep))
			Expect(leshanOn.Execute(ctx, ep, "/1/0/8", "")).To(Succeed())
			up := decode[leshan.RegistrationUpdate](ev.await(leshan.EventUpdated, ep, before+1, 10*time.Second))
			Expect(up.Registration.Endpoint).To(Equal(ep))
		})

		It("Leshan observes /1/0/1: a change reaches Leshan as a notification", func(ctx SpecContext) {
			Expect(leshanOn.Observe(ctx, ep, "/1/0/1")).To(Succeed())
			Expect(leshanOn.Write(ctx, ep, "/1/0/1", 90)).To(Succeed())
			Eventually(func() []string {
				var vals []string
				for _, e := range ev.all(leshan.EventNotification, ep) {
					n := decode[leshan.Notification](e)
					node, _ := leshan.ParseNode(n.Value)
					vals = append(vals, n.Path+"="+node.Text())
				}
				return vals
			}).WithTimeout(10 * time.Second).Should(ContainElement("/1/0/1=90"))
		})

		It("de-registers when stopped: DEREGISTRATION, and Leshan forgets the endpoint", func(ctx SpecContext) {
			ref.stop()
			dereg := decode[leshan.Registration](ev.await(leshan.EventDeregistration, ep, 1, 10*time.Second))
			Expect(dereg.Expired).To(BeFalse(), "a De-register, not an expiry")
			_, err := leshanOn.Client(ctx, ep)
			Expect(err).To(MatchError(leshan.ErrNotRegistered))
		})
	})
}

var _ = Describe("Leshan server lifecycle", func() {
	describeLifecycle("PSK", "interop-psk", func(ctx SpecContext) *refClient {
		key := []byte("interop-psk-key!")
		Expect(leshanOn.AddPSK(ctx, "interop-psk", "interop-psk-id", key)).To(Succeed())
		return startRef(pskSettings("interop-psk", leshanOn.CoapsURI("127.0.0.1"), key), true)
	})
	describeLifecycle("X.509, certificate usage 3 (DANE-EE, Leshan's leaf as Server Public Key)", "interop-x509-u3", func(ctx SpecContext) *refClient {
		Expect(leshanOn.AddX509(ctx, "interop-x509-u3")).To(Succeed())
		return startRef(x509Settings("interop-x509-u3", leshanOn.CoapsURI("127.0.0.1"), cert("x509-u3"), cert("server"), "3"), true)
	})
})

var _ = Describe("X.509, certificate usage 2 (DANE-TA, the root as Server Public Key)", func() {
	It("registers and de-registers", func(ctx SpecContext) {
		const ep = "interop-x509-u2"
		ev := subscribe(leshanOn.Events)
		Expect(leshanOn.AddX509(ctx, ep)).To(Succeed())
		ref := startRef(x509Settings(ep, leshanOn.CoapsURI("127.0.0.1"), cert("x509-u2"), cert("root"), "2"), false)
		reg := decode[leshan.Registration](ev.await(leshan.EventRegistration, ep, 1, 20*time.Second))
		Expect(reg.Identity).To(ContainSubstring("x509="+ep), "Leshan identifies the client by its certificate CN")
		hs := ref.Handshakes()
		Expect(hs[len(hs)-1].Validated).To(BeTrue())
		Expect(hs[len(hs)-1].Rule).NotTo(BeEmpty())
		AddReportEntry("handshake", fmt.Sprintf("rule %s: %s", hs[len(hs)-1].Rule, hs[len(hs)-1].Decision))
		ref.stop()
		ev.await(leshan.EventDeregistration, ep, 1, 10*time.Second)
	})
})
