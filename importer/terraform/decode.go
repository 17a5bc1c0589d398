package terraform

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/drsim/drsim/importer"
	"github.com/drsim/drsim/importer/policy"
	"github.com/drsim/drsim/internal/jsonpos"
)

// Decode reads data, the output of `terraform show -json` for a state or a
// saved plan, named file in errors and comments, and returns the inventory
// (not yet finished: see importer.Inventory.Finish). It returns an
// importer.ErrorList for malformed JSON (file:line:col), a file that is not
// terraform show output (an empty file, UTF-16, a binary plan file, a raw
// terraform.tfstate: each says what to run instead), a resource without a
// mode or a type, an attribute of the wrong type or a region that is no
// AWS Region code (positioned), child modules nested too deep, or a key
// policy that cannot be read, every problem of the file at once.
func Decode(file string, data []byte) (*importer.Inventory, error) {
	const want = "the JSON of terraform show -json (a state or a saved plan)"
	data, terr := importer.CheckText(file, data, want)
	if terr != nil {
		return nil, importer.ErrorList{terr}
	}
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return nil, importer.ErrorList{{File: file, Line: 1, Col: 1, Msg: "a binary plan file (terraform plan -out writes a zip archive), not JSON: run terraform show -json " + file + " > plan.json and import plan.json"}}
	}
	var doc document
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber() // a number too large for float64 is an error only where it is read
	if err := dec.Decode(&doc); err != nil {
		e := jsonpos.Wrap(data, err)
		return nil, importer.ErrorList{{File: file, Line: e.Line, Col: e.Col, Msg: e.Msg}}
	}
	if _, err := dec.Token(); err == nil {
		off := dec.InputOffset()
		line, col := jsonpos.LineCol(data, off-1)
		return nil, importer.ErrorList{{File: file, Line: line, Col: col, Msg: "malformed JSON: more than one JSON value"}}
	}
	if doc.FormatVersion == "" {
		if doc.rawState() {
			return nil, importer.ErrorList{{File: file, Line: 1, Col: 1, Msg: "a state file as Terraform stores it (terraform.tfstate), not the output of terraform show -json: run terraform show -json > state.json in the configuration's folder and import state.json"}}
		}
		return nil, importer.ErrorList{{File: file, Line: 1, Col: 1, Msg: "not the output of terraform show -json (no format_version); run terraform show -json on a state or a saved plan"}}
	}
	if major, _, _ := strings.Cut(doc.FormatVersion, "."); major != "1" && major != "0" {
		return nil, importer.ErrorList{{File: file, Path: "format_version", Msg: fmt.Sprintf("unsupported version %q: drsim reads format 1.x", doc.FormatVersion)}}
	}
	d := &decoder{file: file, doc: &doc, byAddr: map[string]*instance{}, changes: map[string]*resourceChange{},
		bucketsByName: map[string]*importer.Bucket{}, tablesByARN: map[string]*importer.Table{}}
	d.plan = doc.PlannedValues != nil || doc.ResourceChanges != nil || doc.Configuration != nil
	d.inv = &importer.Inventory{Kind: "terraform state", Inputs: []string{file}}
	vals, top := doc.Values, "values"
	if d.plan {
		d.inv.Kind = "terraform plan"
		vals, top = doc.PlannedValues, "planned_values"
		for _, rc := range doc.ResourceChanges {
			if rc != nil && rc.Deposed == "" {
				d.changes[rc.Address] = rc
			}
		}
		if doc.Configuration != nil && doc.Configuration.RootModule != nil {
			d.root = &scope{mod: doc.Configuration.RootModule}
		}
	}
	if vals != nil && vals.RootModule != nil {
		d.walk(vals.RootModule, 0, top+".root_module")
	}
	if len(d.errs) == 0 {
		d.run()
	}
	d.positions(data)
	return d.inv, d.errs.Err()
}

// decoder holds one decoding.
type decoder struct {
	file    string
	doc     *document
	plan    bool
	inv     *importer.Inventory
	insts   []*instance
	byAddr  map[string]*instance
	changes map[string]*resourceChange
	root    *scope // the configuration's root module (plans)
	errs    importer.ErrorList
	// jpaths are the JSON paths of the values errs are about ("" for
	// none), for positions.
	jpaths []string

	bucketsByName map[string]*importer.Bucket
	tablesByARN   map[string]*importer.Table
}

