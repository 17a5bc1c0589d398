package importer

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/drsim/drsim/importer/policy"
)

// Inventory is what one import found: the KMS keys, S3 buckets and DynamoDB
// tables of a setup, each with the place in the input it came from, and
// what could not be imported. A decoder (importer/terraform,
// importer/cloudformation, importer/awscli) fills it; Finish links and
// names it; Write renders it as a scenario.
type Inventory struct {
	// Kind names the input format: "terraform state", "terraform plan",
	// "cloudformation" or "aws cli".
	Kind string
	// Inputs are the files read, as given.
	Inputs []string
	// Account is the 12-digit AWS account ID the input's ARNs name, when
	// they all name the same one; else "".
	Account string

	Keys    []*Key
	Buckets []*Bucket
	Tables  []*Table

	// Unsupported lists what the input holds that drsim does not import,
	// by type, each type once.
	Unsupported []*Unsupported
	// Warnings are problems the import found, each naming its source;
	// Finish adds the setup's own (a replication role a key policy does
	// not allow, a rule key with no copy in the destination, ...).
	Warnings []string

	accounts map[string]bool
	warned   map[string]bool
	// byARN indexes the keys by copy ARN and by key ID (KeyByARN); nil
	// when stale.
	byARN map[string]keyLoc
}

// keyLoc is where an ARN or key ID points: a key and, for an ARN, a region.
type keyLoc struct {
	key    *Key
	region string
}

// Unsupported is a resource type drsim does not import and where it occurs.
type Unsupported struct {
	Type      string
	Addresses []string
}

// Key is a KMS key: a multi-Region key (a primary and replicas sharing key
// material, docs/aws-behaviour.md K1..K4) or a single-Region key (only the primary).
type Key struct {
	// Name is the scenario name, set by Finish.
	Name string
	// Hint is the preferred name (a resource name, a logical ID, an alias);
	// Qualified a longer one used when two hints collide (the module path
	// and the resource name).
	Hint, Qualified string
	// Source names where the key is defined: a Terraform resource address,
	// a CloudFormation "file: LogicalId", or a file of the CLI folder.
	Source string
	// KeyID is the key ID ("mrk-..." for a multi-Region key, K1), or "".
	KeyID       string
	MultiRegion bool
	// Primary is the primary copy (the only copy of a single-Region key);
	// Replicas the replicas, in input order.
	Primary  *Copy
	Replicas []*Copy
	// RotationDays is the automatic rotation period in days, 0 when off
	// or when the input's period is outside what KMS accepts (then
	// RotationBad holds it as written); RotationSource says where it was
	// read. Set them with SetRotation.
	RotationDays   int
	RotationBad    string
	RotationSource string
	// External is set for a key the input only references (by ARN or ID)
	// without defining it: its policy and, for a multi-Region key, its
	// primary are unknown.
	External bool
	// PrimaryUnknown is set (Primary is nil) for a multi-Region key whose
	// replicas are in the input but whose primary is a value drsim cannot
	// know (a CloudFormation export of a stack not given, a plan's
	// reference to a local): why, for the placeholders of its primary
	// region and policy. Via is that value as written.
	PrimaryUnknown, Via string
	// Refs are the regions in which an external key is referenced.
	Refs []string
}

// Rotation periods KMS accepts, in days (docs/aws-behaviour.md K9).
const (
	MinRotationDays = 90
	MaxRotationDays = 2560
)

// SetRotation records that automatic rotation is on, every days days (the
// input's whole number as written, which may be beyond any Go integer;
// "" for KMS's default, 365), read at source. A period outside
// MinRotationDays..MaxRotationDays (0 and negative ones included) is kept
// as written in RotationBad, RotationDays is 0, and Finish warns that the
// rotation is not imported.
func (k *Key) SetRotation(days, source string) {
	k.RotationSource, k.RotationDays, k.RotationBad = source, 365, ""
	if days == "" {
		return
	}
	n, err := strconv.Atoi(days)
	if err != nil || n < MinRotationDays || n > MaxRotationDays {
		k.RotationDays, k.RotationBad = 0, days
		return
	}
	k.RotationDays = n
}

