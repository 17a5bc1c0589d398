package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/drsim/drsim/internal/escape"
	"github.com/drsim/drsim/scenarios"
)

// validateResult is one scenario in 'validate --format json'.
type validateResult struct {
	// File is the argument as given ("-" is "<stdin>").
	File string `json:"file"`
	OK   bool   `json:"ok"`
	// Name is the scenario's name when it is valid.
	Name   string          `json:"name,omitempty"`
	Errors []validateError `json:"errors"`
}

// validateError is one problem: a positioned scenario error (line and
// column 1-based, 0 when unknown; path the key path) or, for an error that
// is not about the scenario's content (a missing file), the message only.
type validateError struct {
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
	Col     int    `json:"col,omitempty"`
	Path    string `json:"path,omitempty"`
	Message string `json:"message"`
}

// validateReport is the document 'validate --format json' prints.
type validateReport struct {
	Schema    string           `json:"schema"`
	Valid     int              `json:"valid"`
	Invalid   int              `json:"invalid"`
	Scenarios []validateResult `json:"scenarios"`
}

// validateSchema names the JSON document of 'drsim validate --format json'.
const validateSchema = "drsim.validate/v1"

func newValidateCmd(e *env) *cobra.Command {
	var format formatValue
	var res *resolver
	c := &cobra.Command{
		Use:   "validate FILE|NAME|-...",
		Short: "check scenario files and print every error",
		Long: `Loads and checks each scenario without simulating it. Prints "ok: FILE (name)"
for each valid one and every error of each invalid one, as file:line:col and a
message. With --format json it prints one document (schema drsim.validate/v1)
with every scenario and its errors, positioned. Exits with status 2 if any
scenario is invalid.`,
		Example: `  drsim validate my-setup.toml
  drsim validate scenarios/*.toml
  drsim validate snowy
  drsim validate --format json my-setup.toml | jq '.scenarios[].errors[]'
  cat my-setup.toml | drsim validate -`,
		ValidArgsFunction: completeScenarios(0),
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError("validate", "want at least one scenario file")
			}
			doc := validateReport{Schema: validateSchema, Scenarios: []validateResult{}}
			for _, arg := range args {
				r := validateResult{File: displayName(arg), Errors: []validateError{}}
				cfg, err := res.resolve(arg)
				if isInterrupted(err) {
					return err
				}
				if err != nil {
					doc.Invalid++
					r.Errors = errorEntries(err)
					if format.v == "text" {
						text, _ := errorText(unwrapExit(err))
						fmt.Fprintln(e.stderr, text)
					}
				} else {
					doc.Valid++
					r.OK, r.Name = true, cfg.Name
					if format.v == "text" {
						if _, err := fmt.Fprintf(e.stdout, "ok: %s (%s)\n", escape.Text(r.File), cfg.Name); err != nil {
							return ioError(fmt.Errorf("validate: %w", err))
						}
					}
				}
				doc.Scenarios = append(doc.Scenarios, r)
			}
			if format.v == "json" {
				var b bytes.Buffer
				enc := json.NewEncoder(&b)
				enc.SetIndent("", "  ")
				enc.SetEscapeHTML(false)
				if err := enc.Encode(doc); err != nil {
					return ioError(fmt.Errorf("validate: %w", err))
				}
				if _, err := e.stdout.Write(escape.JSON(b.Bytes())); err != nil {
					return ioError(fmt.Errorf("validate: %w", err))
				}
			}
			if doc.Invalid > 0 {
				fmt.Fprintf(e.stderr, "drsim: %d of %d scenarios invalid\n", doc.Invalid, len(args))
				return silentError(exitInput)
			}
			return nil
		},
	}
	addFormatFlag(c, &format, "text", "json")
	res = newResolver(e, c)
	return c
}

// errorEntries lists the problems in err: each scenarios.Error with its
// position, anything else as a message.
func errorEntries(err error) []validateError {
	var list scenarios.ErrorList
	if errors.As(err, &list) {
		out := make([]validateError, len(list))
		for i, se := range list {
			out[i] = validateError{File: se.File, Line: se.Line, Col: se.Col, Path: se.Path, Message: se.Msg}
		}
		return out
	}
	if u := errors.Unwrap(err); u != nil {
		err = u
	}
	return []validateError{{Message: err.Error()}}
}
