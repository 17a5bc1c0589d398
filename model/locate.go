package model

// Position is where a value of a scenario was written: a file (as the
// scenario loader names it in its errors) and a 1-based line and column.
// Line and Col are 0 when only the file is known.
type Position struct {
	File      string
	Line, Col int
}

// Locator tells where the values of a scenario were written. Package
// scenarios sets Config.Locator when it loads a file, so that code that
// explains a Config (findings, importers) can point at the file:line:col of
// a value without importing the loader.
type Locator interface {
	// Locate returns where the value at key path was written. A path is
	// written the way load errors print it: table keys joined by dots and
	// 0-based array indices in brackets ("keys.alerts.replicas",
	// "failover.steps[1].op", "tables.orders.keys_in.us-west-2"). A path
	// that was not written (a value left at its default) resolves to the
	// nearest enclosing table that was, so a default points at its table
	// header; a path with no written ancestor gives the top file with
	// Line 0. Within an extends chain, the file is the one the value was
	// written in. written reports whether path itself was written.
	Locate(path string) (pos Position, written bool)
}
