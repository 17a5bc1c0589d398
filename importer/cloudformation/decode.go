package cloudformation

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/drsim/drsim/importer"
	"github.com/drsim/drsim/importer/policy"
	"github.com/drsim/drsim/internal/suggest"
	"github.com/drsim/drsim/scenarios"
)

// Template is one stack's template: its file name (for errors and
// comments), its text (JSON or YAML), the region the stack is deployed in
// and the stack's name (for AWS::StackName and the names drsim derives;
// "" takes the file's stem). A stack is its name and region: the same
// template may be given for several regions (a StackSet).
type Template struct {
	File   string
	Data   []byte
	Region string
	Stack  string
}

// template is a parsed template.
type template struct {
	file, region, stack string
	// label names the template in sources: its file, with the region
	// when the same file is given for several regions.
	label     string
	root      *node
	resources map[string]*resource
	order     []string // logical IDs in file order
	exports   map[string]*node
}

// resource is one entry of Resources and what it was imported as.
type resource struct {
	t       *template
	logical string
	typ     string
	props   *node
	pos     pos

	key    *importer.Key
	copy   *importer.Copy
	bucket *importer.Bucket
	table  *importer.Table
	name   string // the physical name (bucket, table, role), or drsim's stand-in
	named  bool   // name is the template's
	base   string // for a part of a resource (see at): its path, "Properties..."
}

// at returns a view of the part n of r's properties at path, to read it
// with prop.
func (r *resource) at(n *node, path string) *resource {
	return &resource{t: r.t, logical: r.logical, typ: r.typ, props: n, base: path}
}

func (r *resource) source() string { return r.t.label + ": " + r.logical }

// Decode reads the templates of the stacks of one setup, each with its
// region, and returns the inventory (not yet finished: see
// importer.Inventory.Finish). Fn::ImportValue is resolved against the
// Outputs exports of all of them. It returns an importer.ErrorList for
// malformed JSON or YAML (file:line:col), a template that is not a
// mapping with Resources, an unknown tag or function, and a Ref or
// Fn::GetAtt that names nothing (with a did-you-mean), all errors at once.
func Decode(templates []Template) (*importer.Inventory, error) {
	d := &decoder{inv: &importer.Inventory{Kind: "cloudformation"}}
	stacks := map[string]string{}
	for _, tf := range templates {
		d.inv.Inputs = append(d.inv.Inputs, tf.File)
		root, err := parseTemplate(tf.File, tf.Data)
		if err != nil {
			var pe *posError
			if errors.As(err, &pe) {
				d.errs = append(d.errs, &importer.Error{File: tf.File, Line: pe.pos.line, Col: pe.pos.col, Msg: pe.msg})
			}
			continue
		}
		stack, named := tf.Stack, "--stack"
		if stack == "" {
			stack, named = strings.TrimSuffix(filepath.Base(tf.File), filepath.Ext(tf.File)), "the file's stem"
		}
		id := stack + " in " + tf.Region
		if prev, dup := stacks[id]; dup {
			d.errs = append(d.errs, &importer.Error{File: tf.File, Msg: fmt.Sprintf("stack %q (%s) in %s is also %s: a region holds one stack of a name; give each template its stack's name with --stack, or its own region", stack, named, tf.Region, prev)})
		}
		stacks[id] = tf.File
		t := &template{file: tf.File, label: tf.File, region: tf.Region, stack: stack, root: root, resources: map[string]*resource{}, exports: map[string]*node{}}
		for _, o := range templates {
			if o.File == tf.File && o.Region != tf.Region {
				t.label = tf.File + " in " + tf.Region
			}
		}
		d.declare(t)
		d.templates = append(d.templates, t)
	}
	if len(d.errs) > 0 {
		return nil, d.errs
	}
	for _, t := range d.templates {
		d.check(t, t.root, "", 0)
		d.checkCycles(t)
	}
	if len(d.errs) > 0 {
		return nil, d.errs
	}
	for _, t := range d.templates {
		d.collectExports(t)
	}
	d.run()
	if len(d.errs) > 0 {
		return nil, d.errs
	}
	return d.inv, nil
}

// decoder holds one decoding.
type decoder struct {
	inv       *importer.Inventory
	templates []*template
	errs      importer.ErrorList
}

// errAt records an error at a position of t; the same message at the same
// position (a value checked, then evaluated) is recorded once.
func (d *decoder) errAt(t *template, at pos, path, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	for _, e := range d.errs {
		if e.File == t.file && e.Line == at.line && e.Col == at.col && e.Msg == msg {
			return
		}
	}
	d.errs = append(d.errs, &importer.Error{File: t.file, Line: at.line, Col: at.col, Path: path, Msg: msg})
}

