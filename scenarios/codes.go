package scenarios

import "slices"

// ValidName reports whether s is a valid name for a scenario, a key, a
// store or a step: [a-z0-9][a-z0-9-]*, as the decoder requires. drsim
// import checks --name with it before writing a scenario.
func ValidName(s string) bool { return namePattern.MatchString(s) }

// NameRule describes ValidName's rule, for messages.
const NameRule = nameRule

// RegionCode reports whether s has the shape of an AWS Region code
// ("us-east-1", "us-gov-west-1"), which the decoder accepts, and whether it
// is a Region drsim knows. drsim import checks the regions it reads with
// it: a name of another shape is an error, an unknown one of the right
// shape a warning.
func RegionCode(s string) (shaped, known bool) {
	known = slices.Contains(awsRegions, s)
	return known || regionCodeRE.MatchString(s), known
}

// AWSRegions returns the AWS Region codes drsim knows, for did-you-mean
// hints.
func AWSRegions() []string { return slices.Clone(awsRegions) }
