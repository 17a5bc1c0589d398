package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/drsim/drsim/findings"
	"github.com/drsim/drsim/report"
	"github.com/drsim/drsim/scenarios"
)

var propertyN = flag.Int("property.n", 150, "TestGeneratedScenarios: how many scenarios to generate")

// TestGeneratedScenarios is a property test over generated scenarios
// (genScenario): each loads, runs a few trials with the same report bytes
// on 1 and 2 workers, and its report satisfies the invariants of
// checkReport. A failure names the scenario's number; run it again with
// -run TestGeneratedScenarios/N.
func TestGeneratedScenarios(t *testing.T) {
	n := *propertyN
	if testing.Short() {
		n = min(n, 30)
	}
	for i := range n {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			text := genScenario(rand.New(rand.NewPCG(uint64(i), 0x5eed)))
			_, loc, err := scenarios.ParseLocated(fmt.Sprintf("generated-%d.toml", i), []byte(text), nil)
			if err != nil {
				t.Fatalf("a generated scenario does not load: %v\n%s", err, text)
			}
			trials := 4 + i%5
			var docs [2][]byte
			for w := range docs {
				c, _, err := scenarios.ParseLocated("generated.toml", []byte(text), nil)
				if err != nil {
					t.Fatal(err)
				}
				s := simulate(c, c.Seed, trials, w+1)
				s.report.SetFindings(findings.Static(c, loc))
				var b bytes.Buffer
				if err := report.WriteJSON(&b, s.report); err != nil {
					t.Fatalf("the report does not encode: %v\n%s", err, text)
				}
				docs[w] = b.Bytes()
			}
			if !bytes.Equal(docs[0], docs[1]) {
				t.Fatalf("the report differs on 1 and 2 workers\n%s", text)
			}
			var r report.Report
			if err := json.Unmarshal(docs[0], &r); err != nil {
				t.Fatal(err)
			}
			if err := checkReport(&r, trials); err != nil {
				t.Fatalf("%v\n%s", err, text)
			}
		})
	}
}

// genScenario writes a random valid scenario: 2 to 4 regions, keys
// single- and multi-Region with replicas, policies and admins, buckets
// with replication rules and backups, tables with replicas, outages with
// services, error rates and phases, partitions, a runbook of steps with
// needs and ops, and operator actions. Every draw comes from r, so a
// scenario is a function of r's seed.
func genScenario(r *rand.Rand) string {
	g := &gen{r: r}
	return g.scenario()
}

type gen struct {
	r *rand.Rand
	b strings.Builder
	// what is declared, for references
	regions   []string
	keys      []genKey
	buckets   []string
	bucketSrc map[string]string
	tables    []genTable
	backups   []string // stores with a backup
	steps     []string
}

type genKey struct {
	name   string
	multi  bool
	copies []string // primary (or home) first
}

type genTable struct {
	name    string
	regions []string
	key     string // "" with keys_in
}

func (g *gen) line(format string, args ...any) { fmt.Fprintf(&g.b, format+"\n", args...) }

func (g *gen) pick(xs []string) string { return xs[g.r.IntN(len(xs))] }

func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

// subset returns 1 to max distinct elements of xs, in xs's order.
func (g *gen) subset(xs []string, max int) []string {
	k := 1 + g.r.IntN(min(max, len(xs)))
	idx := g.r.Perm(len(xs))[:k]
	slices.Sort(idx)
	out := make([]string, k)
	for i, j := range idx {
		out[i] = xs[j]
	}
	return out
}

func quoteList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = fmt.Sprintf("%q", x)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

func (g *gen) dur(short bool) string {
	if short {
		return g.pick([]string{"0s", "30s", "90s", "2m", "5m", "uniform(1m, 5m)", "normal(mean=3m, sd=1m)", "triangular(1m, 2m, 8m)", "exponential(mean=2m)"})
	}
	return g.pick([]string{"30m", "2h", "uniform(20m, 4h)", "lognormal(median=1h, p99=8h)", "exponential(mean=90m)",
		"weibull(shape=1.5, scale=2h)", "empirical(p50=1h, p90=3h, p99=10h)", "profile(aws-regional)", "triangular(10m, 1h, 5h)"})
}