// declare indexes a template's resources.
func (d *decoder) declare(t *template) {
	if t.root.kind != mapping {
		d.errAt(t, t.root.pos, "", "a template is a mapping with Resources, got %s", kindName(t.root))
		return
	}
	res := t.root.get("Resources")
	if res == nil || res.kind != mapping {
		d.errAt(t, t.root.pos, "Resources", "missing or not a mapping: a template declares its resources under Resources")
		return
	}
	for i, logical := range res.keys {
		decl := res.vals[i]
		path := "Resources." + logical
		typ := decl.get("Type")
		if decl.kind != mapping || typ == nil || typ.kind != scalar || typ.tag != "" {
			d.errAt(t, res.kpos[i], path, "a resource needs a Type, like AWS::KMS::Key")
			continue
		}
		r := &resource{t: t, logical: logical, typ: typ.value, props: decl.get("Properties"), pos: res.kpos[i]}
		t.resources[logical] = r
		t.order = append(t.order, logical)
	}
}

func kindName(n *node) string {
	switch n.kind {
	case scalar:
		return "a " + n.typ
	case sequence:
		return "a list"
	case null:
		return "nothing"
	}
	return "a mapping"
}

// collectExports indexes Outputs with an Export name.
func (d *decoder) collectExports(t *template) {
	outs := t.root.get("Outputs")
	if outs == nil || outs.kind != mapping {
		return
	}
	for i, k := range outs.keys {
		o := outs.vals[i]
		exp := o.get("Export").get("Name")
		if exp == nil {
			continue
		}
		name, ok := d.eval(t, exp, "Outputs."+k+".Export.Name", 0).(string)
		if !ok {
			continue
		}
		t.exports[name] = o.get("Value")
	}
}

// types are the resource types read, in the order they must be: keys
// first, then what refers to them.
var passes = [][]string{
	{"AWS::KMS::Key", "AWS::IAM::Role"},
	{"AWS::KMS::ReplicaKey"},
	{"AWS::S3::Bucket", "AWS::DynamoDB::GlobalTable", "AWS::DynamoDB::Table"},
}

func (d *decoder) run() {
	// Every key gets its ID first: references render through it.
	for _, t := range d.templates {
		for _, l := range t.order {
			if r := t.resources[l]; r.typ == "AWS::KMS::Key" {
				r.key = &importer.Key{Hint: l, Qualified: t.stack + "-" + l, Source: r.source(), KeyID: "cfnkey/" + t.label + "/" + l}
			}
		}
	}
	read := map[string]func(*resource){
		"AWS::KMS::Key":              d.kmsKey,
		"AWS::IAM::Role":             func(*resource) {},
		"AWS::KMS::ReplicaKey":       d.replicaKey,
		"AWS::S3::Bucket":            d.bucket,
		"AWS::DynamoDB::GlobalTable": d.globalTable,
		"AWS::DynamoDB::Table":       d.table,
	}
	for _, pass := range passes {
		for _, t := range d.templates {
			for _, l := range t.order {
				r := t.resources[l]
				if !slices.Contains(pass, r.typ) || !d.created(r) {
					continue
				}
				read[r.typ](r)
			}
		}
	}
	// Replication rules last: they refer to buckets and keys of any stack.
	for _, t := range d.templates {
		for _, l := range t.order {
			if r := t.resources[l]; r.bucket != nil {
				d.replication(r)
			}
		}
	}
	for _, t := range d.templates {
		for _, l := range t.order {
			r := t.resources[l]
			if _, ok := read[r.typ]; !ok {
				d.inv.Unsupport(r.typ, r.source())
			}
		}
	}
}

// created evaluates a resource's Condition: a resource whose condition is
// false is not created and not imported (with a warning); one whose
// condition is unknown is imported, with a warning.
func (d *decoder) created(r *resource) bool {
	c := r.t.root.get("Resources").get(r.logical).get("Condition")
	if c == nil || c.kind != scalar {
		return true
	}
	v, known := d.condition(r.t, c.value, c.pos, "Resources."+r.logical+".Condition", 0)
	switch {
	case !known:
		d.inv.Warn("%s: created only when condition %s holds, which depends on values known once deployed: imported as if it does", r.source(), c.value)
	case !v:
		d.inv.Warn("%s: not created (condition %s is false with the parameters' defaults): not imported", r.source(), c.value)
		return false
	}
	return true
}

