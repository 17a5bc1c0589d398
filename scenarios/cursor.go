package scenarios

import "strings"

// cursor is a read position in a TOML text, with the moves the two
// pre-decode scanners share (limitScanner for the input limits, scanner for
// the key positions): each walks the raw text itself because it must run
// before, or beside, the decoder, which gives neither.
type cursor struct {
	src string
	off int
}

func (c *cursor) eof() bool { return c.off >= len(c.src) }

func (c *cursor) peek() byte {
	if c.eof() {
		return 0
	}
	return c.src[c.off]
}

func (c *cursor) skipWS() {
	for !c.eof() && (c.src[c.off] == ' ' || c.src[c.off] == '\t') {
		c.off++
	}
}

// skipAll skips whitespace, newlines and comments.
func (c *cursor) skipAll() {
	for !c.eof() {
		switch c.src[c.off] {
		case ' ', '\t', '\r', '\n':
			c.off++
		case '#':
			c.skipLine()
		default:
			return
		}
	}
}

// skipLine moves past the next newline.
func (c *cursor) skipLine() {
	if i := strings.IndexByte(c.src[c.off:], '\n'); i >= 0 {
		c.off += i + 1
	} else {
		c.off = len(c.src)
	}
}

// skipMultiline moves past a multi-line string that starts at c.off (three
// double or three single quotes, with the quotes TOML allows before the
// closing delimiter) and reports whether there was one. An unclosed string
// runs to the end.
func (c *cursor) skipMultiline() bool {
	rest := c.src[c.off:]
	switch {
	case strings.HasPrefix(rest, `"""`):
		c.off += 3
		for !c.eof() {
			if c.src[c.off] == '\\' {
				c.off += 2
				continue
			}
			if strings.HasPrefix(c.src[c.off:], `"""`) {
				c.off += 3
				for c.peek() == '"' {
					c.off++
				}
				return true
			}
			c.off++
		}
		c.off = min(c.off, len(c.src))
	case strings.HasPrefix(rest, "'''"):
		if i := strings.Index(rest[3:], "'''"); i >= 0 {
			c.off += 3 + i + 3
			for c.peek() == '\'' {
				c.off++
			}
		} else {
			c.off = len(c.src)
		}
	default:
		return false
	}
	return true
}
