// Package render writes a result document (report.Report) or comparison
// (report.Comparison) for people: aligned text for a terminal, Markdown
// for a pull request (the RTO and RPO distributions inline as Mermaid
// xychart-beta charts, which GitHub renders), and one self-contained HTML
// page (inline CSS and SVG, no script, a Content Security Policy that
// forbids any external resource, print styles; tables and charts as wide
// as the page at 1280 pixels, an interval under its value). WriteAll and
// WriteCompareAll write every format and chart into a directory, the
// Markdown there also linking the chart PNGs. The what-if documents
// (report.Sweep, report.Sensitivity) have text and Markdown writers, and
// WriteSweepAll and WriteSensitivityAll write their JSON, Markdown and
// charts into a directory. Nothing is re-simulated:
// every format renders the document, and the JSON (package report) is the
// canonical one.
//
// Every format names the same things the same way (kmsFailuresHeading,
// rows.go) and says when a value is the representative trial's.
//
// # Strings from the scenario
//
// Names and descriptions are written as the scenario gave them, which may
// be hostile: text escapes control characters and escape sequences
// (escape.Text) so that a terminal shows them instead of obeying them;
// Markdown escapes HTML and link syntax (escape.Markdown); HTML strips
// control characters and html/template escapes the rest. TestHostileStrings
// feeds such names through every format.
//
// # Hand-written pieces
//
// HTML uses html/template (contextual escaping); the page's templates and
// style sheet are embedded. The text and Markdown tables are hand-written:
// a few lines of column alignment, where text/tabwriter cannot
// right-align numbers and counts bytes rather than characters. The
// Mermaid charts are a few lines of text; no Go library writes them.
package render
