package scenarios

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	didyoumean "github.com/drsim/drsim/internal/suggest"
)

// Error is one problem in a scenario file. File is the file where the
// offending value was written (as given, or the bundled file name); Line and
// Col are 1-based and 0 when unknown; Path is the key path of the value, for
// example "outages[1].start" (array indices are 0-based), or "" for the file
// as a whole. A value given by an override on the command line has File
// naming the argument ("--set #2"), Line 0 and Col its column in the
// argument: it prints as "--set #2:13".
type Error struct {
	File      string
	Line, Col int
	Path      string
	Msg       string
}

// Error formats e as
//
//	scenarios: snowy.toml:14:3: keys.alerts.replicas: "us-west-9" is not a declared region (did you mean "us-west-2"?)
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("scenarios: ")
	b.WriteString(e.location())
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

func (e *Error) location() string {
	switch {
	case e.File == "":
		return ""
	case e.Line <= 0 && e.Col > 0:
		return fmt.Sprintf("%s:%d: ", e.File, e.Col) // an argument: no lines
	case e.Line <= 0:
		return e.File + ": "
	case e.Col <= 0:
		return fmt.Sprintf("%s:%d: ", e.File, e.Line)
	}
	return fmt.Sprintf("%s:%d:%d: ", e.File, e.Line, e.Col)
}

// ErrorList is every problem found in a scenario, sorted by file, line and
// column. It is the error type returned by Load, LoadBundled, Resolve and
// Parse for anything wrong with a scenario's content; use errors.As to tell
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

// Unwrap returns the individual errors, so that errors.As finds an *Error.
func (l ErrorList) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}

// sortErrors sorts l by file, line, column, path and message, and drops exact
// duplicates.
func sortErrors(l ErrorList) ErrorList {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i], l[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		return a.Msg < b.Msg
	})
	out := l[:0]
	for i, e := range l {
		if i > 0 && *e == *l[i-1] {
			continue
		}
		out = append(out, e)
	}
	return out
}

// A hint is a did-you-mean and, from suggestOrList, the list of candidates
// when none is close. It is computed when formatted (it is a fmt.Stringer),
// so that the errors the decoder no longer records (beyond maxErrors) cost
// nothing.
type hint struct {
	s, what    string
	candidates []string
	list       bool
}

// suggest returns a hint that formats as ` (did you mean "x"?)` when one of
// the candidates is close to s, else "". Candidates are considered in
// order; the first closest wins.
func suggest(s string, candidates []string) hint { return hint{s: s, candidates: candidates} }

// suggestOrList returns a hint that formats as a did-you-mean when a
// candidate is close to s, else "; what: a, b, c" (at most maxListed names,
// then how many more), or "" when there are no candidates.
func suggestOrList(s, what string, candidates []string) hint {
	return hint{s: s, what: what, candidates: candidates, list: true}
}

// maxListed is the most candidates a hint lists.
const maxListed = 10

func (h hint) String() string {
	if m := closestAll(h.s, h.candidates); len(m) > 0 {
		q := make([]string, len(m))
		for i, c := range m {
			q[i] = strconv.Quote(c)
		}
		if len(q) == 1 {
			return fmt.Sprintf(" (did you mean %s?)", q[0])
		}
		return fmt.Sprintf(" (did you mean %s or %s?)", strings.Join(q[:len(q)-1], ", "), q[len(q)-1])
	}
	if !h.list || len(h.candidates) == 0 {
		return ""
	}
	if n := len(h.candidates); n > maxListed {
		return fmt.Sprintf("; %s: %s, … and %d more", h.what, strings.Join(h.candidates[:maxListed], ", "), n-maxListed)
	}
	return "; " + h.what + ": " + strings.Join(h.candidates, ", ")
}

// Bounds on the work of a did-you-mean (a file may declare thousands of
// names, each of any length): no suggestion among more than
// maxSuggestCandidates candidates, and none for or of a name longer than
// maxSuggestRunes runes.
const (
	maxSuggestCandidates = 500
	maxSuggestRunes      = 64
)

// closest returns the first of closestAll, else "".
func closest(s string, candidates []string) string {
	if all := closestAll(s, candidates); len(all) > 0 {
		return all[0]
	}
	return ""
}

// closestAll returns the candidates nearest to s (all of those equally near), case-insensitively, if it is
// near enough to be a plausible typo (internal/suggest, the one did-you-mean
// of drsim, shared with the command line). It considers no more than
// maxSuggestCandidates candidates and no name longer than maxSuggestRunes.
func closestAll(s string, candidates []string) []string {
	if len(candidates) > maxSuggestCandidates || utf8.RuneCountInString(s) > maxSuggestRunes {
		return nil
	}
	short := candidates[:0:0]
	for _, c := range candidates {
		if utf8.RuneCountInString(c) <= maxSuggestRunes {
			short = append(short, c)
		}
	}
	return didyoumean.ClosestAll(s, short)
}
