package model

import (
	"errors"
	"fmt"
)

// Check reports the first structural problem of c that would make a Runner
// misbehave: a region, key, store or step index out of range, an unknown op
// kind or an op without the arguments it needs, a table with no region or
// whose Keys do not match its Regions, a backup without an interval, an
// error rate outside [0, 1] (0 reads as 1), a partition with phases or an
// error rate, a needs entry that is not one service in a region. (A restore-backup of a store without backup
// is not an error here: the op fails at run time with ValidationException.)
// Package scenarios produces Configs that pass; Configs built in Go should
// be checked before NewRunner.
func (c *Config) Check() error {
	nR, nK := len(c.Regions), len(c.Keys)
	region := func(what string, r int) error {
		if r < 0 || r >= nR {
			return fmt.Errorf("model: %s: region index %d out of range [0, %d)", what, r, nR)
		}
		return nil
	}
	key := func(what string, k int) error {
		if k < 0 || k >= nK {
			return fmt.Errorf("model: %s: key index %d out of range [0, %d)", what, k, nK)
		}
		return nil
	}
	if nR == 0 {
		return errors.New("model: no region")
	}
	if c.Horizon <= 0 {
		return errors.New("model: horizon must be positive")
	}
	if n := len(c.ARCRegions); n != 0 && n != 5 {
		return fmt.Errorf("model: arc.regions: %d regions, want 5", n)
	}
	for _, r := range c.App.Serve {
		if err := region("app.serve", r); err != nil {
			return err
		}
	}
	for i := range c.Keys {
		k := &c.Keys[i]
		if err := region("keys."+k.Name+".primary", k.Primary); err != nil {
			return err
		}
		for _, r := range k.Replicas {
			if err := region("keys."+k.Name+".replicas", r); err != nil {
				return err
			}
		}
	}
	checkBackup := func(name string, b *Backup) error {
		if b == nil {
			return nil
		}
		if b.Every <= 0 {
			return fmt.Errorf("model: %s.backup: every must be positive", name)
		}
		if err := region(name+".backup.to", b.To); err != nil {
			return err
		}
		return key(name+".backup.key", b.Key)
	}
	for i := range c.Buckets {
		b := &c.Buckets[i]
		name := "buckets." + b.Name
		if err := region(name+".region", b.Region); err != nil {
			return err
		}
		if err := key(name+".key", b.Key); err != nil {
			return err
		}
		for j := range b.Replication {
			if err := region(name+".replication.to", b.Replication[j].To); err != nil {
				return err
			}
			if err := key(name+".replication.key", b.Replication[j].Key); err != nil {
				return err
			}
		}
		if err := checkBackup(name, b.Backup); err != nil {
			return err
		}
	}
	for i := range c.Tables {
		t := &c.Tables[i]
		name := "tables." + t.Name
		if len(t.Regions) == 0 {
			return fmt.Errorf("model: %s.regions: a table needs at least one region", name)
		}
		if len(t.Keys) != len(t.Regions) {
			return fmt.Errorf("model: %s: %d keys for %d regions", name, len(t.Keys), len(t.Regions))
		}
		seen := make([]bool, nR)
		for j, r := range t.Regions {
			if err := region(name+".regions", r); err != nil {
				return err
			}
			if seen[r] {
				return fmt.Errorf("model: %s: region %s listed twice", name, c.Regions[r].Name)
			}
			seen[r] = true
			if err := key(name+".key", t.Keys[j]); err != nil {
				return err
			}
		}
		if t.ClientKey >= nK || t.ClientKey < -1 {
			return fmt.Errorf("model: %s.client_key: key index %d out of range", name, t.ClientKey)
		}
		if err := checkBackup(name, t.Backup); err != nil {
			return err
		}
	}
	rate := func(what string, e float64) error {
		if !(e >= 0 && e <= 1) {
			return fmt.Errorf("model: %s: error rate %v outside (0, 1] (0 reads as 1)", what, e)
		}
		return nil
	}
	for i := range c.Outages {
		o := &c.Outages[i]
		if o.Kind == Partition {
			if err := region("outages.regions", o.Regions[0]); err != nil {
				return err
			}
			if err := region("outages.regions", o.Regions[1]); err != nil {
				return err
			}
			if len(o.Phases) > 0 || o.ErrorRate != 0 {
				return fmt.Errorf("model: outages[%d]: a partition has no phases or error rate", i)
			}
			continue
		}
		if err := region("outages.region", o.Region); err != nil {
			return err
		}
		if err := rate(fmt.Sprintf("outages[%d]", i), o.ErrorRate); err != nil {
			return err
		}
		for j := range o.Phases {
			if err := rate(fmt.Sprintf("outages[%d].phases[%d]", i, j), o.Phases[j].ErrorRate); err != nil {
				return err
			}
		}
	}
	if fo := c.Failover; fo != nil {
		if err := region("failover.from", fo.From); err != nil {
			return err
		}
		if err := region("failover.to", fo.To); err != nil {
			return err
		}
		for i := range fo.Steps {
			for _, a := range fo.Steps[i].After {
				if a < 0 || a >= len(fo.Steps) || a == i {
					return fmt.Errorf("model: failover.steps.%s.after: step index %d out of range", fo.Steps[i].Name, a)
				}
			}
			for _, n := range fo.Steps[i].Needs {
				if n.ARC {
					continue
				}
				if err := region("failover.steps."+fo.Steps[i].Name+".needs", n.Region); err != nil {
					return err
				}
				if serviceIndex(n.Service) < 0 || n.Service == SvcApp {
					return fmt.Errorf("model: failover.steps.%s.needs: not one service: %d", fo.Steps[i].Name, n.Service)
				}
			}
			if err := c.checkOp("failover.steps."+fo.Steps[i].Name, &fo.Steps[i].Op); err != nil {
				return err
			}
		}
	}
	for i := range c.Actions {
		if err := c.checkOp("actions", &c.Actions[i].Op); err != nil {
			return err
		}
	}
	return nil
}

