package scenarios

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/sim"
)

//go:generate go test -run ^TestSchemaFile$ . -args -update-schema

// SchemaDraft is the JSON Schema dialect Schema writes: draft-07, the
// newest that taplo (Even Better TOML) and tombi both read.
const SchemaDraft = "http://json-schema.org/draft-07/schema#"

// Schema returns the JSON Schema of scenario format 1.1, as indented JSON
// with a trailing newline. It is written from the table of keys the
// decoder reads (format.go), so the two cannot drift apart: every key of
// every table with its value kind, enumeration, bounds, default and
// description; the value mini-languages as patterns that match exactly the
// strings the parsers accept, short of value checks (a minimum above a
// maximum, a duration beyond 292 years); and each op's required and unused
// arguments. It uses only local $refs ("#/definitions/..."), so editors
// need nothing but the file.
//
// The schema marks no top-level key required, nor any key of a table that
// an extends base could supply: only keys of array-of-tables entries,
// which replace the base's whole. What only the decoder checks: references
// (a declared region, key, store or step), the keys that depend on one
// another (a multi-Region key's primary, an outage's kind and its keys,
// key or keys_in), value checks (bounds of durations, orders of
// distribution parameters), TOML datetimes where strings are expected, and
// a float with a zero fraction where an integer is expected (JSON cannot
// tell 2.0 from 2). drsim validate is the authority.
func Schema() []byte {
	p := newPatterns()
	defs := jobj{
		{"name", jobj{
			{"description", "A name: a lowercase letter or digit, then lowercase letters, digits and dashes."},
			{"type", "string"}, {"pattern", namePattern.String()},
		}},
		{"region", jobj{
			{"description", "An AWS Region code, such as us-east-1."},
			{"type", "string"}, {"pattern", regionCodeRE.String()},
		}},
		{"duration", jobj{
			{"description", `A duration: numbers with units ns, us (µs), ms, s, m, h, d, as in "90s", "1h30m", "1.5h", "365d". Not negative, and not a bare number.`},
			{"type", "string"}, {"pattern", p.duration},
		}},
		{"distribution", jobj{
			{"description", distDoc()},
			{"type", "string"}, {"anyOf", p.dist},
		}},
		{"rate", jobj{
			{"description", `A rate per second: a number, or a string with an optional k, M or G multiplier and a unit, as in "20/s", "1200/min", "5000/h", "2M/day".`},
			{"anyOf", []any{
				jobj{{"type", "number"}, {"minimum", 0}},
				jobj{{"type", "string"}, {"pattern", p.rate}},
			}},
		}},
		{"size", jobj{
			{"description", `A size in bytes: an integer, or a number with a unit B, KB, MB, GB, TB, PB (powers of 1000) or KiB, MiB, GiB, TiB, PiB (powers of 1024), as in "256KiB", "1.5 GiB".`},
			{"anyOf", []any{
				jobj{{"type", "integer"}, {"minimum", 0}},
				jobj{{"type", "string"}, {"pattern", p.size}},
			}},
		}},
	}
	root := jobj{
		{"$schema", SchemaDraft},
		{"title", "drsim scenario"},
	}
	root = append(root, p.table(secTop)...)
	root = append(root, jkv{"definitions", defs})
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(root); err != nil {
		panic(fmt.Sprintf("scenarios: encoding the schema: %v", err)) // only plain values: cannot fail
	}
	return b.Bytes()
}

// distDoc describes the distribution syntax, from the parsers' own list
// of families and profiles.
func distDoc() string {
	var ex []string
	for _, f := range families {
		ex = append(ex, `"`+f.example+`"`)
	}
	for _, n := range sim.ProfileNames() {
		ex = append(ex, `"profile(`+n+`)"`)
	}
	return `A constant duration ("5m") or a distribution of durations: ` + strings.Join(ex, ", ") +
		`. Parameters by name in any order, or by position in the order shown.`
}

