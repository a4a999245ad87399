package runner

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/catalog"
	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/servers/est"
	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// Sources of the EST checks, named once.
const (
	srcESTOrder   = "002_e6bcbb3f85073747.txt §10.3.3.1 — “EST requests (other than /est/sren) are only performed after receiving the Bootstrap Finish request over the Bootstrap interface”"
	srcESTPath    = "RFC 9148 §4.1 — the EST resources are under /.well-known/est, or where discovery (GET /.well-known/core?rt=ace.est*) says; either is conforming"
	srcESTCSR     = "RFC 9148 §4.1 and §4.3 — /sen and /sren are POST with an application/pkcs10 (Content-Format 286) DER request; RFC 2986 §4.2 — the request is signed with the key it carries"
	srcESTCSRCON  = "RFC 7252 §2.1 — a request whose loss matters is sent Confirmable; a non-confirmable enrollment is lost silently"
	srcESTCSRKey  = "004_a2a7e99d9fc9a4a8.txt, LwM2M device key and certificate, Cipher and signature algorithm — “Cipher: NIST P-256 (secp256r1). Signature algorithm: ecdsa-with-SHA256.”"
	srcESTCSRCN   = "004_a2a7e99d9fc9a4a8.txt, LwM2M device key and certificate, Notes — “The Common Name (CN) field of the certificate is the individual device's endpoint name” (a deployment's rule: WARN only)"
	srcESTFresh   = "002_e6bcbb3f85073747.txt §10.3.1 — EST lets “the device … generate a key pair locally, with the private key never leaving the device”; §10.3.2 — “Only the bootstrap credentials need to be provided at manufacture time, while keys for the main credentials can be provisioned remotely”"
	srcESTIssued  = "002_e6bcbb3f85073747.txt §10.3.2 — “Enrollment of Clients (/est/sen)”; LwM2M Security Mode 4: the certificate EST issued is the client's credential for the LwM2M server"
	srcESTRetry   = "RFC 9148 §4.7 — a 5.03 Service Unavailable carries Max-Age, the time after which the client SHOULD resend the identical CSR"
	srcESTBlock2  = "RFC 9148 §4.6 — “EST-coaps clients MUST implement Block2”"
	srcSrenTiming = "002_e6bcbb3f85073747.txt §10.3.3.1 — default: “/est/sren requests are issued 30 days before the certificate expiration date, or after 90% of the time between its provisioning and expiration dates has passed, whichever is later”"
	srcSrenSubj   = "RFC 7030 §4.2.2 — re-enrollment: “the Subject field and SubjectAltName extension MUST be identical to the corresponding fields in the certificate being renewed or rekeyed”"
	srcSrenAuth   = "RFC 7030 §3.3.2 — for /simplereenroll the client authenticates with the certificate being renewed; 002_e6bcbb3f85073747.txt §10.3.3.1 — a client may keep its bootstrap certificate for the bootstrap server unless that account is in EST mode (WARN, not FAIL)"
	srcSrenKey    = "RFC 7030 §4.2.2 — /simplereenroll renews or rekeys: the key may stay or change; 002_e6bcbb3f85073747.txt does not say which"
	srcNoNewSen   = "002_e6bcbb3f85073747.txt §10.3.3.2 — “For EST logic to work properly across restarts of the client application, persistence of EST state needs to be implemented”: a restarted client keeps its certificate and anchors"
)

