package importer

import (
	"fmt"
	"strings"
)

// Finish links and checks a decoded inventory: it folds destination buckets
// into the rules that replicate to them (drsim implies destination buckets),
// sets aside the buckets and tables drsim cannot model (with a warning each),
// names every key and store, and adds the setup's own warnings: the checks a
// reviewer would make first (docs/aws-behaviour.md G6, G7 and "S3 replication with
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

// fold marks the buckets that are destinations of an imported bucket's rule
// (Bucket.DestinationOf): drsim implies destination buckets. S3 replicates
// one way in drsim, so of two buckets replicating to each other one is the
// source (sourceOf) and the other's rule back is not imported (with a
// warning); a destination that replicates on to a third bucket (a chain)
// stays a bucket of its own, with a warning.
func (inv *Inventory) fold() {
	byName := map[string]*Bucket{}
	order := map[*Bucket]int{}
	for i, b := range inv.Buckets {
		order[b] = i
		if b.BucketName != "" {
			byName[b.BucketName] = b
		}
	}
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
	}
	for _, b := range inv.Buckets {
		for _, r := range b.Rules {
			d := r.Dest
			if d == nil || d == b || r.twoWay {
				continue
			}
			for _, back := range d.Rules {
				if back.Dest != b || back.twoWay {
					continue
				}
				if src, why := sourceOf(b, d, order); src == b {
					back.twoWay = true
					inv.Warn("%s replicates back to the bucket it receives from (%s): drsim replicates S3 one way, from %s (%s); this rule is not imported", back.Source, r.Source, b.Source, why)
				}
			}
		}
	}
	source := func(b *Bucket) bool {
		for _, r := range b.Rules {
			if !r.twoWay && r.Dest != b {
				return true
			}
		}
		return false
	}
	for _, b := range inv.Buckets {
		for _, r := range b.Rules {
			d := r.Dest
			if r.twoWay || d == nil || d == b || d.DestinationOf != nil {
				continue
			}
			if source(d) {
				inv.Warn("%s replicates to %s, which replicates on to another bucket: drsim does not chain replication; %s is written as a bucket of its own too", r.Source, d.Source, d.Source)
				continue
			}
			d.DestinationOf = r
		}
	}
}

// sourceOf returns which of two buckets that replicate to each other drsim
// takes as the source, and why: the one in the region of its encryption
// key's primary copy (a multi-Region key is managed where its primary is,
// which is where a setup's writes usually start), when only one of them
// is; else the first in input order (for a folder of AWS CLI outputs, by
// name).
func sourceOf(a, b *Bucket, order map[*Bucket]int) (*Bucket, string) {
	home := func(x *Bucket) bool {
		return x.SSE != nil && x.SSE.Key.Key != nil && x.SSE.Key.Key.Primary != nil && x.SSE.Key.Key.MultiRegion && x.SSE.Key.Key.Primary.Region == x.Region
	}
	switch ha, hb := home(a), home(b); {
	case ha && !hb:
		return a, "its key's primary copy is in its region, " + a.Region
	case hb && !ha:
		return b, "its key's primary copy is in its region, " + b.Region
	case order[a] <= order[b]:
		return a, "the first of the two in the input"
	}
	return b, "the first of the two in the input"
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
		region := ""
		if k.Primary != nil {
			region = k.Primary.Region
		}
		keys = append(keys, named{name: &k.Name, hint: k.Hint, qualified: k.Qualified, region: region, fallback: "key",
			label: fmt.Sprintf("key %q (%s)", k.Hint, k.Source)})
	}
	var stores []named
	for _, b := range inv.liveBuckets() {
		stores = append(stores, named{name: &b.Name, hint: b.Hint, qualified: b.Qualified, region: b.Region, fallback: "bucket",
			label: fmt.Sprintf("bucket %q (%s)", b.Hint, b.Source)})
	}
	for _, t := range inv.liveTables() {
		region := ""
		if len(t.Replicas) > 0 {
			region = t.Replicas[0].Region
		}
		stores = append(stores, named{name: &t.Name, hint: t.Hint, qualified: t.Qualified, region: region, fallback: "table",
			label: fmt.Sprintf("table %q (%s)", t.Hint, t.Source)})
	}
	for _, w := range append(assignNames(keys), assignNames(stores)...) {
		inv.Warn("%s", w)
	}
}

