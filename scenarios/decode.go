package scenarios

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/model/kms"
	"github.com/drsim/drsim/sim"
)

// Defaults of scenario format v1 (docs/scenario-format.md, "keys").
const (
	DefaultTrials     = 1000
	DefaultSeed       = 1
	DefaultAccount    = "111122223333"
	DefaultSuccess    = 0.99
	DefaultObjectSize = 64 << 10 // bytes
	DefaultItemSize   = 1 << 10  // bytes
	DefaultRole       = "s3-replication"
	DefaultRetry      = sim.Minute
	DefaultWindow     = kms.DefaultDeletionWindow
)

// Limits checked by the decoder: the KMS model's (docs/aws-behaviour.md K9, K11).
const (
	MinRotation = kms.MinRotationPeriod
	MaxRotation = kms.MaxRotationPeriod
	MinWindow   = kms.MinDeletionWindow
	MaxWindow   = kms.MaxDeletionWindow
)

var accountPattern = regexp.MustCompile(`^[0-9]{12}$`)

// homeOf says where key k belongs when it is not allowed in sec, or "".
func homeOf(k string, sec *section) string {
	var homes []string
	for _, s := range sections {
		if s != sec && slices.Contains(s.keys, k) {
			homes = append(homes, s.where)
		}
	}
	switch {
	case len(homes) == 0 || len(homes) > 3:
		return ""
	case len(homes) == 3:
		return homes[0] + ", " + homes[1] + " or " + homes[2]
	}
	return strings.Join(homes, " or ")
}

// serviceNames are the spellings of the services, in bit order: the
// service serviceNames[i] is model.Services(1) << i (model.SvcKMS, SvcS3,
// SvcDynamoDB, SvcApp, SvcSTS, SvcRoute53Control, SvcIAMControl).
var serviceNames = model.ServiceNames

// arcNeed is the needs entry of ARC routing control.
const arcNeed = "arc-routing-control"

// needServices are the services a step may need (all but the app's
// compute), then ARC routing control: the candidates of a did-you-mean.
var needServices = []string{"kms", "s3", "dynamodb", "sts", "route53-control", "iam-control", arcNeed}

// refs holds the name → index maps of a scenario.
type refs struct {
	regions, keys, buckets, tables map[string]int
	regionNames, keyNames          []string
	storeNames                     []string
	// keysIn names the tables written with keys_in (one key per region).
	keysIn map[string]bool
}

// decode builds the Config from the merged tree.
func (d *decoder) decode(root map[string]any) *model.Config {
	c := &model.Config{Trials: DefaultTrials, Seed: DefaultSeed, Account: DefaultAccount}
	top := d.object("", root)
	top.known(secTop)
	top.str(schemaKey) // for editors: a string, otherwise ignored

	if s, ok := top.name("name"); ok {
		c.Name = s
	} else if !top.has("name") {
		why := "the scenario's name"
		if top.has("extends") {
			why += " (it is not inherited through extends)"
		}
		top.missing("name", why)
	}
	if s, ok := top.str("description"); ok {
		if strings.ContainsAny(s, "\r\n") {
			d.errorf("description", "must be one line (it is shown by drsim list and in reports)")
		}
		c.Description = s
	}
	// extends was resolved by the loader, which reports its errors.
	if h, ok := top.duration("horizon"); ok {
		if h <= 0 {
			d.errorf("horizon", "must be positive")
		}
		c.Horizon = h
	} else if !top.has("horizon") {
		top.missing("horizon", `simulated time per trial, like "24h"`)
	}
	if n, ok := top.integer("trials"); ok {
		if n <= 0 {
			d.errorf("trials", "must be a positive integer, got %d", n)
		} else if msg := trialsLimit(n); msg != "" {
			d.errorf("trials", "%s", msg)
		} else {
			c.Trials = int(n)
		}
	}
	if n, ok := top.integer("seed"); ok {
		if n < 0 {
			d.errorf("seed", "must not be negative, got %d", n)
		} else {
			c.Seed = uint64(n)
		}
	}
	if s, ok := top.str("account"); ok {
		if !accountPattern.MatchString(s) {
			d.errorf("account", "%q is not an AWS account ID (12 digits)", s)
		} else {
			c.Account = s
		}
	}

	if st, ok := top.str("start"); ok {
		switch st {
		case "steady":
			c.Start = model.StartSteady
		case "empty":
			c.Start = model.StartEmpty
		default:
			d.errorf("start", "unknown start %q%s", st, suggestOrList(st, "starts", model.StartNames[:]))
		}
	}
	c.ARCRegions = d.arc(top)
	c.Objectives = d.objectives(top.table("objectives"))
	r := &refs{keysIn: map[string]bool{}}
	c.Regions = d.regions(top, r)
	keyObjs := d.declare(top, "keys", &r.keys, &r.keyNames)
	bucketObjs := d.declare(top, "buckets", &r.buckets, nil)
	tableObjs := d.declare(top, "tables", &r.tables, nil)
	r.storeNames = append(r.storeNames, sortedKeys(r.buckets)...)
	for _, n := range sortedKeys(r.tables) {
		if _, dup := r.buckets[n]; dup {
			d.errorf(keyPath("tables", n), "%q is also the name of a bucket; stores need distinct names", n)
		}
		r.storeNames = append(r.storeNames, n)
	}
	for _, o := range keyObjs {
		c.Keys = append(c.Keys, d.key(o, r))
	}
	c.App = d.app(top, r)
	for _, o := range bucketObjs {
		c.Buckets = append(c.Buckets, d.bucket(o, r))
	}
	for _, o := range tableObjs {
		if o.has("keys_in") {
			r.keysIn[parentLast(o.path)] = true
		}
		c.Tables = append(c.Tables, d.table(o, r))
	}
	c.Outages = d.outages(top, r)
	c.Failover = d.failover(top, r, c)
	for _, o := range top.tables("actions") {
		c.Actions = append(c.Actions, d.action(o, r, c))
	}
	c.Costs, c.Prices = d.costs(top)
	return c
}

