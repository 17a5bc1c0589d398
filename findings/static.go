package findings

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/drsim/drsim/internal/human"
	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/model/kms"
	"github.com/drsim/drsim/sim"
)

// Thresholds of the limit warnings (docs/findings.md, DR401..DR403).
const (
	MinRealisticRetry       = sim.Second
	MinRealisticBackupEvery = sim.Minute
)

// Static returns the static findings of cfg: setups that AWS accepts (or
// that drsim loads) but that cannot work as intended, computed from the
// scenario alone, before any trial. loc says where each value was written
// (scenarios.ResolveLocated returns it); with a nil loc every finding
// points at cfg.File. The result is sorted (Sort) and deterministic; it is
// empty, not nil, when there is nothing to report. cfg must pass
// model.Config.Check; Static does not modify it.
func Static(cfg *model.Config, loc model.Locator) []Finding {
	c := &checker{cfg: cfg, loc: loc, out: []Finding{}}
	c.serveAfter = serveAfterFailover(cfg)
	c.tableKeys()
	c.replicationKeys()
	c.clientKeys()
	c.appPolicies()
	c.backups()
	c.rotation()
	c.failoverTarget()
	c.rpoLag()
	c.requiredSteps()
	c.requiredNeeds()
	c.sts()
	c.admins()
	c.replicaOps()
	c.quotas()
	c.limits()
	c.outagesInForce()
	Sort(c.out)
	return c.out
}

// checker collects the findings of one scenario.
type checker struct {
	cfg *model.Config
	loc model.Locator
	out []Finding
	// serveAfter are the regions serving after the failover (nil without
	// a failover).
	serveAfter []int
}

// add records a finding of rule id at path; severity < 0 takes the rule's.
func (c *checker) add(id string, sev Severity, path string, subj Subjects, awsRule, fix, format string, args ...any) {
	r, ok := Lookup(id)
	if !ok {
		panic("findings: unknown rule " + id) // a programming error, caught by the tests
	}
	if sev < 0 {
		sev = r.Severity
	}
	if awsRule == "" {
		awsRule = r.AWSRule
	}
	subj.normalize()
	c.out = append(c.out, Finding{
		ID: r.ID, Name: r.Name, Kind: KindStatic, Severity: sev,
		Location: locate(c.cfg, c.loc, path),
		Message:  fmt.Sprintf(format, args...),
		AWSRule:  awsRule, DocURL: AWSRuleURL(awsRule),
		Fix: fix, Subjects: subj,
	})
}

// written reports whether path was written in the scenario.
func (c *checker) written(path string) bool {
	if c.loc == nil {
		return false
	}
	_, ok := c.loc.Locate(path)
	return ok
}

// first returns the first of paths that was written, else the last one.
func (c *checker) first(paths ...string) string {
	for _, p := range paths {
		if c.written(p) {
			return p
		}
	}
	return paths[len(paths)-1]
}

func (c *checker) region(i int) string { return c.cfg.Regions[i].Name }

func (c *checker) regions(is []int) []string {
	out := make([]string, len(is))
	for j, i := range is {
		out[j] = c.region(i)
	}
	return out
}

// serveAfterFailover returns the regions that serve once the runbook has
// moved traffic: the regions serving at t=0 without failover.from, plus
// failover.to, sorted. It is nil without a failover.
func serveAfterFailover(cfg *model.Config) []int {
	fo := cfg.Failover
	if fo == nil {
		return nil
	}
	var out []int
	for _, r := range cfg.App.Serve {
		if r != fo.From {
			out = append(out, r)
		}
	}
	if !slices.Contains(out, fo.To) {
		out = append(out, fo.To)
	}
	slices.Sort(out)
	return out
}

// hasCopy reports whether key k has a copy in region r at t=0.
func hasCopy(k *model.Key, r int) bool {
	return k.Primary == r || (k.MultiRegion && slices.Contains(k.Replicas, r))
}

// describeKey says where a key's copies are: "single-Region, in us-east-1"
// or "multi-Region, copies in us-east-1, eu-west-1".
func (c *checker) describeKey(k *model.Key) string {
	if !k.MultiRegion {
		return "single-Region, in " + c.region(k.Primary)
	}
	copies := append([]int{k.Primary}, k.Replicas...)
	slices.Sort(copies)
	return "multi-Region, copies in " + strings.Join(c.regions(copies), ", ")
}

// keyFix says how to give key k a copy in region r.
func (c *checker) keyFix(k *model.Key, r int) string {
	if k.MultiRegion {
		return fmt.Sprintf("add %q to keys.%s.replicas", c.region(r), k.Name)
	}
	return fmt.Sprintf("use a key with a copy in %s: a multi-Region key with a replica there (a single-Region key cannot become multi-Region, K2), or a key created in %s",
		c.region(r), c.region(r))
}

// tableKeyPath returns the path of the at-rest key of table t's replica in
// region r: keys_in.REGION when written, else key.
func (c *checker) tableKeyPath(t *model.Table, r int) string {
	base := "tables." + t.Name
	return c.first(base+".keys_in."+c.region(r), base+".key")
}

// DR101 (G6): a table replica whose at-rest key has no copy in its region.
func (c *checker) tableKeys() {
	for ti := range c.cfg.Tables {
		t := &c.cfg.Tables[ti]
		for j, r := range t.Regions {
			k := &c.cfg.Keys[t.Keys[j]]
			if hasCopy(k, r) {
				continue
			}
			effect := "its at-rest calls go to " + c.region(k.Primary) + ", so the replica fails with that region"
			if k.MultiRegion {
				effect = "the replica is INACCESSIBLE_ENCRYPTION_CREDENTIALS from the start"
			}
			path := c.tableKeyPath(t, r)
			fix := c.keyFix(k, r) + fmt.Sprintf(", or give the %s replica its own key with tables.%s.keys_in", c.region(r), t.Name)
			if strings.Contains(path, ".keys_in.") {
				// The replica already has its own key: name one with a copy there.
				fix = c.keyFix(k, r)
				if !k.MultiRegion {
					fix += ", and name it in " + path
				}
			}
			c.add(TableReplicaKeyNotInRegion, -1, path,
				Subjects{Keys: []string{k.Name}, Stores: []string{t.Name}, Regions: []string{c.region(r), c.region(k.Primary)}}, "",
				fix,
				"table %q has a replica in %s whose at-rest key %q (%s) has no copy there: DynamoDB refuses to create it (ValidationException); as simulated, %s",
				t.Name, c.region(r), k.Name, c.describeKey(k), effect)
		}
	}
}

