package lwm2m

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/plgd-dev/go-coap/v3/message"
)

// Every decoder fuzz target checks two things: no input panics, and a
// successful decode re-encodes to bytes that decode to the same records
// (and re-encode to the same bytes).

// fuzzKind picks the type hints: 0 the registry, 1 none, otherwise a kind
// per path derived from sel, so every value decoder gets exercised.
func fuzzKind(sel uint8) KindFunc {
	switch sel {
	case 0:
		return KindOf
	case 1:
		return nil
	}
	return func(p Path) (Kind, bool) {
		return Kind((int(sel) + int(p.Res()) + int(p.ResInst())) % (int(KindCoreLink) + 1)), true
	}
}

// checkRoundTrip asserts encode(decode(data)) decodes to recs again; TLV
// writes in path order, so its records are compared sorted.
func checkRoundTrip(t *testing.T, format message.MediaType, base Path, recs []Record, kind KindFunc) {
	t.Helper()
	enc, err := Encode(format, base, recs)
	if err != nil {
		t.Fatalf("decoded records do not encode: %v\nrecords: %v", err, recs)
	}
	back, err := Decode(format, base, enc, kind)
	if err != nil {
		t.Fatalf("re-encoded payload does not decode: %v\npayload: %x", err, enc)
	}
	want := recs
	if format == message.AppLwm2mTLV {
		want = sortedRecords(recs)
	}
	if !RecordsEqual(back, want) {
		t.Fatalf("round trip changed records\nfirst: %v\nagain: %v", want, back)
	}
	again, err := Encode(format, base, back)
	if err != nil || !bytes.Equal(again, enc) {
		t.Fatalf("encoding is not stable: %x then %x (%v)", enc, again, err)
	}
}

func fuzzDecoder(format message.MediaType) func(*testing.T, string, uint8, []byte) {
	return func(t *testing.T, baseStr string, sel uint8, data []byte) {
		base, err := ParsePath(baseStr)
		if err != nil {
			return
		}
		kind := fuzzKind(sel)
		recs, err := Decode(format, base, data, kind)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		for _, r := range recs {
			if !base.IsPrefixOf(r.Path) {
				t.Fatalf("record %v outside base %v", r.Path, base)
			}
		}
		checkRoundTrip(t, format, base, recs, kind)
	}
}

func FuzzDecodeTLV(f *testing.F) {
	dev := unhex(f, deviceInstanceTLV)
	f.Add("/3/0", uint8(0), dev)
	f.Add("/3", uint8(0), append(unhex(f, "08 00 79"), dev...))
	f.Add("/3/0", uint8(1), dev)
	f.Add("/3/0", uint8(7), dev)
	f.Add("/3/0/11", uint8(0), unhex(f, "86 0b 41 00 01 41 01 05"))
	f.Add("/3/0/11", uint8(0), unhex(f, "41 00 01 41 01 05"))
	f.Add("/0/0/16/1", uint8(0), unhex(f, "42 01 c0 2b"))
	f.Add("/1", uint8(0), unhex(f, "00 03 08 00 06 c1 00 65 c1 06 01"))
	f.Add("/3/0", uint8(3), unhex(f, "e1 01 2c ff d8 09 00 00 02 68 69"))
	for _, recs := range [][]Record{securityInstance(f, 0), serverInstance()} {
		base := recs[0].Path.Parent().Parent()
		if b, err := Encode(message.AppLwm2mTLV, base, recs); err == nil {
			f.Add(base.String(), uint8(0), b)
		}
	}
	f.Fuzz(fuzzDecoder(message.AppLwm2mTLV))
}

func FuzzDecodeSenMLJSON(f *testing.F) {
	f.Add("/3/0", uint8(0), []byte(`[{"bn":"/3/0/","n":"0","vs":"Open Mobile Alliance"},{"n":"9","v":100}]`))
	f.Add("/", uint8(1), []byte(`[{"n":"/3/0/9","v":1.5e3},{"n":"/1/0/6","vb":true},{"n":"/0/0/3","vd":"AAE"},{"n":"/1/0/10","vlo":"1:2"}]`))
	f.Add("/", uint8(0), []byte(`[{"n":"/3/0"},{"bn":"/0/0/16/","n":"0","v":49320,"bt":1.5,"t":2}]`))
	f.Add("/1/0", uint8(5), []byte(` [ {"bn":"/1/0/", "n":"1", "v": -18446744073709551615 } ] `))
	for _, recs := range [][]Record{securityInstance(f, 0), serverInstance(), deviceInstance()} {
		if b, err := Encode(message.AppSenmlJSON, Path{}, recs); err == nil {
			f.Add("/", uint8(0), b)
		}
	}
	f.Fuzz(fuzzDecoder(message.AppSenmlJSON))
}

