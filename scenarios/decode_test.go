package scenarios

import (
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/drsim/drsim/model"
	"github.com/drsim/drsim/sim"
)

// base is a small valid scenario; the tests edit it line by line, so its
// line numbers matter (see the comments on the right).
const base = `name = "t"
horizon = "24h"

[regions.us-east-1]
[regions.us-west-2]
[regions.eu-west-1]

[keys.mrk]
multi_region = true
primary = "us-east-1"
replicas = ["us-west-2"]
users = ["app"]

[keys.single]
region = "us-east-1"

[app]
principal = "app"
serve = ["us-east-1"]

[buckets.b]
region = "us-east-1"
key = "mrk"

[[buckets.b.replication]]
to = "us-west-2"
key = "mrk"

[tables.t]
regions = ["us-east-1", "us-west-2"]
key = "mrk"

[tables.t.backup]
to = "us-west-2"
every = "1h"
copy = "10m"
key = "mrk"

[[outages]]
region = "us-east-1"
start = "1h"
duration = "2h"

[failover]
from = "us-east-1"
to = "us-west-2"
detect = "5m"

[[failover.steps]]
name = "a"

[[failover.steps]]
name = "b"
after = ["a"]
op = "update-primary-region"
key = "mrk"
region = "us-west-2"

[[actions]]
at = "1h"
op = "disable-key"
key = "mrk"
region = "us-west-2"
`

// edit applies old→new pairs to base; each old must occur exactly once; an
// empty old appends new at the end (line 64 on).
func edit(t *testing.T, pairs ...string) string {
	t.Helper()
	s := base
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i] == "" { // append
			s += pairs[i+1]
			continue
		}
		if n := strings.Count(s, pairs[i]); n != 1 {
			t.Fatalf("edit: %q occurs %d times", pairs[i], n)
		}
		s = strings.Replace(s, pairs[i], pairs[i+1], 1)
	}
	return s
}

func parseString(t *testing.T, src string) (*model.Config, ErrorList) {
	t.Helper()
	c, err := Parse("t.toml", []byte(src), nil)
	if err == nil {
		return c, nil
	}
	var list ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("Parse error %T is not an ErrorList: %v", err, err)
	}
	if c != nil {
		t.Fatal("Parse returned a config with an error")
	}
	return nil, list
}

func TestBaseIsValid(t *testing.T) {
	if _, errs := parseString(t, base); errs != nil {
		t.Fatalf("base scenario: %v", errs)
	}
}

