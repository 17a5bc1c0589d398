#!/bin/sh
# Saves, for one AWS account, the AWS CLI outputs that `drsim import aws DIR`
# reads (docs/import.md, "AWS CLI outputs"). drsim never runs this script and
# makes no network calls: you run it, with your credentials, and give drsim
# the folder.
#
# Usage:   REGIONS="us-east-1 us-west-2" sh docs/save-aws-account.sh [DIR]
# Needs:   the AWS CLI v2, and read-only permissions: kms:ListKeys,
#          kms:ListAliases, kms:DescribeKey, kms:GetKeyPolicy,
#          kms:GetKeyRotationStatus, s3:ListAllMyBuckets, s3:GetBucketLocation,
#          s3:GetEncryptionConfiguration, s3:GetReplicationConfiguration,
#          dynamodb:ListTables, dynamodb:DescribeTable.
# Writes:  DIR/kms/REGION/KEY_ID.{describe-key,key-policy,rotation}.json,
#          DIR/kms/REGION/aliases.json, DIR/s3/BUCKET.{location,encryption,
#          replication}.json, DIR/dynamodb/REGION/TABLE.describe-table.json.
#          Outputs the API refuses (no replication configuration, rotation
#          status of a replica) are left out; drsim reads what is there.
set -eu

dir=${1:-aws-outputs}
regions=${REGIONS:-"us-east-1 us-west-2"}

# save FILE COMMAND...: runs the command, keeps its output only if it worked.
save() {
	file=$1
	shift
	if "$@" --output json >"$file.tmp" 2>/dev/null; then
		mv "$file.tmp" "$file"
	else
		rm -f "$file.tmp"
	fi
}

mkdir -p "$dir/s3"
for r in $regions; do
	mkdir -p "$dir/kms/$r" "$dir/dynamodb/$r"
	save "$dir/kms/$r/aliases.json" aws kms list-aliases --region "$r"
	for k in $(aws kms list-keys --region "$r" --query 'Keys[].KeyId' --output text); do
		# AWS managed keys (aws/s3, aws/dynamodb) have fixed policies: skip them.
		[ "$(aws kms describe-key --region "$r" --key-id "$k" --query 'KeyMetadata.KeyManager' --output text)" = CUSTOMER ] || continue
		save "$dir/kms/$r/$k.describe-key.json" aws kms describe-key --region "$r" --key-id "$k"
		save "$dir/kms/$r/$k.key-policy.json" aws kms get-key-policy --region "$r" --key-id "$k" --policy-name default
		save "$dir/kms/$r/$k.rotation.json" aws kms get-key-rotation-status --region "$r" --key-id "$k"
	done
	for t in $(aws dynamodb list-tables --region "$r" --query 'TableNames[]' --output text); do
		save "$dir/dynamodb/$r/$t.describe-table.json" aws dynamodb describe-table --region "$r" --table-name "$t"
	done
done
for b in $(aws s3api list-buckets --query 'Buckets[].Name' --output text); do
	save "$dir/s3/$b.location.json" aws s3api get-bucket-location --bucket "$b"
	save "$dir/s3/$b.encryption.json" aws s3api get-bucket-encryption --bucket "$b"
	save "$dir/s3/$b.replication.json" aws s3api get-bucket-replication --bucket "$b"
done
echo "saved in $dir: drsim import aws $dir -o infra.toml"