// arc reads [arc] regions: exactly five distinct AWS Region codes, which
// need not be declared under [regions] (nil when absent: the default).
func (d *decoder) arc(top *obj) []string {
	if !top.has("arc") {
		return nil
	}
	o := top.table("arc")
	if o.m == nil {
		return nil
	}
	o.known(secARC)
	names, paths, ok := o.strs("regions")
	if !ok {
		if !o.has("regions") {
			o.missing("regions", "the five regions of the ARC cluster")
		}
		return nil
	}
	good := true
	for i, n := range names {
		switch {
		case !isRegionCode(n):
			d.errAt(paths[i], o.child("regions"), "%q is not an AWS Region code%s", n, suggest(n, awsRegions))
			good = false
		case slices.Contains(names[:i], n):
			d.errAt(paths[i], o.child("regions"), "%q is listed twice", n)
			good = false
		}
	}
	if len(names) != 5 {
		d.errorf(o.child("regions"), "an ARC cluster has exactly 5 regions, got %d", len(names))
		good = false
	}
	if !good {
		return nil
	}
	return names
}

func (d *decoder) objectives(o *obj) model.Objectives {
	ob := model.Objectives{Success: DefaultSuccess}
	o.known(secObjectives)
	if t, ok := o.duration("rto"); ok {
		ob.RTO, ob.HasRTO = t, true
	}
	if t, ok := o.duration("rpo"); ok {
		ob.RPO, ob.HasRPO = t, true
	}
	if f, ok := o.number("success"); ok {
		if f <= 0 || f > 1 {
			d.errorf(o.child("success"), "must be in (0, 1], got %v", f)
		} else {
			ob.Success = f
		}
	}
	return ob
}

func (d *decoder) regions(top *obj, r *refs) []model.Region {
	o := top.table("regions")
	r.regions = map[string]int{}
	r.regionNames = sortedKeys(o.m)
	if len(r.regionNames) == 0 && !d.hasErrorAt("regions") {
		d.errAt("", "regions", "required: declare every region used, like [regions.us-east-1]")
	}
	regs := make([]model.Region, 0, len(r.regionNames))
	for i, n := range r.regionNames {
		r.regions[n] = i
		ro := d.object(keyPath("regions", n), o.m[n])
		ro.known(secRegion)
		if !isRegionCode(n) {
			d.errorf(ro.path, "%q is not an AWS Region code%s", n, suggest(n, awsRegions))
		}
		reg := model.Region{Name: n, KMSRPS: kms.DefaultQuota(n)}
		// a rate like every other ("2000/s"); a number is per second, and
		// a negative one "must be positive", as in format 1.0
		var f float64
		var ok bool
		switch ro.m["kms_rps"].(type) {
		case int64, float64:
			f, ok = ro.number("kms_rps")
		default:
			f, ok = ro.rate("kms_rps")
		}
		if ok {
			if f <= 0 {
				d.errorf(ro.child("kms_rps"), "must be positive, got %v", f)
			} else {
				reg.KMSRPS = f
			}
		}
		regs = append(regs, reg)
	}
	return regs
}

func (d *decoder) hasErrorAt(path string) bool {
	for _, e := range d.errs {
		if e.Path == path {
			return true
		}
	}
	return false
}

// declare indexes the named tables under top[section], sorted by name, and
// checks their names.
func (d *decoder) declare(top *obj, section string, index *map[string]int, names *[]string) []*obj {
	o := top.table(section)
	ks := sortedKeys(o.m)
	*index = make(map[string]int, len(ks))
	objs := make([]*obj, len(ks))
	for i, n := range ks {
		(*index)[n] = i
		objs[i] = d.object(keyPath(section, n), o.m[n])
		if !namePattern.MatchString(n) {
			d.errorf(objs[i].path, "%q is not a valid name (%s)", n, nameRule)
		}
	}
	if names != nil {
		*names = ks
	}
	return objs
}

// region resolves a region name written at posPath (shown as path).
func (d *decoder) region(posPath, path, name string, r *refs) int {
	if i, ok := r.regions[name]; ok {
		return i
	}
	d.errAt(posPath, path, "%q is not a declared region%s", name, undeclaredRegionHint(name, r.regionNames))
	return -1
}

// regionKey resolves o[k] as a region name.
func (d *decoder) regionKey(o *obj, k string, r *refs, required bool, why string) int {
	s, ok := o.str(k)
	if !ok {
		if required && !o.has(k) {
			o.missing(k, why)
		}
		return -1
	}
	return d.region(o.child(k), o.child(k), s, r)
}

// regionList resolves o[k] as a list of distinct region names, sorted.
func (d *decoder) regionList(o *obj, k string, r *refs) ([]int, bool) {
	names, paths, ok := o.strs(k)
	if !ok {
		return nil, false
	}
	seen := map[int]bool{}
	var out []int
	for i, n := range names {
		ri := d.region(paths[i], o.child(k), n, r)
		if ri < 0 {
			ok = false
			continue
		}
		if seen[ri] {
			d.errAt(paths[i], o.child(k), "%q is listed twice", n)
			ok = false
			continue
		}
		seen[ri] = true
		out = append(out, ri)
	}
	sort.Ints(out)
	return out, ok
}

// keyRef resolves o[k] as a key name.
func (d *decoder) keyRef(o *obj, k string, r *refs, required bool) int {
	s, ok := o.str(k)
	if !ok {
		if required && !o.has(k) {
			o.missing(k, "the name of a key declared under [keys]")
		}
		return -1
	}
	if i, ok := r.keys[s]; ok {
		return i
	}
	d.errorf(o.child(k), "%q is not a declared key%s", s, suggestOrList(s, "declared", r.keyNames))
	return -1
}

