package scenarios

import (
	"strconv"
	"strings"
)

// BurntSushi/toml's time and memory grow with the square of the nesting
// depth: a 40 KB file of [costs.a.a.a.…] took 2.1 s and 920 MB, 1 MiB of
// nested inline tables ran out of memory. So a file's text is scanned once
// before it is decoded, and rejected at the first limit it exceeds (file
// size, nesting depth, array items, keys). The scan is a lenient one-pass
// lexer written for this purpose (no TOML library exposes such counts
// before doing the quadratic work): it follows strings, comments, table
// headers, dotted keys, arrays and inline tables, and where the text is not
// valid TOML it skips to the next line and goes on, leaving the syntax error
// to the decoder, which stops at the first one. Its cost is linear in the
// file's size, and it recurses at most MaxDepth deep.

// scanLimits returns the first limit that the text of file exceeds, as an
// *Error positioned where the text goes over it, or nil.
func scanLimits(file string, src string) *Error {
	if len(src) > MaxFileSize {
		return limitError(file, src, MaxFileSize, limitErr("file size", "the file is larger than 1 MiB"))
	}
	s := &limitScanner{cursor: cursor{src: src}, arrays: map[string]int{}}
	s.document()
	if s.msg == "" {
		return nil
	}
	return limitError(file, src, s.errOff, s.msg)
}

// limitError positions msg at byte offset off of src.
func limitError(file, src string, off int, msg string) *Error {
	p := posAt(file, src, off)
	return &Error{File: file, Line: p.Line, Col: p.Col, Msg: msg}
}

type limitScanner struct {
	cursor
	keys   int
	arrays map[string]int // array-of-tables path → elements so far
	// the deepest nesting and the most items of one array seen so far
	maxDepth, maxItems int
	// the first limit exceeded, at errOff
	msg    string
	errOff int
}

// depthAt records that the text nests depth deep at off, and reports
// whether that is within MaxDepth.
func (s *limitScanner) depthAt(depth, off int) bool {
	s.maxDepth = max(s.maxDepth, depth)
	if depth > MaxDepth {
		s.fail(off, limitErr("nesting depth", "nested more than 32 levels deep"))
		return false
	}
	return true
}

// itemsAt records that an array has n items at off, and reports whether
// that is within MaxArrayItems.
func (s *limitScanner) itemsAt(n, off int, what string) bool {
	s.maxItems = max(s.maxItems, n)
	if n > MaxArrayItems {
		s.fail(off, limitErr("array items", "more than 10,000 %s", what))
		return false
	}
	return true
}

func (s *limitScanner) fail(off int, msg string) {
	if s.msg == "" {
		s.msg, s.errOff = msg, off
	}
}

func (s *limitScanner) countKey(off int) {
	s.keys++
	if s.keys > MaxKeys {
		s.fail(off, limitErr("keys", "more than 50,000 keys and table headers"))
	}
}

func (s *limitScanner) document() {
	if strings.HasPrefix(s.src, "\ufeff") {
		s.off = len("\ufeff")
	}
	depth := 0 // of the current table
	for s.msg == "" {
		s.skipAll()
		if s.eof() {
			return
		}
		start := s.off
		if s.peek() == '[' {
			if d, ok := s.header(); ok {
				depth = d
			}
		} else {
			s.keyValue(depth)
		}
		if s.msg != "" {
			return
		}
		// The rest of the line is a comment or an error for the decoder.
		s.skipLine()
		if s.off <= start {
			return // cannot happen; guards against a stuck loop
		}
	}
}

// header scans [a.b] or [[a.b]] and returns the depth of the table: its
// segments plus one for each array of tables on its path (itself
// included), as in outages[1].phases[0].
func (s *limitScanner) header() (int, bool) {
	start := s.off
	array := strings.HasPrefix(s.src[s.off:], "[[")
	if array {
		s.off += 2
	} else {
		s.off++
	}
	s.countKey(start)
	// key checks the depth of the segments alone; the array levels are
	// added below
	segs, ok := s.key(0)
	if !ok {
		return 0, false
	}
	// the path through the last element of each enclosing array of tables
	var path strings.Builder
	depth := len(segs)
	for i, seg := range segs {
		if i > 0 {
			path.WriteByte('.')
		}
		path.WriteString(strconv.Quote(seg))
		if n, isArray := s.arrays[path.String()]; isArray && i < len(segs)-1 {
			path.WriteString("[" + strconv.Itoa(n-1) + "]")
			depth++
		}
	}
	if array {
		depth++
	}
	if !s.depthAt(depth, start) {
		return 0, false
	}
	if array {
		p := path.String()
		s.arrays[p]++
		if !s.itemsAt(s.arrays[p], start, "[["+strings.Join(segs, ".")+"]] tables") {
			return 0, false
		}
	}
	return depth, true
}

