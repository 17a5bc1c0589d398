package main

import (
	"bufio"
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/drsim/drsim/model"
)

// Memory estimate of a run: what its trials keep in memory at the peak.
// A run keeps one compact record per trial (report.Trials: 56 bytes, plus 8
// per store and per action or step, plus its rare details when it has
// any) and, while the report is built, a scratch float64 per trial for
// each percentile computed at once (at most GOMAXPROCS). The estimate errs
// high; it is also the run's soft memory limit (setMemoryLimit), so that
// the collector keeps the heap near it instead of letting garbage double
// it.
const (
	// fixedBytes covers the runtime, the loaded scenario, the report, its
	// charts and the representative trial's detail.
	fixedBytes = 64 << 20
	// recordBytes is report.Record's size; perItemBytes what a trial keeps
	// per store and per op.
	recordBytes  = 56
	perItemBytes = 8
	// rareAllowance is the rare details a trial keeps on average, counted
	// high: most trials share an entry or have none.
	rareAllowance = 16
	// scratchBytes is one float64 per trial per percentile computed at
	// once.
	scratchBytes = 8
)

// trialBytes returns the bytes one trial of cfg keeps at the peak of a
// run: its compact record, the scratch of the report's percentiles.
func trialBytes(cfg *model.Config) float64 {
	stores := len(cfg.Buckets) + len(cfg.Tables)
	ops := len(cfg.Actions)
	if cfg.Failover != nil {
		ops += len(cfg.Failover.Steps)
	}
	b := float64(recordBytes + perItemBytes*(stores+ops) + rareAllowance)
	b += float64(scratchBytes * max(1, runtime.GOMAXPROCS(0)))
	return b
}

// memoryEstimate returns the bytes, at the peak, of simulating trials
// trials of each of cfgs and keeping every record for the report (compare
// keeps all scenarios' records). It is computed in float64: a trial count
// such as 1e12 must not overflow.
func memoryEstimate(trials int, cfgs ...*model.Config) float64 {
	live := 0.0
	for _, cfg := range cfgs {
		live += float64(trials) * trialBytes(cfg)
	}
	return live + fixedBytes
}

// setMemoryLimit sets the process's soft memory limit for a run of trials
// trials of cfgs: what their records and the report's scratch need (the
// estimate without its allowances) plus 8 MiB, at least 64 MiB. The
// collector then runs before the heap outgrows it, where by default it
// would let garbage grow it to twice the live heap (debug.SetMemoryLimit;
// GOMEMLIMIT in the environment wins). A soft limit: a run that needs
// more gets it, collecting more often.
func setMemoryLimit(trials int, cfgs ...*model.Config) {
	if _, set := os.LookupEnv("GOMEMLIMIT"); set {
		return
	}
	need := 0.0
	for _, cfg := range cfgs {
		need += float64(trials) * (trialBytes(cfg) - rareAllowance)
	}
	lim := max(need+8<<20, 64<<20)
	if lim >= math.MaxInt64 {
		return
	}
	debug.SetMemoryLimit(int64(lim))
}

// checkMemory fails with exit code 6 when need bytes exceed this machine's
// memory (env.memory); it passes when the memory is unknown.
func checkMemory(e *env, cmd string, trials int, need float64) error {
	have, ok := e.memory()
	if !ok || need <= float64(have) {
		return nil
	}
	return &exitError{code: exitMemory, err: fmt.Errorf("%s: %s trials need about %s of memory (estimate), more than this machine's %s; run fewer trials",
		cmd, groupDigits(int64(trials)), formatBytes(need), formatBytes(float64(have)))}
}

// machineMemory returns the memory this process may use: the machine's
// total memory (MemTotal of /proc/meminfo), or its control group's limit
// when that is lower (cgroup v2 memory.max, v1 memory.limit_in_bytes). It
// returns false where it cannot tell (systems other than Linux).
func machineMemory() (uint64, bool) {
	if runtime.GOOS != "linux" {
		return 0, false
	}
	total, ok := memTotal()
	if !ok {
		return 0, false
	}
	if lim, ok := cgroupLimit(); ok && lim < total {
		total = lim
	}
	return total, true
}

func memTotal() (uint64, bool) {
	data, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0, false
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) >= 2 && f[0] == "MemTotal:" {
			kb, err := strconv.ParseUint(f[1], 10, 64)
			if err != nil {
				return 0, false
			}
			return kb << 10, true
		}
	}
	return 0, false
}

// cgroupLimit reads the memory limit of this process's control group.
func cgroupLimit() (uint64, bool) {
	data, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(data), "\n") {
		parts := strings.SplitN(line, ":", 3)
		if len(parts) != 3 {
			continue
		}
		var file string
		switch {
		case parts[0] == "0" && parts[1] == "":
			file = filepath.Join("/sys/fs/cgroup", parts[2], "memory.max")
		case strings.Contains(","+parts[1]+",", ",memory,"):
			file = filepath.Join("/sys/fs/cgroup/memory", parts[2], "memory.limit_in_bytes")
		default:
			continue
		}
		b, err := os.ReadFile(file)
		if err != nil {
			continue
		}
		if v, err := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64); err == nil {
			return v, true // "max" (no limit) does not parse
		}
	}
	return 0, false
}

// formatBytes prints a size in binary units, "23.5 GiB".
func formatBytes(b float64) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	i := 0
	for b >= 1024 && i < len(units)-1 {
		b /= 1024
		i++
	}
	if i == 0 {
		return fmt.Sprintf("%.0f B", b)
	}
	return fmt.Sprintf("%.1f %s", b, units[i])
}

// groupDigits prints n with thousands separators, "1,000,000".
func groupDigits(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