func TestSemanticErrors(t *testing.T) {
	tests := []struct {
		name  string
		edits []string
		want  []string // each must be one of the error lines, or a substring of one
	}{
		{"undeclared region", []string{`replicas = ["us-west-2"]`, `replicas = ["us-west-9"]`},
			[]string{`scenarios: t.toml:11:13: keys.mrk.replicas: "us-west-9" is not a declared region (did you mean "us-west-2"?)`}},
		{"undeclared region without near name", []string{`from = "us-east-1"`, `from = "mars"`},
			[]string{`t.toml:45:1: failover.from: "mars" is not a declared region; declared: eu-west-1, us-east-1, us-west-2`}},
		{"unknown key", []string{`replicas =`, `replica =`},
			[]string{`t.toml:11:1: keys.mrk.replica: unknown key (did you mean "replicas"?)`}},
		{"unknown key without near name", []string{`users = ["app"]`, `colour = "red"`},
			[]string{`t.toml:12:1: keys.mrk.colour: unknown key; valid keys here: multi_region, primary, replicas, region, users, users_in, rotation`}},
		{"key in the wrong table", []string{"key = \"mrk\"\n\n[[buckets", "key = \"mrk\"\nrtc = true\n[[buckets"},
			[]string{`t.toml:24:1: buckets.b.rtc: unknown key here; rtc belongs in [[buckets.NAME.replication]]`}},
		{"top-level key in a table", []string{"[keys.single]\nregion = \"us-east-1\"\n", "[keys.single]\nregion = \"us-east-1\"\nseed = 3"},
			[]string{`t.toml:16:1: keys.single.seed: unknown key here; seed belongs at the top of the file, before any [table]`}},
		{"unknown top-level key", []string{`horizon =`, `horizn =`},
			[]string{`t.toml:2:1: horizn: unknown key (did you mean "horizon"?)`, `t.toml: horizon: required: simulated time per trial`}},
		{"wrong type", []string{`horizon = "24h"`, `horizon = 24`},
			[]string{`t.toml:2:1: horizon: expected a duration string like "90s", got integer 24 (a bare number is not a duration: write "24s" or "24m")`}},
		{"wrong type of table", []string{"[app]\nprincipal = \"app\"\nserve = [\"us-east-1\"]", "\n\n", `horizon = "24h"`, "horizon = \"24h\"\napp = 3"},
			[]string{`t.toml:3:1: app: expected a table, got integer 3`}},
		{"unknown key reference", []string{"key = \"mrk\"\n\n[[buckets", "key = \"mkr\"\n\n[[buckets"},
			[]string{`t.toml:23:1: buckets.b.key: "mkr" is not a declared key (did you mean "mrk"?)`}},
		{"unknown store", []string{"op = \"disable-key\"\nkey = \"mrk\"\nregion = \"us-west-2\"", "op = \"restore-backup\"\nstore = \"tx\""},
			[]string{`t.toml:62:1: actions[0].store: "tx" is not a declared bucket or table (did you mean "t"?)`}},
		{"store without backup", []string{"op = \"disable-key\"\nkey = \"mrk\"\nregion = \"us-west-2\"", "op = \"restore-backup\"\nstore = \"b\""},
			[]string{`t.toml:62:1: actions[0].store: "b" has no backup to restore`}},
		{"unknown step", []string{`after = ["a"]`, `after = ["approve"]`},
			[]string{`t.toml:54:10: failover.steps[1].after: "approve" is not a step`}},
		{"replica in primary region", []string{`replicas = ["us-west-2"]`, `replicas = ["us-east-1"]`},
			[]string{`t.toml:11:13: keys.mrk.replicas: "us-east-1" is the primary's region; a replica must be in another region`}},
		{"duplicate replica", []string{`replicas = ["us-west-2"]`, `replicas = ["us-west-2", "us-west-2"]`},
			[]string{`t.toml:11:26: keys.mrk.replicas: "us-west-2" is listed twice`}},
		{"single-Region key with replicas", []string{"region = \"us-east-1\"\n\n[app]", "region = \"us-east-1\"\nreplicas = [\"us-west-2\"]\n[app]"},
			[]string{`t.toml:16:1: keys.single.replicas: a single-Region key cannot have replicas (set multi_region = true)`}},
		{"single-Region key with primary", []string{"region = \"us-east-1\"\n\n[app]", "region = \"us-east-1\"\nprimary = \"us-west-2\"\n[app]"},
			[]string{`t.toml:16:1: keys.single.primary: a single-Region key has no primary`}},
		{"single-Region key without region", []string{"region = \"us-east-1\"\n\n[app]", "\n\n[app]"},
			[]string{`t.toml:14:7: keys.single.region: required: the home region of a single-Region key`}},
		{"multi-Region key without primary", []string{`primary = "us-east-1"`, `# none`},
			[]string{`t.toml:8:7: keys.mrk.primary: required: the primary's region of a multi-Region key`}},
		{"multi-Region key with region", []string{`primary = "us-east-1"`, `region = "us-east-1"`},
			[]string{`t.toml:10:1: keys.mrk.region: a multi-Region key has a primary, not a region`}},
		{"rotation too short", []string{"users = [\"app\"]\n\n", "users = [\"app\"]\nrotation = \"30d\"\n"},
			[]string{`t.toml:13:1: keys.mrk.rotation: rotation period 30d is outside 90d..2560d`}},
		{"rotation too long", []string{"users = [\"app\"]\n\n", "users = [\"app\"]\nrotation = \"2561d\"\n"},
			[]string{`t.toml:13:1: keys.mrk.rotation: rotation period 2561d is outside 90d..2560d`}},
		{"users_in of a single-Region key", []string{"region = \"us-east-1\"\n\n[app]", "region = \"us-east-1\"\nusers_in = { us-west-2 = [\"x\"] }\n[app]"},
			[]string{`t.toml:16:14: keys.single.users_in.us-west-2: a single-Region key has its only copy in "us-east-1", not "us-west-2"`}},
		{"horizon not positive", []string{`horizon = "24h"`, `horizon = "0s"`},
			[]string{`t.toml:2:1: horizon: must be positive`}},
		{"every not positive", []string{`every = "1h"`, `every = "0s"`},
			[]string{`t.toml:35:1: tables.t.backup.every: must be positive`}},
		{"retry not positive", []string{"name = \"a\"\n\n", "name = \"a\"\nretry = \"0s\"\n"},
			[]string{`t.toml:51:1: failover.steps[0].retry: must be positive`}},
		{"window out of range", []string{`op = "disable-key"`, `op = "schedule-key-deletion"`, "", "window = \"3d\"\n"},
			[]string{`t.toml:64:1: actions[0].window: waiting period 3d is outside 7d..30d`}},
		{"window on another op", []string{"", "window = \"10d\"\n"},
			[]string{`t.toml:64:1: actions[0].window: not used by disable-key`}},
		{"lognormal p99 below median", []string{`duration = "2h"`, `duration = "lognormal(median=2h, p99=1h)"`},
			[]string{`t.toml:42:1: outages[0].duration: lognormal: p99 (1h) is below the median (2h)`}},
		{"uniform min above max", []string{`start = "1h"`, `start = "uniform(3h, 1h)"`},
			[]string{`t.toml:41:1: outages[0].start: uniform: min (3h) is above max (1h)`}},
		{"triangular order", []string{`detect = "5m"`, `detect = "triangular(1m, 10m, 5m)"`},
			[]string{`t.toml:47:1: failover.detect: triangular: needs min <= mode <= max, got min 1m, mode 10m, max 5m`}},
		{"probability above 1", []string{"duration = \"2h\"\n\n", "duration = \"2h\"\nprobability = 1.5\n"},
			[]string{`t.toml:43:1: outages[0].probability: must be in [0, 1], got 1.5`}},
		{"probability negative", []string{"duration = \"2h\"\n\n", "duration = \"2h\"\nprobability = -0.1\n"},
			[]string{`outages[0].probability: must be in [0, 1], got -0.1`}},
		{"success zero", []string{"", "\n[objectives]\nsuccess = 0.0\n"},
			[]string{`t.toml:66:1: objectives.success: must be in (0, 1], got 0`}},
		{"success above 1", []string{"", "\n[objectives]\nsuccess = 1.01\n"},
			[]string{`t.toml:66:1: objectives.success: must be in (0, 1], got 1.01`}},
		{"bad scenario name", []string{`name = "t"`, `name = "My Scenario"`},
			[]string{`t.toml:1:1: name: "My Scenario" is not a valid name (names use lowercase letters, digits and "-", and start with a letter or digit)`}},
		{"bad step name", []string{`name = "a"`, `name = "-a"`},
			[]string{`t.toml:50:1: failover.steps[0].name: "-a" is not a valid name`}},
		{"bad key name", []string{"[keys.single]", "[keys.Single]"},
			[]string{`t.toml:14:7: keys.Single: "Single" is not a valid name`}},
		{"multi-line description", []string{`horizon = "24h"`, "horizon = \"24h\"\ndescription = \"\"\"\none\ntwo\"\"\"\n"},
			[]string{`t.toml:3:1: description: must be one line`}},
		{"inline array of tables", []string{"[[outages]]\nregion = \"us-east-1\"\nstart = \"1h\"\nduration = \"2h\"\n", "\n\n\n\n",
			`horizon = "24h"`, "horizon = \"24h\"\noutages = [{ region = \"us-east-1\", start = \"1h\", duration = \"2h\" }, { region = \"us-eest-1\", start = \"1h\", duration = \"2h\" }]"},
			[]string{`t.toml:3:71: outages[1].region: "us-eest-1" is not a declared region (did you mean "us-east-1"?)`}},
		{"key not a table", []string{"[keys.single]\nregion = \"us-east-1\"\n", "[keys]\nsingle = 5\n"},
			[]string{`t.toml:15:1: keys.single: expected a table, got integer 5`}},
		{"outage not a table", []string{"[[outages]]\nregion = \"us-east-1\"\nstart = \"1h\"\nduration = \"2h\"\n", "\n\n\n\n",
			`horizon = "24h"`, "horizon = \"24h\"\noutages = [3]"},
			[]string{`t.toml:3:12: outages[0]: expected a table, got integer 3`}},
		{"missing name", []string{`name = "t"`, `# no name`},
			[]string{"scenarios: t.toml: name: required: the scenario's name"}},
		{"step cycle", []string{"name = \"a\"\n\n", "name = \"a\"\nafter = [\"b\"]\n"},
			[]string{`failover.steps[1].after: steps form a cycle: "a" after "b" after "a"`}},
		{"longer step cycle", []string{"name = \"a\"\n\n", "name = \"a\"\nafter = [\"c\"]\n", "region = \"us-west-2\"\n\n[[actions]]", "region = \"us-west-2\"\n[[failover.steps]]\nname = \"c\"\nafter = [\"b\"]\n[[actions]]"},
			[]string{`t.toml:54:1: failover.steps[1].after: steps form a cycle: "a" after "c" after "b" after "a"`}},
		{"step after itself", []string{`after = ["a"]`, `after = ["b"]`},
			[]string{`t.toml:54:10: failover.steps[1].after: step "b" cannot come after itself`}},
		{"duplicate step", []string{`name = "b"`, `name = "a"`},
			[]string{`t.toml:53:1: failover.steps[1].name: step "a" is already declared at failover.steps[0]`}},
		{"keys_in not covering", []string{"regions = [\"us-east-1\", \"us-west-2\"]\nkey = \"mrk\"", "regions = [\"us-east-1\", \"us-west-2\"]\nkeys_in = { us-east-1 = \"mrk\" }"},
			[]string{`t.toml:31:1: tables.t.keys_in: no key for "us-west-2"; keys_in must name a key for each of the table's regions`}},
		{"keys_in beyond regions", []string{"regions = [\"us-east-1\", \"us-west-2\"]\nkey = \"mrk\"", "regions = [\"us-east-1\", \"us-west-2\"]\nkeys_in = { us-east-1 = \"mrk\", us-west-2 = \"mrk\", eu-west-1 = \"mrk\" }"},
			[]string{`t.toml:31:51: tables.t.keys_in.eu-west-1: "eu-west-1" is not one of the table's regions`}},
		{"keys_in unknown key", []string{"regions = [\"us-east-1\", \"us-west-2\"]\nkey = \"mrk\"", "regions = [\"us-east-1\", \"us-west-2\"]\nkeys_in = { us-east-1 = \"mrk\", us-west-2 = \"sngle\" }"},
			[]string{`t.toml:31:32: tables.t.keys_in.us-west-2: "sngle" is not a declared key (did you mean "single"?)`}},
		{"key and keys_in", []string{"key = \"mrk\"\n\n[tables.t.backup]", "key = \"mrk\"\nkeys_in = { us-east-1 = \"mrk\", us-west-2 = \"mrk\" }\n[tables.t.backup]"},
			[]string{`t.toml:32:1: tables.t.keys_in: give either key or keys_in, not both`}},
		{"neither key nor keys_in", []string{"regions = [\"us-east-1\", \"us-west-2\"]\nkey = \"mrk\"", "regions = [\"us-east-1\", \"us-west-2\"]\n"},
			[]string{`t.toml:29:9: tables.t.key: required: the at-rest key`}},
		{"partition with three regions", []string{"", "\n[[outages]]\nkind = \"partition\"\nregions = [\"us-east-1\", \"us-west-2\", \"eu-west-1\"]\nstart = \"1h\"\nduration = \"1h\"\n"},
			[]string{`t.toml:67:1: outages[1].regions: a partition needs exactly two distinct regions, got 3`}},
		{"partition with one region twice", []string{"", "\n[[outages]]\nkind = \"partition\"\nregions = [\"us-east-1\", \"us-east-1\"]\nstart = \"1h\"\nduration = \"1h\"\n"},
			[]string{`t.toml:67:25: outages[1].regions: "us-east-1" is listed twice`}},
		{"partition with region", []string{"", "\n[[outages]]\nkind = \"partition\"\nregion = \"us-east-1\"\nregions = [\"us-east-1\", \"us-west-2\"]\nstart = \"1h\"\nduration = \"1h\"\n"},
			[]string{`t.toml:67:1: outages[1].region: not used by a partition`}},
		{"unknown outage kind", []string{"", "\n[[outages]]\nkind = \"partiton\"\nstart = \"1h\"\nduration = \"1h\"\n"},
			[]string{`t.toml:66:1: outages[1].kind: unknown outage kind "partiton" (did you mean "partition"?)`}},
		{"outage without start", []string{`start = "1h"`, `# none`},
			[]string{`t.toml:39:3: outages[0].start: required: when the outage begins`}},
		{"put-key-policy without users", []string{`op = "disable-key"`, `op = "put-key-policy"`},
			[]string{`t.toml:59:3: actions[0].users: required: put-key-policy needs the principals of the new key policy`}},
		{"replicate-key without region", []string{"op = \"disable-key\"\nkey = \"mrk\"\nregion = \"us-west-2\"", "op = \"replicate-key\"\nkey = \"mrk\""},
			[]string{`t.toml:59:3: actions[0].region: required: replicate-key needs the region of the copy acted on`}},
		{"enable-key without key", []string{"op = \"disable-key\"\nkey = \"mrk\"", "op = \"enable-key\"\n"},
			[]string{`t.toml:59:3: actions[0].key: required: enable-key needs the key acted on`}},
		{"update-primary-region without region", []string{"key = \"mrk\"\nregion = \"us-west-2\"\n\n[[actions]]", "key = \"mrk\"\n\n\n[[actions]]"},
			[]string{`t.toml:52:12: failover.steps[1].region: required: update-primary-region needs the region of the copy acted on`}},
		{"rotate-key with an undeclared region", []string{"op = \"disable-key\"\nkey = \"mrk\"\nregion = \"us-west-2\"", "op = \"rotate-key\"\nkey = \"mrk\"\nregion = \"us-west-9\""},
			[]string{`actions[0].region: "us-west-9" is not a declared region (did you mean "us-west-2"?)`}},
		{"restore-backup into another region", []string{"op = \"disable-key\"\nkey = \"mrk\"\nregion = \"us-west-2\"", "op = \"restore-backup\"\nstore = \"t\"\nregion = \"eu-west-1\""},
			[]string{`actions[0].region: restore-backup restores into the backup's region "us-west-2", not "eu-west-1"`}},
		{"restore-backup with key", []string{"op = \"disable-key\"\nkey = \"mrk\"\nregion = \"us-west-2\"", "op = \"restore-backup\"\nstore = \"t\"\nkey = \"mrk\""},
			[]string{`t.toml:63:1: actions[0].key: not used by restore-backup`}},
		{"action without op", []string{`op = "disable-key"`, `# none`},
			[]string{`t.toml:59:3: actions[0].op: required: one of replicate-key, update-primary-region`}},
		{"step key without op", []string{"name = \"a\"\n\n", "name = \"a\"\nkey = \"mrk\"\n"},
			[]string{`t.toml:51:1: failover.steps[0].key: only used with op = ...`}},
		{"unknown op", []string{`op = "disable-key"`, `op = "disable-keys"`},
			[]string{`t.toml:61:1: actions[0].op: unknown op "disable-keys" (did you mean "disable-key"?)`}},
		{"unknown service", []string{"duration = \"2h\"\n\n", "duration = \"2h\"\nservices = [\"kms\", \"dynamo\"]\n"},
			[]string{`t.toml:43:20: outages[0].services: unknown service "dynamo" (did you mean "dynamodb"?)`}},
		{"unknown service far from any", []string{"duration = \"2h\"\n\n", "duration = \"2h\"\nservices = [\"ec2\"]\n"},
			[]string{`t.toml:43:13: outages[0].services: unknown service "ec2"; services: kms, s3, dynamodb, app`}},
		{"unknown op far from any", []string{`op = "disable-key"`, `op = "reboot"`},
			[]string{`t.toml:61:1: actions[0].op: unknown op "reboot"; ops: replicate-key, update-primary-region, enable-key, disable-key, schedule-key-deletion, cancel-key-deletion, rotate-key, put-key-policy, restore-backup`}},
		{"empty services", []string{"duration = \"2h\"\n\n", "duration = \"2h\"\nservices = []\n"},
			[]string{`t.toml:43:1: outages[0].services: empty; omit it to take every service down`}},
		{"failover from equals to", []string{`to = "us-west-2"
detect`, `to = "us-east-1"
detect`},
			[]string{`t.toml:46:1: failover.to: is the same region as from ("us-east-1")`}},
		{"failover without detect", []string{`detect = "5m"`, `# none`},
			[]string{`t.toml:44:2: failover.detect: required`}},
		{"empty serve", []string{`serve = ["us-east-1"]`, `serve = []`},
			[]string{`t.toml:19:1: app.serve: must name at least one region`}},
		{"missing principal", []string{`principal = "app"`, `# none`},
			[]string{`t.toml:17:2: app.principal: required: who calls KMS and the stores`}},
		{"missing app", []string{"[app]\nprincipal = \"app\"\nserve = [\"us-east-1\"]", "\n\n"},
			[]string{`t.toml: app: required: [app] with principal and serve`}},
		{"replication to source region", []string{`to = "us-west-2"
key = "mrk"

[tables.t]`, `to = "us-east-1"
key = "mrk"

[tables.t]`},
			[]string{`t.toml:26:1: buckets.b.replication[0].to: "us-east-1" is the source bucket's region`}},
		{"store name collision", []string{"[tables.t]", "[tables.b]", "[tables.t.backup]", "[tables.b.backup]"},
			[]string{`t.toml:29:9: tables.b: "b" is also the name of a bucket; stores need distinct names`}},
		{"outage stream collision", []string{"region = \"us-east-1\"\nstart", "name = \"outage-2\"\nregion = \"us-east-1\"\nstart", "", "\n[[outages]]\nregion = \"us-west-2\"\nstart = \"1h\"\nduration = \"1h\"\n"},
			[]string{`t.toml:66:3: outages[1]: has the same random stream "outage-2" as outages[0]; give each outage a distinct name`}},
		{"account", []string{`horizon = "24h"`, `horizon = "24h"
account = "1234"`},
			[]string{`t.toml:3:1: account: "1234" is not an AWS account ID (12 digits)`}},
		{"trials zero", []string{`horizon = "24h"`, `horizon = "24h"
trials = 0`},
			[]string{`t.toml:3:1: trials: must be a positive integer, got 0`}},
		{"trials float", []string{`horizon = "24h"`, `horizon = "24h"
trials = 1.5`},
			[]string{`t.toml:3:1: trials: expected an integer, got float 1.5`}},
		{"seed negative", []string{`horizon = "24h"`, `horizon = "24h"
seed = -1`},
			[]string{`t.toml:3:1: seed: must not be negative, got -1`}},
		{"kms_rps negative", []string{"[regions.us-east-1]\n", "[regions.us-east-1]\nkms_rps = -5\n"},
			[]string{`t.toml:5:1: regions.us-east-1.kms_rps: must be positive, got -5`}},
		{"kms_rps zero rate", []string{"[regions.us-east-1]\n", "[regions.us-east-1]\nkms_rps = \"0/s\"\n"},
			[]string{`t.toml:5:1: regions.us-east-1.kms_rps: must be positive, got 0`}},
		{"kms_rps rate", []string{"[regions.us-east-1]\n", "[regions.us-east-1]\nkms_rps = \"2000/fortnight\"\n"},
			[]string{`t.toml:5:1: regions.us-east-1.kms_rps: unknown unit "fortnight" in rate "2000/fortnight" (use /s, /min, /h or /day)`}},
		{"kms_rps of wrong type", []string{"[regions.us-east-1]\n", "[regions.us-east-1]\nkms_rps = true\n"},
			[]string{`t.toml:5:1: regions.us-east-1.kms_rps: expected a number per second or a rate string like "20/s", got boolean true`}},
		{"no regions", []string{"[regions.us-east-1]\n[regions.us-west-2]\n[regions.eu-west-1]\n", "\n\n\n"},
			[]string{`t.toml: regions: required: declare every region used`}},
		{"string array of wrong type", []string{`users = ["app"]`, `users = ["app", 3]`},
			[]string{`t.toml:12:17: keys.mrk.users: element 1: expected a string, got integer 3`}},
		{"empty principal", []string{`users = ["app"]`, `users = ["app", " "]`},
			[]string{`t.toml:12:17: keys.mrk.users: empty principal`}},
		// A principal is an IAM role or user name: upper case and IAM's
		// punctuation, no spaces (issue: "Bad Name" was accepted).
		{"principal with a space", []string{`users = ["app"]`, `users = ["app", "Bad Name"]`},
			[]string{`t.toml:12:17: keys.mrk.users: "Bad Name" is not an IAM role or user name (letters, digits and + = , . @ _ -, at most 64 characters; no spaces)`}},
		{"app principal with a space", []string{`principal = "app"`, `principal = "my app"`},
			[]string{`t.toml:18:1: app.principal: "my app" is not an IAM role or user name (letters, digits and + = , . @ _ -, at most 64 characters; no spaces)`}},
		{"principal too long", []string{`users = ["app"]`, `users = ["app", "` + strings.Repeat("a", 65) + `"]`},
			[]string{`t.toml:12:17: keys.mrk.users: "` + strings.Repeat("a", 65) + `" is longer than an IAM role or user name can be (64 characters)`}},
		{"boolean", []string{`multi_region = true`, `multi_region = "yes"`},
			[]string{`t.toml:9:1: keys.mrk.multi_region: expected true or false, got string`}},
		{"datetime", []string{`horizon = "24h"`, `horizon = 2026-11-27T05:00:00Z`},
			[]string{`t.toml:2:1: horizon: expected a duration string like "90s", got datetime`}},
		{"negative rate", []string{"key = \"mrk\"\n\n[[buckets", "key = \"mrk\"\nreads = -3\n[[buckets"},
			[]string{`t.toml:24:1: buckets.b.reads: rate -3 is negative`}},
		{"negative size", []string{"key = \"mrk\"\n\n[[buckets", "key = \"mrk\"\nobject_size = -3\n[[buckets"},
			[]string{`t.toml:24:1: buckets.b.object_size: size -3 is negative`}},
		{"size of wrong type", []string{"key = \"mrk\"\n\n[[buckets", "key = \"mrk\"\nobject_size = 1.5\n[[buckets"},
			[]string{`t.toml:24:1: buckets.b.object_size: expected a size string like "256KiB" or a number of bytes, got float 1.5`}},
		{"infinite number", []string{"[regions.us-east-1]\n", "[regions.us-east-1]\nkms_rps = inf\n"},
			[]string{`t.toml:5:1: regions.us-east-1.kms_rps: expected a finite number, got +Inf`}},
		{"table in a string array", []string{`users = ["app"]`, `users = [{a = 1}]`},
			[]string{`t.toml:12:10: keys.mrk.users: element 0: expected a string, got table`}},
		{"rate", []string{"key = \"mrk\"\n\n[[buckets", "key = \"mrk\"\nwrites = \"20/fortnight\"\n[[buckets"},
			[]string{`t.toml:24:1: buckets.b.writes: unknown unit "fortnight" in rate "20/fortnight" (use /s, /min, /h or /day)`}},
		{"size", []string{"key = \"mrk\"\n\n[[buckets", "key = \"mrk\"\nobject_size = \"12 furlongs\"\n[[buckets"},
			[]string{`t.toml:24:1: buckets.b.object_size: unknown unit "furlongs" in size "12 furlongs"`}},
		{"size zero", []string{"key = \"mrk\"\n\n[[buckets", "key = \"mrk\"\nobject_size = 0\n[[buckets"},
			[]string{`t.toml:24:1: buckets.b.object_size: must be positive`}},
		{"syntax error", []string{`horizon = "24h"`, `horizon = "24h`},
			[]string{`scenarios: t.toml:2:`, `TOML syntax:`}},
		{"duplicate key", []string{`horizon = "24h"`, "horizon = \"24h\"\nhorizon = \"1h\""},
			[]string{`scenarios: t.toml:3:1: TOML syntax: key 'horizon' has already been defined`}},
		{"unclosed table header", []string{"[app]\n", "[app\n"},
			[]string{`scenarios: t.toml:17:5: TOML syntax: expected '.' or ']' to end table name, but got '\n' instead`}},
		{"negative cost", []string{"", "\n[costs.monthly]\nstandby = -3\n"},
			[]string{`t.toml:66:1: costs.monthly.standby: must not be negative, got -3`}},
		{"quoted cost name", []string{"", "\n[costs.monthly]\nfine = 1\n\"health.checks\" = -1\n"},
			[]string{`t.toml:67:1: costs.monthly."health.checks": must not be negative, got -1`}},
		{"unknown costs key", []string{"", "\n[costs.montly]\nstandby = 3\n"},
			[]string{`t.toml:65:8: costs.montly: unknown key (did you mean "monthly"?)`}},
		{"price not a number", []string{"", "\n[prices]\nkms_key_month = \"one\"\n"},
			[]string{`t.toml:66:1: prices.kms_key_month: expected a number, got string`}},
		{"region typo", []string{"[regions.eu-west-1]", "[regions.eu-wset-1]"},
			[]string{`t.toml:6:10: regions.eu-wset-1: "eu-wset-1" is not an AWS Region code (did you mean "eu-west-1"?)`}},
		{"unknown price id", []string{"", "\n[prices]\nkms_key_mnth = 2.0\nfoo = 1\n"},
			[]string{`t.toml:66:1: prices.kms_key_mnth: unknown price id (did you mean "kms_key_month"?)`, `t.toml:67:1: prices.foo: unknown price id; ids: kms_key_month, kms_rotation_month`}},
		{"users_in unknown region", []string{"users = [\"app\"]\n\n", "users_in = { us-wst-2 = [\"x\"] }\n\n"},
			[]string{`t.toml:12:14: keys.mrk.users_in.us-wst-2: "us-wst-2" is not a declared region (did you mean "us-west-2"?)`}},
	}
	// IAM's name characters, upper case included, and "*" are principals.
	if _, errs := parseString(t, edit(t, `users = ["app"]`, `users = ["app", "Ops+Admin=x,y.z@corp_1-2", "*"]`)); errs != nil {
		t.Errorf("IAM name characters: %v", errs)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := parseString(t, edit(t, tt.edits...))
			if errs == nil {
				t.Fatal("no error")
			}
			text := errs.Error()
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("missing error %q; got:\n%s", w, text)
				}
			}
		})
	}
}

