// Package policy reads an AWS KMS key policy (the JSON policy document of
// one copy of a key) and tells, statically, which principals it lets use the
// key and which it lets administer it, in drsim's terms: the users and
// admins of a key copy (scenario keys users, users_in, admins, admins_in).
//
// A principal is a user when an Allow statement grants it kms:Decrypt,
// kms:Encrypt or kms:GenerateDataKey (directly, or through a wildcard such
// as kms:GenerateDataKey*, kms:* or *), and an admin when Allow statements
// grant it every control-plane action drsim models (ControlActions); a
// principal granted only some of them is reported as a partial admin, which
// a scenario writes as a non-admin. Deny statements remove what they deny
// from the principals they name. Principals are named as drsim names them:
// by role or user name (the last segment of the IAM ARN, or the role of an
// STS assumed-role ARN), "*" for anyone.
//
// What a key policy alone cannot decide is kept, never guessed silently:
//
//   - a statement with a Condition is taken as if the condition held, and
//     the principals it grants are marked undecided ("condition");
//   - the account root (arn:aws:iam::ACCOUNT:root or the bare account ID)
//     delegates to IAM policies: anyone in the account may be allowed, so
//     it grants "*", marked undecided ("account root");
//   - NotPrincipal grants (Allow) or denies (Deny) everyone but the listed
//     principals; Allow with NotPrincipal grants "*", Deny with
//     NotPrincipal removes the actions from every named principal not
//     listed; both are marked undecided ("NotPrincipal").
//
// Service, federated and canonical-user principals are not drsim principals:
// they are listed in Analysis.Ignored. Resource is not read (in a key policy
// it is the key itself).
//
// Sources: AWS KMS Developer Guide, "Key policies in AWS KMS", "Default key
// policy" (the statement that allows access to the AWS account and enables
// IAM policies) and "AWS KMS permissions" (the action names); IAM User
// Guide, "IAM JSON policy elements: Principal, NotPrincipal, Action,
// NotAction, Condition" and "Policy evaluation logic" (an explicit deny
// wins). Action names are matched case-insensitively with the IAM wildcards
// * and ? (path.Match on names that hold neither "/" nor "[").
package policy