// checkOp checks an action's or a step's op: a known kind; for
// restore-backup a store in range; for the table-replica ops a table and a
// region, for the bucket-rule ops a bucket and a destination other than
// its region (and put-bucket-replication a key).
func (c *Config) checkOp(what string, op *Op) error {
	if int(op.Kind) >= len(OpNames) {
		return fmt.Errorf("model: %s: unknown operation %d", what, op.Kind)
	}
	inRange := func(r, n int) bool { return r >= 0 && r < n }
	switch op.Kind {
	case OpRestoreBackup:
		return c.checkStore(what, op.Store)
	case OpCreateTableReplica, OpDeleteTableReplica:
		if op.Store.Kind != StoreTable {
			return fmt.Errorf("model: %s: %s needs a table", what, op.Kind)
		}
		if err := c.checkStore(what, op.Store); err != nil {
			return err
		}
		if !inRange(op.Region, len(c.Regions)) {
			return fmt.Errorf("model: %s: %s: region index %d out of range", what, op.Kind, op.Region)
		}
		if op.Kind == OpCreateTableReplica && op.Key >= len(c.Keys) {
			return fmt.Errorf("model: %s: key index %d out of range", what, op.Key)
		}
	case OpPutBucketReplication, OpDeleteBucketReplication:
		if op.Store.Kind != StoreBucket {
			return fmt.Errorf("model: %s: %s needs a bucket", what, op.Kind)
		}
		if err := c.checkStore(what, op.Store); err != nil {
			return err
		}
		if !inRange(op.To, len(c.Regions)) || op.To == c.Buckets[op.Store.Index].Region {
			return fmt.Errorf("model: %s: %s: destination region index %d out of range or the bucket's own", what, op.Kind, op.To)
		}
		if op.Kind == OpPutBucketReplication && !inRange(op.Key, len(c.Keys)) {
			return fmt.Errorf("model: %s: key index %d out of range", what, op.Key)
		}
	}
	return nil
}

func (c *Config) checkStore(what string, ref StoreRef) error {
	switch {
	case ref.Kind == StoreBucket && ref.Index >= 0 && ref.Index < len(c.Buckets):
	case ref.Kind == StoreTable && ref.Index >= 0 && ref.Index < len(c.Tables):
	default:
		return fmt.Errorf("model: %s: store index %d out of range", what, ref.Index)
	}
	return nil
}