// writable reports whether a rule of a bucket in region from is written as
// a replication entry, and if not, why.
func (r *Rule) writable(from string) (bool, string) {
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
	case r.To == from:
		return false, "same-Region replication (its destination is in " + from + " too): drsim simulates replication across Regions"
	}
	return true, ""
}

// check adds the warnings drsim's static findings cannot give: a copy
// disabled in the input, a rotation period outside the KMS range, and a
// replication role that a key policy names but allows only some of the
// crypto actions (drsim's users do not distinguish actions, so a role
// allowed kms:Decrypt but not kms:Encrypt at the destination would pass the
// findings and fail in AWS). A role a policy does not name at all, a replica
// key without a copy in the destination (G7) and a table replica without a
// copy of its key (G6) are static findings, which drsim import runs on the
// imported scenario.
func (inv *Inventory) check() {
	for _, k := range inv.Keys {
		for _, c := range k.Copies() {
			switch {
			case c.PendingDeletion != "":
				inv.Warn("%s: the copy of key %q in %s is scheduled for deletion (%s): written as a schedule-key-deletion action at 0s, so that it refuses cryptographic calls with KMSInvalidStateException (K10 in docs/aws-behaviour.md); a cancel-key-deletion action in your file brings it back, disabled", c.Source, k.Name, c.Region, c.PendingDeletion)
			case c.Disabled:
				inv.Warn("%s: the copy of key %q in %s is disabled: written as a disable-key action at 0s", c.Source, k.Name, c.Region)
			}
		}
		if k.RotationBad != "" {
			inv.Warn("%s: rotation period %s days is outside %d..%d, the periods KMS accepts (K9 in docs/aws-behaviour.md): the rotation is not imported", k.RotationSource, k.RotationBad, MinRotationDays, MaxRotationDays)
		}
	}
	for _, b := range inv.liveBuckets() {
		for _, r := range b.Rules {
			ok, why := r.writable(b.Region)
			if !ok {
				if !r.twoWay {
					inv.Warn("%s: replication of bucket %q to %s not imported: %s", r.Source, b.Name, orUnknown(r.To), why)
				}
				continue
			}
			if r.Key.Key == nil || r.Role == "" {
				continue
			}
			inv.checkAction(inv.copyFor(b.SSE.Key, b.Region), r.Role, "kms:Decrypt", fmt.Sprintf("bucket %q cannot replicate to %s: S3 replication decrypts at the source", b.Name, r.To), r.Source)
			inv.checkAction(r.Key.Key.CopyIn(r.To), r.Role, "kms:Encrypt", fmt.Sprintf("bucket %q cannot replicate to %s: S3 replication encrypts at the destination", b.Name, r.To), r.Source)
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

// checkAction warns when c's known policy names principal and lets it use
// the key (it is one of drsim's users) but not for action. When the
// policy allows action to anyone ("*") undecidedly (through the account
// root, which leaves it to IAM policies, or on a condition), the warning
// says so: drsim writes "*" and would not tell, and the copy's own grant
// to the role is not enough.
func (inv *Inventory) checkAction(c *Copy, principal, action, effect, source string) {
	if c == nil || c.Policy == nil {
		return
	}
	own := c.Policy.Find(principal)
	if own == nil || !own.User() || own.Allows(action) {
		return
	}
	unless := ""
	if star := c.Policy.Find("*"); star != nil && star.Allows(action) {
		if !star.Undecided {
			return // anyone may
		}
		unless = fmt.Sprintf(" unless what \"*\" stands for allows it (%s)", strings.Join(star.Notes, "; "))
	}
	kind := "replica key"
	if c == c.Key.Primary {
		kind = "key"
	}
	inv.Warn("%s: %s %q in %s allows the replication role %q %s but not %s%s: %s (%s); drsim's users do not tell actions apart, so only this warning says it",
		c.Source, kind, c.Key.Name, c.Region, principal, strings.Join(own.Crypto, ", "), action, unless, effect, source)
}

func orUnknown(s string) string {
	if s == "" {
		return "an unknown region"
	}
	return s
}