// DR102 (G7), DR105 and DR106 (S1): S3 replication rules.
func (c *checker) replicationKeys() {
	for bi := range c.cfg.Buckets {
		b := &c.cfg.Buckets[bi]
		src := &c.cfg.Keys[b.Key]
		for ri := range b.Replication {
			rule := &b.Replication[ri]
			path := fmt.Sprintf("buckets.%s.replication[%d]", b.Name, ri)
			k := &c.cfg.Keys[rule.Key]
			if !c.keyCopyIn(rule.Key, rule.To) {
				c.add(ReplicaKeyNotInDestination, -1, path+".key",
					Subjects{Keys: []string{k.Name}, Stores: []string{b.Name}, Regions: []string{c.region(rule.To)}}, "",
					c.keyFix(k, rule.To),
					"bucket %q replicates to %s with replica key %q (%s), which has no copy in %s: reads of the replica there call %s",
					b.Name, c.region(rule.To), k.Name, c.describeKey(k), c.region(rule.To), c.callTarget(k, rule.To))
			} else if t := model.CallRegion(c.cfg, rule.Key, rule.To); t >= 0 && !kms.Allows(k.UsersFor(t), rule.Role) {
				c.add(ReplicationRoleNotInDestination, -1, c.usersPath(k, t),
					Subjects{Keys: []string{k.Name}, Stores: []string{b.Name}, Regions: []string{c.region(t)}, Principals: []string{rule.Role}}, "",
					fmt.Sprintf("add %q to %s", rule.Role, c.usersPath(k, t)),
					"replication role %q of bucket %q is not in the key policy of %q in %s: every object replicated to %s fails kms:Encrypt with AccessDeniedException and is left FAILED",
					rule.Role, b.Name, k.Name, c.region(t), c.region(rule.To))
			}
			if t := model.CallRegion(c.cfg, b.Key, b.Region); t >= 0 && !kms.Allows(src.UsersFor(t), rule.Role) {
				c.add(ReplicationRoleNotInSource, -1, c.usersPath(src, t),
					Subjects{Keys: []string{src.Name}, Stores: []string{b.Name}, Regions: []string{c.region(t)}, Principals: []string{rule.Role}}, "",
					fmt.Sprintf("add %q to %s", rule.Role, c.usersPath(src, t)),
					"replication role %q of bucket %q is not in the key policy of source key %q in %s: every object fails kms:Decrypt with AccessDeniedException and never reaches %s",
					rule.Role, b.Name, src.Name, c.region(t), c.region(rule.To))
			}
		}
	}
}

// callTarget says where a call with key k from region r goes.
func (c *checker) callTarget(k *model.Key, r int) string {
	if !k.MultiRegion {
		return "KMS in " + c.region(k.Primary) + " (K12)"
	}
	return "a copy that does not exist and fail with NotFoundException (K12)"
}

// usersPath is the path of the key policy of key k's copy in region r:
// users_in.REGION when given, else users (else the key's header).
func (c *checker) usersPath(k *model.Key, r int) string {
	base := "keys." + k.Name
	for _, u := range k.UsersIn {
		if u.Region == r {
			return base + ".users_in." + c.region(r)
		}
	}
	return base + ".users"
}

// DR103, DR104 (K12): client-side keys that do not work after the failover.
func (c *checker) clientKeys() {
	fo := c.cfg.Failover
	if fo == nil {
		return
	}
	for ti := range c.cfg.Tables {
		t := &c.cfg.Tables[ti]
		if t.ClientKey < 0 || t.Reads+t.Writes == 0 {
			continue
		}
		k := &c.cfg.Keys[t.ClientKey]
		path := "tables." + t.Name + ".client_key"
		for _, r := range c.serveAfter {
			if !c.tableIn(ti, r) || r == fo.From {
				continue
			}
			switch {
			case !k.MultiRegion && k.Primary == fo.From:
				c.add(SingleRegionClientKeyAfterFailover, -1, path,
					Subjects{Keys: []string{k.Name}, Stores: []string{t.Name}, Regions: []string{c.region(r), c.region(fo.From)}}, "",
					fmt.Sprintf("make %q a multi-Region key with a replica in %s (an MRK-aware keyring calls the replica in the caller's region)", k.Name, c.region(r)),
					"table %q encrypts items client-side with %q, a single-Region key in %s: after the failover every read and write in %s still calls KMS in %s, which is down (KMSUnavailable)",
					t.Name, k.Name, c.region(fo.From), c.region(r), c.region(fo.From))
			case k.MultiRegion && !c.keyCopyIn(t.ClientKey, r):
				c.add(ClientKeyWithoutCopyAfterFailover, -1, c.first("keys."+k.Name+".replicas", "keys."+k.Name),
					Subjects{Keys: []string{k.Name}, Stores: []string{t.Name}, Regions: []string{c.region(r)}}, "",
					fmt.Sprintf("add %q to keys.%s.replicas", c.region(r), k.Name),
					"table %q encrypts items client-side with multi-Region key %q, which has no copy in %s: after the failover every read and write there fails with NotFoundException",
					t.Name, k.Name, c.region(r))
			}
		}
	}
}

// use is one copy of a key the application calls from a region.
type use struct {
	key, caller, target int
	store               string
}

