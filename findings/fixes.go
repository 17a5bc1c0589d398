package findings

import (
	"fmt"
	"strings"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/model/kms"
	"github.com/drsim/drsim/sim"
)

// This file computes the parts of fix texts that depend on what the
// scenario already has, so that a fix never suggests what is already there.

// demandParts splits the KMS demand (model.Demand) that lands in region r
// when serve serves into the calls of the tables' client-side encryption,
// of the buckets that use S3 Bucket Keys, and of the buckets that do not
// (calls per second), with the names of the stores behind each.
func (c *checker) demandParts(serve []int, r int) (tables, withBK, withoutBK float64, tableNames, noBKNames []string) {
	only := func(buckets []model.Bucket, tables []model.Table) float64 {
		cc := *c.cfg
		cc.Buckets, cc.Tables = buckets, tables
		return model.Demand(&cc, serve)[r]
	}
	var bk, nobk []model.Bucket
	for _, b := range c.cfg.Buckets {
		if b.BucketKey {
			bk = append(bk, b)
			continue
		}
		if one := only([]model.Bucket{b}, nil); one > 0 {
			noBKNames = append(noBKNames, b.Name)
		}
		nobk = append(nobk, b)
	}
	for _, t := range c.cfg.Tables {
		if one := only(nil, []model.Table{t}); one > 0 {
			tableNames = append(tableNames, t.Name)
		}
	}
	return only(nil, c.cfg.Tables), only(bk, nil), only(nobk, nil), tableNames, noBKNames
}

// demandFrom says where the demand d of region r comes from when tables'
// client-side encryption is part of it: " (100 from the client-side
// encryption of table "accounts")", else "".
func (c *checker) demandFrom(serve []int, r int, d float64) string {
	tables, _, _, names, _ := c.demandParts(serve, r)
	if tables <= 0 {
		return ""
	}
	return fmt.Sprintf(" (%s of them from the client-side encryption of %s %s)", calls(tables), plural(len(names), "table", "tables"), quoteJoin(names))
}

// bucketKeyFix suggests S3 Bucket Keys for the buckets of region r's demand
// d (quota q) that do not use them, with the demand they would leave; ""
// when every bucket behind the demand already uses them.
func (c *checker) bucketKeyFix(serve []int, r int, d, q float64) string {
	_, _, nobk, _, names := c.demandParts(serve, r)
	if nobk <= 0 || len(names) == 0 {
		return ""
	}
	after := d - nobk*(1-model.BucketKeyFactor)
	still := ""
	if after > q {
		still = ", still over the quota"
	}
	return fmt.Sprintf(", or turn on S3 Bucket Keys for %s %s (bucket_key = true): the demand falls to %s calls/s%s",
		plural(len(names), "bucket", "buckets"), quoteJoin(names), calls(after), still)
}

// quoteJoin quotes names and joins them with commas.
func quoteJoin(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}

// calls prints a rate of calls per second: trimFloat's digits.
func calls(v float64) string { return num(v) }

// waitBlame is the part of a slow step that DR508 blames when the step
// spent longer waiting than in its duration.
type waitBlame struct {
	path, what, fix, rule string
}

// slowWait describes the part of runbook step si on the critical path of a
// slow failover (cause c) when the trials blamed its waiting rather than its
// duration (model.SlowFailoverWaitCause): the need it waited for, with the
// AWS error that failed its attempts (NeedReason), whose region joins subj
// so that the finding confirms the step's DR303; else its op, which
// confirms DR301 or DR302.
func (d *describer) slowWait(c model.Cause, si int, subj *Subjects) (waitBlame, bool) {
	ni, ok := c.Waited()
	if !ok {
		return waitBlame{}, false
	}
	st := &d.cfg.Failover.Steps[si]
	base := fmt.Sprintf("failover.steps[%d]", si)
	optional := fmt.Sprintf("make step %q optional (required = false)", st.Name)
	retry := fmt.Sprintf("retrying every %s", dur(stepRetry(st)))
	if ni >= 0 && ni < len(st.Needs) {
		n := st.Needs[ni]
		code := model.NeedReason(n)
		need, fix := d.needFix(n, st.Name)
		rule := opRule(model.OpNone, code)
		if !n.ARC {
			subj.Regions = append(subj.Regions, d.name(n.Region))
		}
		return waitBlame{
			path: d.first(base+".needs", base),
			what: fmt.Sprintf("it waited for %s, whose attempts failed with %s (%s), longer than its duration (%s)", need, code, retry, st.Duration),
			fix:  fix,
			rule: rule,
		}, true
	}
	if fo := d.cfg.Failover; fo != nil {
		subj.Regions = append(subj.Regions, d.name(fo.From))
	}
	if k := d.key(st.Op.Key); k != nil {
		subj.Keys = []string{k.Name}
	}
	code := "a transient error"
	if c.Reason() != kms.OK {
		code = c.Reason().String()
	}
	return waitBlame{
		path: d.first(base+".required", base+".op", base),
		what: fmt.Sprintf("its %s kept failing with %s (%s), longer than its duration (%s)", st.Op.Kind, code, retry, st.Duration),
		fix:  fmt.Sprintf("%s, or do its operation before the outage", optional),
		rule: opRule(st.Op.Kind, c.Reason().String()),
	}, true
}

// stepRetry is a step's retry interval: Retry, 1 minute by default
// (model.Step).
func stepRetry(st *model.Step) sim.Time {
	if st.Retry <= 0 {
		return sim.Minute
	}
	return st.Retry
}

// needFix names need n of step and says how to stop step from waiting for
// it, by service: for route53-control, move traffic with a data plane; for
// iam-control, make the change before the outage; for ARC routing control,
// its quorum; else use the service in a region that stays up.
func (d *describer) needFix(n model.Need, step string) (name, fix string) {
	optional := fmt.Sprintf("make step %q optional (required = false)", step)
	if n.ARC {
		arc := d.cfg.ARCRegions
		if len(arc) == 0 {
			arc = model.DefaultARCRegions
		}
		return "arc-routing-control", fmt.Sprintf("ARC routing control answers while %d of its cluster's regions (%s) are up (G4), and the outages left fewer up; move traffic with Route 53 health-check failover, or %s",
			model.ARCQuorum, strings.Join(arc, ", "), optional)
	}
	name = n.Service.String() + "@" + d.name(n.Region)
	switch n.Service {
	case model.SvcRoute53Control:
		fix = fmt.Sprintf("move traffic with something that does not need %s (Route 53 health-check failover, or ARC routing control: needs = [\"arc-routing-control\"]), or %s", name, optional)
	case model.SvcIAMControl:
		fix = fmt.Sprintf("make the IAM change before the outage (create the role or policy the step needs in advance, in the setup), or %s", optional)
	default:
		fix = fmt.Sprintf("use %s in a region the failover moves to, or %s", n.Service, optional)
	}
	return name, fix
}

// setupCopy says where the setup gives store ref a copy in region r: the
// table's regions, or a replication rule of the bucket.
func (c *checker) setupCopy(ref model.StoreRef, r int) string {
	if ref.Kind == model.StoreTable {
		return fmt.Sprintf("add %q to tables.%s.regions", c.region(r), c.cfg.Tables[ref.Index].Name)
	}
	return fmt.Sprintf("a [[buckets.%s.replication]] rule to %s", c.cfg.Buckets[ref.Index].Name, c.region(r))
}
