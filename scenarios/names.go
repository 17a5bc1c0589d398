package scenarios

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// regionCodeRE matches the shape of every AWS Region code, current and
// future: a two-letter area, an optional partition (gov, iso...), a compass
// direction, a number. A name of that shape is accepted even when it is not
// in awsRegions (AWS opens new Regions); any other name is a typo.
var regionCodeRE = regexp.MustCompile(`^[a-z]{2}(-gov|-iso[a-z]?)?-(north|south|east|west|central|northeast|northwest|southeast|southwest)-[1-9][0-9]?$`)

// principalRE matches a principal: an IAM role or user name, the last
// part of its ARN. IAM allows letters, digits and + = , . @ _ - in those
// names, at most 64 characters (IAM API Reference, CreateRole and
// CreateUser: RoleName and UserName, pattern [\w+=,.@-]+, length 1 to 64),
// upper case included; never a space.
var principalRE = regexp.MustCompile(`^[A-Za-z0-9+=,.@_-]{1,64}$`)

// principalProblem says what is wrong with a principal's name, "" when
// nothing is.
func principalProblem(s string) string {
	switch {
	case strings.TrimSpace(s) == "":
		return "must not be empty"
	case principalRE.MatchString(s):
		return ""
	case len(s) > 64 && principalRE.MatchString(s[:64]):
		return fmt.Sprintf("%q is longer than an IAM role or user name can be (64 characters)", s)
	}
	return fmt.Sprintf("%q is not an IAM role or user name (letters, digits and + = , . @ _ -, at most 64 characters; no spaces)", s)
}

// isRegionCode reports whether n is a known AWS Region or has the shape of one.
func isRegionCode(n string) bool {
	return slices.Contains(awsRegions, n) || regionCodeRE.MatchString(n)
}

// undeclaredRegionHint completes the message for a region name that the
// scenario uses without declaring it. An AWS Region is most likely meant as
// written, so the hint says how to declare it instead of offering a declared
// region of a similar shape ("eu-west-1" is not a typo of "us-west-2");
// anything else gets a did-you-mean or the declared list. Like a hint, it
// is computed when formatted.
func undeclaredRegionHint(name string, declared []string) fmt.Stringer {
	if !slices.Contains(awsRegions, name) {
		return suggestOrList(name, "declared", declared)
	}
	return declareHint{name, declared}
}

// declareHint says how to declare an AWS Region, and lists at most
// maxListed of the declared ones.
type declareHint struct {
	name     string
	declared []string
}

func (h declareHint) String() string {
	hint := fmt.Sprintf("; add [regions.%s] to declare it", h.name)
	switch n := len(h.declared); {
	case n > maxListed:
		hint += fmt.Sprintf(" (declared: %s, … and %d more)", strings.Join(h.declared[:maxListed], ", "), n-maxListed)
	case n > 0:
		hint += " (declared: " + strings.Join(h.declared, ", ") + ")"
	}
	return hint
}

// awsRegions are the AWS Region codes a scenario may declare. A typo in a
// region name would otherwise silently give the region the smallest default
// KMS quota.
var awsRegions = []string{
	"af-south-1",
	"ap-east-1", "ap-east-2",
	"ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
	"ap-south-1", "ap-south-2",
	"ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7",
	"ca-central-1", "ca-west-1",
	"cn-north-1", "cn-northwest-1",
	"eu-central-1", "eu-central-2",
	"eu-north-1",
	"eu-south-1", "eu-south-2",
	"eu-west-1", "eu-west-2", "eu-west-3",
	"il-central-1",
	"me-central-1", "me-south-1",
	"mx-central-1",
	"sa-east-1",
	"us-east-1", "us-east-2",
	"us-gov-east-1", "us-gov-west-1",
	"us-west-1", "us-west-2",
}

// priceIDs are the price book entry ids that [prices] may override. Package
// report/cost owns the prices (cost.PriceIDs); a test keeps the two lists equal.
var priceIDs = []string{
	"kms_key_month",
	"kms_rotation_month",
	"kms_requests_per_10k",
	"s3_transfer_gb",
	"s3_rtc_gb",
	"s3_put_per_1000",
	"s3_storage_gb_month",
	"ddb_write_per_million",
	"ddb_storage_gb_month",
	"route53_health_check_month",
	"cloudwatch_alarm_month",
}

// PriceIDs returns the price book entry ids that a scenario's [prices] may
// override, in book order.
func PriceIDs() []string { return append([]string(nil), priceIDs...) }
