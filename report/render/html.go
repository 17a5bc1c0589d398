package render

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"
	"maps"
	"math"
	"regexp"
	"slices"
	"strings"

	"github.com/drsim/drsim/report"
	"github.com/drsim/drsim/report/chart"
	"github.com/drsim/drsim/report/internal/human"
	"github.com/drsim/drsim/sim"
)

//go:embed templates/*.html.tmpl templates/*.css
var templateFS embed.FS

// htmlTemplates are parsed once per call: parsing is cheap next to drawing
// the charts, and no package-level mutable state is kept.
func htmlTemplates() (*template.Template, error) {
	css, err := templateFS.ReadFile("templates/style.css")
	if err != nil {
		return nil, fmt.Errorf("render: reading embedded style: %w", err)
	}
	t := template.New("").Funcs(template.FuncMap{
		// The style sheet is ours and embedded: safe to inline.
		"css": func() template.CSS { return template.CSS(css) },
	})
	t, err = t.ParseFS(templateFS, "templates/*.html.tmpl")
	if err != nil {
		return nil, fmt.Errorf("render: parsing embedded templates: %w", err)
	}
	return t, nil
}

// htmlTable is a table ready to render; Num marks right-aligned columns.
type htmlTable struct {
	Header []string
	Rows   [][]string
	Num    []bool
	// Foot is the index of the first footer (total) row, or -1.
	Foot int
}

func newTable(header []string, rows [][]string, leftCols ...int) *htmlTable {
	t := &htmlTable{Header: header, Rows: rows, Num: make([]bool, len(header)), Foot: -1}
	for i := 1; i < len(header); i++ {
		t.Num[i] = true
	}
	for _, c := range leftCols {
		if c >= 0 && c < len(t.Num) {
			t.Num[c] = false
		}
	}
	return t
}

// Cell returns the class of column i.
func (t *htmlTable) Cell(i int) string {
	if i < len(t.Num) && t.Num[i] {
		return "num"
	}
	return ""
}

// htmlCard is one key number at the top of the report.
type htmlCard struct {
	Label, Value, Note string
	// Class is "good", "bad" or "" and colours the card.
	Class string
}

// htmlChart is a chart inlined as SVG.
type htmlChart struct {
	Name, Title, Caption string
	SVG                  template.HTML
	Number               int
}

// htmlEvent is one row of the trace.
type htmlEvent struct {
	T, Kind, Subject, Region, Outcome, Error, Message string
	Class                                             string
}

type htmlReport struct {
	R            *report.Report
	Verdict      template.HTML
	VerdictClass string
	Facts        string
	Cards        []htmlCard
	Recovery     *htmlTable
	Lost         *htmlTable
	Failures     *htmlTable
	Availability string
	Cost         *htmlTable
	Ops          *htmlTable
	OpNotes      []string
	RepText      string
	Charts       []htmlChart
	Trace        []htmlEvent
	TraceCut     int
	Assumptions  []string
}

// maxTraceRows bounds the trace table; the JSON has every event.
const maxTraceRows = 5000

