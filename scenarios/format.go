package scenarios

import (
	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/model/kms"
	"github.com/drsim/drsim/sim"
)

// The keys of scenario format 1.1, one table per kind of TOML table. The
// strict decoder reads it (known: the keys allowed in each table, homeOf:
// where a misplaced key belongs) and so does Schema, which writes the JSON
// Schema of the format from it (each key's value kind, enumeration,
// default and description), so the two cannot drift apart. Tests check
// the table against the decoder's behaviour: a wrong type, a bad
// enumeration value or a missing required key at every key of the table
// is an error of both; a default written out decodes as the key left out.

// valueKind is the kind of value a key takes, as the decoder reads it.
type valueKind int

const (
	vString           valueKind = iota // any string
	vLine                              // a string without line breaks
	vNonEmpty                          // a string with a character other than white space
	vName                              // a name: [a-z0-9][a-z0-9-]*
	vAccount                           // a 12-digit AWS account ID
	vEnum                              // one of field.enum
	vRegion                            // an AWS Region code
	vDuration                          // a duration string ("90s")
	vDist                              // a duration or a distribution string ("uniform(5m, 15m)")
	vRate                              // a number per second or a rate string ("20/s")
	vSize                              // a number of bytes or a size string ("256KiB")
	vInteger                           // an integer
	vNumber                            // a finite number
	vBool                              // true or false
	vRegions                           // an array of distinct AWS Region codes
	vPrincipals                        // an array of principals (vNonEmpty)
	vNames                             // an array of distinct names
	vServices                          // an array of distinct services (field.enum)
	vNeeds                             // an array of distinct needs ("SERVICE@REGION", "arc-routing-control")
	vTable                             // a table of the section field.sub
	vTables                            // an array of tables of the section field.sub
	vNamed                             // a table from a name to a table of field.sub
	vRegionTables                      // a table from an AWS Region code to a table of field.sub
	vRegionPrincipals                  // a table from an AWS Region code to an array of principals
	vRegionNames                       // a table from an AWS Region code to a name
	vCostItems                         // a table from any name to a number (USD per month)
	vPrices                            // a table from a price id (priceIDs) to a number (USD)
)

// bound is an inclusive or exclusive bound of a number.
type bound struct {
	v         float64
	exclusive bool
}

// field is one key of a section.
type field struct {
	key  string
	kind valueKind
	doc  string   // what the key means, in one or two sentences
	enum []string // vEnum, vServices: the values allowed
	sub  *section // vTable, vTables, vNamed, vRegionTables: the table's keys
	// def is the default as written in a scenario (int, float64, string,
	// bool or []string); nil when the key has none, or one that depends on
	// other keys (said in doc).
	def any
	// min and max bound a number (vInteger, vNumber, and the number form
	// of vRate and vSize); nil when unbounded.
	min, max *bound
	// minItems and maxItems bound an array (0: unbounded).
	minItems, maxItems int
	// required marks a key of an array-of-tables entry that the decoder
	// requires whatever the other keys say. Keys of tables are never
	// required in the schema: a file may get them from its extends base.
	required bool
}

// section is a kind of TOML table of the format and the keys it allows.
type section struct {
	id     string // the table's name in the schema's descriptions ("step")
	where  string // where the table is written, for hints: "in [app]"
	doc    string // what the table is
	fields []field
	keys   []string // the fields' keys, in order: the keys allowed here
	// ignore lists keys accepted and ignored, and not offered in hints:
	// the top level's $schema, which editors read.
	ignore []string
	// exactlyOne lists two keys of which a table must have exactly one (an
	// outage's duration or its phases, an array of tables): the schema
	// requires the first unless the second is given and refuses the first
	// beside the second, as the decoder does.
	exactlyOne []string
}

// newSection builds a section from its fields.
func newSection(id, where, doc string, fields ...field) *section {
	s := &section{id: id, where: where, doc: doc, fields: fields}
	for _, f := range fields {
		s.keys = append(s.keys, f.key)
	}
	return s
}

// withExactlyOne sets the keys of which s's tables have exactly one.
func (s *section) withExactlyOne(keys ...string) *section {
	s.exactlyOne = keys
	return s
}

// field returns the field of key k, or nil.
func (s *section) field(k string) *field {
	for i := range s.fields {
		if s.fields[i].key == k {
			return &s.fields[i]
		}
	}
	return nil
}

