package kms

// Reason is why a cryptographic call failed, named after the AWS error.
type Reason uint8

// Failure reasons. OK means the call succeeds.
const (
	OK Reason = iota
	NotFound
	InvalidState
	Disabled
	AccessDenied
	Throttling
	Unavailable
	NumReasons
)

// ReasonNames are the AWS error names, indexed by Reason.
var ReasonNames = [NumReasons]string{
	OK:           "",
	NotFound:     "NotFoundException",
	InvalidState: "KMSInvalidStateException",
	Disabled:     "DisabledException",
	AccessDenied: "AccessDeniedException",
	Throttling:   "ThrottlingException",
	Unavailable:  "KMSUnavailable",
}

func (r Reason) String() string { return ReasonNames[r] }