func (g *gen) lag() string {
	return g.pick([]string{"5s", "lognormal(median=8s, p99=2m)", "exponential(mean=800ms)", "uniform(1s, 30s)", "lognormal(median=30s, p99=30m)"})
}

func (g *gen) rate() string {
	return g.pick([]string{"0", "0.5", "20", "300", `"1200/min"`, `"5000/h"`, `"2M/day"`, "2500", "1e6"})
}

var genRegionCodes = []string{"us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2", "il-central-1"}

var genPrincipals = []string{"app", "dr-operator", "s3-replication", "platform-admin"}

func (g *gen) scenario() string {
	g.line("name = \"generated\"")
	g.line("horizon = %q", g.pick([]string{"12h", "24h", "3d", "7d", "36500d"}))
	g.line("seed = %d", g.r.IntN(1000))
	if g.chance(0.3) {
		g.line("start = \"empty\"")
	}
	g.line("[objectives]")
	if g.chance(0.8) {
		g.line("rto = %q", g.pick([]string{"15m", "30m", "1h", "4h"}))
	}
	if g.chance(0.7) {
		g.line("rpo = %q", g.pick([]string{"1m", "5m", "15m"}))
	}
	if g.chance(0.3) {
		g.line("success = %v", g.pick([]string{"0.9", "0.99", "1"}))
	}

	// regions: us-east-1 first, so that the control planes can fail
	g.regions = append([]string{"us-east-1"}, g.subset(genRegionCodes[1:], 3)...)
	for _, reg := range g.regions {
		g.line("[regions.%s]", reg)
		if g.chance(0.2) {
			g.line("kms_rps = %d", []int{1, 50, 1000, 100000}[g.r.IntN(4)])
		}
	}

	// keys
	for i := range 1 + g.r.IntN(3) {
		k := genKey{name: fmt.Sprintf("k%d", i), multi: g.chance(0.7)}
		g.line("[keys.%s]", k.name)
		if k.multi {
			primary := g.regions[g.r.IntN(min(2, len(g.regions)))]
			var others []string
			for _, reg := range g.regions {
				if reg != primary {
					others = append(others, reg)
				}
			}
			reps := []string{}
			if g.chance(0.85) {
				reps = g.subset(others, len(others))
			}
			k.copies = append([]string{primary}, reps...)
			g.line("multi_region = true")
			g.line("primary = %q", primary)
			g.line("replicas = %s", quoteList(reps))
		} else {
			home := g.pick(g.regions)
			k.copies = []string{home}
			g.line("region = %q", home)
		}
		users := []string{"app", "dr-operator", "s3-replication"}
		if g.chance(0.15) {
			users = []string{"*"}
		} else if g.chance(0.2) {
			users = g.subset(genPrincipals, 3)
		}
		g.line("users = %s", quoteList(users))
		if g.chance(0.2) {
			g.line("rotation = %q", g.pick([]string{"90d", "365d"}))
		}
		if g.chance(0.25) {
			g.line("admins = %s", quoteList(g.subset(append([]string{"*"}, genPrincipals...), 2)))
		}
		if g.chance(0.2) {
			g.line("[keys.%s.users_in]", k.name)
			g.line("%s = %s", g.pick(k.copies), quoteList(g.subset(genPrincipals, 3)))
		}
		g.keys = append(g.keys, k)
	}

	// the app
	serve := []string{g.regions[0]}
	if g.chance(0.25) {
		serve = append(serve, g.regions[1])
	}
	g.line("[app]")
	g.line("principal = \"app\"")
	g.line("serve = %s", quoteList(serve))
	if g.chance(0.2) {
		g.line("sts = %q", g.pick([]string{"regional", "global"}))
		g.line("credentials_ttl = %q", g.pick([]string{"15m", "1h"}))
	}

	// buckets and tables
	for i := range g.r.IntN(3) {
		name := fmt.Sprintf("b%d", i)
		k := g.keys[g.r.IntN(len(g.keys))]
		src := k.copies[0]
		g.line("[buckets.%s]", name)
		g.line("region = %q", src)
		g.line("key = %q", k.name)
		g.line("bucket_key = %v", g.chance(0.5))
		g.line("object_size = %q", g.pick([]string{"4KiB", "256KiB", "1MiB", "1PiB"}))
		g.line("writes = %s", g.rate())
		g.line("reads = %s", g.rate())
		for _, to := range g.others(src, 2) {
			g.line("[[buckets.%s.replication]]", name)
			g.line("to = %q", to)
			g.line("key = %q", g.keyFor(to).name)
			g.line("rtc = %v", g.chance(0.5))
			if g.chance(0.5) {
				g.line("lag = %q", g.lag())
			}
		}
		g.buckets = append(g.buckets, name)
		if g.bucketSrc == nil {
			g.bucketSrc = map[string]string{}
		}
		g.bucketSrc[name] = src
		if g.chance(0.3) {
			g.backup("buckets", name, src)
		}
	}
	for i := range g.r.IntN(3) {
		t := genTable{name: fmt.Sprintf("t%d", i), regions: append([]string{g.regions[0]}, g.others(g.regions[0], 2)...)}
		g.line("[tables.%s]", t.name)
		g.line("regions = %s", quoteList(t.regions))
		if g.chance(0.7) {
			t.key = g.keys[g.r.IntN(len(g.keys))].name
			g.line("key = %q", t.key)
		} else {
			var parts []string
			for _, reg := range t.regions {
				parts = append(parts, fmt.Sprintf("%s = %q", reg, g.keyFor(reg).name))
			}
			g.line("keys_in = { %s }", strings.Join(parts, ", "))
		}
		g.line("item_size = %q", g.pick([]string{"200B", "1KiB", "3KiB", "400KB"}))
		g.line("writes = %s", g.rate())
		g.line("reads = %s", g.rate())
		if g.chance(0.5) {
			g.line("lag = %q", g.lag())
		}
		if g.chance(0.2) {
			g.line("client_key = %q", g.keys[g.r.IntN(len(g.keys))].name)
		}
		g.tables = append(g.tables, t)
		if g.chance(0.3) {
			g.backup("tables", t.name, t.regions[0])
		}
	}

	// outages
	for i := range 1 + g.r.IntN(3) {
		g.line("[[outages]]")
		g.line("name = \"o%d\"", i)
		g.line("start = %q", g.pick([]string{"1h", "uniform(1h, 10h)", "normal(mean=5h, sd=2h)", "exponential(mean=6h)"}))
		if g.chance(0.3) {
			g.line("probability = %v", g.pick([]string{"0", "0.3", "0.9", "1"}))
		}
		switch {
		case g.chance(0.2) && len(g.regions) >= 2:
			pair := g.subset(g.regions, 2)
			if len(pair) < 2 {
				pair = g.regions[:2]
			}
			g.line("kind = \"partition\"")
			g.line("regions = %s", quoteList(pair))
			g.line("duration = %q", g.dur(false))
		case g.chance(0.25):
			reg := g.pick(g.regions)
			g.line("region = %q", reg)
			for range 1 + g.r.IntN(3) {
				g.line("[[outages.phases]]")
				if g.chance(0.7) {
					g.line("services = %s", quoteList(g.services(reg)))
				}
				if g.chance(0.6) {
					g.line("offset = %q", g.pick([]string{"0s", "20m", "uniform(10m, 2h)"}))
				}
				g.line("duration = %q", g.dur(false))
				if g.chance(0.3) {
					g.line("error_rate = %v", g.pick([]string{"0.1", "0.5", "1"}))
				}
			}
		default:
			reg := g.regions[0]
			if g.chance(0.3) {
				reg = g.pick(g.regions)
			}
			g.line("region = %q", reg)
			if g.chance(0.7) {
				g.line("services = %s", quoteList(g.services(reg)))
			}
			g.line("duration = %q", g.dur(false))
			if g.chance(0.25) {
				g.line("error_rate = %v", g.pick([]string{"0.05", "0.3", "0.9"}))
			}
		}
	}

	// the runbook
	if g.chance(0.8) && len(g.regions) >= 2 {
		from := serve[0]
		to := g.pick(g.others(from, 3))
		g.line("[failover]")
		g.line("from = %q", from)
		g.line("to = %q", to)
		g.line("detect = %q", g.dur(true))
		if g.chance(0.3) {
			g.line("operator = %q", g.pick(genPrincipals))
		}
		for i := range 1 + g.r.IntN(4) {
			name := fmt.Sprintf("s%d", i)
			g.line("[[failover.steps]]")
			g.line("name = %q", name)
			if i > 0 && g.chance(0.7) {
				g.line("after = %s", quoteList(g.subset(g.steps, 2)))
			}
			if g.chance(0.8) {
				g.line("duration = %q", g.dur(true))
			}
			if g.chance(0.3) {
				g.line("needs = %s", quoteList(g.needs()))
			}
			if g.chance(0.6) {
				g.op(true, to)
			}
			if g.chance(0.4) {
				g.line("required = %v", g.chance(0.5))
			}
			if g.chance(0.4) {
				g.line("retry = %q", g.pick([]string{"1s", "30s", "1m", "5m"}))
			}
			g.steps = append(g.steps, name)
		}
	}

	// actions
	for range g.r.IntN(4) {
		g.line("[[actions]]")
		g.line("at = %q", g.pick([]string{"30m", "3h", "uniform(1h, 20h)", "exponential(mean=10h)"}))
		g.op(false, g.pick(g.regions))
	}

	// costs and prices
	if g.chance(0.4) {
		g.line("[costs.monthly]")
		g.line("standby = %v", g.pick([]string{"0", "12.5", "2400", "1e9"}))
	}
	if g.chance(0.3) {
		g.line("[prices]")
		g.line("kms_key_month = %v", g.pick([]string{"0", "1", "3.5", "1e6"}))
	}
	return g.b.String()
}

