package lwm2m

import (
	"encoding/base64"
	"encoding/json"
	"math"
	"testing"

	"github.com/plgd-dev/go-coap/v3/message"
)

var senmlJSON = message.AppSenmlJSON

func TestSenMLJSONSpecExample(t *testing.T) {
	const want = `[{"bn":"/3/0/","n":"0","vs":"Open Mobile Alliance"},{"n":"9","v":100}]`
	recs := []Record{
		{NewPath(3, 0, 0), String("Open Mobile Alliance")},
		{NewPath(3, 0, 9), Int(100)},
	}
	got, err := Encode(senmlJSON, NewPath(3, 0), recs)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	back, err := Decode(senmlJSON, NewPath(3, 0), []byte(want), KindOf)
	if err != nil {
		t.Fatal(err)
	}
	assertRecords(t, back, recs)
}

func TestSenMLJSONVectors(t *testing.T) {
	cases := []struct {
		name string
		base Path
		recs []Record
		json string
	}{
		{"single resource", NewPath(3, 0, 13), []Record{{NewPath(3, 0, 13), UnixTime(1367491215)}},
			`[{"bn":"/3/0/13","v":1367491215}]`},
		{"multiple resource", NewPath(0, 0, 16), []Record{{NewPath(0, 0, 16, 0), Uint(0xC0A8)}, {NewPath(0, 0, 16, 1), Uint(0xC02B)}},
			`[{"bn":"/0/0/16/","n":"0","v":49320},{"n":"1","v":49195}]`},
		{"root base uses full names", Path{}, []Record{{NewPath(3, 0, 9), Int(100)}, {NewPath(1, 0, 1), Int(300)}},
			`[{"n":"/3/0/9","v":100},{"n":"/1/0/1","v":300}]`},
		{"composite read request", Path{}, []Record{{NewPath(3, 0), Value{}}, {NewPath(1, 0, 1), Value{}}},
			`[{"n":"/3/0"},{"n":"/1/0/1"}]`},
		{"record at base among others", NewPath(3, 0, 11), []Record{{NewPath(3, 0, 11), Value{}}, {NewPath(3, 0, 11, 0), Int(0)}},
			`[{"bn":"/3/0/11"},{"bn":"/3/0/11/","n":"0","v":0}]`},
		{"types", NewPath(1, 0), []Record{
			{NewPath(1, 0, 6), Bool(true)},
			{NewPath(1, 0, 10), ObjLinkValue(ObjLink{11, 0})},
			{NewPath(1, 0, 11), Uint(math.MaxUint64)},
			{NewPath(1, 0, 7), String("U\"</1/0>\n")},
		}, `[{"bn":"/1/0/","n":"6","vb":true},{"n":"10","vlo":"11:0"},{"n":"11","v":18446744073709551615},{"n":"7","vs":"U\"</1/0>\n"}]`},
		{"opaque is base64url unpadded", NewPath(0, 0, 5), []Record{{NewPath(0, 0, 5), Opaque([]byte{0xfb, 0xff})}},
			`[{"bn":"/0/0/5","vd":"-_8"}]`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Encode(senmlJSON, c.base, c.recs)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != c.json {
				t.Fatalf("got  %s\nwant %s", got, c.json)
			}
			back, err := Decode(senmlJSON, c.base, got, KindOf)
			if err != nil {
				t.Fatal(err)
			}
			assertRecords(t, back, c.recs)
		})
	}
}

func TestSenMLJSONRoundTripRealisticInstances(t *testing.T) {
	cases := []struct {
		name string
		base Path
		recs []Record
	}{
		{"device instance", NewPath(3, 0), deviceInstance()},
		{"security instance with certificate", NewPath(0, 0), securityInstance(t, 0)},
		{"server instance", NewPath(1, 0), serverInstance()},
		{"several objects", Path{}, append(serverInstance(), deviceInstance()...)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, err := Encode(senmlJSON, c.base, c.recs)
			if err != nil {
				t.Fatal(err)
			}
			if !json.Valid(b) {
				t.Fatalf("not JSON: %s", b)
			}
			back, err := Decode(senmlJSON, c.base, b, KindOf)
			if err != nil {
				t.Fatal(err)
			}
			assertRecords(t, back, c.recs)
		})
	}
}

// Without type information the field decides, and floats keep a fraction
// so they stay floats.
func TestSenMLJSONInfersKinds(t *testing.T) {
	recs := []Record{
		{NewPath(5, 0, 0), Float(2)},
		{NewPath(5, 0, 1), Int(-3)},
		{NewPath(5, 0, 2), Uint(math.MaxUint64)},
		{NewPath(5, 0, 3), Opaque([]byte("x"))},
		{NewPath(5, 0, 4), ObjLinkValue(ObjLink{1, 2})},
		{NewPath(5, 0, 5), Float(1e21)},
	}
	b, err := Encode(senmlJSON, NewPath(5, 0), recs)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Decode(senmlJSON, NewPath(5, 0), b, nil)
	if err != nil {
		t.Fatal(err)
	}
	assertRecords(t, back, recs)
}

