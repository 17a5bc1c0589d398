package importer

import (
	"fmt"
	"strings"
)

// Finish links and checks a decoded inventory: it folds destination buckets
// into the rules that replicate to them (drsim implies destination buckets),
// sets aside the buckets and tables drsim cannot model (with a warning each),
// names every key and store, and adds the setup's own warnings: the checks a
// reviewer would make first (aws-facts G6, G7 and "S3 replication with
// SSE-KMS"): a replication role that a key copy's policy does not allow, a
// replica key with no copy in the destination region, a table replica with
// no copy of its key in its region, a disabled key copy, a rule that does not
// replicate SSE-KMS objects. Call it once, after decoding.
func (inv *Inventory) Finish() {
	inv.fold()
	inv.skip()
	inv.name()
	inv.check()
}

// fold marks the buckets that are destinations of an imported bucket's rule.
// Buckets are taken in input order: a bucket already kept as a source stays
// one, so two buckets replicating to each other keep the first as the source
// (drsim replicates S3 one way) and the second's rule back is reported.
func (inv *Inventory) fold() {
	byName := map[string]*Bucket{}
	for _, b := range inv.Buckets {
		if b.BucketName != "" {
			byName[b.BucketName] = b
		}
	}
	kept := map[*Bucket]bool{}
	for _, b := range inv.Buckets {
		for _, r := range b.Rules {
			if r.Dest == nil && r.DestName != "" {
				r.Dest = byName[r.DestName]
			}
			if r.Dest != nil && r.To == "" {
				r.To = r.Dest.Region
			}
			if r.To == "" && r.Key.Region != "" {
				r.To = r.Key.Region // the replica key is in the destination region (G7)
			}
		}
		if b.DestinationOf != nil {
			if len(b.Rules) > 0 {
				inv.Warn("%s replicates back to the bucket it receives from (%s): drsim replicates S3 one way, from the source bucket; its own rules are not imported", b.Source, b.DestinationOf.Source)
			}
			continue
		}
		kept[b] = true
		for _, r := range b.Rules {
			if r.Dest == nil || r.Dest == b {
				continue
			}
			if kept[r.Dest] {
				inv.Warn("%s replicates to %s, which is itself the source of replication to this bucket: drsim replicates S3 one way; this rule is not imported", r.Source, r.Dest.Source)
				r.twoWay = true
				continue
			}
			if r.Dest.DestinationOf == nil {
				r.Dest.DestinationOf = r
			}
		}
	}
}

// skipped holds what Finish set aside, for Write and the summary.
func (b *Bucket) skipReason() string {
	switch {
	case b.DestinationOf != nil:
		return ""
	case b.SSE == nil:
		return "no default encryption in the input"
	case !strings.HasPrefix(b.SSE.Algorithm, "aws:kms"):
		return fmt.Sprintf("default encryption %s, not SSE-KMS", b.SSE.Algorithm)
	}
	return ""
}

func (t *Table) skipReason() string {
	for _, r := range t.Replicas {
		if r.NoCMK != "" {
			return fmt.Sprintf("its replica in %s is %s", r.Region, r.NoCMK)
		}
	}
	if len(t.Replicas) == 0 {
		return "no region"
	}
	return ""
}

// liveBuckets are the buckets written as stores.
func (inv *Inventory) liveBuckets() []*Bucket {
	var out []*Bucket
	for _, b := range inv.Buckets {
		if b.DestinationOf == nil && b.skipReason() == "" {
			out = append(out, b)
		}
	}
	return out
}

// liveTables are the tables written as stores.
func (inv *Inventory) liveTables() []*Table {
	var out []*Table
	for _, t := range inv.Tables {
		if t.skipReason() == "" {
			out = append(out, t)
		}
	}
	return out
}

// NotImported lists the buckets and tables read but not written as stores,
// each with its source and why.
func (inv *Inventory) NotImported() []string {
	var out []string
	for _, b := range inv.Buckets {
		if why := b.skipReason(); why != "" {
			out = append(out, fmt.Sprintf("%s: %s (drsim models SSE-KMS buckets)", b.Source, why))
		}
	}
	for _, t := range inv.Tables {
		if why := t.skipReason(); why != "" {
			out = append(out, fmt.Sprintf("%s: %s (drsim models tables under customer managed keys)", t.Source, why))
		}
	}
	return out
}

func (inv *Inventory) skip() {
	for _, s := range inv.NotImported() {
		inv.Warn("not imported: %s", s)
	}
}

