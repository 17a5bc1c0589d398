package scenarios

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/drsim/drsim/model"
)

// BurntSushi/toml keeps key positions private, so this file scans the raw
// TOML text once more, leniently, to map every key path to where it was
// written. Syntax errors are left to the TOML decoder: the scanner simply
// stops where it cannot follow.

// A key path is rendered like "keys.alerts.replicas", "outages[1].start" or
// `prices."odd.key"`: table keys joined by dots (quoted when not bare) and
// 0-based array indices in brackets.

var bareKey = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// keyPath returns the path of key in the table at parent.
func keyPath(parent, key string) string {
	seg := key
	if !bareKey.MatchString(key) {
		seg = strconv.Quote(key)
	}
	if parent == "" {
		return seg
	}
	return parent + "." + seg
}

// elemPath returns the path of element i of the array at parent.
func elemPath(parent string, i int) string {
	return parent + "[" + strconv.Itoa(i) + "]"
}

// within reports whether path p is prefix or below it.
func within(p, prefix string) bool {
	if !strings.HasPrefix(p, prefix) {
		return false
	}
	rest := p[len(prefix):]
	return rest == "" || rest[0] == '.' || rest[0] == '['
}

// Pos is where a value was written.
type Pos struct {
	File      string
	Line, Col int
}

type posEntry struct {
	Pos
	table bool // the path is a table (header, implicit, dotted prefix, inline)
}

// posIndex maps key paths to positions.
type posIndex map[string]posEntry

type scanner struct {
	cursor
	file       string
	lineStarts []int
	idx        posIndex
	arrays     map[string]int // array-of-tables path -> number of elements so far
	depth      int
	// the last position computed, so that the columns of many values on
	// one long line are counted once, not from the line start each time
	lastLine, lastOff, lastCol int
}

// scanPositions returns the position index of a TOML document.
func scanPositions(file, src string) posIndex {
	s := &scanner{cursor: cursor{src: src}, file: file, idx: posIndex{}, arrays: map[string]int{}}
	s.lineStarts = append(s.lineStarts, 0)
	for i := 0; i < len(src); i++ {
		if src[i] == '\n' {
			s.lineStarts = append(s.lineStarts, i+1)
		}
	}
	s.document()
	return s.idx
}

// posAt returns the position of byte offset off in src.
func posAt(file, src string, off int) Pos {
	s := &scanner{cursor: cursor{src: src}, file: file}
	s.lineStarts = append(s.lineStarts, 0)
	for i := 0; i < len(src) && i < off; i++ {
		if src[i] == '\n' {
			s.lineStarts = append(s.lineStarts, i+1)
		}
	}
	return s.pos(off)
}

