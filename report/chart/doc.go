// Package chart draws the figures of a result document with gonum/plot.
//
// ForReport draws, for a report.Report: the timeline of the representative
// trial (lanes of outages, key copy states, runbook steps, service and
// routing; T0, the move of traffic and the recovery marked), the RTO and
// RPO empirical CDFs with their objectives, the replication backlog around
// T0 towards every replica destination, and the KMS failures (failed KMS
// calls per second) by cause. ForComparison draws, for a
// report.Comparison, the monthly cost against RTO p95 with the Pareto
// front and the RTO CDFs of every compared scenario. ForSensitivity draws
// the tornado of a report.Sensitivity (each input's two ends, with their
// intervals, from the scenario as written; the objective or the check bar
// marked), and ForSweep, for a report.Sweep, the metric against each
// varied parameter and the monthly cost against P(meet both) with its
// Pareto front; each of these titles states the chart's finding. A chart
// that would be empty is left out and returned as an Omission, with the
// sentence a document shows in its place.
//
// A Chart writes itself as SVG (byte-identical across runs: the Liberation
// fonts are named, not embedded) or PNG. Nothing is re-simulated: the
// charts render the document, so a report read back from its JSON gives
// the same charts.
//
// # Reading rules
//
//   - Colours come from one colour-blind-safe qualitative palette, Paul
//     Tol's "muted" (palette.go), plus greys; series also differ by their
//     marks, so that eight scenarios stay apart in grey print.
//   - No text covers data or another text: the texts of vertical lines go
//     in rows above the data area, the names of scatter points in the first
//     free place around them (labels.go).
//   - A state too short to see on the timeline is drawn minBarWidth points
//     wide; numbers have thousands separators; durations read "4m05s".
//   - Strings from the scenario lose their control characters (they would
//     make the SVG invalid XML).
//
// TestPalette, TestLabelsNeverOverlap, TestTimelineMinimumWidth,
// TestOmittedCharts and TestChartNumbers check these rules on the rendered
// SVG.
//
// # Hand-written pieces
//
// gonum/plot draws the axes, lines, scatter points and text. Hand-written
// on top of it, because it has no equivalent: the lanes plotter of the
// timeline (a Gantt-like chart), the legend strip under the plot (its
// legend sits inside the data area, where it hides data), the tornado's
// bars and interval whiskers, tick markers for
// durations, percentages and round numbers with separators (its default
// ticker can leave an axis with two labels), and the placement of texts.
package chart
