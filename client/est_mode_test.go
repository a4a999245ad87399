package client

import (
	"bytes"
	"crypto/x509"
	"encoding/base64"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/client/est"
	"github.com/lwm2m-conform/lwm2m-conform/events"
	serverest "github.com/lwm2m-conform/lwm2m-conform/servers/est"
)

// peerSerial is the serial of the certificate a client presented in a
// handshake the harness server recorded.
func peerSerial(t *testing.T, hd events.Event) string {
	t.Helper()
	first, _, _ := strings.Cut(hd.Fields["peer_chain"], ",")
	der, err := base64.StdEncoding.DecodeString(first)
	if err != nil || first == "" {
		t.Fatalf("handshake without a client certificate: %v", hd.Fields)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c.SerialNumber.Text(16)
}

// Security Mode 4 end to end: bootstrap in certificate mode, then (seed
// 002 §10.3.3.1: only after Bootstrap-Finish) /crts and /sen on the
// bootstrap server's endpoint, a fresh P-256 key with CN = endpoint, and a
// Register on a handshake presenting the issued certificate, the LwM2M
// server being trusted through the /crts anchor alone.
func TestMode4EnrollsAndRegisters(t *testing.T) {
	h := startESTHarness(t, serverest.Config{}, false)
	r := start(t, h.options(t, ""))
	hd := h.registeredWith(t, 10*time.Second)
	iss := h.est.Issued()
	if len(iss) != 1 || iss[0].Cert == nil {
		t.Fatalf("issued %+v\n%s", iss, h.timeline())
	}
	if got := peerSerial(t, hd); got != iss[0].Cert.SerialNumber.Text(16) {
		t.Errorf("the client presented serial %s to the LwM2M server, EST issued %s", got, iss[0].Cert.SerialNumber.Text(16))
	}
	finish, _ := h.bsLog.First(events.BootstrapDone)
	for _, e := range h.estExchanges("") {
		if e.Time.Before(finish.Time) {
			t.Errorf("EST request before Bootstrap-Finish: %s", e.Summary)
		}
	}
	sen := h.estExchanges("sen")[0].Fields
	if sen["csr_cn"] != estEndpoint || sen["csr_key"] != "P-256" || sen["csr_sig"] != "ECDSA-SHA256" || sen["ct"] != "286" || sen["type"] != "CON" {
		t.Errorf("CSR: %v", sen)
	}
	if bytes.Equal(iss[0].Cert.RawSubjectPublicKeyInfo, h.pki.client.cert.RawSubjectPublicKeyInfo) {
		t.Error("the client enrolled its bootstrap key")
	}
	if h := r.handshakes(); !h[len(h)-1].Validated {
		t.Errorf("LwM2M server accepted without validation: %+v", h[len(h)-1])
	}
}

// The control: an LwM2M server whose chain does not lead to the /crts
// anchor is rejected (RFC 9148 §3: the /crts anchors are the explicit TA
// database of new DTLS connections).
func TestMode4RejectsServerOutsideCrts(t *testing.T) {
	h := startESTHarness(t, serverest.Config{}, true)
	r := start(t, h.options(t, ""))
	waitFor(t, 10*time.Second, "a rejected LwM2M server", func() bool {
		for _, hs := range r.handshakes() {
			if hs.Err != nil && strings.Contains(hs.Server, h.lwAddr) {
				return true
			}
		}
		return false
	})
	if _, ok := h.lwLog.First(events.Register); ok {
		t.Fatal("registered with a server outside the /crts anchors")
	}
	if a, ok := h.lwLog.First(events.AlertReceived); !ok || a.Alert == nil || a.Alert.Name != "bad_certificate" {
		t.Fatalf("no bad_certificate alert:\n%s", h.timeline())
	}
}

// RFC 9148 §4.7: after 5.03 with Max-Age the client waits at least Max-Age
// and resends the identical CSR.
func TestMode4RetryLater(t *testing.T) {
	h := startESTHarness(t, serverest.Config{Fault: serverest.Fault{Kind: serverest.FaultRetryLater, Op: "sen", MaxAge: time.Second}}, false)
	start(t, h.options(t, ""))
	h.registeredWith(t, 10*time.Second)
	sen := h.estExchanges("sen")
	if len(sen) != 2 || sen[0].Fields["code"] != "5.03" || sen[1].Fields["code"] != "2.04" {
		t.Fatalf("sen exchanges:\n%s", h.timeline())
	}
	if d := sen[1].Time.Sub(sen[0].Time); d < time.Second {
		t.Errorf("resent after %s, Max-Age was 1 s", d)
	}
	if sen[0].Fields["csr"] != sen[1].Fields["csr"] {
		t.Error("the CSR after 5.03 is not the identical one")
	}
}

// A careful client installs nothing from a faulty answer: it asks again,
// and presents only the certificate of a good answer.
func TestMode4RefusesFaultyAnswers(t *testing.T) {
	for _, kind := range []string{serverest.FaultWrongKey, serverest.FaultUnknownCA, serverest.FaultExpired,
		serverest.FaultTruncated, serverest.FaultEmpty, serverest.FaultWrongCF, serverest.FaultBadRequest, serverest.FaultInternal} {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			h := startESTHarness(t, serverest.Config{Fault: serverest.Fault{Kind: kind, Op: "sen"}}, false)
			start(t, h.options(t, ""))
			hd := h.registeredWith(t, 10*time.Second)
			iss := h.est.Issued()
			if len(iss) < 2 || iss[0].Fault != kind || iss[1].Cert == nil {
				t.Fatalf("issued %+v", iss)
			}
			if got := peerSerial(t, hd); got != iss[1].Cert.SerialNumber.Text(16) {
				t.Fatalf("presented %s, want the good second certificate %s", got, iss[1].Cert.SerialNumber.Text(16))
			}
			first, _ := h.lwLog.First(events.ClientHello)
			if first.Time.Before(iss[1].At) {
				t.Fatalf("contacted the LwM2M server before a good answer:\n%s", h.timeline())
			}
		})
	}
}

