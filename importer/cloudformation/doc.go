// Package cloudformation reads AWS CloudFormation templates, JSON or YAML,
// one per stack, each with the region its stack is deployed in, and fills
// an importer.Inventory with the setup's KMS keys, S3 buckets and DynamoDB
// tables.
//
// Resources read (AWS CloudFormation User Guide, resource type reference):
//
//   - AWS::KMS::Key: MultiRegion, KeyPolicy (a mapping or a JSON string;
//     absent: the default key policy), EnableKeyRotation,
//     RotationPeriodInDays, Enabled;
//   - AWS::KMS::ReplicaKey: PrimaryKeyArn, KeyPolicy, Enabled, in its
//     stack's region;
//   - AWS::S3::Bucket: BucketName, BucketEncryption
//     (ServerSideEncryptionByDefault SSEAlgorithm and KMSMasterKeyID,
//     BucketKeyEnabled), ReplicationConfiguration (Role, Rules: Id,
//     Status, Prefix or Filter, Destination Bucket,
//     EncryptionConfiguration ReplicaKmsKeyID, ReplicationTime,
//     SourceSelectionCriteria SseKmsEncryptedObjects);
//   - AWS::DynamoDB::GlobalTable: TableName, SSESpecification,
//     Replicas[].Region and Replicas[].SSESpecification.KMSMasterKeyId;
//   - AWS::DynamoDB::Table: TableName, SSESpecification;
//   - AWS::IAM::Role: RoleName, to name the principals that refer to it.
//
// Every other resource type is listed, once per type, as not imported.
//
// Intrinsic functions are evaluated in both forms (Fn::Sub and !Sub):
// Ref (resources, parameters with a Default, the pseudo parameters
// AWS::Region, AWS::StackName, AWS::Partition, AWS::URLSuffix,
// AWS::NoValue; AWS::AccountId stays unknown), Fn::GetAtt, Fn::Sub,
// Fn::Join, Fn::Select, Fn::Split, Fn::FindInMap, Fn::If with Conditions
// (Fn::Equals, Fn::And, Fn::Or, Fn::Not, Condition), Fn::Base64, and
// Fn::ImportValue against the Outputs exports of every template given. A
// stack's name (AWS::StackName) is its template file's stem. A value that
// is known only once deployed (an unset parameter, Fn::GetAZs, a
// condition on such a value) becomes a placeholder in the scenario, with
// what it depends on. A Ref or Fn::GetAtt that names no resource or
// parameter is an error, as CloudFormation would make it.
//
// A stack is its name (the file's stem, or Template.Stack) and its region:
// one template may be given for several regions, and Fn::ImportValue reads
// the exports of the stacks of its own region. Property values of the
// wrong type, a circular dependency and a duplicate key are positioned
// errors, as CloudFormation refuses them; a resource without its name
// property gets STACK-LOGICALID, with a warning.
//
// Before the YAML library reads a template, a hand-written linear pre-scan
// (prescan.go) refuses one nested deeper than 200 levels: the library's
// time and memory grow with the square of the depth, and no YAML library
// reports depth before doing that work.
//
// YAML is read with goccy/go-yaml, which keeps the short-form tags and
// every value's line and column; JSON is checked with encoding/json first
// (for its messages) and then read the same way, JSON being YAML. The
// syntax tree is copied into this package's own small node type, with
// aliases expanded under a size bound so that an alias bomb is an error.
package cloudformation
