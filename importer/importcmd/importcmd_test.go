package importcmd

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/drsim/drsim/importer"
	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/scenarios"
)

// fixtures are the four inputs of the tests of the importer packages, each
// with the overlay of testdata that fills its placeholders.
var fixtures = []struct {
	name    string
	req     Request
	overlay string
}{
	{"state", Request{Source: Terraform, Inputs: []Input{{Path: "../terraform/testdata/state.json"}}}, "state.overlay.toml"},
	{"plan", Request{Source: Terraform, Inputs: []Input{{Path: "../terraform/testdata/plan.json"}}}, "plan.overlay.toml"},
	{"payments", Request{Source: CloudFormation, Inputs: []Input{
		{Path: "../cloudformation/testdata/payments-east.yaml", Region: "us-east-1"},
		{Path: "../cloudformation/testdata/payments-west.json", Region: "us-west-2"}}}, "payments.overlay.toml"},
	{"account", Request{Source: AWSCLI, Inputs: []Input{{Path: "../awscli/testdata/account"}}}, "account.overlay.toml"},
}

// importInto runs an import of req into dir/name.toml and returns the
// summary.
func importInto(t *testing.T, req Request, dir, name string) string {
	t.Helper()
	req.Output = filepath.Join(dir, name+".toml")
	var stdout, stderr bytes.Buffer
	if err := Run(context.Background(), req, &stdout, &stderr); err != nil {
		t.Fatalf("Run: %v\n%s", err, stderr.String())
	}
	if stdout.Len() != 0 {
		t.Errorf("stdout holds %d bytes with -o", stdout.Len())
	}
	return stderr.String()
}

// TestFixturesValidateAndRun imports each fixture, checks that the import
// alone is rejected for its placeholders only, and that with its overlay
// it validates, passes the model's checks and runs trials.
func TestFixturesValidateAndRun(t *testing.T) {
	for _, fx := range fixtures {
		t.Run(fx.name, func(t *testing.T) {
			dir := t.TempDir()
			sum := importInto(t, fx.req, dir, fx.name)
			if strings.Contains(sum, "problems in the imported scenario") {
				t.Fatalf("the import does not load beyond its placeholders:\n%s", sum)
			}
			_, err := scenarios.Load(filepath.Join(dir, fx.name+".toml"))
			var el scenarios.ErrorList
			if !errors.As(err, &el) {
				t.Fatalf("the import alone: %v, want placeholder errors", err)
			}
			for _, e := range el {
				if !e.IsPlaceholder() || e.Line == 0 {
					t.Errorf("not a positioned placeholder error: %v", e)
				}
			}
			overlay := filepath.Join(dir, fx.name+"-dr.toml")
			copyFile(t, filepath.Join("testdata", fx.overlay), overlay)
			cfg, err := scenarios.Load(overlay)
			if err != nil {
				t.Fatalf("import + overlay: %v", err)
			}
			results := model.RunTrials(cfg, cfg.Seed, cfg.Trials, 1, nil)
			incidents := 0
			for _, r := range results {
				if r.Incident {
					incidents++
				}
			}
			if len(results) != 20 || incidents == 0 {
				t.Errorf("%d trials, %d with an incident; want 20 trials and the us-east-1 outage seen", len(results), incidents)
			}
		})
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestStaticFindingsOnImport checks that an import runs drsim's static
// findings on the imported infrastructure, positioned in the file written:
// the us-west-2 replica key of the state and of the plan does not allow the
// replication role (DR105, at that copy's users_in entry).
func TestStaticFindingsOnImport(t *testing.T) {
	for _, tc := range []struct{ fixture, key, want string }{
		{"plan", "media", `error DR105: replication role "s3-replication" of bucket "media-use1" is not in the key policy of "media" in us-west-2`},
		{"state", "orders", `error DR105: replication role "s3-replication" of bucket "orders-archive-use1" is not in the key policy of "orders" in us-west-2`},
	} {
		for _, fx := range fixtures {
			if fx.name != tc.fixture {
				continue
			}
			dir := t.TempDir()
			sum := importInto(t, fx.req, dir, fx.name)
			out := filepath.Join(dir, fx.name+".toml")
			data, _ := os.ReadFile(out)
			line := lineOf(string(data), "[keys."+tc.key+".users_in]", "us-west-2 = ")
			if want := fmt.Sprintf("%s:%d:1: %s", out, line, tc.want); line == 0 || !strings.Contains(sum, want) {
				t.Errorf("%s: the summary has no finding %q:\n%s", fx.name, want, sum)
			}
		}
	}
}

// lineOf returns the 1-based line of the first line starting with prefix
// after the line header, or 0.
func lineOf(text, header, prefix string) int {
	seen := false
	for i, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, header) {
			seen = true
		} else if seen && strings.HasPrefix(l, prefix) {
			return i + 1
		}
	}
	return 0
}