// appUses returns the key copies the application calls from the regions in
// serve: the key of each bucket's copy there, each table's client-side key.
// With after, the copies are those left once the actions and steps have run
// (bucketKeyIn, tableIn), else those of t=0.
func (c *checker) appUses(serve []int, after bool) []use {
	var out []use
	for _, r := range serve {
		for bi := range c.cfg.Buckets {
			b := &c.cfg.Buckets[bi]
			k := b.KeyIn(r)
			if after {
				k = c.bucketKeyIn(bi, r)
			}
			if k >= 0 && b.Reads+b.Writes > 0 {
				if t := model.CallRegion(c.cfg, k, r); t >= 0 {
					out = append(out, use{k, r, t, b.Name})
				}
			}
		}
		for ti := range c.cfg.Tables {
			t := &c.cfg.Tables[ti]
			in := slices.Contains(t.Regions, r)
			if after {
				in = c.tableIn(ti, r)
			}
			if t.ClientKey >= 0 && t.Reads+t.Writes > 0 && in {
				if tg := model.CallRegion(c.cfg, t.ClientKey, r); tg >= 0 {
					out = append(out, use{t.ClientKey, r, tg, t.Name})
				}
			}
		}
	}
	return out
}

// DR107 (K4): the application's principal missing from a copy it calls, at
// t=0 or after the failover.
func (c *checker) appPolicies() {
	app := c.cfg.App.Principal
	type copyID struct{ key, region int }
	seen := map[copyID]bool{}
	report := func(uses []use, when string) {
		for _, u := range uses {
			id := copyID{u.key, u.target}
			k := &c.cfg.Keys[u.key]
			if seen[id] || kms.Allows(k.UsersFor(u.target), app) {
				continue
			}
			seen[id] = true
			c.add(AppNotInKeyPolicy, -1, c.usersPath(k, u.target),
				Subjects{Keys: []string{k.Name}, Stores: []string{u.store}, Regions: []string{c.region(u.target)}, Principals: []string{app}}, "",
				fmt.Sprintf("add %q to %s", app, c.usersPath(k, u.target)),
				"the application %q is not in the key policy of %q in %s, which %s %q calls %s: every such call fails with AccessDeniedException",
				app, k.Name, c.region(u.target), storeWord(c.cfg, u.store), u.store, when)
		}
	}
	report(c.appUses(c.cfg.App.Serve, false), "from t=0")
	if c.serveAfter != nil {
		report(c.appUses(c.serveAfter, true), "after the failover to "+c.region(c.cfg.Failover.To))
	}
}

// storeWord returns "bucket" or "table" for the store named name.
func storeWord(cfg *model.Config, name string) string {
	for i := range cfg.Buckets {
		if cfg.Buckets[i].Name == name {
			return "bucket"
		}
	}
	return "table"
}

// backupOf is a store's backup with its path.
type backupOf struct {
	store string
	path  string
	b     *model.Backup
}

func (c *checker) allBackups() []backupOf {
	var out []backupOf
	for i := range c.cfg.Buckets {
		if b := c.cfg.Buckets[i].Backup; b != nil {
			out = append(out, backupOf{c.cfg.Buckets[i].Name, "buckets." + c.cfg.Buckets[i].Name + ".backup", b})
		}
	}
	for i := range c.cfg.Tables {
		if b := c.cfg.Tables[i].Backup; b != nil {
			out = append(out, backupOf{c.cfg.Tables[i].Name, "tables." + c.cfg.Tables[i].Name + ".backup", b})
		}
	}
	return out
}

// DR108: a backup vault key without a copy in the backup's region.
func (c *checker) backups() {
	for _, x := range c.allBackups() {
		k := &c.cfg.Keys[x.b.Key]
		if c.keyCopyIn(x.b.Key, x.b.To) {
			continue
		}
		effect := "copies and restores there depend on KMS in " + c.region(k.Primary)
		if k.MultiRegion {
			effect = "no copy ever completes, so a restore finds none"
		}
		c.add(BackupKeyNotInVaultRegion, -1, x.path+".key",
			Subjects{Keys: []string{k.Name}, Stores: []string{x.store}, Regions: []string{c.region(x.b.To)}}, "",
			c.keyFix(k, x.b.To),
			"the backup of %q is copied to %s with vault key %q (%s), which has no copy in %s: %s",
			x.store, c.region(x.b.To), k.Name, c.describeKey(k), c.region(x.b.To), effect)
	}
}

// DR109 (K9): rotation on a single-Region key used from other regions.
func (c *checker) rotation() {
	for ki := range c.cfg.Keys {
		k := &c.cfg.Keys[ki]
		if k.MultiRegion || k.Rotation <= 0 {
			continue
		}
		var from []int
		addFrom := func(r int) {
			if r != k.Primary && !slices.Contains(from, r) {
				from = append(from, r)
			}
		}
		for _, u := range append(c.appUses(c.cfg.App.Serve, false), c.appUses(c.serveAfter, true)...) {
			if u.key == ki {
				addFrom(u.caller)
			}
		}
		for ti := range c.cfg.Tables {
			t := &c.cfg.Tables[ti]
			for j, r := range t.Regions {
				if t.Keys[j] == ki {
					addFrom(r)
				}
			}
		}
		for bi := range c.cfg.Buckets {
			for _, rule := range c.cfg.Buckets[bi].Replication {
				if rule.Key == ki {
					addFrom(rule.To)
				}
			}
		}
		for _, x := range c.allBackups() {
			if x.b.Key == ki {
				addFrom(x.b.To)
			}
		}
		if len(from) == 0 {
			continue
		}
		slices.Sort(from)
		c.add(RotationOnSingleRegionKey, -1, "keys."+k.Name+".rotation",
			Subjects{Keys: []string{k.Name}, Regions: append(c.regions(from), c.region(k.Primary))}, "",
			fmt.Sprintf("create a multi-Region key with replicas in %s, set rotation on its primary (it reaches every replica, K9) and re-encrypt under it", strings.Join(c.regions(from), ", ")),
			"key %q rotates every %s but is single-Region, in %s, and is used from %s: rotation renews its one copy; every call from there still goes to %s (K12)",
			k.Name, dur(k.Rotation), c.region(k.Primary), strings.Join(c.regions(from), ", "), c.region(k.Primary))
	}
}

