// Package render writes a result document (report.Report) or comparison
// (report.Comparison) for people: aligned text for a terminal, Markdown for
// a pull request, and one self-contained HTML page (inline CSS and SVG, no
// script, a Content Security Policy that forbids any external resource,
// print styles). WriteAll and WriteCompareAll write every format and chart
// into a directory. Nothing is re-simulated: every format renders the
// document, and the JSON (package report) is the canonical one.
//
// HTML uses html/template (contextual escaping); the page's templates and
// style sheet are embedded. The text and Markdown tables are hand-written:
// a few lines of column alignment, where text/tabwriter cannot right-align
// numbers and counts bytes rather than characters.
package render