// estChecks judges the EST expectations an est case carries, in the order
// of catalog.ESTChecks.
func estChecks(c catalog.Case, evs []events.Event) []verdict.Check {
	if c.EST == nil {
		return nil
	}
	bs := byPeer(evs, peerBootstrap)
	fns := map[string]func() []verdict.Check{
		"order":         func() []verdict.Check { return one(checkESTOrder(byPeer(evs, peerBootstrap, peerProvisioning))) },
		"path":          func() []verdict.Check { return one(checkESTPath(bs)) },
		"csr":           func() []verdict.Check { return checkCSR(bs, endpointName(c.ID)) },
		"fresh-key":     func() []verdict.Check { return one(checkFreshKey(evs, bs)) },
		"issued-cert":   func() []verdict.Check { return one(checkIssuedCert(evs, bs)) },
		"retry":         func() []verdict.Check { return checkRetry(bs) },
		"block2":        func() []verdict.Check { return one(checkBlock2(bs)) },
		"sren-timing":   func() []verdict.Check { return one(checkSrenTiming(bs)) },
		"sren-subject":  func() []verdict.Check { return one(checkSrenSubject(bs)) },
		"sren-auth":     func() []verdict.Check { return one(checkSrenAuth(bs)) },
		"sren-key":      func() []verdict.Check { return one(checkSrenKey(bs)) },
		"no-new-enroll": func() []verdict.Check { return one(checkNoNewEnroll(evs)) },
	}
	var out []verdict.Check
	for _, name := range catalog.ESTChecks {
		if slices.Contains(c.EST.Checks, name) {
			out = append(out, fns[name]()...)
		}
	}
	return out
}

func one(c verdict.Check) []verdict.Check { return []verdict.Check{c} }

func check(name string, v verdict.Verdict, basis catalog.Basis, src, msg string) verdict.Check {
	return verdict.Check{Name: name, Verdict: v, Basis: basis, Source: src, Message: msg}
}

func checkESTOrder(bs []events.Event) verdict.Check {
	const name = "est-order"
	var finish time.Time
	for _, e := range bs {
		if e.Kind == events.BootstrapDone && e.Fields["code"] == "2.04" {
			finish = e.Time
			break
		}
	}
	ex := estExchanges(bs, "")
	switch {
	case len(ex) == 0:
		return skipCheck(name, "no EST request was made")
	case finish.IsZero():
		return check(name, verdict.Fail, catalog.BasisSeed, srcESTOrder, fmt.Sprintf("%d EST requests and no completed Bootstrap-Finish", len(ex)))
	}
	for _, e := range ex {
		if e.Fields["op"] != "sren" && e.Time.Before(finish) {
			return check(name, verdict.Fail, catalog.BasisSeed, srcESTOrder,
				fmt.Sprintf("%s %s %s before Bootstrap-Finish", e.Time.Sub(finish).Round(time.Millisecond), e.Fields["method"], e.Fields["path"]))
		}
	}
	return check(name, verdict.Pass, catalog.BasisSeed, srcESTOrder, fmt.Sprintf("%d EST requests, all after Bootstrap-Finish", len(ex)))
}

func checkESTPath(bs []events.Event) verdict.Check {
	var roots []string
	discovered := false
	for _, e := range estExchanges(bs, "") {
		if e.Fields["op"] == "discovery" {
			discovered = true
			continue
		}
		if r := e.Fields["root"]; r != "" && !slices.Contains(roots, r) {
			roots = append(roots, r)
		}
	}
	msg := "EST requests under " + strings.Join(roots, " and ")
	if discovered {
		msg += ", after discovery (GET /.well-known/core?rt=ace.est*)"
	} else {
		msg += ", without discovery"
	}
	return check("est-path", verdict.Info, catalog.BasisRFC, srcESTPath, msg)
}

// enrollRequest is the first complete sen (else sren) request: the
// exchange that carried the whole CSR.
func enrollRequest(bs []events.Event) (events.Event, bool) {
	for _, op := range []string{"sen", "sren"} {
		for _, e := range estExchanges(bs, op) {
			if e.Fields["csr"] != "" && e.Fields["code"] != "2.31" {
				return e, true
			}
		}
	}
	return events.Event{}, false
}

