package whatif

import (
	"fmt"
	"strconv"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/scenarios"
	"github.com/drsim/drsim/sim"
)

// input is one distribution-valued input of a scenario: its name as the
// user writes it, what it is, and how to pin it in a copy of the Config.
type input struct {
	name, what string
	dist       sim.Dist
	isDefault  bool
	many       bool // drawn many times a trial (a lag, a backup's copy time)
	// single is the model's single-draw input, for the rank correlation
	// (valid when !many).
	single model.Input
	// pin sets the input to d in c, a copy made by clonePinnable.
	pin func(c *model.Config, d sim.Dist)
}

// selector writes [name] for a named item (quoted when the name holds
// what the path syntax reserves, so that it reads back: scenarios.QuoteName),
// else [i].
func selector(name string, i int) string {
	if name == "" {
		return "[" + strconv.Itoa(i) + "]"
	}
	return scenarios.QuoteName(name)
}

// inputs lists the distribution-valued inputs of cfg: outages (start,
// duration, phases), detect, steps (duration, replica copy time), actions
// (time, replica copy time), then the stores' replication lags and backup
// copy times. Names are key paths a --set accepts, with named items
// selected by name: "failover.steps[approve].duration".
func inputs(cfg *model.Config) []input {
	var out []input
	singles := model.SingleDrawInputs(cfg)
	for _, in := range singles {
		out = append(out, singleInput(cfg, in))
	}
	for bi := range cfg.Buckets {
		b := &cfg.Buckets[bi]
		for ri := range b.Replication {
			rep := &b.Replication[ri]
			out = append(out, input{
				name: fmt.Sprintf("buckets.%s.replication[%d].lag", scenarios.QuoteKey(b.Name), ri),
				what: s3LagWhat(b, ri, cfg),
				dist: rep.Lag, isDefault: rep.LagDefault, many: true,
				pin: func(c *model.Config, d sim.Dist) { c.Buckets[bi].Replication[ri].Lag = d },
			})
		}
		if b.Backup != nil {
			out = append(out, input{
				name: fmt.Sprintf("buckets.%s.backup.copy", scenarios.QuoteKey(b.Name)),
				what: fmt.Sprintf("backup copy time of %s", b.Name),
				dist: b.Backup.Copy, many: true,
				pin: func(c *model.Config, d sim.Dist) { c.Buckets[bi].Backup.Copy = d },
			})
		}
	}
	for ti := range cfg.Tables {
		tb := &cfg.Tables[ti]
		if len(tb.Regions) > 1 {
			out = append(out, input{
				name: fmt.Sprintf("tables.%s.lag", scenarios.QuoteKey(tb.Name)),
				what: fmt.Sprintf("DynamoDB replication lag of %s", tb.Name),
				dist: tb.Lag, isDefault: tb.LagDefault, many: true,
				pin: func(c *model.Config, d sim.Dist) { c.Tables[ti].Lag = d },
			})
		}
		if tb.Backup != nil {
			out = append(out, input{
				name: fmt.Sprintf("tables.%s.backup.copy", scenarios.QuoteKey(tb.Name)),
				what: fmt.Sprintf("backup copy time of %s", tb.Name),
				dist: tb.Backup.Copy, many: true,
				pin: func(c *model.Config, d sim.Dist) { c.Tables[ti].Backup.Copy = d },
			})
		}
	}
	return out
}

// s3LagWhat names the lag of bucket b's rule ri: "S3 replication lag of
// alerts", with its destination when the bucket has several rules.
func s3LagWhat(b *model.Bucket, ri int, cfg *model.Config) string {
	w := "S3 replication lag of " + b.Name
	if len(b.Replication) > 1 {
		w += " to " + cfg.Regions[b.Replication[ri].To].Name
	}
	return w
}