// instance is one resource instance of the values tree.
type instance struct {
	res *resource
	// jpath is the resource's JSON path, like
	// "values.root_module.child_modules[0].resources[3]".
	jpath  string
	module string // module instance address: "", "module.a", "module.a[0].module.b"
	change *resourceChange
	cfg    *configResource
	scope  *scope

	key    *importer.Key
	copy   *importer.Copy
	bucket *importer.Bucket
	table  *importer.Table
}

func (in *instance) values() map[string]any { return in.res.Values }

func (in *instance) afterUnknown() any {
	if in.change == nil || in.change.Change == nil {
		return nil
	}
	return in.change.Change.AfterUnknown
}

// scope is a module of the configuration.
type scope struct {
	mod    *configModule
	parent *scope
	call   string // the module call's name in the parent
}

// child returns the scope of the module call name.
func (s *scope) child(name string) *scope {
	if s == nil || s.mod == nil || s.mod.ModuleCalls[name] == nil || s.mod.ModuleCalls[name].Module == nil {
		return nil
	}
	return &scope{mod: s.mod.ModuleCalls[name].Module, parent: s, call: name}
}

// maxModuleDepth bounds the recursion into child modules and references.
const maxModuleDepth = 64

// walk collects the resource instances of module m (at JSON path jpath)
// and its child modules. A resource without a mode or a type is an error;
// so are modules nested more than maxModuleDepth deep (their resources
// would be lost).
func (d *decoder) walk(m *module, depth int, jpath string) {
	if m == nil {
		return
	}
	if depth > maxModuleDepth {
		d.errAt(jpath, m.Address, "child modules nest more than %d deep: drsim reads %d levels, and a setup has a few", maxModuleDepth, maxModuleDepth)
		return
	}
	for i, r := range m.Resources {
		rpath := fmt.Sprintf("%s.resources[%d]", jpath, i)
		if r == nil || r.DeposedKey != "" {
			continue
		}
		switch {
		case r.Address == "":
			d.errAt(rpath, "", "a resource without an address: not the output of terraform show -json")
			continue
		case r.Mode != "managed" && r.Mode != "data":
			at, what := rpath+".mode", describeValue(r.Mode)
			if r.Mode == "" {
				at, what = rpath, "none"
			}
			d.errAt(at, r.Address, "mode: expected \"managed\" or \"data\", got %s", what)
			continue
		case r.Type == "":
			d.errAt(rpath, r.Address, "type: missing: expected a resource type like aws_kms_key")
			continue
		}
		in := &instance{res: r, jpath: rpath, module: m.Address, change: d.changes[r.Address]}
		if r.Values == nil {
			r.Values = map[string]any{}
		}
		in.scope = d.scopeOf(m.Address)
		if in.scope != nil {
			for _, cr := range in.scope.mod.Resources {
				if cr != nil && cr.Mode == r.Mode && cr.Type == r.Type && cr.Name == r.Name {
					in.cfg = cr
				}
			}
		}
		d.insts = append(d.insts, in)
		d.byAddr[r.Address] = in
	}
	for i, c := range m.ChildModules {
		d.walk(c, depth+1, fmt.Sprintf("%s.child_modules[%d]", jpath, i))
	}
}

// scopeOf returns the configuration scope of a module instance address.
func (d *decoder) scopeOf(module string) *scope {
	s := d.root
	for _, seg := range moduleSegments(module) {
		s = s.child(seg.name)
	}
	return s
}

// segment is one "module.NAME[KEY]" step of a module address.
type segment struct{ name, key string }

// moduleSegments splits "module.a[0].module.b" into its steps.
func moduleSegments(addr string) []segment {
	var out []segment
	for rest := addr; strings.HasPrefix(rest, "module."); {
		rest = strings.TrimPrefix(rest, "module.")
		name, key, after := splitStep(rest)
		out = append(out, segment{name, key})
		rest = strings.TrimPrefix(after, ".")
	}
	return out
}

// splitStep reads NAME[KEY] at the start of s and returns the name, the
// bracketed key ("" when none, else with its brackets) and the rest.
func splitStep(s string) (name, key, rest string) {
	i := strings.IndexAny(s, ".[")
	if i < 0 {
		return s, "", ""
	}
	name = s[:i]
	if s[i] == '.' {
		return name, "", s[i:]
	}
	inStr := false
	for j := i + 1; j < len(s); j++ {
		switch c := s[j]; {
		case c == '\\' && inStr:
			j++
		case c == '"':
			inStr = !inStr
		case c == ']' && !inStr:
			return name, s[i : j+1], s[j+1:]
		}
	}
	return name, s[i:], ""
}