// table returns the keywords of an object schema for sec (without a
// description of its own when the caller gives one).
func (p *patterns) table(sec *section) jobj {
	props := jobj{}
	var required []string
	for _, f := range sec.fields {
		props = append(props, jkv{f.key, p.value(&f)})
		if f.required {
			required = append(required, f.key)
		}
	}
	for _, k := range sec.ignore {
		props = append(props, jkv{k, jobj{
			{"description", "The JSON Schema of this file, for editors; drsim ignores it."},
			{"type", "string"}, {"pattern", p.notPlaceholder},
		}})
	}
	o := jobj{{"description", sec.doc}, {"type", "object"}, {"properties", props}, {"additionalProperties", false}}
	if len(required) > 0 {
		o = append(o, jkv{"required", required})
	}
	if ks := sec.exactlyOne; len(ks) == 2 {
		// exactly one of the two keys: with the second, the first is
		// refused; without it, the first is required. Written as the op
		// rules are (an if on the key's presence and type, in an allOf),
		// which tombi's strict mode reads as conditions, not as the
		// table's keys; an editor marks the key, not the whole table.
		o = append(o, jkv{"allOf", []any{jobj{
			{"if", jobj{{"properties", jobj{{ks[1], jobj{{"type", "array"}}}}}, {"required", []string{ks[1]}}}},
			{"then", jobj{{"properties", jobj{{ks[0], false}}}}},
			{"else", jobj{{"required", []string{ks[0]}}}},
		}}})
	}

	if sec == secStep || sec == secAction {
		o = append(o, jkv{"allOf", opRules()})
	}
	if sec == secStep {
		// a step without op takes no op arguments
		deps := jobj{}
		for _, k := range opKeys {
			deps = append(deps, jkv{k, []string{"op"}})
		}
		o = append(o, jkv{"dependencies", deps})
	}
	return o
}