// prop evaluates a property path of a resource (nil when absent).
func (d *decoder) prop(r *resource, path ...string) (any, *node) {
	n := r.props
	for _, p := range path {
		n = n.get(p)
	}
	if n == nil {
		return nil, nil
	}
	base := r.base
	if base == "" {
		base = "Properties"
	}
	return d.eval(r.t, n, "Resources."+r.logical+"."+base+"."+strings.Join(path, "."), 0), n
}

// str returns a property as a string: a literal, or the rendering of a
// value with references; ok is false for unknown values.
func (d *decoder) str(r *resource, path ...string) (string, bool) {
	v, _ := d.prop(r, path...)
	return d.render(v)
}

// boolProp reads a boolean property: true or false, or the strings
// "true" and "false" in any case, as CloudFormation takes them; ok is false
// when it is absent or a value drsim cannot know (with a warning). Any
// other value ("maybe", 7) is an error at its position, as CloudFormation
// refuses the template.
func (d *decoder) boolProp(r *resource, path ...string) (value, ok bool) {
	v, n := d.prop(r, path...)
	switch x := v.(type) {
	case nil:
		return false, false
	case bool:
		return x, true
	case string:
		switch strings.ToLower(x) {
		case "true":
			return true, true
		case "false":
			return false, true
		}
	case unknown:
		d.inv.Warn("%s: %s %s: %s; imported as false", r.source(), strings.Join(path, "."), describe(n), x.why)
		return false, false
	}
	d.errAt(r.t, n.pos, d.propPath(r, path...), "expected true or false, got %s", valueText(v))
	return false, false
}

// enumProp reads a string property that must be one of values; "" when
// absent or unknown. Another value is an error at its position.
func (d *decoder) enumProp(r *resource, values []string, path ...string) string {
	v, n := d.prop(r, path...)
	if v == nil {
		return ""
	}
	if s, ok := v.(string); ok && slices.Contains(values, s) {
		return s
	}
	if u, ok := v.(unknown); ok {
		d.inv.Warn("%s: %s %s: %s", r.source(), strings.Join(path, "."), describe(n), u.why)
		return ""
	}
	d.errAt(r.t, n.pos, d.propPath(r, path...), "expected %s, got %s", orList(values), valueText(v))
	return ""
}

// daysProp reads a whole number of days (a number or a string of one, as
// CloudFormation takes integers) as written; ok is false when absent or
// unknown. A fraction or another value is an error at its position.
func (d *decoder) daysProp(r *resource, path ...string) (string, bool) {
	v, n := d.prop(r, path...)
	var text string
	switch x := v.(type) {
	case nil:
		return "", false
	case unknown:
		d.inv.Warn("%s: %s %s: %s; KMS's default period, 365 days, is written", r.source(), strings.Join(path, "."), describe(n), x.why)
		return "", false
	case float64, string:
		text = strings.TrimSpace(fmt.Sprint(x))
		if n.kind == scalar && n.typ == "number" {
			text = n.value // as written, beyond float64's digits
		}
	}
	if w, ok := importer.WholeNumber(text); ok && text != "" {
		return w, true
	}
	d.errAt(r.t, n.pos, d.propPath(r, path...), "expected a whole number of days, got %s", valueText(v))
	return "", false
}

// propPath is the element path of a property, for messages.
func (d *decoder) propPath(r *resource, path ...string) string {
	base := r.base
	if base == "" {
		base = "Properties"
	}
	return "Resources." + r.logical + "." + base + "." + strings.Join(path, ".")
}

// valueText names an evaluated value for a message, quoting a string.
func valueText(v any) string {
	switch x := v.(type) {
	case string:
		if r := []rune(x); len(r) > 60 {
			return fmt.Sprintf("%q…", string(r[:60]))
		}
		return fmt.Sprintf("%q", x)
	case float64:
		return "the number " + strconv.FormatFloat(x, 'g', -1, 64)
	case bool:
		return fmt.Sprint(x)
	case []any:
		return "a list"
	case map[string]any:
		return "a mapping"
	case *sym:
		return "a reference to a resource"
	}
	return fmt.Sprintf("%v", v)
}

func orList(values []string) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = strconv.Quote(v)
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

// render turns a value into the string a deployed stack would hold, with
// physical names of resources where the template gives them and stand-ins
// where it does not (a key's ID, the account).
func (d *decoder) render(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case bool, float64:
		return fmt.Sprint(x), true
	case *sym:
		var b strings.Builder
		for _, p := range x.parts {
			if p.ref == nil {
				b.WriteString(p.lit)
				continue
			}
			s, ok := d.renderRef(p.ref)
			if !ok {
				return "", false
			}
			b.WriteString(s)
		}
		return b.String(), true
	}
	return "", false
}

