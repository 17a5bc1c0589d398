package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/drsim/drsim/scenarios"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// checkContract fails unless doc (a report in JSON) has every field of the
// report contract (docs/report.md).
func checkContract(t *testing.T, doc []byte, trials int) {
	t.Helper()
	var r map[string]any
	if err := json.Unmarshal(doc, &r); err != nil {
		t.Fatalf("the report is not JSON: %v\n%s", err, doc)
	}
	if r["schema"] != "drsim.report/v1" {
		t.Errorf("schema = %v", r["schema"])
	}
	if s, _ := r["scenario"].(string); s == "" {
		t.Errorf("scenario = %v", r["scenario"])
	}
	if n, _ := r["trials"].(float64); int(n) != trials {
		t.Errorf("trials = %v, want %d", r["trials"], trials)
	}
	if _, ok := r["seed"].(float64); !ok {
		t.Errorf("seed = %v", r["seed"])
	}
	if _, ok := r["objectives"].(map[string]any); !ok {
		t.Errorf("objectives = %v", r["objectives"])
	}
	summary := []string{"mean", "p50", "p90", "p95", "p99", "max", "n"}
	for _, m := range []string{"rto_seconds", "rpo_seconds", "lost_writes"} {
		s := lookup(t, r, "metrics", m)
		fields := summary
		if m == "rto_seconds" {
			fields = append(fields[:len(fields):len(fields)], "unrecovered")
		}
		for _, f := range fields {
			if _, ok := s[f]; !ok {
				t.Errorf("metrics.%s has no %s", m, f)
			}
		}
		if _, ok := s["n"].(float64); !ok {
			t.Errorf("metrics.%s.n = %v, want a number", m, s["n"])
		}
	}
	for _, f := range []string{"by_reason", "by_region"} {
		if _, ok := lookup(t, r, "metrics", "decrypt_failures")[f].(map[string]any); !ok {
			t.Errorf("metrics.decrypt_failures.%s is not an object", f)
		}
	}
	for _, o := range []string{"rto", "rpo", "both"} {
		p := lookup(t, r, "objectives_met", o)
		for _, f := range []string{"p", "ci95"} {
			if _, ok := p[f]; !ok {
				t.Errorf("objectives_met.%s has no %s", o, f)
			}
		}
	}
	cost := lookup(t, r, "cost", "monthly_usd")
	total, ok := cost["total"].(float64)
	if !ok || total <= 0 {
		t.Errorf("cost.monthly_usd.total = %v", cost["total"])
	}
	items, _ := cost["items"].([]any)
	if len(items) == 0 {
		t.Fatalf("cost.monthly_usd.items = %v", cost["items"])
	}
	sum := 0.0
	for _, it := range items {
		m, _ := it.(map[string]any)
		name, _ := m["name"].(string)
		usd, ok := m["usd"].(float64)
		if name == "" || !ok {
			t.Errorf("cost item %v lacks name or usd", it)
		}
		sum += usd
	}
	if d := sum - total; d > 0.01*total+0.01 || d < -0.01*total-0.01 {
		t.Errorf("cost items add up to %.2f, total is %.2f", sum, total)
	}
}

func lookup(t *testing.T, r map[string]any, path ...string) map[string]any {
	t.Helper()
	cur := r
	for i, p := range path {
		next, ok := cur[p].(map[string]any)
		if !ok {
			t.Fatalf("report has no object %s", strings.Join(path[:i+1], "."))
		}
		cur = next
	}
	return cur
}

func TestRunBundledScenariosJSON(t *testing.T) {
	for _, in := range scenarios.Bundled() {
		t.Run(in.Name, func(t *testing.T) {
			code, stdout, stderr := drsim(t, "run", in.Name, "--trials", "50", "--format", "json", "--quiet")
			if code != 0 {
				t.Fatalf("exit code %d; stderr:\n%s", code, stderr)
			}
			checkContract(t, []byte(stdout), 50)
		})
	}
}

// sharedScenarios is where the shared example scenarios live, next to the
// repository.
const sharedScenarios = "../../../shared/scenarios"

func TestRunSharedScenarios(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(sharedScenarios, "*.toml"))
	if len(files) == 0 {
		t.Skipf("no shared scenarios in %s (the shared/ folder is not next to this checkout)", sharedScenarios)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			code, stdout, stderr := drsim(t, "run", f, "--trials", "30", "--format", "json")
			if code != 0 {
				t.Fatalf("exit code %d; stderr:\n%s", code, stderr)
			}
			checkContract(t, []byte(stdout), 30)
		})
	}
}

