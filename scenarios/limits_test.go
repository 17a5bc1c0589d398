package scenarios

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
)

// hostileTimeout bounds the load of any input, however written. Loads take
// milliseconds; the bound is loose for the race detector and a busy machine.
const hostileTimeout = 5 * time.Second

// bigShapes generates the hostile inputs too big to keep in testdata: the
// shapes of testdata/hostile/*-40k.toml at just under 1 MiB, and inputs
// just beyond the other text limits.
func bigShapes() map[string]string {
	const head = "name = 'x'\nhorizon = '1h'\n"
	n := (MaxFileSize - 100) / 4
	keys := func(n int, line string) string {
		var b strings.Builder
		b.WriteString(head)
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, line, i)
		}
		return b.String()
	}
	// a base and a child that overrides its every key (the positions of
	// the replaced values are dropped)
	base := head + "[costs.monthly]\n" + keys(15000, "k%d=1\n")[len(head):]
	shapes := map[string]string{
		"merge-base.toml":  base,
		"merge-child.toml": "extends = 'merge-base.toml'\n" + strings.Replace(base, "horizon", "trials = 1\nseed", 1),
	}
	// a chain one file too long
	for i := 1; i <= MaxExtendsChain+1; i++ {
		shapes[fmt.Sprintf("chain-%d.toml", i)] = fmt.Sprintf("extends = 'chain-%d.toml'\nname = 'c'\nhorizon = '1h'\n", i+1)
	}
	shapes[fmt.Sprintf("chain-%d.toml", MaxExtendsChain+1)] = "name = 'c'\nhorizon = '1h'\n"
	for k, v := range map[string]string{
		"deep-tables-1m.toml":   head + "[costs" + strings.Repeat(".a", 2*n) + "]\n",
		"deep-inline-1m.toml":   head + "x = " + strings.Repeat("{a=", n) + "1" + strings.Repeat("}", n) + "\n",
		"deep-array-1m.toml":    head + "x = " + strings.Repeat("[", 2*n) + strings.Repeat("]", 2*n) + "\n",
		"deep-dotted-1m.toml":   head + "a" + strings.Repeat(".a", 2*n) + " = 1\n",
		"deep-aot-1m.toml":      head + "[[a" + strings.Repeat(".a", 2*n) + "]]\n",
		"too-big.toml":          head + "# " + strings.Repeat("x", MaxFileSize) + "\n",
		"many-items.toml":       head + "x = [" + strings.Repeat("1, ", MaxArrayItems+1) + "]\n",
		"many-items-1m.toml":    head + "x = [" + strings.Repeat("1,", 2*n-20) + "]\n",
		"many-tables.toml":      keys(MaxArrayItems+1, "[[outages]]\nname = 'o%d'\n"),
		"many-keys.toml":        "[costs.monthly]\n" + keys(MaxKeys, "k%d=1\n"),
		"many-keys-inline.toml": head + "[costs]\nmonthly = {" + strings.TrimSuffix(keys(MaxKeys+1, "k%d = 1, ")[len(head):], ", ") + "}\n",
	} {
		shapes[k] = v
	}
	return shapes
}

