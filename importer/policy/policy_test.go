package policy

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// summary renders an Analysis compactly for comparison:
// "name: crypto | control | notes".
func summary(a *Analysis) []string {
	var out []string
	for _, p := range a.Principals {
		ctl := strings.Join(p.Control, ",")
		switch {
		case p.Admin():
			ctl = "ADMIN"
		case p.PartialAdmin():
			ctl = "partial: missing " + strings.Join(p.MissingControl(), ",")
		}
		s := fmt.Sprintf("%s: %s | %s", p.Name, strings.Join(p.Crypto, ","), ctl)
		if len(p.Notes) > 0 {
			s += " | " + strings.Join(p.Notes, "; ")
		}
		if p.Undecided {
			s += " | undecided"
		}
		out = append(out, s)
	}
	return out
}

const consoleAdmin = `"kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*",
 "kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource", "kms:UntagResource",
 "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion"`

func TestAnalyze(t *testing.T) {
	for _, tc := range []struct {
		name, doc string
		want      []string
		undecided map[string]int
		ignored   int
	}{{
		name: "a condition on a service principal decides nothing drsim simulates: not counted (the new user's summary counted it)",
		doc: `{"Statement": [
		 {"Sid": "App", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/app"}, "Action": "kms:Decrypt"},
		 {"Sid": "Logs", "Effect": "Allow", "Principal": {"Service": "logs.us-east-1.amazonaws.com"}, "Action": "kms:Encrypt*",
		  "Condition": {"ArnLike": {"kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:us-east-1:111122223333:*"}}},
		 {"Sid": "NoLogs", "Effect": "Deny", "Principal": {"Service": "logs.us-east-1.amazonaws.com"}, "Action": "kms:Decrypt",
		  "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}`,
		want:      []string{`app: kms:Decrypt | `},
		undecided: map[string]int{},
		ignored:   1,
	}, {
		name: "default policy of CreateKey: the account root delegates to IAM",
		doc: `{"Version": "2012-10-17", "Id": "key-default-1", "Statement": [{"Sid": "Enable IAM User Permissions",
			"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}]}`,
		want:      []string{`*: kms:Decrypt,kms:Encrypt,kms:GenerateDataKey | ADMIN | account root 111122223333: IAM policies decide ("Enable IAM User Permissions") | undecided`},
		undecided: map[string]int{AccountRoot: 1},
	}, {
		name: "console policy: admins lack ReplicateKey and RotateKeyOnDemand, users, a service grant under a condition",
		doc: `{"Statement": [
		 {"Sid": "Admins", "Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:role/key-admin"]},
		  "Action": [` + consoleAdmin + `], "Resource": "*"},
		 {"Sid": "Use", "Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:role/app", "arn:aws:iam::111122223333:user/ops/alice"]},
		  "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"], "Resource": "*"},
		 {"Sid": "Grants", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/app"},
		  "Action": ["kms:CreateGrant", "kms:ListGrants"], "Resource": "*", "Condition": {"Bool": {"kms:GrantIsForAWSResource": "true"}}},
		 {"Sid": "Logs", "Effect": "Allow", "Principal": {"Service": "logs.us-east-1.amazonaws.com"}, "Action": "kms:Encrypt*", "Resource": "*"}
		]}`,
		want: []string{
			`alice: kms:Decrypt,kms:Encrypt,kms:GenerateDataKey | `,
			`app: kms:Decrypt,kms:Encrypt,kms:GenerateDataKey | `,
			`key-admin:  | partial: missing kms:ReplicateKey,kms:RotateKeyOnDemand`,
		},
		undecided: map[string]int{},
		ignored:   1,
	}, {
		name: "replication role: Decrypt only, via an assumed-role ARN; conditions and a bare account ID",
		doc: `{"Statement": {"Sid": "Replicate", "Effect": "Allow",
		  "Principal": {"AWS": ["arn:aws:sts::111122223333:assumed-role/s3-replication/s3-session", "444455556666"]},
		  "Action": "kms:Decrypt", "Resource": "*",
		  "Condition": {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}, "StringLike": {"kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::b/*"}}}}`,
		want: []string{
			`*: kms:Decrypt | ` + ` | account root 444455556666: IAM policies decide ("Replicate"); condition on kms:EncryptionContext:aws:s3:arn, kms:ViaService ("Replicate") | undecided`,
			`s3-replication: kms:Decrypt | ` + ` | condition on kms:EncryptionContext:aws:s3:arn, kms:ViaService ("Replicate") | undecided`,
		},
		undecided: map[string]int{Condition: 1, AccountRoot: 1},
	}, {
		name: "Deny wins over Allow, in any order; NotAction",
		doc: `{"Statement": [
		 {"Effect": "Deny", "Principal": {"AWS": "arn:aws:iam::111122223333:role/app"}, "Action": ["kms:Encrypt", "kms:GenerateDataKey*"], "Resource": "*"},
		 {"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:role/app", "arn:aws:iam::111122223333:role/ops"]}, "NotAction": ["kms:ReplicateKey", "kms:Sign"], "Resource": "*"}
		]}`,
		want: []string{
			`app: kms:Decrypt | partial: missing kms:ReplicateKey`,
			`ops: kms:Decrypt,kms:Encrypt,kms:GenerateDataKey | partial: missing kms:ReplicateKey`,
		},
		undecided: map[string]int{},
	}, {
		name: "Principal * and case-insensitive wildcards; a conditional Deny is a note",
		doc: `{"Statement": [
		 {"Effect": "Allow", "Principal": "*", "Action": ["KMS:decrypt", "kms:Gen?rateDataKey*"], "Resource": "*"},
		 {"Sid": "TLS", "Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
		]}`,
		want: []string{
			`*: kms:Decrypt,kms:GenerateDataKey | ` + ` | denied kms:Decrypt, kms:Encrypt, kms:GenerateDataKey, kms:ReplicateKey, kms:UpdatePrimaryRegion, kms:EnableKey, kms:DisableKey, kms:PutKeyPolicy, kms:ScheduleKeyDeletion, kms:CancelKeyDeletion, kms:RotateKeyOnDemand on condition aws:SecureTransport ("TLS") | undecided`,
		},
		undecided: map[string]int{Condition: 1},
	}, {
		name: "NotPrincipal: Allow grants everyone but; Deny removes from every other named principal",
		doc: `{"Statement": [
		 {"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:role/a", "arn:aws:iam::111122223333:role/b"]}, "Action": "kms:Decrypt", "Resource": "*"},
		 {"Sid": "OnlyB", "Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:role/b"}, "Action": "kms:Decrypt", "Resource": "*"},
		 {"Sid": "AllButC", "Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:role/c"}, "Action": "kms:Encrypt", "Resource": "*"}
		]}`,
		want: []string{
			`*: kms:Encrypt | ` + ` | NotPrincipal: everyone but c ("AllButC"); denied kms:Decrypt unless NotPrincipal ("OnlyB") | undecided`,
			`b: kms:Decrypt | `,
		},
		undecided: map[string]int{NotPrincip: 2},
	}, {
		name: "a named principal denied while * is allowed",
		doc: `{"Statement": [
		 {"Sid": "All", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:*", "Resource": "*"},
		 {"Sid": "NotX", "Effect": "Deny", "Principal": {"AWS": "arn:aws:iam::111122223333:role/x"}, "Action": "kms:Decrypt", "Resource": "*"}
		]}`,
		want: []string{
			`*: kms:Decrypt,kms:Encrypt,kms:GenerateDataKey | ADMIN | except x, denied kms:Decrypt ("NotX")`,
		},
		undecided: map[string]int{},
	}, {
		name: "unique IDs, federated and canonical users are ignored; unrelated actions grant nothing",
		doc: `{"Statement": [
		 {"Effect": "Allow", "Principal": {"AWS": "AROAEXAMPLEID1234567", "Federated": "cognito-identity.amazonaws.com", "CanonicalUser": "79a59df900b949e55d96a1e698fbaced"}, "Action": "kms:Decrypt", "Resource": "*"},
		 {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/app"}, "Action": ["kms:DescribeKey", "kms:Sign"], "Resource": "*", "Condition": {"Null": {"x": "false"}}}
		]}`,
		want:      nil,
		undecided: map[string]int{},
		ignored:   3,
	}} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := Analyze(tc.doc)
			if err != nil {
				t.Fatal(err)
			}
			if got := summary(a); !slices.Equal(got, tc.want) {
				t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(tc.want, "\n  "))
			}
			for k, n := range tc.undecided {
				if a.Undecided[k] != n {
					t.Errorf("undecided %s = %d, want %d", k, a.Undecided[k], n)
				}
			}
			want := 0
			for _, n := range tc.undecided {
				want += n
			}
			if a.UndecidedTotal() != want {
				t.Errorf("undecided total %d (%v), want %d", a.UndecidedTotal(), a.Undecided, want)
			}
			if len(a.Ignored) != tc.ignored {
				t.Errorf("ignored %q, want %d", a.Ignored, tc.ignored)
			}
		})
	}
}

