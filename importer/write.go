package importer

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/drsim/drsim/importer/policy"
	"github.com/drsim/drsim/internal/escape"
	"github.com/drsim/drsim/scenarios"
)

// Options says how Render writes a scenario.
type Options struct {
	// Name is the scenario's name; "" takes the sanitized stem of the
	// first input file.
	Name string
	// Command is the command line that imported it, quoted in the header.
	Command string
	// Output is the path the scenario is written to ("" for stdout); the
	// header shows the extends line that refers to it.
	Output string
	// Neutral writes, instead of each placeholder, a neutral value where
	// the format requires one (a horizon, the app, "*" for an unknown key
	// policy) and a comment where it does not; stores and rules whose key
	// or role is unknown are commented out. The text has the same lines as
	// the scenario Render writes otherwise, so that what scenarios and the
	// static findings say about it is positioned in that scenario. drsim
	// import loads it to check what it writes and to run the static
	// findings on the infrastructure.
	Neutral bool
}

// Rendered is a scenario written by Render.
type Rendered struct {
	// Text is the scenario, TOML.
	Text []byte
	// Name is the scenario's name.
	Name string
	// Placeholders are the values left to fill in, in file order.
	Placeholders []Hole
	// Principals are the principals the imported key policies name, sorted
	// ("*" excluded): the candidates for app.principal.
	Principals []string
}

// Header is the first line of every scenario Render writes; a file that
// does not start with it is not overwritten by a re-import.
const Header = "# drsim scenario imported by drsim import."

// Render writes inv, finished, as a scenario: every imported item with a
// comment naming its source, and a placeholder for every value no
// infrastructure code holds (horizon, outages, runbook, objectives, the
// app's principal and regions, the stores' rates). scenarios rejects each
// placeholder with a positioned message until a file extending this one
// sets it.
func Render(inv *Inventory, opt Options) *Rendered {
	w := &writer{neutral: opt.Neutral}
	name := opt.Name
	if name == "" && len(inv.Inputs) > 0 {
		name = Sanitize(strings.TrimSuffix(filepath.Base(inv.Inputs[0]), filepath.Ext(inv.Inputs[0])))
	}
	if name == "" {
		name = "imported"
	}
	self := "THIS-FILE.toml"
	if opt.Output != "" {
		self = filepath.Base(opt.Output)
	}
	w.line(Header)
	w.line("# Source: " + comment(inv.Kind+" "+strings.Join(inv.Inputs, ", ")))
	if opt.Command != "" {
		w.line("# Command: " + comment(opt.Command))
	}
	w.line("#")
	w.line("# A re-import rewrites this whole file. Keep what you write yourself (rates,")
	w.line("# objectives, outages, the runbook) in a file of your own, in this folder, that")
	w.line("# extends this one; drsim import never writes it (docs/import.md):")
	w.line("#   name = \"" + name + "-dr\"")
	w.line("#   extends = " + quote(self))
	w.line("# Values starting with " + quote(scenarios.PlaceholderPrefix) + " are what no infrastructure code holds:")
	w.line("# drsim validate names each one until your file sets it. \"undecided\" marks a")
	w.line("# key policy grant that depends on IAM policies or conditions drsim cannot see.")
	if len(inv.Warnings) > 0 {
		w.line("#")
		w.line("# Import warnings:")
		for _, m := range inv.Warnings {
			w.line("# - " + comment(m))
		}
	}
	w.blank()
	w.kv("name", quote(name), "")
	if inv.Account != "" {
		w.kv("account", quote(inv.Account), "the account in the input's ARNs")
	}
	regions := inv.Regions()
	first := ""
	if len(regions) > 0 {
		first = regions[0]
	}
	w.placeholder("", "horizon", `simulated time per trial, like "24h", longer than the outages you simulate`, quote("24h"))
	w.placeholder("", "outages", `the outages to simulate, as [[outages]] tables (docs/scenario-format.md, "outages")`, "")
	w.placeholder("", "failover", `the runbook, as a [failover] table with from, to, detect and [[failover.steps]] (docs/scenario-format.md, "failover")`, "")
	w.blank()
	w.table("objectives", "")
	w.placeholder("objectives", "rto", `the recovery time objective, like "30m"`, "")
	w.placeholder("objectives", "rpo", `the recovery point objective, like "5m"`, "")
	w.blank()
	for _, r := range regions {
		w.table("regions."+tomlKey(r), "")
	}
	w.blank()
	principals := inv.principals()
	w.table("app", "")
	what := "the principal your application calls KMS and the stores with"
	if len(principals) > 0 {
		what += "; the key policies name " + strings.Join(principals, ", ")
	}
	w.placeholder("app", "principal", what, quote("drsim-import"))
	w.placeholder("app", "serve", `the regions serving traffic at t=0, like ["us-east-1"]`, "["+quote(first)+"]")
	for _, k := range inv.Keys {
		w.blank()
		w.key(k)
	}
	for _, b := range inv.liveBuckets() {
		w.blank()
		w.bucket(b)
	}
	for _, t := range inv.liveTables() {
		w.blank()
		w.tableStore(t)
	}
	for _, k := range inv.Keys {
		for _, c := range k.Copies() {
			switch {
			case c.PendingDeletion != "":
				w.blank()
				w.line("[[actions]]  # " + comment(c.Source+": "+c.PendingDeletion+" in the input"))
				w.kv("at", quote("0s"), "")
				w.kv("op", quote("schedule-key-deletion"), "")
				w.kv("key", quote(k.Name), "")
				w.kv("region", quote(c.Region), "")
				w.line("# window: not in the input; the default, 30d, ends after any horizon you simulate")
			case c.Disabled:
				w.blank()
				w.line("[[actions]]  # " + comment(c.Source+": disabled in the input"))
				w.kv("at", quote("0s"), "")
				w.kv("op", quote("disable-key"), "")
				w.kv("key", quote(k.Name), "")
				w.kv("region", quote(c.Region), "")
			}
		}
	}
	return &Rendered{Text: []byte(w.b.String()), Name: name, Placeholders: w.holes, Principals: principals}
}