func (d *decoder) errorf(in *instance, format string, args ...any) {
	d.errAt(in.jpath, in.res.Address, format, args...)
}

// passes are the resource types read, in the order they must be: keys
// first, then what refers to them.
var passes = [][]string{
	{"aws_kms_key", "aws_iam_role"},
	{"aws_kms_replica_key"},
	{"aws_s3_bucket", "aws_dynamodb_table"},
	{"aws_s3_bucket_server_side_encryption_configuration", "aws_dynamodb_table_replica"},
	{"aws_s3_bucket_replication_configuration"},
}

// run reads the instances pass by pass and lists the others as not
// imported.
func (d *decoder) run() {
	read := map[string]func(*instance){
		"aws_kms_key":         d.kmsKey,
		"aws_iam_role":        func(*instance) {}, // read where a role is referred to
		"aws_kms_replica_key": d.replicaKey,
		"aws_s3_bucket":       d.s3Bucket,
		"aws_dynamodb_table":  d.dynamoTable,
		"aws_s3_bucket_server_side_encryption_configuration": d.sseConfig,
		"aws_dynamodb_table_replica":                         d.tableReplica,
		"aws_s3_bucket_replication_configuration":            d.replicationConfig,
	}
	for _, pass := range passes {
		for _, in := range d.insts {
			if in.res.Mode == "managed" && slices.Contains(pass, in.res.Type) {
				read[in.res.Type](in)
			}
		}
	}
	for _, in := range d.insts {
		switch _, ok := read[in.res.Type]; {
		case in.res.Mode == "data":
			d.inv.Unsupport("data."+in.res.Type, in.res.Address)
		case !ok:
			d.inv.Unsupport(in.res.Type, in.res.Address)
		}
	}
	d.inlineBucketConfigs()
}

// hint returns the preferred and the qualified name of an instance: its
// resource name (the module's name for a resource named "this", "main" or
// "default" in a module), and the module path with the resource name.
func hint(in *instance) (string, string) {
	name := in.res.Name + strings.Trim(indexKey(in.res.Index), `[]"`)
	var mods []string
	for _, s := range moduleSegments(in.module) {
		mods = append(mods, s.name+strings.Trim(s.key, `[]"`))
	}
	q := strings.Join(append(mods, name), "-")
	if len(mods) > 0 && slices.Contains([]string{"this", "main", "default"}, in.res.Name) {
		name = mods[len(mods)-1]
	}
	return name, q
}

// region returns the instance's region: its region attribute (provider v6;
// aws_s3_bucket's computed region in v5), else the region of its ARN, else
// (plans) its provider configuration's region; "" when none tells. A region
// that is no AWS Region code is an error (bad is true: do not say again
// that it is missing).
func (d *decoder) region(in *instance) (region string, bad bool) {
	if r := d.str(in, "region"); r != "" {
		r = d.checkRegion(r, in.attrPath("region"), in.res.Address, "region")
		return r, r == ""
	}
	if arn := d.str(in, "arn"); arn != "" {
		if a, ok := importer.ParseARN(arn); ok && a.Region != "" {
			return a.Region, false
		} else if !ok && strings.HasPrefix(arn, "arn:") {
			d.errAt(in.attrPath("arn"), in.res.Address, "arn: %s is not an ARN with an AWS Region code", describeValue(arn))
			return "", true
		}
	}
	if in.cfg == nil || d.doc.Configuration == nil {
		return "", false
	}
	pc := d.doc.Configuration.ProviderConfig[in.cfg.ProviderConfigKey]
	if pc == nil {
		return "", false
	}
	e, ok := parseExpr(pc.Expressions["region"])
	if !ok {
		return "", false
	}
	for _, t := range d.resolve(d.scopeOf(pc.ModuleAddress), pc.ModuleAddress, e, 0) {
		if r, ok := t.value.(string); ok && t.hasValue {
			r = d.checkRegion(r, "", in.res.Address, "the region of provider configuration "+in.cfg.ProviderConfigKey)
			return r, r == ""
		}
	}
	return "", false
}

