package sut

import (
	"context"
	"reflect"
	"slices"
	"testing"
)

// Field names are found in every branch, in env and workdir, through
// variables and in {{define}}d templates: a dry rendering would miss the
// PSK key behind `eq .Mode "psk"`.
func TestFieldRefsWalkEveryBranch(t *testing.T) {
	p := mustLoad(t, `command:
  - x
  - '{{if eq .Mode "psk"}}--key={{.PSKKeyHex}}{{else if .CID}}--cid{{end}}'
  - '{{with .Files}}{{.ClientCertDER}}{{end}}'
  - '{{$d := .}}{{with .CaseID}}{{$d.SNI}}{{end}}'
  - '{{define "ts"}}{{.TrustStoreDir}}{{end}}{{template "ts" .}}'
workdir: "{{.Dir}}"
env: {KEYLOG: "{{(.Files).ServerCertPEM}}"}
`)
	var got []string
	for f := range p.refs {
		got = append(got, f)
	}
	slices.Sort(got)
	want := []string{"CID", "CaseID", "ClientCertDER", "Dir", "Files", "Mode", "PSKKeyHex", "SNI", "ServerCertPEM", "TrustStoreDir"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("refs = %v\nwant %v", got, want)
	}
}

// A profile that never names the trust store must not run a case that
// has one as if the client were provisioned with it.
func TestExecSkipsValuesTheProfileNeverPasses(t *testing.T) {
	noTrustStore := `command:
  - "true"
  - "{{.ClientCertDER}} {{.ClientKeyDER}} {{.ServerCertDER}} {{.Usage}}"
`
	tg := certTarget(t) // cert mode, usage 3, a trust store
	_, err := NewExec(mustLoad(t, noTrustStore)).Start(context.Background(), tg)
	want := "the profile never passes the trust store ({{.TrustStorePEM}} or {{.TrustStoreDir}})"
	if why, ok := IsSkip(err); !ok || why != want {
		t.Fatalf("Start = %v\nwant the skip %q", err, want)
	}

	// Every missing value is named, in one reason.
	tg.SNI, tg.CipherSuites, tg.ConnectionID = "lwm2m.example.test", []uint16{0xC02B}, true
	_, err = NewExec(mustLoad(t, "command: [\"true\"]\n")).Start(context.Background(), tg)
	want = "the profile never passes the trust store ({{.TrustStorePEM}} or {{.TrustStoreDir}}), " +
		"the SNI ({{.SNI}}), the cipher suites ({{.CipherSuites}} or {{.CipherSuiteNames}}), " +
		"the certificate usage ({{.Usage}}), the Server Public Key ({{.ServerCertPEM}} or {{.ServerCertDER}}), " +
		"the Connection ID request ({{.CID}}), the client certificate ({{.ClientCertPEM}} or {{.ClientCertDER}}), " +
		"the client private key ({{.ClientKeyPEM}} or {{.ClientKeyDER}})"
	if why, _ := IsSkip(err); why != want {
		t.Errorf("skip reason\n got %q\nwant %q", why, want)
	}

	// Passing it, the case runs.
	inst, err := NewExec(mustLoad(t, noTrustStore+"  - \"{{with .TrustStorePEM}}--ts={{.}}{{end}}\"\n")).Start(context.Background(), certTarget(t))
	if err != nil {
		t.Fatalf("profile passing the trust store: %v", err)
	}
	<-inst.Done()
}

// PSK values matter in psk mode only; an unset optional value needs no
// template.
func TestExecSkipPSKValuesInPSKModeOnly(t *testing.T) {
	a := NewExec(mustLoad(t, "command: [\"true\", \"{{.PSKIdentity}}\"]\n"))
	psk := Target{Mode: "psk", Usage: -1, PSKIdentity: "dev-1", PSKKey: []byte{1, 2}, Dir: t.TempDir()}
	_, err := a.Start(context.Background(), psk)
	if why, _ := IsSkip(err); why != "the profile never passes the PSK key ({{.PSKKeyHex}})" {
		t.Errorf("psk: %v", err)
	}
	psk.Mode = "nosec"
	inst, err := a.Start(context.Background(), psk)
	if err != nil {
		t.Fatalf("nosec with leftover PSK values: %v", err)
	}
	<-inst.Done()
}

func TestBootstrapSkipsConnectionIDTheProfileNeverPasses(t *testing.T) {
	tg := Target{Endpoint: "ep", ServerURI: "coaps://127.0.0.1:5684", Mode: "psk", Usage: -1,
		PSKIdentity: "dev-1", PSKKey: []byte{1}, ConnectionID: true}
	// PSK values travel in Bootstrap-Writes; the CID setting cannot.
	if why := NewBootstrap(mustLoad(t, bootstrapProfile)).(*Bootstrap).SkipReason(tg); why != "the profile never passes the Connection ID request ({{.CID}})" {
		t.Errorf("SkipReason = %q", why)
	}
	withCID := NewBootstrap(mustLoad(t, bootstrapProfile+"  - \"{{if .CID}}--cid{{end}}\"\n"))
	if why := withCID.(*Bootstrap).SkipReason(tg); why != "" {
		t.Errorf("profile passing --cid: SkipReason = %q", why)
	}
}
