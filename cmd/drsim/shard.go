package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/drsim/drsim/report"
	"github.com/drsim/drsim/scenarios"
)

// Shards: drsim run FILE --shard i/n computes trials [⌊(i−1)N/n⌋, ⌊iN/n⌋)
// and writes them as a partial result; drsim merge joins the partials of a
// run into the report the unsharded run writes, byte for byte. The engine
// that runs the shards (a Kubernetes Indexed Job, an AWS Batch array job, a
// CI matrix) is the user's: --shard env takes the index it gives.

// Environment variables holding a shard's 0-based index: Kubernetes
// Indexed Jobs and AWS Batch array jobs.
const (
	envK8sIndex   = "JOB_COMPLETION_INDEX"
	envBatchIndex = "AWS_BATCH_JOB_ARRAY_INDEX"
)

// shardSpec is a parsed --shard: shard i of n, 1-based.
type shardSpec struct {
	i, n int
	set  bool
}

// String prints the shard as "i/n".
func (s shardSpec) String() string { return strconv.Itoa(s.i) + "/" + strconv.Itoa(s.n) }

// maxShards bounds n in --shard i/n: far above what the engines run
// (AWS Batch array jobs hold at most 10,000 children, a Kubernetes Indexed
// Job with backoffLimitPerIndex at most 100,000 completions, a GitHub
// Actions matrix 256 jobs), and small enough that a shard's range is
// computed exactly (report.ShardRange) and a merge can name the shards it
// misses. A shard may hold no trial (n above the trial count): merge
// accepts it.
const maxShards = 100_000

// parseShard parses --shard ("i/n", 1-based, or "env" with count from
// --shard-count and the index from the environment, 0-based there).
// lookupEnv is os.LookupEnv (tests replace it).
func parseShard(v string, count int, countSet bool, lookupEnv func(string) (string, bool)) (shardSpec, error) {
	if strings.EqualFold(v, "env") {
		if !countSet {
			return shardSpec{}, usageError("run", "--shard env needs --shard-count N (the number of shards)")
		}
		if count > maxShards {
			return shardSpec{}, usageError("run", "--shard-count %d: at most %s shards", count, groupDigits(maxShards))
		}
		k, kSet := lookupEnv(envK8sIndex)
		b, bSet := lookupEnv(envBatchIndex)
		k, b = strings.TrimSpace(k), strings.TrimSpace(b)
		name, raw := envK8sIndex, k
		switch {
		case kSet && bSet && k != b:
			return shardSpec{}, usageError("run", "--shard env: %s=%q and %s=%q are both set and differ; set only the one your engine sets", envK8sIndex, k, envBatchIndex, b)
		case !kSet && !bSet:
			return shardSpec{}, usageError("run", "--shard env: neither %s (Kubernetes Indexed Job) nor %s (AWS Batch array job) is set", envK8sIndex, envBatchIndex)
		case !kSet:
			name, raw = envBatchIndex, b
		}
		if raw == "" {
			return shardSpec{}, usageError("run", "--shard env: %s is set but empty", name)
		}
		idx, err := strconv.Atoi(raw)
		if err != nil || idx < 0 || idx >= count {
			return shardSpec{}, usageError("run", "--shard env: %s=%q is not an index from 0 to %d (--shard-count %d)", name, raw, count-1, count)
		}
		return shardSpec{i: idx + 1, n: count, set: true}, nil
	}
	if countSet {
		return shardSpec{}, usageError("run", "--shard-count goes with --shard env; --shard %s names the count itself", v)
	}
	a, b, ok := strings.Cut(v, "/")
	i, err1 := strconv.Atoi(strings.TrimSpace(a))
	n, err2 := strconv.Atoi(strings.TrimSpace(b))
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 1 || i > n || n > maxShards {
		return shardSpec{}, usageError("run", "--shard %q: want i/n with 1 ≤ i ≤ n ≤ %s (shard 1/4 is the first of four), or env", v, groupDigits(maxShards))
	}
	return shardSpec{i: i, n: n, set: true}, nil
}

// partialHeader returns the header of a run's partial result: the
// resolved scenario (what merge parses, computes the cost from and replays
// the representative trial with) and its positions (for the findings).
func partialHeader(res *scenarios.Resolved, trials int, shard shardSpec) (report.PartialHeader, error) {
	toml, err := res.TOML()
	if err != nil {
		return report.PartialHeader{}, err
	}
	h := report.PartialHeader{
		Scenario:     res.Config.Name,
		File:         res.Config.File,
		Digest:       report.Digest(toml),
		Trials:       trials,
		ResolvedTOML: string(toml),
		Overrides:    reportOverrides(res.Overrides),
	}
	if shard.set {
		h.Shard = shard.String()
	}
	h.Drsim = buildID(readBuildInfo())
	if res.Locator != nil {
		if lj, err := scenarios.MarshalLocator(res.Locator); err == nil {
			h.Locator = lj
		}
	}
	return h, nil
}

// writePartialTo writes the partial result of s to w.
func writePartialTo(w io.Writer, s *simulation, h report.PartialHeader) error {
	if err := report.WritePartial(w, s.trials, h); err != nil {
		return fmt.Errorf("writing the partial result: %w", err)
	}
	return nil
}
