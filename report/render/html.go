package render

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"
	"math"
	"regexp"
	"strings"

	"github.com/drsim/drsim/findings"
	"github.com/drsim/drsim/internal/escape"
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
// Every string in it has lost its control characters (escape.Strip); the
// template escapes the rest.
type htmlTable struct {
	Header []string
	Rows   [][]cell
	Num    []bool
	// Foot is the index of the first footer (total) row, or -1.
	Foot int
}

func newTable(header []string, rows [][]string, leftCols ...int) *htmlTable {
	cells := make([][]cell, len(rows))
	for i, row := range rows {
		cells[i] = make([]cell, len(row))
		for j, c := range row {
			cells[i][j] = cell{Main: c}
		}
	}
	return newCellTable(header, cells, leftCols...)
}

func newCellTable(header []string, rows [][]cell, leftCols ...int) *htmlTable {
	t := &htmlTable{Header: stripAll(header), Num: make([]bool, len(header)), Foot: -1}
	for _, row := range rows {
		r := make([]cell, len(row))
		for j, c := range row {
			r[j] = cell{Main: escape.Strip(c.Main), Sub: escape.Strip(c.Sub)}
		}
		t.Rows = append(t.Rows, r)
	}
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

// stripAll returns ss with the control characters of each removed.
func stripAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = escape.Strip(s)
	}
	return out
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

// htmlFix is one entry of "What to fix first".
type htmlFix struct {
	Title, Severity, Message string
	// Lines are its "label: text" lines (where, fix, evidence, confirms).
	Lines [][2]string
}

type htmlReport struct {
	// FixFirst leads the page; FixNote introduces it. Findings lists the
	// other findings under FindingsNote.
	FixFirst     []htmlFix
	FixNote      string
	FindingsHead string
	FindingsNote string
	Findings     *htmlTable
	Schema       string
	Title        string
	Description  string
	File         string
	Verdict      template.HTML
	VerdictClass string
	Facts        string
	Cards        []htmlCard
	Warnings     []string
	Recovery     *htmlTable
	Lost         *htmlTable
	FailuresNote string
	Failures     *htmlTable
	// FailuresBy are the KMS failures by key and by store, under
	// AttributionNote.
	AttributionNote string
	FailuresBy      []*htmlTable
	Availability    *htmlTable
	Unavailable     string
	Cost            *htmlTable
	OpsNote         string
	Ops             *htmlTable
	OpNotes         []string
	RepHeading      string
	RepText         string
	Events          int
	Charts          []htmlChart
	Omitted         []string
	Trace           []htmlEvent
	TraceCut        int
	Assumptions     []string
}

// maxTraceRows bounds the trace table; the JSON has every event.
const maxTraceRows = 5000

