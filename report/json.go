package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/drsim/drsim/internal/escape"
)

// WriteJSON writes r as indented JSON with a trailing newline. The output is
// byte-deterministic: struct fields in declaration order, map keys sorted,
// floats rounded when the report was built. Strings are written as they
// are (JSON escapes control characters).
func WriteJSON(w io.Writer, r *Report) error {
	return writeJSON(w, r)
}

// writeJSON writes v as indented JSON. <, > and & are written as they
// are, not as \u003c etc.: the document is never embedded in a script.
// The runes a terminal could obey that encoding/json leaves raw (DEL, the
// C1 controls, the bidirectional formatting characters) are written as
// \u escapes: the decoded document is the same.
func writeJSON(w io.Writer, v any) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil { // Encode ends with a newline
		return fmt.Errorf("report: encoding json: %w", err)
	}
	if _, err := w.Write(escape.JSON(b.Bytes())); err != nil {
		return fmt.Errorf("report: writing json: %w", err)
	}
	return nil
}