// users reads a list of principals.
func (d *decoder) users(path string, v any) ([]string, bool) {
	us, paths, ok := d.strs(path, v)
	for i, u := range us {
		msg := principalProblem(u)
		if strings.TrimSpace(u) == "" {
			msg = "empty principal"
		}
		if u != "*" && msg != "" {
			d.errAt(paths[i], path, "%s", msg)
			ok = false
		}
	}
	return us, ok
}

func (d *decoder) key(o *obj, r *refs) model.Key {
	k := model.Key{Name: parentLast(o.path), Primary: -1}
	if o.m == nil {
		return k // not a table: reported
	}
	o.known(secKey)
	mr, ok := o.boolean("multi_region")
	if !ok && o.has("multi_region") {
		// Reported; take the kind the other keys describe, so that the
		// checks below add no errors of their own.
		mr = o.has("primary") || o.has("replicas")
	}
	k.MultiRegion = mr
	if k.MultiRegion {
		if o.has("region") {
			d.errorf(o.child("region"), "a multi-Region key has a primary, not a region (write primary = ...)")
		}
		k.Primary = d.regionKey(o, "primary", r, true, "the primary's region of a multi-Region key")
		reps, _ := d.regionList(o, "replicas", r)
		for _, ri := range reps {
			if ri != k.Primary {
				k.Replicas = append(k.Replicas, ri)
				continue
			}
			names, paths, _ := o.strs("replicas")
			for i, n := range names {
				if n == r.regionNames[ri] {
					d.errAt(paths[i], o.child("replicas"), "%q is the primary's region; a replica must be in another region", n)
					break
				}
			}
		}
	} else {
		if o.has("primary") {
			d.errorf(o.child("primary"), "a single-Region key has no primary (set multi_region = true, or write region = ...)")
		}
		if names, _, _ := o.strs("replicas"); len(names) > 0 {
			d.errorf(o.child("replicas"), "a single-Region key cannot have replicas (set multi_region = true)")
		}
		k.Primary = d.regionKey(o, "region", r, true, "the home region of a single-Region key (or set multi_region = true)")
	}
	if v, ok := o.get("users"); ok {
		k.Users, _ = d.users(o.child("users"), v)
	}
	ui := o.table("users_in")
	for _, rn := range sortedKeys(ui.m) {
		p := ui.child(rn)
		ri := d.region(p, p, rn, r)
		us, _ := d.users(p, ui.m[rn])
		if ri < 0 {
			continue
		}
		if !k.MultiRegion && k.Primary >= 0 && ri != k.Primary {
			d.errorf(p, "a single-Region key has its only copy in %q, not %q", r.regionNames[k.Primary], rn)
			continue
		}
		k.UsersIn = append(k.UsersIn, model.RegionUsers{Region: ri, Users: us})
	}
	sort.Slice(k.UsersIn, func(i, j int) bool { return k.UsersIn[i].Region < k.UsersIn[j].Region })
	if v, ok := o.get("admins"); ok {
		k.Admins, _ = d.users(o.child("admins"), v)
		if k.Admins == nil {
			k.Admins = []string{} // admins = []: nobody
		}
	} else {
		k.Admins = []string{kms.Wildcard}
	}
	ai := o.table("admins_in")
	for _, rn := range sortedKeys(ai.m) {
		p := ai.child(rn)
		ri := d.region(p, p, rn, r)
		us, _ := d.users(p, ai.m[rn])
		if ri < 0 {
			continue
		}
		if !k.MultiRegion && k.Primary >= 0 && ri != k.Primary {
			d.errorf(p, "a single-Region key has its only copy in %q, not %q", r.regionNames[k.Primary], rn)
			continue
		}
		if us == nil {
			us = []string{}
		}
		k.AdminsIn = append(k.AdminsIn, model.RegionUsers{Region: ri, Users: us})
	}
	sort.Slice(k.AdminsIn, func(i, j int) bool { return k.AdminsIn[i].Region < k.AdminsIn[j].Region })
	if t, ok := o.duration("rotation"); ok {
		if t < MinRotation || t > MaxRotation {
			d.errorf(o.child("rotation"), "rotation period %s is outside 90d..2560d", sim.FormatDuration(t))
		} else {
			k.Rotation = t
		}
	}
	return k
}

// parentLast returns the unquoted last segment of a key path.
func parentLast(p string) string {
	last := p[len(parentPath(p)):]
	last = strings.TrimPrefix(last, ".")
	if strings.HasPrefix(last, `"`) {
		return unquoteBasic(last)
	}
	return last
}

func (d *decoder) app(top *obj, r *refs) model.App {
	a := model.App{}
	if !top.has("app") {
		d.errAt("", "app", "required: [app] with principal and serve")
		return a
	}
	o := top.table("app")
	if o.m == nil {
		return a
	}
	o.known(secApp)
	if s, ok := o.str("principal"); ok {
		if msg := principalProblem(s); msg != "" {
			d.errorf(o.child("principal"), "%s", msg)
		}
		a.Principal = s
	} else if !o.has("principal") {
		o.missing("principal", "who calls KMS and the stores")
	}
	if o.has("serve") {
		serve, ok := d.regionList(o, "serve", r)
		if ok && len(serve) == 0 {
			d.errorf(o.child("serve"), "must name at least one region")
		}
		a.Serve = serve
	} else {
		o.missing("serve", "the regions serving traffic at t=0")
	}
	if st, ok := o.str("sts"); ok {
		switch st {
		case "regional":
			a.STS = model.STSRegional
		case "global":
			a.STS = model.STSGlobal
		default:
			d.errorf(o.child("sts"), "unknown STS endpoint %q%s", st, suggestOrList(st, "endpoints", model.STSNames[:]))
		}
	}
	a.CredentialsTTL = model.DefaultCredentialsTTL
	if t, ok := o.duration("credentials_ttl"); ok {
		if t <= 0 {
			d.errorf(o.child("credentials_ttl"), "must be positive (how long cached credentials outlive an STS failure)")
		} else {
			a.CredentialsTTL = t
		}
	}
	return a
}

