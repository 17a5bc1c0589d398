package importer

import (
	"fmt"
	"hash/fnv"
	"strings"
	"unicode"
)

// Sanitize turns a resource name, logical ID or bucket name into a drsim
// name ([a-z0-9][a-z0-9-]*): camel case is split with dashes
// ("AlertsKMSKey" → "alerts-kms-key"), every other character becomes a
// dash, and runs of dashes collapse. It returns "" when nothing is left.
func Sanitize(s string) string {
	rs := []rune(s)
	var b strings.Builder
	dash := func() {
		if b.Len() > 0 && !strings.HasSuffix(b.String(), "-") {
			b.WriteByte('-')
		}
	}
	for i, r := range rs {
		switch {
		case r < unicode.MaxASCII && unicode.IsUpper(r):
			prevLower := i > 0 && (unicode.IsLower(rs[i-1]) || unicode.IsDigit(rs[i-1]))
			acronymEnd := i > 0 && unicode.IsUpper(rs[i-1]) && i+1 < len(rs) && unicode.IsLower(rs[i+1])
			if prevLower || acronymEnd {
				dash()
			}
			b.WriteRune(unicode.ToLower(r))
		case r < unicode.MaxASCII && (unicode.IsLower(r) || unicode.IsDigit(r)):
			b.WriteRune(r)
		default:
			dash()
		}
	}
	return strings.Trim(b.String(), "-")
}

// named is something Finish names.
type named struct {
	name            *string
	hint, qualified string
	// region is where it is (a key's primary, a bucket's, a table's first
	// replica's): with hint and qualified, what tells two items apart.
	region   string
	fallback string // the name when the hint gives none: "key", "bucket", "table"
	// label names it in a warning: `bucket "My_Bucket" (aws_s3_bucket.c)`.
	label string
}

// assignNames gives each item a distinct drsim name, stable from one
// import to the next: its sanitized hint (a resource's or bucket's own
// name). Where several items' hints sanitize to the same name, the item
// whose hint is that name exactly keeps it (of several, a bucket before a
// table, then the smallest qualified name: before), and every other takes
// a suffix
// derived from its own hint, qualified name and region ("a-b-3f2c"), so
// that its name does not depend on what else the input holds. It returns a
// warning for every item so renamed.
func assignNames(items []named) []string {
	base := make([]string, len(items))
	groups := map[string][]int{}
	var order []string
	for i, it := range items {
		base[i] = Sanitize(it.hint)
		if base[i] == "" {
			base[i] = it.fallback
		}
		if _, ok := groups[base[i]]; !ok {
			order = append(order, base[i])
		}
		groups[base[i]] = append(groups[base[i]], i)
	}
	final := make([]string, len(items))
	taken := map[string]int{} // name → item
	var renamed []int
	for _, b := range order {
		g := groups[b]
		owner := -1
		if len(g) == 1 {
			owner = g[0]
		} else {
			for _, i := range g {
				if items[i].hint != b {
					continue
				}
				if owner < 0 || before(items[i], items[owner]) {
					owner = i
				}
			}
		}
		for _, i := range g {
			if i == owner {
				final[i] = b
				taken[b] = i
			} else {
				renamed = append(renamed, i)
			}
		}
	}
	var warnings []string
	for _, i := range renamed {
		it := items[i]
		id := it.hint + "\x00" + it.qualified + "\x00" + it.region
		n := ""
		for size := 4; ; size += 4 {
			n = fmt.Sprintf("%s-%s", base[i], suffix(id, size))
			if _, used := taken[n]; !used || size >= 16 {
				break
			}
		}
		final[i] = n
		taken[n] = i
		other, ok := taken[base[i]]
		if !ok { // no item is named so exactly: name the first other one
			for _, j := range groups[base[i]] {
				if j != i {
					other = j
					break
				}
			}
		}
		why := items[other].label
		warnings = append(warnings, fmt.Sprintf("%s is named %q in the scenario, because %s takes %q (the suffix comes from the resource: it is the same in every import)", it.label, n, why, base[i]))
	}
	for i, it := range items {
		*it.name = final[i]
	}
	return warnings
}

// kindRank orders the kinds that share a namespace: of a bucket and a
// table named alike, the bucket keeps the name.
var kindRank = map[string]int{"bucket": 0, "table": 1}

// before reports whether a keeps a name rather than b: by kind, then by
// qualified name, then by region, whatever their order in the input.
func before(a, b named) bool {
	if kindRank[a.fallback] != kindRank[b.fallback] {
		return kindRank[a.fallback] < kindRank[b.fallback]
	}
	if a.qualified != b.qualified {
		return a.qualified < b.qualified
	}
	return a.region < b.region
}

// suffix returns size hexadecimal digits of a hash of id (FNV-1a, 64
// bits): the same id gives the same suffix in every import.
func suffix(id string, size int) string {
	h := fnv.New64a()
	h.Write([]byte(id))
	return fmt.Sprintf("%016x", h.Sum64())[:size]
}
