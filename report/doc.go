// Package report turns the results of a simulation run into the canonical
// result document (Report, schema "drsim.report/v1": aggregation,
// statistics, operations) and writes it as JSON; it writes per-trial CSV,
// and compares runs of several scenarios (Comparison, schema
// "drsim.compare/v1"). It also holds the documents of the what-if commands,
// which package whatif fills: Sweep ("drsim.sweep/v1": one scenario at
// every point of a grid of overrides) and Sensitivity
// ("drsim.sensitivity/v1": a tornado of the inputs pinned at their 10th and
// 90th percentiles, and rank correlations), with the metrics they use
// (Metric, MetricOf) and Pairing, which says when two configurations do not
// see the same outages trial by trial.
//
// # Statistical assumptions
//
// Trials are independent and identically distributed; the trial index is
// the only thing that changes between them.
//
//   - RTO is summarised over incident trials. An unrecovered trial counts
//     as +Inf: a percentile or maximum that falls on it is null, and it is
//     left out of the mean. RPO and lost writes are summarised over
//     recovered incident trials (an unrecovered trial has no RPO).
//
//   - Percentiles are empirical (the order statistic gonum's stat.Quantile
//     with stat.Empirical picks in the sorted values, found by selection:
//     internal/order). Their 95% intervals are distribution-free:
//     order statistics x(l), x(u) with l the 2.5% and u−1 the 97.5%
//     quantile of Binomial(n, p). A bound outside the sample is null
//     (unbounded).
//
//   - Means have a Student-t 95% interval (n ≥ 2), which relies on the
//     central limit theorem: with heavy tails and few trials it is too
//     narrow.
//
//   - objectives_met is over all trials: an incident-free trial meets both
//     objectives, an unrecovered trial neither. An objective that is not
//     set is not judged (p is null); "both" judges the objectives that are
//     set. Intervals are Wilson score 95% intervals.
//
//   - KMS failures (failed KMS cryptographic calls; the JSON key is still
//     decrypt_failures), unavailable requests, availability and request
//     success are over all trials. The request success over the incident
//     window (from T0 to the recovery, or the horizon) is over incident
//     trials: unlike up time / horizon it does not depend on the horizon.
//
//   - Compare relies on common random numbers: every scenario ran with the
//     same seed, so trial i of each saw the same outage draws. Paired
//     differences use the per-trial differences against the first scenario
//     with a Student-t 95% interval; the difference in P(meet both) is the
//     mean of the per-trial differences of the 0/1 outcomes with the same
//     interval (a paired Wald interval).
//
//   - Means and their intervals come from exact sums (internal/exact), so
//     that they do not depend on the order of the trials (workers,
//     shards); they may differ from a float sum in the 16th digit.
//
// # Compact records, shards and merge
//
// A run keeps its trials as Trials: per trial a 56-byte Record (T0, RTO,
// RPO, the unavailable requests, the request success over the run and
// over the incident window, flags, an index into the rare details), 8
// bytes per store (its lost writes, and whether its RPO is the trial's)
// and 8 bytes per action or step (when it was done). What few trials have
// goes to one table of rare details, stored once per distinct entry (an up
// time the incident does not explain, a failover time other than T0+RTO,
// failed KMS calls by reason, a store's RPO in its lag's tail, the last
// error of an op, the trial's causes). What the records do not keep is
// summed while the trials run, each worker its own Sums, exactly (offered
// requests, failed KMS calls by reason and region, by key, by store; the
// ops' counts and errors). BuildTrials then reads the records in trial
// order, a metric at a time with a scratch of 8 bytes per trial
// (GOMAXPROCS metrics at once), so that a report is a pure function of
// (scenario, seed, trials) whatever the workers or shards; the
// representative trial is replayed for its detail (cmd/drsim).
//
// A partial result (WritePartial, ReadPartial; format drsim.partial/v2) is
// the Trials of a contiguous range, gzip-compressed: a header (JSON: the
// scenario's name, file and digest, the drsim build, the seed, the run's
// trial count, the range, the resolved scenario as TOML and its positions,
// the overrides), then the records, the per-store and per-op values, the
// rare details in trial order and the sums. CheckPartials checks the
// headers of a run's partials (OpenPartial reads a header alone): other
// scenarios (digest), builds, seeds and trial counts are refused, and so
// are gaps or overlaps in the ranges, each named with its file and shard.
// A Merger then decodes each partial straight into the Trials the run in
// one piece has (no copy of a partial is held), whose report is
// byte-identical to the run's; Merge does the same from decoded partials.
// ShardRange is shard i of n.
//
// Weak statistics and odd input give warnings (too few incident trials for
// a p99, unrecovered trials, no incident, objectives not set, failed
// actions, refused required steps, non-finite counts), never errors.
//
// # Operations
//
// Each action ("action N: <op> <key> <region>") and runbook step is
// summarised over trials: in how many it was done, failed (refused, or not
// done at the horizon), abandoned (in progress when the runbook stopped
// because the service came back) or not started; mean attempts, failed
// attempts by AWS error, and when it was done (from the trial start for an
// action, after T0 for a step), with a one-line story labelled as the
// representative trial's.
//
// # Findings
//
// Report.Findings holds the static findings of the scenario (by location)
// and then the dynamic findings of its trials (package findings), the
// costliest first; KMS failures are broken down by key and by store
// (Failures.ByKey, ByStore) from the trials' failed calls by class. Both
// are sums and counts over trials in trial order, never per-trial data in
// the document.
//
// # Determinism
//
// Every float in the document is rounded to 9 significant digits, maps are
// written with sorted keys and every list is in Config order, so the same
// results give byte-identical output. Strings are kept as the scenario
// gave them; the JSON escapes the control characters in them, the CSV
// header shows them as escapes (escape.Text).
//
// # Hand-written pieces
//
// Percentiles, means, Student-t and binomial quantiles come from gonum
// (stat, distuv). The Wilson score interval and the order-statistic
// interval of a percentile are a few lines each on top of them, because
// gonum has neither; so is Spearman's rank correlation (gonum's Pearson
// correlation of mid-ranks: gonum has no ranking).
//
// # Packages
//
// The document is rendered elsewhere, and nothing there re-simulates:
//
//   - report/cost: the price book and the steady-state monthly cost
//     (Report.Cost), which Build computes;
//   - report/chart: the charts (gonum/plot) of a Report or Comparison;
//   - report/render: text, Markdown and HTML, and WriteAll for a folder of
//     every format.
//
// report imports report/cost and report/internal/human (shared formatting),
// never chart or render: a consumer of the JSON document needs neither
// gonum/plot nor the HTML templates.
package report