// WriteHTML writes the report as one self-contained HTML page: inline CSS,
// the charts as inline SVG, no script and no external resource (a Content
// Security Policy forbids them). It prints well. charts are usually
// chart.ForReport(r); pass nil for a page without charts.
func WriteHTML(w io.Writer, r *report.Report, charts []chart.Chart) error {
	if r == nil {
		return fmt.Errorf("render: html: nil report")
	}
	t, err := htmlTemplates()
	if err != nil {
		return err
	}
	d := &htmlReport{R: r}
	d.Verdict = markdownBold(verdict(r))
	d.VerdictClass = verdictClass(r.ObjectivesMet.Both)
	d.Facts = fmt.Sprintf("%d trials · seed %d · horizon %s · success threshold %s of requests",
		r.Trials, r.Seed, human.Dur(r.HorizonSeconds), human.Pct(r.Objectives.Success))
	d.Cards = reportCards(r)

	m := &r.Metrics
	d.Recovery = newTable(recoveryHeader, recoveryRows(r))
	d.Lost = newTable([]string{"store", "n", "mean", "p50", "p90", "p95", "p99", "max"}, lostRows(&m.LostWrites))
	if m.KMSFailures.TotalMean > 0 {
		header, rows := failureRows(&m.KMSFailures)
		d.Failures = newTable(header, rows)
		d.Failures.Foot = len(rows) - 1
	}
	d.Availability = availabilityText(m)

	costs := costRows(&r.Cost.MonthlyUSD, "total")
	d.Cost = newTable([]string{"item", "USD/month", "detail"}, costs, 2)
	d.Cost.Foot = len(costs) - 1

	if len(r.Operations) > 0 {
		d.Ops = newTable([]string{"operation", "op", "started", "done", "failed", "attempts", "done p50", "done p90", "errors"}, opRows(r.Operations, true), 1, 8)
		for _, op := range r.Operations {
			if op.Summary != "" {
				d.OpNotes = append(d.OpNotes, op.Summary)
			}
		}
	}
	if rp := r.Representative; rp != nil {
		d.RepText = fmt.Sprintf("Trial %d: %s.", rp.Trial, representativeText(rp))
		for i, e := range rp.Events {
			if i == maxTraceRows {
				d.TraceCut = len(rp.Events) - maxTraceRows
				break
			}
			d.Trace = append(d.Trace, htmlEvent{
				T: clock(float64(e.T) / float64(sim.Second)), Kind: e.Kind, Subject: e.Subject, Region: e.Region,
				Outcome: e.Outcome, Error: e.Error, Message: e.Message, Class: eventClass(e.Kind, e.Error),
			})
		}
	}
	d.Charts, err = inlineCharts(charts)
	if err != nil {
		return err
	}
	d.Assumptions = []string{
		fmt.Sprintf("%d trials, seed %d, horizon %s; the service is up while at least %s of its requests succeed.",
			r.Trials, r.Seed, human.Dur(r.HorizonSeconds), human.Pct(r.Objectives.Success)),
		"RTO is over incident trials (unrecovered ones count as ∞), RPO and lost writes over recovered incident trials; P(meet) is over all trials, an incident-free trial meeting both objectives.",
		pricesAssumption(&r.Cost.PriceBook),
		intervalsAssumption,
	}
	return execute(t, w, "report.html.tmpl", d)
}

// execute renders into a buffer first so that a template error never
// leaves half a page behind.
func execute(t *template.Template, w io.Writer, name string, data any) error {
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, name, data); err != nil {
		return fmt.Errorf("render: rendering html: %w", err)
	}
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("render: writing html: %w", err)
	}
	return nil
}

// reportCards are the key numbers at the top of the page.
func reportCards(r *report.Report) []htmlCard {
	m := &r.Metrics
	var cards []htmlCard
	both := r.ObjectivesMet.Both
	if both.P != nil {
		cards = append(cards, htmlCard{Label: "meets objectives", Value: human.Pct(*both.P), Note: "of trials, 95% CI " + human.CIPct(both.CI95), Class: verdictClass(both)})
	}
	rto := htmlCard{Label: "RTO p95", Value: human.DurOr(m.RTOSeconds.P95, "∞"), Note: "median " + human.DurOr(m.RTOSeconds.P50, "∞")}
	if m.RTOSeconds.N == 0 {
		rto.Value, rto.Note = "-", "no incident"
	}
	if o := r.Objectives.RTOSeconds; o != nil {
		rto.Note += ", objective " + human.Dur(*o)
		rto.Class = boundClass(m.RTOSeconds.P95, *o)
	}
	cards = append(cards, rto)
	rpo := htmlCard{Label: "RPO p95", Value: human.DurOr(m.RPOSeconds.P95, "-"), Note: "median " + human.DurOr(m.RPOSeconds.P50, "-")}
	if o := r.Objectives.RPOSeconds; o != nil {
		rpo.Note += ", objective " + human.Dur(*o)
		rpo.Class = boundClass(m.RPOSeconds.P95, *o)
	}
	cards = append(cards, rpo)
	cards = append(cards,
		htmlCard{Label: "lost writes", Value: human.NumOr(m.LostWrites.Mean, "-"), Note: "mean per recovered incident, p95 " + human.NumOr(m.LostWrites.P95, "-")},
		htmlCard{Label: "KMS failures", Value: human.Num(m.KMSFailures.TotalMean), Note: "failed calls per trial (mean)"},
		htmlCard{Label: "monthly cost", Value: human.USD(r.Cost.MonthlyUSD.Total), Note: "steady state, list prices"},
	)
	if m.RTOSeconds.Unrecovered > 0 {
		cards = append(cards, htmlCard{Label: "unrecovered", Value: fmt.Sprint(m.RTOSeconds.Unrecovered),
			Note: fmt.Sprintf("of %d incident trials", m.IncidentTrials), Class: "bad"})
	}
	return cards
}

// verdictClass colours a probability of meeting the objectives.
func verdictClass(p report.Probability) string {
	switch {
	case p.P == nil:
		return ""
	case *p.P >= 0.99:
		return "good"
	case *p.P >= 0.9:
		return "warn"
	}
	return "bad"
}