// value returns the schema of field f's value.
func (p *patterns) value(f *field) jobj {
	o := jobj{{"description", f.doc}}
	ref := func(def string) jobj {
		return append(o, jkv{"allOf", []any{jobj{{"$ref", "#/definitions/" + def}}}})
	}
	strs := func(item jobj, unique bool) jobj {
		o := append(o, jkv{"type", "array"}, jkv{"items", item})
		if unique {
			o = append(o, jkv{"uniqueItems", true})
		}
		if f.minItems > 0 {
			o = append(o, jkv{"minItems", f.minItems})
		}
		if f.maxItems > 0 {
			o = append(o, jkv{"maxItems", f.maxItems})
		}
		return o
	}
	refItem := func(def string) jobj { return jobj{{"$ref", "#/definitions/" + def}} }
	principal := jobj{{"type", "string"}, {"pattern", p.nonEmpty}}
	principals := jobj{{"type", "array"}, {"items", principal}}
	regionNames := jobj{{"pattern", regionCodeRE.String()}}
	var s jobj
	// a placeholder (drsim import's "FILL-IN: ...") is refused as the value
	// of any key, which only a free-text string could otherwise hold
	text := func(pattern string) jobj {
		o := append(o, jkv{"type", "string"})
		if pattern == "" {
			return append(o, jkv{"pattern", p.notPlaceholder})
		}
		return append(o, jkv{"allOf", []any{jobj{{"pattern", pattern}}, jobj{{"pattern", p.notPlaceholder}}}})
	}
	switch f.kind {
	case vString:
		s = text("")
	case vLine:
		s = text(`^[^\r\n]*$`)
	case vNonEmpty:
		s = text(p.nonEmpty)
	case vName:
		s = ref("name")
	case vAccount:
		s = append(o, jkv{"type", "string"}, jkv{"pattern", accountPattern.String()})
	case vEnum:
		s = append(o, jkv{"type", "string"}, jkv{"enum", f.enum})
	case vRegion:
		s = ref("region")
	case vDuration:
		s = ref("duration")
	case vDist:
		s = ref("distribution")
	case vRate, vSize:
		def := map[valueKind]string{vRate: "rate", vSize: "size"}[f.kind]
		s = ref(def)
		if f.min != nil && (f.min.exclusive || f.min.v != 0) {
			// the bound of the number form (the definition's is 0); the
			// string form's is checked by the decoder
			t := map[valueKind]string{vRate: "number", vSize: "integer"}[f.kind]
			s[len(s)-1].v = append(s[len(s)-1].v.([]any), jobj{{"if", jobj{{"type", t}}}, {"then", bounds(jobj{}, f)}})
		}
	case vInteger:
		s = bounds(append(o, jkv{"type", "integer"}), f)
	case vNumber:
		s = bounds(append(o, jkv{"type", "number"}), f)
	case vBool:
		s = append(o, jkv{"type", "boolean"})
	case vRegions:
		s = strs(refItem("region"), true)
	case vPrincipals:
		s = strs(principal, false)
	case vNames:
		s = strs(refItem("name"), true)
	case vServices:
		s = strs(jobj{{"type", "string"}, {"enum", f.enum}}, true)
	case vNeeds:
		s = strs(jobj{{"type", "string"}, {"pattern", needsPattern()}}, true)
	case vTable:
		s = p.table(f.sub)
		s[0].v = f.doc
	case vTables:
		s = append(o, jkv{"type", "array"}, jkv{"items", p.table(f.sub)})
	case vNamed:
		s = append(o, jkv{"type", "object"}, jkv{"propertyNames", jobj{{"pattern", namePattern.String()}}},
			jkv{"additionalProperties", p.table(f.sub)})
	case vRegionTables:
		s = append(o, jkv{"type", "object"}, jkv{"propertyNames", regionNames}, jkv{"additionalProperties", p.table(f.sub)})
	case vRegionPrincipals:
		s = append(o, jkv{"type", "object"}, jkv{"propertyNames", regionNames}, jkv{"additionalProperties", principals})
	case vRegionNames:
		s = append(o, jkv{"type", "object"}, jkv{"propertyNames", regionNames}, jkv{"additionalProperties", refItem("name")})
	case vCostItems:
		s = append(o, jkv{"type", "object"}, jkv{"additionalProperties", jobj{{"type", "number"}, {"minimum", 0}}})
	case vPrices:
		props := jobj{}
		for _, id := range priceIDs {
			props = append(props, jkv{id, jobj{{"type", "number"}, {"minimum", 0}}})
		}
		s = append(o, jkv{"type", "object"}, jkv{"properties", props}, jkv{"additionalProperties", false})
	default:
		panic(fmt.Sprintf("scenarios: field %s has no schema for kind %d", f.key, f.kind))
	}
	if f.def != nil {
		s = append(s, jkv{"default", f.def})
	}
	return s
}

// bounds adds f's minimum and maximum to o.
func bounds(o jobj, f *field) jobj {
	if b := f.min; b != nil {
		k := "minimum"
		if b.exclusive {
			k = "exclusiveMinimum"
		}
		o = append(o, jkv{k, b.v})
	}
	if b := f.max; b != nil {
		k := "maximum"
		if b.exclusive {
			k = "exclusiveMaximum"
		}
		o = append(o, jkv{k, b.v})
	}
	return o
}

// opRules says, from opSpecs, which arguments each op requires and which
// it does not use. (Written as if/then on the op's const: tombi reads
// that, not a "not" in an if.)
func opRules() []any {
	var rules []any
	for kind := model.OpKind(1); int(kind) < len(model.OpNames); kind++ {
		spec := opSpecs[kind]
		levels := []int{spec.key, spec.region, spec.store, spec.window, spec.users, spec.to, spec.rtc, spec.copy}
		var req []string
		unused := jobj{}
		for i, k := range opKeys {
			switch levels[i] {
			case 2:
				req = append(req, k)
			case 0:
				unused = append(unused, jkv{k, false})
			}
		}
		then := jobj{}
		if len(req) > 0 {
			then = append(then, jkv{"required", req})
		}
		if len(unused) > 0 {
			then = append(then, jkv{"properties", unused})
		}
		rules = append(rules, jobj{
			{"if", jobj{{"properties", jobj{{"op", jobj{{"const", model.OpNames[kind]}}}}}, {"required", []string{"op"}}}},
			{"then", then},
		})
	}
	return rules
}