// TestHostileInputs loads every hostile input of issue 14, each in bounded
// time, and checks its error (or that it loads).
func TestHostileInputs(t *testing.T) {
	dir := t.TempDir()
	for name, text := range bigShapes() {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	in := func(f string) string { return filepath.Join(dir, f) }
	h := func(f string) string { return "testdata/hostile/" + f }
	tests := []struct {
		file string
		want string // a regexp the error must match; "" when the file loads
	}{
		{h("deep-tables-40k.toml"), `deep-tables-40k.toml:4:70: nested more than 32 levels deep \(limit "nesting depth" is 32 levels: `},
		{h("deep-inline-40k.toml"), `deep-inline-40k.toml:4:99: nested more than 32 levels deep \(limit "nesting depth"`},
		{h("deep-array-40k.toml"), `deep-array-40k.toml:4:36: nested more than 32 levels deep \(limit "nesting depth"`},
		{in("deep-tables-1m.toml"), `deep-tables-1m.toml:3:70: nested more than 32 levels deep \(limit "nesting depth"`},
		{in("deep-inline-1m.toml"), `deep-inline-1m.toml:3:99: nested more than 32 levels deep`},
		{in("deep-array-1m.toml"), `deep-array-1m.toml:3:36: nested more than 32 levels deep`},
		{in("deep-dotted-1m.toml"), `deep-dotted-1m.toml:3:65: nested more than 32 levels deep`},
		{in("deep-aot-1m.toml"), `deep-aot-1m.toml:3:\d+: nested more than 32 levels deep`},
		{in("too-big.toml"), `too-big.toml:3:1048551: the file is larger than 1 MiB \(limit "file size" is 1 MiB: `},
		{in("many-items.toml"), `many-items.toml:3:30006: more than 10,000 items in one array \(limit "array items" is 10,000: `},
		{in("many-items-1m.toml"), `many-items-1m.toml:3:20006: more than 10,000 items in one array`},
		{in("many-tables.toml"), `many-tables.toml:20003:1: more than 10,000 \[\[outages\]\] tables \(limit "array items"`},
		{in("many-keys.toml"), `many-keys.toml:\d+:1: more than 50,000 keys and table headers \(limit "keys" is 50,000: `},
		{in("many-keys-inline.toml"), `many-keys-inline.toml:4:\d+: more than 50,000 keys and table headers`},
		{in("merge-child.toml"), `merge-child.toml: app: required`},
		{in("chain-2.toml"), `chain-2.toml: app: required`}, // 16 files: loaded, and incomplete
		{in("chain-1.toml"), `chain-16.toml:1:1: extends: .*chain-17.toml would be file 17 of the chain \(limit "extends chain" is 16 files: `},
		{h("trials-max.toml"), `trials-max.toml:4:1: trials: 2147483647 is more than 100,000,000 \(limit "trials" is 100,000,000: `},
		{h("horizon-200y.toml"), `horizon-200y.toml:4:1: horizon: 73000d is more than 100 years \(limit "horizon"`},
		{h("writes-1e30.toml"), `writes-1e30.toml:5:1: tables.alert-state.writes: 1e\+30 per second is more than 1e9 per second \(limit "rate"`},
		{h("writes-1e20.toml"), `writes-1e20.toml:5:1: tables.alert-state.writes: 1e\+20 per second is more than 1e9 per second \(limit "rate"`},
		{h("reads-rate.toml"), `reads-rate.toml:5:1: buckets.alerts.reads: 2e\+09 per second is more than 1e9 per second`},
		{h("rate-just-above.toml"), `rate-just-above.toml:5:1: buckets.alerts.writes: 1\.0000001e\+09 per second is more than 1e9 per second \(limit "rate"`},
		{h("price-just-above.toml"), `price-just-above.toml:5:1: prices.kms_key_month: 1\.0000005e\+06 USD is more than 1e6 USD \(limit "price"`},
		{h("kms-rps.toml"), `kms-rps.toml:5:1: regions.us-east-1.kms_rps: 1e\+12 per second is more than 1e9 per second`},
		{h("writes-over-horizon.toml"), `writes-over-horizon.toml:5:1: horizon: the stores accept 6.31e\+18 writes over the horizon \(2e\+09 per second for 36500d\) \(limit "writes over the horizon" is 4e18: `},
		{h("size-2pib.toml"), `size-2pib.toml:5:1: buckets.alerts.object_size: 2251799813685248 bytes is more than 1 PiB \(1125899906842624 bytes\) \(limit "size"`},
		{h("price-1e308.toml"), `price-1e308.toml:5:1: prices.kms_key_month: 1e\+308 USD is more than 1e6 USD \(limit "price"`},
		{h("cost-1e308.toml"), `cost-1e308.toml:5:1: costs.monthly.a: 1e\+308 USD is more than 1e9 USD \(limit "monthly cost item"`},
		{h("retry-1ns.toml"), `retry-1ns.toml:22:1: failover.steps\[2\].retry: 1ns is shorter than 1ms \(limit "retry" is at least 1ms: `},
		{h("retry-999us.toml"), `retry-999us.toml:22:1: failover.steps\[2\].retry: 999µs is shorter than 1ms`},
		{h("backup-1us.toml"), `backup-1us.toml:5:1: buckets.receipts.backup.every: 1µs is shorter than 1s \(limit "backup interval" is at least 1s: `},
		{h("retry-1ms.toml"), ""},
		{h("backup-1s.toml"), ""},
		{h("at-limits.toml"), ""},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.file), func(t *testing.T) {
			start := time.Now()
			c, err := Load(tt.file)
			if d := time.Since(start); d > hostileTimeout {
				t.Errorf("took %v", d)
			}
			if tt.want == "" {
				if err != nil {
					t.Fatalf("want it to load, got %v", err)
				}
				return
			}
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("got %v (%T), want an ErrorList", err, err)
			}
			if c != nil {
				t.Error("a config came back with the error")
			}
			if !regexp.MustCompile(tt.want).MatchString(list.Error()) {
				t.Errorf("no error matches %s; got:\n%.2000s", tt.want, list.Error())
			}
		})
	}
}