func TestReportIsDeterministic(t *testing.T) {
	args := []string{"run", "snowy", "--trials", "120", "--format", "json", "--seed", "99"}
	var docs []string
	for _, workers := range []string{"1", "2", "2", "3"} {
		code, stdout, stderr := drsim(t, append(args, "--workers", workers)...)
		if code != 0 {
			t.Fatalf("exit code %d; stderr:\n%s", code, stderr)
		}
		docs = append(docs, stdout)
	}
	for i := 1; i < len(docs); i++ {
		if docs[i] != docs[0] {
			t.Errorf("run %d differs from run 0 (workers 1 vs %s)", i, []string{"1", "2", "2", "3"}[i])
		}
	}
	if !strings.Contains(docs[0], `"seed": 99`) && !strings.Contains(docs[0], `"seed":99`) {
		t.Errorf("--seed 99 is not in the report")
	}
	// another seed gives another report
	_, other, _ := drsim(t, "run", "snowy", "--trials", "120", "--format", "json", "--seed", "100")
	if other == docs[0] {
		t.Error("seeds 99 and 100 give the same report")
	}
}

func TestGoldenTextReport(t *testing.T) {
	code, stdout, stderr := drsim(t, "run", "snowy", "--trials", "200", "--format", "text")
	if code != 0 {
		t.Fatalf("exit code %d; stderr:\n%s", code, stderr)
	}
	golden := filepath.Join("testdata", "run-snowy-200.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(stdout), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if stdout != string(want) {
		t.Errorf("text report differs from %s (run go test -update if the change is intended):\n%s", golden, diffLines(string(want), stdout))
	}
}

// diffLines shows the first lines where got differs from want.
func diffLines(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < max(len(w), len(g)) && shown < 10; i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			b.WriteString("line " + itoa(i+1) + ":\n  want " + wl + "\n  got  " + gl + "\n")
			shown++
		}
	}
	return b.String()
}

func itoa(i int) string {
	var b [20]byte
	n := len(b)
	for {
		n--
		b[n] = byte('0' + i%10)
		i /= 10
		if i == 0 {
			return string(b[n:])
		}
	}
}

func TestRunFormatsAndOutputs(t *testing.T) {
	dir := t.TempDir()
	trace := filepath.Join(dir, "trace.jsonl")
	perTrial := filepath.Join(dir, "trials.csv")
	out := filepath.Join(dir, "out")
	code, stdout, stderr := drsim(t, "run", "snowy", "--trials", "40", "--format", "markdown",
		"--trace", trace, "--trace-trial", "3", "--per-trial", perTrial, "--out", out, "--quiet")
	if code != 0 {
		t.Fatalf("exit code %d; stderr:\n%s", code, stderr)
	}
	if !strings.HasPrefix(stdout, "#") || !strings.Contains(stdout, "|") {
		t.Errorf("markdown report has no heading or table:\n%s", stdout)
	}
	if stderr != "" {
		t.Errorf("stderr is not empty under --quiet: %q", stderr)
	}

	// per-trial CSV: a header and one row per trial
	f, err := os.Open(perTrial)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 41 || len(rows[0]) < 5 || rows[0][0] != "trial" || rows[0][2] != "rto_seconds" {
		t.Errorf("per-trial CSV: %d rows, header %v", len(rows), rows[0])
	}

	// --out writes the report files
	for _, name := range []string{"report.json", "report.md", "report.html"} {
		if st, err := os.Stat(filepath.Join(out, name)); err != nil || st.Size() == 0 {
			t.Errorf("--out did not write %s: %v", name, err)
		}
	}
	if doc, err := os.ReadFile(filepath.Join(out, "report.json")); err == nil {
		checkContract(t, doc, 40)
	}

	// the trace of trial 3 equals what 'drsim trace --trial 3' prints
	lines := readTrace(t, trace)
	if len(lines) == 0 {
		t.Fatal("the trace is empty")
	}
	code, stdout, stderr = drsim(t, "trace", "snowy", "--trial", "3")
	if code != 0 {
		t.Fatalf("trace: exit code %d; stderr:\n%s", code, stderr)
	}
	got, _ := os.ReadFile(trace)
	if stdout != string(got) {
		t.Error("drsim trace --trial 3 differs from run --trace --trace-trial 3")
	}

	// without a trial number both trace the representative trial
	repTrace := filepath.Join(dir, "rep.jsonl")
	if code, _, stderr := drsim(t, "run", "snowy", "--trials", "30", "--trace", repTrace, "--quiet"); code != 0 {
		t.Fatalf("run --trace: exit code %d; stderr:\n%s", code, stderr)
	}
	code, stdout, stderr = drsim(t, "trace", "snowy", "--trials", "30")
	if code != 0 {
		t.Fatalf("trace: exit code %d; stderr:\n%s", code, stderr)
	}
	got, _ = os.ReadFile(repTrace)
	if stdout != string(got) || len(readTrace(t, repTrace)) == 0 {
		t.Error("drsim trace without --trial differs from run --trace, or is empty")
	}
	if !strings.Contains(stdout, `"kind":"service-down"`) {
		t.Error("the representative trial of snowy has no service-down event")
	}
}