// All problems of a file are reported together, sorted by position.
func TestErrorsCollected(t *testing.T) {
	src := edit(t,
		`horizon = "24h"`, `horizon = "1x"`,
		`replicas = ["us-west-2"]`, `replicas = ["us-west-9"]`,
		`op = "disable-key"`, `op = "disable-keys"`,
		`start = "1h"`, `start = 5`,
	)
	_, errs := parseString(t, src)
	if len(errs) != 4 {
		t.Fatalf("got %d errors, want 4:\n%v", len(errs), errs)
	}
	lines := []int{2, 11, 41, 61}
	for i, e := range errs {
		if e.File != "t.toml" || e.Line != lines[i] {
			t.Errorf("error %d at %s:%d, want t.toml:%d: %v", i, e.File, e.Line, lines[i], e)
		}
	}
	if n := strings.Count(errs.Error(), "\n"); n != 3 {
		t.Errorf("ErrorList prints %d newlines, want 3", n)
	}
	var one *Error
	if !errors.As(error(errs), &one) || one != errs[0] {
		t.Error("errors.As does not find the first *Error")
	}
}

func TestDefaults(t *testing.T) {
	src := edit(t,
		"[regions.eu-west-1]", "[regions.eu-west-1]\n[regions.sa-east-1]\nkms_rps = 250",
		"op = \"disable-key\"\nkey = \"mrk\"\nregion = \"us-west-2\"", "op = \"schedule-key-deletion\"\nkey = \"mrk\"\nregion = \"us-west-2\"\n\n[[actions]]\nat = \"2h\"\nop = \"restore-backup\"\nstore = \"t\"")
	c, errs := parseString(t, src)
	if errs != nil {
		t.Fatal(errs)
	}
	check := func(what string, got, want any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %#v, want %#v", what, got, want)
		}
	}
	check("Trials", c.Trials, 1000)
	check("Seed", c.Seed, uint64(1))
	check("Account", c.Account, "111122223333")
	check("Objectives", c.Objectives, model.Objectives{Success: 0.99})
	check("Regions", c.Regions, []model.Region{{Name: "eu-west-1", KMSRPS: 100000}, {Name: "sa-east-1", KMSRPS: 250}, {Name: "us-east-1", KMSRPS: 100000}, {Name: "us-west-2", KMSRPS: 100000}})
	check("Start", c.Start, model.StartSteady)
	check("ARCRegions", c.ARCRegions, []string(nil))
	check("Keys[0]", c.Keys[0], model.Key{Name: "mrk", MultiRegion: true, Primary: 2, Replicas: []int{3}, Users: []string{"app"}, Admins: []string{"*"}})
	check("Keys[1]", c.Keys[1], model.Key{Name: "single", Primary: 2, Admins: []string{"*"}})
	check("App", c.App, model.App{Principal: "app", Serve: []int{2}, STS: model.STSRegional, CredentialsTTL: sim.Hour})
	b := c.Buckets[0]
	check("ObjectSize", b.ObjectSize, int64(64<<10))
	check("Replication", b.Replication, []model.Replication{{To: 3, Key: 0, Role: "s3-replication", Lag: model.DefaultS3Lag(false), LagDefault: true}})
	check("Bucket.Backup", b.Backup, (*model.Backup)(nil))
	tb := c.Tables[0]
	check("Table", tb, model.Table{Name: "t", Regions: []int{2, 3}, Keys: []int{0, 0}, ItemSize: 1024, Lag: model.DefaultDynamoDBLag(), LagDefault: true, ClientKey: -1,
		Backup: &model.Backup{To: 3, Every: sim.Hour, Copy: sim.ConstDist(10 * sim.Minute), Key: 0}})
	check("Outages", c.Outages, []model.Outage{{Stream: "outage-1", Kind: model.RegionOutage, Region: 2, Services: model.SvcAll, Regions: [2]int{-1, -1},
		Start: sim.ConstDist(sim.Hour), Duration: sim.ConstDist(2 * sim.Hour), Probability: 1, ErrorRate: 1}})
	check("Failover", *c.Failover, model.Failover{From: 2, To: 3, Detect: sim.ConstDist(5 * sim.Minute), Steps: []model.Step{
		{Name: "a", Op: model.Op{Key: -1, Region: -1, To: -1}, Duration: sim.ConstDist(0), Required: true, Retry: sim.Minute},
		{Name: "b", After: []int{0}, Op: model.Op{Kind: model.OpUpdatePrimaryRegion, Key: 0, Region: 3, To: -1}, Duration: sim.ConstDist(0), Required: true, Retry: sim.Minute},
	}})
	check("Actions", c.Actions, []model.Action{
		{At: sim.ConstDist(sim.Hour), Op: model.Op{Kind: model.OpScheduleKeyDeletion, Key: 0, Region: 3, Window: 30 * sim.Day, To: -1}},
		{At: sim.ConstDist(2 * sim.Hour), Op: model.Op{Kind: model.OpRestoreBackup, Key: -1, Region: -1, To: -1, Store: model.StoreRef{Kind: model.StoreTable, Index: 0}}},
	})
	check("Costs", c.Costs, []model.CostItem(nil))
	check("Prices", c.Prices, map[string]float64{})
	check("File", c.File, "t.toml")
}