// others returns up to max regions other than reg.
func (g *gen) others(reg string, max int) []string {
	var o []string
	for _, r := range g.regions {
		if r != reg {
			o = append(o, r)
		}
	}
	if len(o) == 0 {
		return nil
	}
	return g.subset(o, max)
}

// keyFor returns a key with a copy in reg when there is one, else any.
func (g *gen) keyFor(reg string) genKey {
	var with []genKey
	for _, k := range g.keys {
		if slices.Contains(k.copies, reg) {
			with = append(with, k)
		}
	}
	if len(with) == 0 {
		return g.keys[g.r.IntN(len(g.keys))]
	}
	return with[g.r.IntN(len(with))]
}

// services returns a few services that can fail in reg.
func (g *gen) services(reg string) []string {
	all := []string{"kms", "s3", "dynamodb", "app", "sts"}
	if reg == "us-east-1" {
		all = append(all, "route53-control", "iam-control")
	}
	return g.subset(all, 4)
}

func (g *gen) needs() []string {
	var all []string
	for _, reg := range g.regions {
		for _, s := range []string{"kms", "s3", "dynamodb", "sts"} {
			all = append(all, s+"@"+reg)
		}
	}
	all = append(all, "route53-control@us-east-1", "iam-control@us-east-1", "arc-routing-control")
	return g.subset(all, 2)
}