// TestReimportKeepsOverlay imports the state, adds the user's overlay,
// changes the infrastructure (the us-west-2 replica's policy now allows the
// replication role; rotation every 90 days; the logs bucket removed) and
// imports again: the overlay is byte for byte the same, the imported file
// follows the change, and the pair validates and runs.
func TestReimportKeepsOverlay(t *testing.T) {
	dir := t.TempDir()
	req := fixtures[0].req
	req.Overlay = filepath.Join(dir, "state-dr.toml")
	sum := importInto(t, req, dir, "state")
	if !strings.Contains(sum, "state-dr.toml written") {
		t.Errorf("no starter overlay written:\n%s", sum)
	}
	// The user fills in the starter: here, by replacing it with theirs.
	copyFile(t, filepath.Join("testdata", "state.overlay.toml"), req.Overlay)
	mine, _ := os.ReadFile(req.Overlay)
	before, _ := os.ReadFile(filepath.Join(dir, "state.toml"))

	changed := changeState(t, dir)
	req.Inputs = []Input{{Path: changed}}
	sum = importInto(t, req, dir, "state")
	if !strings.Contains(sum, "state-dr.toml exists: left as it is") || strings.Contains(sum, "DR105") {
		t.Errorf("re-import summary:\n%s", sum)
	}
	// The summary knows what the overlay fills (the new user's re-import
	// still said "next: fill in the placeholders in my-setup.toml").
	if want := "to fill in: 11 placeholders, of which " + req.Overlay + " sets 11; none left"; !strings.Contains(sum, want) || !strings.Contains(sum, "next: drsim run "+req.Overlay) {
		t.Errorf("re-import summary lacks %q and the next step:\n%s", want, sum)
	}
	after, _ := os.ReadFile(filepath.Join(dir, "state.toml"))
	if got, _ := os.ReadFile(req.Overlay); !bytes.Equal(got, mine) {
		t.Error("the re-import changed the overlay")
	}
	if bytes.Equal(before, after) || !bytes.Contains(after, []byte(`rotation = "90d"`)) {
		t.Errorf("the imported file does not follow the change:\n%s", after)
	}
	cfg, err := scenarios.Load(req.Overlay)
	if err != nil {
		t.Fatalf("after the re-import: %v", err)
	}
	if n := len(model.RunTrials(cfg, cfg.Seed, cfg.Trials, 1, nil)); n != cfg.Trials {
		t.Errorf("%d trials", n)
	}
}

