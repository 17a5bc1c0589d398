package render

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/drsim/drsim/report"
	"github.com/drsim/drsim/report/chart"
	"github.com/drsim/drsim/report/internal/docfixture"
)

const chromiumBin = "/usr/bin/chromium"

// consoleLine matches what Chromium logs (with --enable-logging=stderr) for
// every console message of a page: script errors, CSP violations, failed
// loads and console calls. The report has no script, so any such message
// is an error.
var consoleLine = regexp.MustCompile(`:CONSOLE[^\]]*\] (.*)`)

// browserResult is what loading a page in headless Chromium gave.
type browserResult struct {
	Console []string // console messages
	DOM     string   // the DOM after load (--dump-dom)
	Shot    string   // the screenshot file
}

// loadInChromium loads the page at path in headless Chromium, saving a
// 1280×2000 screenshot to shot, and returns the console messages and the
// DOM. It needs no network: the flags turn off every background request.
func loadInChromium(t *testing.T, path, shot string) browserResult {
	t.Helper()
	dom, console := runChromium(t, path, "--hide-scrollbars", "--screenshot="+shot, "--window-size=1280,2000", "--dump-dom")
	return browserResult{DOM: dom, Shot: shot, Console: console}
}

// runChromium opens the page at path in headless Chromium with the extra
// flags and returns its standard output and the console messages it logged.
func runChromium(t *testing.T, path string, extra ...string) (stdout string, console []string) {
	t.Helper()
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	args := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir(), "--enable-logging=stderr", "--v=0"}
	args = append(append(args, extra...), "file://"+abs)
	cmd := exec.CommandContext(ctx, chromiumBin, args...)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, lastLines(stderr.String(), 20))
	}
	for _, m := range consoleLine.FindAllStringSubmatch(stderr.String(), -1) {
		console = append(console, m[1])
	}
	return out.String(), console
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// checkScreenshot requires a non-empty PNG of the window size that is not
// a blank page.
func checkScreenshot(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if len(b) == 0 {
		t.Fatal("screenshot is empty")
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("screenshot does not decode: %v", err)
	}
	if bd := img.Bounds(); bd.Dx() != 1280 || bd.Dy() != 2000 {
		t.Errorf("screenshot is %dx%d, want 1280x2000", bd.Dx(), bd.Dy())
	}
	colours := map[uint32]bool{}
	bd := img.Bounds()
	for y := bd.Min.Y; y < bd.Max.Y; y += 9 {
		for x := bd.Min.X; x < bd.Max.X; x += 9 {
			r, g, b, _ := img.At(x, y).RGBA()
			colours[r>>8<<16|g>>8<<8|b>>8] = true
		}
	}
	if len(colours) < 20 {
		t.Errorf("screenshot looks blank: %d colours", len(colours))
	}
}