// regionOrErr returns the instance's region, or records an error.
func (d *decoder) regionOrErr(in *instance) string {
	r, bad := d.region(in)
	if r == "" && !bad {
		d.errorf(in, "cannot tell its region: no region attribute, no ARN with a region, and no provider configuration with a region")
	}
	return r
}

// copyPolicy reads the key policy of a copy: the policy attribute, or the
// default key policy when none is given, or unknown (plans).
func (d *decoder) copyPolicy(in *instance, c *importer.Copy) {
	doc := d.str(in, "policy")
	switch {
	case doc != "":
		a, err := policy.Analyze(doc)
		if err != nil {
			d.errAt(in.attrPath("policy"), in.res.Address, "policy: %v", err)
			return
		}
		c.Policy = a
	case d.plan && unknown(in.afterUnknown(), "policy") && in.cfg != nil && in.cfg.Expressions["policy"] != nil:
		e, _ := parseExpr(in.cfg.Expressions["policy"])
		c.PolicyUnknown = "its policy is unknown until apply"
		if from := d.origins(in.scope, in.module, e); len(from) > 0 {
			c.PolicyUnknown += ": it depends on " + strings.Join(from, ", ")
			var unreadable []string
			for _, f := range from {
				if !managedRef(f) {
					unreadable = append(unreadable, f)
				}
			}
			if len(unreadable) > 0 {
				d.inv.Warn("%s: policy is unknown until apply: it depends on %s, which drsim cannot read in a plan; the copy's users and admins are left to fill in", in.res.Address, strings.Join(unreadable, ", "))
			}
		}
		c.PolicyRefs = d.roleRefs(in, e)
	default:
		acct := ""
		if a, ok := importer.ParseARN(c.ARN); ok {
			acct = a.Account
		}
		a, _ := policy.Analyze(policy.DefaultPolicy(acct))
		c.Policy = a
		c.PolicyNote = "no policy given: KMS attaches the default key policy"
	}
}

func (d *decoder) kmsKey(in *instance) {
	h, q := hint(in)
	k := &importer.Key{Hint: h, Qualified: q, Source: in.res.Address, KeyID: d.str(in, "key_id")}
	k.MultiRegion, _ = d.boolean(in, "multi_region")
	c := &importer.Copy{Region: d.regionOrErr(in), Source: in.res.Address, ARN: d.str(in, "arn")}
	if a, ok := importer.ParseARN(c.ARN); ok {
		d.inv.SeeAccount(a.Account)
	}
	if on, ok := d.boolean(in, "is_enabled"); ok && !on {
		c.Disabled = true
	}
	if on, _ := d.boolean(in, "enable_key_rotation"); on {
		days, given := d.integer(in, "rotation_period_in_days")
		src := in.res.Address + ": enable_key_rotation"
		if given {
			src += ", rotation_period_in_days"
		}
		k.SetRotation(days, src)
	}
	d.copyPolicy(in, c)
	in.key, in.copy = k, c
	d.inv.AddKey(k, c)
}

func (d *decoder) replicaKey(in *instance) {
	c := &importer.Copy{Region: d.regionOrErr(in), Source: in.res.Address, ARN: d.str(in, "arn")}
	if on, ok := d.boolean(in, "enabled"); ok && !on {
		c.Disabled = true
	}
	d.copyPolicy(in, c)
	ref := d.keyRef(in, "primary_key_arn")
	var k *importer.Key
	switch {
	case ref.Key != nil && !ref.Key.External:
		k = ref.Key
	case d.str(in, "primary_key_arn") != "":
		k = d.inv.PrimaryFromARN(d.str(in, "primary_key_arn"), in.res.Address)
	case ref.Unknown != "":
		// A plan's reference to nothing drsim can read (a local, a
		// variable without a value): the replica is imported, its
		// primary left to fill in.
		via := "primary_key_arn of " + in.res.Address
		if e, ok := d.exprOf(in, "primary_key_arn"); ok && len(e.refs) > 0 {
			via = strings.Join(longestRefs(e.refs), ", ")
			if in.module != "" {
				via += " (in " + in.module + ")"
			}
		}
		h, q := hint(in)
		k = d.inv.UnknownPrimary(via, ref.Unknown, h, q, in.res.Address)
	default:
		d.errAt(in.attrPath("primary_key_arn"), in.res.Address, "primary_key_arn: missing: an aws_kms_replica_key needs the ARN of its primary key")
		return
	}
	if o := k.CopyIn(c.Region); o != nil && c.Region != "" {
		what := "its primary key is in " + c.Region
		if o != k.Primary {
			what = "its key already has a replica in " + c.Region + " (" + o.Source + ")"
		}
		d.errAt(in.attrPath("primary_key_arn"), in.res.Address, "%s, the replica's own region: a region holds one copy of a multi-Region key (KMS refuses it with AlreadyExistsException: K5 in docs/aws-behaviour.md)", what)
		return
	}
	if !k.MultiRegion {
		d.inv.Warn("%s: its primary %s is not a multi-Region key (multi_region is not true)", in.res.Address, k.Source)
		k.MultiRegion = true
	}
	d.inv.AddReplica(k, c)
	in.key, in.copy = k, c
}

