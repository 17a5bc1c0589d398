package scenarios

import (
	"fmt"
	"strconv"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/sim"
)

// Input limits. Each bound is far above what a real scenario needs; it is
// there so that no file, however written, makes drsim run out of memory,
// hang, or print an overflowed number. A value beyond a limit is an *Error
// positioned where it was written, naming the limit and saying why it
// exists. docs/limits.md has the same list as one table (TestLimitsDoc keeps
// the two in step).
//
// Following the format's rule that limits never reject a 1.0 file that runs
// in bounded time, the retry and backup minimums are hard floors well below
// the values that are merely unwise (a retry under 1 s, snapshots more often
// than every minute), which lint reports as warnings.
const (
	// MaxFileSize is the largest scenario file read, in bytes (1 MiB), for
	// the file loaded and for each file it extends.
	MaxFileSize = 1 << 20
	// MaxExtendsChain is the most files in one extends chain, the loaded
	// file included.
	MaxExtendsChain = 16
	// MaxDepth is the deepest nesting in a file: the segments of a key path
	// (table headers and dotted keys), plus one per enclosing array.
	MaxDepth = 32
	// MaxArrayItems is the most items in one array: an inline array, or the
	// [[tables]] of one array of tables.
	MaxArrayItems = 10_000
	// MaxKeys is the most keys (each key = value, inline ones included) and
	// table headers in one file.
	MaxKeys = 50_000
	// MaxTrials is the most trials a scenario may ask for. It is a fixed
	// number; whether a run of that size fits the machine's memory is
	// checked before it starts.
	MaxTrials = 100_000_000
	// MaxHorizon is the longest horizon: 100 years of 365 days.
	MaxHorizon = 100 * 365 * sim.Day
	// MinRetry is the shortest retry interval of a runbook step (1 ms).
	MinRetry = sim.Millisecond
	// MinBackupEvery is the shortest snapshot interval of a backup (1 s).
	MinBackupEvery = sim.Second
	// MaxRate is the highest rate of a store's writes or reads, and of a
	// region's kms_rps, per second (1e9).
	MaxRate = 1e9
	// MaxSize is the largest object_size or item_size, in bytes (1 PiB).
	MaxSize = 1 << 50
	// MaxPrice is the highest [prices] entry, in USD per priced unit.
	MaxPrice = 1e6
	// MaxCostItem is the highest [costs.monthly] item, in USD per month.
	MaxCostItem = 1e9
	// MaxWrites is the most writes all stores together may accept over
	// the horizon (the sum of writes per second times the horizon in
	// seconds): 4e18, so that lost-write counts, kept as int64 (at most
	// 9.2e18), cannot overflow.
	MaxWrites = 4e18
)

// Limit describes one input limit, as docs/limits.md lists it.
type Limit struct {
	// Name names the limit in errors: `limit "file size": ...`.
	Name string
	// Bound is the limit as the docs write it, like "1 MiB".
	Bound string
	// Applies says what the limit applies to.
	Applies string
	// Why says why the limit exists.
	Why string
}

// The limits, in the order of docs/limits.md.
var limits = []Limit{
	{"file size", "1 MiB", "each scenario file, and each file it extends",
		"the largest bundled scenario is 2.5 KB, and a file is read whole into memory"},
	{"extends chain", "16 files", "a scenario and the bases it extends, directly or not",
		"each file may be 1 MiB; a real chain has two or three files"},
	{"nesting depth", "32 levels", "key path segments (in table headers and dotted keys) plus one per enclosing array",
		"the format nests 6 levels at most, and the TOML decoder's time and memory grow with the square of the depth"},
	{"array items", "10,000", "one inline array, or the `[[tables]]` of one array of tables",
		"a real scenario has tens, and the work of the checks grows with them"},
	{"keys", "50,000", "`key = value` pairs (inline ones included) and table headers in one file",
		"a real scenario has a few hundred, and the work of the checks grows with them"},
	{"trials", "100,000,000", "`trials` (and `--trials`)",
		"the 95% interval of P(meet) is then narrower than ±0.0001, and a run's memory grows with its trials"},
	{"horizon", "100 years (36500d)", "`horizon`",
		"simulated time is int64 nanoseconds (292 years), and totals over the horizon must not overflow"},
	{"retry", "at least 1ms", "`retry` of a runbook step",
		"a shorter interval is no runbook's; lint warns below 1s"},
	{"backup interval", "at least 1s", "`every` of a backup",
		"a shorter interval is no backup schedule's; lint warns below 1m"},
	{"rate", "1e9 per second", "`writes` and `reads` of a bucket or table, `kms_rps` of a region",
		"far above any real workload, so that counts over the horizon stay finite and exact"},
	{"writes over the horizon", "4e18", "the writes per second of all stores times the horizon in seconds",
		"lost writes are counted in int64 (at most 9.2e18)"},
	{"size", "1 PiB", "`object_size` and `item_size`",
		"S3 objects are at most 5 TB and DynamoDB items 400 KB, and bytes per month must stay finite"},
	{"price", "1e6 USD", "each `[prices]` entry, per priced unit",
		"list prices are below 1 USD per unit, and the monthly total must stay finite"},
	{"monthly cost item", "1e9 USD", "each `[costs.monthly]` item",
		"the monthly total must stay finite"},
}

