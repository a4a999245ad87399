package interop

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/lwm2m-conform/lwm2m-conform/client/provision"
	"github.com/lwm2m-conform/lwm2m-conform/peers/leshan"
)

var _ = Describe("Bootstrap through Leshan's bootstrap server", Ordered, func() {
	const (
		ep      = "interop-bootstrap"
		bsID    = "interop-bootstrap-bs"
		dmID    = "interop-bootstrap-dm"
		dmSSID  = 201
		dmLTime = 60
	)
	var (
		bs       *leshan.BootstrapServer
		bsEvents *eventLog
		dmEvents *eventLog
		ref      *refClient
	)
	bsKey := []byte("bootstrap-psk-key")
	dmKey := []byte("dm-server-psk-key")

	BeforeAll(func(ctx SpecContext) {
		var err error
		bs, err = leshan.StartBootstrapServer(ctx, leshan.BootstrapServerOptions{Mode: mode, Dir: evidenceDir("leshan-bsserver")})
		Expect(err).NotTo(HaveOccurred())
		DeferCleanup(bs.Stop)
		AddReportEntry("Leshan bootstrap server start-up", fmt.Sprintf("%s %s", leshan.BootstrapVersion, bs.StartupTime().Round(time.Millisecond)))

		Expect(bs.AddPSK(ctx, ep, bsID, bsKey)).To(Succeed())
		ssid := dmSSID
		Expect(bs.SetConfig(ctx, ep, leshan.BootstrapConfig{
			ToDelete: []string{"/0", "/1"},
			Servers:  map[int]leshan.BootstrapServerAccount{0: {ShortID: dmSSID, Lifetime: dmLTime, Binding: []string{"U"}}},
			Security: map[int]leshan.BootstrapSecurityObject{1: {
				URI: leshanOn.CoapsURI("127.0.0.1"), SecurityMode: "PSK",
				PublicKeyOrID: []byte(dmID), SecretKey: dmKey, ServerID: &ssid,
			}},
		})).To(Succeed())
		Expect(leshanOn.AddPSK(ctx, ep, dmID, dmKey)).To(Succeed())
		bsEvents = subscribe(bs.Events)
		dmEvents = subscribe(leshanOn.Events)

		s := provision.Defaults()
		s.Endpoint, s.Server, s.Bootstrap = ep, bs.CoapsURI("127.0.0.1"), true
		s.PSKIdentity, s.PSKKey = bsID, fmt.Sprintf("%x", bsKey)
		ref = startRef(s, true)
	})

	AfterEach(func() {
		if bs != nil {
			AddReportEntry(fmt.Sprintf("Leshan bootstrap server (%s mode) output", mode), bs.Output(), ReportEntryVisibilityFailureOrVerbose)
		}
	})

	It("bootstraps: Leshan writes the Security and Server objects and sends Bootstrap-Finish", func() {
		bsEvents.await(leshan.EventBootstrapSuccess, ep, 1, 30*time.Second)
		Eventually(func() bool { return ref.c.Status().Bootstrapped }).Should(BeTrue())
		var steps []string
		for _, e := range bsEvents.all(leshan.EventBootstrapRequest, ep) {
			var r struct{ Request, Result string }
			_ = json.Unmarshal(e.Data, &r)
			steps = append(steps, r.Request+" → "+r.Result)
		}
		AddReportEntry("bootstrap requests", strings.Join(steps, "\n"))
		Expect(bsEvents.all(leshan.EventBootstrapFailure, ep)).To(BeEmpty())
		Expect(ref.modelValue("/1/0/0")).To(Equal(fmt.Sprint(dmSSID)))
	})

	It("registers with Leshan's server using the bootstrapped credentials", func(ctx SpecContext) {
		reg := decode[leshan.Registration](dmEvents.await(leshan.EventRegistration, ep, 1, 30*time.Second))
		Expect(reg.Identity).To(ContainSubstring(dmID), "Leshan identifies the client by the bootstrapped PSK identity")
		Expect(reg.Lifetime).To(BeEquivalentTo(dmLTime))
		raw, err := leshanOn.Read(ctx, ep, "/1/0/0")
		Expect(err).NotTo(HaveOccurred())
		n, _ := leshan.ParseNode(raw)
		Expect(n.Text()).To(Equal(fmt.Sprint(dmSSID)))
	})

	It("de-registers when stopped", func() {
		ref.stop()
		dmEvents.await(leshan.EventDeregistration, ep, 1, 10*time.Second)
	})
})
