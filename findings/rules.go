package findings

import "strings"

// DocsURL is where the repository's documentation is published; a rule's
// documentation is docs/findings.md at the rule's anchor, an AWS rule's is
// docs/aws-behaviour.md at the rule id.
const DocsURL = "https://github.com/drsim/drsim/blob/main/docs/"

// AWS documentation pages that rules rest on when no K/S/D/G rule of
// docs/aws-behaviour.md covers them.
const (
	// DocDRStrategies is the AWS whitepaper on disaster recovery options:
	// recovery needs the data (a replica or a restorable backup) in the
	// recovery Region.
	DocDRStrategies = "https://docs.aws.amazon.com/whitepapers/latest/disaster-recovery-workloads-on-aws/disaster-recovery-options-in-the-cloud.html"
	// DocBackupEncryption is the AWS Backup page on encryption: a backup
	// vault, and a copy into it, are encrypted with a KMS key of the
	// vault's Region.
	DocBackupEncryption = "https://docs.aws.amazon.com/aws-backup/latest/devguide/encryption.html"
	// DocBackupPlan is the AWS Backup page on backup plans: a backup rule
	// runs at most once an hour (shorter intervals are refused: "The
	// interval between backup jobs shouldn't be less than 60 minutes");
	// continuous backups serve shorter recovery points.
	DocBackupPlan = "https://docs.aws.amazon.com/aws-backup/latest/devguide/creating-a-backup-plan.html"
	// DocRetry is the AWS SDKs and Tools reference on retry behavior:
	// SDKs retry transient errors with exponential backoff and jitter.
	DocRetry = "https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html"
)

// Rule describes one kind of finding. Its ID never changes meaning.
type Rule struct {
	// ID is the stable id ("DR104") and Name a short kebab-case name.
	ID, Name string
	// Severity is the default severity; a finding may be less severe
	// where the rule's documentation says so.
	Severity Severity
	// AWSRule is the AWS rule the kind rests on: an id of
	// docs/aws-behaviour.md or an AWS documentation URL.
	AWSRule string
	// Short is a one-line summary, Full the full description (what AWS
	// does and what the simulation shows), Help what to do about it.
	Short, Full, Help string
	// Simulated reports whether the model simulates the effect the finding
	// predicts; the consistency test runs a scenario for every simulated
	// kind. Findings on settings the model does not simulate (rotation,
	// limits) are not.
	Simulated bool
	// Dynamic reports a kind of dynamic finding: computed from the trials
	// of a run (Dynamic), never by Static or drsim lint.
	Dynamic bool
	// Confirms lists, for a dynamic kind, the static kinds whose cause it
	// observes: a dynamic finding confirms a static finding of one of
	// them with the same subjects (Link).
	Confirms []string
}

// Anchor is the rule's anchor in docs/findings.md: the GitHub slug of its
// heading "ID name".
func (r *Rule) Anchor() string { return strings.ToLower(r.ID) + "-" + r.Name }

// HelpURI is the rule's documentation: docs/findings.md at its anchor.
func (r *Rule) HelpURI() string { return DocsURL + "findings.md#" + r.Anchor() }

// AWSRuleID returns the rule's AWS rule id (K8, G6, ...), or "doc" when
// it rests on a documentation page; for test and report names.
func (r *Rule) AWSRuleID() string {
	if strings.HasPrefix(r.AWSRule, "https://") {
		return "doc"
	}
	return r.AWSRule
}

// AWSRuleURL links an AWS rule: docs/aws-behaviour.md at a K/S/D/G id, or
// the documentation URL itself.
func AWSRuleURL(rule string) string {
	if strings.HasPrefix(rule, "https://") {
		return rule
	}
	return DocsURL + "aws-behaviour.md#" + strings.ToLower(rule)
}