// Seed 002 §10.3.2 and §10.3.3.1: /sren when 90 % of a (here 3 s)
// validity has passed; RFC 7030 §3.3.2 and §4.2.2: authenticated with the
// certificate being renewed, same Subject.
func TestMode4Reenrolls(t *testing.T) {
	h := startESTHarness(t, serverest.Config{Validity: 3 * time.Second}, false)
	r := start(t, h.options(t, ""))
	h.registeredWith(t, 10*time.Second)
	first := r.c.est.state()
	waitFor(t, 6*time.Second, "a /sren", func() bool { return len(h.estExchanges("sren")) > 0 })
	sren := h.estExchanges("sren")[0]
	due := est.DefaultPolicy.ReenrollAt(first.ProvisionedAt, first.Cert.NotAfter)
	if d := sren.Time.Sub(due); d < -50*time.Millisecond || d > 500*time.Millisecond {
		t.Errorf("/sren %s after its due time %s", d, due.Format(time.RFC3339Nano))
	}
	if sren.Fields["peer_serial"] != first.Cert.SerialNumber.Text(16) || sren.Fields["peer_issued_here"] != "true" {
		t.Errorf("/sren presented %s, want the certificate being renewed %s", sren.Fields["peer_serial"], first.Cert.SerialNumber.Text(16))
	}
	if sren.Fields["csr_subject"] != first.Cert.Subject.String() || sren.Fields["code"] != "2.04" {
		t.Errorf("/sren: %v", sren.Fields)
	}
	waitFor(t, 2*time.Second, "the renewed certificate installed", func() bool {
		return r.c.est.state().Cert.SerialNumber.Text(16) == sren.Fields["serial"]
	})
}

// Seed 002 §10.3.3.2: EST state persists across restarts (0600), so a
// restarted client registers with its certificate without a new /sen.
func TestMode4RestartKeepsEnrollment(t *testing.T) {
	h := startESTHarness(t, serverest.Config{}, false)
	dir := t.TempDir()
	r := start(t, h.options(t, dir))
	h.registeredWith(t, 10*time.Second)
	serial := r.c.est.state().Cert.SerialNumber.Text(16)
	_ = r.stop(t)
	fi, err := os.Stat(dir + "/state.json.est")
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("EST state file: %v %v", fi, err)
	}
	regs := len(h.lwLog.Events())
	opts := h.options(t, dir)
	r2 := start(t, opts)
	waitFor(t, 10*time.Second, "a second Register", func() bool {
		for _, e := range h.lwLog.Events()[regs:] {
			if e.Kind == events.Register {
				return true
			}
		}
		return false
	})
	if n := len(h.estExchanges("sen")); n != 1 {
		t.Fatalf("%d /sen after the restart, want none", n-1)
	}
	if got := r2.c.est.state().Cert.SerialNumber.Text(16); got != serial {
		t.Fatalf("restarted with serial %s, enrolled %s", got, serial)
	}
}
