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
}

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
	// kms_rps if given, else the AWS default for the region (aws-facts K13).
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
}

// Services is a set of regional services an outage takes down.
type Services uint8

// The services an outage can take down.
const (
	SvcKMS Services = 1 << iota
	SvcS3
	SvcDynamoDB
	SvcApp
	SvcAll = SvcKMS | SvcS3 | SvcDynamoDB | SvcApp
)

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
	Duration    sim.Dist
	Probability float64
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
}

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
	Kind   OpKind
	Key    int // -1 when not applicable
	Region int // -1 when not applicable (rotate-key, restore-backup)
	Store  StoreRef
	Window sim.Time // schedule-key-deletion, default 30d
	// Users is the policy of put-key-policy, or of replicate-key when HasUsers.
	Users    []string
	HasUsers bool
}

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
}

// Step is one runbook step.
type Step struct {
	Name     string
	After    []int // indices into Failover.Steps
	Op       Op    // Kind OpNone when the step has no op
	Duration sim.Dist
	Required bool
	Retry    sim.Time // default 1m
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

// DefaultS3Lag returns the built-in S3 replication lag (DESIGN.md): with RTC
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