// Rule ids.
const (
	TableReplicaKeyNotInRegion         = "DR101"
	ReplicaKeyNotInDestination         = "DR102"
	SingleRegionClientKeyAfterFailover = "DR103"
	ClientKeyWithoutCopyAfterFailover  = "DR104"
	ReplicationRoleNotInDestination    = "DR105"
	ReplicationRoleNotInSource         = "DR106"
	AppNotInKeyPolicy                  = "DR107"
	BackupKeyNotInVaultRegion          = "DR108"
	RotationOnSingleRegionKey          = "DR109"
	STSGlobalFromOptInRegion           = "DR110"
	AdminsExcludePrincipal             = "DR111"
	ReplicaOpKeyNotInRegion            = "DR112"
	FailoverTargetHoldsNothing         = "DR201"
	StoreWithoutCopyAfterFailover      = "DR202"
	RPOBelowReplicationP99             = "DR203"
	RequiredKeyPromotion               = "DR301"
	RequiredOpInFailedRegion           = "DR302"
	RequiredStepNeedsFailedRegion      = "DR303"
	KMSQuotaBelowDemandAfterFailover   = "DR401"
	KMSQuotaBelowDemand                = "DR402"
	RetryBelowOneSecond                = "DR901"
	BackupIntervalBelowOneMinute       = "DR902"
	OutageNeverInForce                 = "DR903"

	// Dynamic kinds: causes the trials showed.
	KeyUnreachableFromRegion = "DR501"
	KMSCallsRefused          = "DR502"
	KMSThrottled             = "DR503"
	ReplicationCallsFailed   = "DR504"
	StoreUnavailable         = "DR505"
	OpFailed                 = "DR506"
	StaleStore               = "DR507"
	SlowFailover             = "DR508"
	STSEndpointUnavailable   = "DR509"
)