// A bad value that other checks depend on is reported once: the checks
// that depend on it do not add errors of their own.
func TestNoFollowOnErrorsOfValues(t *testing.T) {
	tests := []struct {
		name  string
		edits []string
		want  string
	}{
		{"multi_region of the wrong type, multi-Region shape", []string{"multi_region = true", `multi_region = "yes"`},
			`keys.mrk.multi_region: expected true or false, got string`},
		{"multi_region of the wrong type, single-Region shape", []string{"[keys.single]\n", "[keys.single]\nmulti_region = 0\n"},
			`keys.single.multi_region: expected true or false, got integer 0`},
		{"invalid step name used in after", []string{"name = \"a\"", "name = \"A\"", "after = [\"a\"]", "after = [\"A\"]"},
			`failover.steps[0].name: "A" is not a valid name`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := parseString(t, edit(t, tt.edits...))
			if len(errs) != 1 || !strings.Contains(errs[0].Error(), tt.want) {
				t.Errorf("want the one error %q, got:\n%v", tt.want, errs)
			}
		})
	}
}

// Each service name sets its own bit of model.Services.
func TestServices(t *testing.T) {
	tests := []struct {
		list string
		want model.Services
	}{
		{`["kms"]`, model.SvcKMS},
		{`["s3"]`, model.SvcS3},
		{`["dynamodb"]`, model.SvcDynamoDB},
		{`["app"]`, model.SvcApp},
		{`["app", "kms"]`, model.SvcApp | model.SvcKMS},
		{`["kms", "s3", "dynamodb", "app"]`, model.SvcKMS | model.SvcS3 | model.SvcDynamoDB | model.SvcApp},
		{`["sts"]`, model.SvcSTS},
		{`["route53-control"]`, model.SvcRoute53Control},
		{`["iam-control"]`, model.SvcIAMControl},
		{`["kms", "s3", "dynamodb", "app", "sts", "route53-control", "iam-control"]`, model.SvcAll},
	}
	for _, tt := range tests {
		src := edit(t, "duration = \"2h\"\n\n", "duration = \"2h\"\nservices = "+tt.list+"\n\n")
		c, errs := parseString(t, src)
		if errs != nil {
			t.Fatalf("%s: %v", tt.list, errs)
		}
		if got := c.Outages[0].Services; got != tt.want {
			t.Errorf("services = %s: got %04b, want %04b", tt.list, got, tt.want)
		}
	}
}

