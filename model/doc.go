// Package model is the simulation core of drsim: regions and their
// outages, the application's traffic, KMS demand and throttling, S3
// replication, DynamoDB global tables, backups, the failover runbook and the
// metrics of one trial (DESIGN.md, "Simulation semantics" and "Metrics of
// one trial").
//
// A trial is state-change driven: outages, operator actions, runbook steps
// and KMS key transitions are events of a sim.Engine; every handler only
// changes state and marks the instant dirty, and at the end of each dirty
// instant the Runner closes the interval since the previous evaluation
// (integrating the rates that were in force) and recomputes every rate from
// the new state. Requests are rates, never events.
package model
