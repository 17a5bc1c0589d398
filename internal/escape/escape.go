package escape

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Unsafe reports whether r must not reach a reader raw: a C0 or C1 control
// character or DEL (they start terminal escape sequences, ring bells, move
// the cursor), a Unicode bidirectional formatting character (it reorders
// the text shown, as in "Trojan Source" attacks), or a line or paragraph
// separator.
func Unsafe(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || r == '\u2028' || r == '\u2029' || r == unicode.ReplacementChar
}

// Strip removes the unsafe runes of s; a newline, carriage return or tab
// becomes a space. It is for HTML and SVG text, where the rest is escaped
// by the encoder.
func Strip(s string) string {
	if strings.IndexFunc(s, Unsafe) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			return ' '
		case Unsafe(r):
			return -1
		}
		return r
	}, s)
}

// Text escapes the unsafe runes of s as visible Go-style escapes ("\x1b",
// "\n", "\u202e"), so that a terminal shows what the string holds instead
// of obeying it. Invalid UTF-8 is shown as \ufffd.
func Text(s string) string {
	if strings.IndexFunc(s, Unsafe) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if !Unsafe(r) {
			b.WriteRune(r)
			continue
		}
		switch r {
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if r < 0x100 {
				fmt.Fprintf(&b, `\x%02x`, r)
			} else {
				fmt.Fprintf(&b, `\u%04x`, r)
			}
		}
	}
	return b.String()
}

// Quote returns s in double quotes, its unsafe runes escaped as by Text
// and its double quotes and backslashes with a backslash: %q's shape, with
// the escapes that every other output of drsim uses ("\x07", not "\a";
// "\x9b", not "\u009b").
func Quote(s string) string {
	s = strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s)
	return `"` + Text(s) + `"`
}

// Message escapes a message of one or more lines for a terminal: each line
// as by Text, the newlines between them kept. It is for error messages and
// summaries, whose lines are drsim's own; a newline inside a quoted user
// string must already be escaped by whoever quoted it (as Text or %q do).
func Message(s string) string {
	if strings.IndexFunc(s, Unsafe) < 0 {
		return s
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = Text(l)
	}
	return strings.Join(lines, "\n")
}

// markdownSpecial are the characters that start Markdown (CommonMark and
// GitHub Flavored Markdown) syntax inside a line: emphasis, code, links
// and images (with [ and ] escaped, "(" cannot follow a link text and "!"
// cannot start an image), autolinks and raw HTML, table cells,
// strikethrough.
const markdownSpecial = "\\`*_[]<>&|~"

// Markdown escapes s to be shown as text inside a Markdown line or table
// cell: HTML syntax (<, >, &) becomes entities, the other Markdown
// punctuation is backslash-escaped, so that no user string can open a
// link, an image, an autolink (javascript:), raw HTML (<script>, <img
// onerror>) or a table cell. Unsafe runes are escaped as by Text (a
// newline would end the line or the table row).
func Markdown(s string) string {
	s = Text(s)
	if !strings.ContainsAny(s, markdownSpecial) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '&':
			b.WriteString("&amp;")
		case strings.ContainsRune(markdownSpecial, r):
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// JSON rewrites, in a JSON document, the unsafe runes that encoding/json
// writes raw (DEL, the C1 controls such as U+009B, the bidirectional
// formatting characters such as U+202E) as \uXXXX escapes, as it writes
// the C0 controls: the decoded document is the same, and a terminal that
// shows it obeys none of them. They can only be inside strings: JSON's
// syntax has none of them.
func JSON(doc []byte) []byte {
	unsafe := func(r rune) bool { return r >= 0x7f && Unsafe(r) }
	if !bytes.ContainsFunc(doc, unsafe) {
		return doc
	}
	var out bytes.Buffer
	for len(doc) > 0 {
		r, n := utf8.DecodeRune(doc)
		if unsafe(r) {
			fmt.Fprintf(&out, `\u%04x`, r)
		} else {
			out.Write(doc[:n])
		}
		doc = doc[n:]
	}
	return out.Bytes()
}