// WriteHTML writes the report as one self-contained HTML page: inline CSS,
// the charts as inline SVG, no script and no external resource (a Content
// Security Policy forbids them). It prints well. charts and omitted are
// usually those of chart.ForReport(r); pass nil for a page without charts.
// Strings from the scenario lose their control characters and are escaped
// by html/template.
func WriteHTML(w io.Writer, r *report.Report, charts []chart.Chart, omitted []chart.Omission) error {
	if r == nil {
		return fmt.Errorf("render: html: nil report")
	}
	t, err := htmlTemplates()
	if err != nil {
		return err
	}
	d := &htmlReport{
		Schema:      escape.Strip(r.Schema),
		Title:       escape.Strip(r.Scenario),
		Description: escape.Strip(r.Description),
		File:        escape.Strip(r.File),
		Warnings:    stripAll(r.Warnings),
	}
	d.Verdict = htmlSpans(verdict(r))
	d.VerdictClass = verdictClass(r.ObjectivesMet.Both)
	d.Facts = runFacts(r) + " · success threshold " + human.Pct(r.Objectives.Success) + " of requests"
	for _, n := range runNotes(r.Overrides, r.Precision) {
		d.Facts += " · " + escape.Strip(n)
	}
	d.Cards = reportCards(r)
	first, rest := fixFirst(r.Findings)
	for i := range first {
		f := &first[i]
		fx := htmlFix{Title: escape.Strip(f.ID + " " + f.Name), Severity: f.Severity.String(), Message: escape.Strip(f.Message)}
		for _, l := range fixFirstLines(r, f) {
			fx.Lines = append(fx.Lines, [2]string{l[0], escape.Strip(l[1])})
		}
		d.FixFirst = append(d.FixFirst, fx)
	}
	d.FixNote = fixFirstNote
	if len(rest) > 0 {
		d.FindingsHead = "Findings (" + findings.Summary(rest) + ")"
		d.FindingsNote = findingsNote
		d.Findings = newTable(findingHeader, findingRows(r.Findings, rest), 1, 2, 3, 4)
	}

	m := &r.Metrics
	d.Recovery = newTable(recoveryHeader, recoveryRows(r))
	d.Lost = newTable(lostHeader, lostRows(&m.LostWrites))
	d.FailuresNote = kmsFailuresNote
	if m.KMSFailures.TotalMean > 0 {
		header, rows := failureRows(&m.KMSFailures)
		d.Failures = newTable(header, rows)
		d.Failures.Foot = len(rows) - 1
		for _, by := range []func(*report.Failures) ([]string, [][]string){keyFailureRows, storeFailureRows} {
			if header, rows := by(&m.KMSFailures); len(rows) > 0 {
				d.FailuresBy = append(d.FailuresBy, newTable(header, rows))
				d.AttributionNote = kmsAttributionNote
			}
		}
	}
	d.Availability = newTable(availabilityHeader, availabilityRows(m), 1)
	d.Unavailable = escape.Strip(capitalize(unavailableText(r))) + "."

	costs := costRows(&r.Cost.MonthlyUSD)
	d.Cost = newTable(costHeader, costs, 2)
	d.Cost.Foot = len(costs) - 1

	if len(r.Operations) > 0 {
		d.OpsNote = opNote
		d.Ops = newTable(opHeader(true), opRows(r.Operations, true), 1, 10)
		for _, op := range r.Operations {
			if op.Summary != "" {
				d.OpNotes = append(d.OpNotes, escape.Strip(op.Summary))
			}
		}
	}
	if rp := r.Representative; rp != nil {
		d.RepHeading = representativeHeading(rp)
		d.RepText = capitalize(representativeText(rp)) + "."
		d.Events = len(rp.Events) + rp.EventsOmitted
		for i, e := range rp.Events {
			if i == maxTraceRows {
				d.TraceCut = len(rp.Events) + rp.EventsOmitted - maxTraceRows
				break
			}
			d.Trace = append(d.Trace, htmlEvent{
				T: clock(float64(e.T) / float64(sim.Second)), Kind: escape.Strip(e.Kind), Subject: escape.Strip(e.Subject),
				Region: escape.Strip(e.Region), Outcome: escape.Strip(e.Outcome), Error: escape.Strip(e.Error),
				Message: escape.Strip(e.Message), Class: eventClass(e.Kind, e.Error),
			})
		}
		if len(rp.Events) <= maxTraceRows {
			d.TraceCut = rp.EventsOmitted
		}
	}
	d.Charts, err = inlineCharts(charts)
	if err != nil {
		return err
	}
	d.Omitted = omissionTexts(omitted)
	d.Assumptions = []string{
		fmt.Sprintf("%s trials, seed %d, horizon %s; the service is up while at least %s of its requests succeed.",
			human.Int(r.Trials), r.Seed, human.Dur(r.HorizonSeconds), human.Pct(r.Objectives.Success)),
		"RTO is over incident trials (unrecovered ones count as ∞), RPO and lost writes over recovered incident trials; P(meet) is over all trials, an incident-free trial meeting both objectives.",
		escape.Strip(pricesAssumption(&r.Cost.PriceBook)),
		intervalsAssumption,
	}
	for i := range r.Outages {
		d.Assumptions = append(d.Assumptions, "Outage "+outageText(&r.Outages[i]))
	}
	if r.Start != "" {
		d.Assumptions = append(d.Assumptions, startText(r.Start))
	}
	for i := range r.Profiles {
		d.Assumptions = append(d.Assumptions, profileText(&r.Profiles[i]))
	}
	// outage and profile sentences quote user names: no control character
	// may reach the page (the template escapes the rest)
	for i, a := range d.Assumptions {
		d.Assumptions[i] = escape.Strip(a)
	}
	return execute(t, w, "report.html.tmpl", d)
}

