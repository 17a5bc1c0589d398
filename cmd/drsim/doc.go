// Command drsim is a discrete-event disaster-recovery simulator for AWS KMS
// multi-Region keys, S3 replication and DynamoDB global tables.
//
// It reads a TOML scenario (a file, or the name of a bundled scenario), runs
// thousands of randomized trials and reports RTO, RPO, lost writes, KMS
// failures by cause, the probability of meeting the objectives and the
// monthly cost of the setup.
//
// Usage:
//
//	drsim run FILE|NAME [flags]       simulate a scenario and print the report
//	drsim compare A B ... [flags]     run scenarios with the same seed and compare them
//	drsim validate FILE...            check scenario files
//	drsim trace FILE|NAME --trial N   print the event log of one trial as JSON lines
//	drsim list                        list the bundled scenarios
//	drsim version                     print version information
//	drsim help [COMMAND]              show help
//
// Exit codes: 0 success, 1 internal error, 2 bad input (invalid scenario,
// bad flags or usage), 3 a --check failed.
package main