// checkCSR judges the enrollment request: its form (est-csr), its key and
// signature algorithm (est-csr-key), its CN (est-csr-cn).
func checkCSR(bs []events.Event, endpoint string) []verdict.Check {
	e, ok := enrollRequest(bs)
	if !ok {
		return []verdict.Check{skipCheck("est-csr", "no enrollment request carried a CSR")}
	}
	f := e.Fields
	var form verdict.Check
	switch {
	case f["method"] != "POST" || f["ct"] != "286":
		form = check("est-csr", verdict.Fail, catalog.BasisRFC, srcESTCSR, fmt.Sprintf("the CSR came as %s with Content-Format %q, want POST with 286", f["method"], f["ct"]))
	case f["csr_key"] == "":
		form = check("est-csr", verdict.Fail, catalog.BasisRFC, srcESTCSR, "the CSR was refused: "+f["error"])
	case f["type"] != "CON":
		form = check("est-csr", verdict.Warn, catalog.BasisRFC, srcESTCSRCON, "the CSR came in a "+f["type"]+" message: POST, 286 and signature are right, but it is not confirmable")
	default:
		form = check("est-csr", verdict.Pass, catalog.BasisRFC, srcESTCSR, "CON POST "+f["path"]+", Content-Format 286, signature verifies")
	}
	out := []verdict.Check{form}
	if f["csr_key"] == "" {
		return out
	}
	if f["csr_key"] == "P-256" && f["csr_sig"] == "ECDSA-SHA256" {
		out = append(out, check("est-csr-key", verdict.Pass, catalog.BasisSeed, srcESTCSRKey, "P-256 key, ECDSA-SHA256 signature"))
	} else {
		out = append(out, check("est-csr-key", verdict.Fail, catalog.BasisSeed, srcESTCSRKey, fmt.Sprintf("%s key, %s signature", f["csr_key"], f["csr_sig"])))
	}
	if f["csr_cn"] == endpoint {
		out = append(out, check("est-csr-cn", verdict.Pass, catalog.BasisSeed, srcESTCSRCN, "CN = the endpoint name "+endpoint))
	} else {
		out = append(out, check("est-csr-cn", verdict.Warn, catalog.BasisSeed, srcESTCSRCN, fmt.Sprintf("CN %q, the endpoint name is %q", f["csr_cn"], endpoint)))
	}
	return out
}

func checkFreshKey(evs, bs []events.Event) verdict.Check {
	const name = "est-fresh-key"
	e, ok := enrollRequest(bs)
	if !ok || e.Fields["csr_spki"] == "" {
		return skipCheck(name, "no enrollment request carried a readable CSR")
	}
	boot := peerLeaf(evs, peerBootstrap, e.Fields["session"])
	if boot == nil {
		return skipCheck(name, "the bootstrap certificate of the enrollment's session was not recorded")
	}
	if e.Fields["csr_spki"] == base64.StdEncoding.EncodeToString(boot.RawSubjectPublicKeyInfo) {
		return check(name, verdict.Fail, catalog.BasisSeed, srcESTFresh, "the CSR carries the bootstrap certificate's key ("+boot.Subject.String()+")")
	}
	return check(name, verdict.Pass, catalog.BasisSeed, srcESTFresh, "the CSR carries a key other than the bootstrap certificate's")
}

func checkIssuedCert(evs, bs []events.Event) verdict.Check {
	const name = "est-issued-cert"
	issued := append(goodIssuances(bs, "sen"), goodIssuances(bs, "sren")...)
	var reg events.Event
	found := false
	for _, e := range evs {
		if e.Kind == events.Register && e.Fields[harnessPeer] == peerLwM2M {
			reg, found = e, true
			break
		}
	}
	if !found {
		return skipCheck(name, "no Register at the LwM2M server")
	}
	leaf := peerLeaf(evs, peerLwM2M, reg.Fields["session"])
	if leaf == nil {
		return check(name, verdict.Fail, catalog.BasisSeed, srcESTIssued, "the Register's handshake presented no client certificate")
	}
	serial := leaf.SerialNumber.Text(16)
	for _, i := range issued {
		if i.serial() == serial {
			return check(name, verdict.Pass, catalog.BasisSeed, srcESTIssued, fmt.Sprintf("registered presenting serial %s, issued by /%s", serial, i.ev.Fields["op"]))
		}
	}
	return check(name, verdict.Fail, catalog.BasisSeed, srcESTIssued, fmt.Sprintf("registered presenting serial %s (%s), which EST did not issue", serial, leaf.Subject))
}

