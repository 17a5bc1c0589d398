package cloudformation

// goccy/go-yaml's time and memory grow with the square of the nesting
// depth of flow collections and compact sequences: 100 KB of [[[…]]] took
// 6.4 s and 3.8 GB, 300 KB ran out of memory, 60 KB of "- - - …" took
// 15 s and 5.5 GB. The builder's depth limit (maxDepth) comes only after
// the library has parsed. So a template's text is scanned once before it is
// parsed, and refused at the first place it nests more than maxDepth levels
// deep.
//
// The scan is a lenient one-pass lexer written for this purpose (no YAML
// library reports depth before doing the quadratic work): it follows block
// indentation, compact sequence entries ("- - x"), flow collections ([ and
// {, in YAML and JSON alike), quoted scalars (also over several lines),
// comments and block scalars (| and >, whose content it skips). It counts
// depth the way the builder does or less (a mapping's value on the same
// line is not counted), so that it never refuses a template the builder
// would take; where the text is not valid YAML it goes on, leaving the
// syntax error to the library. Its cost is linear in the text's size and
// it does not recurse.

// scanDepth returns the 1-based line and column of the first place data
// nests more than max levels deep, and ok false there; ok true when it
// never does.
func scanDepth(data []byte, max int) (line, col int, ok bool) {
	s := &depthScanner{src: data, max: max, scalarParent: -2}
	for s.off < len(s.src) && s.failLine == 0 {
		s.scanLine()
	}
	if s.failLine != 0 {
		return s.failLine, s.failCol, false
	}
	return 0, 0, true
}

type depthScanner struct {
	src []byte
	off int // start of the current line
	max int

	line    int   // 0-based number of the current line
	indents []int // the indentation of the enclosing block nodes
	flow    int   // the depth of open [ and {
	quote   byte  // the open quote of a scalar that goes on to the next line, or 0
	// scalarParent is the column of the key or "-" a block scalar belongs
	// to while its content lines are skipped; -2 when none.
	scalarParent int

	failLine, failCol int
}

// scanLine scans the line starting at s.off and moves to the next.
func (s *depthScanner) scanLine() {
	end := s.off
	for end < len(s.src) && s.src[end] != '\n' {
		end++
	}
	l := s.src[s.off:end]
	defer func() {
		s.off = end + 1
		s.line++
	}()
	indent := 0
	for indent < len(l) && l[indent] == ' ' {
		indent++
	}
	blank := indent == len(l) || l[indent] == '\r' || l[indent] == '#' || l[indent] == '\t' && onlySpace(l[indent:])
	if s.scalarParent != -2 {
		if blank || indent > s.scalarParent {
			return // a block scalar's content
		}
		s.scalarParent = -2
	}
	i := 0
	if s.quote == 0 && s.flow == 0 {
		if blank {
			return
		}
		if indent == 0 && (hasPrefix(l, "---") || hasPrefix(l, "...")) {
			s.indents = s.indents[:0] // a new document
		}
		for len(s.indents) > 0 && s.indents[len(s.indents)-1] >= indent {
			s.indents = s.indents[:len(s.indents)-1]
		}
		s.indents = append(s.indents, indent)
		if !s.within(indent) {
			return
		}
		i = indent
	}
	s.scanFrom(l, i, indent)
}

func onlySpace(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' && c != '\r' {
			return false
		}
	}
	return true
}

func hasPrefix(b []byte, p string) bool { return len(b) >= len(p) && string(b[:len(p)]) == p }

// within reports whether the depth at column col of the current line,
// with extra compact levels, is within the limit, and records the first
// place it is not.
func (s *depthScanner) within(col int, extra ...int) bool {
	depth := len(s.indents) + s.flow
	for _, e := range extra {
		depth += e
	}
	if depth > s.max && s.failLine == 0 {
		s.failLine, s.failCol = s.line+1, col+1
	}
	return s.failLine == 0
}

// scanFrom scans line l from byte i; indent is its indentation.
func (s *depthScanner) scanFrom(l []byte, i, indent int) {
	extra := 0        // compact block levels opened on this line ("- - x")
	nodeStart := true // at a place where a block node may start
	parent := indent  // the column of the key or "-" the next node belongs to
	for i < len(l) && s.failLine == 0 {
		if s.quote != 0 {
			i = s.skipQuoted(l, i)
			continue
		}
		c := l[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r':
			i++
		case c == '#' && (i == 0 || l[i-1] == ' ' || l[i-1] == '\t'):
			return // a comment
		case c == '"' || c == '\'':
			s.quote = c
			i = s.skipQuoted(l, i+1)
			nodeStart = false
		case c == '[' || c == '{':
			s.flow++
			if !s.within(i, extra) {
				return
			}
			i++
		case s.flow > 0 && (c == ']' || c == '}'):
			s.flow--
			i++
		case s.flow > 0:
			i++ // a plain scalar or an indicator of a flow collection
		case nodeStart && (c == '-' || c == '?') && (i+1 == len(l) || l[i+1] == ' ' || l[i+1] == '\t' || l[i+1] == '\r'):
			extra++
			parent = i
			if !s.within(i, extra) {
				return
			}
			i++
		case nodeStart && (c == '!' || c == '&'):
			for i < len(l) && l[i] != ' ' && l[i] != '\t' {
				i++
			}
		case nodeStart && (c == '|' || c == '>'):
			s.scalarParent = parent
			return
		default:
			// A plain scalar, up to ": " (a key: a node may follow) or
			// " #" (a comment) or the line's end; in block context a
			// [ or { inside it is text.
			start := i
			for i < len(l) {
				if l[i] == ':' && (i+1 == len(l) || l[i+1] == ' ' || l[i+1] == '\t' || l[i+1] == '\r') {
					break
				}
				if l[i] == '#' && i > start && (l[i-1] == ' ' || l[i-1] == '\t') {
					return
				}
				i++
			}
			if i < len(l) {
				parent = start
				nodeStart = true
				i++
				continue
			}
			nodeStart = false
		}
	}
}

// skipQuoted skips a quoted scalar's text from l[i] up to and past its
// closing quote s.quote, and returns the index after it; at the line's end
// the scalar goes on to the next line.
func (s *depthScanner) skipQuoted(l []byte, i int) int {
	for i < len(l) {
		switch c := l[i]; {
		case s.quote == '"' && c == '\\':
			i += 2
		case c == s.quote && s.quote == '\'' && i+1 < len(l) && l[i+1] == '\'':
			i += 2
		case c == s.quote:
			s.quote = 0
			return i + 1
		default:
			i++
		}
	}
	return len(l)
}
