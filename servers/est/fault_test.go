package est

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"testing"
	"time"

	"github.com/plgd-dev/go-coap/v3/message"
	"github.com/plgd-dev/go-coap/v3/message/codes"
	"github.com/plgd-dev/go-coap/v3/message/pool"
	"github.com/smallstep/pkcs7"
)

// Each fault spoils the first sen answer only; the second is good, so a
// client that refused the first can still enrol.
func TestSenFaults(t *testing.T) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	for _, tc := range []struct {
		kind  string
		check func(t *testing.T, r *rig, resp *pool.Message)
	}{
		{FaultWrongKey, func(t *testing.T, r *rig, resp *pool.Message) {
			c := onlyCert(t, resp)
			if c.PublicKey.(*ecdsa.PublicKey).Equal(key.Public()) || c.CheckSignatureFrom(r.ca.Cert) != nil {
				t.Error("wrong-key: want a certificate from the case CA for another key")
			}
		}},
		{FaultUnknownCA, func(t *testing.T, r *rig, resp *pool.Message) {
			c := onlyCert(t, resp)
			if c.CheckSignatureFrom(r.ca.Cert) == nil || c.Issuer.CommonName != "lwm2m-conform unknown EST CA" {
				t.Errorf("unknown-ca: issued by %q", c.Issuer.CommonName)
			}
		}},
		{FaultExpired, func(t *testing.T, r *rig, resp *pool.Message) {
			if c := onlyCert(t, resp); !c.NotAfter.Before(time.Now()) {
				t.Errorf("expired: notAfter %s", c.NotAfter)
			}
		}},
		{FaultTruncated, func(t *testing.T, r *rig, resp *pool.Message) {
			if _, err := pkcs7.Parse(body(t, resp)); err == nil || format(resp) != FormatPKCS7Certs {
				t.Error("truncated-pkcs7: the body parses")
			}
		}},
		{FaultEmpty, func(t *testing.T, r *rig, resp *pool.Message) {
			p7, err := pkcs7.Parse(body(t, resp))
			if err != nil || len(p7.Certificates) != 0 || format(resp) != FormatPKCS7Certs {
				t.Errorf("empty-pkcs7: %v, %v", err, p7)
			}
		}},
		{FaultWrongCF, func(t *testing.T, r *rig, resp *pool.Message) {
			if format(resp) != FormatOctets {
				t.Errorf("wrong-cf: CF %d", format(resp))
			}
		}},
		{FaultBadRequest, func(t *testing.T, r *rig, resp *pool.Message) { wantCode(t, resp, codes.BadRequest) }},
		{FaultInternal, func(t *testing.T, r *rig, resp *pool.Message) { wantCode(t, resp, codes.InternalServerError) }},
		{FaultRetryLater, func(t *testing.T, r *rig, resp *pool.Message) {
			wantCode(t, resp, codes.ServiceUnavailable)
			if ma, err := resp.GetOptionUint32(message.MaxAge); err != nil || ma != 3 {
				t.Errorf("retry-later: Max-Age %d %v, want 3", ma, err)
			}
		}},
	} {
		t.Run(tc.kind, func(t *testing.T) {
			r := startRig(t, Config{Fault: Fault{Kind: tc.kind, Op: "sen", MaxAge: 3 * time.Second}})
			cc := r.dial(t, false)
			csr := newCSR(t, key, rigEndpoint)
			resp, err := cc.Post(testCtx(t), "/.well-known/est/sen", FormatPKCS10, bytes.NewReader(csr))
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, r, resp)
			if ev := r.exchanges(); ev[0].Fields["fault"] != tc.kind {
				t.Errorf("the event does not name the fault: %v", ev[0].Fields)
			}
			resp, err = cc.Post(testCtx(t), "/.well-known/est/sen", FormatPKCS10, bytes.NewReader(csr))
			if err != nil {
				t.Fatal(err)
			}
			c := onlyCert(t, resp)
			if !c.PublicKey.(*ecdsa.PublicKey).Equal(key.Public()) || c.CheckSignatureFrom(r.ca.Cert) != nil || resp.Code() != codes.Changed {
				t.Errorf("second answer is not a good certificate")
			}
			if iss := r.est.Issued(); len(iss) != 2 || iss[0].Fault != tc.kind || iss[1].Fault != "" {
				t.Errorf("Issued: %+v", iss)
			}
		})
	}
}

// A crts fault spoils the first /crts answer the same way.
func TestCrtsFault(t *testing.T) {
	r := startRig(t, Config{Fault: Fault{Kind: FaultTruncated, Op: "crts"}})
	cc := r.dial(t, false)
	resp, err := cc.Get(testCtx(t), "/est/crts")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pkcs7.Parse(body(t, resp)); err == nil {
		t.Fatal("first crts parses")
	}
	resp, err = cc.Get(testCtx(t), "/est/crts")
	if err != nil {
		t.Fatal(err)
	}
	if p7, err := pkcs7.Parse(body(t, resp)); err != nil || !p7.Certificates[0].Equal(r.ca.Cert) {
		t.Fatalf("second crts: %v", err)
	}
}

func TestFaultValidation(t *testing.T) {
	for f, want := range map[Fault]string{
		{Kind: "nonsense", Op: "sen"}:                      `unknown EST fault "nonsense"`,
		{Kind: FaultExpired, Op: "crts"}:                   "applies to an issued certificate: sen or sren, not crts",
		{Kind: FaultEmpty, Op: "att"}:                      `operation "att" is not crts, sen or sren`,
		{Kind: FaultRetryLater, Op: "sen", MaxAge: 1500e6}: "want whole seconds",
	} {
		if err := f.Validate(); err == nil || !bytes.Contains([]byte(err.Error()), []byte(want)) {
			t.Errorf("%+v: %v, want %q", f, err, want)
		}
	}
	if _, err := New(Config{CA: &CA{}, BlockSize: 100}); err == nil {
		t.Error("block size 100 accepted")
	}
	if _, err := New(Config{CA: &CA{}, Validity: 1500 * time.Millisecond}); err == nil {
		t.Error("validity 1.5s accepted")
	}
}

func onlyCert(t *testing.T, resp *pool.Message) *x509.Certificate {
	t.Helper()
	p7, err := pkcs7.Parse(body(t, resp))
	if err != nil || len(p7.Certificates) != 1 {
		t.Fatalf("want one certificate in the %v answer: %v", resp.Code(), err)
	}
	return p7.Certificates[0]
}

func wantCode(t *testing.T, resp *pool.Message, c codes.Code) {
	t.Helper()
	if resp.Code() != c {
		t.Errorf("code %v, want %v", resp.Code(), c)
	}
}
