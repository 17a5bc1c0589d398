package findings

import (
	"fmt"
	"slices"
	"strings"

	"github.com/drsim/drsim/model"
)

// This file holds what the static rules about copies and about the failed
// region share: the copies that the actions and runbook steps of format 1.1
// create or delete (create-table-replica, put-bucket-replication,
// delete-table-replica, delete-bucket-replication, replicate-key), and
// whether an outage of the scenario can take a service down.

// copyOps returns the ops (actions, then steps) that create and that delete
// the copy of store ref in region r: create-table-replica and
// delete-table-replica with that region, put-bucket-replication and
// delete-bucket-replication with that destination.
func (c *checker) copyOps(ref model.StoreRef, r int) (creates, deletes []opRef) {
	for _, o := range c.ops() {
		op := o.op
		if op.Store != ref {
			continue
		}
		switch {
		case ref.Kind == model.StoreTable && op.Kind == model.OpCreateTableReplica && op.Region == r,
			ref.Kind == model.StoreBucket && op.Kind == model.OpPutBucketReplication && op.To == r:
			creates = append(creates, o)
		case ref.Kind == model.StoreTable && op.Kind == model.OpDeleteTableReplica && op.Region == r,
			ref.Kind == model.StoreBucket && op.Kind == model.OpDeleteBucketReplication && op.To == r:
			deletes = append(deletes, o)
		}
	}
	return creates, deletes
}

// storeRef returns the StoreRef of the store named name, and false when
// there is none.
func (c *checker) storeRefOf(name string) (model.StoreRef, bool) {
	for i := range c.cfg.Buckets {
		if c.cfg.Buckets[i].Name == name {
			return model.StoreRef{Kind: model.StoreBucket, Index: i}, true
		}
	}
	for i := range c.cfg.Tables {
		if c.cfg.Tables[i].Name == name {
			return model.StoreRef{Kind: model.StoreTable, Index: i}, true
		}
	}
	return model.StoreRef{}, false
}

// deletedCopy returns the ops that delete the copy of store name in region
// r that the scenario gives it at t=0 (a table replica, a replication
// rule's destination), when no op creates it again; nil otherwise.
func (c *checker) deletedCopy(name string, r int) []opRef {
	ref, ok := c.storeRefOf(name)
	if !ok {
		return nil
	}
	creates, deletes := c.copyOps(ref, r)
	if len(creates) > 0 {
		return nil
	}
	return deletes
}

// opNames lists the names of ops, "actions[0] and step \"x\"".
func opNames(os []opRef) string {
	names := make([]string, len(os))
	for i, o := range os {
		names[i] = o.name
	}
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// keyCopyIn reports whether key k has a copy in region r at t=0 or gets one
// from a replicate-key action or step.
func (c *checker) keyCopyIn(k int, r int) bool {
	return hasCopy(&c.cfg.Keys[k], r) || c.replicatedTo(k, r)
}

// tableIn reports whether table ti has a replica in region r once the
// actions and steps have run: one at t=0 that no op deletes, or one an op
// creates.
func (c *checker) tableIn(ti, r int) bool {
	ref := model.StoreRef{Kind: model.StoreTable, Index: ti}
	creates, deletes := c.copyOps(ref, r)
	if len(creates) > 0 {
		return true
	}
	return slices.Contains(c.cfg.Tables[ti].Regions, r) && len(deletes) == 0
}

// bucketKeyIn returns the key of bucket bi's copy in region r once the
// actions and steps have run (the source, a rule's destination that no op
// deletes, or a rule an op puts), else -1.
func (c *checker) bucketKeyIn(bi, r int) int {
	b := &c.cfg.Buckets[bi]
	if b.Region == r {
		return b.Key
	}
	creates, deletes := c.copyOps(model.StoreRef{Kind: model.StoreBucket, Index: bi}, r)
	if len(creates) > 0 && creates[0].op.Key >= 0 {
		return creates[0].op.Key
	}
	if len(deletes) > 0 {
		return -1
	}
	return b.KeyIn(r)
}

// outageReach says how the outages of the scenario can take a service down
// in a region: Full when one can at an error rate of 1, else Gray (the
// highest error rate below 1 of one that can), else neither.
type outageReach struct {
	Full bool
	Gray float64
}

// reach returns how the outages of the scenario (those with a probability
// above 0) can take any of services svc down in region r.
func (c *checker) reach(r int, svc model.Services) outageReach {
	var out outageReach
	see := func(s model.Services, e float64) {
		if s&svc == 0 {
			return
		}
		if e = model.Rate(e); e >= 1 {
			out.Full = true
		} else {
			out.Gray = max(out.Gray, e)
		}
	}
	for oi := range c.cfg.Outages {
		o := &c.cfg.Outages[oi]
		if o.Kind != model.RegionOutage || o.Region != r || o.Probability <= 0 {
			continue
		}
		if len(o.Phases) == 0 {
			see(o.Services, o.ErrorRate)
		}
		for _, p := range o.Phases {
			see(p.Services, p.ErrorRate)
		}
	}
	return out
}

// failedRegionSeverity returns the severity of a required step that needs
// services svc in region r, the one the failover leaves, and the sentence
// that says why: Error when an outage of the scenario can take one of them
// down at an error rate of 1 (the step cannot finish until it is back);
// Warning when outages take them down only in a gray failure (the step
// retries until an attempt passes), or when no outage does.
func (c *checker) failedRegionSeverity(r int, svc model.Services, what string) (Severity, string) {
	reg := c.region(r)
	switch re := c.reach(r, svc); {
	case re.Full:
		return Error, fmt.Sprintf("an outage of this scenario takes %s in %s down: the step cannot finish while it is down, so the failover waits for it to come back", what, reg)
	case re.Gray > 0:
		return Warning, fmt.Sprintf("the outages of this scenario take %s in %s down only in a gray failure (error rate at most %g): the step retries until an attempt passes, which delays the failover; an outage that takes it down fully would hold the failover back until %s comes back", what, reg, re.Gray, reg)
	default:
		return Warning, fmt.Sprintf("no outage of this scenario takes %s in %s down, so the step can succeed during the failover; an outage that did would hold the failover back until %s comes back", what, reg, reg)
	}
}

// inOrder returns os in the order of c.ops (actions, then steps, in file
// order), without duplicates.
func (c *checker) inOrder(os []opRef) []opRef {
	var out []opRef
	for _, o := range c.ops() {
		if slices.ContainsFunc(os, func(x opRef) bool { return x.path == o.path }) {
			out = append(out, o)
		}
	}
	return out
}
