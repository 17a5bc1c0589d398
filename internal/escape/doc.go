// Package escape makes strings that come from a user's files (a scenario's
// names and descriptions, the bucket names and addresses of an imported
// setup, which error messages and results quote as they were written) safe
// to show in each output format: a terminal (control characters, ANSI and
// OSC escape sequences), Markdown (HTML and link syntax) and HTML or SVG
// (control characters, which html/template does not remove and XML
// forbids). The report renders its formats with it; cmd/drsim escapes
// every error message and import summary it prints with Message.
//
// It is hand-written: html/template and encoding/json escape for their
// own formats, but neither the standard library nor a maintained module
// escapes a string for a terminal or for inline Markdown, and the rules
// fit in a page.
package escape
