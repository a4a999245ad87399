package interop

import (
	"fmt"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/lwm2m-conform/lwm2m-conform/peers/leshan"
)

// A CID is used exactly when Leshan supports it (-cid on) and the client
// asks for it (RFC 9146: the client offers the extension, the server
// answers with the CID it wants to receive).
var _ = DescribeTable("DTLS Connection ID",
	func(ctx SpecContext, x509 bool, serverCID, clientCID bool) {
		srv, srvName := leshanOff, "off"
		if serverCID {
			srv, srvName = leshanOn, "on"
		}
		ep := fmt.Sprintf("interop-cid-%s-%v", srvName, clientCID)
		ev := subscribe(srv.Events)
		var ref *refClient
		if x509 {
			ep = "interop-x509-cid-off"
			Expect(srv.AddX509(ctx, ep)).To(Succeed())
			ref = startRef(x509Settings(ep, srv.CoapsURI("127.0.0.1"), cert("x509-cid-off"), cert("server"), "3"), clientCID)
		} else {
			key := []byte("cid-key-" + ep)
			Expect(srv.AddPSK(ctx, ep, ep+"-id", key)).To(Succeed())
			ref = startRef(pskSettings(ep, srv.CoapsURI("127.0.0.1"), key), clientCID)
		}
		ev.await(leshan.EventRegistration, ep, 1, 20*time.Second)

		hs := ref.Handshakes()
		last := hs[len(hs)-1]
		var done []leshan.DTLSEvent
		for _, d := range dtls(ev.all(leshan.EventDTLS, "")) {
			if d.Result == "completed" {
				done = append(done, d)
			}
		}
		Expect(done).NotTo(BeEmpty(), "Leshan's DTLS event for the handshake")
		leshanSide := done[len(done)-1]
		AddReportEntry("CID", fmt.Sprintf("server -cid %s, client asks %v: client sends CID %x; Leshan receives with CID %q, suite %s",
			srvName, clientCID, last.CID, leshanSide.CID, leshanSide.Suite))
		if serverCID && clientCID {
			Expect(last.CID).NotTo(BeEmpty(), "the client sends the CID Leshan chose")
			Expect(strings.ToLower(leshanSide.CID)).To(Equal(fmt.Sprintf("%x", last.CID)), "both sides agree on the CID")
		} else {
			Expect(last.CID).To(BeEmpty())
			Expect(leshanSide.CID).To(BeEmpty())
		}
		// The registration works over the connection either way.
		_, err := srv.Read(ctx, ep, "/3/0/0")
		Expect(err).NotTo(HaveOccurred())
		ref.stop()
		ev.await(leshan.EventDeregistration, ep, 1, 10*time.Second)
	},
	Entry("PSK, Leshan -cid on, client asks", false, true, true),
	Entry("PSK, Leshan -cid on, client does not ask", false, true, false),
	Entry("PSK, Leshan -cid off, client asks", false, false, true),
	Entry("PSK, Leshan -cid off, client does not ask", false, false, false),
	Entry("X.509, Leshan -cid off, client asks", true, false, true),
)
