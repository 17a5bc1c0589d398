package scenarios

import (
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/sim"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// dump renders v as indented "Field: value" lines, distributions in scenario
// syntax, map keys sorted.
func dump(b *strings.Builder, v reflect.Value, indent string) {
	if v.Type() == reflect.TypeOf(sim.Dist{}) {
		fmt.Fprintf(b, "%s\n", v.Interface().(sim.Dist).String())
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			b.WriteString("nil\n")
			return
		}
		dump(b, v.Elem(), indent)
	case reflect.Struct:
		b.WriteString("{\n")
		for i := 0; i < v.NumField(); i++ {
			if !v.Type().Field(i).IsExported() {
				continue
			}
			name := v.Type().Field(i).Name
			fmt.Fprintf(b, "%s  %s: ", indent, name)
			if durationFields[name] {
				fmt.Fprintf(b, "%s\n", sim.FormatDuration(v.Field(i).Int()))
				continue
			}
			dump(b, v.Field(i), indent+"  ")
		}
		fmt.Fprintf(b, "%s}\n", indent)
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			b.WriteString("nil\n")
			return
		}
		b.WriteString("[\n")
		for i := 0; i < v.Len(); i++ {
			fmt.Fprintf(b, "%s  ", indent)
			dump(b, v.Index(i), indent+"  ")
		}
		fmt.Fprintf(b, "%s]\n", indent)
	case reflect.Map:
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		b.WriteString("{\n")
		for _, k := range keys {
			fmt.Fprintf(b, "%s  %q: ", indent, k.String())
			dump(b, v.MapIndex(k), indent+"  ")
		}
		fmt.Fprintf(b, "%s}\n", indent)
	case reflect.String:
		fmt.Fprintf(b, "%q\n", v.String())
	default:
		fmt.Fprintf(b, "%v\n", v.Interface())
	}
}

// durationFields are the sim.Time fields of model.Config, printed as durations.
var durationFields = map[string]bool{"Horizon": true, "RTO": true, "RPO": true, "Rotation": true, "Every": true, "Window": true, "Retry": true,
	"CredentialsTTL": true}

func render(c *model.Config) string {
	var b strings.Builder
	dump(&b, reflect.ValueOf(c), "")
	return b.String()
}

// TestGolden decodes the shared example scenarios (copied into testdata/)
// and compares the full Config with testdata/NAME.golden.
func TestGolden(t *testing.T) {
	for _, name := range []string{"snowy", "every-construct", "every-construct-11"} {
		t.Run(name, func(t *testing.T) {
			c, err := Load(filepath.Join("testdata", name+".toml"))
			if err != nil {
				t.Fatal(err)
			}
			if err := checkConfig(c); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, filepath.Join("testdata", name+".golden"), render(c))
		})
	}
}

// checkGolden compares got with the golden file, after writing it there
// with -update.
func checkGolden(t *testing.T, golden, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("got differs from %s (run go test -update if the change is intended):\n%s", golden, firstDiff(got, string(want)))
	}
}

func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("line %d:\n got: %s\nwant: %s", i+1, gl, wl)
		}
	}
	return ""
}

// TestSharedScenariosUnchanged checks that the copies in testdata/ are the
// shared files, when the shared directory is there.
func TestSharedScenariosUnchanged(t *testing.T) {
	for _, name := range []string{"snowy.toml", "every-construct.toml"} {
		shared, err := os.ReadFile(filepath.Join("..", "..", "shared", "scenarios", name))
		if err != nil {
			t.Skipf("shared scenarios not available: %v", err)
		}
		mine, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		if string(shared) != string(mine) {
			t.Errorf("testdata/%s differs from the shared file", name)
		}
	}
}