// singleInput names a single-draw input and says how to pin it.
func singleInput(cfg *model.Config, in model.Input) input {
	x := input{single: in, dist: in.Dist(cfg)}
	i := in.Index
	switch in.Kind {
	case model.InputOutageStart, model.InputOutageDuration, model.InputPhaseOffset, model.InputPhaseDuration:
		o := &cfg.Outages[i]
		base := "outages" + selector(o.Name, i)
		label := o.Label()
		switch in.Kind {
		case model.InputOutageStart:
			x.name, x.what = base+".start", "start of outage "+label
			x.pin = func(c *model.Config, d sim.Dist) { c.Outages[i].Start = d }
		case model.InputOutageDuration:
			x.name, x.what = base+".duration", "duration of outage "+label
			x.pin = func(c *model.Config, d sim.Dist) { c.Outages[i].Duration = d }
		case model.InputPhaseOffset:
			p := in.Phase
			x.name, x.what = fmt.Sprintf("%s.phases[%d].offset", base, p), fmt.Sprintf("offset of phases[%d] of outage %s", p, label)
			x.pin = func(c *model.Config, d sim.Dist) { c.Outages[i].Phases[p].Offset = d }
		default:
			p := in.Phase
			x.name, x.what = fmt.Sprintf("%s.phases[%d].duration", base, p), fmt.Sprintf("duration of phases[%d] of outage %s", p, label)
			x.pin = func(c *model.Config, d sim.Dist) { c.Outages[i].Phases[p].Duration = d }
		}
	case model.InputDetect:
		x.name, x.what = "failover.detect", "detection time"
		x.pin = func(c *model.Config, d sim.Dist) { c.Failover.Detect = d }
	case model.InputStepDuration:
		s := &cfg.Failover.Steps[i]
		x.name, x.what = "failover.steps"+selector(s.Name, i)+".duration", "duration of step "+s.Name
		x.pin = func(c *model.Config, d sim.Dist) { c.Failover.Steps[i].Duration = d }
	case model.InputStepCopy:
		s := &cfg.Failover.Steps[i]
		x.name, x.what = "failover.steps"+selector(s.Name, i)+".copy", "replica copy time of step "+s.Name
		x.isDefault = !s.Op.HasCopy
		x.pin = func(c *model.Config, d sim.Dist) {
			c.Failover.Steps[i].Op.Copy, c.Failover.Steps[i].Op.HasCopy = d, true
		}
	case model.InputActionAt:
		x.name, x.what = fmt.Sprintf("actions[%d].at", i), fmt.Sprintf("time of actions[%d] (%s)", i, cfg.Actions[i].Op.Kind)
		x.pin = func(c *model.Config, d sim.Dist) { c.Actions[i].At = d }
	case model.InputActionCopy:
		x.name, x.what = fmt.Sprintf("actions[%d].copy", i), fmt.Sprintf("replica copy time of actions[%d]", i)
		x.isDefault = !cfg.Actions[i].Op.HasCopy
		x.pin = func(c *model.Config, d sim.Dist) { c.Actions[i].Op.Copy, c.Actions[i].Op.HasCopy = d, true }
	}
	return x
}

// pinned returns the constant at the p-quantile of d (rounded to the
// nanosecond, as every draw is).
func pinned(d sim.Dist, p float64) sim.Dist {
	return sim.ConstDist(d.Sample(p))
}

// quantileSeconds is d's p-quantile in seconds, as it is pinned.
func quantileSeconds(d sim.Dist, p float64) float64 {
	return float64(d.Sample(p)) / float64(sim.Second)
}

// clonePinnable returns a copy of cfg whose inputs can be pinned without
// touching cfg: the slices and structs that hold distributions are
// copied; everything else is shared (read-only).
func clonePinnable(cfg *model.Config) *model.Config {
	c := *cfg
	c.Outages = append([]model.Outage(nil), cfg.Outages...)
	for i := range c.Outages {
		c.Outages[i].Phases = append([]model.Phase(nil), c.Outages[i].Phases...)
	}
	if cfg.Failover != nil {
		f := *cfg.Failover
		f.Steps = append([]model.Step(nil), f.Steps...)
		c.Failover = &f
	}
	c.Actions = append([]model.Action(nil), cfg.Actions...)
	c.Buckets = append([]model.Bucket(nil), cfg.Buckets...)
	for i := range c.Buckets {
		c.Buckets[i].Replication = append([]model.Replication(nil), c.Buckets[i].Replication...)
		if b := c.Buckets[i].Backup; b != nil {
			cp := *b
			c.Buckets[i].Backup = &cp
		}
	}
	c.Tables = append([]model.Table(nil), cfg.Tables...)
	for i := range c.Tables {
		if b := c.Tables[i].Backup; b != nil {
			cp := *b
			c.Tables[i].Backup = &cp
		}
	}
	return &c
}