// checkRetry judges the request after a 5.03: not before Max-Age
// (est-retry-wait), with the identical CSR (est-retry-csr).
func checkRetry(bs []events.Event) []verdict.Check {
	sen := estExchanges(bs, "sen")
	for i, e := range sen {
		if e.Fields["code"] != "5.03" {
			continue
		}
		if i+1 == len(sen) {
			return []verdict.Check{check("est-retry-wait", verdict.Fail, catalog.BasisRFC, srcESTRetry, "no /sen followed the 5.03")}
		}
		next := sen[i+1]
		secs, _ := strconv.Atoi(e.Fields["max_age"])
		maxAge := time.Duration(secs) * time.Second
		wait := next.Time.Sub(e.Time)
		out := []verdict.Check{check("est-retry-wait", verdict.Pass, catalog.BasisRFC, srcESTRetry,
			fmt.Sprintf("resent after %s, Max-Age %s", wait.Round(time.Millisecond), maxAge))}
		if wait < maxAge-50*time.Millisecond {
			out[0].Verdict, out[0].Message = verdict.Warn, fmt.Sprintf("resent after %s, before Max-Age %s", wait.Round(time.Millisecond), maxAge)
		}
		same := e.Fields["csr"] != "" && e.Fields["csr"] == next.Fields["csr"]
		if same {
			out = append(out, check("est-retry-csr", verdict.Pass, catalog.BasisRFC, srcESTRetry, "the identical CSR"))
		} else {
			out = append(out, check("est-retry-csr", verdict.Warn, catalog.BasisRFC, srcESTRetry, "a different CSR"))
		}
		return out
	}
	return []verdict.Check{skipCheck("est-retry-wait", "no 5.03 was answered")}
}

func checkBlock2(bs []events.Event) verdict.Check {
	const name = "est-block2"
	var done, partial []string
	for _, op := range []string{"crts", "sen"} {
		ex := estExchanges(bs, op)
		sliced, last := false, false
		size := ""
		for _, e := range ex {
			if b := e.Fields["resp_block2"]; b != "" {
				sliced = true
				parts := strings.Split(b, "/")
				size = parts[2]
				if parts[1] == "0" {
					last = true
				}
			}
		}
		switch {
		case !sliced:
		case last:
			done = append(done, fmt.Sprintf("/%s in %s-byte blocks", op, size))
		default:
			partial = append(partial, "/"+op)
		}
	}
	switch {
	case len(partial) > 0:
		return check(name, verdict.Fail, catalog.BasisRFC, srcESTBlock2, "the last block of "+strings.Join(partial, ", ")+" was never asked for")
	case len(done) == 0:
		return skipCheck(name, "no answer went out in blocks")
	}
	return check(name, verdict.Pass, catalog.BasisRFC, srcESTBlock2, "fetched every block: "+strings.Join(done, ", "))
}

// firstSren is the first good /sren and the issuance it renewed.
func firstSren(bs []events.Event) (sren, renewed issuance, ok bool) {
	srens := goodIssuances(bs, "sren")
	first, okFirst := firstGoodIssuance(bs)
	if len(srens) == 0 || !okFirst {
		return issuance{}, issuance{}, false
	}
	return srens[0], first, true
}

func checkSrenTiming(bs []events.Event) verdict.Check {
	const name = "est-sren-timing"
	first, ok := firstGoodIssuance(bs)
	if !ok {
		return skipCheck(name, "nothing was enrolled")
	}
	due := srenDue(first)
	srens := estExchanges(bs, "sren")
	if len(srens) == 0 {
		return check(name, verdict.Fail, catalog.BasisSeed, srcSrenTiming, fmt.Sprintf("no /sren; it was due %s after provisioning (validity %s)",
			due.Sub(first.ev.Time).Round(time.Millisecond), first.cert.NotAfter.Sub(first.cert.NotBefore)))
	}
	off := srens[0].Time.Sub(due)
	msg := fmt.Sprintf("/sren %s after provisioning, due at %s (validity %s): off by %s",
		srens[0].Time.Sub(first.ev.Time).Round(time.Millisecond), due.Sub(first.ev.Time).Round(time.Millisecond),
		first.cert.NotAfter.Sub(first.cert.NotBefore), off.Round(time.Millisecond))
	if off < -srenTolerance || off > srenTolerance {
		return check(name, verdict.Fail, catalog.BasisSeed, srcSrenTiming, msg+", more than "+srenTolerance.String())
	}
	return check(name, verdict.Pass, catalog.BasisSeed, srcSrenTiming, msg)
}

