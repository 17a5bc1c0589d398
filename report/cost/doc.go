// Package cost computes the steady-state monthly cost of a scenario from an
// embedded, dated price book of AWS list prices (Cost, in the result
// document as "cost"), and the steady-state KMS request rate per region it
// rests on (Demand).
//
// The monthly cost is the steady state of the topology at t=0 under normal
// routing: a month is 730 h and a GB is 2^30 bytes. KMS request demand is
// what the traffic served at t=0 causes; calls that would fail with
// NotFoundException are not billed. Replicated objects are the PUTs that
// land on a source bucket. DynamoDB replicated write units are counted in
// every region of the table, the region of the write included (one unit per
// started KiB). Storage is what one month of writes adds to every copy: a
// source bucket's writes are stored in each of its copies, the writes an app
// serving elsewhere makes to its local replica copy only there. Backups are
// not priced.
//
// The price book and the cost model are hand-written: they are drsim's own
// model of a topology, priced from the public pricing pages each entry
// names (PriceEntry.Source); no library prices a simulated topology
// offline.
package cost