func (d *decoder) s3Bucket(in *instance) {
	name := d.str(in, "bucket")
	h, q := hint(in)
	if name != "" {
		h = name
	}
	b := &importer.Bucket{Hint: h, Qualified: q, Source: in.res.Address, BucketName: name, Region: d.regionOrErr(in)}
	in.bucket = b
	d.addBucket(b)
}

// addBucket adds b to the inventory and indexes it by name.
func (d *decoder) addBucket(b *importer.Bucket) {
	d.inv.Buckets = append(d.inv.Buckets, b)
	if _, dup := d.bucketsByName[b.BucketName]; b.BucketName != "" && !dup {
		d.bucketsByName[b.BucketName] = b
	}
}

// bucketOf returns the bucket an attribute (bucket, global_table_arn, a
// destination) names: by name or ARN, else (plans) through the
// configuration's references.
func (d *decoder) bucketOf(in *instance, path ...any) *importer.Bucket {
	name := importer.BucketNameOf(d.str(in, path...))
	if name != "" {
		return d.bucketsByName[name]
	}
	for _, t := range d.targets(in, path...) {
		if t.inst != nil && t.inst.bucket != nil {
			return t.inst.bucket
		}
	}
	return nil
}

// sseConfig reads aws_s3_bucket_server_side_encryption_configuration.
func (d *decoder) sseConfig(in *instance) {
	b := d.bucketOf(in, "bucket")
	if b == nil {
		name := d.str(in, "bucket")
		if name == "" {
			d.inv.Warn("%s: bucket refers to no bucket in the input: not imported", in.res.Address)
			return
		}
		// The bucket is managed elsewhere: import it from its encryption.
		b = &importer.Bucket{Hint: name, Qualified: in.res.Address, Source: in.res.Address + " (bucket " + name + " is not in the input)",
			BucketName: name, Region: d.regionOrErr(in)}
		d.addBucket(b)
	}
	b.SSE = d.sseRule(in, []any{"rule"})
}

// sseRule reads the first rule of an encryption configuration at base.
func (d *decoder) sseRule(in *instance, base []any) *importer.SSE {

	rules := d.list(in, base...)
	if len(rules) > 1 {
		d.inv.Warn("%s: %d encryption rules; drsim reads the first", in.res.Address, len(rules))
	}
	dflt := append(slices.Clone(base), 0, "apply_server_side_encryption_by_default", 0)
	sse := &importer.SSE{Source: in.res.Address, Algorithm: d.str(in, append(slices.Clone(dflt), "sse_algorithm")...)}
	sse.BucketKey, _ = d.boolean(in, append(slices.Clone(base), 0, "bucket_key_enabled")...)
	if strings.HasPrefix(sse.Algorithm, "aws:kms") {
		sse.Key = d.keyRef(in, append(dflt, "kms_master_key_id")...)
		if sse.Key.Key == nil && sse.Key.Unknown == "" {
			sse.Key.Unknown = "kms_master_key_id is not set: the AWS managed key aws/s3"
		}
	}
	return sse
}

// replicationConfig reads aws_s3_bucket_replication_configuration.
func (d *decoder) replicationConfig(in *instance) {
	b := d.bucketOf(in, "bucket")
	if b == nil {
		d.inv.Warn("%s: bucket %q is not in the input: its replication is not imported", in.res.Address, d.str(in, "bucket"))
		return
	}
	d.rules(in, b, nil)
}