func checkSrenSubject(bs []events.Event) verdict.Check {
	const name = "est-sren-subject"
	sren, renewed, ok := firstSren(bs)
	if !ok {
		return skipCheck(name, "no good /sren")
	}
	wantSAN := strings.Join(est.CertSANs(renewed.cert), ",")
	switch {
	case sren.ev.Fields["csr_subject"] != renewed.cert.Subject.String():
		return check(name, verdict.Fail, catalog.BasisRFC, srcSrenSubj, fmt.Sprintf("renewal CSR subject %q, the certificate's is %q", sren.ev.Fields["csr_subject"], renewed.cert.Subject))
	case sren.ev.Fields["csr_san"] != wantSAN:
		return check(name, verdict.Fail, catalog.BasisRFC, srcSrenSubj, fmt.Sprintf("renewal CSR subjectAltName %q, the certificate's is %q", sren.ev.Fields["csr_san"], wantSAN))
	}
	return check(name, verdict.Pass, catalog.BasisRFC, srcSrenSubj, "the renewal CSR keeps Subject "+renewed.cert.Subject.String()+" and the subjectAltNames")
}

func checkSrenAuth(bs []events.Event) verdict.Check {
	const name = "est-sren-auth"
	sren, renewed, ok := firstSren(bs)
	if !ok {
		return skipCheck(name, "no good /sren")
	}
	if got := sren.ev.Fields["peer_serial"]; got != renewed.serial() {
		return check(name, verdict.Warn, catalog.BasisRFC, srcSrenAuth, fmt.Sprintf("the /sren handshake presented serial %s (%s), not the certificate being renewed (%s)",
			got, sren.ev.Fields["peer_subject"], renewed.serial()))
	}
	return check(name, verdict.Pass, catalog.BasisRFC, srcSrenAuth, "the /sren handshake presented the certificate being renewed, serial "+renewed.serial())
}

func checkSrenKey(bs []events.Event) verdict.Check {
	sren, renewed, ok := firstSren(bs)
	if !ok {
		return skipCheck("est-sren-key", "no good /sren")
	}
	spki, _ := base64.StdEncoding.DecodeString(sren.ev.Fields["csr_spki"])
	msg := "re-enrolled with a new key (rekey)"
	if bytes.Equal(spki, renewed.cert.RawSubjectPublicKeyInfo) {
		msg = "re-enrolled with the same key (renew)"
	}
	return check("est-sren-key", verdict.Info, catalog.BasisUnspecified, srcSrenKey, msg)
}

func checkNoNewEnroll(evs []events.Event) verdict.Check {
	const name = "est-no-new-enroll"
	_, after, ok := scenarioSplit(evs)
	if !ok {
		return skipCheck(name, "the restart did not happen")
	}
	for _, e := range after {
		if e.Fields[harnessPeer] == peerBootstrap && e.Fields["what"] == "est" && (e.Fields["op"] == "sen" || e.Fields["op"] == "crts") {
			return check(name, verdict.Fail, catalog.BasisSeed, srcNoNewSen, "after the restart the SUT asked "+e.Fields["method"]+" "+e.Fields["path"]+" again")
		}
		if e.Kind == events.BootstrapReq && (e.Fields[harnessPeer] == peerBootstrap || e.Fields[harnessPeer] == peerProvisioning) {
			return check(name, verdict.Fail, catalog.BasisSeed, srcNoNewSen, "after the restart the SUT bootstrapped again")
		}
	}
	return check(name, verdict.Pass, catalog.BasisSeed, srcNoNewSen, "no /crts, /sen or bootstrap after the restart")
}
