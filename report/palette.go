package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"strings"

	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

// verdictColor fills and verdictInk texts each verdict in the HTML report:
// PASS green, FAIL red, WARN amber, INFO blue, SKIP grey.
var (
	verdictColor = map[verdict.Verdict]string{
		verdict.Pass: "#2f9e44",
		verdict.Fail: "#e03131",
		verdict.Warn: "#f59f00",
		verdict.Info: "#1c7ed6",
		verdict.Skip: "#ced4da",
	}
	verdictInk = map[verdict.Verdict]string{
		verdict.Pass: "#ffffff",
		verdict.Fail: "#ffffff",
		verdict.Warn: "#212529",
		verdict.Info: "#ffffff",
		verdict.Skip: "#212529",
	}
)

//go:embed templates/style.css
var baseCSS string

// stylesheet is the CSS every page inlines: the verdict palette as custom
// properties, then the static rules.
var stylesheet = func() template.CSS {
	var b strings.Builder
	b.WriteString(":root{")
	for _, v := range verdictOrder {
		name := strings.ToLower(string(v))
		fmt.Fprintf(&b, "--%s:%s;--%s-ink:%s;", name, verdictColor[v], name, verdictInk[v])
	}
	b.WriteString("}\n")
	b.WriteString(baseCSS)
	return template.CSS(b.String())
}()