// storeCopyIn reports whether the store has a copy in region r that a
// failover can serve from: its source bucket or a replication destination,
// a table replica (those the actions and steps create included, those they
// delete excluded), or a backup copied there that the runbook restores.
func (c *checker) storeCopyIn(name string, r int) bool {
	for i := range c.cfg.Buckets {
		b := &c.cfg.Buckets[i]
		if b.Name == name {
			return c.bucketKeyIn(i, r) >= 0 || c.restoredIn(model.StoreRef{Kind: model.StoreBucket, Index: i}, b.Backup, r)
		}
	}
	for i := range c.cfg.Tables {
		t := &c.cfg.Tables[i]
		if t.Name == name {
			return c.tableIn(i, r) || c.restoredIn(model.StoreRef{Kind: model.StoreTable, Index: i}, t.Backup, r)
		}
	}
	return false
}

// restoredIn reports whether a runbook step restores the store's backup
// into region r.
func (c *checker) restoredIn(ref model.StoreRef, b *model.Backup, r int) bool {
	if b == nil || b.To != r || c.cfg.Failover == nil {
		return false
	}
	for _, st := range c.cfg.Failover.Steps {
		if st.Op.Kind == model.OpRestoreBackup && st.Op.Store == ref {
			return true
		}
	}
	return false
}

// storeLoad is a store's name, path and requests per second.
type storeLoad struct {
	name, path string
	rate       float64
}

func (c *checker) stores() []storeLoad {
	var out []storeLoad
	for i := range c.cfg.Buckets {
		b := &c.cfg.Buckets[i]
		out = append(out, storeLoad{b.Name, c.first("buckets."+b.Name+".replication", "buckets."+b.Name), b.Reads + b.Writes})
	}
	for i := range c.cfg.Tables {
		t := &c.cfg.Tables[i]
		out = append(out, storeLoad{t.Name, "tables." + t.Name + ".regions", t.Reads + t.Writes})
	}
	return out
}

// DR201, DR202: a failover target without the data.
func (c *checker) failoverTarget() {
	fo := c.cfg.Failover
	if fo == nil {
		return
	}
	stores := c.stores()
	var total float64
	held := false
	for _, s := range stores {
		total += s.rate
		if c.storeCopyIn(s.name, fo.To) {
			held = true
		}
	}
	if len(stores) == 0 {
		return
	}
	to := c.region(fo.To)
	if !held {
		names := make([]string, len(stores))
		var deletes []opRef
		for i, s := range stores {
			names[i] = s.name
			deletes = append(deletes, c.deletedCopy(s.name, fo.To)...)
		}
		fix := fmt.Sprintf("replicate the stores to %s, or fail over to a region that holds them", to)
		why, path := "", "failover.to"
		if len(deletes) > 0 {
			deletes = c.inOrder(deletes)
			path = c.first(deletes[0].path+".op", deletes[0].path)
			why = fmt.Sprintf(" (%s %s the copies there)", opNames(deletes), plural(len(deletes), "deletes", "delete"))
			fix = fmt.Sprintf("keep the copies in %s (remove %s), or fail over to a region that holds them", to, opNames(deletes))
		}
		c.add(FailoverTargetHoldsNothing, -1, path,
			Subjects{Stores: names, Regions: []string{to}}, "",
			fix,
			"failover.to is %s, which holds no copy of any store (%s)%s: after the failover every request fails as unavailable",
			to, strings.Join(names, ", "), why)
		return
	}
	for _, s := range stores {
		if s.rate == 0 || c.storeCopyIn(s.name, fo.To) {
			continue
		}
		sev := Warning
		lost := s.rate / total
		if 1-lost < c.cfg.Objectives.Success {
			sev = Error
		}
		path, why, fix := s.path, "", c.copyFix(s.name, fo.To)
		if del := c.deletedCopy(s.name, fo.To); len(del) > 0 {
			path = c.first(del[0].path+".op", del[0].path)
			why = fmt.Sprintf(" (%s %s it)", opNames(del), plural(len(del), "deletes", "delete"))
			fix = fmt.Sprintf("keep the copy of %q in %s (remove %s), or %s", s.name, to, opNames(del), fix)
		}
		c.add(StoreWithoutCopyAfterFailover, sev, path,
			Subjects{Stores: []string{s.name}, Regions: []string{to}}, "",
			fix,
			"%s %q has no copy in %s%s, where the application serves after the failover: its %s requests/s (%.1f%% of all) fail as unavailable there (success objective %g)",
			storeWord(c.cfg, s.name), s.name, to, why, num(s.rate), 100*lost, c.cfg.Objectives.Success)
	}
}

// copyFix says how to give store name a copy in region r, by its kind: a
// table replica for a table, a replication rule for a bucket, and the
// restore of its backup when it has one.
func (c *checker) copyFix(name string, r int) string {
	reg := c.region(r)
	ref, _ := c.storeRefOf(name)
	var fix string
	var b *model.Backup
	if ref.Kind == model.StoreTable {
		fix = fmt.Sprintf("add %q to tables.%s.regions (or create the replica in the runbook: op = \"create-table-replica\")", reg, name)
		b = c.cfg.Tables[ref.Index].Backup
	} else {
		fix = fmt.Sprintf("add a replication rule to %s ([[buckets.%s.replication]], or op = \"put-bucket-replication\" in the runbook)", reg, name)
		b = c.cfg.Buckets[ref.Index].Backup
	}
	switch {
	case b != nil && b.To == r:
		fix += ", or restore its backup there in the runbook (op = \"restore-backup\")"
	case b != nil:
		fix += fmt.Sprintf(", or copy its backup to %s (backup.to) and restore it there in the runbook", reg)
	}
	return fix
}

// roundDuration rounds a duration in nanoseconds to the second (to the
// millisecond below a minute), for messages.
func roundDuration(ns float64) sim.Time {
	unit := float64(sim.Second)
	if ns < float64(sim.Minute) {
		unit = float64(sim.Millisecond)
	}
	return sim.Time(math.Round(ns/unit) * unit)
}

// num writes a rate or a count as the report does: thousands separators,
// 4 significant digits below 1,000 ("400,500", "500.7", "0.2").
func num(v float64) string { return human.Num(v) }

// dur writes a duration as the report's prose and charts do: "3h05m",
// "30m", "4m05s", "2.3s" (internal/human.DurShort).
func dur(t sim.Time) string { return human.DurShort(float64(t) / float64(sim.Second)) }

