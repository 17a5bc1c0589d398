package kms

import (
	"errors"
	"fmt"

	"github.com/drsim/drsim/sim"
)

// Net tells the KMS model about the network. It is implemented by package
// model, which knows the outages in force.
type Net interface {
	// KMSUp reports whether the KMS service is up in region (a gray failure
	// below an error rate of 1 leaves it up).
	KMSUp(region int) bool
	// Linked reports whether no partition separates a and b (true when a == b).
	Linked(a, b int) bool
}

// GrayNet is implemented by a Net that also knows gray failures (format
// 1.1 error_rate): the fraction of the calls to KMS in a region that fail.
// A control-plane call fails with KMSUnavailable (transient) when its
// Caller.U is below the combined rate 1 − Π(1 − e_r) of the Regions it
// involves. A Net without it has none.
type GrayNet interface {
	// KMSErrorRate returns the fraction in [0, 1] of the calls to KMS in
	// region that fail.
	KMSErrorRate(region int) float64
}

// Caller is who makes a control-plane call, and the uniform that decides
// whether it fails in a gray failure (DESIGN "Control-plane permissions",
// "Gray failures").
type Caller struct {
	// Principal is checked against the admins of the copies involved
	// (docs/aws-behaviour.md G5); Key.AdminsFor says who they are.
	Principal string
	// U is a uniform in (0, 1) from the stream of the step or action that
	// makes the call: the call fails in a gray failure of KMS when U is
	// below its rate. Without gray failures it is not looked at and may be
	// 0; U = 1 passes every gray failure.
	U float64
	// Probe, when not nil, makes the call a dry run: every check is made in
	// order, a gray failure of KMS is recorded in Probe (its rate and the
	// error it would return) and passed whatever U is, and nothing changes.
	// The call returns what it would return if no gray failure happened. A
	// runbook uses it to find, once per run of retries, how likely an
	// attempt is to fail in a gray failure and how it ends otherwise.
	Probe *GrayProbe
}

// GrayProbe records the gray failure of KMS a dry-run call met: Rate is its
// combined rate 1 − Π(1 − e_r) over the Regions involved (0: none met) and
// Err the KMSUnavailable error the call returns when it fails there.
type GrayProbe struct {
	Rate float64
	Err  error
}

// State is the key state of one regional copy of a key. Absent and Deleted
// are drsim's names for "no copy here" (never created, or deleted after its
// waiting period); the others are the AWS KeyState values.
type State uint8

// Key states. The Disabled state is StateDisabled because Disabled is the
// crypto failure Reason (DisabledException).
const (
	Absent State = iota
	Creating
	Enabled
	StateDisabled
	Updating
	PendingDeletion
	PendingReplicaDeletion
	Deleted
	NumStates
)

// StateNames are the spellings of the states (AWS KeyState names), indexed
// by State.
var StateNames = [NumStates]string{
	Absent:                 "Absent",
	Creating:               "Creating",
	Enabled:                "Enabled",
	StateDisabled:          "Disabled",
	Updating:               "Updating",
	PendingDeletion:        "PendingDeletion",
	PendingReplicaDeletion: "PendingReplicaDeletion",
	Deleted:                "Deleted",
}

func (s State) String() string {
	if s < NumStates {
		return StateNames[s]
	}
	return "State(?)"
}

// Exists reports whether a copy in this state exists, that is whether the
// region holds a related key (K3, K5, K12): every state but Absent and
// Deleted.
func (s State) Exists() bool { return s != Absent && s != Deleted && s < NumStates }

// CryptoOK reports whether cryptographic calls succeed in this state (K10).
func (s State) CryptoOK() bool { return s == Enabled || s == Updating }

// Values of Change.What.
const (
	WhatState    = "state"
	WhatPolicy   = "policy"
	WhatPrimary  = "primary"
	WhatRotation = "rotation"
)

// Change is reported to the model on every change of a copy's state or
// policy, of a key's primary Region, and of its key material.
//
// For What == "state", From and To are the copy's old and new states. For
// "policy" and "rotation", From == To == the copy's state (a rotation is
// reported on the primary's copy). For "primary", Region is the new primary
// Region, From == To its state, and Detail names the move ("us-east-1 ->
// us-west-2").
type Change struct {
	Key, Region int
	From, To    State
	What        string
	// Detail says what caused the change: the operation ("ReplicateKey",
	// "DisableKey", ...), or the timed transition ("replica created", "update
	// finished", "waiting period over", "last replica deleted"); for
	// rotations "automatic" or "on-demand" (a new material version), or
	// "EnableKeyRotation" / "DisableKeyRotation" (the setting changed).
	Detail string
}

// Params are the timing parameters of the model.
type Params struct {
	// Creating is how long a new replica stays Creating before it is Enabled
	// (K6). Default uniform(2s, 10s).
	Creating sim.Dist
	// Updating is how long both copies stay Updating after
	// UpdatePrimaryRegion (K8). Default uniform(2s, 10s).
	Updating sim.Dist
}

// DefaultParams returns the documented defaults (see the package
// documentation for their source).
func DefaultParams() Params {
	return Params{
		Creating: sim.UniformDist(2*sim.Second, 10*sim.Second),
		Updating: sim.UniformDist(2*sim.Second, 10*sim.Second),
	}
}

// AWS error names returned in Error.Code by the control plane.
const (
	CodeUnavailable   = "KMSUnavailable"
	CodeDisabled      = "DisabledException"
	CodeInvalidState  = "KMSInvalidStateException"
	CodeAlreadyExists = "AlreadyExistsException"
	CodeUnsupported   = "UnsupportedOperationException"
	CodeNotFound      = "NotFoundException"
	CodeLimitExceeded = "LimitExceededException"
	CodeValidation    = "ValidationException"
	CodeAccessDenied  = "AccessDeniedException"
)

// Error is a failed control-plane call, named after the AWS error.
type Error struct {
	// Op is the AWS API name, e.g. "ReplicateKey".
	Op string
	// Key is the key's scenario name ("" when the key index is invalid).
	Key string
	// Region is the Region the call names: the new replica's or new
	// primary's Region for ReplicateKey and UpdatePrimaryRegion, the copy's
	// Region otherwise; "" for RotateKeyOnDemand.
	Region string
	// Code is the AWS error name, one of the Code constants.
	Code string
	// Transient reports whether retrying later can succeed without an
	// operator changing anything (KMSUnavailable, a gray failure included,
	// or KMSInvalidStateException caused by a Creating or Updating copy).
	Transient bool
	// format and args explain the failure; they are formatted only when
	// the message is asked for (Message, Error), because a runbook retrying
	// an op for hours fails thousands of times per run and nobody reads
	// most of those messages.
	format string
	args   []any
}

// Message explains the failure, e.g. "KMS is unavailable in us-east-1".
func (e *Error) Message() string { return fmt.Sprintf(e.format, e.args...) }

// Error returns e.g. "kms: ReplicateKey alerts to us-west-2:
// AlreadyExistsException: us-west-2 already holds a related key (Enabled)".
func (e *Error) Error() string {
	s := "kms: " + e.Op
	if e.Key != "" {
		s += " " + e.Key
	}
	if e.Region != "" {
		if e.Op == "ReplicateKey" || e.Op == "UpdatePrimaryRegion" {
			s += " to " + e.Region
		} else {
			s += " in " + e.Region
		}
	}
	return s + ": " + e.Code + ": " + e.Message()
}

// IsTransient reports whether err is a transient *Error.
func IsTransient(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Transient
}

// ErrorCode returns the AWS error name of err if it is an *Error, else "".
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}
