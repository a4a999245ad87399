package runner

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/lwm2m-conform/lwm2m-conform/events"
	"github.com/lwm2m-conform/lwm2m-conform/sut"
	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// presented is a handshake in which the SUT presented the given chain.
func presented(t *testing.T, refs ...string) []events.Event {
	t.Helper()
	var b64 []string
	for _, ref := range refs {
		c, err := testPKI(t).Cert(ref)
		if err != nil {
			t.Fatal(err)
		}
		b64 = append(b64, base64.StdEncoding.EncodeToString(c.DER))
	}
	return []events.Event{{Kind: events.HandshakeDone, Fields: map[string]string{"peer_chain": strings.Join(b64, ",")}}}
}

// Every chain the SUT presents is linted against the profile it declares:
// a compliant device certificate passes, a self-signed one or one with
// another CN fails the cert-profile check, naming the rule.
func TestCertificateProfileCheck(t *testing.T) {
	caps := sut.Capabilities{CertificateProfile: "lwm2m-device", CertificateAccount: "account-7"}
	for _, tc := range []struct {
		name  string
		chain []string
		want  verdict.Verdict
		rule  string
	}{
		{"compliant", []string{"devicecerts/device-good", "devicecerts/int"}, verdict.Pass, ""},
		{"self-signed", []string{"devicecerts/device-self-signed"}, verdict.Fail, "not-self-signed"},
		{"other CN", []string{"devicecerts/device-cn-other", "devicecerts/int"}, verdict.Fail, "cn"},
	} {
		k, ok := checkCertProfile(caps, "dev1", presented(t, tc.chain...))
		if !ok || k.Verdict != tc.want || !strings.Contains(k.Message, tc.rule) {
			t.Errorf("%s: %s %s", tc.name, k.Verdict, k.Message)
		}
	}
	if _, ok := checkCertProfile(sut.Capabilities{}, "dev1", presented(t, "devicecerts/device-good")); ok {
		t.Error("no profile declared: no check")
	}
	if k, _ := checkCertProfile(caps, "dev1", nil); k.Verdict != verdict.Skip {
		t.Errorf("no certificate presented: %s", k.Verdict)
	}
}
