package catalog

import (
	"reflect"
	"testing"
)

// selectionCatalogue is four cases whose labels exercise every operator.
func selectionCatalogue() *Catalogue {
	return &Catalogue{Cases: []Case{
		{ID: "certusage/a", Area: "certusage", Labels: []string{"x509"}},
		{ID: "sni/b", Area: "sni", Labels: []string{"x509", "hostname"}},
		{ID: "retransmission/c", Area: "retransmission", Labels: []string{"transport"}},
		{ID: "cid/d", Area: "cid", Labels: []string{"transport"}},
	}}
}

func ids(cases []Case) []string {
	var out []string
	for _, c := range cases {
		out = append(out, c.ID)
	}
	return out
}

func TestFilterExpressions(t *testing.T) {
	cat := selectionCatalogue()
	for _, tc := range []struct {
		expr string
		want []string
	}{
		{"", []string{"certusage/a", "sni/b", "retransmission/c", "cid/d"}},
		{"certusage || sni", []string{"certusage/a", "sni/b"}},
		{"transport && !retransmission", []string{"cid/d"}},
		{"x509 && !hostname", []string{"certusage/a"}},
		{"SNI", []string{"sni/b"}}, // Ginkgo labels match regardless of case
		{"/^re/", []string{"retransmission/c"}},
		{"psk", nil},
	} {
		f, err := ParseFilter(tc.expr)
		if err != nil {
			t.Fatalf("%q: %v", tc.expr, err)
		}
		if got := ids(cat.Filter(f)); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q selects %v, want %v", tc.expr, got, tc.want)
		}
	}
}

// The --label shorthand means any of the labels, not all of them.
func TestSelectIsAnyOfTheLabels(t *testing.T) {
	got := ids(selectionCatalogue().Select("sni", "cid"))
	if want := []string{"sni/b", "cid/d"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Select(sni, cid) = %v, want %v", got, want)
	}
	if got := selectionCatalogue().Select("a || b"); got != nil {
		t.Errorf("Select of an expression = %v, want nothing", ids(got))
	}
	expr, err := AnyLabel([]string{"sni", "cid"})
	if err != nil || expr != "sni || cid" {
		t.Errorf("AnyLabel = %q, %v", expr, err)
	}
	if _, err := AnyLabel([]string{"sni && cid"}); err == nil || err.Error() != `"sni && cid" is not a plain label (use --label-filter for expressions)` {
		t.Errorf("AnyLabel of an expression: %v", err)
	}
	if got := And("sni || cid", "!x509"); got != "(sni || cid) && (!x509)" {
		t.Errorf("And = %q", got)
	}
	if got := And("", "x509"); got != "x509" {
		t.Errorf("And with an empty side = %q", got)
	}
}

func TestFilterSyntaxErrorIsOneLineWithPosition(t *testing.T) {
	for expr, want := range map[string]string{
		"sni || || cid": `Operator '||' missing left hand operand. (at character 8)`,
		"(sni":          `Mismatched '(' - could not find matching ')'. (at character 1)`,
		"sni &&":        `Unexpected EOF.`,
	} {
		if _, err := ParseFilter(expr); err == nil || err.Error() != want {
			t.Errorf("%q:\ngot  %v\nwant %s", expr, err, want)
		}
	}
}

func TestCountLabels(t *testing.T) {
	got := CountLabels(selectionCatalogue().Cases)
	want := []LabelCount{{"certusage", 1}, {"cid", 1}, {"hostname", 1}, {"retransmission", 1}, {"sni", 1}, {"transport", 2}, {"x509", 2}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %v\nwant %v", got, want)
	}
}
