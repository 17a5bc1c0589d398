// Command drsim is a discrete-event disaster-recovery simulator for AWS KMS
// multi-Region keys, S3 replication and DynamoDB global tables.
//
// It reads a TOML scenario (a file, the name of a bundled scenario, or -
// for standard input), runs thousands of randomized trials and reports RTO,
// RPO, lost writes, KMS failures by cause, the probability of meeting the
// objectives and the monthly cost of the setup.
//
// Usage:
//
//	drsim run FILE|NAME|- [flags]     simulate a scenario and print the report
//	drsim merge PARTIAL... [flags]    join the partial results of a sharded run into its report
//	drsim compare A B ... [flags]     run scenarios with the same seed and compare them
//	drsim sweep FILE --vary P=V1,V2   run a grid of overrides, every point on the same trials
//	drsim sensitivity FILE            rank the uncertain inputs by their effect (tornado)
//	drsim trace FILE|NAME --trial N   print the event log of one trial as JSON lines
//	drsim validate FILE...            check scenario files
//	drsim init [FILE|-]               write a commented starting scenario
//	drsim import SOURCE INPUT...      write a scenario from Terraform, CloudFormation or AWS CLI output
//	drsim list                        list the bundled scenarios
//	drsim schema                      print the JSON Schema of the scenario format
//	drsim version                     print version information
//	drsim completion SHELL            print a shell completion script
//	drsim help [COMMAND]              show help
//
// The reference of every command and flag is docs/cli (Markdown, and man
// pages under docs/cli/man), generated from the command tree by
// 'go generate ./cmd/drsim'; a test fails when it is out of date.
//
// Exit codes: 0 success, 1 internal error, 2 bad input (invalid scenario,
// bad flags or usage), 3 a --check failed, 4 lint findings at or above
// --fail-on, 5 an output could not be written, 6 the memory estimate
// exceeds this machine's memory, 130 interrupted.
//
// --set PATH=VALUE overrides one value of a scenario on run, compare, lint,
// trace, sweep and sensitivity; --precision H runs run, compare and sweep
// to a precision of P(meet both). The what-if orchestration is package
// whatif; this package only parses flags and writes outputs.
//
// run --shard i/n (or --shard env --shard-count n, the index from
// JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX) computes a contiguous
// range of the trials and writes a partial result (--out-partial,
// --format partial); merge joins the partials of a run into the report
// the run in one piece writes, byte for byte (report.WritePartial,
// report.Merge). Every command runs trials on one path (runTrialRange:
// report.Trials.Run, compact records) and writes a report on one
// (emitRun).
//
// The command line is built on spf13/cobra and pflag (flags, help,
// completion, the generated docs) and vbauerster/mpb (progress bars), with
// golang.org/x/term to tell a terminal. main only calls run, which builds a
// fresh command tree per call: there is no package-level mutable state.
package main

//go:generate go test -run ^TestCLIDocs$ . -args -update-docs
