// Package importer turns a description of deployed (or planned)
// infrastructure into a drsim scenario: the KMS keys with their copies and
// key policies, the S3 buckets with their default encryption and
// replication rules, and the DynamoDB tables with their replicas and
// at-rest keys.
//
// The decoders live in subpackages, one per source: importer/terraform
// (the JSON of terraform show -json, state or plan), importer/cloudformation
// (templates, JSON or YAML) and importer/awscli (a folder of saved AWS CLI
// outputs). Each fills an Inventory; importer/policy reads key policies;
// importer/importcmd is the drsim import command. The layout is
// cmd/drsim → importer/importcmd → decoders → importer → scenarios (for
// the placeholder syntax) → model.
//
// Inventory.Finish links what a decoder found (destination buckets fold
// into the rules that replicate to them), names it (each item by its
// resource's own name; on a collision, a suffix computed from the
// resource, so that a name is the same in every import), sets aside what drsim
// cannot model (buckets not under SSE-KMS, tables under AWS owned keys)
// and adds the import's own warnings (a replication role a key copy's
// policy does not allow, docs/aws-behaviour.md G6 and G7). Render writes the scenario:
// every imported item carries a comment naming its source, and every value
// no infrastructure code holds (horizon, outages, runbook, objectives, the
// app, the stores' rates, an unknown policy) is a scenarios placeholder
// ("FILL-IN: ..."), which drsim validate rejects with a positioned message
// until a file extending the imported one sets it. Overlay writes a
// starter for that file; Summary the import summary.
//
// The TOML is written by hand, not by a TOML encoder, because every line
// carries a comment (its source, a policy's undecided grant) and the
// encoders in use write no comments.
package importer
