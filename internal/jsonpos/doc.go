// Package jsonpos turns the byte offsets of encoding/json errors into 1-based
// line and column numbers, so that every decoder of drsim's importers can
// report malformed JSON as file:line:col. It is the standard library's JSON
// with positions added; no JSON library in use keeps positions of values.
// Locate finds the position of a value by its path, for a decoder that
// checks values after decoding them into Go values.
package jsonpos