// rules reads the replication configuration at base (nil: the resource's
// top level; else the inline block of an aws_s3_bucket) into b.
func (d *decoder) rules(in *instance, b *importer.Bucket, base []any) {
	at := func(p ...any) []any { return append(slices.Clone(base), p...) }
	b.RoleSource = in.res.Address
	b.Role = d.roleName(in, at("role")...)
	for i := range d.list(in, at("rule")...) {
		rp := func(p ...any) []any { return at(append([]any{"rule", i}, p...)...) }
		r := &importer.Rule{ID: d.str(in, rp("id")...), Role: b.Role}
		r.Source = fmt.Sprintf("%s rule[%d]", in.res.Address, i)
		if r.ID != "" {
			r.Source = fmt.Sprintf("%s rule %q", in.res.Address, r.ID)
		}
		r.Enabled = d.str(in, rp("status")...) == "Enabled"
		r.Filter = d.filterOf(in, rp)
		r.DestName = importer.BucketNameOf(d.str(in, rp("destination", 0, "bucket")...))
		if r.DestName == "" {
			r.Dest = d.bucketOf(in, rp("destination", 0, "bucket")...)
		}
		r.Key = d.keyRef(in, rp("destination", 0, "encryption_configuration", 0, "replica_kms_key_id")...)
		r.RTC = d.str(in, rp("destination", 0, "replication_time", 0, "status")...) == "Enabled"
		r.SSEKMSObjects = d.str(in, rp("source_selection_criteria", 0, "sse_kms_encrypted_objects", 0, "status")...) == "Enabled"
		if r.Key.Region != "" {
			r.To = r.Key.Region
		}
		b.Rules = append(b.Rules, r)
	}
}

// filterOf describes a rule's prefix or tag filter, "" for none.
func (d *decoder) filterOf(in *instance, rp func(...any) []any) string {
	var parts []string
	if p := d.str(in, rp("prefix")...); p != "" {
		parts = append(parts, fmt.Sprintf("prefix %q", p))
	}
	for _, base := range [][]any{rp("filter", 0), rp("filter", 0, "and", 0)} {
		if p := d.str(in, append(base, "prefix")...); p != "" {
			parts = append(parts, fmt.Sprintf("prefix %q", p))
		}
		if k := d.str(in, append(base, "tag", 0, "key")...); k != "" {
			parts = append(parts, fmt.Sprintf("tag %s=%s", k, d.str(in, append(base, "tag", 0, "value")...)))
		}
		if tags, ok := get(in.values(), append(base, "tags")...).(map[string]any); ok && len(tags) > 0 {
			parts = append(parts, fmt.Sprintf("%d tags", len(tags)))
		}
	}
	return strings.Join(parts, ", ")
}

// roleName returns the name of the role an attribute (an ARN) names, or
// (plans) the name of the aws_iam_role it refers to; "" when unknown.
func (d *decoder) roleName(in *instance, path ...any) string {
	if arn := d.str(in, path...); arn != "" {
		return importer.PrincipalName(arn)
	}
	for _, t := range d.targets(in, path...) {
		if t.inst != nil && strings.HasSuffix(t.inst.res.Type, "iam_role") {
			if n := d.str(t.inst, "name"); n != "" {
				return n
			}
		}
		if s, ok := t.value.(string); ok && t.hasValue {
			return importer.PrincipalName(s)
		}
	}
	return ""
}

// roleRefs lists the roles an expression (an unknown policy) refers to,
// directly or through data sources and module calls, as "NAME (ADDRESS)".
func (d *decoder) roleRefs(in *instance, e expression) []string {
	var out []string
	seen := map[*instance]bool{}
	var visit func(s *scope, module string, e expression, depth int)
	visit = func(s *scope, module string, e expression, depth int) {
		if depth > maxModuleDepth {
			return
		}
		for _, t := range d.resolve(s, module, e, depth) {
			if t.inst == nil || seen[t.inst] {
				continue
			}
			seen[t.inst] = true
			if strings.HasSuffix(t.inst.res.Type, "iam_role") {
				name := d.str(t.inst, "name")
				if name == "" {
					name = "a role whose name is unknown"
				}
				out = append(out, fmt.Sprintf("%s (%s)", name, t.inst.res.Address))
				continue
			}
			if t.inst.cfg != nil {
				for _, k := range sortedKeys(t.inst.cfg.Expressions) {
					for _, sub := range allExprs(t.inst.cfg.Expressions[k]) {
						visit(t.inst.scope, t.inst.module, sub, depth+1)
					}
				}
			}
		}
	}
	visit(in.scope, in.module, e, 0)
	return out
}

