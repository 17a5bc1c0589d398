// Package findings explains what is wrong with a setup, where, and why,
// the way a linter does (docs/findings.md). A Finding has a stable id
// ("DR104"), a severity (error, warning, info), the file:line:col of the
// value at fault, a one-line message naming the keys, stores, regions and
// principals concerned, the AWS rule it rests on (an id of
// docs/aws-behaviour.md: K1..K13, S1..S4, D1..D4, G1..G8, or an AWS
// documentation page) and a fix.
//
// Static findings come from the scenario alone, before any trial: Static
// returns the setups that AWS accepts, or that drsim loads, but that cannot
// work as intended (a replica key without a copy in its region, a
// replication role missing from a key policy, a single-Region key reached
// from another region after the failover, a failover target without the
// data, a required step that needs the failed region, a KMS quota below the
// demand after the failover, ...). The rules about copies read the scenario
// as it is once its actions and steps have run (copies.go: the replicas and
// rules that format 1.1 ops create or delete, the key copies replicate-key
// makes); the rules about the failed region are errors only when an outage
// of the scenario can take the needed service down at an error rate of 1
// (failedRegionSeverity). Fix texts are computed from what the scenario
// already has (fixes.go). Rules lists every kind with its metadata
// (id, name, descriptions, help, documentation link); docs/findings.md
// documents each one with an example and the fix.
//
// Dynamic findings come from the trials of a run. Each trial records the
// causes of harm it observed as model.Cause values (a key unreachable from
// the region that serves, a refused KMS call, throttling, replication
// calls that fail, a store without a usable copy where it is served, STS in
// another region, an op that holds the failover back or is refused, a slow
// failover, a stale store); Tally aggregates them, streaming, in trial
// order, into one Finding per cause (kinds DR501..DR509) with an Effect:
// the trials with the cause and their share, the share of those that miss
// the objectives, the unrecovered ones, the mean RTO, RPO and lost writes
// of the recovered ones, the representative trial (the first with the
// cause that misses the objectives, for drsim trace --trial) and
// MissBothOfAll, what removing the cause could add to P(meet both), by
// which they are ordered; a cause that is not decisive by itself (the
// failure of an action or of an optional step) has MissBothOfAll 0. A slow
// failover whose longest part is a step that spent longer waiting than in
// its duration blames the need or op it waited for
// (model.SlowFailoverWaitCause) and confirms the step's DR301, DR302 or
// DR303. FixFirst picks the report's "What to fix first";
// Link records which static findings a dynamic one confirms (a kind of its
// Rule.Confirms, with the same subjects).
//
// Locations come from a model.Locator (scenarios.ResolveLocated returns
// one), so that this package imports only model (model/kms for the principal
// wildcard "*", which admits anyone) and sim. A value left at
// its default points at its table header; with extends, at the file the
// value was written in.
//
// The KMS demand behind the quota findings is model.Demand, the function
// the monthly cost is billed on, applied to the regions that serve after
// the failover. Everything here is plain code over the Config: no library
// does these checks.
//
// The SARIF 2.1.0 log of WriteSARIF is built with the object model of
// github.com/owenrumney/go-sarif (v3, package v210/sarif), a maintained
// SARIF library, rather than hand-written structs: it writes the SARIF
// defaults of every object it makes (index -1, empty arrays), which the
// schema test in cmd/drsim accepts. Its module brings in
// github.com/xeipuuv/gojsonschema (for its Validate, which drsim does not
// call; the tests validate with the vendored schema instead). A SARIF
// result never names a file that is not on disk (SARIFOptions.IsArtifact):
// a finding about a --set argument or a bundled scenario is attached to the
// linted file, its message naming the origin, or has only its logical
// location. Figures are written with internal/human, as the report writes
// them.
package findings
