package findings

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/drsim/drsim/internal/human"
	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/model/kms"
	"github.com/drsim/drsim/sim"
)

// Tally aggregates the causes that the trials of a run observed
// (model.TrialResult.Causes) into dynamic findings. Add the trials in trial
// order, then call Findings. It keeps a few numbers per distinct cause,
// never a trial, so it streams: its result depends only on the Config and
// the sequence of trials added.
type Tally struct {
	cfg    *model.Config
	n      int
	groups map[model.Cause]*group // looked up only; Findings sorts
	seen   []model.Cause          // scratch: the groups of one trial
}

// group is the tally of one cause over trials. A cause of the app's KMS
// calls or of a store without a usable copy is grouped over stores: one
// finding names every store the trials saw with it.
type group struct {
	cause               model.Cause
	trials, miss, unrec int
	recovered           int
	unbounded           int     // recovered trials with an unbounded RPO
	rto, rpo, lost      float64 // sums over recovered trials (rpo, lost: those with a bounded RPO): seconds, seconds, writes
	rep                 int
	repMiss             bool
	repErr              string
	stores              []int          // sorted
	errors              map[string]int // last error codes of a step cause
}

// NewTally returns an empty Tally for the trials of cfg.
func NewTally(cfg *model.Config) *Tally {
	return &Tally{cfg: cfg, groups: map[model.Cause]*group{}}
}

// groupOf returns the group key of cause c.
func groupOf(c model.Cause) model.Cause {
	switch c.Kind() {
	case model.CauseKMSCall, model.CauseStoreUnavailable:
		return c.WithoutStore()
	}
	return c
}

// Add counts one trial. Trials must come in trial order for the
// representative trials to be the lowest-indexed ones.
func (t *Tally) Add(r *model.TrialResult) {
	t.n++
	if len(r.Causes) == 0 {
		return
	}
	metRTO, metRPO := r.Meets(&t.cfg.Objectives)
	miss := !(metRTO && metRPO)
	t.seen = t.seen[:0]
	for _, c := range r.Causes {
		key := groupOf(c)
		g := t.groups[key]
		if g == nil {
			g = &group{cause: key, rep: -1}
			t.groups[key] = g
		}
		if s := c.Store(); s >= 0 {
			if i, found := slices.BinarySearch(g.stores, s); !found {
				g.stores = slices.Insert(g.stores, i, s)
			}
		}
		if slices.Contains(t.seen, key) {
			continue
		}
		t.seen = append(t.seen, key)
		g.trials++
		if miss {
			g.miss++
		}
		if r.Incident && !r.Recovered {
			g.unrec++
		}
		if r.Incident && r.Recovered {
			g.recovered++
			g.rto += seconds(r.RTO)
			if r.RPO == sim.Forever {
				g.unbounded++
			} else {
				g.rpo += seconds(r.RPO)
				g.lost += float64(r.LostTotal)
			}
		}
		op := c.Op()
		if c.Kind() == model.CauseStep && op >= 0 && op < len(r.Ops) {
			if g.errors == nil {
				g.errors = map[string]int{}
			}
			g.errors[r.Ops[op].Code]++
		}
		if g.rep < 0 || (miss && !g.repMiss) {
			g.rep, g.repMiss = r.Trial, miss
			if c.Kind() == model.CauseStep && op >= 0 && op < len(r.Ops) {
				g.repErr = r.Ops[op].Err
			}
		}
	}
}

func seconds(t sim.Time) float64 { return float64(t) / float64(sim.Second) }

// Findings returns one dynamic finding per cause observed, most harmful
// first: by MissBothOfAll (the share of all trials that have the cause and
// miss the objectives), then by the trials with the cause, then by cause.
// loc places them as Static does (nil: the scenario's file). Their
// Confirms are empty: Link fills them.
func (t *Tally) Findings(loc model.Locator) []Finding {
	keys := slices.Sorted(maps.Keys(t.groups))
	out := make([]Finding, 0, len(keys))
	d := &describer{checker: checker{cfg: t.cfg, loc: loc, serveAfter: serveAfterFailover(t.cfg)}, n: t.n, replFailed: map[[2]int]kms.Reason{}}
	for _, k := range keys {
		if k.Kind() == model.CauseReplicationCall {
			d.replFailed[[2]int{k.Store(), k.Dest()}] = k.Reason()
		}
	}
	for _, k := range keys {
		if f, ok := d.finding(t.groups[k]); ok {
			out = append(out, f)
		}
	}
	slices.SortStableFunc(out, func(a, b Finding) int {
		return cmp.Or(
			-cmp.Compare(deref(a.Effect.MissBothOfAll), deref(b.Effect.MissBothOfAll)),
			-cmp.Compare(a.Effect.Trials, b.Effect.Trials),
		)
	})
	return out
}