func TestAllows(t *testing.T) {
	a, err := Analyze(`{"Statement": [
	 {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
	 {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/app"}, "Action": "kms:Decrypt", "Resource": "*"}]}`)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		who, action        string
		allowed, undecided bool
	}{
		{"app", "kms:Decrypt", true, false},       // its own grant decides
		{"app", "kms:Encrypt", true, true},        // only through the account root
		{"nobody", "kms:Encrypt", true, true},     // likewise
		{"app", "kms:NoSuchAction", false, false}, // not modelled
	} {
		al, un := a.Allows(tc.who, tc.action)
		if al != tc.allowed || un != tc.undecided {
			t.Errorf("Allows(%s, %s) = %v, %v; want %v, %v", tc.who, tc.action, al, un, tc.allowed, tc.undecided)
		}
	}
	b, _ := Analyze(`{"Statement": {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/app"}, "Action": "kms:Decrypt", "Resource": "*"}}`)
	if al, _ := b.Allows("s3-replication", "kms:Decrypt"); al {
		t.Error("a principal the policy does not name is allowed")
	}
}

func TestAnalyzeErrors(t *testing.T) {
	for _, tc := range []struct{ doc, want string }{
		{"{\"Statement\": [\n  {\"Effect\": \"Allow\",}]}", `key policy 2:22: malformed JSON: invalid character '}' looking for beginning of object key string`},
		{`[]`, `key policy: expected a policy document (an object with Statement), got an array`},
		{`{"Version": "2012-10-17"}`, `key policy: Statement: missing: a key policy needs at least one statement`},
		{`{"Statement": "x"}`, `key policy: Statement: expected an object or an array of objects, got a string`},
		{`{"Statement": [{"Effect": "allow", "Principal": "*", "Action": "*"}]}`, `key policy: Statement[0].Effect: expected "Allow" or "Deny", got "allow"`},
		{`{"Statement": [{"Effect": "Allow", "Principal": "*"}]}`, `key policy: Statement[0]: has neither Action nor NotAction`},
		{`{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "NotAction": "x"}]}`, `key policy: Statement[0]: has both Action and NotAction`},
		{`{"Statement": [{"Effect": "Allow", "Action": "*"}]}`, `key policy: Statement[0]: has neither Principal nor NotPrincipal (a key policy statement needs one)`},
		{`{"Statement": [{"Effect": "Allow", "Principal": "app", "Action": "*"}]}`, `key policy: Statement[0].Principal: expected "*" or an object like {"AWS": [...]}, got "app"`},
		{`{"Statement": [{"Effect": "Allow", "Principal": {"AWS": [1]}, "Action": "*"}]}`, `key policy: Statement[0].Principal.AWS[0]: expected a string, got a number`},
		{`{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": {"a": 1}}]}`, `key policy: Statement[0].Action: expected a string or an array of strings, got an object`},
		{`{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Condition": []}]}`, `key policy: Statement[0].Condition: expected an object, got an array`},
	} {
		_, err := Analyze(tc.doc)
		var pe *Error
		if !errors.As(err, &pe) || err.Error() != tc.want {
			t.Errorf("Analyze(%s):\n got  %v\n want %s", tc.doc, err, tc.want)
		}
	}
}

func FuzzAnalyze(f *testing.F) {
	f.Add(`{"Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*"}]}`)
	f.Add(`{"Statement": {"Effect": "Deny", "NotPrincipal": {"AWS": ["arn:aws:sts::1:assumed-role/r/s"]}, "NotAction": "kms:[a", "Condition": {"Bool": {"a": "b"}}}}`)
	f.Add(`{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": ["kms:Gen*", "*\\"]}]}`)
	f.Fuzz(func(t *testing.T, doc string) {
		a, err := Analyze(doc)
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		for _, p := range a.Principals {
			if p.Name == "" || !p.User() && p.Control == nil {
				t.Fatalf("principal %+v listed without a grant", p)
			}
		}
	})
}