// WholeNumber returns the text of a JSON number (as written) when it is a
// whole number, for SetRotation: as written when it is written in digits,
// in digits when it fits an int64 ("1e2" is "100"), else as written
// ("1e309": too large for any period, which SetRotation says); ok is
// false for a fraction (90.5).
func WholeNumber(n string) (string, bool) {
	if digits.MatchString(n) {
		return strings.TrimPrefix(n, "+"), true
	}
	f, err := strconv.ParseFloat(n, 64)
	switch {
	case math.IsInf(f, 0):
		return n, true
	case err != nil || f != math.Trunc(f):
		return "", false
	case math.Abs(f) < 1e15:
		return strconv.FormatInt(int64(f), 10), true
	}
	return n, true
}

var digits = regexp.MustCompile(`^[-+]?[0-9]+$`)

// Copies returns the primary, then the replicas.
func (k *Key) Copies() []*Copy {
	if k.Primary == nil {
		return slices.Clone(k.Replicas)
	}
	return append([]*Copy{k.Primary}, k.Replicas...)
}

// CopyIn returns the key's copy in region, or nil.
func (k *Key) CopyIn(region string) *Copy {
	for _, c := range k.Copies() {
		if c.Region == region {
			return c
		}
	}
	return nil
}

// AddReplica adds a replica copy c to key k.
func (inv *Inventory) AddReplica(k *Key, c *Copy) {
	c.Key = k
	k.Replicas = append(k.Replicas, c)
	inv.index(k, c)
}

// index adds key k and its copy c (nil: only the key's ID) to the index of
// KeyByARN, when it is built; the first entry of an ARN or ID wins.
func (inv *Inventory) index(k *Key, c *Copy) {
	if inv.byARN == nil {
		return
	}
	add := func(s string, l keyLoc) {
		if _, dup := inv.byARN[s]; s != "" && !dup {
			inv.byARN[s] = l
		}
	}
	add(k.KeyID, keyLoc{key: k})
	if c != nil {
		add(c.ARN, keyLoc{key: k, region: c.Region})
	}
}

// Copy is one regional copy of a key, with its own key policy and state (K4).
type Copy struct {
	Key    *Key
	Region string
	// Source names where this copy is defined (the key's Source for the
	// primary, the replica resource for a replica).
	Source string
	ARN    string
	// Policy is the analysed key policy; nil when it is unknown, and then
	// PolicyUnknown says why and PolicyRefs lists the principals the
	// policy expression refers to, when a plan tells.
	Policy        *policy.Analysis
	PolicyUnknown string
	PolicyRefs    []string
	// PolicyNote says where a known policy came from when it is not
	// written in the input ("none given: the default key policy").
	PolicyNote string
	// Disabled is set when the input says the copy is disabled.
	Disabled bool
	// PendingDeletion is set when the input says the copy is scheduled for
	// deletion: its key state ("PendingDeletion" or
	// "PendingReplicaDeletion") and the deletion date when known. It is
	// written as a schedule-key-deletion action at 0s.
	PendingDeletion string
}

// KeyRef is a reference to a key written in the input: a store's key or a
// replication rule's replica key.
type KeyRef struct {
	// Key is the key referred to, nil when unresolved.
	Key *Key
	// Region is the region of the copy referred to, when the reference
	// says (an ARN does; a plan's reference to a resource does), else "".
	Region string
	// Via is the reference as written (an ARN, "aws_kms_key.a.arn",
	// "!GetAtt Key.Arn"), for comments.
	Via string
	// Unknown says why Key is nil ("kms_master_key_id is unknown until
	// apply"); empty when the input gives no key at all.
	Unknown string
}

// Resolved reports whether the reference names a key.
func (r KeyRef) Resolved() bool { return r.Key != nil }

// Bucket is an S3 bucket with default SSE-KMS encryption.
type Bucket struct {
	Name            string // scenario name, set by Finish
	Hint, Qualified string
	Source          string
	// BucketName is the S3 bucket name, "" when unknown (a plan with
	// bucket_prefix).
	BucketName string
	Region     string
	// SSE is the default encryption, nil when the input gives none.
	SSE *SSE
	// Rules are the replication rules, in input order; Role the
	// replication role's name and RoleSource where the configuration is.
	Rules      []*Rule
	Role       string
	RoleSource string
	// DestinationOf is set by Finish on a bucket that is the destination of
	// another bucket's rule: drsim implies destination buckets, so it is
	// written as that rule's destination, not as a store of its own.
	DestinationOf *Rule
}

