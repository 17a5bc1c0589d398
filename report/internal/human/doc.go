// Package human is the formatting of drsim's figures for package report and
// its subpackages: it forwards to github.com/drsim/drsim/internal/human,
// where the formats live so that package findings, which must not import
// report, writes durations, counts and rates exactly as the report's
// tables do ("3h05m", "400,500").
package human
