package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/spf13/cobra"

	"github.com/drsim/drsim/internal/atomicfile"
	"github.com/drsim/drsim/scenarios"
)

// initStrategies returns the strategies of 'drsim init': the four of the
// AWS whitepaper "Disaster Recovery of Workloads on AWS: Recovery in the
// Cloud".
func initStrategies() []string {
	return []string{"backup-and-restore", "pilot-light", "warm-standby", "active-active"}
}

// initKeys returns the key setups of 'drsim init'.
func initKeys() []string { return []string{"mrk", "single"} }

// initParams fill the scenario template.
type initParams struct {
	Name, Strategy, Primary, DR string
	MRK                         bool
	Command                     string
}

func newInitCmd(e *env) *cobra.Command {
	var (
		strategy, key string
		regions       []string
		force         bool
	)
	c := &cobra.Command{
		Use:   "init [FILE|-]",
		Short: "write a commented starting scenario",
		Long: `Writes a starting scenario for one of the four AWS disaster-recovery
strategies: an order service with a DynamoDB table and an S3 bucket in the
first region, the second region as the recovery region, one regional outage,
and the strategy's runbook, every value commented and meant to be replaced.
The file validates and runs as written.

FILE defaults to scenario.toml; - writes to standard output. An existing
file is not replaced unless --force is given.

--key mrk encrypts everything with one KMS multi-Region key (a primary in the
first region and a replica in the second); --key single uses one
single-Region key in each region (replication re-encrypts with the second
region's key).`,
		Example: `  drsim init --strategy warm-standby
  drsim init --strategy pilot-light --regions eu-west-1,eu-central-1 payments.toml
  drsim init --strategy backup-and-restore --key single - | drsim run -`,
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
			return []cobra.Completion{"toml"}, cobra.ShellCompDirectiveFilterFileExt
		},
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) > 1 {
				return usageError("init", "want at most one file, got %d arguments", len(args))
			}
			if !c.Flags().Changed("strategy") {
				return usageError("init", "--strategy is required: one of %s", strings.Join(initStrategies(), ", "))
			}
			if len(regions) != 2 || regions[0] == regions[1] {
				return usageError("init", "--regions wants two different regions, the primary and the recovery region, like us-east-1,us-west-2; got %q", strings.Join(regions, ","))
			}
			for _, r := range regions {
				if !regionRE.MatchString(r) {
					return usageError("init", "--regions: %q is not an AWS Region code like us-east-1", r)
				}
			}
			path := "scenario.toml"
			if len(args) == 1 {
				path = args[0]
			}
			if path != "-" && !force {
				if _, err := os.Lstat(path); err == nil {
					return usageError("init", "%s exists; give --force to replace it", path)
				}
			}
			p := initParams{Strategy: strategy, Primary: regions[0], DR: regions[1], MRK: key == "mrk"}
			p.Name = initName(path, strategy)
			p.Command = initCommand(strategy, regions, key)
			text, err := initScenario(p)
			if err != nil {
				return err
			}
			if path == "-" {
				if _, err := io.WriteString(e.stdout, text); err != nil {
					return ioError(fmt.Errorf("init: %w", err))
				}
				return nil
			}
			if err := atomicfile.WriteFile(path, 0o644, func(w io.Writer) error {
				_, err := io.WriteString(w, text)
				return err
			}); err != nil {
				return ioError(fmt.Errorf("init: %w", err))
			}
			fmt.Fprintf(e.stderr, "drsim: wrote %s (%s, %s → %s); next: drsim run %s\n", path, strategy, p.Primary, p.DR, path)
			return nil
		},
	}
	fs := c.Flags()
	fs.Var(&choiceValue{v: &strategy, choices: initStrategies()}, "strategy", "the DR strategy: "+strings.Join(initStrategies(), ", "))
	fs.StringSliceVar(&regions, "regions", []string{"us-east-1", "us-west-2"}, "the primary region and the recovery region, `A,B`")
	key = "mrk"
	fs.Var(&choiceValue{v: &key, choices: initKeys()}, "key", "mrk: one multi-Region key; single: a single-Region key per region")
	fs.BoolVar(&force, "force", false, "replace FILE if it exists")
	c.RegisterFlagCompletionFunc("strategy", cobra.FixedCompletions(initStrategies(), cobra.ShellCompDirectiveNoFileComp))
	c.RegisterFlagCompletionFunc("key", cobra.FixedCompletions(initKeys(), cobra.ShellCompDirectiveNoFileComp))
	c.RegisterFlagCompletionFunc("regions", cobra.NoFileCompletions)
	return c
}

// choiceValue is a flag that takes one of a few words.
type choiceValue struct {
	v       *string
	choices []string
}

func (c *choiceValue) String() string { return *c.v }
func (c *choiceValue) Type() string   { return "NAME" }

func (c *choiceValue) Set(s string) error {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, x := range c.choices {
		if s == x {
			*c.v = x
			return nil
		}
	}
	return fmt.Errorf("%smust be one of %s", didYouMean(s, c.choices), strings.Join(c.choices, ", "))
}

// regionRE is the shape of an AWS Region code; the scenario decoder
// checks it further.
var regionRE = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$`)

// nameRE matches what a scenario name may be made of.
var nameRE = regexp.MustCompile(`[^a-z0-9-]+`)

// initName derives the scenario's name from the file name ("payments.toml"
// is "payments"), or the strategy's for standard output and the default
// file.
func initName(path, strategy string) string {
	stem := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	if path == "-" || stem == "scenario" {
		return "my-" + strategy
	}
	name := strings.Trim(nameRE.ReplaceAllString(strings.ToLower(stem), "-"), "-")
	if name == "" {
		return "my-" + strategy
	}
	return name
}

// initCommand is the command line that writes the same scenario, for its
// header.
func initCommand(strategy string, regions []string, key string) string {
	return fmt.Sprintf("drsim init --strategy %s --regions %s --key %s", strategy, strings.Join(regions, ","), key)
}

// initScenario renders the scenario and checks that it validates as
// written; an error is bad input (a region that is not an AWS Region code).
func initScenario(p initParams) (string, error) {
	var b bytes.Buffer
	if err := initTemplate.Execute(&b, p); err != nil {
		return "", &exitError{code: exitInternal, err: fmt.Errorf("init: %w", err)}
	}
	text := b.String()
	if _, err := scenarios.Parse(p.Name+".toml", []byte(text), func(string) ([]byte, error) { return nil, fs.ErrNotExist }); err != nil {
		var list scenarios.ErrorList
		if errors.As(err, &list) {
			msgs := make([]string, len(list))
			for i, e := range list {
				msgs[i] = e.Msg
			}
			return "", usageError("init", "--regions %s,%s: %s", p.Primary, p.DR, strings.Join(msgs, "; "))
		}
		return "", inputError(fmt.Errorf("init: %w", err))
	}
	return text, nil
}
