// Package docfixture holds the document-level test fixtures of the report
// renderers: a synthetic Report and Comparison shaped like snowy and the
// four DR strategies, written by hand so that every chart and table has
// something to show, and the reports built from package fixture's
// synthetic trials. Package report's in-package tests cannot import it
// (it imports report); they use package fixture.
package docfixture