// SSE is a bucket's default encryption.
type SSE struct {
	Source string
	// Algorithm is the SSEAlgorithm: "aws:kms", "aws:kms:dsse" or "AES256".
	Algorithm string
	Key       KeyRef
	BucketKey bool
}

// Rule is one S3 replication rule.
type Rule struct {
	Source string
	ID     string
	// Enabled is the rule's Status.
	Enabled bool
	// Dest is the destination bucket when it is in the input; DestName its
	// name (from the destination ARN) otherwise too.
	Dest     *Bucket
	DestName string
	// To is the destination region, "" when unknown.
	To string
	// Key is the replica key (ReplicaKmsKeyID).
	Key KeyRef
	// SSEKMSObjects is SourceSelectionCriteria.SseKmsEncryptedObjects
	// Enabled: without it S3 does not replicate SSE-KMS objects.
	SSEKMSObjects bool
	// RTC is Replication Time Control.
	RTC bool
	// Filter describes a prefix or tag filter, "" when the rule covers the
	// whole bucket.
	Filter string
	// Role is the replication role's name.
	Role string

	twoWay bool // set by Finish: a rule back to a bucket that replicates here
}

// Table is a DynamoDB table or global table.
type Table struct {
	Name            string // scenario name, set by Finish
	Hint, Qualified string
	Source          string
	TableName       string
	// Replicas are the table's copies, the table's own region first.
	Replicas []*TableReplica
}

// TableReplica is one regional copy of a table and its at-rest key.
type TableReplica struct {
	// Region is "" when the input gives a value drsim cannot know
	// (RegionUnknown says what: "parameter ReplicaRegion has no Default").
	Region, RegionUnknown string
	Source                string
	// Key is the customer managed at-rest key; NoCMK says why there is
	// none ("encrypted with an AWS owned key").
	Key   KeyRef
	NoCMK string
}

// AddKey adds a key whose primary copy is c (region, source, policy).
func (inv *Inventory) AddKey(k *Key, primary *Copy) *Key {
	if primary != nil {
		primary.Key = k
		k.Primary = primary
	}
	inv.Keys = append(inv.Keys, k)
	inv.index(k, primary)
	return k
}

// Reindex tells the inventory that a key's KeyID or a copy's ARN changed
// after the key was added.
func (inv *Inventory) Reindex() { inv.byARN = nil }

// Unsupport records that address, of resource type typ, is not imported.
func (inv *Inventory) Unsupport(typ, address string) {
	for _, u := range inv.Unsupported {
		if u.Type == typ {
			u.Addresses = append(u.Addresses, address)
			return
		}
	}
	inv.Unsupported = append(inv.Unsupported, &Unsupported{Type: typ, Addresses: []string{address}})
}

// Warn records a warning.
func (inv *Inventory) Warn(format string, args ...any) {
	w := fmt.Sprintf(format, args...)
	if inv.warned == nil {
		inv.warned = map[string]bool{}
	}
	if !inv.warned[w] {
		inv.warned[w] = true
		inv.Warnings = append(inv.Warnings, w)
	}
}

// SeeAccount records an account ID seen in an ARN; Account is set when
// exactly one was seen.
func (inv *Inventory) SeeAccount(id string) {
	if !isAccountID(id) {
		return
	}
	if inv.accounts == nil {
		inv.accounts = map[string]bool{}
	}
	inv.accounts[id] = true
	inv.Account = ""
	if len(inv.accounts) == 1 {
		inv.Account = id
	}
}

func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// KeyByARN returns the key an ARN or key ID names among the keys already in
// the inventory: a copy's ARN names that copy's key and region; a key ARN
// of a region with no copy names the key by its ID (the copies of a
// multi-Region key share their ID, K1) and that region; a bare key ID names
// the key, with region "".
func (inv *Inventory) KeyByARN(s string) (*Key, string) {
	if inv.byARN == nil {
		inv.byARN = map[string]keyLoc{}
		for _, k := range inv.Keys {
			inv.index(k, nil)
			for _, c := range k.Copies() {
				inv.index(k, c)
			}
		}
	}
	if l, ok := inv.byARN[s]; ok {
		return l.key, l.region
	}
	a, ok := ParseARN(s)
	if !ok {
		return nil, ""
	}
	if a.Service != "kms" || !strings.HasPrefix(a.Resource, "key/") {
		return nil, a.Region
	}
	if l, ok := inv.byARN[strings.TrimPrefix(a.Resource, "key/")]; ok {
		return l.key, a.Region
	}
	return nil, a.Region
}

