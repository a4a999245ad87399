package client

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/events"
	serverest "github.com/lwm2m-conform/lwm2m-conform/servers/est"
)

// est-before-finish: /crts and /sen reach the bootstrap server's endpoint
// before its Bootstrap-Finish; the client still bootstraps and registers.
func TestESTFaultBeforeFinish(t *testing.T) {
	h := startESTHarness(t, serverest.Config{}, false)
	o := h.options(t, "")
	o.Faults = []string{string(FaultESTBeforeFinish)}
	start(t, o)
	h.registeredWith(t, 10*time.Second)
	finish, ok := h.bsLog.First(events.BootstrapDone)
	ex := h.estExchanges("")
	if !ok || len(ex) < 2 || !ex[0].Time.Before(finish.Time) || !ex[1].Time.Before(finish.Time) {
		t.Fatalf("want /crts and /sen before Bootstrap-Finish:\n%s", h.timeline())
	}
	if ex[0].Fields["op"] != "crts" || ex[1].Fields["op"] != "sen" {
		t.Errorf("EST exchanges %s, %s", ex[0].Fields["op"], ex[1].Fields["op"])
	}
}

// est-reuse-bootstrap-key: the CSR carries the bootstrap certificate's key.
func TestESTFaultReuseBootstrapKey(t *testing.T) {
	h := startESTHarness(t, serverest.Config{}, false)
	o := h.options(t, "")
	o.Faults = []string{string(FaultESTReuseBSKey)}
	start(t, o)
	h.registeredWith(t, 10*time.Second)
	spki, _ := base64.StdEncoding.DecodeString(h.estExchanges("sen")[0].Fields["csr_spki"])
	if !bytes.Equal(spki, h.pki.client.cert.RawSubjectPublicKeyInfo) {
		t.Fatal("the CSR does not carry the bootstrap key")
	}
}

// est-ignore-crts: without the /crts anchors, the mode 4 account (no
// Server Public Key, no trust store, usage unset: DANE-EE) accepts a
// server whose chain ends outside /crts, unvalidated (seed 000 §5.5.2).
func TestESTFaultIgnoreCrts(t *testing.T) {
	h := startESTHarness(t, serverest.Config{}, true)
	o := h.options(t, "")
	o.Faults = []string{string(FaultESTIgnoreCrts)}
	r := start(t, o)
	h.registeredWith(t, 10*time.Second)
	if hs := r.handshakes(); hs[len(hs)-1].Validated {
		t.Errorf("the LwM2M server was validated: %+v", hs[len(hs)-1])
	}
	if n := len(h.estExchanges("crts")); n != 1 {
		t.Errorf("%d /crts, want 1 (fetched, not installed)", n)
	}
}

// est-new-subject: the renewal CSR names another Subject.
func TestESTFaultNewSubject(t *testing.T) {
	h := startESTHarness(t, serverest.Config{Validity: 3 * time.Second}, false)
	o := h.options(t, "")
	o.Faults = []string{string(FaultESTNewSubject)}
	start(t, o)
	h.registeredWith(t, 10*time.Second)
	waitFor(t, 6*time.Second, "a /sren", func() bool { return len(h.estExchanges("sren")) > 0 })
	sen, sren := h.estExchanges("sen")[0], h.estExchanges("sren")[0]
	if sren.Fields["csr_subject"] == sen.Fields["csr_subject"] || !strings.HasSuffix(sren.Fields["csr_cn"], "-renamed") {
		t.Fatalf("renewal subject %q, enrolled %q", sren.Fields["csr_subject"], sen.Fields["csr_subject"])
	}
}