// DR203 (S2): an RPO objective below the p99 of an S3 rule's lag without RTC.
func (c *checker) rpoLag() {
	ob := c.cfg.Objectives
	if !ob.HasRPO {
		return
	}
	for bi := range c.cfg.Buckets {
		b := &c.cfg.Buckets[bi]
		if b.Writes == 0 {
			continue
		}
		for ri := range b.Replication {
			rule := &b.Replication[ri]
			if rule.RTC || (c.serveAfter != nil && !slices.Contains(c.serveAfter, rule.To)) {
				continue
			}
			p99 := roundDuration(rule.Lag.Quantile(0.99))
			if p99 <= ob.RPO {
				continue
			}
			path := fmt.Sprintf("buckets.%s.replication[%d]", b.Name, ri)
			lag := "the built-in lag without RTC"
			if !rule.LagDefault {
				lag = "its lag " + rule.Lag.String()
			}
			c.add(RPOBelowReplicationP99, -1, c.first(path+".rtc", path+".lag", path),
				Subjects{Stores: []string{b.Name}, Regions: []string{c.region(rule.To)}}, "",
				"turn on Replication Time Control (rtc = true), or set an RPO objective the replication can meet",
				"objectives.rpo is %s but bucket %q replicates to %s without RTC, with %s: p99 %s, so an outage often strands objects older than the objective",
				dur(ob.RPO), b.Name, c.region(rule.To), lag, dur(p99))
		}
	}
	// Rules that an action or a runbook step puts: their lag is the
	// built-in one for their rtc.
	for _, o := range c.ops() {
		op := o.op
		if op.Kind != model.OpPutBucketReplication || op.RTC || op.Store.Kind != model.StoreBucket ||
			op.Store.Index >= len(c.cfg.Buckets) || op.To < 0 || (c.serveAfter != nil && !slices.Contains(c.serveAfter, op.To)) {
			continue
		}
		b := &c.cfg.Buckets[op.Store.Index]
		p99 := roundDuration(model.DefaultS3Lag(false).Quantile(0.99))
		if b.Writes == 0 || p99 <= ob.RPO {
			continue
		}
		c.add(RPOBelowReplicationP99, -1, c.first(o.path+".rtc", o.path+".op", o.path),
			Subjects{Stores: []string{b.Name}, Regions: []string{c.region(op.To)}}, "",
			fmt.Sprintf("set rtc = true in %s, or set an RPO objective the replication can meet", o.path),
			"objectives.rpo is %s but %s puts a replication rule of bucket %q to %s without RTC, with the built-in lag without RTC: p99 %s, so an outage often strands objects older than the objective",
			dur(ob.RPO), o.name, b.Name, c.region(op.To), dur(p99))
	}
}

// DR301 (K8), DR302: required steps whose op goes to the failed region.
func (c *checker) requiredSteps() {
	fo := c.cfg.Failover
	if fo == nil {
		return
	}
	from := c.region(fo.From)
	for i := range fo.Steps {
		st := &fo.Steps[i]
		if !st.Required || st.Op.Kind == model.OpNone {
			continue
		}
		path := fmt.Sprintf("failover.steps[%d]", i)
		op := st.Op
		subj := Subjects{Steps: []string{st.Name}, Regions: []string{from}}
		var k *model.Key
		if op.Key >= 0 && op.Key < len(c.cfg.Keys) {
			k = &c.cfg.Keys[op.Key]
			subj.Keys = []string{k.Name}
		}
		reqPath := c.first(path+".required", path+".op")
		switch op.Kind {
		case model.OpUpdatePrimaryRegion:
			if k != nil && k.MultiRegion && k.Primary == fo.From {
				sev, why := c.failedRegionSeverity(fo.From, model.SvcKMS, "KMS")
				c.add(RequiredKeyPromotion, sev, reqPath, subj, "",
					fmt.Sprintf("make step %q optional (required = false): a replica serves without promotion (K7), and the step retries after the failover", st.Name),
					"required step %q promotes %q to %s with UpdatePrimaryRegion, which is sent to the current primary's region %s (K8); %s",
					st.Name, k.Name, c.region(op.Region), from, why)
			}
		case model.OpReplicateKey, model.OpRotateKey:
			if k != nil && k.Primary == fo.From && (k.MultiRegion || op.Kind == model.OpRotateKey) {
				api, rule := "ReplicateKey", "K5"
				if op.Kind == model.OpRotateKey {
					api, rule = "RotateKeyOnDemand", "K9"
				}
				sev, why := c.failedRegionSeverity(fo.From, model.SvcKMS, "KMS")
				c.add(RequiredOpInFailedRegion, sev, reqPath, subj, rule,
					fmt.Sprintf("do it before the outage (in the setup), or make step %q optional (required = false)", st.Name),
					"required step %q calls %s on %q, which is sent to the primary's region %s (%s); %s",
					st.Name, api, k.Name, from, rule, why)
			}
		case model.OpEnableKey, model.OpDisableKey, model.OpScheduleKeyDeletion, model.OpCancelKeyDeletion, model.OpPutKeyPolicy:
			if op.Region == fo.From {
				sev, why := c.failedRegionSeverity(fo.From, model.SvcKMS, "KMS")
				c.add(RequiredOpInFailedRegion, sev, reqPath, subj, "K4",
					fmt.Sprintf("act on a copy in another region, or make step %q optional (required = false)", st.Name),
					"required step %q runs %s on the copy of %q in %s, the region the failover leaves; %s",
					st.Name, op.Kind, k.Name, from, why)
			}
		case model.OpPutBucketReplication, model.OpDeleteBucketReplication:
			// The rule is configured on the source bucket: S3 in its
			// region (G7).
			if op.Store.Kind != model.StoreBucket || op.Store.Index >= len(c.cfg.Buckets) {
				break
			}
			bk := &c.cfg.Buckets[op.Store.Index]
			if bk.Region != fo.From {
				break
			}
			subj.Stores = []string{bk.Name}
			sev, why := c.failedRegionSeverity(fo.From, model.SvcS3, "S3")
			c.add(RequiredOpInFailedRegion, sev, reqPath, subj, "G7",
				fmt.Sprintf("put the rule before the outage, in the setup ([[buckets.%s.replication]]), or make step %q optional (required = false)", bk.Name, st.Name),
				"required step %q runs %s on bucket %q, whose rules are configured in its region %s, the region the failover leaves (G7); %s",
				st.Name, op.Kind, bk.Name, from, why)
		case model.OpCreateTableReplica, model.OpDeleteTableReplica:
			// UpdateTable goes to a live replica of the table (G6): only
			// those in the failed region are left.
			if op.Store.Kind != model.StoreTable || op.Store.Index >= len(c.cfg.Tables) {
				break
			}
			t := &c.cfg.Tables[op.Store.Index]
			if slices.ContainsFunc(t.Regions, func(r int) bool { return r != fo.From }) {
				break
			}
			subj.Stores = []string{t.Name}
			sev, why := c.failedRegionSeverity(fo.From, model.SvcDynamoDB, "DynamoDB")
			c.add(RequiredOpInFailedRegion, sev, reqPath, subj, "G6",
				fmt.Sprintf("create the replica before the outage, in the setup (add %q to tables.%s.regions), or make step %q optional (required = false)", c.region(fo.To), t.Name, st.Name),
				"required step %q runs %s on table %q, whose only replica is in %s, the region the failover leaves: UpdateTable goes to a live replica (G6); %s",
				st.Name, op.Kind, t.Name, from, why)
		case model.OpRestoreBackup:
			var b *model.Backup
			name := ""
			if op.Store.Kind == model.StoreBucket && op.Store.Index < len(c.cfg.Buckets) {
				b, name = c.cfg.Buckets[op.Store.Index].Backup, c.cfg.Buckets[op.Store.Index].Name
			} else if op.Store.Kind == model.StoreTable && op.Store.Index < len(c.cfg.Tables) {
				b, name = c.cfg.Tables[op.Store.Index].Backup, c.cfg.Tables[op.Store.Index].Name
			}
			if b != nil && b.To == fo.From {
				subj.Stores = []string{name}
				svc, what := model.SvcS3, "S3"
				if op.Store.Kind == model.StoreTable {
					svc, what = model.SvcDynamoDB, "DynamoDB"
				}
				sev, why := c.failedRegionSeverity(fo.From, svc|model.SvcKMS, what+" or KMS")
				c.add(RequiredOpInFailedRegion, sev, reqPath, subj, DocDRStrategies,
					fmt.Sprintf("copy the backup of %q to %s (backup.to) instead", name, c.region(fo.To)),
					"required step %q restores the backup of %q in %s, the region the failover leaves; %s",
					st.Name, name, from, why)
			}
		}
	}
}

