package model

import (
	"github.com/drsim/drsim/model/kms"
	"github.com/drsim/drsim/sim"
)

// Config is a validated scenario, ready to simulate. It is produced by package
// scenarios; every reference in it is resolved to an index and every default is
// filled in. Slices of named things are sorted by name unless said otherwise,
// so that iteration order never depends on a Go map.
type Config struct {
	Name        string
	Description string
	// File is the path or bundled name the scenario was loaded from.
	File    string
	Horizon sim.Time
	Trials  int
	Seed    uint64
	Account string

	Objectives Objectives
	Regions    []Region // sorted by name; a region is referred to by its index
	Keys       []Key    // sorted by name
	App        App
	Buckets    []Bucket // sorted by name
	Tables     []Table  // sorted by name
	Outages    []Outage // file order
	Failover   *Failover
	Actions    []Action   // file order
	Costs      []CostItem // [costs.monthly], sorted by name
	// Prices overrides price book entries by id ([prices]). Only looked up,
	// never iterated for results.
	Prices map[string]float64

	// Start says what exists at t=0 (format 1.1 start): StartSteady, the
	// default, or StartEmpty (the 1.0 behaviour).
	Start StartMode
	// ARCRegions names the five regions of the ARC routing-control cluster
	// ([arc] regions); nil means DefaultARCRegions. They need not be
	// declared in Regions: an undeclared one is never down.
	ARCRegions []string
}

// StartMode says what exists at t=0.
type StartMode uint8

// Start modes (DESIGN "Steady start").
const (
	// StartSteady: the system has run forever at its t=0 rates before 0
	// (writes before 0 exist and may still be in flight; backups were taken
	// on schedule before 0), with no outage or action applied and every
	// link healthy. The default.
	StartSteady StartMode = iota
	// StartEmpty: nothing exists before t=0 (format 1.0).
	StartEmpty
)

// StartNames are the scenario spellings of the start modes.
var StartNames = [...]string{StartSteady: "steady", StartEmpty: "empty"}

func (m StartMode) String() string {
	if int(m) < len(StartNames) {
		return StartNames[m]
	}
	return "start(?)"
}

// DefaultARCRegions are the regions of the ARC cluster when [arc] does not
// say: us-east-1, us-west-2, eu-west-1, ap-northeast-1, ap-southeast-2.
var DefaultARCRegions = []string{"us-east-1", "us-west-2", "eu-west-1", "ap-northeast-1", "ap-southeast-2"}

// ARCQuorum is the number of the ARC cluster's five regions that must be up
// for "arc-routing-control" to be available (docs/aws-behaviour.md G4: a majority; an
// assumption).
const ARCQuorum = 3

// Objectives are what the scenario is judged against.
type Objectives struct {
	RTO, RPO       sim.Time
	HasRTO, HasRPO bool
	// Success is the fraction of requests that must succeed for the service
	// to count as up (default 0.99).
	Success float64
}

// Region is a declared AWS region.
type Region struct {
	Name string
	// KMSRPS is the shared symmetric KMS request quota (calls per second):
	// kms_rps if given, else the AWS default for the region (docs/aws-behaviour.md K13).
	KMSRPS float64
}

// Key is a KMS key (see kms.Key).
type Key = kms.Key

// RegionUsers is a per-region key policy.
type RegionUsers = kms.RegionUsers

// App is the application that serves traffic.
type App struct {
	Principal string
	Serve     []int // regions serving at t=0, sorted
	// STS is where the app gets its credentials (docs/aws-behaviour.md G3).
	STS STSEndpoint
	// CredentialsTTL is how long cached credentials outlive an STS
	// failure at most: they last a further uniform(0, CredentialsTTL]. 0
	// means the default, 1h.
	CredentialsTTL sim.Time
}

// STSEndpoint is the STS endpoint the app uses (app.sts).
type STSEndpoint uint8

// STS endpoints (docs/aws-behaviour.md G3).
const (
	// STSRegional: each serving region's own STS endpoint. The default.
	STSRegional STSEndpoint = iota
	// STSGlobal: the legacy global endpoint, served in us-east-1 for calls
	// from opt-in regions and in the caller's region otherwise.
	STSGlobal
)

