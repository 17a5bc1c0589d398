// Package model is the simulation core of drsim: regions and their
// outages, the application's traffic, KMS demand and throttling, S3
// replication, DynamoDB global tables, backups, the failover runbook and the
// metrics of one trial (docs/scenario-format.md, "How a trial runs", and docs/report.md, "Metrics of
// one trial").
//
// # Trials are state-change driven
//
// A trial resets the engine and the KMS model, draws every outage (three
// draws each, from the stream "outage/"+name, whether or not it happens;
// then two per phase from "outage/NAME/phase-i", i from 1, always),
// schedules its windows (an outage without phases is one window, one with
// phases one window per phase, a partition one window) and the operator
// actions ("action/N"), then runs.
// Handlers (pre-bound method values, no closure per event) only change state
// and mark the instant dirty; at the end of every dirty instant
// Runner.evaluate closes the interval since the previous evaluation by
// integrating the rates that were in force (offered, succeeded and
// unavailable requests, failed KMS calls by reason and target region, up
// time), then recomputes every rate from the new state. Requests are rates,
// never events: a trial costs O(state changes), whatever the request rates
// and the horizon.
//
// Rates. Load is split evenly over the serving regions. In region R a
// request to a store fails as unavailable if the app or the store's service
// is down in R or the store has no usable copy in R (a DynamoDB copy also
// needs its at-rest key usable: kms.Usable); otherwise it makes its KMS call
// (S3 PUT: GenerateDataKey, GET: Decrypt, with the copy's key, ×0.01 with
// bucket keys; client-side table encryption: one call per read or write),
// which succeeds or fails with the reason kms.Crypto gives, at the target
// region. S3 replication adds one call at the source and one at the
// destination per replicated object. A region's demand counts every call
// that reaches it, before throttling; the excess fraction θ = 1 −
// quota/demand of the calls that would succeed there fails with
// ThrottlingException. The service is up while succeeded/offered ≥
// objectives.success.
//
// # Format 1.1: service state, gray failures, control planes
//
// The service state is per (region, service) for the seven services (kms,
// s3, dynamodb, app, sts, route53-control, iam-control): down counts the
// windows in force at an error rate of 1, errRate the combined rate 1 −
// Π(1 − e_i) of all windows in force (1 when one is full), recomputed at
// each window start and end. A service is up (svcUp) unless down; a gray
// failure (0 < e < 1) leaves it up and fails a fraction e of its requests
// (svcErr). computeRates applies the rates independently, in the order
// app, store (for a table also KMS at rest), KMS at the call's target,
// throttling (θ on the calls that would otherwise succeed; gray-failed
// calls reach KMS and count in its demand). linkStatus turns the gray rates
// of the stores at either end (and of KMS where the keys are used) into
// the PENDING fraction f of the link's pieces; the app's rate does not
// touch replication. No event is added per request: rates change only at
// window boundaries.
//
// STS: each region depends on one STS endpoint (stsEndpoint: its own, or
// us-east-1 for an opt-in region with App.STS = STSGlobal). When that
// endpoint goes down (error rate 1) the app's credentials last a further
// uniform(0, ttl], then appErr is 1 in every region that depends on it
// until STS is back. The uniform of the k-th failure of the endpoint in
// region R is the counter-k draw of the counter-based stream ("app/sts",
// R): one per failure, shared by the regions that depend on it, and drawn
// lazily, so the expiry is scheduled only when some dependent region has
// its app up (at the failure, or when the app comes back); a region outage
// that takes the app and STS down together adds no event.
//
// Runbook attempts: a step's attempt (at the end of its duration, then
// every retry) is its needs checked in order, then its op. An attempt (a
// step's or an action's) that falls due is queued and made at the start of
// the end-of-instant evaluation (runAttempts), in the order they fell due,
// so that it sees the state after every change of its instant; a needs check
// and the op at the same instant are one attempt, with one uniform from
// ("step/NAME", "attempt") (an action: ("action/N", "attempt")). The
// uniform decides every gray failure the attempt meets, in order (type
// gray: a check with rate e fails when u < e, else u is rescaled to
// (u−e)/(1−e)), so the checks are independent. Needs: a service down fails
// with its reason (NeedReason), a gray one with probability e;
// "arc-routing-control" while fewer than ARCQuorum of the ARC regions are
// up (regionDown: every service that exists there down at 1). Ops carry the
// needs AWS implies: KMS ops are checked by package kms (reachability, gray
// failure with the same uniform, admins (G5) of Config.Principal(op), then
// state); table-replica ops need DynamoDB up in the first live replica's
// region (updateTable), bucket-rule ops S3 up in the source bucket's
// region.
//
// Retries in closed form (retryRun): between two changes of state an
// attempt fails the same way every time, so a step that fails with a
// transient error waits, with no event, until a change of state (any
// markDirty or bump moves Runner.epoch) and then makes its next attempt at
// the first retry instant at or after the change (wake; at the change's
// own instant when a retry instant falls on it, before the instant is
// judged). The failed attempts in between are counted when the run ends
// (endRun): at that attempt, when the runbook is abandoned, or at the
// horizon; the trace has one entry per run, with its count. A restore that
// finds no usable backup copy also wakes at the first retry instant after
// the next copy completes (nextCopy), which needs no change of state. With
// a gray failure in force (grayOn), the first attempt of a run is a dry run
// first (kms.Caller.Probe; the model's ops check and change nothing): it
// gives the gray checks met, with rates e_i, and how the attempt ends when
// it passes them. If that is a transient failure every attempt of the run
// fails with it and no draw is made; otherwise the run's one uniform u
// gives the number of attempts that fail in a gray failure, k = ⌊ln u /
// ln p⌋ with p = 1 − Π(1 − e_i) (geometric), and the attempt that passes is
// scheduled k retries later. Attempt j of the run sees the uniform u/p^j
// and fails at the first check whose cumulative rate exceeds it, so the
// failures per check are counted in closed form too. A trial's cost is
// independent of the retry interval (BenchmarkTrialRetry).
//
// Replica slots: a table has one slot per region that holds a replica at
// t=0 or that a create-table-replica op names; a slot is present or not,
// with its key, its creation time c, the time U its copy is usable and the
// slot it was copied from. A bucket has one destination per configured
// rule or put-bucket-replication op; its rule's epochs record the write
// times each rule covered, with its lag, and the cut of a deleted rule.
//
// # Stranded writes, exactly, without per-write events
//
// The writes accepted by a store in region X form an inhomogeneous Poisson
// process of piecewise-constant intensity w(t) (the successful write rate,
// recorded only at its change points). Each write enters replication towards
// region Y with an i.i.d. lag L of survival S. The link X→Y is described by
// pieces [d_k, e_k) during which a write arriving at Y is PENDING with
// probability f_k (a transient cause: a store or region down, a partition,
// the replication role's KMS call unavailable or throttled — f = θ —, a
// DynamoDB destination INACCESSIBLE) or FAILED with probability r_k (S3: the
// role's Decrypt at the source or Encrypt at the destination refused;
// DynamoDB: the replica left the group). A pending write re-enters at e_k
// with a fresh lag. The probability that a write entering at x is still
// missing at time T is then
//
//	M(x) = S(T−x) + Σ_k [P(L ≥ max(d_k,x)−x) − S(min(e_k,T)−x)] · c_k,
//	c_k  = r_k + f_k·M(e_k)   (M(e) = 1 for e ≥ T),
//
// over the pieces that end after x and start before T, computed backwards
// from the last piece. By Poisson thinning, the writes accepted before T0
// that are missing at T form a Poisson process of intensity w(t)·M(t), so
// their number is Poisson(Λ) with Λ = ∫_0^T0 w M dt. Every term of M is a
// survival function shifted by a constant, so each integral over a piece is
// a difference of G(y) = ∫_0^y S = E[min(L, y)] (sim.Dist.LimitedMean):
// ∫_a^b S(c−t) dt = G(c−a) − G(c−b). Λ costs O(pieces), independent of the
// write rate and of the horizon.
//
// The oldest missing write s solves ∫_0^s w M dt = E with E ~ Exp(1) (one
// uniform of the stream "store/"+name, purpose "lost"; none if E ≥ Λ): the
// cumulative is monotone and grows roughly exponentially towards T0, so it
// is solved by Newton steps on its logarithm, safeguarded by bisection, to a
// nanosecond. RPO = T0 − s, and lost = 1 + Poisson(Λ − E) by inverse CDF
// from the stream's second uniform. The writes that count are those accepted
// before T0 in regions that no longer serve at recovery, towards the
// recovery region (the failover's to if it serves, else the first serving
// region); with recovery in the regions that served at T0 there are none
// (RPO 0). A restored backup with snapshot time b in the recovery region
// makes M(t) = 1 for t > b and 0 before; a store with no copy there (or
// whose replica there was archived) makes M = 1; a replica that left the
// group keeps what reached it before (r = 1 from its leaving on). S3
// replicates one way, from
// the source bucket to each destination; DynamoDB all-to-all among its
// replicas. TestStrandedClosedForm checks counts (chi-square) and RPO
// (Kolmogorov–Smirnov) against the closed forms Poisson(λ∫_0^T0 S) and
// P(RPO ≤ t) = exp(−λ∫_t^T0 S) for exponential and lognormal lags at 10 and
// 100,000 writes/s.
//
// Format 1.1 generalises the sources. A source is the writes of one
// region accepted in a window [lo, hi) of write times, evaluated at its own
// T. The writes that count are those accepted in regions that no longer
// serve, before traffic left them (so the window ends at the recovery time;
// a region accepts nothing once it stops serving), and a store's RPO is T0
// minus its oldest missing write, 0 when that is after T0. A link piece
// may also HOLD a fraction h of the writes arriving in it (a table replica
// being copied): c_k = r_k + f_k·M(e_k) + h_k·[e_k ≥ T], still a constant
// per piece. A bucket's rule epochs give one source each (the epoch's lag,
// T = min(T, cut)); write times outside every epoch never arrive. A table
// replica created at c from slot s, usable at U, holds nothing before U;
// the writes since c come over the link (held until U); those of region x
// before c count as missing when they were missing at s at time c: the
// same construction, evaluated at T = c towards s (recursively for a
// replica copied from a copy). Under a steady start a lag-mode or snapshot
// source starts at lo = −∞ with the intensity w0 of the t=0 state (computed
// once per Runner from the state after the reset, with no outage or action
// applied) and healthy links before 0: ∫_{−∞}^b S(c−t) dt = E[(L −
// (c−b))⁺] (sim.Dist.TailMean, accurate far in the tail), so the pre-0
// count costs O(pieces) too, and is cached per source. Where nothing could
// ever reach the recovery region (no copy, no rule before 0, writes to a
// destination bucket) the missing writes of the steady history have no
// finite count: the store's RPO is sim.Forever and its lost writes
// UnboundedLost (TestSteadyStartUnboundedRPO); Detail.Backlog still counts
// only the writes since 0 there.
// solveOldest then looks below 0 when cumAll(0) exceeds E (doubling a step
// back for a bracket). TestSteadyStartClosedForm checks counts against
// Poisson(λ·E[L]) and RPO against P(RPO ≤ r) = exp(−λ·E[(L−r)⁺]) (r may
// exceed T0); TestSteadyStartInvariance that the no-RTC snowy's RPO and lost
// writes have the same distribution with the outage at 2 h and at 200 h.
//
// Detail.Backlog is the same integral with T = t and upper limit t: the
// expected number of writes accepted before t that have not reached the
// recovery region by t.
//
// # DynamoDB and backups
//
// A replica whose at-rest key is refused (kms.Usable returns a non-transient
// reason) becomes INACCESSIBLE_ENCRYPTION_CREDENTIALS: no reads or writes
// there, replication to it PENDING. An event 20 h later makes it leave the
// replication group for good (r = 1 from then on); it is cancelled if the
// key becomes usable first. A replica that left is not deleted: it is a
// single-Region table that serves what it held whenever its key is usable
// (the AWS API Reference, ReplicaDescription: "The replica will not be
// deleted and replication will stop from and to this region"); 7 days of
// inaccessibility archive it (no copy from then on). Backups cost no event per
// snapshot: a restore at t looks for the newest k with k·every + copy_k ≤
// t (k ≥ 1 under an empty start, any integer under a steady start),
// searching down from floor(t/every), where copy_k is drawn from the
// stream ("backup/"+store, k), skipping snapshots taken while the source
// store's service was down and copies that completed while the vault key
// was not usable in the backup region (its usability is recorded at its
// change points, like the links'; usable before 0). The snapshot source is
// the store's copy in the first region served at t=0.
//
// # Runbook
//
// At T0 the runbook starts a detect draw later ("failover"/"detect"); steps
// form a DAG (a step starts when every step it follows is done, or is
// optional and failed); after its duration ("step/"+name) a step issues its
// op, retries transient failures every retry and fails on a refusal. When
// every required step is done, traffic moves from Failover.From to
// Failover.To. If the service is up again first, the runbook is abandoned.
// After the move, if To cannot serve alone but From can, health-checked
// routing sends traffic back a detect draw later.
//
// # Single-draw inputs
//
// The inputs a trial draws at most once, each from a stream of its own
// (an outage's start and duration, a phase's offset and duration, detect,
// a step's duration, an action's time, a replica op's copy time), are
// listed by SingleDrawInputs; InputDraws recomputes the uniform a trial
// draws for each from its named stream, so that sensitivity analysis can
// rank inputs against outcomes without instrumenting the trial
// (TestInputDrawsAreTheModelsDraws checks them against the trace).
//
// # Cost of a trial
//
// A trial costs O(state changes): not O(requests), horizon, retries or
// snapshots. Measured on the 2-core development machine while other
// developers' builds shared it (load average 6 to 10, so wall-clock
// benchmarks were noisy): user CPU time of N trials on one core, medians
// of alternated runs of the two test binaries,
//
//	go test -c -o main.test ./model   # at main
//	go test -c -o scale.test ./model  # at this branch
//	/usr/bin/time -f %U scale.test -test.run XXX -test.bench 'SnowyTrial$' -test.benchtime 100000x -test.cpu 1
//
// BenchmarkSnowyTrial: 18.6 µs at main, 6.7 µs here (0.36×; seven runs
// each, 100,000 trials; after the rebase on main with the attribution of
// dynamic findings, 18.6 µs and 6.8 µs, 0.37×). The target was 6 µs: it
// is missed by 0.8 µs. Half of what is left is the RPO solve (about five
// Newton steps per store, each one LimitedMean and one Survival of the
// lognormal lag, ~190 ns) and the lost-writes Poisson quantile; keeping
// the solve's iterates exactly as they were (byte-identical RPOs) rules
// out a different start or method. The rest is the evaluation of about
// eight instants (rates, link status, the runbook).
//
// Ratios of one run (user CPU, medians of three to five runs of 4,000 to
// 50,000 trials), this branch:
//   - BenchmarkTrialRetry (promote-key failing for the whole outage,
//     hours): /1ms 6.4 µs, /1h 6.6 µs, ratio 0.97 (target ≤ 1.2). At main
//     /1ms cost 1.46 s a trial and /1s 1.36 ms (one event per attempt).
//   - BenchmarkTrialOutageLength (a restore retried every minute while
//     1-minute snapshots are not taken during a 6-day outage): /6d 2.2 µs,
//     0.31× snowy (target ≤ 2×); /1h 2.4 µs. At main /6d cost 184 ms
//     (9,500× snowy: every retry searched every snapshot since 0).
//   - BenchmarkTrialPartitions: /6 20 µs, /24 65 µs, /96 248 µs, 3.3,
//     2.7 and 2.6 µs per partition (linear; the sums over link pieces stop
//     once the rest cannot change them beyond rounding).
//   - BenchmarkTrialStores (n buckets and n tables): /1 5.0 µs, /4 20 µs,
//     /16 73 µs (linear). BenchmarkTrialLinks (a table in n regions): /2
//     5.0 µs, /4 7.5 µs, /8 12.5 µs. BenchmarkTrialOutages (n extra KMS
//     outages): /1 7.5 µs, /4 12.5 µs, /16 30 µs. BenchmarkTrialSteps (n
//     extra retrying steps): /0 5.0 µs, /4 7.5 µs, /16 12.5 µs.
//     BenchmarkTrialBackupInterval (1h, 1m, 1s snapshots, a restore
//     step): 7.5, 7.5 and 5.0 µs (flat). (These at 2.5 µs resolution:
//     0.01 s of user time over 4,000 trials.)
//
// A run (package report keeps compact records; cmd/drsim runs them), same
// machine, load average 7 to 15 (wall times there are mostly waiting for
// a core; user time and resident memory are the figures that hold):
//
//	/usr/bin/time -v drsim run snowy --trials 1000000 --workers 2 --quiet --format json
//
// gave:
//
//   - 10^6 snowy trials: 8.0 to 8.6 s of user CPU on 1 or 2 workers (7.35
//     µs a trial simulated and packed, 0.65 µs a trial to build the
//     report), peak resident set 147 to 156 MiB (target 150): 104 bytes of
//     records a trial, 8 bytes of percentile scratch per metric being
//     computed (two at once), the Go runtime and binary about 20 MiB. At
//     main, 2.4 s of user CPU per 100,000 trials and 175 MiB for them.
//   - 10^7 snowy trials: peak resident set 1.25 GiB (target 2 GiB), 81 s of
//     user CPU.
//   - BenchmarkMemoryPerTrial (report; peak heap growth under drsim's soft
//     memory limit): 135.7 B/trial at 10^5, 131.4 B/trial at 10^6.
//   - Wall time on 2 workers and the 2-worker speed-up could not be
//     measured on the shared machine (both runs took 16 to 23 s of wall
//     time for 8 s of CPU). What is serial in a run is ~0.15 s at 10^6
//     (selecting the representative trial, the pass of the dynamic
//     findings, the JSON); the rest runs on every worker, so the speed-up
//     on two free cores would be about 8.3/(0.15 + 8.15/2) ≈ 1.96, and the
//     wall time about 4.2 s.
//   - --out against the JSON alone at 1,000 trials: 0.30 s against 0.03 s
//     (10×; at main 0.40 s against 0.07 s): rasterising the four charts to
//     PNG (about 105 ms of CPU: drawing 60%, PNG encoding 40%) is what is
//     left, drawn concurrently when cores are free.
//
// Earlier figures (format 1.1 against 1.0) that still hold in ratio:
// BenchmarkTrialWriteRate /100000 within 1.5× /10 (the Poisson quantile
// costs O(1) above a mean of 1000 through Gauss–Legendre quadrature of the
// incomplete gamma function); BenchmarkTrialHorizon /30d within 2× /1d
// (snapshot copies are drawn lazily). TestGrayPhasesNoPerRequestEvents
// checks that a trial with gray failures and phases evaluates the same
// instants at 10 and at 100,000 writes per second.
//
// Numbers that changed with this work: none of the reports' metrics for
// the bundled and shared scenarios at 500 trials (JSON without the
// representative trial, and the per-trial CSV, byte-identical to main).
// The representative trial's trace lists a run of failed attempts as one
// entry with its count. Its backlog samples (sums of the same integrals
// in another order) may differ in the 16th significant digit. Gray
// control-plane attempts are drawn as one geometric count per run of
// retries (one uniform per run, not per attempt), which changes the
// attempts of steps that meet a gray failure, in distribution the same
// (TestRetryGrayGeometric).
//
// # Approximations
//
// Replication demand on KMS counts the writes attempted at the source
// before throttling; the burst of calls when a pending backlog drains is not
// modelled. A failed replication call is counted once per object (at its
// arrival), not per S3 retry. The backlog uses the copies in place at the
// end of the trial.
// # Attribution
//
// computeRates also says, for the rates in force, which failed KMS calls
// belong to which class (a Cause of kind CauseKMSCall or
// CauseReplicationCall: reason, key, store, caller's and target region,
// principal) and which causes of harm are at work: the requests each
// app-side cause fails while the service is down, and the replication
// causes. closeInterval integrates the classes into
// TrialResult.KMSFailuresBy and adds to TrialResult.Causes the causes that
// were decisive in a down interval (without their failed requests the
// service would have been up) and the replication causes; the end of the
// trial adds the failed ops, the slow failover and, at the recovery
// (stranded), the stale stores. Causes are packed 64-bit values, so a
// trial's set is a few words and needs no table shared between Runners.
// The outage itself is never a cause: failures of the app, a store's
// service or KMS in the region that serves or calls are the event.
package model