// renderRef renders a Ref or Fn::GetAtt.
func (d *decoder) renderRef(f *ref) (string, bool) {
	r := f.r
	region := r.t.region
	switch r.typ {
	case "AWS::KMS::Key", "AWS::KMS::ReplicaKey":
		id := ""
		if r.key != nil {
			id = r.key.KeyID
		}
		switch f.attr {
		case "", "KeyId":
			return id, id != ""
		case "Arn":
			return "arn:aws:kms:" + region + ":" + accountToken + ":key/" + id, id != ""
		}
	case "AWS::S3::Bucket":
		name, _ := d.physicalName(r, "BucketName")
		switch f.attr {
		case "":
			return name, true
		case "Arn":
			return "arn:aws:s3:::" + name, true
		}
	case "AWS::IAM::Role":
		name, _ := d.physicalName(r, "RoleName")
		switch f.attr {
		case "":
			return name, true
		case "Arn":
			return "arn:aws:iam::" + accountToken + ":role/" + name, true
		}
	case "AWS::DynamoDB::GlobalTable", "AWS::DynamoDB::Table":
		name, _ := d.physicalName(r, "TableName")
		switch f.attr {
		case "":
			return name, true
		case "Arn":
			return "arn:aws:dynamodb:" + region + ":" + accountToken + ":table/" + name, true
		}
	}
	return "", false
}

// physicalName returns the name property of a resource as the template
// gives it (a literal, or a value drsim evaluates: a key's ID, known only
// once the key exists, does not count), and whether it does. Without one,
// CloudFormation generates the name from the stack's name and the logical
// ID with a random suffix: drsim uses STACK-LOGICALID in its place and
// says so in a warning.
func (d *decoder) physicalName(r *resource, prop string) (string, bool) {
	if r.name != "" {
		return r.name, r.named
	}
	what := map[string]string{"BucketName": "bucket", "TableName": "table", "RoleName": "role"}[prop]
	r.name = importer.Sanitize(r.t.stack + "-" + r.logical)
	v, n := d.prop(r, prop)
	name, ok := d.renderName(v)
	switch {
	case ok && name != "":
		r.name, r.named = name, true
	case n == nil:
		d.inv.Warn("%s: no %s: CloudFormation generates the %s's name (from the stack's name and the logical ID, with a random suffix); drsim calls it %q", r.source(), prop, what, r.name)
	default:
		d.inv.Warn("%s: %s %s is known only once deployed (%s): drsim calls the %s %q", r.source(), prop, describe(n), nameWhy(v), what, r.name)
	}
	return r.name, r.named
}

// renderName renders a name property: false for a value drsim cannot
// know, and for one made with a key's ID (drsim's stand-in for an ID that
// only the deployed key has).
func (d *decoder) renderName(v any) (string, bool) {
	if s, ok := v.(*sym); ok {
		for _, p := range s.parts {
			if p.ref != nil && p.ref.r.key != nil {
				return "", false
			}
		}
	}
	return d.render(v)
}

// nameWhy says why a name is not known.
func nameWhy(v any) string {
	if u, ok := v.(unknown); ok {
		return u.why
	}
	if s, ok := v.(*sym); ok {
		for _, p := range s.parts {
			if p.ref != nil && p.ref.r.key != nil {
				return "it holds the ID of key " + p.ref.r.logical
			}
		}
	}
	return "not a string"
}

// describe renders an expression node the way the template wrote it, short
// form, for comments: !GetAtt Key.Arn, !Ref Key, !ImportValue x, or the
// literal.
func describe(n *node) string {
	if n == nil {
		return ""
	}
	fn, arg := n.tag, n
	if fn == "" && n.kind == mapping && len(n.keys) == 1 && isIntrinsicKey(n.keys[0]) {
		fn, arg = n.keys[0], n.vals[0]
		for tag, name := range intrinsics {
			if name == fn {
				fn = tag
			}
		}
	}
	if fn == "" {
		if n.kind == scalar {
			return n.value
		}
		return "a " + kindName(n)[2:]
	}
	switch {
	case arg.kind == scalar:
		return fn + " " + arg.value
	case arg.kind == sequence && len(arg.items) == 2 && arg.items[0].kind == scalar && arg.items[1].kind == scalar:
		return fn + " " + arg.items[0].value + "." + arg.items[1].value
	case (fn == "!Sub" || fn == "Fn::Sub") && arg.kind == sequence && len(arg.items) > 0 && arg.items[0].kind == scalar:
		return fn + " " + arg.items[0].value
	}
	return fn + " ..."
}

