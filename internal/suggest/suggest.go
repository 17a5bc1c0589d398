package suggest

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// Distance returns the Damerau–Levenshtein distance between a and b, over
// runes: the least number of insertions, deletions, substitutions and
// transpositions of two adjacent runes that turn a into b (Lowrance and
// Wagner 1975; unlike the restricted "optimal string alignment" variant,
// transposed runes may be edited again, so it is a metric). The comparison
// is exact; Closest compares case-insensitively.
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	n, m := len(ra), len(rb)
	if n == 0 || m == 0 {
		return n + m
	}
	inf := n + m
	// d has a border row and column of inf: d[i+1][j+1] is the distance
	// between ra[:i] and rb[:j].
	w := m + 2
	d := make([]int, (n+2)*w)
	at := func(i, j int) *int { return &d[i*w+j] }
	*at(0, 0) = inf
	for i := 0; i <= n; i++ {
		*at(i+1, 0) = inf
		*at(i+1, 1) = i
	}
	for j := 0; j <= m; j++ {
		*at(0, j+1) = inf
		*at(1, j+1) = j
	}
	lastRow := map[rune]int{} // the last row (1-based) where a rune of a was seen
	for i := 1; i <= n; i++ {
		lastCol := 0 // the last column (1-based) in this row where rb matched ra[i-1]
		for j := 1; j <= m; j++ {
			i1 := lastRow[rb[j-1]]
			j1 := lastCol
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
				lastCol = j
			}
			*at(i+1, j+1) = min(
				*at(i, j)+cost, // substitution or match
				*at(i+1, j)+1,  // insertion
				*at(i, j+1)+1,  // deletion
				*at(i1, j1)+(i-i1-1)+1+(j-j1-1), // transposition
			)
		}
		lastRow[ra[i-1]] = i
	}
	return *at(n+1, m+1)
}

// Limit returns the largest distance at which a candidate is still offered,
// for names whose shorter one has n runes and which share their first
// prefix runes: a quarter of the length, at least 1; a third when they share
// at least the first half. Two edits in an 8-letter name are a plausible
// typo, three edits in a 10-letter name make another word ("promote-key",
// "rotate-key") unless the names agree up to the edits ("pilot-lite",
// "pilot-light"): people mistype the start of a name less often than the
// rest (Winkler, "String Comparator Metrics and Enhanced Decision Rules in
// the Fellegi-Sunter Model of Record Linkage", 1990).
func Limit(n, prefix int) int {
	if 2*prefix >= n && n > 0 {
		return max(1, n/3)
	}
	return max(1, n/4)
}

// Closest returns the candidate nearest to s, case-insensitively, when it
// is near enough to be a plausible typo of s, else "". A candidate equal to
// s is skipped (s is not a typo of itself). Among equally near candidates
// the first wins, so callers pass them in a stable order.
//
// A candidate is near enough when its distance to s is at most
// Limit(shorter length, shared prefix), or, when one name is a prefix of the other and the
// shorter has at least 3 runes ("rep" for "replicas"), at most their
// difference in length. It is never near when the distance reaches the
// length of the longer name: the two have nothing in common.
func Closest(s string, candidates []string) string {
	if all := ClosestAll(s, candidates); len(all) > 0 {
		return all[0]
	}
	return ""
}

// ClosestAll returns every candidate at the smallest distance from s among
// those Closest would consider (near enough to be a plausible typo), in
// candidate order, or nil: "st" is as close to "s3" as to "sts".
func ClosestAll(s string, candidates []string) []string {
	var best []string
	bestD := -1
	ls := strings.ToLower(s)
	ns := utf8.RuneCountInString(ls)
	for _, c := range candidates {
		if c == s {
			continue
		}
		lc := strings.ToLower(c)
		nc := utf8.RuneCountInString(lc)
		d := Distance(ls, lc)
		limit := Limit(min(ns, nc), commonPrefix(ls, lc))
		if min(ns, nc) >= 3 && (strings.HasPrefix(lc, ls) || strings.HasPrefix(ls, lc)) {
			limit = max(limit, abs(ns-nc))
		}
		if d > limit || d >= max(ns, nc) {
			continue
		}
		switch {
		case bestD < 0 || d < bestD:
			best, bestD = []string{c}, d
		case d == bestD && !slices.Contains(best, c):
			best = append(best, c)
		}
	}
	return best
}

// commonPrefix returns how many leading runes a and b share.
func commonPrefix(a, b string) int {
	n := 0
	for a != "" && b != "" {
		ra, sa := utf8.DecodeRuneInString(a)
		rb, sb := utf8.DecodeRuneInString(b)
		if ra != rb {
			break
		}
		n++
		a, b = a[sa:], b[sb:]
	}
	return n
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