// changeState writes a changed copy of the state fixture into dir.
func changeState(t *testing.T, dir string) string {
	t.Helper()
	data, err := os.ReadFile("../terraform/testdata/state.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	root := doc["values"].(map[string]any)["root_module"].(map[string]any)
	var kept []any
	for _, r := range root["resources"].([]any) {
		res := r.(map[string]any)
		addr := res["address"].(string)
		if strings.HasSuffix(addr, ".logs") {
			continue
		}
		if addr == "aws_kms_key.orders" {
			res["values"].(map[string]any)["rotation_period_in_days"] = 90
		}
		kept = append(kept, res)
	}
	root["resources"] = kept
	west := root["child_modules"].([]any)[0].(map[string]any)
	for _, r := range west["resources"].([]any) {
		res := r.(map[string]any)
		if res["type"] == "aws_kms_replica_key" {
			v := res["values"].(map[string]any)
			v["policy"] = strings.Replace(v["policy"].(string), `"arn:aws:iam::111122223333:role/orders-app"`,
				`["arn:aws:iam::111122223333:role/orders-app","arn:aws:iam::111122223333:role/s3-replication"]`, 1)
		}
	}
	out, _ := json.MarshalIndent(doc, "", "  ")
	p := filepath.Join(dir, "state-changed.json")
	if err := os.WriteFile(p, out, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestNoOverwrite checks that a file drsim import did not write is not
// overwritten without Force, and that the overlay must sit beside the
// imported file.
func TestNoOverwrite(t *testing.T) {
	dir := t.TempDir()
	mine := filepath.Join(dir, "mine.toml")
	os.WriteFile(mine, []byte("name = \"mine\"\n"), 0o644)
	req := fixtures[1].req
	req.Output = mine
	err := Run(context.Background(), req, &bytes.Buffer{}, &bytes.Buffer{})
	var ie *InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "was not written by drsim import: not overwritten") {
		t.Errorf("got %v", err)
	}
	if data, _ := os.ReadFile(mine); string(data) != "name = \"mine\"\n" {
		t.Error("the file was changed")
	}
	req.Force = true
	if err := Run(context.Background(), req, &bytes.Buffer{}, &bytes.Buffer{}); err != nil {
		t.Errorf("with Force: %v", err)
	}
	if data, _ := os.ReadFile(mine); !bytes.HasPrefix(data, []byte(importer.Header)) {
		t.Error("not overwritten with Force")
	}
	for _, tc := range []struct {
		req  Request
		want string
	}{
		{Request{Source: Terraform, Inputs: []Input{{Path: "x.json"}}, Output: filepath.Join(dir, "a.toml"), Overlay: filepath.Join(dir, "sub", "b.toml")}, "must be in the folder of"},
		{Request{Source: Terraform, Inputs: []Input{{Path: "x.json"}}, Overlay: "b.toml"}, "--overlay needs -o"},
		{Request{Source: CloudFormation, Inputs: []Input{{Path: "t.yaml"}}}, "give the region its stack is deployed in"},
		{Request{Source: Terraform, Inputs: []Input{{Path: "a.json"}, {Path: "b.json"}}}, "terraform takes one input, got 2"},
		{Request{Source: "pulumi", Inputs: []Input{{Path: "a"}}}, `unknown source "pulumi"`},
	} {
		err := Run(context.Background(), tc.req, &bytes.Buffer{}, &bytes.Buffer{})
		var ue *UsageError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("got %v, want a usage error with %q", err, tc.want)
		}
	}
}

// TestNeutralHasTheSameLines checks, for each fixture, that the neutral
// rendering the import loads and lints has the lines of the scenario it
// writes, line for line except where a placeholder or a muted store is,
// so that positions in one are positions in the other.
func TestNeutralHasTheSameLines(t *testing.T) {
	for _, fx := range fixtures {
		inv, err := decode(fx.req)
		if err != nil {
			t.Fatal(err)
		}
		inv.Finish()
		r := strings.Split(string(importer.Render(inv, importer.Options{}).Text), "\n")
		n := strings.Split(string(importer.Render(inv, importer.Options{Neutral: true}).Text), "\n")
		if len(r) != len(n) {
			t.Fatalf("%s: %d lines, neutral %d", fx.name, len(r), len(n))
		}
		for i := range r {
			if r[i] != n[i] && !strings.Contains(r[i], `"FILL-IN:`) && "# "+r[i] != n[i] {
				t.Errorf("%s: line %d differs:\n  %s\n  %s", fx.name, i+1, r[i], n[i])
			}
		}
	}
}
