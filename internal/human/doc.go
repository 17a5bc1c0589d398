// Package human formats the figures of drsim's result documents and
// findings for people (durations, counts, rates, US dollars, percentages)
// and rounds them to the precision the documents carry. Package findings
// uses it directly, and package report, report/cost, report/chart and
// report/render through report/internal/human, so that a finding writes a
// duration or a count exactly as the report's tables do. It imports nothing
// of drsim.
//
// It is hand-written: the formats ("4m05s", "2d03h", "$1,234.50") are
// drsim's own and short; neither the standard library (time.Duration
// prints "4m5s", strconv has no grouping) nor golang.org/x/text (locale
// machinery for a fixed en-US output) gives them.
package human