// allExprs returns every expression in raw: itself, or those of its
// nested blocks, recursively.
func allExprs(raw json.RawMessage) []expression {
	if e, ok := parseExpr(raw); ok {
		return []expression{e}
	}
	var out []expression
	for _, b := range blockExprs(raw) {
		for _, k := range sortedKeys(b) {
			out = append(out, allExprs(b[k])...)
		}
	}
	return out
}

// keyRef resolves a key reference at path: a known ARN or key ID, or (plans,
// when unknown until apply) the resource the configuration refers to.
func (d *decoder) keyRef(in *instance, path ...any) importer.KeyRef {
	return d.keyRefAt(in, path, path)
}

// keyRefAt is keyRef with the configuration path given apart, for the
// blocks of a set, whose order in the configuration is not the values'.
func (d *decoder) keyRefAt(in *instance, path, cpath []any) importer.KeyRef {
	where := pathString(path...)
	if s := d.str(in, path...); s != "" {
		return d.keyByString(s, in.res.Address+" "+where)
	}
	if !d.plan || !unknown(in.afterUnknown(), path...) {
		return importer.KeyRef{}
	}
	for _, t := range d.targets(in, cpath...) {
		switch {
		case t.inst != nil && t.inst.copy != nil:
			return importer.KeyRef{Key: t.inst.key, Region: t.inst.copy.Region, Via: t.inst.res.Address}
		case t.hasValue:
			if s, ok := t.value.(string); ok && s != "" {
				return d.keyByString(s, in.res.Address+" "+where)
			}
		}
	}
	why := where + " is unknown until apply"
	if e, ok := d.exprOf(in, cpath...); ok && len(e.refs) > 0 {
		refs := d.origins(in.scope, in.module, e)
		if len(refs) == 0 {
			refs = e.refs
		}
		why += " and refers to " + strings.Join(refs, ", ") + ", which is no key in the input"
		d.inv.Warn("%s: %s refers to %s, which is no key in the input", in.res.Address, where, strings.Join(refs, ", "))
	}
	return importer.KeyRef{Unknown: why}
}

// keyByString resolves an ARN, key ID or alias.
func (d *decoder) keyByString(s, by string) importer.KeyRef {
	if k, region := d.inv.KeyByARN(s); k != nil {
		return importer.KeyRef{Key: k, Region: region, Via: s}
	}
	region := ""
	if a, ok := importer.ParseARN(s); ok {
		region = a.Region
	}
	return importer.KeyRef{Key: d.inv.ExternalKey(s, region, by), Region: region, Via: s}
}

// blockIndex returns the index, in the configuration, of the block of the
// set attr whose attribute key is the constant value; dflt when none is.
func (d *decoder) blockIndex(in *instance, attr, key, value string, dflt int) int {
	if in.cfg == nil {
		return dflt
	}
	for i, b := range blockExprs(in.cfg.Expressions[attr]) {
		if e, ok := parseExpr(b[key]); ok && e.hasConstant && e.constant == value {
			return i
		}
	}
	return dflt
}

// exprOf returns the configuration expression at path.
func (d *decoder) exprOf(in *instance, path ...any) (expression, bool) {
	if in.cfg == nil {
		return expression{}, false
	}
	return exprAt(in.cfg.Expressions, path...)
}

// targets resolves the configuration expression at path to what it refers to.
func (d *decoder) targets(in *instance, path ...any) []target {
	e, ok := d.exprOf(in, path...)
	if !ok {
		return nil
	}
	return d.resolve(in.scope, in.module, e, 0)
}