func deref(p *float64) float64 {
	if p == nil {
		return 0
	}
	return *p
}

// Dynamic returns the dynamic findings of results, the trials of a run of
// cfg in trial order (Tally).
func Dynamic(cfg *model.Config, loc model.Locator, results []model.TrialResult) []Finding {
	t := NewTally(cfg)
	for i := range results {
		t.Add(&results[i])
	}
	return t.Findings(loc)
}

// FixFirst returns the dynamic findings of fs that cost P(meet both)
// something (MissBothOfAll > 0; without objectives, those with unrecovered
// trials), in their order, at most n: the "What to fix first" of a report.
func FixFirst(fs []Finding, n int) []Finding {
	var out []Finding
	for i := range fs {
		e := fs[i].Effect
		if fs[i].Kind != KindDynamic || e == nil {
			continue
		}
		if (e.MissBothOfAll != nil && *e.MissBothOfAll > 0) || (e.MissBothOfAll == nil && e.Unrecovered > 0) {
			out = append(out, fs[i])
			if len(out) == n {
				break
			}
		}
	}
	return out
}

// Link fills the Confirms of every dynamic finding of fs with the static
// findings of fs that it confirms: a kind of its rule's Confirms whose
// subjects match (sameSubjects). It keeps the order of fs.
func Link(fs []Finding) {
	for i := range fs {
		d := &fs[i]
		if d.Kind != KindDynamic {
			continue
		}
		d.Confirms = nil
		r, _ := Lookup(d.ID)
		for j := range fs {
			s := &fs[j]
			if s.Kind == KindStatic && slices.Contains(r.Confirms, s.ID) && sameSubjects(&d.Subjects, &s.Subjects) {
				d.Confirms = append(d.Confirms, Ref{ID: s.ID, Location: s.Location})
			}
		}
	}
}

// sameSubjects reports whether two findings are about the same things:
// every kind of subject (keys, stores, regions, principals, steps) that
// both name shares a name, and they share at least one kind.
func sameSubjects(a, b *Subjects) bool {
	shared := false
	for _, p := range [][2][]string{{a.Keys, b.Keys}, {a.Stores, b.Stores}, {a.Regions, b.Regions}, {a.Principals, b.Principals}, {a.Steps, b.Steps}} {
		if len(p[0]) == 0 || len(p[1]) == 0 {
			continue
		}
		if !slices.ContainsFunc(p[0], func(x string) bool { return slices.Contains(p[1], x) }) {
			return false
		}
		shared = true
	}
	return shared
}

// describer turns groups into findings.
type describer struct {
	checker
	n int // trials of the run
	// replFailed maps {store, destination region} to the AWS error of
	// replication calls that failed in the run (a DR504 finding)
	replFailed map[[2]int]kms.Reason
	// cands are the candidate paths of the last first call
	cands []string
}

// first is checker.first, remembering the candidates so that Relocate can
// choose among them again with a locator.
func (d *describer) first(paths ...string) string {
	d.cands = paths
	return d.checker.first(paths...)
}

// tableKeyPath is checker.tableKeyPath through d.first.
func (d *describer) tableKeyPath(t *model.Table, r int) string {
	base := "tables." + t.Name
	return d.first(base+".keys_in."+d.region(r), base+".key")
}

// name returns the region's name, or "an unnamed region".
func (d *describer) name(r int) string {
	if r < 0 || r >= len(d.cfg.Regions) {
		return "an unnamed region"
	}
	return d.cfg.Regions[r].Name
}

func (d *describer) key(k int) *model.Key {
	if k < 0 || k >= len(d.cfg.Keys) {
		return nil
	}
	return &d.cfg.Keys[k]
}

// storeRef returns the bucket or table of store index i (buckets first).
func (d *describer) storeRef(i int) (b *model.Bucket, t *model.Table) {
	switch {
	case i < 0:
	case i < len(d.cfg.Buckets):
		return &d.cfg.Buckets[i], nil
	case i-len(d.cfg.Buckets) < len(d.cfg.Tables):
		return nil, &d.cfg.Tables[i-len(d.cfg.Buckets)]
	}
	return nil, nil
}

func (d *describer) storeName(i int) string {
	b, t := d.storeRef(i)
	switch {
	case b != nil:
		return b.Name
	case t != nil:
		return t.Name
	}
	return ""
}

