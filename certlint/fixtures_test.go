package certlint

import (
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/lwm2m-conform/lwm2m-conform/certgen"
)

// The devicecerts world is materialised once per test binary.
var world struct {
	sync.Once
	set *certgen.Set
	now time.Time
	err error
}

func devicecerts(t testing.TB) (*certgen.Set, time.Time) {
	t.Helper()
	world.Do(func() {
		const file = "../fixtures/worlds/devicecerts.yaml"
		data, err := os.ReadFile(file)
		if err != nil {
			world.err = err
			return
		}
		w, err := certgen.Parse(file, data)
		if err != nil {
			world.err = err
			return
		}
		world.now = time.Now().UTC().Truncate(time.Second)
		world.set, world.err = certgen.Materialise([]*certgen.World{w}, world.now)
	})
	if world.err != nil {
		t.Fatal(world.err)
	}
	return world.set, world.now
}

func cert(t testing.TB, name string) *certgen.Cert {
	t.Helper()
	set, _ := devicecerts(t)
	c, err := set.Cert("devicecerts/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// chainDER is a certificate, its intermediates and its root, as DER.
func chainDER(t testing.TB, name string) [][]byte {
	c := cert(t, name)
	var out [][]byte
	for _, cc := range c.Chain {
		out = append(out, cc.DER)
	}
	if c.Chain[len(c.Chain)-1] != c.Root {
		out = append(out, c.Root.DER)
	}
	return out
}

// tbs is a TBSCertificate with everything a test edits laid open.
type tbs struct {
	Raw        asn1.RawContent
	Version    int `asn1:"optional,explicit,default:0,tag:0"`
	Serial     *big.Int
	SigAlg     pkix.AlgorithmIdentifier
	Issuer     asn1.RawValue
	Validity   asn1.RawValue
	Subject    asn1.RawValue
	SPKI       asn1.RawValue
	Extensions []pkix.Extension `asn1:"omitempty,optional,explicit,tag:3"`
}

type certificate struct {
	TBS    asn1.RawValue
	SigAlg pkix.AlgorithmIdentifier
	Sig    asn1.BitString
}

// resign edits the TBSCertificate of der and signs it again with key
// (ECDSA-SHA256: every issuer the edits use is a P-256 one).
func resign(t testing.TB, der []byte, key crypto.Signer, edit func(*tbs)) []byte {
	t.Helper()
	var c certificate
	if _, err := asn1.Unmarshal(der, &c); err != nil {
		t.Fatal(err)
	}
	var tb tbs
	if _, err := asn1.Unmarshal(c.TBS.FullBytes, &tb); err != nil {
		t.Fatal(err)
	}
	edit(&tb)
	tb.Raw = nil
	raw, err := asn1.Marshal(tb)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(raw)
	sig, err := key.Sign(rand.Reader, sum[:], crypto.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	out, err := asn1.Marshal(certificate{TBS: asn1.RawValue{FullBytes: raw}, SigAlg: c.SigAlg, Sig: asn1.BitString{Bytes: sig, BitLength: len(sig) * 8}})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

var (
	oidSKI = asn1.ObjectIdentifier{2, 5, 29, 14}
	oidKU  = asn1.ObjectIdentifier{2, 5, 29, 15}
	oidBC  = asn1.ObjectIdentifier{2, 5, 29, 19}
	oidAKI = asn1.ObjectIdentifier{2, 5, 29, 35}
)

func dropExt(oid asn1.ObjectIdentifier) func(*tbs) {
	return func(tb *tbs) {
		var keep []pkix.Extension
		for _, e := range tb.Extensions {
			if !e.Id.Equal(oid) {
				keep = append(keep, e)
			}
		}
		tb.Extensions = keep
	}
}

func setExt(oid asn1.ObjectIdentifier, critical bool, value []byte) func(*tbs) {
	return func(tb *tbs) {
		for i, e := range tb.Extensions {
			if e.Id.Equal(oid) {
				tb.Extensions[i] = pkix.Extension{Id: oid, Critical: critical, Value: value}
				return
			}
		}
		tb.Extensions = append(tb.Extensions, pkix.Extension{Id: oid, Critical: critical, Value: value})
	}
}

// Encoded extension values the edits use.
var (
	kuNoBits        = []byte{0x03, 0x01, 0x00}                               // BIT STRING, no bits
	kuSigKeyEnc     = []byte{0x03, 0x02, 0x05, 0xa0}                         // digitalSignature, keyEncipherment
	kuSigAgreeSign  = []byte{0x03, 0x02, 0x02, 0x8c}                         // digitalSignature, keyAgreement, keyCertSign
	kuSigOnly       = []byte{0x03, 0x02, 0x07, 0x80}                         // digitalSignature
	bcLeafPathLen   = []byte{0x30, 0x03, 0x02, 0x01, 0x00}                   // cA FALSE, pathLen 0
	bcNotCA         = []byte{0x30, 0x00}                                     // cA FALSE
	bcCAPathLenZero = []byte{0x30, 0x06, 0x01, 0x01, 0xff, 0x02, 0x01, 0x00} // cA TRUE, pathLen 0
	bcCA            = []byte{0x30, 0x03, 0x01, 0x01, 0xff}                   // cA TRUE
)

// edited is the chain of name with one certificate (at index i) edited
// and re-signed by its issuer in the chain (itself for the root).
func edited(t testing.TB, name string, i int, edit func(*tbs)) [][]byte {
	t.Helper()
	c := cert(t, name)
	certs := c.Chain
	if certs[len(certs)-1] != c.Root {
		certs = append(certs, c.Root)
	}
	ders := chainDER(t, name)
	signer := certs[min(i+1, len(certs)-1)].Key
	if i == len(certs)-1 {
		signer = certs[i].Key
	}
	ders[i] = resign(t, ders[i], signer, edit)
	return ders
}