func (d *decoder) bucket(o *obj, r *refs) model.Bucket {
	b := model.Bucket{Name: parentLast(o.path), ObjectSize: DefaultObjectSize, Region: -1, Key: -1}
	if o.m == nil {
		return b
	}
	o.known(secBucket)
	b.Region = d.regionKey(o, "region", r, true, "the source bucket's region")
	b.Key = d.keyRef(o, "key", r, true)
	b.BucketKey, _ = o.boolean("bucket_key")
	if n, ok := o.size("object_size"); ok {
		if n <= 0 {
			d.errorf(o.child("object_size"), "must be positive")
		} else {
			b.ObjectSize = n
		}
	}
	b.Writes, _ = o.rate("writes")
	b.Reads, _ = o.rate("reads")
	seen := map[int]bool{}
	for _, ro := range o.tables("replication") {
		if ro.m == nil {
			continue
		}
		ro.known(secReplication)
		rep := model.Replication{Role: DefaultRole}
		rep.To = d.regionKey(ro, "to", r, true, "the destination region")
		if rep.To >= 0 {
			switch {
			case rep.To == b.Region:
				d.errorf(ro.child("to"), "%q is the source bucket's region", r.regionNames[rep.To])
			case seen[rep.To]:
				d.errorf(ro.child("to"), "a second replication rule to %q; one rule per destination", r.regionNames[rep.To])
			}
			seen[rep.To] = true
		}
		rep.Key = d.keyRef(ro, "key", r, true)
		if s, ok := ro.str("role"); ok {
			if msg := principalProblem(s); msg != "" {
				d.errorf(ro.child("role"), "%s", msg)
			} else {
				rep.Role = s
			}
		}
		rep.RTC, _ = ro.boolean("rtc")
		if l, ok := ro.dist("lag"); ok {
			rep.Lag = l
		} else {
			rep.Lag, rep.LagDefault = model.DefaultS3Lag(rep.RTC), true
		}
		b.Replication = append(b.Replication, rep)
	}
	b.Backup = d.backup(o, r)
	return b
}

func (d *decoder) backup(store *obj, r *refs) *model.Backup {
	if !store.has("backup") {
		return nil
	}
	o := store.table("backup")
	if o.m == nil {
		return nil
	}
	o.known(secBackup)
	b := &model.Backup{}
	b.To = d.regionKey(o, "to", r, true, "the region the backups are copied to")
	if t, ok := o.duration("every"); ok {
		if t <= 0 {
			d.errorf(o.child("every"), "must be positive")
		}
		b.Every = t
	} else if !o.has("every") {
		o.missing("every", `the snapshot interval, like "1h"`)
	}
	if c, ok := o.dist("copy"); ok {
		b.Copy = c
	} else if !o.has("copy") {
		o.missing("copy", `time from snapshot until the copy is usable, like "uniform(10m, 30m)"`)
	}
	b.Key = d.keyRef(o, "key", r, true)
	return b
}

func (d *decoder) table(o *obj, r *refs) model.Table {
	t := model.Table{Name: parentLast(o.path), ItemSize: DefaultItemSize, ClientKey: -1}
	if o.m == nil {
		return t
	}
	o.known(secTable)
	regsOK := false
	if o.has("regions") {
		t.Regions, regsOK = d.regionList(o, "regions", r)
		if regsOK && len(t.Regions) == 0 {
			d.errorf(o.child("regions"), "must name at least one region")
			regsOK = false
		}
	} else {
		o.missing("regions", "the regions of the table's replicas")
	}
	switch {
	case o.has("key") && o.has("keys_in"):
		d.errorf(o.child("keys_in"), "give either key or keys_in, not both")
	case o.has("key"):
		k := d.keyRef(o, "key", r, true)
		t.Keys = make([]int, len(t.Regions))
		for i := range t.Keys {
			t.Keys[i] = k
		}
	case o.has("keys_in"):
		ki := o.table("keys_in")
		t.Keys = make([]int, len(t.Regions))
		for i := range t.Keys {
			t.Keys[i] = -1
		}
		for _, rn := range sortedKeys(ki.m) {
			ri := d.region(ki.child(rn), ki.child(rn), rn, r)
			k := d.keyRef(ki, rn, r, true)
			if ri < 0 {
				continue
			}
			pos := sort.SearchInts(t.Regions, ri)
			if pos >= len(t.Regions) || t.Regions[pos] != ri {
				if regsOK {
					d.errorf(ki.child(rn), "%q is not one of the table's regions", rn)
				}
				continue
			}
			t.Keys[pos] = k
		}
		if regsOK {
			var miss []string
			for i, ri := range t.Regions {
				if _, ok := ki.m[r.regionNames[ri]]; !ok {
					miss = append(miss, fmt.Sprintf("%q", r.regionNames[ri]))
					t.Keys[i] = -1
				}
			}
			if len(miss) > 0 {
				d.errorf(ki.path, "no key for %s; keys_in must name a key for each of the table's regions", strings.Join(miss, ", "))
			}
		}
	default:
		d.errAt(o.path, o.child("key"), "required: the at-rest key (key = \"...\"), or one key per region (keys_in = { region = \"key\" })")
	}
	if n, ok := o.size("item_size"); ok {
		if n <= 0 {
			d.errorf(o.child("item_size"), "must be positive")
		} else {
			t.ItemSize = n
		}
	}
	t.Writes, _ = o.rate("writes")
	t.Reads, _ = o.rate("reads")
	if l, ok := o.dist("lag"); ok {
		t.Lag = l
	} else {
		t.Lag, t.LagDefault = model.DefaultDynamoDBLag(), true
	}
	if o.has("client_key") {
		t.ClientKey = d.keyRef(o, "client_key", r, false)
	}
	t.Backup = d.backup(o, r)
	return t
}