// DR401, DR402 (K13): KMS quotas below the demand.
func (c *checker) quotas() {
	ob := c.cfg.Objectives
	check := func(id string, serve []int, skip int, when string) {
		demand := model.Demand(c.cfg, serve)
		reqs, offered := c.requestsByTarget(serve)
		for r, d := range demand {
			q := c.cfg.Regions[r].KMSRPS
			if r == skip || d <= q {
				continue
			}
			theta := 1 - q/d
			success := 1.0
			if offered > 0 {
				success = 1 - theta*reqs[r]/offered
			}
			sev := Warning
			if success < ob.Success {
				sev = Error
			}
			name := c.region(r)
			c.add(id, sev, "regions."+name+".kms_rps",
				Subjects{Regions: []string{name}}, "",
				fmt.Sprintf("request a KMS quota of at least %s calls/s in %s and set kms_rps to it", num(d), name)+c.bucketKeyFix(serve, r, d, q),
				"%s's KMS demand %s is %s calls/s%s, over its quota of %s (kms_rps): %.1f%% of its calls fail with ThrottlingException, leaving %.2f%% of requests succeeding (success objective %g)",
				name, when, num(d), c.demandFrom(serve, r, d), num(q), 100*theta, 100*success, ob.Success)
		}
	}
	check(KMSQuotaBelowDemand, c.cfg.App.Serve, -1, "under normal routing")
	if fo := c.cfg.Failover; fo != nil {
		// Only the regions that still serve: the failed region's KMS is down.
		check(KMSQuotaBelowDemandAfterFailover, c.serveAfter, fo.From, "after the failover to "+c.region(fo.To))
	}
}

// requestsByTarget returns the application requests per second whose KMS
// call lands in each region when serve serves, and all requests offered.
// A throttled call fails its whole request (S4: throttled KMS reaches S3
// clients as 503s), whatever its calls per request.
func (c *checker) requestsByTarget(serve []int) ([]float64, float64) {
	out := make([]float64, len(c.cfg.Regions))
	var offered float64
	if len(serve) == 0 {
		return out, 0
	}
	share := 1 / float64(len(serve))
	for bi := range c.cfg.Buckets {
		b := &c.cfg.Buckets[bi]
		offered += b.Reads + b.Writes
		for _, r := range serve {
			if k := b.KeyIn(r); k >= 0 {
				if t := model.CallRegion(c.cfg, k, r); t >= 0 {
					out[t] += (b.Reads + b.Writes) * share
				}
			}
		}
	}
	for ti := range c.cfg.Tables {
		t := &c.cfg.Tables[ti]
		offered += t.Reads + t.Writes
		if t.ClientKey < 0 {
			continue
		}
		for _, r := range serve {
			if slices.Contains(t.Regions, r) {
				if tg := model.CallRegion(c.cfg, t.ClientKey, r); tg >= 0 {
					out[tg] += (t.Reads + t.Writes) * share
				}
			}
		}
	}
	return out, offered
}

// DR901, DR902: intervals below the realistic minimum (warnings).
func (c *checker) limits() {
	if fo := c.cfg.Failover; fo != nil {
		for i := range fo.Steps {
			st := &fo.Steps[i]
			if st.Retry <= 0 || st.Retry >= MinRealisticRetry {
				continue
			}
			c.add(RetryBelowOneSecond, -1, fmt.Sprintf("failover.steps[%d].retry", i),
				Subjects{Steps: []string{st.Name}}, "",
				"use a retry of seconds to minutes, as an operator or a script would",
				"step %q retries every %s, more often than once a second: no runbook or SDK retries that fast",
				st.Name, dur(st.Retry))
		}
	}
	for _, x := range c.allBackups() {
		if x.b.Every <= 0 || x.b.Every >= MinRealisticBackupEvery {
			continue
		}
		c.add(BackupIntervalBelowOneMinute, -1, x.path+".every",
			Subjects{Stores: []string{x.store}}, "",
			"use the backup plan's interval (1h or more), or model continuous backups as a replica with a lag",
			"the backup of %q is taken every %s, more often than once a minute: AWS Backup runs a backup rule at most once an hour",
			x.store, dur(x.b.Every))
	}
}