// STSNames are the scenario spellings of the STS endpoints.
var STSNames = [...]string{STSRegional: "regional", STSGlobal: "global"}

func (e STSEndpoint) String() string {
	if int(e) < len(STSNames) {
		return STSNames[e]
	}
	return "sts(?)"
}

// DefaultCredentialsTTL is the default app.credentials_ttl (docs/aws-behaviour.md G3:
// role session credentials last 1 h by default).
const DefaultCredentialsTTL = sim.Hour

// Services is a set of regional services an outage takes down.
type Services uint8

// The services an outage can take down. SvcSTS is the region's STS
// endpoint; SvcRoute53Control and SvcIAMControl are the control planes of
// Route 53 and IAM, which exist only in us-east-1 (docs/aws-behaviour.md G1, G2).
const (
	SvcKMS Services = 1 << iota
	SvcS3
	SvcDynamoDB
	SvcApp
	SvcSTS
	SvcRoute53Control
	SvcIAMControl
	// SvcAll is what an outage without services takes down: every service
	// of its region.
	SvcAll = SvcKMS | SvcS3 | SvcDynamoDB | SvcApp | SvcSTS | SvcRoute53Control | SvcIAMControl
	// SvcGlobalControl are the services that exist only in us-east-1.
	SvcGlobalControl = SvcRoute53Control | SvcIAMControl
)

// ServiceNames are the scenario spellings of the services, in bit order:
// ServiceNames[i] is Services(1) << i.
var ServiceNames = [...]string{"kms", "s3", "dynamodb", "app", "sts", "route53-control", "iam-control"}

// ControlPlaneRegion is the only region where SvcGlobalControl exist.
const ControlPlaneRegion = "us-east-1"

// String lists the services, comma-separated, in bit order.
func (s Services) String() string {
	var b []byte
	for i, n := range ServiceNames {
		if s&(1<<i) != 0 {
			if len(b) > 0 {
				b = append(b, ',')
			}
			b = append(b, n...)
		}
	}
	return string(b)
}

// Bucket is an S3 source bucket with SSE-KMS and its replication rules.
type Bucket struct {
	Name        string
	Region      int
	Key         int
	BucketKey   bool
	ObjectSize  int64         // bytes
	Writes      float64       // PUTs per second, app total
	Reads       float64       // GETs per second, app total
	Replication []Replication // file order
	Backup      *Backup
}

// Replication is one S3 replication rule; the destination bucket is implied.
type Replication struct {
	To   int
	Key  int // ReplicaKmsKeyID
	Role string
	RTC  bool
	// Lag is the configured lag or the built-in default for RTC on/off.
	Lag        sim.Dist
	LagDefault bool
}

// Table is a DynamoDB global table.
type Table struct {
	Name    string
	Regions []int // replica regions, sorted
	// Keys holds the at-rest key of the replica in Regions[i].
	Keys       []int
	ItemSize   int64
	Writes     float64
	Reads      float64
	Lag        sim.Dist
	LagDefault bool
	// ClientKey is the key used for client-side encryption, or -1.
	ClientKey int
	Backup    *Backup
}

// Backup is a periodic backup copied to another region.
type Backup struct {
	To    int
	Every sim.Time
	Copy  sim.Dist
	Key   int // the vault key in To
}

// OutageKind tells a region outage from a partition.
type OutageKind uint8

// Outage kinds.
const (
	RegionOutage OutageKind = iota
	Partition
)

// Outage is a possible failure: of services in a region, or of the link
// between two regions.
type Outage struct {
	// Name is the outage's name, or "" when the file gives none.
	Name string
	// Stream names the outage's random stream: Name, else "outage-N" with
	// N its 1-based position in the file.
	Stream      string
	Kind        OutageKind
	Region      int      // RegionOutage
	Services    Services // RegionOutage
	Regions     [2]int   // Partition, sorted
	Start       sim.Dist
	Duration    sim.Dist // RegionOutage without Phases, and Partition
	Probability float64
	// ErrorRate is the fraction of the requests to Services in Region that
	// fail while the outage is in force (a gray failure below 1). 0 is
	// read as 1, the default. Not with Phases; not for a Partition.
	ErrorRate float64
	// Phases, when not empty, replace Services, Duration and ErrorRate: the
	// outage draws its probability and start once and each phase takes its
	// own services down over [start+offset, start+offset+duration).
	Phases []Phase
}

