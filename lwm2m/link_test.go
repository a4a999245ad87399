package lwm2m

import (
	"reflect"
	"testing"
)

func TestLinksRoundTrip(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want []Link
	}{
		{"register objects", `</1/0>,</3/0>`, []Link{{Target: "/1/0"}, {Target: "/3/0"}}},
		{"register 1.1 with root", `</>;rt="oma.lwm2m";ct=11543,</1>;ver=1.1,</1/0>,</3/0>`, []Link{
			{Target: "/", Params: []LinkParam{QuotedParam("rt", "oma.lwm2m"), TokenParam("ct", "11543")}},
			{Target: "/1", Params: []LinkParam{TokenParam("ver", "1.1")}},
			{Target: "/1/0"},
			{Target: "/3/0"},
		}},
		{"discover with attributes", `</3/0>;pmin=10;pmax=60,</3/0/1>,</3/0/7>;dim=2;gt=50.5;lt=42.2;st=0.5,</3/0/11>;dim=1;obs`, []Link{
			{Target: "/3/0", Params: []LinkParam{TokenParam("pmin", "10"), TokenParam("pmax", "60")}},
			{Target: "/3/0/1"},
			{Target: "/3/0/7", Params: []LinkParam{TokenParam("dim", "2"), TokenParam("gt", "50.5"), TokenParam("lt", "42.2"), TokenParam("st", "0.5")}},
			{Target: "/3/0/11", Params: []LinkParam{TokenParam("dim", "1"), FlagParam("obs")}},
		}},
		{"bootstrap discover", `lwm2m="1.1",</0>,</0/1>;ssid=101;uri="coaps://server_1.example.com:5684",</1>,</1/0>;ssid=101,</3/0>`, []Link{
			{Params: []LinkParam{QuotedParam("lwm2m", "1.1")}},
			{Target: "/0"},
			{Target: "/0/1", Params: []LinkParam{TokenParam("ssid", "101"), QuotedParam("uri", "coaps://server_1.example.com:5684")}},
			{Target: "/1"},
			{Target: "/1/0", Params: []LinkParam{TokenParam("ssid", "101")}},
			{Target: "/3/0"},
		}},
		{"quoted commas, semicolons and escapes", `</a>;title="x, y; z";t2="say \"hi\" \\ bye";e=""`, []Link{
			{Target: "/a", Params: []LinkParam{QuotedParam("title", "x, y; z"), QuotedParam("t2", `say "hi" \ bye`), QuotedParam("e", "")}},
		}},
		{"ct list", `</>;ct="60 110 112 11542"`, []Link{
			{Target: "/", Params: []LinkParam{QuotedParam("ct", "60 110 112 11542")}},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ParseLinks(c.in)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Fatalf("parse:\n got %#v\nwant %#v", got, c.want)
			}
			if out := FormatLinks(got); out != c.in {
				t.Fatalf("format:\n got %s\nwant %s", out, c.in)
			}
			if err := ValidateLinks(got); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestParseLinksTolerance(t *testing.T) {
	got, err := ParseLinks(" </1/0> ,\n</3/0> ; ver=1.0 ")
	if err != nil {
		t.Fatal(err)
	}
	want := []Link{{Target: "/1/0"}, {Target: "/3/0", Params: []LinkParam{TokenParam("ver", "1.0")}}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %#v", got)
	}
	if got, err := ParseLinks(""); err != nil || got != nil {
		t.Fatalf("empty payload: %v %v", got, err)
	}
}

func TestParseLinksErrors(t *testing.T) {
	cases := []struct{ in, msg string }{
		{`</1/0`, "target opened at offset 0 is not closed"},
		{`<>`, "empty target at offset 0"},
		{`</1 0>`, "holds the byte ' '"},
		{`</1/0>,`, "empty link after ',' at offset 7"},
		{`</1/0>;`, "expected a parameter name at offset 7, found the end"},
		{`</1/0>;=3`, "expected a parameter name at offset 7, found '='"},
		{`</1/0>;a*b=1`, `invalid parameter name "a*b"`},
		{`</1/0>;pmin=`, `parameter "pmin": empty value at offset 12`},
		{`</1/0>;uri="coap://x`, "quoted string opened at offset 11 is not closed"},
		{`</1/0>;uri="x\`, "ends in an escape"},
		{`</1/0></3/0>`, "expected ',' at offset 6"},
		{`</1/0>;a=b"c"`, "expected ',' at offset 10"},
		{"</\xff>", "not valid UTF-8"},
		{`,</1/0>`, "expected a parameter name at offset 0"},
	}
	for _, c := range cases {
		_, err := ParseLinks(c.in)
		assertErrContains(t, err, c.msg)
	}
}

func TestFormatLinksQuotesAndEscapes(t *testing.T) {
	links := []Link{
		{Target: "/a b>", Params: []LinkParam{TokenParam("rt", "has space"), TokenParam("x", "a,b"), TokenParam("ok", "1.5")}},
	}
	const want = `</a%20b%3E>;rt="has space";x="a,b";ok=1.5`
	if got := FormatLinks(links); got != want {
		t.Fatalf("got %s", got)
	}
	back, err := ParseLinks(want)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := back[0].Param("x"); v != "a,b" {
		t.Fatalf("x = %q", v)
	}
}

func TestLinkHelpers(t *testing.T) {
	links, err := ParseLinks(`</0/1>;ssid=101;uri="coaps://h:5684"`)
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := links[0].Param("uri"); !ok || v != "coaps://h:5684" {
		t.Errorf("Param(uri) = %q %v", v, ok)
	}
	if _, ok := links[0].Param("pmin"); ok {
		t.Error("absent parameter reported present")
	}
	if p, err := links[0].Path(); err != nil || p != NewPath(0, 1) {
		t.Errorf("Path() = %v %v", p, err)
	}
	if err := ValidateLinks([]Link{{}}); err == nil {
		t.Error("a link with neither target nor parameters must not validate")
	}
	assertErrContains(t, ValidateLinks([]Link{{Target: "/1", Params: []LinkParam{{Name: "a;b"}}}}), `invalid parameter name "a;b"`)
}