// ExternalKey returns the key an ARN or ID names that the input does not
// define, creating it on first use: a key whose policy is unknown (its
// users and admins become placeholders), multi-Region when its ID starts
// with "mrk-" (K1). region is where it is referenced; by is the referrer.
func (inv *Inventory) ExternalKey(ref, region, by string) *Key {
	id := ref
	if a, ok := ParseARN(ref); ok {
		id = strings.TrimPrefix(strings.TrimPrefix(a.Resource, "key/"), "alias/")
		if a.Region != "" {
			region = a.Region
		}
		inv.SeeAccount(a.Account)
	}
	for _, k := range inv.Keys {
		if k.External && k.KeyID == id {
			if region != "" && !slices.Contains(k.Refs, region) {
				k.Refs = append(k.Refs, region)
			}
			return k
		}
	}
	k := &Key{
		Hint: "external-" + shortID(id), Qualified: "external-" + id, KeyID: id,
		Source:      fmt.Sprintf("not in the input: %s, referenced by %s", ref, by),
		MultiRegion: strings.HasPrefix(id, "mrk-"), External: true,
	}
	if region != "" {
		k.Refs = []string{region}
	}
	inv.AddKey(k, nil)
	inv.Warn("%s refers to key %s, which is not in the input: its policy (users, admins) is left to fill in", by, ref)
	return k
}

// UnknownPrimary returns the multi-Region key whose primary is the value
// via (as written in the input), which drsim cannot know (why), creating
// it on first use: its replicas are added by the caller; its primary
// region and the primary's policy are left to fill in (Key.PrimaryUnknown).
// hint and qualified name it, source says where the reference is.
func (inv *Inventory) UnknownPrimary(via, why, hint, qualified, source string) *Key {
	for _, k := range inv.Keys {
		if k.PrimaryUnknown != "" && k.Via == via {
			return k
		}
	}
	k := &Key{Hint: hint, Qualified: qualified, MultiRegion: true, PrimaryUnknown: why, Via: via,
		Source: source + " (its primary key is " + via + ": not known from the input)"}
	inv.AddKey(k, nil)
	return k
}

// PrimaryFromARN returns the key whose primary copy has the given ARN,
// creating it when the input does not define it: a multi-Region key whose
// primary copy is in the ARN's region, with an unknown policy. by names the
// replica that refers to it.
func (inv *Inventory) PrimaryFromARN(arn, by string) *Key {
	for _, k := range inv.Keys {
		if k.Primary != nil && k.Primary.ARN == arn {
			return k
		}
	}
	a, _ := ParseARN(arn)
	id := strings.TrimPrefix(a.Resource, "key/")
	inv.SeeAccount(a.Account)
	k := &Key{
		Hint: "external-" + shortID(id), Qualified: "external-" + id, KeyID: id, MultiRegion: true,
		Source: "not in the input: primary key " + arn + ", referenced by " + by,
	}
	inv.AddKey(k, &Copy{Region: a.Region, ARN: arn, Source: "primary key " + arn + " (not in the input)",
		PolicyUnknown: "the primary key is not in the input"})
	inv.Warn("%s replicates primary key %s, which is not in the input: its policy (users, admins) is left to fill in", by, arn)
	return k
}

func shortID(id string) string {
	id = strings.TrimPrefix(id, "mrk-")
	if len(id) > 8 {
		return id[:8]
	}
	return id
}

// Regions returns every region the inventory names, sorted.
func (inv *Inventory) Regions() []string {
	set := map[string]bool{}
	add := func(r string) {
		if r != "" {
			set[r] = true
		}
	}
	for _, k := range inv.Keys {
		for _, c := range k.Copies() {
			add(c.Region)
		}
		for _, r := range k.Refs {
			add(r)
		}
	}
	for _, b := range inv.liveBuckets() {
		add(b.Region)
		for _, r := range b.Rules {
			if r.Enabled && r.SSEKMSObjects {
				add(r.To)
			}
		}
	}
	for _, t := range inv.liveTables() {
		for _, r := range t.Replicas {
			add(r.Region)
		}
	}
	out := make([]string, 0, len(set))
	for r := range set {
		out = append(out, r)
	}
	sort.Strings(out)
	return out
}