// TestAtLimitsTotalsFinite: with every value at its limit, the sums that the
// model and the report form stay finite and within int64.
func TestAtLimitsTotalsFinite(t *testing.T) {
	c, err := Load("testdata/hostile/at-limits.toml")
	if err != nil {
		t.Fatal(err)
	}
	h := float64(c.Horizon) / 1e9
	var writes float64
	for _, b := range c.Buckets {
		writes += b.Writes
	}
	for _, tb := range c.Tables {
		writes += tb.Writes
	}
	if w := writes * h; w > MaxWrites || w > math.MaxInt64/2 {
		t.Errorf("writes over the horizon %g", w)
	}
	// the largest product the cost model forms: rate × seconds per month ×
	// size × price, per store
	if v := MaxRate * 730 * 3600 * float64(MaxSize) * MaxPrice * 1e4; math.IsInf(v, 0) || v > 1e60 {
		t.Errorf("cost term %g", v)
	}
	if c.Trials != MaxTrials {
		t.Errorf("trials %d", c.Trials)
	}
}

// TestLimitsDoc: docs/limits.md has one table with a row for each limit, in
// the order of Limits, naming it, its bound and what it applies to.
func TestLimitsDoc(t *testing.T) {
	data, err := os.ReadFile("../docs/limits.md")
	if err != nil {
		t.Fatal(err)
	}
	var rows [][]string
	for _, line := range strings.Split(string(data), "\n") {
		if !strings.HasPrefix(line, "| ") || strings.HasPrefix(line, "| limit ") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "| "), " | ")
		rows = append(rows, cells)
	}
	ls := Limits()
	if len(rows) != len(ls) {
		t.Fatalf("docs/limits.md has %d rows, want %d (one per limit)", len(rows), len(ls))
	}
	for i, l := range ls {
		r := rows[i]
		if len(r) != 4 || r[0] != l.Name || r[1] != l.Bound || r[2] != l.Applies || r[3] != l.Why {
			t.Errorf("row %d = %q, want %q | %q | %q | %q", i+1, r, l.Name, l.Bound, l.Applies, l.Why)
		}
	}
	if !strings.Contains(string(data), "retry") {
		t.Error("no retry")
	}
}

// The decoder records at most maxErrors errors and says how many more there
// are.
func TestErrorCap(t *testing.T) {
	var b strings.Builder
	b.WriteString("name = 'x'\nhorizon = '1h'\n")
	for i := 0; i < maxErrors+50; i++ {
		fmt.Fprintf(&b, "[regions.x-%d]\n", i)
	}
	_, err := Parse("t.toml", []byte(b.String()), nil)
	var list ErrorList
	if !errors.As(err, &list) {
		t.Fatal(err)
	}
	if len(list) != maxErrors+1 {
		t.Errorf("%d errors, want %d", len(list), maxErrors+1)
	}
	if !strings.Contains(list.Error(), "scenarios: t.toml: 5") || !strings.Contains(list.Error(), " more errors not shown (the first 200 are)") {
		t.Errorf("no count of the errors not shown:\n%.500s", list.Error())
	}
}

// A did-you-mean is bounded: none among more than maxSuggestCandidates
// names, or for a name longer than maxSuggestRunes runes, and a list of
// candidates stops after maxListed.
func TestSuggestBounded(t *testing.T) {
	many := make([]string, maxSuggestCandidates+1)
	for i := range many {
		many[i] = fmt.Sprintf("name-%04d", i)
	}
	if got := suggest("name-000", many).String(); got != "" {
		t.Errorf("among %d candidates: %q", len(many), got)
	}
	if got := suggest("name-000", many[:maxSuggestCandidates]).String(); got == "" {
		t.Errorf("among %d candidates: no suggestion", maxSuggestCandidates)
	}
	long := strings.Repeat("a", maxSuggestRunes+1)
	if got := suggest(long, []string{long + "b"}).String(); got != "" {
		t.Errorf("long name: %q", got)
	}
	if got := suggestOrList("zzz", "declared", many).String(); strings.Count(got, ",") != maxListed {
		t.Errorf("list of %d: %q", len(many), got)
	}
	// thousands of references to undeclared keys among thousands of keys
	// of long names: bounded by the error cap and the bounds above
	var b strings.Builder
	b.WriteString("name = 'x'\nhorizon = '1h'\n[regions.us-east-1]\n")
	pad := strings.Repeat("k", 60)
	for i := 0; i < 5000; i++ {
		fmt.Fprintf(&b, "[keys.%s%04d]\nregion = \"us-east-1\"\n[buckets.b%04d]\nkey = \"%s%04dx\"\n", pad, i, i, pad, i)
	}
	start := time.Now()
	_, err := Parse("t.toml", []byte(b.String()), nil)
	if err == nil || time.Since(start) > hostileTimeout {
		t.Errorf("took %v: %.300v", time.Since(start), err)
	}
}