// omissionTexts are the sentences of the charts left out.
func omissionTexts(omitted []chart.Omission) []string {
	var out []string
	for _, o := range omitted {
		out = append(out, escape.Strip(o.Title+": "+o.Why))
	}
	return out
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
		htmlCard{Label: kmsFailuresHeading, Value: human.Num(m.KMSFailures.TotalMean), Note: "failed KMS calls per trial (mean)"},
		htmlCard{Label: "availability while down", Value: human.PctOr(m.IncidentRequestSuccess.Mean, "-"), Note: "requests succeeded from T0 to recovery (mean)"},
		htmlCard{Label: "monthly cost", Value: human.USD(r.Cost.MonthlyUSD.Total), Note: "steady state, list prices"},
	)
	if m.RTOSeconds.Unrecovered > 0 {
		cards = append(cards, htmlCard{Label: "unrecovered", Value: human.Int(m.RTOSeconds.Unrecovered),
			Note: "of " + human.Int(m.IncidentTrials) + " incident trials", Class: "bad"})
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

// htmlSpans writes spans as HTML, the bold ones in <strong>; the text is
// stripped of control characters and escaped.
func htmlSpans(spans []span) template.HTML {
	var b strings.Builder
	for _, s := range spans {
		t := template.HTMLEscapeString(escape.Strip(s.Text))
		if s.Bold {
			t = "<strong>" + t + "</strong>"
		}
		b.WriteString(t)
	}
	return template.HTML(b.String())
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
	label := template.HTMLEscapeString(escape.Strip(c.Title))
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
		out = append(out, htmlChart{Name: charts[i].Name, Title: escape.Strip(charts[i].Title), Caption: escape.Strip(charts[i].Caption), SVG: svg, Number: i + 1})
	}
	return out, nil
}

type htmlCompare struct {
	Schema   string
	Baseline string
	Summary  string
	Table    *htmlTable
	Diffs    *htmlTable
	// FailuresBy are the KMS failures by key and by store, under
	// FailuresNote.
	FailuresNote string
	FailuresBy   []*htmlTable
	Charts       []htmlChart
	Omitted      []string
	Warnings     []string
}

// WriteCompareHTML writes a comparison as one self-contained HTML page, like
// WriteHTML. charts and omitted are usually those of
// chart.ForComparison(c). The tables fit the page: an interval is written
// under its value.
func WriteCompareHTML(w io.Writer, c *report.Comparison, charts []chart.Chart, omitted []chart.Omission) error {
	if c == nil {
		return fmt.Errorf("render: compare html: nil comparison")
	}
	t, err := htmlTemplates()
	if err != nil {
		return err
	}
	h, rows, dh, drows := compareTables(c)
	h[1] = "P(meet both) [95% CI]"
	d := &htmlCompare{Schema: escape.Strip(c.Schema), Baseline: escape.Strip(c.Baseline), Table: newCellTable(h, rows),
		Warnings: stripAll(c.Warnings), Omitted: omissionTexts(omitted)}
	if len(drows) > 0 {
		d.Diffs = newCellTable(dh, drows)
	}
	if hs, ts := compareAttributions(c); len(ts) > 0 {
		d.FailuresNote = compareAttributionNote
		for i := range ts {
			d.FailuresBy = append(d.FailuresBy, newTable(hs[i], ts[i]))
		}
	}
	names := make([]string, len(c.Scenarios))
	for i, s := range c.Scenarios {
		names[i] = s.Name()
	}
	d.Summary = escape.Strip(fmt.Sprintf("%s scenarios compared against the baseline %s: %s.", human.Int(len(c.Scenarios)), c.Baseline, strings.Join(names, ", ")))
	for _, n := range runNotes(c.Overrides, c.Precision) {
		d.Summary += " " + escape.Strip(n) + "."
	}
	d.Charts, err = inlineCharts(charts)
	if err != nil {
		return err
	}
	return execute(t, w, "compare.html.tmpl", d)
}
