package render

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/drsim/drsim/internal/escape"
	"github.com/drsim/drsim/report"
	"github.com/drsim/drsim/report/chart"
)

// Output file names written by WriteAll and WriteCompareAll; every chart is
// also written as NAME.svg and NAME.png.
const (
	ReportJSON     = "report.json"
	ReportMarkdown = "report.md"
	ReportHTML     = "report.html"
	CompareJSON    = "compare.json"
	CompareMD      = "compare.md"
	CompareHTML    = "compare.html"
)

// WriteAll creates dir (and its parents) and writes the report in every
// format: report.json (the canonical document), report.md (the
// distributions inline as Mermaid charts, and links to the chart PNGs),
// report.html (self-contained) and each chart as NAME.svg and NAME.png. Each file is written to a temporary name and renamed, so a
// failure never leaves a truncated file under the final name.
func WriteAll(dir string, r *report.Report) error {
	if r == nil {
		return fmt.Errorf("render: write all: nil report")
	}
	charts, omitted, err := chart.ForReport(r)
	if err != nil {
		return err
	}
	return writeAll(dir, charts, outputs{
		json:      ReportJSON,
		md:        ReportMarkdown,
		html:      ReportHTML,
		writeJSON: func(w io.Writer) error { return report.WriteJSON(w, r) },
		writeMD: func(w io.Writer, links []string) error {
			return WriteMarkdownOptions(w, r, MarkdownOptions{ChartLinks: links, Omitted: omissionTexts(omitted)})
		},
		writeHTML: func(w io.Writer) error { return WriteHTML(w, r, charts, omitted) },
	})
}

// WriteCompareAll creates dir and writes the comparison in every format:
// compare.json, compare.md (with the charts linked), compare.html and each
// chart as NAME.svg and NAME.png.
func WriteCompareAll(dir string, c *report.Comparison) error {
	if c == nil {
		return fmt.Errorf("render: write all: nil comparison")
	}
	charts, omitted, err := chart.ForComparison(c)
	if err != nil {
		return err
	}
	return writeAll(dir, charts, outputs{
		json:      CompareJSON,
		md:        CompareMD,
		html:      CompareHTML,
		writeJSON: func(w io.Writer) error { return report.WriteCompareJSON(w, c) },
		writeMD: func(w io.Writer, links []string) error {
			var b bytes.Buffer
			if err := WriteCompareMarkdown(&b, c); err != nil {
				return err
			}
			b.WriteString(markdownChartLinks(charts, links, omitted))
			_, err := w.Write(b.Bytes())
			return err
		},
		writeHTML: func(w io.Writer) error { return WriteCompareHTML(w, c, charts, omitted) },
	})
}

// outputs are the file names and writers of one document for writeAll;
// writeMD gets the chart files to link.
type outputs struct {
	json, md, html string
	writeJSON      func(io.Writer) error
	writeMD        func(w io.Writer, links []string) error
	writeHTML      func(io.Writer) error
}

// writeAll creates dir and writes a document in every format: the JSON,
// the charts as SVG and PNG, the Markdown linking them and the HTML. The
// charts are drawn concurrently (at most GOMAXPROCS at once), beside the
// documents: rasterising them is most of the time --out takes.
func writeAll(dir string, charts []chart.Chart, o outputs) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("render: %w", err)
	}
	var links []string
	for i := range charts {
		if !validChartName(charts[i].Name) {
			return fmt.Errorf("render: chart name %q is not a file stem", charts[i].Name)
		}
		links = append(links, charts[i].Name+".png")
	}
	jobs := []func() error{
		func() error {
			if err := writeFileAtomic(dir, o.json, o.writeJSON); err != nil {
				return err
			}
			return writeFileAtomic(dir, o.md, func(w io.Writer) error { return o.writeMD(w, links) })
		},
	}
	jobs = append(jobs, chartJobs(dir, charts)...)
	if err := runJobs(jobs); err != nil {
		return err
	}
	return writeFileAtomic(dir, o.html, o.writeHTML)
}

// chartJobs returns one job per chart, writing it as NAME.svg and
// NAME.png: a chart's plot is drawn by one job only, its SVG first (kept
// for an HTML page to inline), then its PNG.
func chartJobs(dir string, charts []chart.Chart) []func() error {
	var jobs []func() error
	for i := range charts {
		c := &charts[i]
		jobs = append(jobs, func() error {
			svg, err := c.SVG()
			if err != nil {
				return err
			}
			if err := writeFileAtomic(dir, c.Name+".svg", func(w io.Writer) error {
				_, err := w.Write(svg)
				return err
			}); err != nil {
				return err
			}
			return writeFileAtomic(dir, c.Name+".png", c.WritePNG)
		})
	}
	return jobs
}

// writeChartFiles writes every chart as NAME.svg and NAME.png,
// concurrently, and returns the PNG file names, for Markdown links.
func writeChartFiles(dir string, charts []chart.Chart) ([]string, error) {
	var links []string
	for i := range charts {
		if !validChartName(charts[i].Name) {
			return nil, fmt.Errorf("render: chart name %q is not a file stem", charts[i].Name)
		}
		links = append(links, charts[i].Name+".png")
	}
	return links, runJobs(chartJobs(dir, charts))
}

// runJobs runs the jobs on at most GOMAXPROCS goroutines and returns the
// first error in job order.
func runJobs(jobs []func() error) error {
	errs := make([]error, len(jobs))
	sem := make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))
	var wg sync.WaitGroup
	for i, job := range jobs {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			errs[i] = job()
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// validChartName reports whether a chart name is a safe file stem.
func validChartName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// markdownChartLinks is a Markdown "Charts" section with one image per
// chart, titled, and a sentence per chart left out.
func markdownChartLinks(charts []chart.Chart, links []string, omitted []chart.Omission) string {
	if len(links) == 0 && len(omitted) == 0 {
		return ""
	}
	var items []string
	for i, l := range links {
		items = append(items, fmt.Sprintf("![%s](%s)", escape.Markdown(charts[i].Title), mdLink(l)))
	}
	for _, o := range omissionTexts(omitted) {
		items = append(items, escape.Markdown(o))
	}
	return "\n## Charts\n\n" + strings.Join(items, "\n\n") + "\n"
}

// writeFileAtomic writes dir/name through a temporary file in dir.
func writeFileAtomic(dir, name string, write func(io.Writer) error) error {
	f, err := os.CreateTemp(dir, "."+name+".*.tmp")
	if err != nil {
		return fmt.Errorf("render: %w", err)
	}
	tmp := f.Name()
	if err := write(f); err != nil {
		f.Close()
		os.Remove(tmp)
		if strings.HasPrefix(err.Error(), "render: ") || strings.HasPrefix(err.Error(), "chart: ") {
			return err // already says what failed
		}
		return fmt.Errorf("render: writing %s: %w", name, err)
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("render: writing %s: %w", name, err)
	}
	if err := os.Chmod(tmp, 0o644); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("render: %w", err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("render: %w", err)
	}
	return nil
}