// DR303 (G1, G2): required steps that need a service in failover.from.
func (c *checker) requiredNeeds() {
	fo := c.cfg.Failover
	if fo == nil {
		return
	}
	from := c.region(fo.From)
	for i := range fo.Steps {
		st := &fo.Steps[i]
		if !st.Required {
			continue
		}
		for _, n := range st.Needs {
			if n.ARC || n.Region != fo.From {
				continue
			}
			rule, why := DocDRStrategies, ""
			optional := fmt.Sprintf("make step %q optional (required = false)", st.Name)
			fix := fmt.Sprintf("use %s in a region the failover moves to, or %s", n.Service, optional)
			switch n.Service {
			case model.SvcRoute53Control:
				rule, why = "G1", " (Route 53's control plane is hosted in us-east-1, G1; its data plane, DNS and health checks, is not)"
				fix = fmt.Sprintf("move traffic with something that does not need %s (Route 53 health-check failover, or ARC routing control: needs = [\"arc-routing-control\"]), or %s", from, optional)
			case model.SvcIAMControl:
				rule, why = "G2", " (IAM's control plane is hosted in us-east-1, G2)"
				fix = fmt.Sprintf("make the IAM change before the outage (create the role or policy the step needs in advance, in the setup), or %s", optional)
			case model.SvcSTS:
				rule = "G3"
				fix = fmt.Sprintf("get credentials from the STS endpoint of a region the failover moves to (regional STS), or %s", optional)
			}
			need := n.Service.String() + "@" + from
			sev, tail := c.failedRegionSeverity(fo.From, n.Service, n.Service.String())
			c.add(RequiredStepNeedsFailedRegion, sev, fmt.Sprintf("failover.steps[%d].needs", i),
				Subjects{Steps: []string{st.Name}, Regions: []string{from}}, rule,
				fix,
				"required step %q needs %s, in the region the failover leaves%s; %s",
				st.Name, need, why, tail)
		}
	}
}

// DR110 (G3): the global STS endpoint from an opt-in region.
func (c *checker) sts() {
	if c.cfg.App.STS != model.STSGlobal {
		return
	}
	serve := append([]int(nil), c.cfg.App.Serve...)
	for _, r := range c.serveAfter {
		if !slices.Contains(serve, r) {
			serve = append(serve, r)
		}
	}
	slices.Sort(serve)
	var opt []string
	for _, r := range serve {
		if model.IsOptIn(c.region(r)) {
			opt = append(opt, c.region(r))
		}
	}
	if len(opt) == 0 {
		return
	}
	sev := Warning
	when := "if STS in us-east-1 fails"
	if c.stsCanFail() {
		sev, when = Error, "when an outage of this scenario takes STS in us-east-1 down"
	}
	ttl := c.cfg.App.CredentialsTTL
	if ttl <= 0 {
		ttl = model.DefaultCredentialsTTL
	}
	c.add(STSGlobalFromOptInRegion, sev, c.first("app.sts", "app"),
		Subjects{Regions: append(opt, model.ControlPlaneRegion)}, "",
		`use the regional STS endpoints: app.sts = "regional"`,
		"app.sts is \"global\" and the app serves from %s, an opt-in region: its credentials come from STS in us-east-1, so %s the app fails there once its cached credentials (at most %s) run out",
		strings.Join(opt, ", "), when, dur(ttl))
}

// stsCanFail reports whether an outage of the scenario can take STS in
// us-east-1 down (at an error rate of 1).
func (c *checker) stsCanFail() bool {
	for oi := range c.cfg.Outages {
		o := &c.cfg.Outages[oi]
		if o.Kind != model.RegionOutage || o.Region < 0 || c.region(o.Region) != model.ControlPlaneRegion || o.Probability <= 0 {
			continue
		}
		if len(o.Phases) == 0 && o.Services&model.SvcSTS != 0 && model.Rate(o.ErrorRate) >= 1 {
			return true
		}
		for _, p := range o.Phases {
			if p.Services&model.SvcSTS != 0 && model.Rate(p.ErrorRate) >= 1 {
				return true
			}
		}
	}
	return false
}

// opRef is the op of an action or a runbook step, with its path and name.
type opRef struct {
	op       *model.Op
	path     string // "actions[i]" or "failover.steps[i]"
	name     string // "actions[i]" or "step \"NAME\""
	step     string // the step's name, "" for an action
	required bool
}

func (c *checker) ops() []opRef {
	var out []opRef
	for i := range c.cfg.Actions {
		out = append(out, opRef{&c.cfg.Actions[i].Op, fmt.Sprintf("actions[%d]", i), fmt.Sprintf("actions[%d]", i), "", false})
	}
	if fo := c.cfg.Failover; fo != nil {
		for i := range fo.Steps {
			st := &fo.Steps[i]
			out = append(out, opRef{&st.Op, fmt.Sprintf("failover.steps[%d]", i), fmt.Sprintf("step %q", st.Name), st.Name, st.Required})
		}
	}
	return out
}

