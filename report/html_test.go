package report

import (
	"html"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/lwm2m-conform/lwm2m-conform/catalog"
	"github.com/lwm2m-conform/lwm2m-conform/verdict"
)

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func writeHTML(t *testing.T, r Run) (string, string) {
	t.Helper()
	dir := t.TempDir()
	if err := WriteHTML(dir, r); err != nil {
		t.Fatalf("WriteHTML: %v", err)
	}
	return dir, readFile(t, filepath.Join(dir, "index.html"))
}

// gridCellRE matches a filled matrix cell: its classes, link, title, text
// and the failed-wire-check marker.
var gridCellRE = regexp.MustCompile(`<td class="cell (v-[a-z]+)[^"]*"><a href="([^"]+)" title="([^"]*)">([^<]*)(<span class="mark">⚑</span>)?</a></td>`)

func TestHTMLFullGrid(t *testing.T) {
	r := gridRun()
	dir, index := writeHTML(t, r)

	cells := gridCellRE.FindAllStringSubmatch(index, -1)
	if len(cells) != 480 {
		t.Fatalf("grid has %d filled cells, want 480", len(cells))
	}
	if strings.Contains(index, `class="hole`) {
		t.Error("a full grid shows holes")
	}
	byID := map[string]verdict.Result{}
	for _, res := range r.Results {
		byID[res.Case.ID] = res
	}
	fails, marked := 0, 0
	for _, c := range cells {
		class, href, title := c[1], c[2], html.UnescapeString(c[3])
		id := strings.SplitN(title, "\n", 2)[0]
		res, ok := byID[id]
		if !ok {
			t.Fatalf("cell title %q does not start with a case id", title)
		}
		// The colour is the decision's; a failed wire check only marks the cell.
		decision := res.Verdict
		if d, ok := res.Decision(); ok {
			decision = d.Verdict
		}
		if want := verdictClass(decision); class != want {
			t.Errorf("cell %s has class %s, want %s", id, class, want)
		}
		if res.Verdict == verdict.Fail {
			fails++
		}
		wire := false
		for _, ch := range res.Checks {
			wire = wire || ch.Name != "decision" && ch.Verdict == verdict.Fail
		}
		if wire != (c[5] != "") {
			t.Errorf("cell %s: marker %q, want it exactly when a wire check failed", id, c[5])
		} else if wire {
			marked++
			if !strings.Contains(title, "wire checks failed: sni") {
				t.Errorf("marked cell %s title %q does not name the sni check", id, title)
			}
		}
		if !strings.Contains(title, res.Reason) {
			t.Errorf("cell %s title %q lacks the reason", id, title)
		}
		page := readFile(t, filepath.Join(dir, filepath.FromSlash(href)))
		if !strings.Contains(page, "<h1 class=\"mono\">"+id+"</h1>") {
			t.Errorf("cell %s links to %s, which is not its page", id, href)
		}
		wantText := expectLetter(string(res.Case.Expect)) + "/" + observedLetter(res.Observation.Outcome)
		if c[4] != wantText {
			t.Errorf("cell %s shows %q, want %q", id, c[4], wantText)
		}
	}
	if fails == 0 || marked == 0 {
		t.Fatalf("fixture has %d FAIL and %d marked cells, want some of each", fails, marked)
	}

	// Rows are usage × spk in axis order, columns grouped by trust store.
	rowHeads := regexp.MustCompile(`<th class="spk">spk: ([a-z-]+)</th>`).FindAllStringSubmatch(index, -1)
	if len(rowHeads) != 30 {
		t.Errorf("grid has %d rows, want 30", len(rowHeads))
	}
	if n := strings.Count(index, `<th class="ts tsstart" colspan="4">`); n != 4 {
		t.Errorf("grid has %d trust-store column groups, want 4", n)
	}
	first := cells[0][3]
	if !strings.HasPrefix(html.UnescapeString(first), "certusage/u0/spk-empty/ts-absent/chain-leaf-int\n") {
		t.Errorf("first cell is %q, want u0/empty/absent/leaf-int", first)
	}

	for _, res := range r.Results {
		if !strings.Contains(index, res.Case.ID) {
			t.Errorf("index lacks case id %s", res.Case.ID)
		}
	}
	pages, _ := os.ReadDir(filepath.Join(dir, casesDir))
	if len(pages) != len(r.Results) {
		t.Errorf("%d case pages for %d results", len(pages), len(r.Results))
	}

	// Other areas are tables, with baseline deviations marked.
	for _, id := range []string{"sni/hostname-set", "validity/expired-leaf"} {
		if !regexp.MustCompile(`<td class="id"><a href="cases/[^"]+">` + regexp.QuoteMeta(id) + `</a></td>`).MatchString(index) {
			t.Errorf("no table row for %s", id)
		}
	}
	if !strings.Contains(index, "clock not set on boot") || !strings.Contains(index, `<tr class="baseline">`) {
		t.Error("baseline deviation not marked in the validity table")
	}
}

