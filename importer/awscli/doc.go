// Package awscli reads a folder of saved AWS CLI outputs (--output json,
// the API's own response shapes) and fills an importer.Inventory with the
// account's KMS keys, S3 buckets and DynamoDB tables. drsim makes no
// network calls: the user saves the outputs, with the commands and the
// account script of docs/import.md, and drsim reads the folder.
//
// A file is recognised by its place and name; REGION is an AWS Region code,
// KEY_ID a key ID, BUCKET and TABLE names:
//
//	kms/REGION/KEY_ID.describe-key.json       aws kms describe-key --key-id KEY_ID --region REGION
//	kms/REGION/KEY_ID.key-policy.json         aws kms get-key-policy --key-id KEY_ID --policy-name default --region REGION
//	kms/REGION/KEY_ID.rotation.json           aws kms get-key-rotation-status --key-id KEY_ID --region REGION (optional)
//	kms/REGION/aliases.json                   aws kms list-aliases --region REGION (optional: names keys)
//	s3/BUCKET.location.json                   aws s3api get-bucket-location --bucket BUCKET
//	s3/BUCKET.encryption.json                 aws s3api get-bucket-encryption --bucket BUCKET
//	s3/BUCKET.replication.json                aws s3api get-bucket-replication --bucket BUCKET
//	dynamodb/REGION/TABLE.describe-table.json aws dynamodb describe-table --table-name TABLE --region REGION
//
// Fields read: KeyMetadata (KeyId, Arn, AWSAccountId, Enabled, KeyState,
// MultiRegion, MultiRegionConfiguration: the primary and every replica,
// which exist even when their own files are missing) and Policy (AWS KMS
// API Reference, DescribeKey and GetKeyPolicy); KeyRotationEnabled and
// RotationPeriodInDays (GetKeyRotationStatus); LocationConstraint (null is
// us-east-1, "EU" is eu-west-1), ServerSideEncryptionConfiguration.Rules
// and ReplicationConfiguration (Amazon S3 API Reference,
// GetBucketLocation, GetBucketEncryption, GetBucketReplication); Table
// (TableName, SSEDescription, Replicas[].RegionName, KMSMasterKeyId and
// ReplicaStatus; Amazon DynamoDB API Reference, DescribeTable). A bucket
// without a location output takes the region of its encryption key's ARN
// (an SSE-KMS key is in its bucket's region), with a warning.
//
// A key given by an alias (alias/NAME or its ARN) is found through the
// aliases.json of the alias's region; a key is named by an alias of its
// primary's region. A copy pending deletion is a schedule-key-deletion
// action at 0s.
//
// Any other file is listed, once, as not in the layout. Files and folders
// whose names start with "." are skipped; only regular files are read.
package awscli