// DR111 (G5): control-plane ops made by a principal that is not an admin
// of a copy they need.
func (c *checker) admins() {
	for _, o := range c.ops() {
		op := o.op
		if !op.Kind.IsKMS() || op.Key < 0 || op.Key >= len(c.cfg.Keys) {
			continue
		}
		k := &c.cfg.Keys[op.Key]
		var copies []int
		switch op.Kind {
		case model.OpReplicateKey, model.OpRotateKey:
			copies = []int{k.Primary}
		case model.OpUpdatePrimaryRegion:
			copies = []int{k.Primary, op.Region}
		default:
			copies = []int{op.Region}
		}
		who := c.cfg.Principal(op)
		for _, r := range copies {
			if r < 0 || r >= len(c.cfg.Regions) || kms.Allows(k.AdminsFor(r), who) {
				continue
			}
			sev := Warning
			if o.required {
				sev = Error
			}
			path := "keys." + k.Name + ".admins"
			for _, a := range k.AdminsIn {
				if a.Region == r {
					path = "keys." + k.Name + ".admins_in." + c.region(r)
				}
			}
			subj := Subjects{Keys: []string{k.Name}, Regions: []string{c.region(r)}, Principals: []string{who}}
			if o.step != "" {
				subj.Steps = []string{o.step}
			}
			effect := "AccessDeniedException, a refusal"
			if o.required {
				effect += ": the required step fails and the failover does not happen"
			}
			admins := " (" + strings.Join(k.AdminsFor(r), ", ") + ")"
			fix := fmt.Sprintf("add %q to %s, or have an admin of that copy make the operation", who, path)
			if len(k.AdminsFor(r)) == 0 {
				admins = ", which has no admins"
				fix = fmt.Sprintf("add %q to %s", who, path)
			}
			c.add(AdminsExcludePrincipal, sev, c.first(path, "keys."+k.Name), subj, "",
				fix,
				"%s makes %s on %q as %q, who is not in the admins of its copy in %s%s: %s",
				o.name, op.Kind, k.Name, who, c.region(r), admins, effect)
		}
	}
}

// DR112 (G6, G7): create-table-replica and put-bucket-replication with a
// key that has no copy in the new replica's region.
func (c *checker) replicaOps() {
	for _, o := range c.ops() {
		op := o.op
		var key, reg int
		var store string
		switch {
		case op.Kind == model.OpCreateTableReplica && op.Store.Kind == model.StoreTable && op.Store.Index < len(c.cfg.Tables):
			t := &c.cfg.Tables[op.Store.Index]
			key, reg, store = op.Key, op.Region, t.Name
			if key < 0 && len(t.Keys) > 0 {
				key = t.Keys[0]
			}
		case op.Kind == model.OpPutBucketReplication && op.Store.Kind == model.StoreBucket && op.Store.Index < len(c.cfg.Buckets):
			key, reg, store = op.Key, op.To, c.cfg.Buckets[op.Store.Index].Name
		default:
			continue
		}
		if key < 0 || key >= len(c.cfg.Keys) || reg < 0 || reg >= len(c.cfg.Regions) {
			continue
		}
		k := &c.cfg.Keys[key]
		if hasCopy(k, reg) || c.replicatedTo(key, reg) {
			continue
		}
		subj := Subjects{Keys: []string{k.Name}, Stores: []string{store}, Regions: []string{c.region(reg)}}
		if o.step != "" {
			subj.Steps = []string{o.step}
		}
		if op.Kind == model.OpCreateTableReplica {
			effect := "DynamoDB refuses it (ValidationException), and no replica is made"
			if o.required {
				effect += ": the required step fails and the failover does not happen"
			}
			c.add(ReplicaOpKeyNotInRegion, -1, c.first(o.path+".key", o.path+".op", o.path), subj, "G6",
				c.opKeyFix(k, reg, o.path),
				"%s creates a replica of table %q in %s with key %q (%s), which has no copy there: %s",
				o.name, store, c.region(reg), k.Name, c.describeKey(k), effect)
			continue
		}
		c.add(ReplicaOpKeyNotInRegion, -1, c.first(o.path+".key", o.path+".op", o.path), subj, "G7",
			c.opKeyFix(k, reg, o.path),
			"%s puts a replication rule of bucket %q to %s with replica key %q (%s), which has no copy there: reads of the replica there call %s",
			o.name, store, c.region(reg), k.Name, c.describeKey(k), c.callTarget(k, reg))
	}
}

// opKeyFix says how to give the op at path a key with a copy in region r
// when its key k has none: a replica of k there (the op keeps naming k), or
// a key created there, named in the op's key.
func (c *checker) opKeyFix(k *model.Key, r int, path string) string {
	if k.MultiRegion {
		return c.keyFix(k, r)
	}
	return c.keyFix(k, r) + fmt.Sprintf(", and name it in %s.key", path)
}

// replicatedTo reports whether an action or a step replicates key to reg
// (replicate-key), so that a copy may exist there when it is needed.
func (c *checker) replicatedTo(key, reg int) bool {
	for _, o := range c.ops() {
		if o.op.Kind == model.OpReplicateKey && o.op.Key == key && o.op.Region == reg {
			return true
		}
	}
	return false
}

// DR903: outages that never take anything down within the horizon (a
// start never before it, or a duration of 0s). An outage with probability
// 0 is off on purpose.
func (c *checker) outagesInForce() {
	h := c.cfg.Horizon
	for oi := range c.cfg.Outages {
		o := &c.cfg.Outages[oi]
		if o.Probability <= 0 {
			continue
		}
		base := fmt.Sprintf("outages[%d]", oi)
		subj := Subjects{}
		if o.Kind == model.RegionOutage && o.Region >= 0 {
			subj.Regions = []string{c.region(o.Region)}
		}
		if first := o.Start.Quantile(0); h > 0 && first >= float64(h) && !math.IsInf(first, 1) {
			c.add(OutageNeverInForce, -1, c.first(base+".start", base), subj, "",
				fmt.Sprintf("start the outage before the horizon (%s), or lengthen the horizon", dur(h)),
				"outage %q starts at %s at the earliest, at or after the horizon (%s): it never happens in a trial",
				o.Label(), dur(sim.Time(first)), dur(h))
			continue
		}
		zero, path := o.Duration.Max() <= 0, base+".duration"
		for pi := range o.Phases {
			if pi == 0 {
				zero, path = true, fmt.Sprintf("%s.phases[0].duration", base)
			}
			zero = zero && o.Phases[pi].Duration.Max() <= 0
		}
		if zero {
			c.add(OutageNeverInForce, -1, c.first(path, base), subj, "",
				"give the outage a duration (profile(aws-regional) for a regional event), or set probability = 0 to keep it off on purpose",
				"outage %q lasts 0s: it never takes anything down", o.Label())
		}
	}
}