func (d *decoder) dynamoTable(in *instance) {
	name := d.str(in, "name")
	h, q := hint(in)
	if name != "" {
		h = name
	}
	t := &importer.Table{Hint: h, Qualified: q, Source: in.res.Address, TableName: name}
	own := &importer.TableReplica{Region: d.regionOrErr(in), Source: in.res.Address}
	enabled, _ := d.boolean(in, "server_side_encryption", 0, "enabled")
	switch {
	case !enabled:
		own.NoCMK = "encrypted with an AWS owned key (server_side_encryption is not enabled)"
	default:
		own.Key = d.keyRef(in, "server_side_encryption", 0, "kms_key_arn")
		if own.Key.Key == nil && own.Key.Unknown == "" {
			own.NoCMK = "encrypted with the AWS managed key aws/dynamodb (no kms_key_arn)"
		}
	}
	t.Replicas = append(t.Replicas, own)
	for i := range d.list(in, "replica") {
		region := d.str(in, "replica", i, "region_name")
		if region != "" {
			region = d.checkRegion(region, in.attrPath("replica", i, "region_name"), in.res.Address, fmt.Sprintf("replica[%d].region_name", i))
		}
		rep := &importer.TableReplica{Region: region}
		rep.Source = fmt.Sprintf("%s replica %s", in.res.Address, rep.Region)
		if own.NoCMK != "" {
			rep.NoCMK = own.NoCMK
		} else {
			rep.Key = d.keyRefAt(in, []any{"replica", i, "kms_key_arn"}, []any{"replica", d.blockIndex(in, "replica", "region_name", rep.Region, i), "kms_key_arn"})
			if rep.Key.Key == nil && rep.Key.Unknown == "" {
				rep.NoCMK = "encrypted with the AWS managed key aws/dynamodb (no kms_key_arn)"
			}
		}
		t.Replicas = append(t.Replicas, rep)
	}
	in.table = t
	d.inv.Tables = append(d.inv.Tables, t)
	if arn := d.str(in, "arn"); arn != "" {
		d.tablesByARN[arn] = t
	}
}

func (d *decoder) tableReplica(in *instance) {
	var t *importer.Table
	if arn := d.str(in, "global_table_arn"); arn != "" {
		t = d.tablesByARN[arn]
	} else {
		for _, tg := range d.targets(in, "global_table_arn") {
			if tg.inst != nil && tg.inst.table != nil {
				t = tg.inst.table
			}
		}
	}
	if t == nil {
		d.inv.Warn("%s: global_table_arn %q is no table in the input: not imported", in.res.Address, d.str(in, "global_table_arn"))
		return
	}
	rep := &importer.TableReplica{Region: d.regionOrErr(in), Source: in.res.Address}
	rep.Key = d.keyRef(in, "kms_key_arn")
	if rep.Key.Key == nil && rep.Key.Unknown == "" {
		rep.NoCMK = "encrypted with the AWS managed key aws/dynamodb (no kms_key_arn)"
	}
	t.Replicas = append(t.Replicas, rep)
}

// inlineBucketConfigs reads the inline encryption and replication blocks of
// aws_s3_bucket (provider v4/v5, deprecated) for the buckets no separate
// resource configures.
func (d *decoder) inlineBucketConfigs() {
	for _, in := range d.insts {
		b := in.bucket
		if b == nil {
			continue
		}
		if b.SSE == nil && len(d.list(in, "server_side_encryption_configuration")) > 0 {
			b.SSE = d.sseRule(in, []any{"server_side_encryption_configuration", 0, "rule"})
		}
		if len(b.Rules) == 0 && len(d.list(in, "replication_configuration")) > 0 {
			d.inlineRules(in, b)
		}
	}
}

// inlineRules reads the v4/v5 inline replication_configuration block, whose
// rules use other names than the separate resource's (rules, destination
// replica_kms_key_id, source_selection_criteria sse_kms_encrypted_objects
// enabled).
func (d *decoder) inlineRules(in *instance, b *importer.Bucket) {
	base := []any{"replication_configuration", 0}
	b.RoleSource = in.res.Address + " replication_configuration"
	b.Role = importer.PrincipalName(d.str(in, append(slices.Clone(base), "role")...))
	for i := range d.list(in, append(slices.Clone(base), "rules")...) {
		rp := func(p ...any) []any { return append(append(slices.Clone(base), "rules", i), p...) }
		r := &importer.Rule{ID: d.str(in, rp("id")...), Role: b.Role, Source: fmt.Sprintf("%s replication_configuration rules[%d]", in.res.Address, i)}
		r.Enabled = d.str(in, rp("status")...) == "Enabled"
		r.Filter = d.filterOf(in, rp)
		r.DestName = importer.BucketNameOf(d.str(in, rp("destination", 0, "bucket")...))
		r.Key = d.keyRef(in, rp("destination", 0, "replica_kms_key_id")...)
		r.RTC = d.str(in, rp("destination", 0, "replication_time", 0, "status")...) == "Enabled"
		r.SSEKMSObjects, _ = d.boolean(in, rp("source_selection_criteria", 0, "sse_kms_encrypted_objects", 0, "enabled")...)
		r.To = r.Key.Region
		b.Rules = append(b.Rules, r)
	}
}