func (s *scanner) pos(off int) Pos {
	// binary search for the line
	lo, hi := 0, len(s.lineStarts)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if s.lineStarts[mid] <= off {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	start := s.lineStarts[lo]
	if lo == 0 && strings.HasPrefix(s.src, "\ufeff") && off >= len("\ufeff") {
		start = len("\ufeff") // editors do not count the byte order mark
	}
	if off > len(s.src) {
		off = len(s.src)
	}
	col := 1
	if s.lastLine == lo+1 && s.lastOff >= start && s.lastOff <= off {
		col, start = s.lastCol, s.lastOff
	}
	col += utf8.RuneCountInString(s.src[start:off])
	s.lastLine, s.lastOff, s.lastCol = lo+1, off, col
	return Pos{File: s.file, Line: lo + 1, Col: col}
}

func (s *scanner) record(path string, off int, table bool) {
	if e, ok := s.idx[path]; ok {
		if table && !e.table {
			e.table = true
			s.idx[path] = e
		}
		return
	}
	s.idx[path] = posEntry{Pos: s.pos(off), table: table}
}

func (s *scanner) document() {
	current := ""
	if strings.HasPrefix(s.src, "\ufeff") { // byte order mark
		s.off = len("\ufeff")
	}
	for {
		s.skipAll()
		if s.eof() {
			return
		}
		start := s.off
		if s.peek() == '[' {
			if p, ok := s.header(); ok {
				current = p
			}
		} else {
			s.keyValue(current)
		}
		s.skipLine()
		if s.off <= start { // cannot happen; guards against a stuck loop
			return
		}
	}
}

// header scans [a.b] or [[a.b]] and returns the resolved table path.
func (s *scanner) header() (string, bool) {
	array := strings.HasPrefix(s.src[s.off:], "[[")
	if array {
		s.off += 2
	} else {
		s.off++
	}
	segs, offs, ok := s.key()
	if !ok {
		return "", false
	}
	s.skipWS()
	closing := "]"
	if array {
		closing = "]]"
	}
	if !strings.HasPrefix(s.src[s.off:], closing) {
		return "", false
	}
	s.off += len(closing)
	path := ""
	for i, seg := range segs {
		path = keyPath(path, seg)
		last := i == len(segs)-1
		if _, isArray := s.arrays[path]; !isArray && (!last || !array) {
			s.record(path, offs[i], true)
		}
		if n, ok := s.arrays[path]; ok && !last {
			path = elemPath(path, n-1)
		}
		if last && array {
			n := s.arrays[path]
			s.arrays[path] = n + 1
			s.record(path, offs[i], false)
			path = elemPath(path, n)
			s.record(path, offs[i], true)
		}
	}
	return path, true
}

// key scans a possibly dotted key.
func (s *scanner) key() (segs []string, offs []int, ok bool) {
	for {
		s.skipWS()
		if s.eof() {
			return nil, nil, false
		}
		start := s.off
		var seg string
		switch c := s.src[s.off]; {
		case c == '"':
			end := s.basicStringEnd(s.off + 1)
			if end < 0 {
				return nil, nil, false
			}
			raw := s.src[s.off : end+1]
			seg = unquoteBasic(raw)
			s.off = end + 1
		case c == '\'':
			end := strings.IndexByte(s.src[s.off+1:], '\'')
			if end < 0 {
				return nil, nil, false
			}
			seg = s.src[s.off+1 : s.off+1+end]
			s.off += end + 2
		default:
			i := s.off
			for i < len(s.src) && isBareKeyChar(s.src[i]) {
				i++
			}
			if i == s.off {
				return nil, nil, false
			}
			seg = s.src[s.off:i]
			s.off = i
		}
		segs = append(segs, seg)
		offs = append(offs, start)
		s.skipWS()
		if s.peek() != '.' {
			return segs, offs, true
		}
		s.off++
	}
}

func isBareKeyChar(c byte) bool {
	return c == '_' || c == '-' || isDigit(c) || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

// basicStringEnd returns the offset of the closing quote of a one-line
// basic string whose content starts at i, or -1.
func (s *scanner) basicStringEnd(i int) int {
	for i < len(s.src) {
		switch s.src[i] {
		case '\\':
			i += 2
			continue
		case '"':
			return i
		case '\n':
			return -1
		}
		i++
	}
	return -1
}

func unquoteBasic(raw string) string {
	if u, err := strconv.Unquote(raw); err == nil {
		return u
	}
	return raw[1 : len(raw)-1]
}

// keyValue scans key = value in the table at base.
func (s *scanner) keyValue(base string) {
	segs, offs, ok := s.key()
	if !ok {
		return
	}
	path := base
	for i, seg := range segs {
		path = keyPath(path, seg)
		s.record(path, offs[i], i < len(segs)-1)
	}
	s.skipWS()
	if s.peek() != '=' {
		return
	}
	s.off++
	s.skipWS()
	s.value(path)
}

// value scans one value at path and reports whether it was an inline table.
func (s *scanner) value(path string) {
	if s.depth > 200 {
		s.off = len(s.src)
		return
	}
	s.depth++
	defer func() { s.depth-- }()
	rest := s.src[s.off:]
	switch {
	case s.skipMultiline():
	case strings.HasPrefix(rest, `"`):
		if end := s.basicStringEnd(s.off + 1); end >= 0 {
			s.off = end + 1
		} else {
			s.off = len(s.src)
		}
	case strings.HasPrefix(rest, "'"):
		if i := strings.IndexAny(rest[1:], "'\n"); i >= 0 {
			s.off += i + 2
		} else {
			s.off = len(s.src)
		}
	case strings.HasPrefix(rest, "["):
		s.items(']', func(i int) {
			elem := elemPath(path, i)
			s.record(elem, s.off, s.peek() == '{')
			s.value(elem)
		})
	case strings.HasPrefix(rest, "{"):
		if e, ok := s.idx[path]; ok && !e.table {
			e.table = true
			s.idx[path] = e
		}
		s.items('}', func(int) { s.keyValue(path) })
	default:
		i := s.off
		for i < len(s.src) && !strings.ContainsRune(" \t\r\n,]}#", rune(s.src[i])) {
			i++
		}
		s.off = i
	}
}

// items scans the comma-separated items of an inline array or table, from
// its opening bracket (at s.off) to close, calling item for the i-th item
// with s.off at its start. It stops at the end of the text, and where an
// item is followed by neither "," nor close (at the end of the text when
// the item consumed nothing, so that the scan always moves on).
func (s *scanner) items(close byte, item func(i int)) {
	s.off++
	for i := 0; ; i++ {
		s.skipAll()
		if s.eof() {
			return
		}
		if s.peek() == close {
			s.off++
			return
		}
		before := s.off
		item(i)
		s.skipAll()
		switch s.peek() {
		case ',':
			s.off++
		case close:
			s.off++
			return
		default:
			if s.off == before {
				s.off = len(s.src)
			}
			return
		}
	}
}

// locator is the model.Locator of a loaded scenario: its merged position
// index (each entry names the file of the extends chain it was written in)
// and the top file. It is read-only once the scenario is loaded.
type locator struct {
	top string
	idx posIndex
}

// Locate returns where the value at path was written, or where its nearest
// enclosing written table was (a default points at its table header), and
// whether path itself was written.
func (l locator) Locate(path string) (model.Position, bool) {
	p := l.idx.lookup(l.top, path)
	_, written := l.idx[path]
	return model.Position{File: p.File, Line: p.Line, Col: p.Col}, written
}