func (d *decoder) outages(top *obj, r *refs) []model.Outage {
	var out []model.Outage
	streams := map[string]string{} // stream → path of the outage using it
	for i, o := range top.tables("outages") {
		if o.m == nil {
			continue
		}
		o.known(secOutage)
		ou := model.Outage{Probability: 1, Region: -1, Regions: [2]int{-1, -1}}
		ou.Name, _ = o.str("name")
		ou.Stream = ou.Name
		if ou.Stream == "" {
			ou.Stream = fmt.Sprintf("outage-%d", i+1)
		}
		if prev, dup := streams[ou.Stream]; dup {
			d.errorf(o.path, "has the same random stream %q as %s; give each outage a distinct name", ou.Stream, prev)
		}
		streams[ou.Stream] = o.path
		kind := "region"
		if s, ok := o.str("kind"); ok {
			kind = s
		}
		phased := o.has("phases")
		switch kind {
		case "region":
			ou.Kind = model.RegionOutage
			if o.has("regions") {
				d.errorf(o.child("regions"), "a region outage takes one region (write region = ...), or set kind = \"partition\"")
			}
			ou.Region = d.regionKey(o, "region", r, true, "the region that goes down")
			if phased {
				for _, k := range []string{"services", "duration", "error_rate"} {
					if o.has(k) {
						d.errorf(o.child(k), "an outage in phases sets %s per phase, in [[outages.phases]]", k)
					}
				}
				ou.Phases = d.phases(o, ou.Region, r)
			} else {
				ou.Services = d.services(o, ou.Region, r)
				ou.ErrorRate = d.errorRate(o)
			}
		case "partition":
			ou.Kind = model.Partition
			for _, k := range []string{"region", "services", "error_rate", "phases"} {
				if o.has(k) {
					d.errorf(o.child(k), "not used by a partition, which cuts the link between the two regions of `regions`")
				}
			}
			phased = false
			if regs, ok := d.regionList(o, "regions", r); ok {
				if len(regs) != 2 {
					d.errorf(o.child("regions"), "a partition needs exactly two distinct regions, got %d", len(regs))
				} else {
					ou.Regions = [2]int{regs[0], regs[1]}
				}
			} else if !o.has("regions") {
				o.missing("regions", "the two regions the partition separates")
			}
		default:
			d.errorf(o.child("kind"), "unknown outage kind %q%s", kind, suggestOrList(kind, "kinds", outageKinds))
		}
		if s, ok := o.dist("start"); ok {
			ou.Start = s
		} else if !o.has("start") {
			o.missing("start", `when the outage begins, like "uniform(2h, 10h)"`)
		}
		if !phased {
			if s, ok := o.dist("duration"); ok {
				ou.Duration = s
			} else if !o.has("duration") {
				o.missing("duration", `how long it lasts, like "lognormal(median=3h, p99=10h)" or "profile(aws-regional)"`)
			}
		}
		if p, ok := o.number("probability"); ok {
			if p < 0 || p > 1 {
				d.errorf(o.child("probability"), "must be in [0, 1], got %v", p)
			} else {
				ou.Probability = p
			}
		}
		out = append(out, ou)
	}
	return out
}

// services reads o.services (default: every service), in a region outage
// or a phase of one in region.
func (d *decoder) services(o *obj, region int, r *refs) model.Services {
	names, paths, ok := o.strs("services")
	if !ok {
		return model.SvcAll
	}
	var svcs model.Services
	if len(names) == 0 {
		d.errorf(o.child("services"), "empty; omit it to take every service down")
	}
	for j, n := range names {
		i := slices.Index(serviceNames[:], n)
		if i < 0 {
			d.errAt(paths[j], o.child("services"), "unknown service %q%s", n, suggestOrList(n, "services", serviceNames[:]))
			continue
		}
		svc := model.Services(1) << i
		if svcs&svc != 0 {
			d.errAt(paths[j], o.child("services"), "%q is listed twice", n)
		}
		if svc&model.SvcGlobalControl != 0 && region >= 0 && r.regionNames[region] != model.ControlPlaneRegion {
			d.errAt(paths[j], o.child("services"), "%q exists only in %s, where its control plane is hosted (rule %s, docs/aws-behaviour.md), not in %q",
				n, model.ControlPlaneRegion, controlRule(svc), r.regionNames[region])
		}
		svcs |= svc
	}
	return svcs
}

// controlRule names the AWS rule that puts a global control plane in
// us-east-1.
func controlRule(svc model.Services) string {
	if svc == model.SvcRoute53Control {
		return "G1"
	}
	return "G2"
}

// errorRate reads o.error_rate: a number in (0, 1], default 1.
func (d *decoder) errorRate(o *obj) float64 {
	e, ok := o.number("error_rate")
	if !ok {
		return 1
	}
	if !(e > 0 && e <= 1) {
		d.errorf(o.child("error_rate"), "must be in (0, 1] (the fraction of requests that fail), got %v", e)
		return 1
	}
	return e
}