// screenshotDir is where screenshots are kept for a look: testdata/out
// (ignored by git) when DRSIM_KEEP_SCREENSHOTS is set, else a temp dir.
func screenshotDir(t *testing.T) string {
	if os.Getenv("DRSIM_KEEP_SCREENSHOTS") != "" {
		dir := filepath.Join("testdata", "out")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	return t.TempDir()
}

// TestHTMLInBrowser renders the HTML report and comparison of synthetic
// documents in headless Chromium: no console error (script error, blocked
// resource), the content is in the DOM, and the screenshot is a real page.
func TestHTMLInBrowser(t *testing.T) {
	if _, err := os.Stat(chromiumBin); err != nil {
		t.Skip("chromium not installed: apt-get install chromium (CI installs it)")
	}
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	dir := t.TempDir()
	shots := screenshotDir(t)

	r := docfixture.SyntheticReport()
	charts, omitted, err := chart.ForReport(r)
	if err != nil {
		t.Fatal(err)
	}
	var page bytes.Buffer
	if err := WriteHTML(&page, r, charts, omitted); err != nil {
		t.Fatal(err)
	}
	c := docfixture.SyntheticComparison()
	cc, comitted, err := chart.ForComparison(c)
	if err != nil {
		t.Fatal(err)
	}
	var cpage bytes.Buffer
	if err := WriteCompareHTML(&cpage, c, cc, comitted); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name string
		page []byte
		// wantConsole: the page is broken on purpose and must be caught.
		wantConsole bool
		wantDOM     []string
	}{
		{name: "report", page: page.Bytes(), wantDOM: []string{
			"<h1>snowy-synthetic</h1>", `id="chart-timeline"`, `id="chart-rto-cdf"`, `id="chart-kms-failures"`,
			"<details>", "Figure 5.", "&lt;script&gt;alert(1)&lt;/script&gt;",
		}},
		{name: "compare", page: cpage.Bytes(), wantDOM: []string{
			"Comparison against backup-restore", `id="chart-cost-rto"`, `id="chart-rto-cdf-compare"`,
		}},
		{name: "compare 8 scenarios", page: comparePage(t, docfixture.EightScenarios()), wantDOM: []string{
			"Comparison against backup-and-restore", "case-single-region-client-key", `<span class="ci">`,
		}},
		{name: "broken: script error", wantConsole: true, page: []byte(
			`<!DOCTYPE html><html><head><meta charset="utf-8"><title>broken</title></head>` +
				`<body><p>broken</p><script>undefinedFunction();</script></body></html>`)},
		{name: "broken: external resource blocked", wantConsole: true, page: bytes.Replace(page.Bytes(),
			[]byte("<main>"), []byte(`<main><img alt="" src="https://example.invalid/logo.png">`), 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stem := strings.NewReplacer(" ", "-", ":", "").Replace(tt.name)
			path := filepath.Join(dir, stem+".html")
			if err := os.WriteFile(path, tt.page, 0o644); err != nil {
				t.Fatal(err)
			}
			res := loadInChromium(t, path, filepath.Join(shots, stem+".png"))
			if tt.wantConsole {
				if len(res.Console) == 0 {
					t.Fatalf("a broken page gave no console error: the check would miss real errors")
				}
				t.Logf("caught as expected: %s", res.Console[0])
				return
			}
			for _, m := range res.Console {
				t.Errorf("console: %s", m)
			}
			for _, w := range tt.wantDOM {
				if !strings.Contains(res.DOM, w) {
					t.Errorf("DOM lacks %q", w)
				}
			}
			checkScreenshot(t, res.Shot)
		})
	}

	t.Run("print", func(t *testing.T) {
		path := filepath.Join(dir, "print.html")
		if err := os.WriteFile(path, page.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		pdf := filepath.Join(shots, "report.pdf")
		console := printToPDF(t, path, pdf)
		for _, m := range console {
			t.Errorf("console: %s", m)
		}
		b, err := os.ReadFile(pdf)
		if err != nil {
			t.Fatal(err)
		}
		pages := len(pdfPage.FindAll(b, -1))
		if !bytes.HasPrefix(b, []byte("%PDF-")) || pages < 2 || pages > 30 {
			t.Errorf("printed PDF: %d bytes, %d pages", len(b), pages)
		}
	})
}

// pdfPage matches a page object of a PDF.
var pdfPage = regexp.MustCompile(`/Type\s*/Page[^s]`)

// printToPDF prints the page at path to pdf with headless Chromium (print
// media styles apply) and returns the console messages.
func printToPDF(t *testing.T, path, pdf string) []string {
	t.Helper()
	_, console := runChromium(t, path, "--no-pdf-header-footer", "--print-to-pdf="+pdf)
	return console
}

// comparePage renders a comparison's HTML page with its charts.
func comparePage(t *testing.T, c *report.Comparison) []byte {
	t.Helper()
	charts, omitted, err := chart.ForComparison(c)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteCompareHTML(&b, c, charts, omitted); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// layout is what measureScript reports about a page in the browser.
type layout struct {
	// Viewport is the width of the window's content (CSS pixels);
	// ScrollWidth the width of the document: wider means a horizontal
	// scroll bar.
	Viewport, ScrollWidth, MainWidth float64
	// Overflows are the scrolling boxes (.scroll) whose content is wider
	// than they are.
	Overflows []struct {
		Scroll, Client float64
		Text           string
	}
	// Boxes are the widths of every table and chart, with the trace
	// opened.
	Boxes []struct {
		Tag  string
		W    float64
		Text string
	}
}

// measureScript opens every <details>, then writes the layout as JSON in
// a <pre id="measure"> for --dump-dom to return.
const measureScript = `<script>
(function () {
  document.querySelectorAll('details').forEach(function (d) { d.open = true; });
  var de = document.documentElement, main = document.querySelector('main');
  var m = {Viewport: de.clientWidth, ScrollWidth: de.scrollWidth, MainWidth: main.getBoundingClientRect().width, Overflows: [], Boxes: []};
  document.querySelectorAll('.scroll').forEach(function (e) {
    if (e.scrollWidth > e.clientWidth + 1) m.Overflows.push({Scroll: e.scrollWidth, Client: e.clientWidth, Text: e.textContent.slice(0, 60)});
  });
  document.querySelectorAll('table, svg.chart').forEach(function (e) {
    m.Boxes.push({Tag: e.tagName, W: e.getBoundingClientRect().width, Text: e.textContent.slice(0, 40)});
  });
  var p = document.createElement('pre'); p.id = 'measure'; p.textContent = JSON.stringify(m);
  document.body.appendChild(p);
})();
</script>`

var measureOut = regexp.MustCompile(`(?s)<pre id="measure">(.*?)</pre>`)

// measureLayout loads page at width 1280 in headless Chromium, with its
// Content Security Policy lifted so that measureScript may run, and
// returns the layout it measured.
func measureLayout(t *testing.T, page []byte, dir, stem string) layout {
	t.Helper()
	csp := regexp.MustCompile(`<meta http-equiv="Content-Security-Policy"[^>]*>`)
	if !csp.Match(page) {
		t.Fatal("page has no Content Security Policy to lift")
	}
	probe := csp.ReplaceAll(page, nil)
	probe = bytes.Replace(probe, []byte("</body>"), []byte(measureScript+"</body>"), 1)
	path := filepath.Join(dir, stem+"-measure.html")
	if err := os.WriteFile(path, probe, 0o644); err != nil {
		t.Fatal(err)
	}
	dom, console := runChromium(t, path, "--hide-scrollbars", "--window-size=1280,2000", "--dump-dom")
	for _, m := range console {
		t.Errorf("console: %s", m)
	}
	m := measureOut.FindStringSubmatch(dom)
	if m == nil {
		t.Fatalf("the measuring script did not run:\n%s", lastLines(dom, 5))
	}
	var l layout
	if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), &l); err != nil {
		t.Fatalf("layout %q: %v", m[1], err)
	}
	return l
}

