package importer

import (
	"fmt"
	"strings"
)

// Error is a problem with an input file: where (1-based line and column, 0
// when unknown), the element concerned (a resource address, a logical ID
// and property path, a JSON path) and what is wrong.
type Error struct {
	File      string
	Line, Col int
	Path      string
	Msg       string
}

// Error formats e as
//
//	importer: east.yaml:12:7: Resources.Bucket.Properties.BucketEncryption: ...
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("importer: ")
	switch {
	case e.File == "":
	case e.Line <= 0:
		b.WriteString(e.File + ": ")
	case e.Col <= 0:
		fmt.Fprintf(&b, "%s:%d: ", e.File, e.Line)
	default:
		fmt.Fprintf(&b, "%s:%d:%d: ", e.File, e.Line, e.Col)
	}
	if e.Path != "" {
		b.WriteString(e.Path + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// ErrorList is every problem found in the inputs of one import, in the
// order found. The decoders return it for bad input; use errors.As to tell
// it from an I/O error.
type ErrorList []*Error

// Error prints one error per line.
func (l ErrorList) Error() string {
	lines := make([]string, len(l))
	for i, e := range l {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Err returns l as an error, or nil when it is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}
