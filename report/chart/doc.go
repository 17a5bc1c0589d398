// Package chart draws the figures of a result document with gonum/plot.
//
// ForReport draws, for a report.Report: the timeline of the representative
// trial (lanes of outages, key copy states, runbook steps, service and
// routing; T0 and the recovery marked), the RTO and RPO empirical CDFs with
// their objectives, the replication backlog around T0 and the failed KMS calls per second by cause. ForComparison
// draws, for a report.Comparison, the monthly cost against RTO p95 with the
// Pareto front and the RTO CDFs of every compared scenario. A chart without
// data is left out.
//
// A Chart writes itself as SVG (byte-identical across runs: the Liberation
// fonts are named, not embedded) or PNG. Nothing is re-simulated: the
// charts render the document, so a report read back from its JSON gives
// the same charts.
//
// gonum/plot draws the axes, lines, scatter points and text. Hand-written
// on top of it, because it has no equivalent: the lanes plotter of the
// timeline (a Gantt-like chart), the legend strip under the plot (its
// legend sits inside the data area, where it hides data), duration and
// percentage tick markers, and the stacking of the labels of close
// vertical lines.
package chart
