// Package scenarios reads drsim scenario files (TOML, format 1.1, described in
// docs/scenario-format.md; every 1.0 file is a 1.1 file) and turns them into
// a validated *model.Config: every default filled in (admins ["*"], an error
// rate of 1, credentials_ttl 1h, ...), every reference to a region, key,
// store or step resolved to an index, and named things sorted by name.
//
// Loading is strict. Unknown keys, wrong types and semantic mistakes (an
// undeclared region, a replica in the primary's region, a cycle among
// runbook steps, ...) are all errors, and all errors of a file are returned
// together as an ErrorList, each with the file, line and column where the
// offending value was written, its key path and, where a near name exists,
// a did-you-mean:
//
//	scenarios: snowy.toml:14:3: keys.alerts.replicas: "us-west-9" is not a declared region (did you mean "us-west-2"?)
//
// A scenario may extend another (extends = "_base.toml" or a bundled name):
// the base is read first, then the file on top; tables merge deeply, other
// values (arrays of tables included) replace the base's whole, and name and
// description are not inherited. Only the merged result is validated; errors
// name the file each value came from. BurntSushi/toml keeps key positions
// private, so the package keeps its own position index (posindex.go) built
// by a lenient scan of the raw text.
//
// extends is confined (extends.go): it reads regular files under the
// folder of the scenario loaded, or under the root given with WithRoot
// (the CLI's --root), and refuses paths that leave it, symbolic links
// included, and devices, named pipes and folders. A base must be a drsim
// scenario (its own name, and a horizon or an extends); errors never quote
// a file that is not one.
//
// Every input is bounded (limits.go, docs/limits.md): the size, nesting,
// array items and keys of a file's text are checked by a linear scan before
// BurntSushi/toml decodes it (limitscan.go: the decoder's cost grows with
// the square of the nesting, and no TOML library reports these counts
// before doing that work), and rates, trials, horizon, retry and backup
// intervals, sizes, prices and costs after. A value beyond a limit is an
// Error naming the limit and why it exists.
//
// Overrides (Override, from drsim's --set PATH=VALUE and sweep --vary) are
// applied to the merged tree after extends and before validation, so that
// a scenario with overrides is checked exactly as the file it stands for
// would be; an override's errors are positioned on its argument
// ("scenarios: --set #2:17: failover.detect: ..."). Open returns a
// Resolved: the Config, its Locator, and the resolved tree, which
// Resolved.TOML serializes as one self-contained TOML document that loads
// to the same Config (what a shard embeds); Resolved.With applies more
// overrides to a copy (the points of a sweep).
//
// The keys of every table, with their value kinds, enumerations, bounds,
// defaults and descriptions, are one table (format.go) that the decoder
// reads for its strict key check and Schema reads to write the JSON Schema
// of the format (draft-07, shipped as schema/drsim-scenario.schema.json for
// editors; 'go generate ./scenarios' rewrites it, a test fails when it is
// out of date). Tests hold the two together key by key: a wrong type, an
// unknown enumeration value, a missing required key and every error
// fixture's structural mistake are refused by both, and the schema's
// patterns accept what the value parsers accept. The schema is written by
// hand-built code rather than reflected from Go types because the format's
// values are mini-languages, not Go types. A top-level "$schema" string
// (the schema URL taplo reads) is accepted and ignored.
//
// The value mini-languages have their own parsers: ParseDuration ("90s",
// "1h30m", "365d"), ParseDist ("uniform(5m, 15m)", "normal(mean=4m, sd=1m)",
// "lognormal(median=8s, p99=2m)", "exponential(mean=20s)",
// "triangular(2m, 5m, 20m)", "weibull(shape=1.5, scale=10m)",
// "empirical(p50=1m, p90=5m, p99=30m)", a named outage profile
// "profile(aws-regional)" (sim.ProfileDist) or a constant duration),
// ParseRate ("20/s", "1200/min", "2M/day" or a number per second) and
// ParseSize ("256KiB", "2KB" or a number of bytes).
//
// The bundled scenarios (*.toml, strategies/*.toml and control-planes/*.toml
// in this directory) are embedded; a bundled scenario is named by its file
// stem (so stems must be unique across the folders: the control-planes base
// is _control-planes.toml, not a second _base.toml), and files whose stem
// starts with "_" are bases for extends, loadable but not listed by
// Bundled. Resolve takes a command-line argument: a path if a file exists
// there (or it ends in ".toml"), else a bundled name.
//
// ResolveLocated and ParseLocated also return a model.Locator over the
// position index, so that code explaining a Config (package findings)
// can point at the file:line:col where a value was written, in the file of
// the extends chain that wrote it; a value left at its default points at
// its table header.
package scenarios