// Phase is one service window of an outage in phases.
type Phase struct {
	Services  Services
	Offset    sim.Dist // from the outage's start (default 0)
	Duration  sim.Dist
	ErrorRate float64 // 0 is read as 1
}

// Rate returns the error rate e in (0, 1]: e, or 1 when e is 0.
func Rate(e float64) float64 {
	if e <= 0 {
		return 1
	}
	return e
}

// Label returns a human name for the outage.
func (o *Outage) Label() string {
	if o.Name != "" {
		return o.Name
	}
	return o.Stream
}

// OpKind is a KMS or store operation issued by an action or a runbook step.
type OpKind uint8

// Operations.
const (
	OpNone OpKind = iota
	OpReplicateKey
	OpUpdatePrimaryRegion
	OpEnableKey
	OpDisableKey
	OpScheduleKeyDeletion
	OpCancelKeyDeletion
	OpRotateKey
	OpPutKeyPolicy
	OpRestoreBackup
	OpCreateTableReplica
	OpDeleteTableReplica
	OpPutBucketReplication
	OpDeleteBucketReplication
)

// OpNames are the scenario spellings of the operations, indexed by OpKind.
var OpNames = [...]string{
	OpNone:                "",
	OpReplicateKey:        "replicate-key",
	OpUpdatePrimaryRegion: "update-primary-region",
	OpEnableKey:           "enable-key",
	OpDisableKey:          "disable-key",
	OpScheduleKeyDeletion: "schedule-key-deletion",
	OpCancelKeyDeletion:   "cancel-key-deletion",
	OpRotateKey:           "rotate-key",
	OpPutKeyPolicy:        "put-key-policy",
	OpRestoreBackup:       "restore-backup",

	OpCreateTableReplica:      "create-table-replica",
	OpDeleteTableReplica:      "delete-table-replica",
	OpPutBucketReplication:    "put-bucket-replication",
	OpDeleteBucketReplication: "delete-bucket-replication",
}

// IsKMS reports whether the op is a KMS control-plane operation (checked
// against the admins of the copies involved, docs/aws-behaviour.md G5).
func (k OpKind) IsKMS() bool { return k >= OpReplicateKey && k <= OpPutKeyPolicy }

func (k OpKind) String() string { return OpNames[k] }

// StoreKind tells a bucket from a table.
type StoreKind uint8

// Store kinds.
const (
	StoreBucket StoreKind = iota
	StoreTable
)

// StoreRef names a bucket or a table by index.
type StoreRef struct {
	Kind  StoreKind
	Index int
}

// Op is one operation with its arguments.
type Op struct {
	Kind OpKind
	// Key is the key acted on; for create-table-replica the new replica's
	// at-rest key (-1: the table's key), for put-bucket-replication the
	// rule's replica key. -1 when not applicable.
	Key int
	// Region is the copy acted on, -1 when not applicable (rotate-key,
	// restore-backup, the bucket-rule ops).
	Region int
	// Store is the bucket or table of restore-backup and of the
	// table-replica and bucket-rule ops.
	Store  StoreRef
	Window sim.Time // schedule-key-deletion, default 30d
	// Users is the policy of put-key-policy, or of replicate-key when HasUsers.
	Users    []string
	HasUsers bool
	// To is the destination region of put- and delete-bucket-replication,
	// else -1.
	To int
	// RTC is put-bucket-replication's rtc: the new rule's lag is the
	// built-in one for it (DefaultS3Lag).
	RTC bool
	// Copy is how long the initial copy of create-table-replica takes
	// (steps' and actions' copy, stream ".../copy"); DefaultReplicaCopy
	// when !HasCopy.
	Copy    sim.Dist
	HasCopy bool
	// Principal makes the op (format 1.1 principal); "" means
	// Failover.Operator, else DefaultOperator. KMS ops are checked against
	// the admins of the copies involved (docs/aws-behaviour.md G5).
	Principal string
}