// readTrace parses a JSON lines trace and checks each event's fields.
func readTrace(t *testing.T, path string) []map[string]any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var events []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	last := -1.0
	for sc.Scan() {
		var e map[string]any
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("trace line %d is not JSON: %v", len(events)+1, err)
		}
		tns, ok := e["t_ns"].(float64)
		if kind, _ := e["kind"].(string); !ok || kind == "" {
			t.Fatalf("trace line %d lacks t_ns or kind: %s", len(events)+1, sc.Text())
		}
		if tns < last {
			t.Errorf("trace line %d goes back in time", len(events)+1)
		}
		last = tns
		events = append(events, e)
	}
	return events
}

func TestCompare(t *testing.T) {
	dir := t.TempDir()
	code, stdout, stderr := drsim(t, "compare", "backup-and-restore", "active-active", "--trials", "30",
		"--format", "json", "--out", dir, "--quiet")
	if code != 0 {
		t.Fatalf("exit code %d; stderr:\n%s", code, stderr)
	}
	if !json.Valid([]byte(stdout)) {
		t.Fatalf("compare --format json is not JSON:\n%s", stdout)
	}
	for _, name := range []string{"backup-and-restore", "active-active"} {
		if !strings.Contains(stdout, name) {
			t.Errorf("the comparison does not name %s", name)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) == 0 {
		t.Errorf("--out wrote nothing: %v", err)
	}
	code, text, stderr := drsim(t, "compare", "backup-and-restore", "active-active", "--trials", "30")
	if code != 0 || !strings.Contains(text, "backup-and-restore") {
		t.Errorf("compare text: exit code %d, stderr %s\n%s", code, stderr, text)
	}
	if code, _, stderr := drsim(t, "compare", "snowy", "nope-not-a-scenario"); code != 2 || !strings.Contains(stderr, "nope-not-a-scenario") {
		t.Errorf("compare with an unknown scenario: code %d, stderr:\n%s", code, stderr)
	}
}

// TestUnboundedRPOReport: a bucket with no copy in the failover region
// and a tiny share of the traffic, under the steady start: the service
// recovers in us-west-2 with an unbounded RPO, shown as ∞ in the text
// report, null with a count in JSON, and the RPO objective is never met.
func TestUnboundedRPOReport(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "audit.toml")
	src := "extends = \"snowy\"\nname = \"snowy-audit\"\n\n[buckets.audit]\nregion = \"us-east-1\"\nkey = \"alerts\"\nwrites = 0.1\nreads = 0.1\n"
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := drsim(t, "run", file, "--trials", "40", "--quiet")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"  RPO   40       ∞       ∞       ∞       ∞       ∞       -", "unbounded count as ∞", "RPO unbounded (writes that never reach the recovery region)"} {
		if !strings.Contains(out, want) {
			t.Errorf("text report lacks %q:\n%s", want, out)
		}
	}
	code, out, errs = drsim(t, "run", file, "--trials", "40", "--quiet", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc struct {
		Metrics struct {
			RPO struct {
				P50       *float64 `json:"p50"`
				Unbounded int      `json:"unbounded"`
			} `json:"rpo_seconds"`
		} `json:"metrics"`
		Met struct {
			RPO struct{ Met int } `json:"rpo"`
		} `json:"objectives_met"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Metrics.RPO.P50 != nil || doc.Metrics.RPO.Unbounded != 40 || doc.Met.RPO.Met != 0 {
		t.Errorf("JSON: rpo p50 %v unbounded %d met %d, want null, 40, 0", doc.Metrics.RPO.P50, doc.Metrics.RPO.Unbounded, doc.Met.RPO.Met)
	}
}

// TestStaleFixWhenReplicationFails: when a bucket's replication to the
// recovery region fails (here the replication role is missing from the
// us-west-2 key policy: AccessDeniedException), DR507's fix names that
// failure (DR504) instead of the replication lag or RTC.
func TestStaleFixWhenReplicationFails(t *testing.T) {
	code, out, errs := drsim(t, "run", "snowy", "--trials", "50", "--quiet", "--set", `keys.alerts.users_in={us-west-2=["alerts-app","dr-operator"]}`)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	want := `fix: the replication of "alerts" to us-west-2 fails (AccessDeniedException, see DR504): fix that first`
	if !strings.Contains(out, want) || strings.Contains(out, "already uses RTC") {
		t.Errorf("DR507's fix does not name the failing replication:\n%s", out)
	}
}