// rules is the registry, in id order.
var rules = []Rule{
	{
		ID: TableReplicaKeyNotInRegion, Name: "table-replica-key-not-in-region", Severity: Error, AWSRule: "G6", Simulated: true,
		Short: "A table replica's at-rest key has no copy in the replica's region.",
		Full: "DynamoDB needs every replica of a table encrypted with a customer managed key to have a key in the replica's own Region " +
			"when the replica is created; otherwise UpdateTable fails with ValidationException (G6). drsim simulates the setup as written: " +
			"a single-Region key is called in its home Region, so the replica becomes unusable when that Region's KMS fails, exactly when " +
			"the failover needs it; a multi-Region key without a copy there makes the replica INACCESSIBLE_ENCRYPTION_CREDENTIALS at once (D3).",
		Help: "Give the replica a key in its own Region: make the key multi-Region with a replica there (replicas = [...]), or name a key " +
			"of that Region for it in keys_in.",
	},
	{
		ID: ReplicaKeyNotInDestination, Name: "replica-key-not-in-destination", Severity: Error, AWSRule: "G7", Simulated: true,
		Short: "An S3 replication rule's replica key has no copy in the destination region.",
		Full: "An S3 replication rule's replica KMS key (ReplicaKmsKeyID) must be in the destination bucket's Region (G7). With a " +
			"single-Region key of another Region, every read of the destination bucket calls KMS in that other Region (K12), so after a " +
			"failover the replica cannot be read while that Region is down; with a multi-Region key without a copy in the destination the " +
			"calls fail with NotFoundException.",
		Help: "Use a key with a copy in the destination region: a multi-Region key with a replica there, or a single-Region key created " +
			"in that region.",
	},
	{
		ID: SingleRegionClientKeyAfterFailover, Name: "single-region-client-key-after-failover", Severity: Error, AWSRule: "K12", Simulated: true,
		Short: "A single-Region client-side key lives in the region the failover leaves.",
		Full: "A single-Region key is always called in its home Region (K12, D4). When a table's client-side key lives in failover.from, " +
			"every read and write served from the failover region still calls KMS in the failed Region and fails with KMSUnavailable: " +
			"the failover cannot bring the service back, which then returns only when the failed Region does.",
		Help: "Use a multi-Region key with a replica in the failover region for client-side encryption (an MRK-aware keyring calls the " +
			"replica in the caller's region).",
	},
	{
		ID: ClientKeyWithoutCopyAfterFailover, Name: "client-key-without-copy-after-failover", Severity: Error, AWSRule: "K12", Simulated: true,
		Short: "A multi-Region client-side key has no copy in a region that serves after the failover.",
		Full: "A cryptographic call with a multi-Region key resolves the related key in the caller's Region; if there is none it fails " +
			"with NotFoundException (K12). A table's client-side key without a replica in the failover region makes every read and write " +
			"there fail after the failover. Replicating the key during the outage does not help: ReplicateKey is sent to the primary's " +
			"Region (K5).",
		Help: "Add the failover region to the key's replicas, so that the replica exists before the outage.",
	},
	{
		ID: ReplicationRoleNotInDestination, Name: "replication-role-not-in-destination-policy", Severity: Error, AWSRule: "S1", Simulated: true,
		Short: "The S3 replication role is not allowed by the destination copy's key policy.",
		Full: "S3 replication re-encrypts each object in the destination with the rule's replica key, as the replication role; the role " +
			"needs kms:Encrypt in that copy's key policy (S1), and key policies are per copy (K4). Without it every replicated object fails " +
			"with AccessDeniedException and is left FAILED, never retried (S3): the destination silently falls behind, and a failover " +
			"serves stale data.",
		Help: "Add the role to the destination copy's key policy (users, or users_in for that region).",
	},
	{
		ID: ReplicationRoleNotInSource, Name: "replication-role-not-in-source-policy", Severity: Error, AWSRule: "S1", Simulated: true,
		Short: "The S3 replication role is not allowed by the source bucket key's policy.",
		Full: "S3 replication decrypts each object at the source as the replication role, which needs kms:Decrypt in the source key " +
			"copy's policy (S1). Without it every object fails with AccessDeniedException and is left FAILED (S3): nothing reaches the " +
			"destination.",
		Help: "Add the role to the source key's policy (users, or users_in for the source bucket's region).",
	},
	{
		ID: AppNotInKeyPolicy, Name: "app-not-in-key-policy", Severity: Error, AWSRule: "K4", Simulated: true,
		Short: "The application's principal is not allowed by the policy of a key copy it calls.",
		Full: "Key policies are per copy and are not synchronised from the primary (K4). When the application calls a copy whose policy " +
			"does not name its principal, every such call fails with AccessDeniedException: at t=0 if the copy serves then, after the " +
			"failover if it serves only then, so the failover does not bring the service back.",
		Help: "Add the application's principal to that copy's key policy (users, or users_in for that region).",
	},
	{
		ID: BackupKeyNotInVaultRegion, Name: "backup-key-not-in-vault-region", Severity: Error, AWSRule: DocBackupEncryption, Simulated: true,
		Short: "A backup vault's key has no copy in the backup's region.",
		Full: "A backup vault, and every copy into it, is encrypted with a KMS key of the vault's Region. A single-Region key of another " +
			"Region makes copies and restores depend on that Region (K12): while it is down no copy completes and a restored store " +
			"cannot be read; a multi-Region key without a copy in the backup region makes every copy fail, so a restore never finds one.",
		Help: "Use a key with a copy in the backup's region: a multi-Region key with a replica there, or a key created in that region.",
	},
	{
		ID: RotationOnSingleRegionKey, Name: "rotation-on-single-region-key", Severity: Warning, AWSRule: "K9",
		Short: "Rotation is configured on a single-Region key that is used from other regions.",
		Full: "Automatic rotation of a multi-Region key is set on the primary and its new material reaches every replica (K4, K9); on a " +
			"single-Region key it renews the material of its one copy only. A single-Region key cannot become multi-Region (K2), so a " +
			"key used from other regions stays a cross-region dependency whatever its rotation: the rotation setting suggests a key " +
			"managed for several regions where there is one copy. drsim does not simulate rotation's effect on availability.",
		Help: "Create a multi-Region key with replicas in the regions that use it, set rotation on its primary, and re-encrypt the data " +
			"under it.",
	},
	{
		ID: STSGlobalFromOptInRegion, Name: "sts-global-from-opt-in-region", Severity: Error, AWSRule: "G3", Simulated: true,
		Short: "The app uses the global STS endpoint from an opt-in region, where it is served in us-east-1.",
		Full: "The legacy global STS endpoint (sts.amazonaws.com) is served in the caller's Region for Regions enabled by default, but " +
			"from an opt-in Region its requests still go to us-east-1 (G3). An app that serves from such a Region with app.sts = " +
			"\"global\" loses its credentials when STS in us-east-1 fails and its cached credentials run out: a Region it does not run in " +
			"takes it down. It is an error when an outage of the scenario can take STS in us-east-1 down, a warning otherwise.",
		Help: "Use the regional STS endpoints (app.sts = \"regional\", the AWS SDKs' sts_regional_endpoints = regional).",
	},
	{
		ID: AdminsExcludePrincipal, Name: "admins-exclude-principal", Severity: Error, AWSRule: "G5", Simulated: true,
		Short: "A runbook step's or action's KMS operation is made by a principal that the admins of a copy it needs do not include.",
		Full: "KMS control-plane operations need their permission in the key policy of the copies involved (G5): ReplicateKey and " +
			"rotation on the primary, UpdatePrimaryRegion on the current primary and the new one, enabling, disabling, policy changes " +
			"and deletion scheduling on the copy acted on. A principal missing from admins (or from admins_in of that Region) gets " +
			"AccessDeniedException, a refusal: a required step fails and the failover does not happen. It is an error for a required " +
			"step, a warning for an optional step or an action.",
		Help: "Add the principal to the admins of that copy (admins, or admins_in for its Region), or have an admin make the operation " +
			"(the step's principal, or failover.operator).",
	},
	{
		ID: ReplicaOpKeyNotInRegion, Name: "replica-op-key-not-in-region", Severity: Error, AWSRule: "G6", Simulated: true,
		Short: "A create-table-replica or put-bucket-replication operation names a key without a copy in the new replica's region.",
		Full: "A new table replica encrypted with a customer managed key needs a key in its own Region (G6): create-table-replica with " +
			"a key that has no copy there fails with ValidationException, a refusal. A replication rule's replica key must be in the " +
			"destination's Region (G7): a rule put with a key of another Region makes every read of the replica there depend on that " +
			"Region (a single-Region key) or fail with NotFoundException (a multi-Region key without a copy there).",
		Help: "Name a key with a copy in that region (key = ... on the step or action), or replicate the key there first.",
	},
	{
		ID: FailoverTargetHoldsNothing, Name: "failover-target-holds-nothing", Severity: Error, AWSRule: DocDRStrategies, Simulated: true,
		Short: "The failover target holds no copy of any store.",
		Full: "Recovery in another Region needs the data there: a replica (S3 replication, a global table replica) or a backup copy that " +
			"the runbook restores. When failover.to holds none, traffic moves into a region where every request fails as unavailable, " +
			"and the service returns only when the failed region does.",
		Help: "Replicate the stores to failover.to (a replication rule, a table replica, or a backup copied there and restored by a " +
			"runbook step), or fail over to a region that holds them.",
	},
	{
		ID: StoreWithoutCopyAfterFailover, Name: "store-without-copy-after-failover", Severity: Error, AWSRule: DocDRStrategies, Simulated: true,
		Short: "A store is read from a region that holds no copy of it after the failover.",
		Full: "After the failover the application serves from failover.to, and every request to a store without a copy there fails as " +
			"unavailable. It is an error when those requests alone bring the success fraction below objectives.success (the service " +
			"cannot recover by failing over), a warning otherwise.",
		Help: "Replicate the store to the failover region (a replication rule or a table replica), or restore its backup there in the " +
			"runbook.",
	},
	{
		ID: RPOBelowReplicationP99, Name: "rpo-below-replication-p99-without-rtc", Severity: Warning, AWSRule: "S2", Simulated: true,
		Short: "The RPO objective is tighter than the replication lag's p99 of an S3 rule without RTC.",
		Full: "Without Replication Time Control most objects replicate within 15 minutes, some take hours, and there is no SLA (S2); drsim's " +
			"default lag without RTC has a p99 of 30 minutes. An RPO objective below the lag's p99 is missed whenever an outage strands " +
			"the slow tail of objects.",
		Help: "Turn on Replication Time Control (rtc = true) for the rule, or set an RPO the replication can meet.",
	},
	{
		ID: RequiredKeyPromotion, Name: "required-key-promotion", Severity: Error, AWSRule: "K8", Simulated: true,
		Short: "A required runbook step promotes a key whose primary is in the region the failover leaves.",
		Full: "UpdatePrimaryRegion is sent to the current primary's Region (K8), which is down when the failover runs. A required " +
			"update-primary-region step holds the failover back until that Region is up again, when the runbook is abandoned: the RTO " +
			"is the outage. A replica serves on its own (K7): promotion is not needed to fail over.",
		Help: "Make the promotion step optional (required = false), so that it retries after the failover.",
	},
	{
		ID: RequiredOpInFailedRegion, Name: "required-op-in-failed-region", Severity: Error, AWSRule: "K5", Simulated: true,
		Short: "A required runbook step issues an operation that goes to the region the failover leaves.",
		Full: "ReplicateKey and rotations are sent to the primary's Region (K5, K9); enabling, disabling, scheduling or cancelling " +
			"deletion and key policy changes go to the copy's Region; a restore goes to the backup's Region. When that Region is " +
			"failover.from, the operation fails while it is down, and a required step holds the failover back until it is up again.",
		Help: "Do the operation before the outage (at t=0 in the setup), make the step optional, or act on a copy in another region.",
	},
	{
		ID: RequiredStepNeedsFailedRegion, Name: "required-step-needs-failed-region", Severity: Error, AWSRule: "G1", Simulated: true,
		Short: "A required runbook step needs a service in the region the failover leaves.",
		Full: "A step's needs must all be available for it to finish. The control planes of Route 53 and IAM are hosted in us-east-1 " +
			"(G1, G2): a record or health-check change, or a role change, made during an outage of us-east-1 fails while their data " +
			"planes keep answering. When a required step needs route53-control@us-east-1, iam-control@us-east-1 or any other service " +
			"in failover.from, it cannot finish while that Region is down, and the failover waits for it to come back.",
		Help: "Fail over with something that does not need the failed Region: Route 53 health-check failover or ARC routing control " +
			"(data planes, needs = [\"arc-routing-control\"]) instead of a record edit; or make the step optional.",
	},
	{
		ID: KMSQuotaBelowDemandAfterFailover, Name: "kms-quota-below-demand-after-failover", Severity: Error, AWSRule: "K13", Simulated: true,
		Short: "A region serving after the failover has a KMS request quota below its demand.",
		Full: "KMS quotas are per account and Region and are not shared between a primary and its replicas (K13). After the failover " +
			"the traffic of failover.from lands on the surviving regions; where the calls exceed kms_rps the excess fails with " +
			"ThrottlingException. It is an error when the throttled requests bring the success fraction below objectives.success, a " +
			"warning otherwise. The demand is computed like the cost's: S3 requests and replication, client-side table calls.",
		Help: "Request a higher quota for that region (and set kms_rps to it), or cut the calls: S3 Bucket Keys (bucket_key = true) " +
			"divide S3's calls by 100.",
	},
	{
		ID: KMSQuotaBelowDemand, Name: "kms-quota-below-demand", Severity: Error, AWSRule: "K13", Simulated: true,
		Short: "A region's KMS request quota is below its demand under normal routing.",
		Full: "KMS quotas are per account and Region (K13). When the calls the traffic makes in a region under normal routing exceed " +
			"kms_rps, the excess fails with ThrottlingException from t=0. It is an error when that brings the success fraction below " +
			"objectives.success (the service is down from the start), a warning otherwise.",
		Help: "Request a higher quota for that region (and set kms_rps to it), or turn on S3 Bucket Keys (bucket_key = true).",
	},
	{
		ID: KeyUnreachableFromRegion, Name: "key-unreachable-from-region", Severity: Error, AWSRule: "K12", Simulated: true, Dynamic: true,
		Confirms: []string{ReplicaKeyNotInDestination, SingleRegionClientKeyAfterFailover},
		Short:    "The trials showed the app's calls with a key failing because the key's copy is in another region that was down.",
		Full: "A single-Region key is always called in its home Region (K12). In the trials with this cause, the app served from " +
			"one Region while its calls with the key went to another whose KMS was down (or partitioned away, or in a gray failure): " +
			"they failed with KMSUnavailable and kept the service down, whatever the failover did.",
		Help: "Use a multi-Region key with a replica in every region that serves (an MRK-aware client calls the replica in its own " +
			"region).",
	},
	{
		ID: KMSCallsRefused, Name: "kms-calls-refused", Severity: Error, AWSRule: "K12", Simulated: true, Dynamic: true,
		Confirms: []string{ClientKeyWithoutCopyAfterFailover, AppNotInKeyPolicy},
		Short:    "The trials showed the app's KMS calls refused (NotFoundException, AccessDeniedException, DisabledException, KMSInvalidStateException).",
		Full: "In the trials with this cause, the app's cryptographic calls with a key were refused by the copy they went to: no " +
			"related copy in the caller's Region (NotFoundException, K12), the app's principal missing from that copy's key policy " +
			"(AccessDeniedException, K4), a disabled copy (DisabledException) or one pending deletion or being created " +
			"(KMSInvalidStateException, K10). The refusals kept the service down.",
		Help: "Give the key a copy in that region, add the app's principal to that copy's policy, or enable the copy, as the message says.",
	},
	{
		ID: KMSThrottled, Name: "kms-throttled", Severity: Error, AWSRule: "K13", Simulated: true, Dynamic: true,
		Confirms: []string{KMSQuotaBelowDemandAfterFailover, KMSQuotaBelowDemand},
		Short:    "The trials showed KMS throttling the app's calls in a region and keeping the service down.",
		Full: "KMS quotas are per account and Region (K13). In the trials with this cause, the calls sent to a Region exceeded its " +
			"kms_rps, the excess failed with ThrottlingException, and those failures alone kept the share of successful requests " +
			"below objectives.success.",
		Help: "Request a higher quota for that region (and set kms_rps to it), or cut the calls with S3 Bucket Keys.",
	},
	{
		ID: ReplicationCallsFailed, Name: "replication-calls-failed", Severity: Error, AWSRule: "S1", Simulated: true, Dynamic: true,
		Confirms: []string{ReplicationRoleNotInDestination, ReplicationRoleNotInSource, ReplicaKeyNotInDestination},
		Short:    "The trials showed S3 replication's KMS calls failing: objects did not reach the destination.",
		Full: "S3 replication decrypts each object at the source and encrypts it at the destination as the rule's role (S1). In the " +
			"trials with this cause, those calls were refused (the role missing from a copy's key policy, no copy of the key) or sent " +
			"to another Region that was down; a refused object is left FAILED and never retried (S3), so the destination falls " +
			"behind and a failover serves stale data.",
		Help: "Add the role to the key policy of the copy named, or use a replica key with a copy in the destination region.",
	},
	{
		ID: StoreUnavailable, Name: "store-unavailable-where-served", Severity: Error, AWSRule: DocDRStrategies, Simulated: true, Dynamic: true,
		Confirms: []string{TableReplicaKeyNotInRegion, FailoverTargetHoldsNothing, StoreWithoutCopyAfterFailover, BackupKeyNotInVaultRegion},
		Short:    "The trials showed requests to a store failing where the app served, because the store had no usable copy there.",
		Full: "In the trials with this cause, the app served a store from a Region where it had no copy (no replica, no replication " +
			"destination, a replica still being copied) or where its copy could not be used (a table replica whose at-rest key was " +
			"refused or unreachable: INACCESSIBLE_ENCRYPTION_CREDENTIALS, D3, G6). The store's requests failed as unavailable and kept " +
			"the service down.",
		Help: "Replicate the store to that region (a replication rule or a table replica with a key of that region), or restore its " +
			"backup there in the runbook.",
	},
	{
		ID: OpFailed, Name: "op-failed", Severity: Error, AWSRule: "K8", Simulated: true, Dynamic: true,
		Confirms: []string{RequiredKeyPromotion, RequiredOpInFailedRegion, RequiredStepNeedsFailedRegion, BackupKeyNotInVaultRegion,
			AdminsExcludePrincipal, ReplicaOpKeyNotInRegion},
		Short: "The trials showed a runbook step or an action failing: a required step held the failover back, or an operation was refused.",
		Full: "In the trials with this cause, a required runbook step was not done when the service came back by itself or the " +
			"horizon came (it kept failing: the failover waited for it), or a step or action was refused. The AWS rule is the one " +
			"of the operation's error: UpdatePrimaryRegion and ReplicateKey go to the primary's Region (K5, K8), control planes to " +
			"us-east-1 (G1, G2), permissions to the copy's admins (G5), table replicas need a key in their Region (G6).",
		Help: "Make the step optional, do the operation before the outage, or fix what refuses it, as the message says.",
	},
	{
		ID: StaleStore, Name: "stale-store", Severity: Warning, AWSRule: "S2", Simulated: true, Dynamic: true,
		Confirms: []string{RPOBelowReplicationP99, ReplicationRoleNotInDestination, ReplicationRoleNotInSource},
		Short:    "The trials showed a store missing writes older than the RPO objective when the service came back.",
		Full: "In the trials with this cause, the oldest write of a store missing in the region that served at recovery was older " +
			"than objectives.rpo: the replication lag's tail (S2: without RTC some objects take hours, and there is no SLA), " +
			"objects left FAILED, a backup's age, or writes still on their way when the failover moved traffic.",
		Help: "Shorten the lag (S3 Replication Time Control, rtc = true), fix the replication failures the other findings name, or set " +
			"an RPO objective the replication can meet.",
	},
	{
		ID: SlowFailover, Name: "slow-failover", Severity: Warning, AWSRule: DocDRStrategies, Simulated: true, Dynamic: true,
		Confirms: []string{RequiredKeyPromotion, RequiredOpInFailedRegion, RequiredStepNeedsFailedRegion},
		Short:    "The trials showed the failover bringing the service back later than the RTO objective.",
		Full: "In the trials with this cause, the failover worked, but the service came back (when traffic moved) later than " +
			"objectives.rto. The finding names the longest part of the failover's critical path: the detection (failover.detect) " +
			"or a runbook step on the path (from its start to its success, its retries included). A step's part is split into its " +
			"duration and its waiting (its failed attempts, one retry interval each): when the waiting is the longer, the finding " +
			"blames it, with the AWS error that failed the attempts and the need or op that waited, and confirms DR303 (a need) or " +
			"DR301/DR302 (an op).",
		Help: "Shorten that part: automate the step, run it in parallel (after), or detect sooner; or set an RTO objective the " +
			"runbook can meet.",
	},
	{
		ID: STSEndpointUnavailable, Name: "sts-endpoint-unavailable", Severity: Error, AWSRule: "G3", Simulated: true, Dynamic: true,
		Confirms: []string{STSGlobalFromOptInRegion},
		Short:    "The trials showed the app losing its credentials because its STS endpoint, in another region, was down.",
		Full: "In the trials with this cause, the app served from a Region whose STS endpoint is in another Region (the global " +
			"endpoint from an opt-in Region is served in us-east-1, G3); that Region's STS was down, the app's cached credentials ran " +
			"out, and its requests failed until STS was back.",
		Help: "Use the regional STS endpoints (app.sts = \"regional\").",
	},
	{
		ID: RetryBelowOneSecond, Name: "retry-below-1s", Severity: Warning, AWSRule: DocRetry,
		Short: "A runbook step retries its operation more often than once a second.",
		Full: "AWS SDKs retry transient errors with exponential backoff and jitter, and KMS's control-plane operations have low request " +
			"quotas (ReplicateKey and UpdatePrimaryRegion: 5 per second, K13). A fixed retry below one second is not how an operator or " +
			"an SDK retries; the result rests on an interval no real runbook uses. drsim accepts it (retries are computed in closed form) " +
			"and does not simulate its effect.",
		Help: "Use a retry of seconds to minutes, as a person or a script would.",
	},
	{
		ID: BackupIntervalBelowOneMinute, Name: "backup-interval-below-1m", Severity: Warning, AWSRule: DocBackupPlan,
		Short: "A backup is taken more often than once a minute.",
		Full: "AWS Backup runs a backup rule at most once an hour; shorter recovery points come from continuous backups (point-in-time " +
			"recovery), not from snapshots. A backup every few seconds describes no AWS setup; drsim accepts it and does not simulate its " +
			"cost.",
		Help: "Use the interval of the backup plan (1h or more), or model continuous backups as a replica with a lag.",
	},
	{
		ID: OutageNeverInForce, Name: "outage-never-in-force", Severity: Warning, AWSRule: "G8",
		Short: "An outage never takes anything down within the horizon.",
		Full: "The outage starts at or after the horizon in every trial (the least start its distribution can draw is not " +
			"before it), or it lasts 0s (every phase of an outage in phases does): drsim accepts it, and it never happens. A " +
			"published regional event lasts hours (G8). An outage meant to be off is written with probability = 0.",
		Help: "Start the outage within the horizon (or lengthen the horizon), give it a duration (profile(aws-regional) for a " +
			"regional event), or set probability = 0 to keep it off on purpose.",
	},
}

// Rules returns the registry of finding kinds, in id order: the static
// kinds, then the dynamic ones (DR5xx). The slice is a copy.
func Rules() []Rule { return append([]Rule(nil), rules...) }

// Lookup returns the rule with the given id.
func Lookup(id string) (Rule, bool) {
	for _, r := range rules {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}