// DefaultOperator is the principal of steps and actions when neither they
// nor failover.operator name one.
const DefaultOperator = "operator"

// DefaultReplicaCopy is create-table-replica's initial copy time when the
// step or action gives no copy: uniform(10m, 1h).
func DefaultReplicaCopy() sim.Dist { return sim.UniformDist(10*sim.Minute, sim.Hour) }

// Action is an operator action on the timeline, attempted once.
type Action struct {
	At sim.Dist
	Op Op
}

// Failover is the runbook.
type Failover struct {
	From, To int
	Detect   sim.Dist
	Steps    []Step // file order
	// Operator is the principal of every step and action that names none
	// (failover.operator); "" means DefaultOperator.
	Operator string
}

// Step is one runbook step.
type Step struct {
	Name     string
	After    []int // indices into Failover.Steps
	Op       Op    // Kind OpNone when the step has no op
	Duration sim.Dist
	Required bool
	Retry    sim.Time // default 1m
	// Needs must all be available for the step to finish (format 1.1
	// needs), checked when its duration ends and every Retry after, in
	// this order, before the op, as one attempt.
	Needs []Need
}

// Need is one entry of a step's needs: a service in a region
// ("SERVICE@REGION"), or ARC routing control ("arc-routing-control").
type Need struct {
	// ARC is true for "arc-routing-control": available while at least
	// ARCQuorum of the ARC cluster's regions are up (docs/aws-behaviour.md G4).
	ARC bool
	// Service is one service bit (not SvcApp) and Region its region, when
	// !ARC.
	Service Services
	Region  int
}

// NeedReason returns the reason reported while a need for service svc (one
// bit) is unavailable: KMSUnavailable, S3Unavailable, DynamoDBUnavailable,
// STSUnavailable, Route53ControlPlaneUnavailable,
// IAMControlPlaneUnavailable, and for ARC
// EndpointTemporarilyUnavailableException (its API's name).
func NeedReason(n Need) string {
	if n.ARC {
		return "EndpointTemporarilyUnavailableException"
	}
	switch n.Service {
	case SvcKMS:
		return "KMSUnavailable"
	case SvcS3:
		return "S3Unavailable"
	case SvcDynamoDB:
		return "DynamoDBUnavailable"
	case SvcSTS:
		return "STSUnavailable"
	case SvcRoute53Control:
		return "Route53ControlPlaneUnavailable"
	case SvcIAMControl:
		return "IAMControlPlaneUnavailable"
	}
	return "ServiceUnavailable"
}

// Principal returns the principal that makes op: op.Principal, else the
// failover's operator, else DefaultOperator.
func (c *Config) Principal(op *Op) string {
	if op.Principal != "" {
		return op.Principal
	}
	if c.Failover != nil && c.Failover.Operator != "" {
		return c.Failover.Operator
	}
	return DefaultOperator
}

// StoreNames returns the names of the stores in result order: the buckets,
// then the tables.
func (c *Config) StoreNames() []string {
	names := make([]string, 0, len(c.Buckets)+len(c.Tables))
	for i := range c.Buckets {
		names = append(names, c.Buckets[i].Name)
	}
	for i := range c.Tables {
		names = append(names, c.Tables[i].Name)
	}
	return names
}

// DefaultS3Lag returns the built-in S3 replication lag (docs/scenario-format.md, "buckets"): with RTC
// lognormal(median=6s, p99=90s), without lognormal(median=30s, p99=30m).
func DefaultS3Lag(rtc bool) sim.Dist {
	if rtc {
		return sim.LogNormalDist(6*sim.Second, 90*sim.Second)
	}
	return sim.LogNormalDist(30*sim.Second, 30*sim.Minute)
}

// DefaultDynamoDBLag returns the built-in DynamoDB global table replication
// lag: lognormal(median=700ms, p99=2.5s).
func DefaultDynamoDBLag() sim.Dist {
	return sim.LogNormalDist(700*sim.Millisecond, 2500*sim.Millisecond)
}

// CostItem is a fixed monthly cost given in [costs.monthly].
type CostItem struct {
	Name string
	USD  float64
}