func FuzzDecodeSenMLCBOR(f *testing.F) {
	f.Add("/3/0", uint8(0), unhex(f, "82 a3 00 61 30 03 74 4f 70 65 6e 20 4d 6f 62 69 6c 65 20 41 6c 6c 69 61 6e 63 65 21 65 2f 33 2f 30 2f a2 00 61 39 02 18 64"))
	f.Add("/", uint8(1), unhex(f, "81 a3 21 65 2f 30 2f 30 2f 00 61 34 08 42 fb ff"))
	f.Add("/", uint8(4), unhex(f, "9f bf 00 66 2f 33 2f 30 2f 39 02 f9 3e 00 ff ff"))
	for _, recs := range [][]Record{securityInstance(f, 0), serverInstance(), deviceInstance()} {
		if b, err := Encode(message.AppSenmlCbor, Path{}, recs); err == nil {
			f.Add("/", uint8(0), b)
		}
	}
	f.Fuzz(fuzzDecoder(message.AppSenmlCbor))
}

func FuzzDecodeText(f *testing.F) {
	f.Add("/3/0/0", uint8(0), []byte("Open Mobile Alliance"))
	f.Add("/3/0/13", uint8(0), []byte("1367491215"))
	f.Add("/1/0/6", uint8(0), []byte("1"))
	f.Add("/1/0/10", uint8(0), []byte("11:0"))
	f.Add("/0/0/3", uint8(0), []byte("AAEC/w=="))
	f.Add("/5/0/1", uint8(6), []byte("-1.25e-3"))
	f.Add("/0/0/15", uint8(0), []byte("18446744073709551615"))
	f.Fuzz(fuzzDecoder(message.TextPlain))
}

func FuzzDecodeOpaque(f *testing.F) {
	f.Add("/0/0/4", uint8(0), testCertDER(f))
	f.Add("/0/0/0", uint8(0), []byte("x"))
	f.Add("/5/0/1", uint8(1), []byte{})
	f.Fuzz(fuzzDecoder(message.AppOctets))
}

func FuzzDecodeCBOR(f *testing.F) {
	f.Add("/3/0/13", uint8(0), unhex(f, "c1 1a 51 82 42 8f"))
	f.Add("/3/0/0", uint8(0), unhex(f, "63 4f 4d 41"))
	f.Add("/5/0/0", uint8(1), unhex(f, "fb 40 09 21 f9 f0 1b 86 6e"))
	f.Add("/5/0/0", uint8(1), unhex(f, "c0 74 32 30 31 33 2d 30 35 2d 30 32 54 31 30 3a 34 30 3a 31 35 5a"))
	f.Fuzz(fuzzDecoder(message.AppCBOR))
}

func FuzzParseLinks(f *testing.F) {
	f.Add(`</1/0>,</3/0>`)
	f.Add(`</>;rt="oma.lwm2m";ct=11543,</1>;ver=1.1,</1/0>,</3/0>`)
	f.Add(`lwm2m="1.1",</0/1>;ssid=101;uri="coaps://server_1.example.com",</1/0>;ssid=101`)
	f.Add(`</3/0/7>;dim=2;pmin=10;pmax=60;gt=50;lt=42.2;st=0.5;obs`)
	f.Add(`</a>;title="x, y; z";t2="say \"hi\" \\ bye"`)
	f.Fuzz(func(t *testing.T, s string) {
		links, err := ParseLinks(s)
		if err != nil {
			return
		}
		if err := ValidateLinks(links); err != nil {
			t.Fatalf("parsed links do not validate: %v", err)
		}
		out := FormatLinks(links)
		back, err := ParseLinks(out)
		if err != nil {
			t.Fatalf("formatted links do not parse: %v\n%s", err, out)
		}
		if !reflect.DeepEqual(back, links) {
			t.Fatalf("round trip changed links\nfirst: %#v\nagain: %#v", links, back)
		}
		if again := FormatLinks(back); again != out {
			t.Fatalf("formatting is not stable: %s then %s", out, again)
		}
	})
}