// TestBundledLoad loads every scenario file embedded in the package.
func TestBundledLoad(t *testing.T) {
	paths := bundledPaths()
	if len(paths) == 0 {
		t.Fatal("no bundled scenarios")
	}
	n := 0
	err := fs.WalkDir(BundledFS(), ".", func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || filepath.Ext(p) != ".toml" {
			return err
		}
		n++
		stem := strings.TrimSuffix(filepath.Base(p), ".toml")
		if paths[stem] != p {
			t.Errorf("%s: its stem %q names %s", p, stem, paths[stem])
			return nil
		}
		c, err := LoadBundled(stem)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			return nil
		}
		if c.File != stem {
			t.Errorf("%s: File = %q, want %q", p, c.File, stem)
		}
		if err := checkConfig(c); err != nil {
			t.Errorf("%s: %v", p, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != len(paths) {
		t.Errorf("walked %d files, %d names", n, len(paths))
	}
}

func TestBundledList(t *testing.T) {
	list := Bundled()
	if len(list) == 0 {
		t.Fatal("Bundled() is empty")
	}
	for i, in := range list {
		if strings.HasPrefix(in.Name, "_") {
			t.Errorf("base %q is listed", in.Name)
		}
		if i > 0 && list[i-1].Name >= in.Name {
			t.Errorf("not sorted: %q before %q", list[i-1].Name, in.Name)
		}
		c, err := LoadBundled(in.Name)
		if err != nil {
			t.Errorf("%s: %v", in.Name, err)
			continue
		}
		if c.Description != in.Description {
			t.Errorf("%s: Bundled description %q, loaded %q", in.Name, in.Description, c.Description)
		}
	}
	found := false
	for _, in := range list {
		found = found || in.Name == "snowy"
	}
	if !found {
		t.Error("snowy is not bundled")
	}
}

func TestResolve(t *testing.T) {
	tests := []struct {
		arg      string
		wantFile string
		wantErr  string
	}{
		{arg: "testdata/snowy.toml", wantFile: "testdata/snowy.toml"},
		{arg: "snowy", wantFile: "snowy"},
		{arg: "snowy.toml", wantFile: "snowy.toml"}, // a file exists in the package directory
		{arg: "_base", wantFile: "_base"},
		{arg: "snowyy", wantErr: `scenarios: no file "snowyy" and no bundled scenario "snowyy" (did you mean "snowy"?); bundled: `},
		{arg: "pilot-lite", wantErr: `(did you mean "pilot-light"?)`},
		{arg: "nothing.toml", wantErr: "scenarios: open nothing.toml: no such file or directory"},
		{arg: "pilot-light.toml", wantErr: `scenarios: no file "pilot-light.toml" (the bundled scenario of that name runs as "pilot-light")`},
		{arg: "testdata/extends/errors.toml", wantErr: "scenarios: testdata/extends/base.toml:18:26: keys.k.replicas:"},
	}
	for _, tt := range tests {
		t.Run(tt.arg, func(t *testing.T) {
			c, err := Resolve(tt.arg)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Resolve(%q) error = %v, want %q", tt.arg, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.File != tt.wantFile {
				t.Errorf("File = %q, want %q", c.File, tt.wantFile)
			}
		})
	}
	if _, err := LoadBundled("nope"); err == nil || !strings.Contains(err.Error(), `scenarios: no bundled scenario "nope"; bundled: `) {
		t.Errorf("LoadBundled(nope) = %v", err)
	}
}

// checkConfig verifies the invariants every Config from this package has:
// indices in range, sorted slices, defaults filled in.
func checkConfig(c *model.Config) error {
	nr, nk := len(c.Regions), len(c.Keys)
	reg := func(i int) bool { return i >= 0 && i < nr }
	key := func(i int) bool { return i >= 0 && i < nk }
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	if c.Name == "" || c.Horizon <= 0 || c.Trials <= 0 || c.Account == "" || nr == 0 {
		bad("top level: name %q horizon %d trials %d account %q regions %d", c.Name, c.Horizon, c.Trials, c.Account, nr)
	}
	if !(c.Objectives.Success > 0 && c.Objectives.Success <= 1) {
		bad("success %v", c.Objectives.Success)
	}
	for i := 1; i < nr; i++ {
		if c.Regions[i-1].Name >= c.Regions[i].Name {
			bad("regions not sorted")
		}
	}
	for _, r := range c.Regions {
		if r.KMSRPS <= 0 {
			bad("region %s: kms_rps %v", r.Name, r.KMSRPS)
		}
	}
	for i, k := range c.Keys {
		if i > 0 && c.Keys[i-1].Name >= k.Name {
			bad("keys not sorted")
		}
		if !reg(k.Primary) || (!k.MultiRegion && len(k.Replicas) > 0) {
			bad("key %s: primary %d replicas %v", k.Name, k.Primary, k.Replicas)
		}
		for j, r := range k.Replicas {
			if !reg(r) || r == k.Primary || (j > 0 && k.Replicas[j-1] >= r) {
				bad("key %s: replicas %v", k.Name, k.Replicas)
			}
		}
		for _, u := range k.UsersIn {
			if !reg(u.Region) {
				bad("key %s: users_in region %d", k.Name, u.Region)
			}
		}
		if k.Admins == nil {
			bad("key %s: admins not filled in", k.Name)
		}
		if k.Rotation != 0 && (k.Rotation < MinRotation || k.Rotation > MaxRotation) {
			bad("key %s: rotation %d", k.Name, k.Rotation)
		}
	}
	if c.App.Principal == "" || len(c.App.Serve) == 0 || c.App.CredentialsTTL <= 0 {
		bad("app %+v", c.App)
	}
	for _, r := range c.App.Serve {
		if !reg(r) {
			bad("app serves %d", r)
		}
	}
	checkBackup := func(name string, b *model.Backup) {
		if b != nil && (!reg(b.To) || !key(b.Key) || b.Every <= 0) {
			bad("%s: backup %+v", name, b)
		}
	}
	for _, b := range c.Buckets {
		if !reg(b.Region) || !key(b.Key) || b.ObjectSize <= 0 || b.Writes < 0 || b.Reads < 0 {
			bad("bucket %s: %+v", b.Name, b)
		}
		for _, r := range b.Replication {
			if !reg(r.To) || !key(r.Key) || r.To == b.Region || r.Role == "" {
				bad("bucket %s: replication %+v", b.Name, r)
			}
		}
		checkBackup(b.Name, b.Backup)
	}
	for _, tb := range c.Tables {
		if len(tb.Regions) == 0 || len(tb.Keys) != len(tb.Regions) || tb.ItemSize <= 0 || (tb.ClientKey != -1 && !key(tb.ClientKey)) {
			bad("table %s: %+v", tb.Name, tb)
		}
		for i, r := range tb.Regions {
			if !reg(r) || !key(tb.Keys[i]) || (i > 0 && tb.Regions[i-1] >= r) {
				bad("table %s: regions %v keys %v", tb.Name, tb.Regions, tb.Keys)
			}
		}
		checkBackup(tb.Name, tb.Backup)
	}
	for _, o := range c.Outages {
		if o.Stream == "" || o.Probability < 0 || o.Probability > 1 {
			bad("outage %+v", o)
		}
		switch o.Kind {
		case model.RegionOutage:
			if len(o.Phases) > 0 {
				if o.Services != 0 || o.ErrorRate != 0 {
					bad("outage %s: phases with services %d error rate %v", o.Stream, o.Services, o.ErrorRate)
				}
				for _, p := range o.Phases {
					if p.Services == 0 || p.Services&^model.SvcAll != 0 || !(p.ErrorRate > 0 && p.ErrorRate <= 1) {
						bad("outage %s: phase %+v", o.Stream, p)
					}
				}
			} else if !reg(o.Region) || o.Services == 0 || o.Services&^model.SvcAll != 0 || !(o.ErrorRate > 0 && o.ErrorRate <= 1) {
				bad("outage %s: region %d services %d error rate %v", o.Stream, o.Region, o.Services, o.ErrorRate)
			}
		case model.Partition:
			if !reg(o.Regions[0]) || !reg(o.Regions[1]) || o.Regions[0] >= o.Regions[1] {
				bad("partition %s: %v", o.Stream, o.Regions)
			}
		}
	}
	checkOp := func(where string, op model.Op) {
		if op.Key != -1 && !key(op.Key) || op.Region != -1 && !reg(op.Region) || op.To != -1 && !reg(op.To) {
			bad("%s: op %+v", where, op)
		}
		switch op.Kind {
		case model.OpNone:
		case model.OpRestoreBackup:
			if op.Key != -1 || op.Region != -1 {
				bad("%s: op %+v", where, op)
			}
		case model.OpCreateTableReplica, model.OpDeleteTableReplica:
			if op.Store.Kind != model.StoreTable || !reg(op.Region) || op.To != -1 {
				bad("%s: op %+v", where, op)
			}
		case model.OpPutBucketReplication, model.OpDeleteBucketReplication:
			if op.Store.Kind != model.StoreBucket || !reg(op.To) || op.Region != -1 ||
				(op.Kind == model.OpPutBucketReplication) != key(op.Key) {
				bad("%s: op %+v", where, op)
			}
		case model.OpRotateKey:
			if !key(op.Key) || op.Region != -1 {
				bad("%s: op %+v", where, op)
			}
		default:
			if !key(op.Key) || !reg(op.Region) {
				bad("%s: op %+v", where, op)
			}
		}
		if op.Kind == model.OpScheduleKeyDeletion && (op.Window < MinWindow || op.Window > MaxWindow) {
			bad("%s: window %d", where, op.Window)
		}
	}
	if f := c.Failover; f != nil {
		if !reg(f.From) || !reg(f.To) || f.From == f.To {
			bad("failover %d -> %d", f.From, f.To)
		}
		for i, s := range f.Steps {
			if s.Name == "" || s.Retry <= 0 {
				bad("step %d: %+v", i, s)
			}
			for _, a := range s.After {
				if a < 0 || a >= len(f.Steps) || a == i {
					bad("step %s: after %v", s.Name, s.After)
				}
			}
			for _, n := range s.Needs {
				if !n.ARC && (!reg(n.Region) || n.Service == 0 || n.Service&(n.Service-1) != 0 || n.Service == model.SvcApp) {
					bad("step %s: needs %+v", s.Name, n)
				}
			}
			checkOp("step "+s.Name, s.Op)
		}
	}
	for i, a := range c.Actions {
		if a.Op.Kind == model.OpNone {
			bad("action %d has no op", i)
		}
		checkOp(fmt.Sprintf("action %d", i), a.Op)
	}
	if len(c.ARCRegions) != 0 && len(c.ARCRegions) != 5 {
		bad("arc regions %v", c.ARCRegions)
	}
	for i := 1; i < len(c.Costs); i++ {
		if c.Costs[i-1].Name >= c.Costs[i].Name {
			bad("costs not sorted")
		}
	}
	if err := c.Check(); err != nil {
		bad("%v", err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("invalid config: %s", strings.Join(problems, "; "))
	}
	return nil
}

func FuzzParse(f *testing.F) {
	_ = fs.WalkDir(BundledFS(), ".", func(p string, e fs.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			if data, err := fs.ReadFile(BundledFS(), p); err == nil {
				f.Add(data)
			}
		}
		return nil
	})
	for _, p := range []string{"testdata/snowy.toml", "testdata/every-construct.toml", "testdata/every-construct-11.toml", "testdata/extends/child.toml"} {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(base))
	for _, s := range hostileSeeds() {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse("fuzz.toml", data, nil)
		if err != nil {
			if c != nil {
				t.Fatal("config returned with an error")
			}
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		if err := checkConfig(c); err != nil {
			t.Fatalf("%v\n%s", err, data)
		}
	})
}