// storesText spells stores: `table "sessions"`, `bucket "a" and table "b"`.
func (d *describer) storesText(is []int) string {
	var parts []string
	for _, i := range is {
		b, t := d.storeRef(i)
		switch {
		case b != nil:
			parts = append(parts, fmt.Sprintf("bucket %q", b.Name))
		case t != nil:
			parts = append(parts, fmt.Sprintf("table %q", t.Name))
		}
	}
	if len(parts) == 0 {
		return "its stores"
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

func (d *describer) storeNames(is []int) []string {
	var out []string
	for _, i := range is {
		if n := d.storeName(i); n != "" {
			out = append(out, n)
		}
	}
	return out
}

func (d *describer) principal(i int) string {
	ps := d.cfg.Principals()
	if i < 0 || i >= len(ps) {
		return ""
	}
	return ps[i]
}

// regionsOf returns the names of the regions among rs that exist.
func (d *describer) regionsOf(rs ...int) []string {
	var out []string
	for _, r := range rs {
		if r >= 0 && r < len(d.cfg.Regions) {
			out = append(out, d.cfg.Regions[r].Name)
		}
	}
	return out
}

// describeKeyOrUnnamed is describeKey, or "" for an unnamed key.
func (d *describer) keyDesc(k *model.Key) string {
	if k == nil {
		return "an unnamed key"
	}
	return fmt.Sprintf("%q (%s)", k.Name, d.describeKey(k))
}

// pct formats a share as a percentage with one decimal.
func pct(x float64) string { return strconv.FormatFloat(100*x, 'f', 1, 64) + "%" }

// count formats n with thousands separators.
func count(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// finding builds the finding of group g; false when its cause names
// nothing this Config has (a corrupt cause).
func (d *describer) finding(g *group) (Finding, bool) {
	c := g.cause
	var (
		id, rule, path, fix, what string
		subj                      Subjects
	)
	d.cands = nil
	subj.Stores = d.storeNames(g.stores)
	region, target := d.name(c.Region()), d.name(c.Target())
	k := d.key(c.Key())
	if k != nil {
		subj.Keys = []string{k.Name}
	}
	switch c.Kind() {
	case model.CauseKMSCall:
		subj.Regions = d.regionsOf(c.Region(), c.Target())
		app := d.principal(c.Principal())
		if app != "" {
			subj.Principals = []string{app}
		}
		stores := d.storesText(g.stores)
		id, rule, path = KMSCallsRefused, "K12", d.keyPathFor(k, g.stores, c.Region())
		switch c.Reason() {
		case kms.Unavailable:
			id = KeyUnreachableFromRegion
			what = fmt.Sprintf("key %s was unreachable from %s for %s (KMSUnavailable: KMS in %s down or cut off) while the service was down",
				d.keyDesc(k), region, stores, target)
			fix = fmt.Sprintf("use a multi-Region key with a replica in %s for %s (an MRK-aware client calls the replica in its own region)", region, stores)
		case kms.NotFound:
			path = d.first(d.keyPath(k)+".replicas", d.keyPath(k))
			what = fmt.Sprintf("the app's calls with key %s from %s failed with NotFoundException (no copy there) for %s while the service was down",
				d.keyDesc(k), region, stores)
			fix = fmt.Sprintf("add %q to %s.replicas", region, d.keyPath(k))
		case kms.AccessDenied:
			rule = "K4"
			if k != nil && c.Target() >= 0 {
				path = d.usersPath(k, c.Target())
			}
			what = fmt.Sprintf("the app's calls with key %s from %s failed with AccessDeniedException (%q is not in the key policy of its copy in %s) for %s while the service was down",
				d.keyDesc(k), region, app, target, stores)
			fix = fmt.Sprintf("add %q to %s", app, path)
		default: // Disabled, InvalidState
			rule = "K10"
			path = d.keyPath(k)
			what = fmt.Sprintf("the app's calls with key %s from %s failed with %s (the state of its copy in %s) for %s while the service was down",
				d.keyDesc(k), region, c.Reason(), target, stores)
			fix = fmt.Sprintf("keep the copy of the key in %s enabled (the op that disables it or schedules its deletion is the cause)", target)
		}
	case model.CauseReplicationCall:
		id, rule = ReplicationCallsFailed, "S1"
		dest := d.name(c.Dest())
		subj.Regions = d.regionsOf(c.Region(), c.Target(), c.Dest())
		role := d.principal(c.Principal())
		if role != "" {
			subj.Principals = []string{role}
		}
		b, _ := d.storeRef(c.Store())
		rulePath := d.rulePath(b, c.Dest())
		path = rulePath + ".key"
		if b != nil && k != nil && k.Name == d.cfg.Keys[b.Key].Name && c.Region() == b.Region {
			path = "buckets." + b.Name + ".key"
		}
		switch c.Reason() {
		case kms.AccessDenied:
			if k != nil && c.Target() >= 0 {
				path = d.usersPath(k, c.Target())
			}
			fix = fmt.Sprintf("add %q to %s", role, path)
		case kms.NotFound:
			fix = fmt.Sprintf("add %q to %s.replicas, or use a replica key with a copy there", d.name(c.Region()), d.keyPath(k))
		case kms.Unavailable:
			rule = "K12"
			fix = fmt.Sprintf("use a replica key with a copy in %s", dest)
		default:
			rule = "K10"
			fix = fmt.Sprintf("keep the copy of the key in %s enabled", target)
		}
		what = fmt.Sprintf("replication of %s to %s failed: role %q got %s from key %s in %s, so objects did not reach %s",
			d.storesText(g.stores), dest, role, c.Reason(), d.keyDesc(k), target, dest)
	case model.CauseThrottled:
		id, rule = KMSThrottled, "K13"
		subj.Regions = d.regionsOf(c.Target())
		path = d.first("regions."+target+".kms_rps", "regions."+target)
		q := ""
		if c.Target() >= 0 && c.Target() < len(d.cfg.Regions) {
			q = ", kms_rps " + num(d.cfg.Regions[c.Target()].KMSRPS)
		}
		what = fmt.Sprintf("KMS in %s throttled the app's calls (ThrottlingException%s) and kept the service down", target, q)
		fix = fmt.Sprintf("request a higher KMS quota in %s and set regions.%s.kms_rps to it", target, target)
		if r := c.Target(); r >= 0 && r < len(d.cfg.Regions) {
			serve := d.cfg.App.Serve
			if d.serveAfter != nil {
				serve = d.serveAfter
			}
			fix += d.bucketKeyFix(serve, r, model.Demand(d.cfg, serve)[r], d.cfg.Regions[r].KMSRPS)
		}
	case model.CauseStoreUnavailable:
		id = StoreUnavailable
		subj.Regions = d.regionsOf(c.Region(), c.Target())
		stores := d.storesText(g.stores)
		if c.Reason() == kms.OK {
			rule = DocDRStrategies
			path = d.noCopyPath(g.stores, c.Region())
			what = fmt.Sprintf("%s had no usable copy in %s, where the app served, and kept the service down", stores, region)
			var fixes []string
			var deletes []opRef
			for _, n := range d.storeNames(g.stores) {
				if del := d.deletedCopy(n, c.Region()); len(del) > 0 {
					deletes = append(deletes, del...)
					fixes = append(fixes, fmt.Sprintf("keep the copy of %q in %s (remove %s)", n, region, opNames(del)))
					continue
				}
				if ref, ok := d.storeRefOf(n); ok {
					if creates, _ := d.copyOps(ref, c.Region()); len(creates) > 0 {
						// The copy exists only once an op has made it:
						// it was not there, or not usable yet, when
						// traffic came.
						if len(deletes) == 0 {
							path = d.first(creates[0].path+".op", creates[0].path)
						}
						fixes = append(fixes, fmt.Sprintf("for %q, the copy %s makes in %s was not usable yet when the app served there (a new table replica is usable after its initial copy): make it before the outage, in the setup (%s), or move traffic only once it is usable",
							n, opNames(creates), region, d.setupCopy(ref, c.Region())))
						continue
					}
				}
				fixes = append(fixes, fmt.Sprintf("for %q, %s", n, d.copyFix(n, c.Region())))
			}
			if len(deletes) > 0 {
				deletes = d.inOrder(deletes)
				path = d.first(deletes[0].path+".op", deletes[0].path)
				what = fmt.Sprintf("%s had no usable copy in %s, where the app served (%s %s it), and kept the service down",
					stores, region, opNames(deletes), plural(len(deletes), "deletes", "delete"))
			}
			if len(fixes) == 1 {
				fixes[0] = strings.TrimPrefix(fixes[0], fmt.Sprintf("for %q, ", d.storeNames(g.stores)[0]))
			}
			fix = strings.Join(fixes, "; ")
			break
		}
		rule = "G6"
		_, t := d.storeRef(firstOr(g.stores))
		if t != nil {
			path = d.tableKeyPath(t, max(c.Region(), 0))
		} else {
			path = d.keyPath(k)
		}
		what = fmt.Sprintf("the copy of %s in %s could not be used: its at-rest key %s failed with %s (KMS in %s), and kept the service down",
			stores, region, d.keyDesc(k), c.Reason(), target)
		fix = fmt.Sprintf("give the replica in %s a key with a copy there", region)
		if k != nil && c.Region() >= 0 {
			fix = d.keyFix(k, c.Region())
		}
	case model.CauseSTS:
		id, rule = STSEndpointUnavailable, "G3"
		subj.Regions = d.regionsOf(c.Region(), c.Target())
		path = d.first("app.sts", "app")
		what = fmt.Sprintf("the app in %s lost its credentials: its STS endpoint (app.sts = %q) is in %s, which was down, and its cached credentials ran out",
			region, d.cfg.App.STS, target)
		fix = `set app.sts = "regional"`
	case model.CauseStep:
		id = OpFailed
		var ok bool
		rule, path, what, fix, ok = d.opCause(g, &subj)
		if !ok {
			return Finding{}, false
		}
	case model.CauseSlowFailover:
		id, rule = SlowFailover, DocDRStrategies
		fo := d.cfg.Failover
		if fo == nil {
			return Finding{}, false
		}
		rto := dur(d.cfg.Objectives.RTO)
		if si := c.Op() - len(d.cfg.Actions); c.Op() >= 0 && si >= 0 && si < len(fo.Steps) {
			st := &fo.Steps[si]
			subj.Steps = []string{st.Name}
			path = d.first(fmt.Sprintf("failover.steps[%d].duration", si), fmt.Sprintf("failover.steps[%d]", si))
			what = fmt.Sprintf("the failover brought the service back later than the RTO objective (%s); its longest part was step %q (duration %s, from its start to its success)",
				rto, st.Name, st.Duration)
			fix = fmt.Sprintf("shorten step %q (automate it, or start it earlier with after), or set an RTO objective the runbook can meet", st.Name)
			if w, ok := d.slowWait(c, si, &subj); ok {
				path, what, fix = w.path, fmt.Sprintf("the failover brought the service back later than the RTO objective (%s); its longest part was step %q: %s", rto, st.Name, w.what), w.fix
				rule = w.rule
			}
		} else {
			path = d.first("failover.detect", "failover")
			what = fmt.Sprintf("the failover brought the service back later than the RTO objective (%s); its longest part was the detection (failover.detect %s)",
				rto, fo.Detect)
			fix = "detect sooner (health checks, alarms), or set an RTO objective the runbook can meet"
		}
	case model.CauseStale:
		id, rule = StaleStore, "S2"
		subj.Regions = d.regionsOf(c.Region())
		rpo := dur(d.cfg.Objectives.RPO)
		b, t := d.storeRef(c.Store())
		what = fmt.Sprintf("%s was missing, in %s, writes older than the RPO objective (%s) when the service came back", d.storesText(g.stores), region, rpo)
		switch {
		case b != nil:
			rp := d.rulePath(b, c.Region())
			path = d.first(rp+".rtc", rp+".lag", rp, "buckets."+b.Name)
			fix = fmt.Sprintf("replicate %q to %s with a replication rule in the file (objects written before a rule exists never replicate), or set an RPO objective it can meet", b.Name, region)
			if puts, _ := d.copyOps(model.StoreRef{Kind: model.StoreBucket, Index: c.Store()}, c.Region()); b.KeyIn(c.Region()) < 0 && len(puts) > 0 {
				// No rule at t=0: the rule an op puts copies only the
				// objects written after it (S2).
				o := puts[0]
				path = d.first(o.path+".op", o.path)
				fix = fmt.Sprintf("S3 replicates only the objects written after %s puts the rule of %q to %s: put the rule in the setup ([[buckets.%s.replication]] to %s), or copy the older objects (S3 Batch Replication) before the failover", o.name, b.Name, region, b.Name, region)
				if !o.op.RTC {
					fix += fmt.Sprintf(", and set rtc = true in %s", o.path)
				}
				break
			}
			if reason, failed := d.replFailed[[2]int{c.Store(), c.Region()}]; failed {
				// The objects never arrive: the lag is not what sets the RPO.
				fix = fmt.Sprintf("the replication of %q to %s fails (%s, see %s): fix that first; these RPOs are the age of the objects it never delivered, not of a lag", b.Name, region, reason, ReplicationCallsFailed)
				break
			}
			for _, r := range b.Replication {
				switch {
				case r.To != c.Region():
				case !r.RTC:
					fix = fmt.Sprintf("turn on Replication Time Control (rtc = true) for the rule of %q to %s, or set an RPO objective it can meet", b.Name, region)
				default:
					fix = fmt.Sprintf("the rule of %q to %s already uses RTC (lag %s) and its tail sets these RPOs: set an RPO objective the replication can meet", b.Name, region, r.Lag)
				}
			}
		case t != nil:
			path = d.first("tables."+t.Name+".lag", "tables."+t.Name+".regions")
			fix = fmt.Sprintf("shorten the replication of %q to %s, or set an RPO objective it can meet", t.Name, region)
		default:
			return Finding{}, false
		}
	default:
		return Finding{}, false
	}
	r, _ := Lookup(id)
	e := d.effect(g)
	sev := Warning
	if e.Unrecovered > 0 || (e.MissBoth != nil && *e.MissBoth >= 0.5) {
		sev = Error
	}
	effect := d.effectText(e)
	if !d.decisive(c) {
		// A failed action or optional step holds nothing back by itself:
		// what it leaves undone shows as its own cause, charged there.
		sev = Warning
		if e.MissBothOfAll != nil {
			e.MissBothOfAll = ptr(0)
		}
		effect += "; not charged in What to fix first: a failed action or optional step holds nothing back by itself (what it left undone is its own finding)"
	}
	subj.normalize()
	cands := []string{path}
	if slices.Contains(d.cands, path) {
		cands = slices.Clone(d.cands)
	}
	msg := fmt.Sprintf("in %s of trials (%s of %s) %s; %s", pct(e.Share), count(e.Trials), count(d.n), what, effect)
	if c.Kind() == model.CauseStep && g.repErr != "" && g.rep >= 0 {
		msg += fmt.Sprintf(" (trial %d: %s)", g.rep, oneLine(g.repErr))
	}
	return Finding{
		ID: r.ID, Name: r.Name, Kind: KindDynamic, Severity: sev,
		Location: locate(d.cfg, d.loc, path),
		Message:  msg,
		AWSRule:  rule, DocURL: AWSRuleURL(rule),
		Fix: fix, Subjects: subj, Effect: e,
		candidates: cands,
	}, true
}

// decisive reports whether cause c can decide a trial's outcome by itself:
// every cause but the failure of an action or of an optional runbook step,
// which holds the failover back only through what it leaves undone.
func (d *describer) decisive(c model.Cause) bool {
	if c.Kind() != model.CauseStep {
		return true
	}
	si := c.Op() - len(d.cfg.Actions)
	fo := d.cfg.Failover
	return c.Op() >= 0 && si >= 0 && fo != nil && si < len(fo.Steps) && fo.Steps[si].Required
}

// Relocate places the dynamic findings of fs with loc: each points at the
// first of its candidate paths that was written (else the last, which
// resolves to its nearest written table), as Static chooses. Static
// findings are left as they are: compute them again with loc.
func Relocate(fs []Finding, loc model.Locator) {
	if loc == nil {
		return
	}
	for i := range fs {
		f := &fs[i]
		if f.Kind != KindDynamic {
			continue
		}
		cands := f.candidates
		if len(cands) == 0 {
			cands = []string{f.Location.Path}
		}
		path := cands[len(cands)-1]
		for _, p := range cands {
			if _, ok := loc.Locate(p); ok {
				path = p
				break
			}
		}
		pos, _ := loc.Locate(path)
		f.Location = position(pos.File, pos.Line, pos.Col, path)
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func firstOr(is []int) int {
	if len(is) == 0 {
		return -1
	}
	return is[0]
}

// oneLine keeps the first line of s.
func oneLine(s string) string {
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		return s[:i]
	}
	return s
}

// effect computes the Effect of group g.
func (d *describer) effect(g *group) *Effect {
	e := &Effect{Trials: g.trials, Unrecovered: g.unrec, Cause: g.cause.Kind().String()}
	if d.n > 0 {
		e.Share = round(float64(g.trials) / float64(d.n))
	}
	ob := &d.cfg.Objectives
	if (ob.HasRTO || ob.HasRPO) && g.trials > 0 {
		e.MissBoth = ptr(round(float64(g.miss) / float64(g.trials)))
		e.MissBothOfAll = ptr(round(float64(g.miss) / float64(max(d.n, 1))))
	}
	if g.recovered > 0 {
		e.RTOSeconds = ptr(round(g.rto / float64(g.recovered)))
		e.UnboundedRPO = g.unbounded
		if n := float64(g.recovered - g.unbounded); n > 0 {
			e.RPOSeconds, e.LostWrites = ptr(round(g.rpo/n)), ptr(round(g.lost/n))
		}
	}
	if g.rep >= 0 {
		e.Representative = &g.rep
	}
	if len(g.errors) > 0 {
		e.Errors = maps.Clone(g.errors)
	}
	return e
}

// effectText says what the trials with the cause showed.
func (d *describer) effectText(e *Effect) string {
	var parts []string
	if e.MissBoth != nil {
		parts = append(parts, pct(*e.MissBoth)+" of them missed the objectives")
	}
	if e.Unrecovered > 0 {
		parts = append(parts, count(e.Unrecovered)+" did not recover within the horizon")
	}
	if e.RTOSeconds != nil {
		p := "recovered ones: mean RTO " + human.DurShort(*e.RTOSeconds)
		if e.RPOSeconds != nil {
			p += ", mean RPO " + human.DurShort(*e.RPOSeconds)
		}
		parts = append(parts, p)
	}
	if e.UnboundedRPO > 0 {
		parts = append(parts, count(e.UnboundedRPO)+" recovered with an unbounded RPO (writes that never reach the recovery region)")
	}
	if len(parts) == 0 {
		return "no effect on the objectives"
	}
	return strings.Join(parts, ", ")
}

func ptr(x float64) *float64 { return &x }

// round rounds to 9 significant digits, like the result document.
func round(x float64) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 9, 64), 64)
	return v
}

// keyPath is "keys.NAME".
func (d *describer) keyPath(k *model.Key) string {
	if k == nil {
		return "keys"
	}
	return "keys." + k.Name
}

// keyPathFor returns where key k is given to the first of the stores for
// calls from region: a table's client_key, a bucket's key (its region) or
// its rule's key (a destination); else the key's table.
func (d *describer) keyPathFor(k *model.Key, stores []int, region int) string {
	if k == nil {
		return "keys"
	}
	for _, s := range stores {
		b, t := d.storeRef(s)
		switch {
		case t != nil && t.ClientKey >= 0 && d.cfg.Keys[t.ClientKey].Name == k.Name:
			return "tables." + t.Name + ".client_key"
		case b != nil && b.Region == region:
			return d.first("buckets."+b.Name+".key", "buckets."+b.Name)
		case b != nil:
			if p := d.rulePath(b, region); p != "" {
				return d.first(p+".key", p)
			}
		}
	}
	return d.keyPath(k)
}

// rulePath returns "buckets.NAME.replication[i]" of the bucket's rule to
// region to, or the bucket's path when it has none (a rule an op puts).
func (d *describer) rulePath(b *model.Bucket, to int) string {
	if b == nil {
		return "buckets"
	}
	for i, r := range b.Replication {
		if r.To == to {
			return fmt.Sprintf("buckets.%s.replication[%d]", b.Name, i)
		}
	}
	return "buckets." + b.Name
}

// noCopyPath points at what would give the stores a copy in region: with
// several stores failover.to (when it is that region), else the store's
// regions (a table) or replication (a bucket).
func (d *describer) noCopyPath(stores []int, region int) string {
	if fo := d.cfg.Failover; len(stores) > 1 && fo != nil && fo.To == region {
		return "failover.to"
	}
	b, t := d.storeRef(firstOr(stores))
	switch {
	case t != nil:
		return "tables." + t.Name + ".regions"
	case b != nil:
		return d.first("buckets."+b.Name+".replication", "buckets."+b.Name)
	}
	return "failover.to"
}

// opCause describes a CauseStep: an action's or a step's op that failed.
func (d *describer) opCause(g *group, subj *Subjects) (rule, path, what, fix string, ok bool) {
	cfg := d.cfg
	i := g.cause.Op()
	nA := len(cfg.Actions)
	var op *model.Op
	var name, pathBase string
	required := false
	var needs []model.Need
	switch {
	case i >= 0 && i < nA:
		op = &cfg.Actions[i].Op
		name = fmt.Sprintf("actions[%d]", i)
		pathBase = fmt.Sprintf("actions[%d]", i)
	case i >= nA && cfg.Failover != nil && i-nA < len(cfg.Failover.Steps):
		st := &cfg.Failover.Steps[i-nA]
		op, name, required, needs = &st.Op, st.Name, st.Required, st.Needs
		pathBase = fmt.Sprintf("failover.steps[%d]", i-nA)
		subj.Steps = []string{st.Name}
	default:
		return "", "", "", "", false
	}
	codes := slices.Sorted(maps.Keys(g.errors))
	slices.SortStableFunc(codes, func(a, b string) int { return -cmp.Compare(g.errors[a], g.errors[b]) })
	code := ""
	if len(codes) > 0 {
		code = codes[0]
	}
	var errs []string
	for _, c := range codes {
		errs = append(errs, fmt.Sprintf("%s in %s %s", c, count(g.errors[c]), plural(g.errors[c], "trial", "trials")))
	}
	// subjects: the op's key, store, regions and principal
	k := d.key(op.Key)
	if k != nil {
		subj.Keys = []string{k.Name}
		switch op.Kind {
		case model.OpReplicateKey, model.OpUpdatePrimaryRegion, model.OpRotateKey:
			subj.Regions = append(subj.Regions, d.name(k.Primary))
		}
	}
	subj.Regions = append(subj.Regions, d.regionsOf(op.Region, op.To)...)
	if op.Kind == model.OpRestoreBackup || op.Kind == model.OpCreateTableReplica || op.Kind == model.OpDeleteTableReplica ||
		op.Kind == model.OpPutBucketReplication || op.Kind == model.OpDeleteBucketReplication {
		si := op.Store.Index
		if op.Store.Kind == model.StoreTable {
			si += len(cfg.Buckets)
		}
		if n := d.storeName(si); n != "" {
			subj.Stores = append(subj.Stores, n)
		}
		if op.Kind == model.OpRestoreBackup {
			if b := d.backupOf(si); b != nil {
				subj.Keys = append(subj.Keys, cfg.Keys[b.Key].Name)
				subj.Regions = append(subj.Regions, d.name(b.To))
			}
		}
	}
	if op.Kind.IsKMS() {
		subj.Principals = []string{cfg.Principal(op)}
	}
	needCode, needFix := false, ""
	var needNames []string
	for _, n := range needs {
		if !n.ARC {
			subj.Regions = append(subj.Regions, d.name(n.Region))
		}
		nn, nf := d.needFix(n, name)
		needNames = append(needNames, nn)
		if model.NeedReason(n) == code && !needCode {
			needCode, needFix = true, nf
		}
	}
	desc := "needs " + strings.Join(needNames, ", ")
	if op.Kind != model.OpNone {
		desc = op.Kind.String()
		if k != nil {
			desc += " " + k.Name
		}
		if op.Region >= 0 {
			desc += " " + d.name(op.Region)
		}
	}
	switch {
	case needCode:
		path = d.first(pathBase+".needs", pathBase)
	case required:
		path = d.first(pathBase+".required", pathBase+".op", pathBase)
	default:
		path = d.first(pathBase+".op", pathBase)
	}
	rule = opRule(op.Kind, code)
	last := strings.Join(errs, ", ")
	switch {
	case required:
		what = fmt.Sprintf("required step %q (%s) did not succeed, which held the failover back (last error: %s)", name, desc, last)
	case i < nA:
		what = fmt.Sprintf("%s (%s) failed (last error: %s)", name, desc, last)
	default:
		what = fmt.Sprintf("step %q (%s) failed (last error: %s)", name, desc, last)
	}
	switch {
	case code == kms.CodeAccessDenied && op.Kind.IsKMS():
		fix = fmt.Sprintf("add %q to the admins of the copies it acts on, or have an admin make it", cfg.Principal(op))
	case code == "ValidationException" && op.Kind == model.OpCreateTableReplica:
		fix = d.createReplicaFix(op, name, pathBase, g.repErr)
	case code == "ValidationException" && op.Kind == model.OpDeleteTableReplica:
		fix = fmt.Sprintf("remove %s: table %q has no replica in %s to delete", name, d.storeName(len(cfg.Buckets)+op.Store.Index), d.name(op.Region))
	case needCode:
		fix = needFix
	case required:
		fix = fmt.Sprintf("make step %q optional (required = false), or do its operation before the outage", name)
	default:
		fix = fmt.Sprintf("fix what refuses %q (%s)", name, code)
	}
	return rule, path, what, fix, true
}

// createReplicaFix says how to fix a create-table-replica that DynamoDB
// refused with ValidationException (G6): a replica already in the region
// (the op changes nothing: remove it), else a key without a copy there
// (keyFix, and name it in the op when a new key is needed). repErr is the
// representative trial's error.
func (d *describer) createReplicaFix(op *model.Op, name, pathBase, repErr string) string {
	cfg := d.cfg
	if op.Store.Kind != model.StoreTable || op.Store.Index < 0 || op.Store.Index >= len(cfg.Tables) || op.Region < 0 {
		return fmt.Sprintf("fix what refuses %s (ValidationException)", name)
	}
	t := &cfg.Tables[op.Store.Index]
	if strings.Contains(repErr, "already has a replica") || (slices.Contains(t.Regions, op.Region) && !strings.Contains(repErr, "KMSMasterKeyId")) {
		return fmt.Sprintf("remove %s: table %q already has a replica in %s, so the op changes nothing", name, t.Name, d.name(op.Region))
	}
	key := op.Key
	if key < 0 && len(t.Keys) > 0 {
		key = t.Keys[0]
	}
	if k := d.key(key); k != nil {
		return d.opKeyFix(k, op.Region, pathBase)
	}
	return fmt.Sprintf("name a key with a copy in %s in %s.key", d.name(op.Region), pathBase)
}

// backupOf returns the backup of store index si.
func (d *describer) backupOf(si int) *model.Backup {
	b, t := d.storeRef(si)
	switch {
	case b != nil:
		return b.Backup
	case t != nil:
		return t.Backup
	}
	return nil
}

// opRule returns the AWS rule behind an op that failed with code.
func opRule(kind model.OpKind, code string) string {
	switch code {
	case "Route53ControlPlaneUnavailable":
		return "G1"
	case "IAMControlPlaneUnavailable":
		return "G2"
	case "STSUnavailable":
		return "G3"
	case "EndpointTemporarilyUnavailableException":
		return "G4"
	case kms.CodeAccessDenied:
		if kind.IsKMS() {
			return "G5"
		}
	}
	switch kind {
	case model.OpUpdatePrimaryRegion:
		return "K8"
	case model.OpReplicateKey:
		return "K5"
	case model.OpRotateKey:
		return "K9"
	case model.OpRestoreBackup:
		return DocBackupEncryption
	case model.OpCreateTableReplica, model.OpDeleteTableReplica:
		return "G6"
	case model.OpPutBucketReplication, model.OpDeleteBucketReplication:
		return "G7"
	case model.OpNone:
		return DocDRStrategies
	}
	return "K4"
}
