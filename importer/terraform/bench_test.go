package terraform

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/drsim/drsim/importer"
)

// syntheticState returns a state with n multi-Region keys, each with a
// replica in a child module, and n buckets encrypted with them, replicating
// to n destination buckets: 5n resources linked by ARN.
func syntheticState(n int) []byte {
	var root, mod []any
	res := func(addr, typ, name string, v map[string]any) map[string]any {
		return map[string]any{"address": addr, "mode": "managed", "type": typ, "name": name, "values": v}
	}
	arn := func(region string, i int) string {
		return fmt.Sprintf("arn:aws:kms:%s:111122223333:key/mrk-%032d", region, i)
	}
	pol := `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/app"},"Action":"kms:*","Resource":"*"}]}`
	for i := range n {
		root = append(root,
			res(fmt.Sprintf("aws_kms_key.k%d", i), "aws_kms_key", fmt.Sprintf("k%d", i), map[string]any{
				"arn": arn("us-east-1", i), "key_id": fmt.Sprintf("mrk-%032d", i), "multi_region": true, "policy": pol}),
			res(fmt.Sprintf("aws_s3_bucket.b%d", i), "aws_s3_bucket", fmt.Sprintf("b%d", i), map[string]any{
				"bucket": fmt.Sprintf("b%d", i), "region": "us-east-1"}),
			res(fmt.Sprintf("aws_s3_bucket_server_side_encryption_configuration.b%d", i), "aws_s3_bucket_server_side_encryption_configuration", fmt.Sprintf("b%d", i), map[string]any{
				"bucket": fmt.Sprintf("b%d", i), "rule": []any{map[string]any{"apply_server_side_encryption_by_default": []any{map[string]any{
					"sse_algorithm": "aws:kms", "kms_master_key_id": arn("us-east-1", i)}}}}}),
			res(fmt.Sprintf("aws_s3_bucket_replication_configuration.b%d", i), "aws_s3_bucket_replication_configuration", fmt.Sprintf("b%d", i), map[string]any{
				"bucket": fmt.Sprintf("b%d", i), "role": "arn:aws:iam::111122223333:role/app", "rule": []any{map[string]any{
					"status": "Enabled", "destination": []any{map[string]any{"bucket": fmt.Sprintf("arn:aws:s3:::d%d", i),
						"encryption_configuration": []any{map[string]any{"replica_kms_key_id": arn("us-west-2", i)}}}},
					"source_selection_criteria": []any{map[string]any{"sse_kms_encrypted_objects": []any{map[string]any{"status": "Enabled"}}}}}}}))
		mod = append(mod,
			res(fmt.Sprintf("module.w.aws_kms_replica_key.r%d", i), "aws_kms_replica_key", fmt.Sprintf("r%d", i), map[string]any{
				"arn": arn("us-west-2", i), "primary_key_arn": arn("us-east-1", i), "policy": pol}),
			res(fmt.Sprintf("module.w.aws_s3_bucket.d%d", i), "aws_s3_bucket", fmt.Sprintf("d%d", i), map[string]any{
				"bucket": fmt.Sprintf("d%d", i), "region": "us-west-2"}))
	}
	data, _ := json.Marshal(map[string]any{"format_version": "1.0", "values": map[string]any{"root_module": map[string]any{
		"resources": root, "child_modules": []any{map[string]any{"address": "module.w", "resources": mod}}}}})
	return data
}

// BenchmarkImportState decodes, finishes and renders states of 6n
// resources. The cost per resource should not grow with n; run
//
//	go test ./importer/terraform -run '^$' -bench ImportState
func BenchmarkImportState(b *testing.B) {
	for _, n := range []int{100, 1000} {
		data := syntheticState(n)
		b.Run(fmt.Sprintf("keys=%d", n), func(b *testing.B) {
			for b.Loop() {
				inv, err := Decode("s.json", data)
				if err != nil {
					b.Fatal(err)
				}
				inv.Finish()
				importer.Render(inv, importer.Options{})
			}
		})
	}
}