// keyRef resolves a property that names a key: a Ref or Fn::GetAtt of a key
// in any of the templates, an ARN, a key ID or an alias.
func (d *decoder) keyRef(r *resource, by string, path ...string) importer.KeyRef {
	v, n := d.prop(r, path...)
	if n == nil {
		return importer.KeyRef{}
	}
	via := describe(n)
	if u, ok := v.(unknown); ok {
		return importer.KeyRef{Unknown: u.why, Via: via}
	}
	if s, ok := v.(*sym); ok && len(s.parts) == 1 && s.parts[0].ref != nil && s.parts[0].ref.r.key != nil {
		ref := s.parts[0].ref
		if ref.r.copy == nil {
			return importer.KeyRef{Unknown: ref.r.source() + " is not imported (see the warnings)", Via: via}
		}
		region := ""
		if ref.attr == "Arn" {
			region = ref.r.t.region
			if ref.r.copy != nil {
				region = ref.r.copy.Region
			}
		}
		return importer.KeyRef{Key: ref.r.key, Region: region, Via: via}
	}
	str, ok := d.render(v)
	if !ok || str == "" {
		return importer.KeyRef{Unknown: via + " is no key drsim can resolve", Via: via}
	}
	if k, region := d.inv.KeyByARN(str); k != nil {
		return importer.KeyRef{Key: k, Region: region, Via: via}
	}
	region := ""
	if a, ok := importer.ParseARN(str); ok {
		region = a.Region
	}
	return importer.KeyRef{Key: d.inv.ExternalKey(str, region, by), Region: region, Via: via}
}

// copyPolicy reads a KeyPolicy: a mapping, or a JSON string; absent means
// the default key policy.
func (d *decoder) copyPolicy(r *resource, c *importer.Copy) {
	v, n := d.prop(r, "KeyPolicy")
	var a *policy.Analysis
	var err error
	switch x := v.(type) {
	case nil:
		a, _ = policy.Analyze(policy.DefaultPolicy(""))
		c.Policy, c.PolicyNote = a, "no KeyPolicy: KMS attaches the default key policy"
		return
	case string:
		a, err = policy.Analyze(x)
	case unknown:
		c.PolicyUnknown = "its KeyPolicy is not known from the template: " + x.why
		return
	default:
		doc, ok := d.plain(x)
		if !ok {
			c.PolicyUnknown = "its KeyPolicy holds values known only once deployed"
			return
		}
		a, err = policy.AnalyzeValue(doc)
	}
	if err != nil {
		d.errAt(r.t, n.pos, "Resources."+r.logical+".Properties.KeyPolicy", "%v", err)
		return
	}
	c.Policy = a
}

// plain turns an evaluated value into JSON values, rendering references;
// false when something is unknown.
func (d *decoder) plain(v any) (any, bool) {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			p, ok := d.plain(e)
			if !ok {
				return nil, false
			}
			out[k] = p
		}
		return out, true
	case []any:
		out := make([]any, 0, len(x))
		for _, e := range x {
			p, ok := d.plain(e)
			if !ok {
				return nil, false
			}
			out = append(out, p)
		}
		return out, true
	case *sym:
		return d.render(x)
	case unknown:
		return nil, false
	}
	return v, true
}

func (d *decoder) kmsKey(r *resource) {
	k := r.key
	k.MultiRegion, _ = d.boolProp(r, "MultiRegion")
	c := &importer.Copy{Region: r.t.region, Source: r.source()}
	if on, ok := d.boolProp(r, "Enabled"); ok && !on {
		c.Disabled = true
	}
	if on, _ := d.boolProp(r, "EnableKeyRotation"); on {
		days, given := d.daysProp(r, "RotationPeriodInDays")
		src := r.source() + ": EnableKeyRotation"
		if given {
			src += ", RotationPeriodInDays"
		}
		k.SetRotation(days, src)
	}
	d.copyPolicy(r, c)
	r.copy = c
	d.inv.AddKey(k, c)
}