// needsPattern matches a step's need: "arc-routing-control", or
// SERVICE@REGION where a global control plane is only in us-east-1.
func needsPattern() string {
	var regional, global []string
	for _, n := range needServices {
		if n == arcNeed {
			continue
		}
		svc := model.Services(1) << slices.Index(serviceNames[:], n)
		if svc&model.SvcGlobalControl != 0 {
			global = append(global, regexp.QuoteMeta(n))
		} else {
			regional = append(regional, regexp.QuoteMeta(n))
		}
	}
	region := strings.TrimSuffix(strings.TrimPrefix(regionCodeRE.String(), "^"), "$")
	return "^(?:" + regexp.QuoteMeta(arcNeed) +
		"|(?:" + strings.Join(regional, "|") + ")@" + region +
		"|(?:" + strings.Join(global, "|") + ")@" + regexp.QuoteMeta(model.ControlPlaneRegion) + ")$"
}

// patterns holds the regular expressions of the value mini-languages.
// They are written for every engine that reads the schema (ECMA-262 in
// editors, Rust's regex in taplo and tombi, Go's regexp in tests):
// literal runes and ranges in classes, (?:...) groups, no \d, \s or
// lookaround, and the case-insensitive comparisons of the parsers spelled
// out as classes of the runes that compare equal.
type patterns struct {
	ws       string // one rune strings.TrimSpace removes
	nonEmpty string // a string with a rune TrimSpace keeps (unanchored)
	// notPlaceholder matches a string that does not start with
	// PlaceholderPrefix
	notPlaceholder string
	lower          map[byte][]rune
	duration       string
	dist           []any // one schema per form: a constant, each family, profiles
	rate           string
	size           string
}

func newPatterns() *patterns {
	p := &patterns{lower: map[byte][]rune{}}
	// The runes whose unicode.ToLower is an ASCII letter (strings.ToLower
	// maps them so: the Kelvin sign to k, İ to i): the letters themselves
	// and those of unicode.CaseRanges, the table ToLower reads, that map
	// to one.
	for c := byte('a'); c <= 'z'; c++ {
		p.lower[c] = []rune{rune(c - 'a' + 'A'), rune(c)}
	}
	for _, cr := range unicode.CaseRanges {
		for r := rune(cr.Lo); r <= rune(cr.Hi); r++ {
			if l := unicode.ToLower(r); r > 'z' && l >= 'a' && l <= 'z' {
				p.lower[byte(l)] = append(p.lower[byte(l)], r)
			}
		}
	}
	p.notPlaceholder = notPrefix(PlaceholderPrefix)
	p.ws = spaceClass(false)
	p.nonEmpty = spaceClass(true)
	ws := p.ws + "*"

	// durations: parseDuration (sim.ParseDuration with no sign but +)
	units := make([]string, len(durationUnits))
	for i, u := range durationUnits {
		units[i] = regexp.QuoteMeta(u)
	}
	num := `(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)`
	dur := `\+?(?:` + num + `(?:` + strings.Join(units, "|") + `))+`
	p.duration = "^" + ws + dur + ws + "$"

	// distributions: parseDist and parseProfile, one pattern per form
	form := func(doc, re string) jobj {
		return jobj{{"description", doc}, {"pattern", "^" + ws + re + ws + "$"}}
	}
	p.dist = []any{form("a constant duration", dur)}
	for _, f := range families {
		p.dist = append(p.dist, form(f.example, p.ci(f.name)+ws+`\(`+p.args(f, dur, ws)+`\)`))
	}
	var profiles []string
	for _, n := range sim.ProfileNames() {
		profiles = append(profiles, foldWord(n))
	}
	p.dist = append(p.dist, form("a named outage profile: "+strings.Join(sim.ProfileNames(), ", "),
		p.ci("profile")+ws+`\(`+ws+`(?:`+strings.Join(profiles, "|")+`)`+ws+`\)`))

	// rates: parseRate and parseNumber (no sign but +, or -0; no hex, no _)
	dec := `(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?`
	zero := `(?:0+(?:\.0*)?|\.0+)(?:[eE][+-]?[0-9]+)?`
	var rateUnitAlts []string
	for _, ru := range rateUnits {
		for _, n := range ru.names {
			rateUnitAlts = append(rateUnitAlts, p.ci(n))
			if len(n) > 1 {
				rateUnitAlts = append(rateUnitAlts, p.ci(n+"s"))
			}
		}
	}
	p.rate = "^" + ws + `(?:\+?` + dec + `|-` + zero + `)` + ws + `[kKMG]?` + ws +
		`(?:/` + ws + `(?:` + strings.Join(rateUnitAlts, "|") + `)` + ws + `)?$`

	// sizes: parseSize
	var sizeUnitAlts []string
	for _, su := range sizeUnits {
		sizeUnitAlts = append(sizeUnitAlts, p.ci(su.name))
	}
	p.size = "^" + ws + num + ws + `(?:(?:` + strings.Join(sizeUnitAlts, "|") + `)` + ws + `)?$`
	return p
}

