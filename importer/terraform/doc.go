// Package terraform reads the JSON that `terraform show -json` prints for a
// state or a saved plan (Terraform's "JSON Output Format", format_version
// 1.x) and fills an importer.Inventory with the setup's KMS keys, S3
// buckets and DynamoDB tables.
//
// Resources read (hashicorp/aws provider, v5 and v6):
//
//   - aws_kms_key: multi_region, policy, enable_key_rotation,
//     rotation_period_in_days, is_enabled, arn, key_id;
//   - aws_kms_replica_key: primary_key_arn, policy, enabled, arn;
//   - aws_s3_bucket: bucket, region, and the inline
//     server_side_encryption_configuration and replication_configuration
//     blocks of provider v4/v5 when no separate resource configures them;
//   - aws_s3_bucket_server_side_encryption_configuration: bucket, rule
//     (apply_server_side_encryption_by_default sse_algorithm and
//     kms_master_key_id, bucket_key_enabled);
//   - aws_s3_bucket_replication_configuration: bucket, role, rule (id,
//     status, filter, destination bucket, encryption_configuration
//     replica_kms_key_id, replication_time, source_selection_criteria
//     sse_kms_encrypted_objects);
//   - aws_dynamodb_table: name, server_side_encryption, replica
//     (region_name, kms_key_arn); aws_dynamodb_table_replica:
//     global_table_arn, kms_key_arn;
//   - aws_iam_role: name, to name the principals a plan's unknown
//     policies and roles refer to.
//
// Every other managed or data resource is listed, once per type, as not
// imported. Child modules are read recursively.
//
// A resource's region is its region attribute (provider v6, and the
// computed region of aws_s3_bucket in v5), else the region of its ARN
// (state), else the region of its provider configuration (plan: the
// configuration's provider_config, a constant or a variable). In a plan
// ARNs are unknown until apply, so a reference (a replica's primary key, a
// bucket's key, a rule's destination bucket and replica key, a role) is
// followed through the configuration's expression references instead,
// across module calls (var.X to the caller's argument, module.M.OUT to the
// module's output), to the resource it names. An attribute unknown until
// apply is told from an absent one by the plan's after_unknown.
//
// An attribute drsim reads is checked where it is read: a value of the
// wrong type, a resource without a mode or a type, a region that is no AWS
// Region code are errors positioned in the file (the decoder keeps each
// problem's JSON path, and internal/jsonpos.Locate finds them all in one
// pass). Numbers are decoded as json.Number, so that one too large for a
// float64 matters only where it is read.
//
// The JSON is decoded with encoding/json into this package's own types
// rather than hashicorp/terraform-json: that library decodes expressions
// by re-parsing sub-documents, which loses the byte offsets a file:line:col
// error needs, and drops the content of single-nested blocks.
package terraform