// phases reads the [[outages.phases]] of an outage in region.
func (d *decoder) phases(o *obj, region int, r *refs) []model.Phase {
	objs := o.tables("phases")
	if objs == nil {
		if v, _ := o.get("phases"); v != nil {
			return nil // wrong type: reported
		}
	}
	if len(objs) == 0 {
		d.errorf(o.child("phases"), "an outage in phases needs at least one [[outages.phases]]")
		return nil
	}
	var ps []model.Phase
	for _, po := range objs {
		if po.m == nil {
			continue
		}
		po.known(secPhase)
		p := model.Phase{Offset: sim.ConstDist(0)}
		p.Services = d.services(po, region, r)
		p.ErrorRate = d.errorRate(po)
		if dd, ok := po.dist("offset"); ok {
			p.Offset = dd
		}
		if dd, ok := po.dist("duration"); ok {
			p.Duration = dd
		} else if !po.has("duration") {
			po.missing("duration", `how long the phase lasts, like "2h52m"`)
		}
		ps = append(ps, p)
	}
	return ps
}

// opSpec says which operation arguments are required (2), optional (1) or
// not used (0).
type opSpec struct{ key, region, store, window, users, to, rtc, copy int }

var opSpecs = [...]opSpec{
	model.OpReplicateKey:        {key: 2, region: 2, users: 1},
	model.OpUpdatePrimaryRegion: {key: 2, region: 2},
	model.OpEnableKey:           {key: 2, region: 2},
	model.OpDisableKey:          {key: 2, region: 2},
	model.OpScheduleKeyDeletion: {key: 2, region: 2, window: 1},
	model.OpCancelKeyDeletion:   {key: 2, region: 2},
	model.OpRotateKey:           {key: 2, region: 1}, // "not needed": the primary rotates
	model.OpPutKeyPolicy:        {key: 2, region: 2, users: 2},
	model.OpRestoreBackup:       {store: 2, region: 1}, // if given, the backup's own region

	model.OpCreateTableReplica:      {store: 2, region: 2, key: 1, copy: 1}, // key: required with keys_in
	model.OpDeleteTableReplica:      {store: 2, region: 2},
	model.OpPutBucketReplication:    {store: 2, to: 2, key: 2, rtc: 1},
	model.OpDeleteBucketReplication: {store: 2, to: 2},
}

// opArgHelp explains an op's argument in a "required" error.
func opArgHelp(kind model.OpKind, arg string) string {
	switch {
	case arg == "store" && kind == model.OpRestoreBackup:
		return "the bucket or table whose backup is restored"
	case arg == "store" && (kind == model.OpCreateTableReplica || kind == model.OpDeleteTableReplica):
		return "the table"
	case arg == "store":
		return "the bucket"
	case arg == "region" && kind == model.OpCreateTableReplica:
		return "the region of the new replica"
	case arg == "region" && kind == model.OpDeleteTableReplica:
		return "the region of the replica removed"
	case arg == "to":
		return "the destination region of the rule"
	case arg == "key" && kind == model.OpPutBucketReplication:
		return "the rule's replica key, usable in to"
	case arg == "key" && kind == model.OpCreateTableReplica:
		return "the new replica's key (the table has one key per region)"
	case arg == "key":
		return "the key acted on"
	case arg == "region":
		return "the region of the copy acted on"
	case arg == "users":
		return "the principals of the new key policy"
	}
	return ""
}

// opKeys are the op arguments, for "only used with op" errors.
var opKeys = []string{"key", "region", "store", "window", "users", "to", "rtc", "copy"}

// op decodes the op of an action or a step. The caller has checked the keys.
func (d *decoder) op(o *obj, r *refs, c *model.Config, required bool) model.Op {
	op := model.Op{Key: -1, Region: -1, To: -1}
	if s, ok := o.str("principal"); ok {
		if msg := principalProblem(s); msg != "" {
			d.errorf(o.child("principal"), "%s", msg)
		}
		op.Principal = s
	}
	name, ok := o.str("op")
	if !ok {
		if required && !o.has("op") {
			o.missing("op", "one of "+strings.Join(model.OpNames[1:], ", "))
		}
		if !o.has("op") {
			for _, k := range opKeys {
				if o.has(k) {
					d.errorf(o.child(k), "only used with op = ...")
				}
			}
		}
		return op
	}
	for k, n := range model.OpNames {
		if k > 0 && n == name {
			op.Kind = model.OpKind(k)
		}
	}
	if op.Kind == model.OpNone {
		d.errorf(o.child("op"), "unknown op %q%s", name, suggestOrList(name, "ops", model.OpNames[1:]))
		return op
	}
	spec := opSpecs[op.Kind]
	use := func(k string, level int) bool {
		switch {
		case level == 0 && o.has(k):
			d.errorf(o.child(k), "not used by %s", name)
			return false
		case level == 2 && !o.has(k):
			o.missing(k, fmt.Sprintf("%s needs %s", name, opArgHelp(op.Kind, k)))
			return false
		}
		return level > 0 && o.has(k)
	}
	if op.Kind == model.OpCreateTableReplica && !o.has("key") {
		if s, _ := o.str("store"); r.keysIn[s] {
			o.missing("key", fmt.Sprintf("%s needs %s", name, opArgHelp(op.Kind, "key")))
		}
	}
	if use("key", spec.key) {
		op.Key = d.keyRef(o, "key", r, true)
	}
	if use("region", spec.region) {
		op.Region = d.regionKey(o, "region", r, true, "")
	}
	if use("store", spec.store) {
		op.Store = d.storeRef(o, r, c, op.Kind)
		if b := storeBackup(c, op.Store); op.Kind == model.OpRestoreBackup && b != nil && op.Region >= 0 && op.Region != b.To {
			d.errorf(o.child("region"), "restore-backup restores into the backup's region %q, not %q",
				r.regionNames[b.To], r.regionNames[op.Region])
		}
	}
	if use("to", spec.to) {
		op.To = d.regionKey(o, "to", r, true, "")
		if op.Store.Kind == model.StoreBucket && op.Store.Index < len(c.Buckets) && op.To >= 0 &&
			op.To == c.Buckets[op.Store.Index].Region && o.has("store") {
			d.errorf(o.child("to"), "%q is the source bucket's region", r.regionNames[op.To])
		}
	}
	if use("rtc", spec.rtc) {
		op.RTC, _ = o.boolean("rtc")
	}
	if use("copy", spec.copy) {
		if dd, ok := o.dist("copy"); ok {
			op.Copy, op.HasCopy = dd, true
		}
	}
	if op.Kind == model.OpScheduleKeyDeletion {
		op.Window = DefaultWindow
	}
	if use("window", spec.window) {
		if w, ok := o.duration("window"); ok {
			if w < MinWindow || w > MaxWindow {
				d.errorf(o.child("window"), "waiting period %s is outside 7d..30d", sim.FormatDuration(w))
			} else {
				op.Window = w
			}
		}
	}
	if use("users", spec.users) {
		v, _ := o.get("users")
		op.Users, _ = d.users(o.child("users"), v)
		op.HasUsers = true
	}
	return op
}

