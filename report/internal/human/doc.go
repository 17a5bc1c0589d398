// Package human formats the figures of drsim's result documents for people
// (durations, counts, US dollars, percentages) and rounds them to the
// precision the documents carry. It is shared by package report (the
// one-line summaries stored in the document), report/cost (cost item
// details), report/chart and report/render, and imports nothing of drsim,
// so that none of them depends on another for formatting.
//
// It is hand-written: the formats ("4m05s", "2d03h", "$1,234.50") are
// drsim's own and short; neither the standard library (time.Duration
// prints "4m5s", strconv has no grouping) nor golang.org/x/text (locale
// machinery for a fixed en-US output) gives them.
package human