func boundClass(v *float64, objective float64) string {
	if v == nil {
		return "bad"
	}
	if *v <= objective {
		return "good"
	}
	return "bad"
}

// markdownBold escapes s and turns its **bold** spans into <strong>.
func markdownBold(s string) template.HTML {
	parts := strings.Split(s, "**")
	var b strings.Builder
	for i, p := range parts {
		open := i%2 == 1 && i < len(parts)-1
		if open {
			b.WriteString("<strong>")
		}
		b.WriteString(template.HTMLEscapeString(p))
		if open {
			b.WriteString("</strong>")
		}
	}
	return template.HTML(b.String())
}

// errorsText lists error counts sorted by name: "KMSUnavailable ×3".
func errorsText(m map[string]int) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%s ×%d", k, m[k]))
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, ", ")
}

// clock formats seconds since the trial start as h:mm:ss.mmm.
func clock(s float64) string {
	if math.IsNaN(s) || math.IsInf(s, 0) {
		return "?"
	}
	neg := ""
	if s < 0 {
		neg, s = "-", -s
	}
	ms := int64(math.Round(s * 1000))
	return fmt.Sprintf("%s%d:%02d:%02d.%03d", neg, ms/3600000, ms/60000%60, ms/1000%60, ms%1000)
}

// eventClass highlights the trace rows that matter.
func eventClass(kind, err string) string {
	switch {
	case kind == "service-down" || kind == "step-failed" || kind == "runbook-abandoned":
		return "ev-bad"
	case kind == "service-up" || kind == "traffic-moved" || kind == "step-done":
		return "ev-good"
	case err != "":
		return "ev-warn"
	}
	return ""
}

// svgProlog matches what precedes the <svg> element in a vgsvg document.
var svgProlog = regexp.MustCompile(`(?s)\A.*?<svg\s`)

// svgSize matches the fixed size attributes of the root element.
var svgSize = regexp.MustCompile(`\A<svg width="[^"]*" height="[^"]*"`)

// inlineSVG turns a chart's SVG document into an element to inline in
// HTML: no XML prolog, sized by CSS through its viewBox, labelled.
func inlineSVG(c *chart.Chart, n int) (template.HTML, error) {
	doc, err := c.SVG()
	if err != nil {
		return "", err
	}
	s := string(doc)
	loc := svgProlog.FindStringIndex(s)
	if loc == nil {
		return "", fmt.Errorf("render: chart %q: no <svg> element", c.Name)
	}
	s = "<svg " + s[loc[1]:]
	label := template.HTMLEscapeString(c.Title)
	s = svgSize.ReplaceAllString(s, fmt.Sprintf(`<svg class="chart" role="img" aria-labelledby="fig-%d-title"`, n))
	s = strings.Replace(s, ">", fmt.Sprintf(">\n<title id=\"fig-%d-title\">%s</title>", n, label), 1)
	return template.HTML(s), nil
}

func inlineCharts(charts []chart.Chart) ([]htmlChart, error) {
	var out []htmlChart
	for i := range charts {
		svg, err := inlineSVG(&charts[i], i+1)
		if err != nil {
			return nil, err
		}
		out = append(out, htmlChart{Name: charts[i].Name, Title: charts[i].Title, Caption: charts[i].Caption, SVG: svg, Number: i + 1})
	}
	return out, nil
}

type htmlCompare struct {
	C        *report.Comparison
	Summary  string
	Table    *htmlTable
	Diffs    *htmlTable
	Charts   []htmlChart
	Warnings []string
}

// WriteCompareHTML writes a comparison as one self-contained HTML page, like
// WriteHTML. charts are usually chart.ForComparison(c).
func WriteCompareHTML(w io.Writer, c *report.Comparison, charts []chart.Chart) error {
	if c == nil {
		return fmt.Errorf("render: compare html: nil comparison")
	}
	t, err := htmlTemplates()
	if err != nil {
		return err
	}
	h, rows, dh, drows := compareRows(c)
	d := &htmlCompare{C: c, Table: newTable(h, rows)}
	if len(drows) > 0 {
		d.Diffs = newTable(dh, drows)
	}
	names := make([]string, len(c.Scenarios))
	for i, s := range c.Scenarios {
		names[i] = s.Scenario
	}
	d.Summary = fmt.Sprintf("%d scenarios compared against the baseline %s: %s.", len(c.Scenarios), c.Baseline, strings.Join(names, ", "))
	d.Charts, err = inlineCharts(charts)
	if err != nil {
		return err
	}
	return execute(t, w, "compare.html.tmpl", d)
}