// key scans a possibly dotted key whose first segment is at depth base+1,
// and returns its segments (unquoted when they are basic strings).
func (s *limitScanner) key(base int) ([]string, bool) {
	var segs []string
	for {
		s.skipWS()
		if s.eof() {
			return nil, false
		}
		start := s.off
		var seg string
		switch c := s.src[s.off]; c {
		case '"':
			end := s.stringEnd(s.off+1, '"', true)
			if end < 0 {
				return nil, false
			}
			seg = unquoteBasic(s.src[s.off : end+1])
			s.off = end + 1
		case '\'':
			end := s.stringEnd(s.off+1, '\'', false)
			if end < 0 {
				return nil, false
			}
			seg = s.src[s.off+1 : end]
			s.off = end + 1
		default:
			i := s.off
			for i < len(s.src) && !strings.ContainsRune(" \t\r\n.=[]{},#\"'", rune(s.src[i])) {
				i++
			}
			if i == s.off {
				return nil, false
			}
			seg = s.src[s.off:i]
			s.off = i
		}
		segs = append(segs, seg)
		if !s.depthAt(base+len(segs), start) {
			return nil, false
		}
		s.skipWS()
		if s.peek() != '.' {
			return segs, true
		}
		s.off++
	}
}

// stringEnd returns the offset of the quote closing a one-line string whose
// content starts at i, or -1.
func (s *limitScanner) stringEnd(i int, quote byte, escapes bool) int {
	for i < len(s.src) {
		switch c := s.src[i]; {
		case c == '\\' && escapes:
			i += 2
			continue
		case c == quote:
			return i
		case c == '\n':
			return -1
		}
		i++
	}
	return -1
}

// keyValue scans key = value in a table at depth.
func (s *limitScanner) keyValue(depth int) {
	start := s.off
	segs, ok := s.key(depth)
	if !ok {
		return
	}
	s.countKey(start)
	s.skipWS()
	if s.peek() != '=' {
		return
	}
	s.off++
	s.skipWS()
	s.value(depth + len(segs))
}

// value scans one value whose key is at depth.
func (s *limitScanner) value(depth int) {
	rest := s.src[s.off:]
	switch {
	case s.skipMultiline():
	case strings.HasPrefix(rest, `"`), strings.HasPrefix(rest, "'"):
		if end := s.stringEnd(s.off+1, rest[0], rest[0] == '"'); end >= 0 {
			s.off = end + 1
		} else {
			s.skipLine()
		}
	case strings.HasPrefix(rest, "["):
		if !s.depthAt(depth+1, s.off) {
			return
		}
		s.off++
		for n := 1; s.msg == ""; n++ {
			s.skipAll()
			if s.eof() {
				return
			}
			if s.peek() == ']' {
				s.off++
				return
			}
			if !s.itemsAt(n, s.off, "items in one array") {
				return
			}
			before := s.off
			s.value(depth + 1)
			s.skipAll()
			switch s.peek() {
			case ',':
				s.off++
			case ']':
				s.off++
				return
			default:
				if s.off == before {
					s.skipLine() // not a value: the decoder reports it
				}
				return
			}
		}
	case strings.HasPrefix(rest, "{"):
		s.off++
		for s.msg == "" {
			s.skipAll()
			if s.eof() {
				return
			}
			if s.peek() == '}' {
				s.off++
				return
			}
			before := s.off
			s.keyValue(depth)
			s.skipAll()
			switch s.peek() {
			case ',':
				s.off++
			case '}':
				s.off++
				return
			default:
				if s.off == before {
					s.skipLine()
				}
				return
			}
		}
	default:
		// a number, boolean or date: up to the next delimiter
		i := s.off
		for i < len(s.src) && !strings.ContainsRune(",]}\r\n#", rune(s.src[i])) {
			i++
		}
		s.off = i
	}
}
