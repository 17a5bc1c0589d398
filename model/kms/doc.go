// Package kms models AWS KMS keys region by region during one simulated
// trial: single-Region keys and multi-Region keys (a primary and replicas),
// the state, policy and deletion schedule of every regional copy, shared key
// material and rotation, the cryptographic checks of the data plane and the
// control-plane operations with the AWS error of every failure.
//
// A KMS is built once per worker with New and put back to the scenario's
// t=0 state with Reset at the start of each trial. Timed transitions
// (Creating -> Enabled, Updating -> Enabled, the end of a deletion waiting
// period, automatic rotations) are events on the trial's sim.Engine, with
// handlers bound once in New and handles kept so that, for example,
// CancelKeyDeletion cancels the pending deletion. Every change is reported
// through the onChange callback given to New, so that package model can
// re-evaluate the service at that instant.
//
// The data plane (Crypto, Usable, Transient) is on the model's per-evaluation
// path and does not allocate. It does not throttle: the model knows the
// demand and applies the quota (DefaultQuota, K13) itself.
//
// # Rules
//
// The rules are those of docs/aws-behaviour.md, K1..K13 and G5. Tests are
// named after the rule they check (TestK5_..., TestK11_..., TestG5_...).
//
//	rule  what                                          where
//	K1    mrk- + 32 hex / UUID IDs, same ID, ARNs       keyID, New, KMS.ID, KMS.ARN
//	K2    no single/multi-Region conversion             ReplicateKeyFrom, UpdatePrimaryRegion
//	                                                    (UnsupportedOperationException)
//	K3    one related key per Region, one primary       copies indexed [key][region]; keyState.primary;
//	                                                    AlreadyExistsException in ReplicateKeyFrom
//	K4    shared material/rotation, per-copy policy,    keyState.versions/period vs copyState;
//	      state and deletion                            EnableKey, DisableKey, PutKeyPolicy per copy
//	K5    ReplicateKey on the primary, its errors       ReplicateKeyFrom
//	K6    new replica Creating then Enabled, its policy ReplicateKeyFrom, onCreated, Params.Creating
//	K7    a replica works without its primary           resolve/usable: only the caller's copy is checked
//	K8    UpdatePrimaryRegion, Updating                 UpdatePrimaryRegion, onUpdated, Params.Updating
//	K9    rotation on the primary, shared versions,     onRotate, RotateKeyOnDemand, EnableKeyRotation,
//	      disabled keys skip, 25 on-demand              MaterialVersions, CopyMaterial
//	K10   crypto by state                               stateReason
//	K11   deletion window 7..30d, cancel -> Disabled,   ScheduleKeyDeletion, CancelKeyDeletion,
//	      PendingReplicaDeletion                        onDeleted, startDeletion
//	K12   resolution in the caller's Region             resolve
//	K13   default quotas                                DefaultQuota (key.go); applied by package model
//	G5    control-plane permissions: admins             call.admin, Key.AdminsFor, Allows
//
// # Data plane
//
// Crypto(principal, key, caller) checks, in order: resolution (K12: for a
// multi-Region key the related copy in the caller's Region, none there:
// NotFoundException; for a single-Region key its home Region); network (KMS
// down in the target Region, or the caller's Region partitioned from it:
// KMSUnavailable); state (K10: Enabled and Updating succeed, Disabled:
// DisabledException, Creating, PendingDeletion and PendingReplicaDeletion:
// KMSInvalidStateException, Deleted: NotFoundException); policy (the
// principal not in the copy's users: AccessDeniedException). Usable is the
// same without the policy check (DynamoDB at rest holds a grant). A failure
// is transient (Transient) for KMSUnavailable, ThrottlingException, and
// KMSInvalidStateException while the copy is Creating or Updating.
//
// # Control plane
//
// Every operation is made by a Caller (a principal and the uniform of the
// attempt) and returns nil or an *Error carrying the AWS error name (Code),
// whether it is transient, and a message. Calls go where AWS sends them and
// need KMS up there (KMSUnavailable, transient, otherwise): ReplicateKey,
// UpdatePrimaryRegion and RotateKeyOnDemand to the current primary's Region
// (the first two also need KMS up in the other Region and no partition
// between the two); the per-copy operations (EnableKey, DisableKey,
// ScheduleKeyDeletion, CancelKeyDeletion, PutKeyPolicy) to the copy's
// Region. A call checks, in this order: reachability (the Regions above),
// then a gray failure (a Net that is also a GrayNet: the call fails with
// KMSUnavailable when Caller.U is below 1 − Π(1 − e_r) over the Regions it
// involves), then permissions (G5: the caller must be in the admins of the
// copies involved, Key.AdminsFor: ReplicateKey and rotation the primary's,
// UpdatePrimaryRegion both the current primary's and the new one's, the
// per-copy operations that copy's; a miss is AccessDeniedException, a
// refusal; the default admins, "*", admit anyone), then the key's state. A
// KMSInvalidStateException caused by a copy that is Creating or Updating is
// transient (it clears on its own); every other error is a refusal. Invalid
// indices give ValidationException, never a panic. The data plane's users
// and the admins both accept "*" (Wildcard), any principal.
//
// The state × operation matrix of a copy ("t" marks a transient error, all
// others are refusals; the last column is the state of the primary for
// ReplicateKey, UpdatePrimaryRegion and RotateKeyOnDemand, and of the new
// primary for UpdatePrimaryRegion). TestK4_K10_K11_StateOperationMatrix checks
// the per-copy columns; TestK5_ReplicateKeyPrimaryStates,
// TestK8_UpdatePrimaryRegionStates and TestK9_RotateKeyOnDemandErrors the
// last one:
//
//	state                   Enable/Disable  ScheduleDeletion  CancelDeletion  PutKeyPolicy    as primary
//	Enabled                 ok              ok                InvalidState    ok              ok
//	Disabled                ok              ok                InvalidState    ok              Disabled
//	Creating                InvalidState t  InvalidState t    InvalidState    InvalidState t  InvalidState t
//	Updating                InvalidState t  InvalidState t    InvalidState    ok              InvalidState t
//	PendingDeletion         InvalidState    InvalidState      ok, Disabled    ok              InvalidState
//	PendingReplicaDeletion  InvalidState    InvalidState      ok, Disabled    ok              InvalidState
//	Absent, Deleted         NotFound        NotFound          NotFound        NotFound        NotFound
//
// (InvalidState is KMSInvalidStateException, Disabled DisabledException,
// NotFound NotFoundException.)
//
// Choices where AWS documents nothing:
//   - UpdatePrimaryRegion to the Region that is already primary succeeds and
//     changes nothing (idempotent), so that a retried runbook step converges.
//   - The policy of a replica created by ReplicateKey is the call's users
//     when given, else the key's users; the key's users_in entry for that
//     Region, when there is one, then replaces it (docs/scenario-format.md: "then
//     users_in[region] if given").
//   - An automatic rotation is skipped (the next one is due one period
//     later) when the primary is not Enabled or Updating, or when KMS is down
//     in the primary's Region; automatic rotation stops once the primary is
//     deleted.
//   - Both copies of an UpdatePrimaryRegion leave Updating together, after
//     one draw.
//   - Neither an automatic rotation nor PutKeyPolicy is refused while
//     Updating (K8 lists only Enable/Disable, ReplicateKey and
//     ScheduleKeyDeletion).
//   - New key material reaches every copy at the instant of the rotation,
//     even a copy whose Region is down or partitioned (AWS delays using the
//     new version until every replica has it, K9; since no check depends on
//     the version, the difference is not observable in drsim).
//   - A single-Region key's home Region is fixed; it is the target of every
//     call with that key (K12), so its KMS outage or a partition from the
//     caller fails the call with KMSUnavailable.
//
// # Transition times
//
// docs/aws-behaviour.md (K6, K8, from the KMS Developer Guide) says a
// new replica is Creating and "becomes Enabled after a few seconds", and that
// after UpdatePrimaryRegion both copies are Updating "for a few seconds" (the
// guide's page on updating the primary Region says the update can remain in
// progress for a few more seconds after the call returns). AWS gives no
// distribution, so drsim's
// defaults (DefaultParams) are uniform(2s, 10s) for both Params.Creating and
// Params.Updating; SetParams
// overrides them. Each key draws them from its own streams,
// sim.NewStream(trialSeed, "kms/"+name, "creating") and (…, "updating"), so
// adding a key does not change another key's draws.
package kms
