package report

import (
	"encoding/json"
	"fmt"
	"io"
)

// WriteJSON writes r as indented JSON with a trailing newline. The output is
// byte-deterministic: struct fields in declaration order, map keys sorted,
// floats rounded when the report was built.
func WriteJSON(w io.Writer, r *Report) error {
	return writeJSON(w, r)
}

func writeJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("report: encoding json: %w", err)
	}
	b = append(b, '\n')
	if _, err := w.Write(b); err != nil {
		return fmt.Errorf("report: writing json: %w", err)
	}
	return nil
}