func TestErrorFormat(t *testing.T) {
	tests := []struct {
		e    Error
		want string
	}{
		{Error{File: "snowy.toml", Line: 14, Col: 3, Path: "keys.alerts.replicas", Msg: `"us-west-9" is not a declared region (did you mean "us-west-2"?)`},
			`scenarios: snowy.toml:14:3: keys.alerts.replicas: "us-west-9" is not a declared region (did you mean "us-west-2"?)`},
		{Error{File: "a.toml", Path: "name", Msg: "required"}, "scenarios: a.toml: name: required"},
		{Error{File: "a.toml", Line: 2, Msg: "bad"}, "scenarios: a.toml:2: bad"},
		{Error{Msg: "bad"}, "scenarios: bad"},
	}
	for _, tt := range tests {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
	l := sortErrors(ErrorList{
		{File: "b.toml", Line: 1, Msg: "x"},
		{File: "a.toml", Line: 9, Col: 2, Msg: "y"},
		{File: "a.toml", Line: 9, Col: 1, Msg: "z"},
		{File: "a.toml", Line: 9, Col: 1, Msg: "z"},
	})
	if got, want := l.Error(), "scenarios: a.toml:9:1: z\nscenarios: a.toml:9:2: y\nscenarios: b.toml:1: x"; got != want {
		t.Errorf("sorted list:\n%s\nwant:\n%s", got, want)
	}
}

func TestSuggest(t *testing.T) {
	cands := []string{"replicas", "region", "users", "users_in", "primary", "rotation"}
	tests := []struct{ in, want string }{
		{"replica", "replicas"},
		{"rgion", "region"},
		{"regoin", "region"},
		{"primray", "primary"},
		{"user", "users"},
		{"usersin", "users_in"},
		{"colour", ""},
		{"x", ""},
	}
	for _, tt := range tests {
		if got := closest(tt.in, cands); got != tt.want {
			t.Errorf("closest(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	short := []string{"a", "k", "k1"}
	for _, tt := range []struct{ in, want string }{
		{"x", ""}, // one letter: nothing in common with "a" or "k"
		{"K", "k"},
		{"k3", "k"},
	} {
		if got := closest(tt.in, short); got != tt.want {
			t.Errorf("closest(%q, %q) = %q, want %q", tt.in, short, got, tt.want)
		}
	}
	lists := []struct {
		in    string
		cands []string
		want  string
	}{
		{"rgion", cands, ` (did you mean "region"?)`},
		{"colour", []string{"a", "b"}, "; names: a, b"},
		{"colour", nil, ""}, // nothing declared: no empty list
		{"colour", []string{"a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9", "b0", "b1"},
			"; names: a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, … and 2 more"},
	}
	for _, tt := range lists {
		if got := suggestOrList(tt.in, "names", tt.cands).String(); got != tt.want {
			t.Errorf("suggestOrList(%q, %q) = %q, want %q", tt.in, tt.cands, got, tt.want)
		}
	}
}

// A value of the wrong type is reported once, without follow-on errors about
// what it would have contained.
func TestNoFollowOnErrors(t *testing.T) {
	tests := []struct {
		name  string
		edits []string
	}{
		{"key", []string{"[keys.single]\nregion = \"us-east-1\"\n", "[keys]\nsingle = 5\n"}},
		{"outage", []string{"[[outages]]\nregion = \"us-east-1\"\nstart = \"1h\"\nduration = \"2h\"\n", "\n\n\n\n", `horizon = "24h"`, "horizon = \"24h\"\noutages = [3]"}},
		{"backup", []string{"[tables.t.backup]\nto = \"us-west-2\"\nevery = \"1h\"\ncopy = \"10m\"\nkey = \"mrk\"\n", "backup = \"daily\"\n\n\n\n\n"}},
		{"app", []string{"[app]\nprincipal = \"app\"\nserve = [\"us-east-1\"]", "\n\n", `horizon = "24h"`, "horizon = \"24h\"\napp = true"}},
		{"failover", []string{"[failover]\nfrom = \"us-east-1\"\nto = \"us-west-2\"\ndetect = \"5m\"\n\n[[failover.steps]]\nname = \"a\"\n\n[[failover.steps]]\nname = \"b\"\nafter = [\"a\"]\nop = \"update-primary-region\"\nkey = \"mrk\"\nregion = \"us-west-2\"\n", "", `horizon = "24h"`, "horizon = \"24h\"\nfailover = \"manual\""}},
		{"action", []string{"[[actions]]\nat = \"1h\"\nop = \"disable-key\"\nkey = \"mrk\"\nregion = \"us-west-2\"\n", "", `horizon = "24h"`, "horizon = \"24h\"\nactions = [\"later\"]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := parseString(t, edit(t, tt.edits...))
			if len(errs) != 1 || !strings.Contains(errs[0].Msg, "expected a table") {
				t.Errorf("want one type error, got:\n%v", errs)
			}
		})
	}
}

// Every op that acts on one regional copy of a key needs region; rotate-key
// and restore-backup accept one.
func TestOpRegion(t *testing.T) {
	for _, op := range []string{"replicate-key", "update-primary-region", "enable-key", "disable-key", "schedule-key-deletion", "cancel-key-deletion", "put-key-policy"} {
		t.Run(op, func(t *testing.T) {
			extra := ""
			if op == "put-key-policy" {
				extra = "users = [\"app\"]\n"
			}
			src := edit(t, "op = \"disable-key\"\nkey = \"mrk\"\nregion = \"us-west-2\"\n", "op = \""+op+"\"\nkey = \"mrk\"\n"+extra)
			_, errs := parseString(t, src)
			want := "t.toml:59:3: actions[0].region: required: " + op + " needs the region of the copy acted on"
			if len(errs) != 1 || !strings.Contains(errs.Error(), want) {
				t.Errorf("got:\n%v\nwant only %q", errs, want)
			}
			// with the region it loads
			c, errs := parseString(t, src+"region = \"eu-west-1\"\n")
			if errs != nil {
				t.Fatal(errs)
			}
			if got := c.Actions[0].Op; got.Kind.String() != op || got.Key != 0 || got.Region != 0 {
				t.Errorf("op = %+v", got)
			}
		})
	}
	// rotate-key does not need region (the primary rotates) and
	// restore-backup restores into its backup's region: both accept one.
	for _, tc := range []struct{ op, args string }{
		{"rotate-key", "key = \"mrk\"\nregion = \"us-west-2\"\n"},
		{"restore-backup", "store = \"t\"\nregion = \"us-west-2\"\n"},
	} {
		t.Run(tc.op, func(t *testing.T) {
			src := edit(t, "op = \"disable-key\"\nkey = \"mrk\"\nregion = \"us-west-2\"\n", "op = \""+tc.op+"\"\n"+tc.args)
			c, errs := parseString(t, src)
			if errs != nil {
				t.Fatal(errs)
			}
			if got := c.Actions[0].Op; got.Kind.String() != tc.op || got.Region != 2 {
				t.Errorf("op = %+v, want %s with region us-west-2 (index 2)", got, tc.op)
			}
		})
	}
}

// A top-level $schema (the schema URL taplo reads) is accepted and
// ignored; it must be a string, and it is never offered as a suggestion.
func TestSchemaKey(t *testing.T) {
	want, errs := parseString(t, base)
	if errs != nil {
		t.Fatal(errs)
	}
	got, errs := parseString(t, `"$schema" = "https://example.com/drsim-scenario.schema.json"`+"\n"+base)
	if errs != nil {
		t.Fatalf("with $schema: %v", errs)
	}
	if !reflect.DeepEqual(got, want) {
		t.Error("$schema changed the scenario")
	}
	_, errs = parseString(t, `"$schema" = 1`+"\n"+base)
	if len(errs) != 1 || errs[0].Error() != `scenarios: t.toml:1:1: "$schema": expected a string, got integer 1` {
		t.Errorf("$schema = 1: got %v", errs)
	}
	_, errs = parseString(t, `schema = "x"`+"\n"+base)
	if len(errs) != 1 || strings.Contains(errs[0].Msg, "$schema") {
		t.Errorf("schema = \"x\": got %v, want an unknown key that does not mention $schema", errs)
	}
	// $schema is top-level only
	_, errs = parseString(t, edit(t, "[app]\n", "[app]\n\"$schema\" = \"x\"\n"))
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), `app."$schema": unknown key`) {
		t.Errorf("$schema in [app]: got %v", errs)
	}
}

// kms_rps takes a rate like every other rate; a number is per second.
func TestKMSRPSRate(t *testing.T) {
	for _, v := range []string{`2000`, `2000.0`, `"2000"`, `"2000/s"`, `"2k/s"`, `"120k/min"`, `"7.2M/h"`, `"172.8M/day"`} {
		c, errs := parseString(t, edit(t, "[regions.us-east-1]\n", "[regions.us-east-1]\nkms_rps = "+v+"\n"))
		if errs != nil {
			t.Errorf("kms_rps = %s: %v", v, errs)
			continue
		}
		if got := c.Regions[1].KMSRPS; math.Abs(got-2000) > 1e-9 {
			t.Errorf("kms_rps = %s: %v per second, want 2000", v, got)
		}
	}
}