// Limits returns the input limits, in the order of docs/limits.md.
func Limits() []Limit { return append([]Limit(nil), limits...) }

// limitNote returns the part of a limit error that names the limit and says
// why it exists: `limit "file size" is 1 MiB: the largest ...`.
func limitNote(name string) string {
	for _, l := range limits {
		if l.Name == name {
			return fmt.Sprintf("limit %q is %s: %s", l.Name, l.Bound, l.Why)
		}
	}
	panic("scenarios: no limit " + strconv.Quote(name)) // a typo in this package
}

// limitErr formats the message of a value beyond limit name.
func limitErr(name, format string, args ...any) string {
	return fmt.Sprintf(format, args...) + " (" + limitNote(name) + ")"
}

// exact formats a value compared with a limit in as many digits as it
// takes to tell it from the limit: 1.0000001e+09, not 1e+09, beside "more
// than 1e9".
func exact(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// checkLimits reports the values of a decoded scenario that are beyond the
// limits on values (trials is checked where it is decoded). Values that
// failed to decode were reported already and are zero or defaults here.
func (d *decoder) checkLimits(c *model.Config) {
	if c.Horizon > MaxHorizon {
		d.errorf("horizon", "%s", limitErr("horizon", "%s is more than 100 years", sim.FormatDuration(c.Horizon)))
	}
	for _, r := range c.Regions {
		d.rateLimit(keyPath(keyPath("regions", r.Name), "kms_rps"), r.KMSRPS)
	}
	total, rateOK := 0.0, true
	for _, b := range c.Buckets {
		p := keyPath("buckets", b.Name)
		rateOK = d.rateLimit(keyPath(p, "writes"), b.Writes) && rateOK
		rateOK = d.rateLimit(keyPath(p, "reads"), b.Reads) && rateOK
		total += b.Writes
		d.sizeLimit(keyPath(p, "object_size"), b.ObjectSize)
		d.backupLimit(keyPath(p, "backup"), b.Backup)
	}
	for _, t := range c.Tables {
		p := keyPath("tables", t.Name)
		rateOK = d.rateLimit(keyPath(p, "writes"), t.Writes) && rateOK
		rateOK = d.rateLimit(keyPath(p, "reads"), t.Reads) && rateOK
		total += t.Writes
		d.sizeLimit(keyPath(p, "item_size"), t.ItemSize)
		d.backupLimit(keyPath(p, "backup"), t.Backup)
	}
	if h := float64(c.Horizon) / float64(sim.Second); rateOK && c.Horizon <= MaxHorizon && total*h > MaxWrites {
		d.errorf("horizon", "%s", limitErr("writes over the horizon",
			"the stores accept %.3g writes over the horizon (%.3g per second for %s)", total*h, total, sim.FormatDuration(c.Horizon)))
	}
	if fo := c.Failover; fo != nil {
		for i, st := range fo.Steps {
			if st.Retry > 0 && st.Retry < MinRetry {
				d.errorf(keyPath(elemPath("failover.steps", i), "retry"), "%s",
					limitErr("retry", "%s is shorter than 1ms", sim.FormatDuration(st.Retry)))
			}
		}
	}
	for _, id := range sortedKeys(c.Prices) {
		if v := c.Prices[id]; v > MaxPrice {
			d.errorf(keyPath("prices", id), "%s", limitErr("price", "%s USD is more than 1e6 USD", exact(v)))
		}
	}
	for _, it := range c.Costs {
		if it.USD > MaxCostItem {
			d.errorf(keyPath(keyPath("costs", "monthly"), it.Name), "%s", limitErr("monthly cost item", "%s USD is more than 1e9 USD", exact(it.USD)))
		}
	}
}

// rateLimit reports a rate above MaxRate at path and says whether the rate
// is within the limit.
func (d *decoder) rateLimit(path string, r float64) bool {
	if r > MaxRate {
		d.errorf(path, "%s", limitErr("rate", "%s per second is more than 1e9 per second", exact(r)))
		return false
	}
	return true
}

func (d *decoder) sizeLimit(path string, n int64) {
	if n > MaxSize {
		d.errorf(path, "%s", limitErr("size", "%d bytes is more than 1 PiB (%d bytes)", n, int64(MaxSize)))
	}
}

func (d *decoder) backupLimit(path string, b *model.Backup) {
	if b != nil && b.Every > 0 && b.Every < MinBackupEvery {
		d.errorf(keyPath(path, "every"), "%s", limitErr("backup interval", "%s is shorter than 1s", sim.FormatDuration(b.Every)))
	}
}

// trialsLimit returns the message for a trials value beyond MaxTrials, or "".
func trialsLimit(n int64) string {
	if n > MaxTrials {
		return limitErr("trials", "%d is more than 100,000,000", n)
	}
	return ""
}
