package importer

import (
	"strings"

	"github.com/drsim/drsim/scenarios"
)

// ARN is an Amazon Resource Name split into its fields:
// arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE (IAM and S3 ARNs have an
// empty region; S3 ARNs an empty account too).
type ARN struct {
	Partition, Service, Region, Account, Resource string
}

// ParseARN splits s; ok is false when s is not an ARN, and when its region
// field is neither empty nor shaped like an AWS Region code (a region read
// from an ARN becomes a table name in the scenario).
func ParseARN(s string) (ARN, bool) {
	p := strings.SplitN(s, ":", 6)
	if len(p) != 6 || p[0] != "arn" || p[2] == "" {
		return ARN{}, false
	}
	if shaped, _ := scenarios.RegionCode(p[3]); p[3] != "" && !shaped {
		return ARN{}, false
	}
	return ARN{Partition: p[1], Service: p[2], Region: p[3], Account: p[4], Resource: p[5]}, true
}

// PrincipalName names an IAM role or user by its name, the way drsim names
// principals: the last segment of arn:aws:iam::ACCOUNT:role/PATH/NAME (or
// user/...), the role of an STS assumed-role ARN; a string that is no ARN
// is returned unchanged.
func PrincipalName(s string) string {
	a, ok := ParseARN(s)
	if !ok {
		return s
	}
	switch {
	case a.Service == "sts" && strings.HasPrefix(a.Resource, "assumed-role/"):
		role, _, _ := strings.Cut(strings.TrimPrefix(a.Resource, "assumed-role/"), "/")
		return role
	case a.Service == "iam":
		return a.Resource[strings.LastIndex(a.Resource, "/")+1:]
	}
	return s
}

// BucketNameOf returns the bucket name of an S3 bucket ARN
// (arn:aws:s3:::NAME), or s itself when it is not one.
func BucketNameOf(s string) string {
	if a, ok := ParseARN(s); ok && a.Service == "s3" {
		name, _, _ := strings.Cut(a.Resource, "/")
		return name
	}
	return s
}