func (g *gen) backup(kind, store, src string) {
	to := g.others(src, 1)
	if len(to) == 0 {
		return
	}
	g.line("[%s.%s.backup]", kind, store)
	g.line("to = %q", to[0])
	g.line("every = %q", g.pick([]string{"1s", "1m", "15m", "1h", "6h"}))
	g.line("copy = %q", g.pick([]string{"5m", "uniform(10m, 30m)"}))
	g.line("key = %q", g.keyFor(to[0]).name)
	g.backups = append(g.backups, store)
}

// op writes an op and its arguments; step ops may restore a backup.
func (g *gen) op(step bool, reg string) {
	k := g.keys[g.r.IntN(len(g.keys))]
	kinds := []string{"enable-key", "disable-key", "rotate-key", "put-key-policy", "schedule-key-deletion", "cancel-key-deletion"}
	if k.multi {
		kinds = append(kinds, "replicate-key", "update-primary-region")
	}
	if len(g.tables) > 0 {
		kinds = append(kinds, "create-table-replica", "delete-table-replica")
	}
	if len(g.buckets) > 0 {
		kinds = append(kinds, "put-bucket-replication", "delete-bucket-replication")
	}
	if step && len(g.backups) > 0 {
		kinds = append(kinds, "restore-backup", "restore-backup")
	}
	op := g.pick(kinds)
	g.line("op = %q", op)
	if g.chance(0.2) {
		g.line("principal = %q", g.pick(genPrincipals))
	}
	switch op {
	case "replicate-key":
		g.line("key = %q", k.name)
		g.line("region = %q", g.pick(g.regions))
	case "update-primary-region":
		g.line("key = %q", k.name)
		g.line("region = %q", g.pick(k.copies))
	case "rotate-key":
		g.line("key = %q", k.name)
	case "put-key-policy":
		g.line("key = %q", k.name)
		g.line("region = %q", g.pick(k.copies))
		g.line("users = %s", quoteList(g.subset(genPrincipals, 3)))
	case "schedule-key-deletion":
		g.line("key = %q", k.name)
		g.line("region = %q", g.pick(k.copies))
		g.line("window = %q", g.pick([]string{"7d", "30d"}))
	case "enable-key", "disable-key", "cancel-key-deletion":
		g.line("key = %q", k.name)
		g.line("region = %q", g.pick(k.copies))
	case "restore-backup":
		g.line("store = %q", g.pick(g.backups))
	case "create-table-replica":
		t := g.tables[g.r.IntN(len(g.tables))]
		g.line("store = %q", t.name)
		g.line("region = %q", reg)
		if t.key == "" {
			g.line("key = %q", g.keyFor(reg).name)
		}
		if g.chance(0.5) {
			g.line("copy = %q", g.pick([]string{"20m", "uniform(10m, 1h)"}))
		}
	case "delete-table-replica":
		t := g.tables[g.r.IntN(len(g.tables))]
		g.line("store = %q", t.name)
		g.line("region = %q", g.pick(t.regions))
	case "put-bucket-replication", "delete-bucket-replication":
		b := g.pick(g.buckets)
		if reg == g.bucketSrc[b] {
			reg = g.others(reg, 1)[0]
		}
		g.line("store = %q", b)
		g.line("to = %q", reg)
		if op == "put-bucket-replication" {
			g.line("key = %q", g.keyFor(reg).name)
			g.line("rtc = %v", g.chance(0.5))
		}
	}
}