// principals returns the named principals of every known key policy, sorted.
func (inv *Inventory) principals() []string {
	var out []string
	for _, k := range inv.Keys {
		for _, c := range k.Copies() {
			if c.Policy == nil {
				continue
			}
			for _, p := range c.Policy.Principals {
				if p.Name != "*" && !slices.Contains(out, p.Name) {
					out = append(out, p.Name)
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

// Hole is a placeholder Render wrote: the key Key of the table Table ("" for
// the top level) and what to fill in.
type Hole struct {
	Table, Key, What string
}

// Path is the key path of the placeholder, like "buckets.alerts.writes".
func (h Hole) Path() string {
	if h.Table == "" {
		return h.Key
	}
	return h.Table + "." + h.Key
}

// writer builds the scenario text.
type writer struct {
	b     strings.Builder
	holes []Hole
	// neutral: see Options.Neutral; muted comments out every line.
	neutral, muted bool
}

func (w *writer) line(s string) {
	if w.muted && s != "" {
		s = "# " + s
	}
	w.b.WriteString(s + "\n")
}

func (w *writer) blank() {
	if !strings.HasSuffix(w.b.String(), "\n\n") {
		w.b.WriteString("\n")
	}
}

func (w *writer) table(path, note string) {
	s := "[" + path + "]"
	if note != "" {
		s += "  # " + comment(note)
	}
	w.line(s)
}

// kv writes key = value with an optional comment.
func (w *writer) kv(key, value, note string) {
	s := key + " = " + value
	if note != "" {
		s += "  # " + comment(note)
	}
	w.line(s)
}

// placeholder writes key = "FILL-IN: what"; in neutral mode, key = neutral,
// or a comment when neutral is "".
func (w *writer) placeholder(table, key, what, neutral string) {
	w.holes = append(w.holes, Hole{table, key, what})
	switch {
	case !w.neutral:
		w.kv(key, quote(scenarios.Placeholder(what)), "")
	case neutral != "":
		w.kv(key, neutral, "")
	default:
		w.line("# " + key + " (to fill in)")
	}
}

// entry is one element of a multi-line array: a value with a comment, or a
// comment line alone (value "").
type entry struct{ value, note string }

func (w *writer) array(key string, es []entry) {
	if len(es) == 0 {
		w.line(key + " = []")
		return
	}
	if len(es) == 1 && es[0].value != "" {
		w.kv(key, "["+es[0].value+"]", es[0].note)
		return
	}
	w.line(key + " = [")
	for _, e := range es {
		switch {
		case e.value == "":
			w.line("  # " + comment(e.note))
		case e.note == "":
			w.line("  " + e.value + ",")
		default:
			w.line("  " + e.value + ",  # " + comment(e.note))
		}
	}
	w.line("]")
}

func (w *writer) key(k *Key) {
	p := "keys." + k.Name
	w.table(p, k.Source)
	if k.External {
		w.externalKey(p, k)
		return
	}
	if k.PrimaryUnknown != "" {
		w.unknownPrimaryKey(p, k)
		return
	}
	if k.MultiRegion {
		w.kv("multi_region", "true", "")
		w.kv("primary", quote(k.Primary.Region), k.Primary.ARN)
		var reps []entry
		for _, c := range k.Replicas {
			reps = append(reps, entry{quote(c.Region), c.Source})
		}
		w.array("replicas", reps)
	} else {
		w.kv("region", quote(k.Primary.Region), k.Primary.ARN)
	}
	if k.RotationDays >= MinRotationDays && k.RotationDays <= MaxRotationDays {
		w.kv("rotation", quote(fmt.Sprintf("%dd", k.RotationDays)), k.RotationSource)
	}
	// users and admins from the primary's policy; users_in and admins_in
	// for every copy whose policy gives a different list.
	w.accessList(p, "users", k.Primary, false)
	w.accessList(p, "admins", k.Primary, false)
	w.perCopy(p, k, "the copies whose key policy differs from the primary's", func(c *Copy, what string) bool {
		return c.Policy == nil || k.Primary.Policy == nil || !slices.Equal(grants(c.Policy, what), grants(k.Primary.Policy, what))
	})
}

// perCopy writes users_in and admins_in for the replicas differ selects.
func (w *writer) perCopy(p string, k *Key, note string, differ func(c *Copy, what string) bool) {
	for _, what := range []string{"users", "admins"} {
		var cs []*Copy
		for _, c := range k.Replicas {
			if differ(c, what) {
				cs = append(cs, c)
			}
		}
		if len(cs) == 0 {
			continue
		}
		w.blank()
		w.table(p+"."+what+"_in", note)
		for _, c := range cs {
			w.accessList(p+"."+what+"_in", tomlKey(c.Region), c, true)
		}
	}
}

// unknownPrimaryKey writes a multi-Region key whose primary is not known
// from the input (Key.PrimaryUnknown): its primary region and the
// primary's policy are placeholders; its replicas are written with their
// own policies. In the neutral rendering the first replica stands for the
// primary.
func (w *writer) unknownPrimaryKey(p string, k *Key) {
	w.kv("multi_region", "true", "")
	why := " (" + k.PrimaryUnknown + ")"
	w.placeholder(p, "primary", "the primary region of the multi-Region key "+k.Via+" names"+why, quote(k.Replicas[0].Region))
	switch {
	case len(k.Replicas) == 1 && w.neutral:
		w.kv("replicas", "[]", k.Replicas[0].Source)
	case len(k.Replicas) == 1:
		w.kv("replicas", "["+quote(k.Replicas[0].Region)+"]", k.Replicas[0].Source)
	default:
		w.line("replicas = [")
		for i, c := range k.Replicas {
			l := "  " + quote(c.Region) + ",  # " + comment(c.Source)
			if i == 0 && w.neutral {
				l = "  # " + l[2:]
			}
			w.line(l)
		}
		w.line("]")
	}
	w.line("# rotation: set on the primary key, which is not in the input")
	w.placeholder(p, "users", "the principals the key policy of the primary key "+k.Via+" allows kms:Decrypt, kms:Encrypt or kms:GenerateDataKey"+why, `["*"]`)
	w.placeholder(p, "admins", "the principals the key policy of the primary key "+k.Via+" allows every control-plane action, or [\"*\"]"+why, `["*"]`)
	w.perCopy(p, k, "each replica's own key policy", func(*Copy, string) bool { return true })
}

// grants lists what a policy's users or admins list holds, for telling a
// replica's apart from the primary's: each user with the crypto actions
// it is allowed and whether that is undecided (a copy that allows the
// replication role only kms:Decrypt differs from one that allows it
// everything, though the names are the same), each admin, and each
// partial admin with what it lacks.
func grants(a *policy.Analysis, what string) []string {
	var out []string
	for _, pr := range a.Principals {
		switch {
		case what == "users" && pr.User():
			out = append(out, fmt.Sprintf("%s %v %v", pr.Name, pr.Crypto, pr.Undecided))
		case what == "admins" && pr.Admin():
			out = append(out, pr.Name)
		case what == "admins" && pr.PartialAdmin():
			out = append(out, fmt.Sprintf("%s lacks %v", pr.Name, pr.MissingControl()))
		}
	}
	return out
}

// accessList writes one users or admins list (key) for copy c.
func (w *writer) accessList(table, key string, c *Copy, perCopy bool) {
	what := key
	if perCopy {
		what = table[strings.LastIndex(table, ".")+1:]
		what = strings.TrimSuffix(what, "_in")
	}
	if c.Policy == nil {
		ask := "the principals the key policy of " + c.Source + " allows kms:Decrypt, kms:Encrypt or kms:GenerateDataKey"
		if what == "admins" {
			ask = "the principals the key policy of " + c.Source + " allows every control-plane action (" + strings.Join(policy.ControlActions, ", ") + "), or [\"*\"]"
		}
		ask += " (" + c.PolicyUnknown
		if len(c.PolicyRefs) > 0 {
			ask += "; it refers to " + strings.Join(c.PolicyRefs, ", ")
		}
		ask += ")"
		w.placeholder(table, key, ask, `["*"]`)
		return
	}
	var es []entry
	if perCopy {
		es = append(es, entry{"", c.Source})
	}
	if c.PolicyNote != "" && what == "users" {
		es = append(es, entry{"", c.PolicyNote})
	}
	if what == "users" && len(c.Policy.Ignored) > 0 {
		es = append(es, entry{"", "not drsim principals: " + strings.Join(c.Policy.Ignored, ", ")})
	}
	for _, pr := range c.Policy.Principals {
		switch {
		case what == "users" && pr.User():
			es = append(es, entry{quote(pr.Name), grantNote(pr, true)})
		case what == "admins" && pr.Admin():
			es = append(es, entry{quote(pr.Name), grantNote(pr, false)})
		case what == "admins" && pr.PartialAdmin():
			es = append(es, entry{"", fmt.Sprintf("%q is not an admin: not allowed %s (%s)", pr.Name,
				strings.Join(pr.MissingControl(), ", "), strings.Join(pr.Statements, ", "))})
		}
	}
	w.array(key, es)
}

// grantNote is the comment on a principal of a users or admins list: the
// statements that grant it (those its notes do not name already), what it
// lacks of the crypto actions, and its notes; "undecided: " first when the
// policy alone cannot decide.
func grantNote(pr *policy.Principal, users bool) string {
	var parts []string
	var by []string
	for _, st := range pr.Statements {
		named := false
		for _, n := range pr.Notes {
			named = named || strings.Contains(n, st)
		}
		if !named {
			by = append(by, st)
		}
	}
	if len(by) > 0 {
		parts = append(parts, "allowed by "+strings.Join(by, ", "))
	}
	if users && len(pr.Crypto) < len(policy.CryptoActions) {
		parts = append(parts, "only "+strings.Join(pr.Crypto, ", "))
	}
	parts = append(parts, pr.Notes...)
	s := strings.Join(parts, "; ")
	if pr.Undecided {
		s = "undecided: " + s
	}
	return s
}

func (w *writer) externalKey(p string, k *Key) {
	refs := strings.Join(k.Refs, ", ")
	first, rest := "", []string{}
	for i, r := range k.Refs {
		if i == 0 {
			first = quote(r)
		} else {
			rest = append(rest, quote(r))
		}
	}
	if k.MultiRegion {
		w.kv("multi_region", "true", "the key ID starts with mrk-")
		w.placeholder(p, "primary", "the primary region of multi-Region key "+k.KeyID+" (not in the input; it is used in "+refs+")", first)
		w.placeholder(p, "replicas", "the replica regions of multi-Region key "+k.KeyID+", like [\"us-west-2\"]", "["+strings.Join(rest, ", ")+"]")
	} else if len(k.Refs) == 1 {
		w.kv("region", quote(k.Refs[0]), "the region of its ARN")
	} else {
		w.placeholder(p, "region", "the region of key "+k.KeyID, first)
	}
	w.placeholder(p, "users", "the principals the key policy of "+k.KeyID+" allows kms:Decrypt, kms:Encrypt or kms:GenerateDataKey (the key is not in the input)", `["*"]`)
	w.placeholder(p, "admins", "the principals the key policy of "+k.KeyID+" allows every control-plane action, or [\"*\"] (the key is not in the input)", `["*"]`)
}

// keyValue writes key = the name of ref's key, or a placeholder.
func (w *writer) keyValue(table, key string, ref KeyRef, source, what string) {
	if ref.Key == nil {
		why := ref.Unknown
		if why == "" {
			why = "the input gives none"
		}
		w.placeholder(table, key, what+" ("+why+")", "")
		return
	}
	note := source
	if ref.Via != "" {
		note += ": " + ref.Via
	}
	w.kv(key, quote(ref.Key.Name), note)
}

func (w *writer) bucket(b *Bucket) {
	p := "buckets." + b.Name
	w.muted = w.neutral && b.SSE.Key.Key == nil
	defer func() { w.muted = false }()
	note := b.Source
	if b.BucketName != "" && !strings.Contains(b.Source, b.BucketName) {
		note += " (bucket " + b.BucketName + ")"
	}
	w.table(p, note)
	w.kv("region", quote(b.Region), "")
	w.keyValue(p, "key", b.SSE.Key, b.SSE.Source, "the key that encrypts bucket "+bucketLabel(b))
	if b.SSE.BucketKey {
		w.kv("bucket_key", "true", b.SSE.Source)
	}
	w.placeholder(p, "writes", `PUTs per second to bucket `+bucketLabel(b)+`, all regions together, like 20 or "1200/min"`, "")
	w.placeholder(p, "reads", `GETs per second from bucket `+bucketLabel(b)+`, all regions together, like 50 or "3000/min"`, "")
	w.line("# object_size: not in the input; the default is 64KiB (it sets transfer and storage costs)")
	for _, r := range b.Rules {
		ok, why := r.writable(b.Region)
		if !ok {
			w.line("# not imported: " + comment(r.Source+": "+why))
			continue
		}
		w.blank()
		bucketMuted := w.muted
		w.muted = bucketMuted || w.neutral && (r.Key.Key == nil || r.Role == "")
		rp := p + ".replication"
		w.line("[[" + rp + "]]  # " + comment(r.Source))
		dest := r.DestName
		if r.Dest != nil {
			dest = r.Dest.Source
			if r.Dest.BucketName != "" && !strings.Contains(dest, r.Dest.BucketName) {
				dest += " (bucket " + r.Dest.BucketName + ")"
			}
		}
		w.kv("to", quote(r.To), "destination "+dest)
		w.keyValue(rp, "key", r.Key, "replica KMS key", "the key that encrypts the replicas in "+r.To)
		if r.Role != "" {
			w.kv("role", quote(r.Role), b.RoleSource)
		} else {
			w.placeholder(rp, "role", "the replication role's name ("+b.RoleSource+" gives none that is known)", "")
		}
		if r.RTC {
			w.kv("rtc", "true", "Replication Time Control enabled")
		}
		if r.Filter != "" {
			w.line("# filter " + comment(r.Filter) + ": drsim replicates every object of the bucket")
		}
		w.muted = bucketMuted
	}
}

func bucketLabel(b *Bucket) string {
	if b.BucketName != "" {
		return b.BucketName
	}
	return b.Name
}

func (w *writer) tableStore(t *Table) {
	p := "tables." + t.Name
	for _, r := range t.Replicas {
		w.muted = w.muted || w.neutral && r.Key.Key == nil
	}
	defer func() { w.muted = false }()
	note := t.Source
	if t.TableName != "" && !strings.Contains(t.Source, t.TableName) {
		note += " (table " + t.TableName + ")"
	}
	w.table(p, note)
	label := t.TableName
	if label == "" {
		label = t.Name
	}
	// A replica whose region the input does not tell is asked for in a
	// placeholder of the regions; the others are written.
	var regs []entry
	var unknown []string
	reps := make([]*TableReplica, 0, len(t.Replicas))
	for _, r := range t.Replicas {
		if r.Region == "" {
			why := r.Source + ": " + r.RegionUnknown
			if r.Key.Key != nil {
				why += "; its key: " + r.Key.Key.Name
			} else if r.Key.Via != "" {
				why += "; its key: " + r.Key.Via
			}
			unknown = append(unknown, why)
			continue
		}
		reps = append(reps, r)
		regs = append(regs, entry{quote(r.Region), r.Source})
	}
	if len(unknown) > 0 {
		var names, vals []string
		for _, r := range reps {
			names, vals = append(names, r.Region), append(vals, quote(r.Region))
		}
		what := "the regions of table " + label + ": "
		if len(names) > 0 {
			what += strings.Join(names, ", ") + " and "
		}
		w.placeholder(p, "regions", what+"the region of "+strings.Join(unknown, ", and of ")+`, like ["us-east-1", "us-west-2"]`, "["+strings.Join(vals, ", ")+"]")
	} else {
		w.array("regions", regs)
	}
	if len(reps) == 0 {
		w.placeholder(p, "key", "the at-rest key of table "+label, "")
		reps = t.Replicas[:0]
	}
	same := true
	for _, r := range reps {
		same = same && r.Key.Key != nil && r.Key.Key == reps[0].Key.Key
	}
	if len(reps) > 0 && (same || len(reps) == 1) {
		w.keyValue(p, "key", reps[0].Key, reps[0].Source, "the at-rest key of table "+label)
	}
	w.placeholder(p, "writes", `writes per second to table `+label+`, all regions together, like 100 or "6000/min"`, "")
	w.placeholder(p, "reads", `reads per second from table `+label+`, all regions together, like 400`, "")
	w.line("# item_size: not in the input; the default is 1KiB (it sets the replicated write cost)")
	if len(reps) == 0 || same || len(reps) == 1 {
		return
	}
	w.blank()
	w.table(p+".keys_in", "each replica's at-rest key")
	for _, r := range reps {
		w.keyValue(p+".keys_in", tomlKey(r.Region), r.Key, r.Source, "the at-rest key of table "+label+" in "+r.Region)
	}
}

// quote writes s as a TOML basic string.
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// comment makes s safe on a comment line: one line, its control
// characters (which TOML forbids in comments, and a newline would end the
// comment: a file named "s\ntrials = 7 #.json" wrote trials = 7 into the
// scenario) shown as escapes (\n, \x1b), as a terminal shows them.
func comment(s string) string { return escape.Text(s) }

// tomlKey writes s as a key of a dotted table name or a key/value pair:
// bare when TOML allows it, quoted otherwise (the decoders check regions
// and names, so that this is a last guard).
func tomlKey(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") == "" {
		return s
	}
	return quote(s)
}