// storeBackup returns the backup of the store ref names, or nil.
func storeBackup(c *model.Config, ref model.StoreRef) *model.Backup {
	switch {
	case ref.Kind == model.StoreBucket && ref.Index < len(c.Buckets):
		return c.Buckets[ref.Index].Backup
	case ref.Kind == model.StoreTable && ref.Index < len(c.Tables):
		return c.Tables[ref.Index].Backup
	}
	return nil
}

// storeRef resolves o.store for an op of the given kind: for restore-backup
// a bucket or table that has a backup, for the table-replica ops a table,
// for the bucket-rule ops a bucket.
func (d *decoder) storeRef(o *obj, r *refs, c *model.Config, kind model.OpKind) model.StoreRef {
	s, ok := o.str("store")
	if !ok {
		return model.StoreRef{}
	}
	ref := model.StoreRef{}
	bi, isBucket := r.buckets[s]
	ti, isTable := r.tables[s]
	switch kind {
	case model.OpCreateTableReplica, model.OpDeleteTableReplica:
		if !isTable {
			d.errorf(o.child("store"), "%q is not a declared table%s", s, suggestOrList(s, "tables", sortedKeys(r.tables)))
		}
		return model.StoreRef{Kind: model.StoreTable, Index: ti}
	case model.OpPutBucketReplication, model.OpDeleteBucketReplication:
		if !isBucket {
			d.errorf(o.child("store"), "%q is not a declared bucket%s", s, suggestOrList(s, "buckets", sortedKeys(r.buckets)))
		}
		return model.StoreRef{Kind: model.StoreBucket, Index: bi}
	}
	var backup *model.Backup
	switch {
	case isBucket:
		ref = model.StoreRef{Kind: model.StoreBucket, Index: bi}
		if bi < len(c.Buckets) {
			backup = c.Buckets[bi].Backup
		}
	case isTable:
		ref = model.StoreRef{Kind: model.StoreTable, Index: ti}
		if ti < len(c.Tables) {
			backup = c.Tables[ti].Backup
		}
	default:
		d.errorf(o.child("store"), "%q is not a declared bucket or table%s", s, suggestOrList(s, "stores", r.storeNames))
		return ref
	}
	if backup == nil {
		section := "buckets"
		if ref.Kind == model.StoreTable {
			section = "tables"
		}
		d.errorf(o.child("store"), "%q has no backup to restore (add [%s.%s.backup])", s, section, s)
	}
	return ref
}

// needs reads a step's needs: "SERVICE@REGION" entries (a declared region;
// route53-control and iam-control only in us-east-1) or
// "arc-routing-control".
func (d *decoder) needs(o *obj, r *refs) []model.Need {
	names, paths, ok := o.strs("needs")
	if !ok {
		return nil
	}
	var out []model.Need
	seen := map[string]bool{}
	for i, e := range names {
		p := paths[i]
		if seen[e] {
			d.errAt(p, o.child("needs"), "%q is listed twice", e)
			continue
		}
		seen[e] = true
		if e == arcNeed {
			out = append(out, model.Need{ARC: true, Region: -1})
			continue
		}
		svcName, regName, hasAt := strings.Cut(e, "@")
		if !hasAt {
			if slices.Contains(needServices, svcName) || slices.Contains(serviceNames[:], svcName) {
				d.errAt(p, o.child("needs"), "%q names no region: write SERVICE@REGION, like \"%s@us-east-1\"", e, svcName)
			} else {
				d.errAt(p, o.child("needs"), "unknown need %q%s; write SERVICE@REGION, like \"route53-control@us-east-1\", or %q",
					e, suggest(svcName, needServices), arcNeed)
			}
			continue
		}
		si := slices.Index(serviceNames[:], svcName)
		if svcName == arcNeed {
			d.errAt(p, o.child("needs"), "%q takes no region: write %q (ARC's cluster spans the regions of [arc] regions, G4)", arcNeed, arcNeed)
			continue
		}
		if si < 0 || !slices.Contains(needServices, svcName) {
			why := suggestOrList(svcName, "services a step can need", needServices[:len(needServices)-1]).String()
			if svcName == "app" {
				why = " (the app's compute is what the runbook moves, not something a step needs)"
			}
			d.errAt(p, o.child("needs"), "unknown service %q%s", svcName, why)
			continue
		}
		ri := d.region(p, o.child("needs"), regName, r)
		svc := model.Services(1) << si
		if ri >= 0 && svc&model.SvcGlobalControl != 0 && regName != model.ControlPlaneRegion {
			d.errAt(p, o.child("needs"), "%q exists only in %s, where its control plane is hosted (rule %s, docs/aws-behaviour.md): write %s@%s",
				svcName, model.ControlPlaneRegion, controlRule(svc), svcName, model.ControlPlaneRegion)
			continue
		}
		if ri >= 0 {
			out = append(out, model.Need{Service: svc, Region: ri})
		}
	}
	return out
}