// durationUnits are sim.ParseDuration's units (a test checks each).
var durationUnits = []string{"ns", "us", "µs", "μs", "ms", "s", "m", "h", "d"}

// args matches the parameters of family f: the first k by position, the
// others by name in any order, for every k, each name once. A duration
// parameter is dur; a number parameter is a Go float literal
// (strconv.ParseFloat; Inf and NaN are refused).
func (p *patterns) args(f family, dur, ws string) string {
	value := func(i int) string {
		if f.number != nil && f.number[i] {
			return goFloat
		}
		return dur
	}
	n := len(f.params)
	var alts []string
	for k := 0; k <= n; k++ {
		rest := make([]int, 0, n-k)
		for i := k; i < n; i++ {
			rest = append(rest, i)
		}
		for _, perm := range permutations(rest) {
			var parts []string
			for i := range k {
				parts = append(parts, ws+value(i)+ws)
			}
			for _, i := range perm {
				parts = append(parts, ws+p.ci(f.params[i])+ws+"="+ws+value(i)+ws)
			}
			alts = append(alts, strings.Join(parts, ","))
		}
	}
	return "(?:" + strings.Join(alts, "|") + ")"
}

// goFloat matches the finite literals strconv.ParseFloat accepts: decimal
// or hexadecimal, with _ between digits.
const goFloat = `[+-]?(?:` +
	`(?:[0-9](?:_?[0-9])*(?:\.(?:[0-9](?:_?[0-9])*)?)?|\.[0-9](?:_?[0-9])*)(?:[eE][+-]?[0-9](?:_?[0-9])*)?` +
	`|0[xX](?:_?[0-9a-fA-F](?:_?[0-9a-fA-F])*(?:\.(?:[0-9a-fA-F](?:_?[0-9a-fA-F])*)?)?|\.[0-9a-fA-F](?:_?[0-9a-fA-F])*)[pP][+-]?[0-9](?:_?[0-9])*` +
	`)`

// notPrefix matches the strings that do not start with prefix (an ASCII
// string), without lookahead: they differ from it at some byte, or end
// before it does.
func notPrefix(prefix string) string {
	alts := make([]string, len(prefix))
	for i := range prefix {
		alts[i] = regexp.QuoteMeta(prefix[:i]) + `(?:` + "[^" + strings.TrimPrefix(classOf([]rune{rune(prefix[i])}), "[") + `|$)`
	}
	return "^(?:" + strings.Join(alts, "|") + ")"
}