// scanStats returns what the limit scan saw of src: the deepest nesting and
// the most items of one array.
func scanStats(src string) (depth, items int, msg string) {
	s := &limitScanner{cursor: cursor{src: src}, arrays: map[string]int{}}
	s.document()
	return s.maxDepth, s.maxItems, s.msg
}

// treeStats returns the depth and the most items of one array of a decoded
// TOML value, counted as scanStats counts them: one level per key and per
// array.
func treeStats(v any) (depth, items int) {
	switch v := v.(type) {
	case map[string]any:
		for _, e := range v {
			d, n := treeStats(e)
			depth, items = max(depth, d+1), max(items, n)
		}
	case []map[string]any:
		items = len(v)
		for _, e := range v {
			d, n := treeStats(e)
			depth, items = max(depth, d+1), max(items, n)
		}
		if len(v) == 0 {
			depth = 1
		}
	case []any:
		items = len(v)
		depth = 1
		for _, e := range v {
			d, n := treeStats(e)
			depth, items = max(depth, d+1), max(items, n)
		}
	}
	return depth, items
}

// checkScan is the property the limit scan must have: on any text the TOML
// decoder accepts, it sees at least the depth and array items that are
// there, so that a file it passes is within the limits.
func checkScan(t *testing.T, src string) {
	depth, items, msg := scanStats(src)
	if msg != "" {
		return // rejected: the decoder never sees it
	}
	var tree map[string]any
	if _, err := toml.Decode(src, &tree); err != nil {
		return
	}
	td, ti := treeStats(tree)
	if depth < td || items < ti {
		t.Fatalf("scan saw depth %d, items %d; the tree has depth %d, items %d:\n%s", depth, items, td, ti, src)
	}
}

func TestLimitScanSeesTheTree(t *testing.T) {
	for _, src := range scanSeeds() {
		checkScan(t, src)
	}
	for _, p := range []string{"testdata/snowy.toml", "testdata/every-construct.toml", "testdata/extends/child.toml"} {
		if data, err := os.ReadFile(p); err == nil {
			checkScan(t, string(data))
		}
	}
	// the counts themselves, on a few shapes
	for _, c := range []struct {
		src          string
		depth, items int
	}{
		{"a = 1", 1, 0},
		{"a.b.c = [1, 2, 3]", 4, 3},
		{"[[a]]\n[[a]]\n[a.b]\nc = {d = [[1], [2, 3]]}", 7, 2},
		{"[[a]]\n[[a.b]]\n[[a.b]]\n[[a]]\n[[a.b]]", 4, 2},
		{"x = '''\n[[[[[[\n'''\ny = \"[[[[\\\"[[\"\nz = [ # [[[\n 1, ]", 2, 1},
	} {
		d, n, msg := scanStats(c.src)
		if d != c.depth || n != c.items || msg != "" {
			t.Errorf("scanStats(%q) = %d, %d, %q; want %d, %d", c.src, d, n, msg, c.depth, c.items)
		}
	}
}

// scanSeeds are TOML texts of every construct, for the scan's tests and
// fuzz target.
func scanSeeds() []string {
	return []string{
		"a = 1\nb = 'x'\nc = \"y\"\nd = 1979-05-27 07:32:00Z\ne = [1, [2, {f = 3}], \"]\"]",
		"[a.b.'c.d'.\"e\\\"f\"]\ng = {h.i = {j = []}}",
		"[[a]]\nb = 1\n[a.c]\nd = 2\n[[a.e]]\n[[a]]\n[[a.e]]\n",
		"x = \"\"\"\n]]]\\\"\"\"\"\ny = '''\n}}}'''\nz = [\n  1, # c\n  2,\n]",
		"k = { a = [ { b = [ { c = 1 } ] } ] }",
		"\ufeff# bom\n[t] # c\nu = +inf\nv = -0.0e1\nw = 0x1F",
		"a = [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
		"a = [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
	}
}

func FuzzLimitScan(f *testing.F) {
	for _, s := range scanSeeds() {
		f.Add(s)
	}
	for name, text := range bigShapes() {
		if len(text) < 100_000 && !strings.HasPrefix(name, "many-keys") {
			f.Add(text)
		}
	}
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 1<<16 {
			return
		}
		checkScan(t, src)
		if e := scanLimits("f.toml", src); e != nil && !strings.Contains(e.Msg, "(limit \"") {
			t.Fatalf("limit error without its limit: %v", e)
		}
	})
}