func (d *decoder) replicaKey(r *resource) {
	c := &importer.Copy{Region: r.t.region, Source: r.source()}
	if on, ok := d.boolProp(r, "Enabled"); ok && !on {
		c.Disabled = true
	}
	d.copyPolicy(r, c)
	k := d.primaryOf(r)
	if k == nil {
		return
	}
	if o := k.CopyIn(c.Region); o != nil {
		_, n := d.prop(r, "PrimaryKeyArn")
		what := "its primary key is in " + c.Region
		if o != k.Primary {
			what = "its key already has a replica in " + c.Region + " (" + o.Source + ")"
		}
		d.errAt(r.t, n.pos, d.propPath(r, "PrimaryKeyArn"), "%s, the region of this replica's stack: a region holds one copy of a multi-Region key (KMS refuses it with AlreadyExistsException: K5 in docs/aws-behaviour.md)", what)
		return
	}
	if !k.MultiRegion {
		d.inv.Warn("%s: its primary %s is not a multi-Region key (MultiRegion is not true)", r.source(), k.Source)
		k.MultiRegion = true
	}
	d.inv.AddReplica(k, c)
	r.key, r.copy = k, c
}

// primaryOf resolves a ReplicaKey's PrimaryKeyArn: a Ref or Fn::GetAtt of a
// key of the templates, or an ARN. A template cannot know the ID of a key
// another stack creates, so an ARN of a key no template defines is linked to
// the only multi-Region key the templates create in that ARN's region, when
// there is exactly one (with a warning), and that key takes the ARN's ID;
// else it names a primary outside the input.
func (d *decoder) primaryOf(r *resource) *importer.Key {
	v, n := d.prop(r, "PrimaryKeyArn")
	if n == nil {
		d.errAt(r.t, r.pos, "Resources."+r.logical+".Properties.PrimaryKeyArn", "missing: an AWS::KMS::ReplicaKey needs the ARN of its primary key")
		return nil
	}
	if s, ok := v.(*sym); ok && len(s.parts) == 1 && s.parts[0].ref != nil && s.parts[0].ref.r.key != nil {
		if s.parts[0].ref.r.copy == nil {
			d.inv.Warn("%s: PrimaryKeyArn %s is not imported: the replica is not imported", r.source(), s.parts[0].ref.r.source())
			return nil
		}
		return s.parts[0].ref.r.key
	}
	if u, ok := v.(unknown); ok {
		// Its replicas are in the input: the key is imported with its
		// primary left to fill in.
		if !u.warned {
			d.inv.Warn("%s: PrimaryKeyArn %s is known only once deployed (%s): the replica is imported, its primary key's region and policy left to fill in", r.source(), describe(n), u.why)
		}
		return d.inv.UnknownPrimary(describe(n), "PrimaryKeyArn "+describe(n)+" of "+r.source()+": "+u.why, r.logical, r.t.stack+"-"+r.logical, r.source())
	}
	arn, ok := d.render(v)
	if !ok {
		d.errAt(r.t, n.pos, d.propPath(r, "PrimaryKeyArn"), "expected the ARN of a KMS key, got %s", valueText(v))
		return nil
	}
	if k, _ := d.inv.KeyByARN(arn); k != nil {
		return k
	}
	a, isARN := importer.ParseARN(arn)
	if !isARN || a.Service != "kms" || a.Region == "" {
		d.inv.Warn("%s: PrimaryKeyArn %q is not a KMS key ARN: the replica is not imported", r.source(), arn)
		return nil
	}
	var cands []*resource
	for _, t := range d.templates {
		for _, l := range t.order {
			if o := t.resources[l]; o.typ == "AWS::KMS::Key" && o.copy != nil && o.key.MultiRegion && t.region == a.Region {
				cands = append(cands, o)
			}
		}
	}
	if len(cands) == 1 {
		k := cands[0].key
		k.KeyID = strings.TrimPrefix(a.Resource, "key/")
		cands[0].copy.ARN = arn
		d.inv.Reindex()
		d.inv.SeeAccount(a.Account)
		d.inv.Warn("%s: PrimaryKeyArn %s is taken to be %s, the only multi-Region key the templates create in %s", r.source(), arn, k.Source, a.Region)
		return k
	}
	return d.inv.PrimaryFromARN(arn, r.source())
}