// permutations returns every order of xs.
func permutations(xs []int) [][]int {
	if len(xs) <= 1 {
		return [][]int{slices.Clone(xs)}
	}
	var out [][]int
	for i, x := range xs {
		rest := append(slices.Clone(xs[:i]), xs[i+1:]...)
		for _, perm := range permutations(rest) {
			out = append(out, append([]int{x}, perm...))
		}
	}
	return out
}

// ci matches word compared after strings.ToLower: each ASCII letter as the
// class of the runes that lower to it.
func (p *patterns) ci(word string) string {
	var b strings.Builder
	for i := 0; i < len(word); i++ {
		c := word[i]
		if rs := p.lower[c]; c >= 'a' && c <= 'z' && len(rs) > 0 {
			b.WriteString(classOf(rs))
		} else {
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	return b.String()
}

// foldWord matches word compared with strings.EqualFold: each rune as the
// class of its simple case-folding orbit.
func foldWord(word string) string {
	var b strings.Builder
	for _, r := range word {
		orbit := []rune{r}
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			orbit = append(orbit, f)
		}
		if len(orbit) == 1 {
			b.WriteString(regexp.QuoteMeta(string(r)))
			continue
		}
		slices.Sort(orbit)
		b.WriteString(classOf(orbit))
	}
	return b.String()
}

// spaceClass returns the class of spaceRunes (negated: of the other
// runes).
func spaceClass(negate bool) string {
	c := classOf(spaceRunes())
	if negate {
		c = "[^" + c[1:]
	}
	return c
}

// spaceRunes returns the runes unicode.IsSpace reports (and
// strings.TrimSpace removes), in order: in Latin-1 its own list, above it
// the White_Space property.
func spaceRunes() []rune {
	var rs []rune
	for r := rune(0); r <= unicode.MaxLatin1; r++ {
		if unicode.IsSpace(r) {
			rs = append(rs, r)
		}
	}
	for _, r16 := range unicode.White_Space.R16 {
		for r := rune(r16.Lo); r <= rune(r16.Hi); r += rune(r16.Stride) {
			if r > unicode.MaxLatin1 {
				rs = append(rs, r)
			}
		}
	}
	for _, r32 := range unicode.White_Space.R32 {
		for r := rune(r32.Lo); r <= rune(r32.Hi); r += rune(r32.Stride) {
			rs = append(rs, r)
		}
	}
	return rs
}

// classOf writes the sorted runes rs as a class: runs of three or more as
// ranges, ASCII controls as escapes, every other rune as itself.
func classOf(rs []rune) string {
	lit := func(r rune) string {
		switch r {
		case '\t':
			return `\t`
		case '\n':
			return `\n`
		case '\v':
			return `\v`
		case '\f':
			return `\f`
		case '\r':
			return `\r`
		case '\\', ']', '[', '^', '-':
			return `\` + string(r)
		}
		return string(r)
	}
	var b strings.Builder
	b.WriteByte('[')
	for i := 0; i < len(rs); {
		j := i
		for j+1 < len(rs) && rs[j+1] == rs[j]+1 {
			j++
		}
		if j-i >= 2 {
			b.WriteString(lit(rs[i]) + "-" + lit(rs[j]))
		} else {
			for k := i; k <= j; k++ {
				b.WriteString(lit(rs[k]))
			}
		}
		i = j + 1
	}
	b.WriteByte(']')
	return b.String()
}

// jobj is a JSON object that keeps its keys in order.
type jobj []jkv

// jkv is one member of a jobj.
type jkv struct {
	k string
	v any
}

// MarshalJSON writes the members in order.
func (o jobj) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := marshal(m.k)
		if err != nil {
			return nil, err
		}
		v, err := marshal(m.v)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// marshal is json.Marshal without HTML escapes.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}
