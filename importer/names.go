package importer

import (
	"fmt"
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
	fallback        string
}

// assignNames gives each item a distinct drsim name: its sanitized hint;
// where hints collide, the sanitized qualified name; where those collide
// too, a numeric suffix in input order.
func assignNames(items []named) {
	count := map[string]int{}
	base := make([]string, len(items))
	for i, it := range items {
		base[i] = Sanitize(it.hint)
		if base[i] == "" {
			base[i] = it.fallback
		}
		count[base[i]]++
	}
	for i, it := range items {
		if count[base[i]] > 1 {
			if q := Sanitize(it.qualified); q != "" {
				base[i] = q
			}
		}
	}
	used := map[string]bool{}
	for i, it := range items {
		n := base[i]
		for k := 2; used[n]; k++ {
			n = fmt.Sprintf("%s-%d", base[i], k)
		}
		used[n] = true
		*it.name = n
	}
}