func (d *decoder) failover(top *obj, r *refs, c *model.Config) *model.Failover {
	if !top.has("failover") {
		return nil
	}
	o := top.table("failover")
	if o.m == nil {
		return nil
	}
	o.known(secFailover)
	f := &model.Failover{}
	f.From = d.regionKey(o, "from", r, true, "the region failed over from")
	f.To = d.regionKey(o, "to", r, true, "the region failed over to")
	if f.From >= 0 && f.From == f.To {
		d.errorf(o.child("to"), "is the same region as from (%q)", r.regionNames[f.From])
	}
	if dt, ok := o.dist("detect"); ok {
		f.Detect = dt
	} else if !o.has("detect") {
		o.missing("detect", `time from the service going down to the runbook starting, like "normal(mean=4m, sd=1m)"`)
	}
	if s, ok := o.str("operator"); ok {
		if msg := principalProblem(s); msg != "" {
			d.errorf(o.child("operator"), "%s", msg)
		}
		f.Operator = s
	}
	steps := o.tables("steps")
	index := map[string]int{}
	names := make([]string, len(steps))
	for i, so := range steps {
		if so.m == nil {
			continue
		}
		// An invalid name is reported, and still indexed: after may use it.
		if n, _ := so.name("name"); n != "" {
			if j, dup := index[n]; dup {
				d.errorf(so.child("name"), "step %q is already declared at %s", n, steps[j].path)
			} else {
				index[n] = i
			}
			names[i] = n
		} else if !so.has("name") {
			so.missing("name", "each step needs a name")
		}
	}
	sortedNames := sortedKeys(index)
	for i, so := range steps {
		if so.m == nil {
			f.Steps = append(f.Steps, model.Step{})
			continue
		}
		so.known(secStep)
		st := model.Step{Name: names[i], Required: true, Retry: DefaultRetry, Duration: sim.ConstDist(0)}
		after, paths, _ := so.strs("after")
		seen := map[int]bool{}
		for j, a := range after {
			k, ok := index[a]
			switch {
			case !ok:
				d.errAt(paths[j], so.child("after"), "%q is not a step%s", a, suggest(a, sortedNames))
			case k == i:
				d.errAt(paths[j], so.child("after"), "step %q cannot come after itself", a)
			case seen[k]:
				d.errAt(paths[j], so.child("after"), "%q is listed twice", a)
			default:
				seen[k] = true
				st.After = append(st.After, k)
			}
		}
		st.Op = d.op(so, r, c, false)
		st.Needs = d.needs(so, r)
		if dur, ok := so.dist("duration"); ok {
			st.Duration = dur
		}
		if b, ok := so.boolean("required"); ok {
			st.Required = b
		}
		if t, ok := so.duration("retry"); ok {
			if t <= 0 {
				d.errorf(so.child("retry"), "must be positive")
			} else {
				st.Retry = t
			}
		}
		f.Steps = append(f.Steps, st)
	}
	d.stepCycles(f.Steps, steps)
	return f
}

// stepCycles reports each cycle in the steps' after graph once.
func (d *decoder) stepCycles(steps []model.Step, objs []*obj) {
	const (
		white = iota
		grey
		black
	)
	color := make([]int, len(steps))
	var stack []int
	var visit func(i int)
	visit = func(i int) {
		color[i] = grey
		stack = append(stack, i)
		for _, j := range steps[i].After {
			switch color[j] {
			case white:
				visit(j)
			case grey:
				// the cycle is stack from j to i
				k := len(stack) - 1
				for stack[k] != j {
					k--
				}
				cyc := stack[k:]
				names := make([]string, 0, len(cyc)+1)
				for _, s := range cyc {
					names = append(names, fmt.Sprintf("%q", steps[s].Name))
				}
				names = append(names, fmt.Sprintf("%q", steps[j].Name))
				d.errorf(objs[i].child("after"), "steps form a cycle: %s", strings.Join(names, " after "))
			}
		}
		stack = stack[:len(stack)-1]
		color[i] = black
	}
	for i := range steps {
		if color[i] == white {
			visit(i)
		}
	}
}

func (d *decoder) action(o *obj, r *refs, c *model.Config) model.Action {
	a := model.Action{Op: model.Op{Key: -1, Region: -1, To: -1}}
	if o.m == nil {
		return a
	}
	o.known(secAction)
	if at, ok := o.dist("at"); ok {
		a.At = at
	} else if !o.has("at") {
		o.missing("at", `when the action happens, like "30m"`)
	}
	a.Op = d.op(o, r, c, true)
	return a
}

func (d *decoder) costs(top *obj) ([]model.CostItem, map[string]float64) {
	var items []model.CostItem
	co := top.table("costs")
	co.known(secCosts)
	mo := co.table("monthly")
	for _, n := range sortedKeys(mo.m) {
		if f, ok := d.number(mo.child(n), mo.m[n]); ok {
			if f < 0 {
				d.errorf(mo.child(n), "must not be negative, got %v", f)
			}
			items = append(items, model.CostItem{Name: n, USD: f})
		}
	}
	prices := map[string]float64{}
	po := top.table("prices")
	for _, n := range sortedKeys(po.m) {
		if !slices.Contains(priceIDs, n) {
			d.errorf(po.child(n), "unknown price id%s", suggestOrList(n, "ids", priceIDs))
			continue
		}
		if f, ok := d.number(po.child(n), po.m[n]); ok {
			if f < 0 {
				d.errorf(po.child(n), "must not be negative, got %v", f)
			}
			prices[n] = f
		}
	}
	return items, prices
}