func (inv *Inventory) name() {
	var keys []named
	for _, k := range inv.Keys {
		keys = append(keys, named{name: &k.Name, hint: k.Hint, qualified: k.Qualified, fallback: "key"})
	}
	assignNames(keys)
	var stores []named
	for _, b := range inv.liveBuckets() {
		stores = append(stores, named{name: &b.Name, hint: b.Hint, qualified: b.Qualified, fallback: "bucket"})
	}
	for _, t := range inv.liveTables() {
		stores = append(stores, named{name: &t.Name, hint: t.Hint, qualified: t.Qualified, fallback: "table"})
	}
	assignNames(stores)
}

// writable reports whether a rule is written as a replication entry, and if
// not, why.
func (r *Rule) writable() (bool, string) {
	switch {
	case r.twoWay:
		return false, "two-way replication"
	case !r.Enabled:
		return false, "the rule is disabled"
	case !r.SSEKMSObjects:
		return false, "it does not select SSE-KMS encrypted objects (SourceSelectionCriteria.SseKmsEncryptedObjects is not Enabled), so S3 replicates none of this bucket's objects"
	case r.Key.Key == nil && r.Key.Unknown == "":
		return false, "it has no replica KMS key (S3 requires ReplicaKmsKeyID for SSE-KMS objects)"
	case r.To == "":
		return false, "its destination region is unknown"
	}
	return true, ""
}

func (inv *Inventory) check() {
	for _, k := range inv.Keys {
		for _, c := range k.Copies() {
			if c.Disabled {
				inv.Warn("%s: the copy of key %q in %s is disabled: written as a disable-key action at 0s", c.Source, k.Name, c.Region)
			}
		}
		if k.RotationDays != 0 && (k.RotationDays < 90 || k.RotationDays > 2560) {
			inv.Warn("%s: rotation period %d days is outside 90..2560 (aws-facts K9): not imported", k.Source, k.RotationDays)
		}
	}
	for _, b := range inv.liveBuckets() {
		src := inv.copyFor(b.SSE.Key, b.Region)
		if b.SSE.Key.Key != nil && src == nil && !b.SSE.Key.Key.External {
			inv.Warn("%s: bucket %q in %s is encrypted with key %q, which has no copy in %s: S3 needs an SSE-KMS key in the bucket's region", b.SSE.Source, b.Name, b.Region, b.SSE.Key.Key.Name, b.Region)
		}
		for _, r := range b.Rules {
			ok, why := r.writable()
			if !ok {
				if !r.twoWay {
					inv.Warn("%s: replication of bucket %q to %s not imported: %s", r.Source, b.Name, orUnknown(r.To), why)
				}
				continue
			}
			if r.Key.Key == nil {
				continue
			}
			dst := r.Key.Key.CopyIn(r.To)
			if dst == nil {
				if !r.Key.Key.External {
					inv.Warn("%s: the replica key %q has no copy in the destination region %s: S3 cannot encrypt replicas there (aws-facts G7)", r.Source, r.Key.Key.Name, r.To)
				}
				continue
			}
			role := r.Role
			if role == "" {
				continue
			}
			inv.checkAllows(src, role, "kms:Decrypt", fmt.Sprintf("bucket %q cannot replicate to %s: S3 replication decrypts at the source", b.Name, r.To), r.Source)
			inv.checkAllows(dst, role, "kms:Encrypt", fmt.Sprintf("bucket %q cannot replicate to %s: S3 replication encrypts at the destination", b.Name, r.To), r.Source)
		}
	}
	for _, t := range inv.liveTables() {
		for _, rep := range t.Replicas {
			if rep.Key.Key == nil || rep.Key.Key.External {
				continue
			}
			if rep.Key.Key.CopyIn(rep.Region) == nil {
				inv.Warn("%s: table %q has a replica in %s, where key %q has no copy: DynamoDB needs a key in the replica's region (aws-facts G6)", rep.Source, t.Name, rep.Region, rep.Key.Key.Name)
			}
		}
	}
}

// copyFor returns the copy a store in region uses through ref: the copy in
// region for a multi-Region key, the key's only copy for a single-Region key.
func (inv *Inventory) copyFor(ref KeyRef, region string) *Copy {
	if ref.Key == nil {
		return nil
	}
	return ref.Key.CopyIn(region)
}

// checkAllows warns when c's known policy does not allow principal action.
func (inv *Inventory) checkAllows(c *Copy, principal, action, effect, source string) {
	if c == nil || c.Policy == nil {
		return
	}
	if ok, _ := c.Policy.Allows(principal, action); ok {
		return
	}
	kind := "replica key"
	if c == c.Key.Primary {
		kind = "key"
		if c.Key.MultiRegion {
			kind = "primary key"
		}
	}
	inv.Warn("%s: %s %q in %s does not allow the replication role %q %s: %s (%s)", c.Source, kind, c.Key.Name, c.Region, principal, action, effect, source)
}

func orUnknown(s string) string {
	if s == "" {
		return "an unknown region"
	}
	return s
}
