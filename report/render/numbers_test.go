package render

import (
	"bytes"
	"io"
	"regexp"
	"testing"

	"github.com/drsim/drsim/report"
	"github.com/drsim/drsim/report/chart"
	"github.com/drsim/drsim/report/internal/docfixture"
	"github.com/drsim/drsim/report/internal/fixture"
)

// longNumber matches a run of four digits or more, with what comes before
// it.
var longNumber = regexp.MustCompile(`(seed |trial |#|[A-Za-z_.]|)([0-9]{4,})(-[0-9]{2}-[0-9]{2})?`)

// ungrouped returns the numbers of four digits or more in s written
// without thousands separators, other than identifiers (a seed, a trial
// number, a date, a digit run inside a name or after a decimal point).
func ungrouped(s string) []string {
	var out []string
	for _, m := range longNumber.FindAllStringSubmatch(s, -1) {
		if m[1] != "" || m[3] != "" {
			continue
		}
		out = append(out, m[0])
	}
	return out
}

// htmlText is the text of an HTML page that a reader sees: no tags, style
// or inline SVG markup.
func htmlText(page string) string {
	for _, re := range []string{`(?s)<style>.*?</style>`, `(?s)<svg .*?</svg>`, `<[^>]*>`} {
		page = regexp.MustCompile(re).ReplaceAllString(page, " ")
	}
	return page
}

// TestThousandsSeparators: every count, amount and rate of four digits or
// more is written with thousands separators in every format (issue: "9591
// attempts" next to "11,609").
func TestThousandsSeparators(t *testing.T) {
	cfg := fixture.SnowyConfig()
	res := fixture.Synthetic(cfg, 1500, 7)
	r := report.Build(cfg, 7, res, fixture.Detail(&res[1]), 1)
	for i := range r.Operations {
		r.Operations[i].Errors = map[string]int{"KMSUnavailable": 9591}
	}
	c := docfixture.EightScenarios()
	charts, omitted, err := chart.ForReport(r)
	if err != nil {
		t.Fatal(err)
	}
	cc, comitted, err := chart.ForComparison(c)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range []struct {
		name  string
		write func(io.Writer) error
		html  bool
	}{
		{"text", func(w io.Writer) error { return WriteText(w, r) }, false},
		{"markdown", func(w io.Writer) error { return WriteMarkdown(w, r) }, false},
		{"html", func(w io.Writer) error { return WriteHTML(w, r, charts, omitted) }, true},
		{"compare text", func(w io.Writer) error { return WriteCompareText(w, c) }, false},
		{"compare markdown", func(w io.Writer) error { return WriteCompareMarkdown(w, c) }, false},
		{"compare html", func(w io.Writer) error { return WriteCompareHTML(w, c, cc, comitted) }, true},
	} {
		var b bytes.Buffer
		if err := o.write(&b); err != nil {
			t.Fatal(err)
		}
		s := b.String()
		if o.html {
			s = htmlText(s)
		}
		if !regexp.MustCompile(`[0-9],[0-9]{3}`).MatchString(s) {
			t.Errorf("%s: no number of four digits or more to check", o.name)
		}
		if bad := ungrouped(s); len(bad) > 0 {
			t.Errorf("%s: numbers without thousands separators: %q", o.name, bad)
		}
	}
	if got := ungrouped("seed 12345, trial 4567, #4567, 2026-11-27, 0.00012345, s3_put_per_1000, 12,345"); len(got) != 0 {
		t.Errorf("identifiers taken for numbers: %q", got)
	}
	if got := ungrouped("9591 attempts, $1234.50"); len(got) != 2 {
		t.Errorf("ungrouped numbers missed: %q", got)
	}
}
