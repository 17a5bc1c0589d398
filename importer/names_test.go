package importer

import "testing"

func TestSanitize(t *testing.T) {
	for in, want := range map[string]string{
		"AlertsKey":         "alerts-key",
		"AlertsKMSKey":      "alerts-kms-key",
		"S3Bucket":          "s3-bucket",
		"snowy.alerts_use1": "snowy-alerts-use1",
		"primary":           "primary",
		"--x--":             "x",
		"ÜberKey":           "ber-key",
		"":                  "",
		"KMS":               "kms",
		"table2Replica":     "table2-replica",
	} {
		if got := Sanitize(in); got != want {
			t.Errorf("Sanitize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAssignNames(t *testing.T) {
	var a, b, c, d, e string
	assignNames([]named{
		{name: &a, hint: "this", qualified: "module.east.this"},
		{name: &b, hint: "this", qualified: "module.west.this"},
		{name: &c, hint: "data", qualified: "data"},
		{name: &d, hint: "data", qualified: "data"},
		{name: &e, hint: "!!", fallback: "key"},
	})
	for _, tc := range []struct{ got, want string }{{a, "module-east-this"}, {b, "module-west-this"}, {c, "data"}, {d, "data-2"}, {e, "key"}} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

func TestParseARN(t *testing.T) {
	a, ok := ParseARN("arn:aws:kms:us-west-2:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab")
	if !ok || a.Service != "kms" || a.Region != "us-west-2" || a.Account != "111122223333" || a.Resource != "key/mrk-1234abcd12ab34cd56ef1234567890ab" {
		t.Errorf("ParseARN: %+v %v", a, ok)
	}
	if _, ok := ParseARN("mrk-1234"); ok {
		t.Error("a key ID parsed as an ARN")
	}
	for in, want := range map[string]string{
		"arn:aws:iam::111122223333:role/service-role/s3-replication": "s3-replication",
		"arn:aws:iam::111122223333:user/alice":                       "alice",
		"arn:aws:sts::111122223333:assumed-role/app/session-1":       "app",
		"plain": "plain",
	} {
		if got := PrincipalName(in); got != want {
			t.Errorf("PrincipalName(%q) = %q, want %q", in, got, want)
		}
	}
	if got := BucketNameOf("arn:aws:s3:::snowy-alerts-usw2"); got != "snowy-alerts-usw2" {
		t.Errorf("BucketNameOf = %q", got)
	}
}