// TestHTMLFitsThePage loads the report and an 8-scenario comparison at
// 1280 pixels: nothing scrolls sideways (the page, or a table in its
// box), and every table and chart is as wide as the page's content
// (issue: the paired table was wider than the page; charts were 990
// pixels wide, tables 1104).
func TestHTMLFitsThePage(t *testing.T) {
	if _, err := os.Stat(chromiumBin); err != nil {
		t.Skip("chromium not installed: apt-get install chromium (CI installs it)")
	}
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	dir := t.TempDir()
	r := docfixture.SyntheticReport()
	charts, omitted, err := chart.ForReport(r)
	if err != nil {
		t.Fatal(err)
	}
	var page bytes.Buffer
	if err := WriteHTML(&page, r, charts, omitted); err != nil {
		t.Fatal(err)
	}
	// A scenario run by the model, with its long trace.
	_, _, snowy := docfixture.SnowyReport()
	sc, so, err := chart.ForReport(snowy)
	if err != nil {
		t.Fatal(err)
	}
	var snowyPage bytes.Buffer
	if err := WriteHTML(&snowyPage, snowy, sc, so); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		page []byte
	}{
		{"report", page.Bytes()},
		{"snowy", snowyPage.Bytes()},
		{"compare 8 scenarios", comparePage(t, docfixture.EightScenarios())},
	} {
		t.Run(tt.name, func(t *testing.T) {
			l := measureLayout(t, tt.page, dir, strings.ReplaceAll(tt.name, " ", "-"))
			if l.Viewport < 1200 || l.Viewport > 1280 {
				t.Fatalf("viewport %v pixels wide, want 1280 (less a scroll bar)", l.Viewport)
			}
			if l.ScrollWidth > l.Viewport {
				t.Errorf("the page is %v pixels wide in a %v pixel window: it scrolls sideways", l.ScrollWidth, l.Viewport)
			}
			for _, o := range l.Overflows {
				t.Errorf("a table is %v pixels wide in its %v pixel box: %q", o.Scroll, o.Client, o.Text)
			}
			if len(l.Boxes) < 3 {
				t.Fatalf("%d tables and charts measured", len(l.Boxes))
			}
			for _, b := range l.Boxes {
				if math.Abs(b.W-l.MainWidth) > 1 {
					t.Errorf("%s %q is %v pixels wide, the page's content %v", b.Tag, b.Text, b.W, l.MainWidth)
				}
			}
		})
	}
}
