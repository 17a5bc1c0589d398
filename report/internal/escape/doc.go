// Package escape makes the strings of a scenario (names, descriptions,
// outage and step names, which the result document carries as they were
// written) safe to show in each output format: a terminal (control
// characters, ANSI and OSC escape sequences), Markdown (HTML and link
// syntax) and HTML or SVG (control characters, which html/template does
// not remove and XML forbids).
//
// It is hand-written: html/template and encoding/json escape for their
// own formats, but neither the standard library nor a maintained module
// escapes a string for a terminal or for inline Markdown, and the rules
// fit in a page.
package escape