func (d *decoder) bucket(r *resource) {
	name, named := d.physicalName(r, "BucketName")
	b := &importer.Bucket{Hint: name, Qualified: r.t.stack + "-" + r.logical, Source: r.source(), Region: r.t.region}
	if named {
		b.BucketName = name
	}
	r.bucket = b
	d.inv.Buckets = append(d.inv.Buckets, b)
	rules := r.props.get("BucketEncryption").get("ServerSideEncryptionConfiguration")
	if rules == nil {
		return
	}
	if rules.kind == sequence && len(rules.items) > 1 {
		d.inv.Warn("%s: %d encryption rules; drsim reads the first", r.source(), len(rules.items))
	}
	sse := &importer.SSE{Source: r.source() + " BucketEncryption"}
	// The rules are a list: read the first through its node.
	r0 := rules
	if rules.kind == sequence && len(rules.items) > 0 {
		r0 = rules.items[0]
	}
	sub := r.at(r0, "Properties.BucketEncryption.ServerSideEncryptionConfiguration[0]")
	sse.Algorithm = d.enumProp(sub, []string{"AES256", "aws:kms", "aws:kms:dsse"}, "ServerSideEncryptionByDefault", "SSEAlgorithm")
	sse.BucketKey, _ = d.boolProp(sub, "BucketKeyEnabled")
	if strings.HasPrefix(sse.Algorithm, "aws:kms") {
		sse.Key = d.keyRef(sub, r.source(), "ServerSideEncryptionByDefault", "KMSMasterKeyID")
		if sse.Key.Key == nil && sse.Key.Unknown == "" {
			sse.Key.Unknown = "KMSMasterKeyID is not set: the AWS managed key aws/s3"
		}
	}
	b.SSE = sse
}

// replication reads a bucket's ReplicationConfiguration.
func (d *decoder) replication(r *resource) {
	cfg := r.props.get("ReplicationConfiguration")
	if cfg == nil {
		return
	}
	b := r.bucket
	sub := r.at(cfg, "Properties.ReplicationConfiguration")
	b.RoleSource = r.source() + " ReplicationConfiguration"
	if role, ok := d.str(sub, "Role"); ok {
		b.Role = importer.PrincipalName(role)
	}
	rules := cfg.get("Rules")
	if rules == nil || rules.kind != sequence {
		return
	}
	for i, rn := range rules.items {
		rs := r.at(rn, fmt.Sprintf("Properties.ReplicationConfiguration.Rules[%d]", i))
		rule := &importer.Rule{Role: b.Role, Source: fmt.Sprintf("%s ReplicationConfiguration.Rules[%d]", r.source(), i)}
		rule.ID, _ = d.str(rs, "Id")
		if rule.ID != "" {
			rule.Source = fmt.Sprintf("%s rule %q", r.source(), rule.ID)
		}
		rule.Enabled = d.enumProp(rs, enabled, "Status") == "Enabled"
		var parts []string
		for _, p := range [][]string{{"Prefix"}, {"Filter", "Prefix"}, {"Filter", "And", "Prefix"}} {
			if s, ok := d.str(rs, p...); ok && s != "" {
				parts = append(parts, fmt.Sprintf("prefix %q", s))
			}
		}
		if rn.get("Filter").get("TagFilter") != nil || rn.get("Filter").get("And").get("TagFilters") != nil {
			parts = append(parts, "tags")
		}
		rule.Filter = strings.Join(parts, ", ")
		destV, destN := d.prop(rs, "Destination", "Bucket")
		if s, ok := destV.(*sym); ok && len(s.parts) == 1 && s.parts[0].ref != nil && s.parts[0].ref.r.bucket != nil {
			rule.Dest = s.parts[0].ref.r.bucket
		} else if name, ok := d.render(destV); ok {
			rule.DestName = importer.BucketNameOf(name)
		} else if destN != nil {
			d.inv.Warn("%s: Destination.Bucket %s: %s", rule.Source, describe(destN), unknownWhy(destV))
		}
		rule.Key = d.keyRef(rs, rule.Source, "Destination", "EncryptionConfiguration", "ReplicaKmsKeyID")
		rule.RTC = d.enumProp(rs, enabled, "Destination", "ReplicationTime", "Status") == "Enabled"
		rule.SSEKMSObjects = d.enumProp(rs, enabled, "SourceSelectionCriteria", "SseKmsEncryptedObjects", "Status") == "Enabled"
		rule.To = rule.Key.Region
		b.Rules = append(b.Rules, rule)
	}
}

// checkRegion checks a region a template gives at node n (path): an AWS
// Region code is returned; one drsim does not know is kept with a warning
// (AWS opens new Regions); anything else is an error, and "" is returned.
func (d *decoder) checkRegion(t *template, n *node, path, r string) string {
	shaped, known := scenarios.RegionCode(r)
	switch {
	case known:
		return r
	case shaped:
		d.inv.Warn("%s:%d:%d: %s: %s is not an AWS Region drsim knows (a typo? a new Region?): imported as given", t.label, n.pos.line, n.pos.col, path, r)
		return r
	}
	d.errAt(t, n.pos, path, "%s is not an AWS Region code like us-west-2", valueText(r))
	return ""
}