func TestSenMLJSONDecodeTolerance(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want []Record
	}{
		{"field order and whitespace", ` [ { "v" : 100 , "n":"9", "bn":"/3/0/" } ] `, []Record{{NewPath(3, 0, 9), Int(100)}}},
		{"integral float for an integer", `[{"n":"/3/0/9","v":1.0e2}]`, []Record{{NewPath(3, 0, 9), Int(100)}}},
		{"integer for a float", `[{"n":"/3/0/9","v":7}]`, nil},
		{"time and units ignored", `[{"bn":"/3/0/","bt":1700000000,"n":"9","t":-5,"u":"%EL","v":50}]`, []Record{{NewPath(3, 0, 9), Int(50)}}},
		{"padded standard base64", `[{"n":"/0/0/5","vd":"+/8="}]`, []Record{{NewPath(0, 0, 5), Opaque([]byte{0xfb, 0xff})}}},
		{"absolute name after base", `[{"bn":"/3/0","n":"/9","v":1}]`, []Record{{NewPath(3, 0, 9), Int(1)}}},
		{"empty pack", `[]`, []Record{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			kind := KindOf
			if c.name == "integer for a float" {
				kind = func(Path) (Kind, bool) { return KindFloat, true }
				c.want = []Record{{NewPath(3, 0, 9), Float(7)}}
			}
			got, err := Decode(senmlJSON, Path{}, []byte(c.in), kind)
			if err != nil {
				t.Fatal(err)
			}
			assertRecords(t, got, c.want)
		})
	}
}

func TestSenMLJSONDecodeErrors(t *testing.T) {
	cases := []struct {
		name string
		base Path
		in   string
		msg  string
	}{
		{"not an array", Path{}, `{"n":"/3/0/1"}`, "must be an array"},
		{"null", Path{}, `null`, "must be an array"},
		{"truncated", Path{}, `[{"n":"/3/0/1"`, "unexpected end of JSON input"},
		{"invalid UTF-8", Path{}, "[{\"n\":\"/3/0/0\",\"vs\":\"\xff\"}]", "not valid UTF-8"},
		{"record not an object", Path{}, `[1]`, "SenML JSON"},
		{"name not a path", Path{}, `[{"n":"temperature","v":1}]`, "not an LwM2M path"},
		{"no name", Path{}, `[{"v":1}]`, "empty path"},
		{"name too deep", Path{}, `[{"n":"/3/0/1/2/3","v":1}]`, "more than 4 parts"},
		{"outside base", NewPath(3, 0), `[{"n":"/1/0/1","v":1}]`, "/1/0/1 is not below /3/0"},
		{"value on an instance", Path{}, `[{"n":"/3/0","v":1}]`, "only a resource or resource instance carries a value"},
		{"two values", Path{}, `[{"n":"/3/0/9","v":1,"vs":"1"}]`, "at most one value"},
		{"string where number expected", Path{}, `[{"n":"/3/0/9","vs":"100"}]`, "resource is Integer but the record carries a string (vs)"},
		{"fraction for an integer", Path{}, `[{"n":"/3/0/9","v":1.5}]`, "does not fit Integer"},
		{"negative unsigned", Path{}, `[{"n":"/0/0/15","v":-1}]`, "does not fit Unsigned Integer"},
		{"v not a number", Path{}, `[{"n":"/3/0/9","v":"1"}]`, "not a number"},
		{"v null", Path{}, `[{"n":"/3/0/9","v":null}]`, "not a number"},
		{"vb not a boolean", Path{}, `[{"n":"/1/0/6","vb":1}]`, "not a boolean"},
		{"bad base64", Path{}, `[{"n":"/0/0/5","vd":"@@"}]`, "not base64"},
		{"bad objlnk", Path{}, `[{"n":"/1/0/10","vlo":"11"}]`, "lacks the ':' separator"},
		{"number out of range", Path{}, `[{"n":"/3/0/9","v":1e400}]`, "out of the float64 range"},
		{"must-understand field", Path{}, `[{"n":"/3/0/9","v":1,"x_":1}]`, "must-understand"},
		{"base value", Path{}, `[{"n":"/3/0/9","bv":1,"v":1}]`, "not used by LwM2M"},
		{"bn not a string", Path{}, `[{"bn":3,"n":"9"}]`, "not a string"},
		{"executable", Path{}, `[{"n":"/3/0/4","v":1}]`, "executable"},
		{"deep nesting", Path{}, `[{"n":"/3/0/0","x":` + deep(20000) + `}]`, "SenML JSON"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Decode(senmlJSON, c.base, []byte(c.in), KindOf)
			assertErrContains(t, err, c.msg)
		})
	}
}

func deep(n int) string {
	b := make([]byte, 0, 2*n)
	for range n {
		b = append(b, '[')
	}
	for range n {
		b = append(b, ']')
	}
	return string(b)
}

func TestSenMLJSONEncodeErrors(t *testing.T) {
	cases := []struct {
		name string
		base Path
		recs []Record
		msg  string
	}{
		{"NaN", NewPath(3, 0), []Record{{NewPath(3, 0, 9), Float(math.NaN())}}, "cannot carry the float NaN"},
		{"outside base", NewPath(3, 0), []Record{{NewPath(3, 1, 9), Int(1)}}, "not below /3/0"},
		{"value on instance", Path{}, []Record{{NewPath(3, 0), Int(1)}}, "only a resource"},
		{"invalid UTF-8", Path{}, []Record{{NewPath(3, 0, 0), String("\xff")}}, "not valid UTF-8"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Encode(senmlJSON, c.base, c.recs)
			assertErrContains(t, err, c.msg)
		})
	}
}

func TestSenMLJSONOpaqueIsBase64URL(t *testing.T) {
	cert := testCertDER(t)
	b, err := Encode(senmlJSON, NewPath(0, 0, 4), []Record{{NewPath(0, 0, 4), Opaque(cert)}})
	if err != nil {
		t.Fatal(err)
	}
	var pack []map[string]any
	if err := json.Unmarshal(b, &pack); err != nil {
		t.Fatal(err)
	}
	vd, _ := pack[0]["vd"].(string)
	if vd != base64.RawURLEncoding.EncodeToString(cert) {
		t.Fatalf("vd = %q", vd)
	}
}
