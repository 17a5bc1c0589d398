package main

import "text/template"

// initTemplate is the scenario 'drsim init' writes. Its numbers are those
// of the bundled strategies (scenarios/strategies), which explain them:
// Route 53 health checks, CloudWatch alarm periods, a 60 s DNS TTL,
// scale-up and restore times.
var initTemplate = template.Must(template.New("init").Parse(`# {{.Name}}: a starting scenario for the {{.Strategy}} DR strategy, {{.Primary}} → {{.DR}}.
# Written by: {{.Command}}
#
# Every value below is an assumption to replace with your own. The format is described in
# docs/scenario-format.md. Check the file with "drsim validate FILE" and run it with
# "drsim run FILE". For completion and checks as you type in an editor (Even Better TOML,
# tombi): "drsim schema > drsim-scenario.schema.json", then make the first line of this file
# "#:schema ./drsim-scenario.schema.json", followed by a blank line (docs/editors.md).

name = "{{.Name}}"
description = "{{.Strategy}}: {{.Primary}} fails over to {{.DR}}"
horizon = "72h"                     # simulated time per trial
trials = 1000                       # randomized trials per run
seed = 1                            # same seed, same numbers
{{if eq .Strategy "backup-and-restore"}}
# The bar the report judges the setup against, at the scale of backup and restore (AWS puts
# it at hours): back within 8 hours, at most 2 hours of writes lost (the backups are hourly).
# The service counts as up while at least 99% of its requests succeed.
[objectives]
rto = "8h"
rpo = "2h"
{{- else}}
# The bar the report judges the setup against: back within an hour, at most 30 minutes of
# writes lost (S3 replication's tail strands a few writes for minutes, even with Replication
# Time Control, so a tighter RPO is missed in some trials). The service counts as up while at
# least 99% of its requests succeed.
[objectives]
rto = "1h"
rpo = "30m"
{{- end}}
success = 0.99

# The regions the setup uses. Declare every region you name below.
[regions.{{.Primary}}]
[regions.{{.DR}}]
{{if .MRK}}
# One KMS multi-Region key: the primary copy in {{.Primary}}, a replica in {{.DR}} that works on
# its own when {{.Primary}} is down. "users" is the key policy: who may encrypt and decrypt.
[keys.data]
multi_region = true
primary = "{{.Primary}}"
replicas = ["{{.DR}}"]
users = ["app", "dr-operator", "s3-replication"]
{{else}}
# One single-Region KMS key per region. Data copied to {{.DR}} is re-encrypted there with its own
# key, so {{.DR}} needs nothing from {{.Primary}}'s KMS to read it.
[keys.data-{{.Primary}}]
region = "{{.Primary}}"
users = ["app", "dr-operator", "s3-replication"]

[keys.data-{{.DR}}]
region = "{{.DR}}"
users = ["app", "dr-operator", "s3-replication"]
{{end}}
# The application: the principal (IAM role) it calls KMS and the stores with, and the regions
# that serve its traffic at the start.
[app]
principal = "app"
{{- if eq .Strategy "active-active"}}
serve = ["{{.Primary}}", "{{.DR}}"]     # both regions serve; the load is split evenly
{{- else}}
serve = ["{{.Primary}}"]
{{- end}}

# An S3 bucket in {{.Primary}}: 10 PUTs and 30 GETs per second of 128 KiB objects, with S3 Bucket
# Keys (about 1 KMS call per 100 requests).
[buckets.objects]
region = "{{.Primary}}"
key = "{{if .MRK}}data{{else}}data-{{.Primary}}{{end}}"
bucket_key = true
object_size = "128KiB"
writes = 10
reads = 30
{{if eq .Strategy "backup-and-restore"}}
# Hourly backups, copied to a vault in {{.DR}}; a copy is usable 10 to 30 minutes after its
# snapshot.
[buckets.objects.backup]
to = "{{.DR}}"
every = "1h"
copy = "uniform(10m, 30m)"
key = "{{if .MRK}}data{{else}}data-{{.DR}}{{end}}"
{{else}}
# Replication to {{.DR}} with Replication Time Control, encrypted there with {{if .MRK}}the key's
# {{.DR}} replica{{else}}{{.DR}}'s own key{{end}}.
[[buckets.objects.replication]]
to = "{{.DR}}"
key = "{{if .MRK}}data{{else}}data-{{.DR}}{{end}}"
rtc = true
{{end}}
# A DynamoDB table: 200 writes and 800 reads per second of 2 KiB items.
[tables.items]
{{- if eq .Strategy "backup-and-restore"}}
regions = ["{{.Primary}}"]              # a plain table; backups reach {{.DR}}
key = "{{if .MRK}}data{{else}}data-{{.Primary}}{{end}}"
{{- else}}
regions = ["{{.Primary}}", "{{.DR}}"]   # a global table with a replica in {{.DR}}
{{- if .MRK}}
key = "data"
{{- else}}
keys_in = { {{.Primary}} = "data-{{.Primary}}", {{.DR}} = "data-{{.DR}}" }
{{- end}}
{{- end}}
item_size = "2KiB"
writes = 200
reads = 800
{{if eq .Strategy "backup-and-restore"}}
[tables.items.backup]
to = "{{.DR}}"
every = "1h"
copy = "uniform(10m, 30m)"
key = "{{if .MRK}}data{{else}}data-{{.DR}}{{end}}"
{{end}}
# The disaster: all of {{.Primary}} (KMS, S3, DynamoDB and the app) goes down once in the
# first half-day, for hours, with a long tail.
[[outages]]
name = "{{.Primary}} regional outage"
region = "{{.Primary}}"
services = ["kms", "s3", "dynamodb", "app"]
start = "uniform(2h, 14h)"
duration = "lognormal(median=8h, p99=36h)"

# The runbook: how the outage is detected and the steps that move traffic to {{.DR}}.
[failover]
from = "{{.Primary}}"
to = "{{.DR}}"
{{- if eq .Strategy "backup-and-restore"}}
detect = "normal(mean=10m, sd=3m)"  # CloudWatch alarms page a human
{{- else if eq .Strategy "pilot-light"}}
detect = "normal(mean=5m, sd=1m)"   # a Route 53 health check and an alarm page the on-call engineer
{{- else if eq .Strategy "warm-standby"}}
detect = "uniform(2m, 4m)"          # Route 53 health checks (30 s, threshold 3) fire an alarm
{{- else}}
detect = "uniform(20s, 30s)"        # Route 53 health checks every 10 s, threshold 3
{{- end}}
{{if eq .Strategy "backup-and-restore"}}
[[failover.steps]]
name = "declare-disaster"           # a management decision
duration = "uniform(15m, 45m)"

[[failover.steps]]
name = "provision"                  # deploy the stack in {{.DR}} from templates
after = ["declare-disaster"]
duration = "uniform(30m, 90m)"

[[failover.steps]]
name = "restore-items"              # the newest usable backup copy becomes the live table
after = ["declare-disaster"]
op = "restore-backup"
store = "items"
duration = "uniform(1h, 3h)"

[[failover.steps]]
name = "restore-objects"
after = ["declare-disaster"]
op = "restore-backup"
store = "objects"
duration = "uniform(1h, 4h)"
{{if .MRK}}
[[failover.steps]]
name = "promote-key"                # optional: the replica works on its own
after = ["declare-disaster"]
op = "update-primary-region"
key = "data"
region = "{{.DR}}"
duration = "1m"
required = false
retry = "10m"
{{end}}
[[failover.steps]]
name = "dns"                        # clients follow within the 60 s TTL
after = ["provision", "restore-items", "restore-objects"]
duration = "2m"
{{else if eq .Strategy "active-active"}}
[[failover.steps]]
name = "dns-ttl"                    # resolvers keep the failed region for up to the 60 s TTL
duration = "60s"
{{else}}
[[failover.steps]]
name = "approve"
{{- if eq .Strategy "pilot-light"}}
duration = "uniform(5m, 15m)"
{{- else}}
duration = "uniform(2m, 5m)"        # pre-authorised: the on-call engineer confirms the alarm
{{- end}}

[[failover.steps]]
name = "scale-up"
after = ["approve"]
{{- if eq .Strategy "pilot-light"}}
duration = "uniform(15m, 35m)"      # start the compute in {{.DR}} from zero
{{- else}}
duration = "uniform(3m, 6m)"        # the standby runs; add capacity
{{- end}}
{{if .MRK}}
[[failover.steps]]
name = "promote-key"                # optional: the replica works on its own
after = ["approve"]
op = "update-primary-region"
key = "data"
region = "{{.DR}}"
duration = "30s"
required = false
retry = "5m"
{{end}}
[[failover.steps]]
name = "dns"                        # flip the Route 53 failover record
after = ["scale-up"]
duration = "2m"
{{end}}
# Fixed monthly costs beside the AWS list prices drsim computes (USD per month, assumptions).
[costs.monthly]
primary-compute = 6000
{{- if eq .Strategy "backup-and-restore"}}
backup-vault-storage = 150
iac-pipeline = 50
{{- else if eq .Strategy "pilot-light"}}
standby-core = 400
route53-health-checks = 1.0
{{- else if eq .Strategy "warm-standby"}}
standby-compute = 1500
route53-health-checks = 1.0
{{- else}}
second-region-compute = 6000
route53-health-checks = 3.0
{{- end}}
`))