func TestHTMLEscapesHostileInput(t *testing.T) {
	dir, index := writeHTML(t, gridRun())
	var hostile string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		page := readFile(t, path)
		if strings.Contains(strings.ToLower(page), "<script") || strings.Contains(page, "<img") || strings.Contains(page, "<b>bold") {
			t.Errorf("%s contains unescaped markup", path)
		}
		if strings.Contains(page, "sni/hostile-output</h1>") {
			hostile = page
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if hostile == "" {
		t.Fatal("no page for sni/hostile-output")
	}
	for _, want := range []string{
		"&lt;script&gt;alert(&#34;out&#34;)&lt;/script&gt;",
		"red &amp; done",
		"&lt;script&gt;alert(&#34;cmd&#34;)&lt;/script&gt;",
		"&lt;img src=x onerror=&#34;alert(1)&#34;&gt;",
	} {
		if !strings.Contains(hostile, want) {
			t.Errorf("hostile page lacks escaped %q", want)
		}
	}
	if strings.Contains(hostile, "\x1b") {
		t.Error("terminal escapes reached the page")
	}
	if !strings.Contains(index, "reference &lt;b&gt;bold&lt;/b&gt;") {
		t.Error("SUT name not escaped in the header")
	}
}

func TestHTMLHolesAndCasesOutsideTheGrid(t *testing.T) {
	r := gridRun()
	var kept []verdict.Result
	dropped := 0
	for i, res := range r.Results {
		if res.Case.Area == certUsageArea && i%10 == 0 {
			dropped++
			continue
		}
		kept = append(kept, res)
	}
	kept = append(kept, verdict.Result{
		Case:    catalog.Case{ID: "certusage/extra/no-dimensions", Area: certUsageArea, Expect: catalog.Reject},
		Verdict: verdict.Pass, Reason: "ok",
	})
	r.Results = kept
	_, index := writeHTML(t, r)

	holes := regexp.MustCompile(`<td class="hole[^"]*" title="([^"]*)">`).FindAllStringSubmatch(index, -1)
	if len(holes) != dropped {
		t.Fatalf("%d holes, want %d", len(holes), dropped)
	}
	if !strings.Contains(holes[0][1], "usage=u0 spk=empty ts=absent chain=leaf-int: no result in this run") {
		t.Errorf("hole tooltip = %q", holes[0][1])
	}
	if n := len(gridCellRE.FindAllString(index, -1)); n != 480-dropped {
		t.Errorf("%d filled cells, want %d", n, 480-dropped)
	}
	if !strings.Contains(index, "Cases outside the matrix") || !strings.Contains(index, ">certusage/extra/no-dimensions</a>") {
		t.Error("a certusage case without coordinates is not listed")
	}
}

func TestHTMLCasePageDetails(t *testing.T) {
	r := handRun()
	dir := t.TempDir()
	ev := filepath.Join(dir, "evidence", "u1")
	if err := os.MkdirAll(ev, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"capture.pcap", "sslkeylog.txt"} {
		if err := os.WriteFile(filepath.Join(ev, f), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "client.log"), []byte("log"), 0o600); err != nil {
		t.Fatal(err)
	}
	r.Results[1].EvidenceDir = ev
	r.Results[3].EvidenceDir = outside
	r.Results[4].EvidenceDir = filepath.Join(outside, "missing")
	if err := WriteHTML(dir, r); err != nil {
		t.Fatal(err)
	}
	page := func(id string) string {
		return readFile(t, filepath.Join(dir, casesDir, slug(id)+".html"))
	}

	pass := html.UnescapeString(page("certusage/u0/spk-root/ts-root/chain-leaf-int"))
	for _, want := range []string{
		"PKIX-TA with the root as Server Public Key", "000 §2", "seed",
		"TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8", "TLS_PSK_WITH_AES_128_CCM_8", "TLS_EMPTY_RENEGOTIATION_INFO_SCSV",
		"connection_id", "extended_master_secret", "secp256r1",
		"<dt>SNI</dt><dd>none</dd>",
		"+40.0 ms", "+90.0 ms", "POST /rd ep=dev1",
	} {
		if !strings.Contains(pass, want) {
			t.Errorf("PASS page lacks %q", want)
		}
	}

	fail := page("certusage/u1/spk-root/ts-root/chain-leaf-int")
	for _, want := range []string{
		"vendor ticket #42", "lwm2mclient -h lwm2m.example.net -cu 1", "last line: registered",
		`<a href="../evidence/u1/capture.pcap">capture.pcap</a>`, "packet capture",
		`<a href="../evidence/u1/sslkeylog.txt">sslkeylog.txt</a>`, "SSLKEYLOGFILE",
	} {
		if !strings.Contains(fail, want) {
			t.Errorf("FAIL page lacks %q", want)
		}
	}

	sni := page("sni/ip-literal-no-sni")
	outsideURL := (&url.URL{Scheme: "file", Path: filepath.ToSlash(filepath.Join(outside, "client.log"))}).String()
	for _, want := range []string{
		"<code>lwm2m.example.net</code>", "bad_certificate", "fatal", "<td>42</td>", "from SUT",
		"ClientHello carries no server_name", `href="` + outsideURL + `"`,
	} {
		if !strings.Contains(sni, want) {
			t.Errorf("sni page lacks %q", want)
		}
	}
	if !strings.Contains(page("sni/name-mismatch-dane-ee"), "evidence directory does not exist") {
		t.Error("missing evidence directory not reported")
	}
	if !strings.Contains(page("sni/name-mismatch-dane-ee"), "went silent") {
		t.Error("silent rejection not described")
	}
}

func TestHTMLFlagsSuitesOutsideConfiguration(t *testing.T) {
	r := handRun()
	r.Results[0].Case.SUT.CipherSuites = []uint16{0xC0AE}
	dir, _ := writeHTML(t, r)
	p := readFile(t, filepath.Join(dir, casesDir, slug(r.Results[0].Case.ID)+".html"))
	if strings.Count(p, "not in the configured list") != 1 {
		t.Error("want exactly TLS_PSK_WITH_AES_128_CCM_8 flagged (the SCSV is exempt)")
	}
}

func TestHTMLRemovesStalePagesAndKeepsCollidingIDsApart(t *testing.T) {
	dir := t.TempDir()
	if err := WriteHTML(dir, gridRun()); err != nil {
		t.Fatal(err)
	}
	r := Run{SUT: "s", Results: []verdict.Result{
		{Case: catalog.Case{ID: "sni/a b", Area: "sni"}, Verdict: verdict.Pass, Reason: "first"},
		{Case: catalog.Case{ID: "sni/a_b", Area: "sni"}, Verdict: verdict.Fail, Reason: "second"},
		{Case: catalog.Case{ID: "sni/a_b", Area: "sni"}, Verdict: verdict.Fail, Reason: "third"},
	}}
	if err := WriteHTML(dir, r); err != nil {
		t.Fatal(err)
	}
	pages, err := os.ReadDir(filepath.Join(dir, casesDir))
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 3 {
		t.Fatalf("%d pages after the second run, want 3", len(pages))
	}
	seen := map[string]bool{}
	for _, p := range pages {
		body := readFile(t, filepath.Join(dir, casesDir, p.Name()))
		for _, reason := range []string{"first", "second", "third"} {
			if strings.Contains(body, "</span> "+reason+"</p>") {
				seen[reason] = true
			}
		}
	}
	if len(seen) != 3 {
		t.Errorf("pages hold reasons %v, want all three", seen)
	}
}

func TestWriteHTMLRejectsEmptyDir(t *testing.T) {
	if err := WriteHTML("", handRun()); err == nil {
		t.Error("empty directory accepted")
	}
}
