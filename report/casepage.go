package report

import (
	"html/template"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/lwm2m-conform/lwm2m-conform/catalog"
	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// Output shown on a case page: the tail, where the SUT says why it failed;
// the whole output belongs in the evidence directory.
const (
	pageOutputLines = 2000
	pageOutputBytes = 128 << 10
)

// keyValue is one line of a definition list.
type keyValue struct {
	Key, Value string
}

type casePage struct {
	CSS       template.CSS
	IndexHref string
	RunSUT    string
	Row       caseRow
	Checks    []checkView
	Case      catalog.Case
	Dims      []keyValue
	Labels    string
	Setup     []keyValue
	Detail    string
	Silent    bool
	Alerts    []alertRow
	Timeline  []timelineRow
	EST       []estRow // the EST-coaps exchanges, for est cases
	Hellos    []helloView
	Command   string
	Output    string
	Evidence  evidenceListing
	Reproduce string // the command that reruns the case with its evidence
	Capture   string // the command that shows the capture's CoAP, decrypted
}

func buildCasePage(r Run, res *verdict.Result, reportDir, pageDir string) casePage {
	p := casePage{
		CSS:       stylesheet,
		IndexHref: "../index.html#area-" + slug(areaName(*res)),
		RunSUT:    cleanText(r.SUT),
		Row:       newCaseRow(res, ""),
		Checks:    checkViews(res),
		Case:      res.Case,
		Labels:    strings.Join(res.Case.Labels, ", "),
		Setup:     setupFacts(res.Case),
		Detail:    cleanText(res.Observation.Detail),
		Silent:    res.Observation.Silent,
		Alerts:    alerts(res.Events),
		Timeline:  timeline(res.Events),
		EST:       estTimeline(res.Events),
		Hellos:    helloViews(res.Events, res.Case.SUT.CipherSuites),
		Command:   cleanText(res.SUTCommand),
		Evidence:  listEvidence(res.EvidenceDir, reportDir, pageDir),
		Reproduce: reproduceCommand(r, res.Case.ID),
		Capture:   captureCommand(res.EvidenceDir),
	}
	for _, k := range slices.Sorted(maps.Keys(res.Case.Dimensions)) {
		p.Dims = append(p.Dims, keyValue{k, res.Case.Dimensions[k]})
	}
	if res.SUTOutput != "" {
		p.Output = tailWithMarker(res.SUTOutput, pageOutputLines, pageOutputBytes)
	}
	return p
}

// setupFacts lists how the harness server presented itself and what the
// SUT was provisioned with: what a support engineer needs to rebuild the case.
func setupFacts(c catalog.Case) []keyValue {
	var kv []keyValue
	add := func(k, v string) {
		if v != "" {
			kv = append(kv, keyValue{k, v})
		}
	}
	add("server chain (leaf first)", strings.Join(c.Peer.Chain, " → "))
	add("server key", c.Peer.Key)
	add("security mode", c.SUT.Mode)
	if c.SUT.Mode == "cert" {
		usage := "unset"
		if c.SUT.Usage != catalog.UsageUnset {
			usage = strconv.Itoa(c.SUT.Usage)
		}
		add("certificate usage (/0/x/15)", usage)
		add("server public key (/0/x/4)", orNone(c.SUT.ServerPublicKey, "empty"))
		trust := "absent"
		if c.SUT.TrustStore != nil {
			trust = orNone(strings.Join(c.SUT.TrustStore, ", "), "present, empty")
		}
		add("trust store", trust)
		add("client certificate", c.SUT.ClientCert)
	}
	add("server host", c.SUT.Host)
	add("SNI (/0/x/14)", orNone(c.SUT.SNI, "unset"))
	if c.SUT.CipherSuites != nil {
		names := make([]string, len(c.SUT.CipherSuites))
		for i, s := range c.SUT.CipherSuites {
			names[i] = CipherSuiteName(s)
		}
		add("cipher suites (/0/x/16)", strings.Join(names, ", "))
	}
	switch {
	case c.Wire.NoSNI:
		add("wire expectation", "ClientHello carries no server_name")
	case c.Wire.SNI != "":
		add("wire expectation", "ClientHello server_name = "+c.Wire.SNI)
	}
	if c.Unvalidated {
		add("note", "an acceptance here happens without server validation (WARN)")
	}
	add("catalogue origin", c.Origin)
	return kv
}

func orNone(v, none string) string {
	if v == "" {
		return none
	}
	return v
}
