package cost

// PriceBookDate is the date the embedded list prices were taken.
const PriceBookDate = "2026-11-27"

// PriceBookSource says where the embedded prices come from.
const PriceBookSource = "AWS public list prices, USD, us-east-1/us-west-2 (docs/aws-behaviour.md, Prices)"

// PriceEntry is one price of the book.
type PriceEntry struct {
	ID   string  `json:"id"`
	USD  float64 `json:"usd"`
	Unit string  `json:"unit"`
	// Source is the page the list price comes from.
	Source string `json:"source"`
	// Overridden reports that the scenario's [prices] replaced the list price.
	Overridden bool `json:"overridden,omitempty"`
}

// Price entry ids, in book order.
const (
	PriceKMSKey          = "kms_key_month"
	PriceKMSRotation     = "kms_rotation_month"
	PriceKMSRequests     = "kms_requests_per_10k"
	PriceS3Transfer      = "s3_transfer_gb"
	PriceS3RTC           = "s3_rtc_gb"
	PriceS3Put           = "s3_put_per_1000"
	PriceS3Storage       = "s3_storage_gb_month"
	PriceDDBWrite        = "ddb_write_per_million"
	PriceDDBStorage      = "ddb_storage_gb_month"
	PriceR53HealthCheck  = "route53_health_check_month"
	PriceCloudWatchAlarm = "cloudwatch_alarm_month"
)

const (
	srcKMS = "https://aws.amazon.com/kms/pricing/"
	srcS3  = "https://aws.amazon.com/s3/pricing/"
	srcDDB = "https://aws.amazon.com/dynamodb/pricing/on-demand/"
	srcR53 = "https://aws.amazon.com/route53/pricing/"
	srcCW  = "https://aws.amazon.com/cloudwatch/pricing/"
)

// listPrices is the embedded price book. It is never mutated.
var listPrices = [...]PriceEntry{
	{ID: PriceKMSKey, USD: 1.00, Unit: "per key copy per month", Source: srcKMS},
	{ID: PriceKMSRotation, USD: 1.00, Unit: "per key copy per month per rotation (first two)", Source: srcKMS},
	{ID: PriceKMSRequests, USD: 0.03, Unit: "per 10,000 symmetric requests", Source: srcKMS},
	{ID: PriceS3Transfer, USD: 0.02, Unit: "per GB inter-region transfer", Source: srcS3},
	{ID: PriceS3RTC, USD: 0.015, Unit: "per GB replicated with RTC", Source: srcS3},
	{ID: PriceS3Put, USD: 0.005, Unit: "per 1,000 PUT requests", Source: srcS3},
	{ID: PriceS3Storage, USD: 0.023, Unit: "per GB-month, S3 Standard", Source: srcS3},
	{ID: PriceDDBWrite, USD: 0.625, Unit: "per million replicated write units (1 KiB)", Source: srcDDB},
	{ID: PriceDDBStorage, USD: 0.25, Unit: "per GB-month", Source: srcDDB},
	{ID: PriceR53HealthCheck, USD: 0.50, Unit: "per health check per month", Source: srcR53},
	{ID: PriceCloudWatchAlarm, USD: 0.10, Unit: "per alarm per month", Source: srcCW},
}

// PriceIDs returns the ids of the price book entries, in book order. Package
// scenarios uses it to reject unknown [prices] keys.
func PriceIDs() []string {
	ids := make([]string, len(listPrices))
	for i, e := range listPrices {
		ids[i] = e.ID
	}
	return ids
}

// PriceBook returns the price book with the overrides applied, in book order.
// Overrides for unknown ids are ignored (scenarios rejects them).
func PriceBook(overrides map[string]float64) []PriceEntry {
	book := make([]PriceEntry, len(listPrices))
	copy(book, listPrices[:])
	for i := range book {
		if v, ok := overrides[book[i].ID]; ok {
			book[i].USD = v
			book[i].Overridden = true
		}
	}
	return book
}
