// Package findings explains what is wrong with a setup, where, and why,
// the way a linter does (DESIGN.md "Findings"). A Finding has a stable id
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
// demand after the failover, ...). Rules lists every kind with its metadata
// (id, name, descriptions, help, documentation link); docs/findings.md
// documents each one with an example and the fix. Dynamic findings, computed
// from the trials, use the same Finding type with an Effect (the share of
// trials, the effect on RTO, RPO and lost writes, the representative trial).
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
package findings
