package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"unsafe"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/model/kms"
)

// Memory estimate of a run: what its trials keep in memory at the peak.
// The estimate is deliberately simple and errs high; the scale-out work
// (compact per-trial records) is expected to tighten trialBytes.
const (
	// fixedBytes covers the runtime, the loaded scenario, the report, its
	// charts and the representative trial's detail.
	fixedBytes = 64 << 20
	// allocOverhead is the heap's cost per small allocation (size-class
	// rounding and headers), per slice a trial result owns.
	allocOverhead = 16
	// gcHeadroom is the peak heap over the live heap under the Go
	// collector's default GOGC=100.
	gcHeadroom = 2
)

// trialBytes returns the bytes one trial of cfg keeps until the report is
// built: its model.TrialResult with the slices it owns (lost writes per
// store, KMS failures per reason and region, one OpResult per action and
// runbook step, the regions it recovered in) and the float64 per metric
// and store that the report's percentiles sort.
func trialBytes(cfg *model.Config) float64 {
	stores := len(cfg.Buckets) + len(cfg.Tables)
	regions := len(cfg.Regions)
	ops := len(cfg.Actions)
	if cfg.Failover != nil {
		ops += len(cfg.Failover.Steps)
	}
	b := float64(unsafe.Sizeof(model.TrialResult{}))
	b += float64(8*stores + allocOverhead)                      // LostWrites
	b += float64(8*int(kms.NumReasons)*regions + allocOverhead) // KMSFailures
	b += float64(8*regions + allocOverhead)                     // RecoveredIn, at most every region
	b += float64(ops)*float64(unsafe.Sizeof(model.OpResult{})) + allocOverhead
	b += float64(8 * (8 + stores)) // report: sorted copies of RTO, RPO, lost writes, ...
	return b
}

// memoryEstimate returns the bytes, at the peak, of simulating trials
// trials of each of cfgs and keeping every result for the report (compare
// keeps all scenarios' results). It is computed in float64: a trial count
// such as 1e12 must not overflow.
func memoryEstimate(trials int, cfgs ...*model.Config) float64 {
	live := 0.0
	for _, cfg := range cfgs {
		live += float64(trials) * trialBytes(cfg)
	}
	return gcHeadroom*live + fixedBytes
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