// byteSource is a rand.Source that reads its numbers from fuzz input, 8
// bytes each, and then from a PCG generator: the fuzzer steers
// genScenario's choices, and a draw that rand rejects (as it does to pick
// without bias) always gets a fresh number.
type byteSource struct {
	data []byte
	rest rand.PCG
}

func (s *byteSource) Uint64() uint64 {
	if len(s.data) == 0 {
		return s.rest.Uint64()
	}
	var b [8]byte
	n := copy(b[:], s.data)
	s.data = s.data[n:]
	return binary.LittleEndian.Uint64(b[:])
}

// FuzzGenerated runs the scenarios of genScenario, with its choices taken
// from the fuzz input, through FuzzScenario's pipeline: every scenario it
// writes is valid, so the fuzzer explores combinations of constructs
// rather than TOML syntax. Each must load.
//
//	go test ./cmd/drsim -run '^$' -fuzz '^FuzzGenerated$' -fuzztime 60s
func FuzzGenerated(f *testing.F) {
	for i := range 8 {
		seed := make([]byte, 512)
		r := rand.New(rand.NewPCG(uint64(i), 1))
		for j := range seed {
			seed[j] = byte(r.Uint32())
		}
		f.Add(seed)
	}
	f.Add([]byte{})
	dir := f.TempDir()
	file := filepath.Join(dir, "generated.toml")
	f.Fuzz(func(t *testing.T, choices []byte) {
		if len(choices) > 4096 {
			return
		}
		text := genScenario(rand.New(&byteSource{data: choices, rest: *rand.NewPCG(uint64(len(choices)), 2)}))
		_, err := scenarios.Parse("generated.toml", []byte(text), nil)
		if err != nil {
			t.Fatalf("a generated scenario does not load: %v\n%s", err, text)
		}
		if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		out := t.TempDir()
		done := make(chan error, 1)
		ctx, cancel := context.WithTimeout(context.Background(), e2eBudget)
		defer cancel()
		go func() { done <- e2eRun(ctx, file, out) }()
		if err := e2eWait(done, []byte(text)); err != nil {
			t.Fatalf("%v\nscenario:\n%s", err, text)
		}
	})
}