// opArg returns the field of the op argument k.
func opArg(k string) field {
	for _, f := range opArgs {
		if f.key == k {
			return f
		}
	}
	panic("scenarios: no op argument " + k)
}

func atLeast(v float64) *bound { return &bound{v: v} }
func above(v float64) *bound   { return &bound{v: v, exclusive: true} }
func atMost(v float64) *bound  { return &bound{v: v} }
func dur(t sim.Time) string    { return sim.FormatDuration(t) }

// schemaKey is the top-level key that names a file's JSON Schema for
// editors (taplo reads it, as a URL); the decoder accepts a string there
// and ignores it.
const schemaKey = "$schema"

// outageKinds are the spellings of an outage's kind.
var outageKinds = []string{"region", "partition"}

// The sections of scenario format 1.1.
var (
	secObjectives = newSection("objectives", "in [objectives]",
		"What the setup must achieve. An objective left out is not judged.",
		field{key: "rto", kind: vDuration, doc: "Recovery time objective: the longest acceptable outage of the service."},
		field{key: "rpo", kind: vDuration, doc: "Recovery point objective: the oldest acceptable lost write, measured back from the moment the service went down."},
		field{key: "success", kind: vNumber, def: DefaultSuccess, min: above(0), max: atMost(1),
			doc: "The service counts as up while at least this fraction of its requests succeeds, in (0, 1]."},
	)
	secRegion = newSection("region", "in [regions.NAME]",
		"A region the scenario uses, named by its AWS Region code. Every region named anywhere must be declared.",
		field{key: "kms_rps", kind: vRate, min: above(0),
			doc: "The shared quota of symmetric KMS requests per second, per account, in the region (a rate: 2000, \"2000/s\", \"120k/min\"). Default: AWS's quota for the region (100,000, 20,000 or 10,000)."},
	)
	secKey = newSection("key", "in [keys.NAME]",
		"A KMS key: a multi-Region key (a primary copy and replicas sharing key material) or a single-Region key (one copy).",
		field{key: "multi_region", kind: vBool, def: false, doc: "true for a multi-Region key."},
		field{key: "primary", kind: vRegion, doc: "Multi-Region keys: the primary copy's region (required)."},
		field{key: "replicas", kind: vRegions, def: []string{}, doc: "Multi-Region keys: the regions holding an Enabled replica at t=0; not the primary's region."},
		field{key: "region", kind: vRegion, doc: "Single-Region keys: the only copy's region (required)."},
		field{key: "users", kind: vPrincipals, def: []string{}, doc: "The principals the key policy allows to use the key for cryptography; \"*\" is anyone."},
		field{key: "users_in", kind: vRegionPrincipals, doc: "A table from region to principals: that copy's own key policy, replacing users there."},
		field{key: "rotation", kind: vDuration, doc: "Automatic rotation period, 90d to 2560d; off when left out."},
		field{key: "admins", kind: vPrincipals, def: []string{kms.Wildcard},
			doc: "Format 1.1. The principals allowed control-plane operations on every copy; \"*\" is anyone, [] nobody."},
		field{key: "admins_in", kind: vRegionPrincipals, doc: "Format 1.1. A table from region to principals: that copy's own admins, replacing admins there."},
	)
	secApp = newSection("app", "in [app]",
		"The application: who it is and where it serves. Its traffic is the reads and writes of the buckets and tables.",
		field{key: "principal", kind: vNonEmpty, doc: "The identity the application uses for KMS and the stores (required)."},
		field{key: "serve", kind: vRegions, minItems: 1, doc: "The regions serving traffic at t=0 (required); two or more is active/active."},
		field{key: "sts", kind: vEnum, enum: model.STSNames[:], def: model.STSNames[model.STSRegional],
			doc: "Format 1.1. Where the app gets credentials: its region's STS endpoint (regional) or the global endpoint (global)."},
		field{key: "credentials_ttl", kind: vDuration, def: dur(model.DefaultCredentialsTTL),
			doc: "Format 1.1. How long cached credentials outlive a failure of the app's STS endpoint, at most (positive)."},
	)
	secReplication = newSection("replication", "in [[buckets.NAME.replication]]",
		"An S3 replication rule of the bucket: one per destination region.",
		field{key: "to", kind: vRegion, required: true, doc: "The destination region; not the source bucket's region."},
		field{key: "key", kind: vName, required: true, doc: "The key that encrypts the replicas (S3's ReplicaKmsKeyID); it must have a copy usable in to."},
		field{key: "role", kind: vNonEmpty, def: DefaultRole, doc: "The principal S3 replication uses: it needs Decrypt on the source key and Encrypt on the replica key."},
		field{key: "rtc", kind: vBool, def: false, doc: "S3 Replication Time Control."},
		field{key: "lag", kind: vDist, doc: "The replication lag of one object. Default: lognormal(median=6s, p99=90s) with rtc, lognormal(median=30s, p99=30m) without."},
	)
	secBackup = newSection("backup", "in [buckets.NAME.backup] or [tables.NAME.backup]",
		"Periodic backups of the store, copied to another region. to, every, copy and key are required.",
		field{key: "to", kind: vRegion, doc: "The region of the backup vault."},
		field{key: "every", kind: vDuration, doc: "The snapshot interval (positive)."},
		field{key: "copy", kind: vDist, doc: "Time from a snapshot until its copy is usable in to."},
		field{key: "key", kind: vName, doc: "The key of the backup vault in to; a copy becomes usable only if the key works there then."},
	)
	secBucket = newSection("bucket", "in [buckets.NAME]",
		"An S3 bucket encrypted with SSE-KMS, written and read by the app. region and key are required.",
		field{key: "region", kind: vRegion, doc: "The source bucket's region."},
		field{key: "key", kind: vName, doc: "The key that encrypts the source bucket."},
		field{key: "bucket_key", kind: vBool, def: false, doc: "S3 Bucket Keys: about 1 in 100 requests calls KMS."},
		field{key: "object_size", kind: vSize, def: DefaultObjectSize, min: above(0), doc: "The size of each object, for transfer and storage cost (bytes, or \"256KiB\")."},
		field{key: "writes", kind: vRate, def: 0, min: atLeast(0), doc: "PUTs per second, all regions together (a rate: 20, \"20/s\", \"1200/min\")."},
		field{key: "reads", kind: vRate, def: 0, min: atLeast(0), doc: "GETs per second, all regions together (a rate)."},
		field{key: "replication", kind: vTables, sub: secReplication, doc: "The bucket's replication rules, one per destination region."},
		field{key: "backup", kind: vTable, sub: secBackup, doc: "Periodic backups of the bucket."},
	)
	secTable = newSection("table", "in [tables.NAME]",
		"A DynamoDB global table: one replica per listed region, encrypted at rest. regions and one of key or keys_in are required.",
		field{key: "regions", kind: vRegions, minItems: 1, doc: "The regions holding a replica (one region is a plain table)."},
		field{key: "key", kind: vName, doc: "The at-rest key of every replica; not with keys_in."},
		field{key: "keys_in", kind: vRegionNames, doc: "A table from region to key: one at-rest key per replica, covering every region of the table; not with key."},
		field{key: "item_size", kind: vSize, def: DefaultItemSize, min: above(0), doc: "The size of one item; replicated writes are billed per started KiB (bytes, or \"1KiB\")."},
		field{key: "writes", kind: vRate, def: 0, min: atLeast(0), doc: "Writes per second (a rate)."},
		field{key: "reads", kind: vRate, def: 0, min: atLeast(0), doc: "Reads per second (a rate)."},
		field{key: "lag", kind: vDist, doc: "The replication lag of one write between replicas. Default: lognormal(median=700ms, p99=2.5s)."},
		field{key: "client_key", kind: vName, doc: "Items are encrypted client-side with this key: one KMS call per read and per write."},
		field{key: "backup", kind: vTable, sub: secBackup, doc: "Periodic backups of the table."},
	)
	secPhase = newSection("phase", "in [[outages.phases]]",
		"Format 1.1. One phase of an event: its services fail over its own window, from the event's start.",
		field{key: "services", kind: vServices, enum: serviceNames[:], minItems: 1, doc: "What fails in the phase; every service of the region when left out."},
		field{key: "offset", kind: vDist, def: "0s", doc: "When the phase begins, from the event's start."},
		field{key: "duration", kind: vDist, required: true, doc: "How long the phase lasts."},
		field{key: "error_rate", kind: vNumber, def: 1.0, min: above(0), max: atMost(1), doc: "The fraction of requests to the services that fail, in (0, 1]; below 1 a gray failure."},
	)
	secOutage = newSection("outage", "in [[outages]]",
		"Something that may go wrong in a trial: a region outage (services fail in one region) or a partition (the link between two regions is cut).",
		field{key: "name", kind: vString, doc: "Free text shown in reports; it names the outage's random stream, so names are distinct. Default: outage-N, N its position from 1."},
		field{key: "kind", kind: vEnum, enum: outageKinds, def: outageKinds[0], doc: "region (services fail in one region) or partition (two regions are cut apart)."},
		field{key: "region", kind: vRegion, doc: "The region that fails (required for a region outage)."},
		field{key: "services", kind: vServices, enum: serviceNames[:], minItems: 1,
			doc: "What fails; every service of the region when left out. route53-control and iam-control exist only in us-east-1. Not for a partition, nor with phases."},
		field{key: "regions", kind: vRegions, doc: "The two regions a partition separates (required for a partition)."},
		field{key: "start", kind: vDist, required: true, doc: "When it begins, from the start of the trial."},
		field{key: "duration", kind: vDist, doc: "How long it lasts (required, but not with phases); profile(aws-regional) is the usual choice for a regional event."},
		field{key: "probability", kind: vNumber, def: 1.0, min: atLeast(0), max: atMost(1), doc: "The chance it happens at all in a trial, in [0, 1]."},
		field{key: "error_rate", kind: vNumber, def: 1.0, min: above(0), max: atMost(1),
			doc: "Format 1.1. The fraction of requests to the services that fail, in (0, 1]; below 1 a gray failure. Not for a partition, nor with phases."},
		field{key: "phases", kind: vTables, sub: secPhase, doc: "Format 1.1. An event in phases; the outage then has no services, duration or error_rate of its own."},
	).withExactlyOne("duration", "phases")
	// opArgs are the keys of an op's arguments, in steps and actions (in
	// the order of opKeys). They are documented once here; opSpecs says
	// which op uses which.
	opArgs = []field{
		{key: "key", kind: vName, doc: "The op's key: the key acted on, or the replica key of put-bucket-replication or create-table-replica."},
		{key: "region", kind: vRegion, doc: "The op's region: the copy acted on, or the region of the replica created or deleted."},
		{key: "store", kind: vName, doc: "The op's bucket or table (restore-backup, the table-replica and bucket-rule ops)."},
		{key: "window", kind: vDuration, doc: "schedule-key-deletion: the waiting period, 7d to 30d (default 30d)."},
		{key: "users", kind: vPrincipals, doc: "The principals of the new key policy (put-key-policy; replicate-key: default the key's users)."},
		{key: "to", kind: vRegion, doc: "Format 1.1. The bucket-rule ops' destination region."},
		{key: "rtc", kind: vBool, doc: "Format 1.1. put-bucket-replication: S3 Replication Time Control (default false)."},
		{key: "copy", kind: vDist, doc: "Format 1.1. create-table-replica: the initial copy's time (default uniform(10m, 1h))."},
	}
	secStep = newSection("step", "in [[failover.steps]]",
		"A runbook step: it starts when the steps in after are done, takes its duration, then issues its op (if any) until it succeeds.",
		field{key: "name", kind: vName, required: true, doc: "The step's name, unique within the runbook."},
		field{key: "after", kind: vNames, def: []string{}, doc: "The steps that must be done first."},
		field{key: "op", kind: vEnum, enum: model.OpNames[1:], doc: "An operation issued when the duration is over; the step is done when it succeeds."},
		opArg("key"), opArg("region"), opArg("store"), opArg("window"), opArg("users"),
		field{key: "duration", kind: vDist, def: "0s", doc: "How long the step takes before its op is issued."},
		field{key: "required", kind: vBool, def: true, doc: "false: an optional step, which never holds the failover back."},
		field{key: "retry", kind: vDuration, def: dur(DefaultRetry), doc: "While the op or a need fails for a transient reason, the step tries again every retry (positive)."},
		field{key: "needs", kind: vNeeds, def: []string{}, doc: "Format 1.1. What the step cannot finish without: SERVICE@REGION entries, or arc-routing-control."},
		field{key: "principal", kind: vNonEmpty, doc: "Format 1.1. Who makes the step's op; default failover.operator."},
		opArg("to"), opArg("rtc"), opArg("copy"),
	)
	secFailover = newSection("failover", "in [failover]",
		"The runbook: what the operators do once the service is down. from, to and detect are required.",
		field{key: "from", kind: vRegion, doc: "The region traffic leaves."},
		field{key: "to", kind: vRegion, doc: "The region traffic moves to; not from."},
		field{key: "detect", kind: vDist, doc: "Time from the service going down to the runbook starting."},
		field{key: "steps", kind: vTables, sub: secStep, doc: "The runbook's steps, a graph through their after."},
		field{key: "operator", kind: vNonEmpty, def: model.DefaultOperator, doc: "Format 1.1. The principal of every step's and action's op that names none."},
	)
	secAction = newSection("action", "in [[actions]]",
		"An operator action on the timeline, attempted once at its time.",
		field{key: "at", kind: vDist, required: true, doc: "When the action happens."},
		field{key: "op", kind: vEnum, enum: model.OpNames[1:], required: true, doc: "The operation."},
		opArg("key"), opArg("region"), opArg("store"), opArg("window"), opArg("users"),
		field{key: "principal", kind: vNonEmpty, doc: "Format 1.1. Who makes the op; default failover.operator."},
		opArg("to"), opArg("rtc"), opArg("copy"),
	)
	secCosts = newSection("costs", "in [costs]",
		"Costs drsim cannot derive.",
		field{key: "monthly", kind: vCostItems, doc: "Fixed monthly costs in USD by name (standby compute, health checks, licences), added to the computed ones."},
	)
	secARC = newSection("arc", "in [arc]",
		"Format 1.1. The Route 53 ARC cluster that routing-control steps use.",
		field{key: "regions", kind: vRegions, def: model.DefaultARCRegions, minItems: 5, maxItems: 5,
			doc: "Exactly five distinct AWS Region codes: the cluster's endpoints; routing control works while three are up."},
	)
	secTop = func() *section {
		s := newSection("scenario", "at the top of the file, before any [table]",
			"A drsim scenario (format 1.1): one setup and one kind of disaster. Reference: docs/scenario-format.md.",
			field{key: "name", kind: vName, doc: "The scenario's name (required; not inherited through extends)."},
			field{key: "description", kind: vLine, def: "", doc: "One line, shown by drsim list and in reports."},
			field{key: "horizon", kind: vDuration, doc: "Simulated time per trial (required, positive); a service not back by then is unrecovered."},
			field{key: "trials", kind: vInteger, def: DefaultTrials, min: atLeast(1), doc: "The number of trials; --trials wins."},
			field{key: "seed", kind: vInteger, def: DefaultSeed, min: atLeast(0), doc: "The random seed; --seed wins. The same seed gives the same report."},
			field{key: "account", kind: vAccount, def: DefaultAccount, doc: "The 12-digit AWS account ID, used in key ARNs."},
			field{key: "extends", kind: vNonEmpty, doc: "A base scenario this file is laid over: a path relative to this file, or a bundled scenario's name."},
			field{key: "start", kind: vEnum, enum: model.StartNames[:], def: model.StartNames[model.StartSteady],
				doc: "Format 1.1. What exists at t=0: steady (the system has been running long before 0) or empty (the 1.0 behaviour)."},
			field{key: "objectives", kind: vTable, sub: secObjectives, doc: secObjectives.doc},
			field{key: "regions", kind: vRegionTables, sub: secRegion, doc: "The regions the scenario uses, one table per AWS Region code (required)."},
			field{key: "keys", kind: vNamed, sub: secKey, doc: "The KMS keys, one table per key name."},
			field{key: "app", kind: vTable, sub: secApp, doc: secApp.doc + " Required."},
			field{key: "buckets", kind: vNamed, sub: secBucket, doc: "The S3 buckets, one table per bucket name (buckets and tables share one namespace)."},
			field{key: "tables", kind: vNamed, sub: secTable, doc: "The DynamoDB tables, one table per table name."},
			field{key: "outages", kind: vTables, sub: secOutage, doc: "What may go wrong in a trial."},
			field{key: "failover", kind: vTable, sub: secFailover, doc: secFailover.doc},
			field{key: "actions", kind: vTables, sub: secAction, doc: "Operator actions on the timeline, each attempted once."},
			field{key: "costs", kind: vTable, sub: secCosts, doc: secCosts.doc},
			field{key: "prices", kind: vPrices, doc: "Overrides of the built-in price book by price id, in USD."},
			field{key: "arc", kind: vTable, sub: secARC, doc: secARC.doc},
		)
		s.ignore = []string{schemaKey}
		return s
	}()
	// sections are the sections whose keys homeOf names.
	sections = []*section{secTop, secObjectives, secRegion, secKey, secApp, secBucket, secReplication, secBackup,
		secTable, secOutage, secPhase, secFailover, secStep, secAction, secCosts, secARC}
)
