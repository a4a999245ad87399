package verify_test

import (
	"os"
	"testing"

	"github.com/lwm2m-conform/lwm2m-conform/catalog"
	"github.com/lwm2m-conform/lwm2m-conform/certgen"
	"github.com/lwm2m-conform/lwm2m-conform/client/verify"
	"github.com/lwm2m-conform/lwm2m-conform/internal/fixtures"
)

// The verifier (written from the semantics table) and the catalogue's
// decision tables (written from the seeds) are independent; they must agree
// on every cell. When they do not, one of them is wrong: the seed decides.
func TestVerifierAgreesWithEveryCatalogueCell(t *testing.T) {
	wd, _ := os.Getwd()
	root, ok := fixtures.Find(wd)
	if !ok {
		t.Fatal("fixtures not found")
	}
	fx, err := fixtures.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	pki, err := fx.PKI()
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, area := range []string{"certusage", "sni", "validity"} {
		for _, c := range fx.Catalogue.Select(area) {
			in, err := inputFor(pki, c)
			if err != nil {
				t.Fatalf("%s: %v", c.ID, err)
			}
			in.Now = pki.Now()
			d := verify.Verify(in)
			want := c.Expect == catalog.Accept
			if d.Accept != want {
				t.Errorf("%s: verifier %s (%s), table says %s [%s, %s]", c.ID, verdictWord(d.Accept), d.Reason, c.Expect, c.Basis, c.Origin)
			}
			if d.Accept && d.Validated == c.Unvalidated {
				t.Errorf("%s: verifier validated=%v, table unvalidated=%v", c.ID, d.Validated, c.Unvalidated)
			}
			checked++
		}
	}
	t.Logf("%d catalogue cells agree with the verifier", checked)
}

// inputFor provisions the verifier exactly as a client would be for the case.
func inputFor(pki *certgen.Set, c catalog.Case) (verify.Input, error) {
	in := verify.Input{Usage: verify.Usage(c.SUT.Usage), ServerName: c.SUT.Host}
	if c.SUT.SNI != "" {
		in.ServerName = c.SUT.SNI
	}
	if c.SUT.ServerPublicKey != "" {
		cert, err := pki.Cert(c.SUT.ServerPublicKey)
		if err != nil {
			return in, err
		}
		in.ServerPublicKey = cert.DER
	}
	for _, ref := range c.SUT.TrustStore {
		cert, err := pki.Cert(ref)
		if err != nil {
			return in, err
		}
		in.TrustStore = append(in.TrustStore, cert.X509)
	}
	for _, ref := range c.Peer.Chain {
		cert, err := pki.Cert(ref)
		if err != nil {
			return in, err
		}
		in.Chain = append(in.Chain, cert.DER)
	}
	return in, nil
}

func verdictWord(accept bool) string {
	if accept {
		return "accepts"
	}
	return "rejects"
}