// enabled are the values of a Status property.
var enabled = []string{"Enabled", "Disabled"}

func unknownWhy(v any) string {
	if u, ok := v.(unknown); ok {
		return u.why
	}
	return "not a bucket drsim can resolve"
}

// globalTable reads AWS::DynamoDB::GlobalTable: one replica per Replicas
// entry, each with its own KMSMasterKeyId.
func (d *decoder) globalTable(r *resource) {
	name, named := d.physicalName(r, "TableName")
	t := &importer.Table{Hint: name, Qualified: r.t.stack + "-" + r.logical, Source: r.source()}
	if named {
		t.TableName = name
	}
	sseOn, _ := d.boolProp(r, "SSESpecification", "SSEEnabled")
	typ := d.enumProp(r, []string{"KMS", "AES256"}, "SSESpecification", "SSEType")
	reps := r.props.get("Replicas")
	if reps == nil || reps.kind != sequence {
		d.inv.Warn("%s: no Replicas: not imported", r.source())
		return
	}
	for i, rn := range reps.items {
		rs := r.at(rn, fmt.Sprintf("Properties.Replicas[%d]", i))
		rep := &importer.TableReplica{Source: fmt.Sprintf("%s Replicas[%d]", r.source(), i)}
		switch v, n := d.prop(rs, "Region"); x := v.(type) {
		case nil:
			d.errAt(r.t, rn.pos, d.propPath(rs, "Region"), "missing: a replica of a global table needs its Region")
			continue
		case string:
			if rep.Region = d.checkRegion(r.t, n, d.propPath(rs, "Region"), x); rep.Region == "" {
				continue
			}
			rep.Source += " " + rep.Region
		case unknown:
			rep.RegionUnknown = "Region " + describe(n) + ": " + x.why
			d.inv.Warn("%s: the region of Replicas[%d] is %s (%s): left to fill in", r.source(), i, describe(n), x.why)
		default:
			d.errAt(r.t, n.pos, d.propPath(rs, "Region"), "expected a region code like us-west-2, got %s", valueText(v))
			continue
		}
		region := rep.Region
		switch {
		case !sseOn:
			rep.NoCMK = "encrypted with an AWS owned key (SSESpecification.SSEEnabled is not true)"
		case typ != "" && typ != "KMS":
			rep.NoCMK = "encrypted with SSEType " + typ
		default:
			rep.Key = d.keyRef(rs, rep.Source, "SSESpecification", "KMSMasterKeyId")
			if rep.Key.Key == nil && rep.Key.Unknown == "" {
				rep.NoCMK = "encrypted with the AWS managed key aws/dynamodb (no KMSMasterKeyId)"
			}
		}
		// The stack's own region first, as the table's home.
		if region == r.t.region {
			t.Replicas = append([]*importer.TableReplica{rep}, t.Replicas...)
		} else {
			t.Replicas = append(t.Replicas, rep)
		}
	}
	r.table = t
	d.inv.Tables = append(d.inv.Tables, t)
}

// table reads AWS::DynamoDB::Table: one replica, in the stack's region.
func (d *decoder) table(r *resource) {
	name, named := d.physicalName(r, "TableName")
	t := &importer.Table{Hint: name, Qualified: r.t.stack + "-" + r.logical, Source: r.source()}
	if named {
		t.TableName = name
	}
	rep := &importer.TableReplica{Region: r.t.region, Source: r.source()}
	sseOn, _ := d.boolProp(r, "SSESpecification", "SSEEnabled")
	if !sseOn {
		rep.NoCMK = "encrypted with an AWS owned key (SSESpecification.SSEEnabled is not true)"
	} else {
		rep.Key = d.keyRef(r, r.source(), "SSESpecification", "KMSMasterKeyId")
		if rep.Key.Key == nil && rep.Key.Unknown == "" {
			rep.NoCMK = "encrypted with the AWS managed key aws/dynamodb (no KMSMasterKeyId)"
		}
	}
	t.Replicas = []*importer.TableReplica{rep}
	r.table = t
	d.inv.Tables = append(d.inv.Tables, t)
}

// suggestFrom returns ` (did you mean X?)` for the candidate
// internal/suggest finds closest, or "".
func suggestFrom(s string, candidates []string) string {
	if best := suggest.Closest(s, candidates); best != "" {
		return fmt.Sprintf(" (did you mean %s?)", best)
	}
	return ""
}
