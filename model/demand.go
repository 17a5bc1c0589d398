package model

import "slices"

// BucketKeyFactor is the share of S3's KMS calls left with S3 Bucket Keys
// (the S3 User Guide: bucket keys cut the KMS requests by up to 99%).
const BucketKeyFactor = 0.01

// Demand returns the steady-state KMS request rate (calls per second) that
// the traffic causes in each region, indexed like Config.Regions, when the
// regions in serve (indices, each listed once) serve the app and every
// region is up (docs/scenario-format.md, "How a trial runs"): S3 PUTs and GETs one
// call each in the region that serves them, with the key of the bucket's
// copy there (×BucketKeyFactor with bucket keys); S3 replication one call at
// the source and one at the destination per object written to the source
// bucket; client-side table reads and writes one call each. A call with a
// multi-Region key goes to the caller's region (none there: it fails with
// NotFoundException and is not counted); with a single-Region key, to its
// home region (docs/aws-behaviour.md K12). DynamoDB at-rest encryption adds no calls.
// The load is split evenly over serve. With serve = Config.App.Serve it is
// the demand the cost is billed on; with the regions serving after a
// failover it is the demand a surviving region's quota must carry.
func Demand(cfg *Config, serve []int) []float64 {
	d := make([]float64, len(cfg.Regions))
	if len(serve) == 0 {
		return d
	}
	share := 1 / float64(len(serve))
	add := func(key, caller int, rate float64) {
		if r := CallRegion(cfg, key, caller); r >= 0 && rate > 0 {
			d[r] += rate
		}
	}
	for i := range cfg.Buckets {
		b := &cfg.Buckets[i]
		f := 1.0
		if b.BucketKey {
			f = BucketKeyFactor
		}
		for _, r := range serve {
			if key := b.KeyIn(r); key >= 0 {
				add(key, r, (b.Writes+b.Reads)*share*f)
			}
		}
		if !slices.Contains(serve, b.Region) {
			continue
		}
		obj := b.Writes * share // objects per second written to the source bucket
		for _, rule := range b.Replication {
			add(b.Key, b.Region, obj*f)
			add(rule.Key, rule.To, obj*f)
		}
	}
	for i := range cfg.Tables {
		t := &cfg.Tables[i]
		if t.ClientKey < 0 {
			continue
		}
		for _, r := range serve {
			if slices.Contains(t.Regions, r) {
				add(t.ClientKey, r, (t.Writes+t.Reads)*share)
			}
		}
	}
	return d
}

// KeyIn returns the key that encrypts bucket b's copy in region r (the
// source bucket's key, or the key of the replication rule to r), or -1 when
// b has no copy in r.
func (b *Bucket) KeyIn(r int) int {
	if b.Region == r {
		return b.Key
	}
	for _, rule := range b.Replication {
		if rule.To == r {
			return rule.Key
		}
	}
	return -1
}

// CallRegion returns the region a cryptographic call with key made from
// region caller goes to (docs/aws-behaviour.md K12): the caller's region for a
// multi-Region key with a copy there at t=0, the home region for a
// single-Region key; -1 when there is no related key in the caller's region
// (the call fails with NotFoundException) or key is out of range.
func CallRegion(cfg *Config, key, caller int) int {
	if key < 0 || key >= len(cfg.Keys) {
		return -1
	}
	k := &cfg.Keys[key]
	if !k.MultiRegion {
		return k.Primary
	}
	if k.Primary == caller || slices.Contains(k.Replicas, caller) {
		return caller
	}
	return -1
}
