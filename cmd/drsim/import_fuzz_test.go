package main

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/drsim/drsim/importer"
	"github.com/drsim/drsim/importer/awscli"
	"github.com/drsim/drsim/importer/cloudformation"
	"github.com/drsim/drsim/importer/terraform"
)

// importSources are the inputs FuzzImport fuzzes, each with the fixtures
// it is seeded with: a Terraform JSON file, a CloudFormation template, or
// one file of a folder of AWS CLI outputs (the account fixture, the other
// files kept).
var importSources = []struct {
	source string
	seeds  []string
}{
	{"terraform", []string{"../../importer/terraform/testdata/state.json", "../../importer/terraform/testdata/plan.json"}},
	{"cloudformation", []string{"../../importer/cloudformation/testdata/payments-east.yaml", "../../importer/cloudformation/testdata/payments-west.json"}},
	{"aws", nil}, // seeded with every file of the account fixture
}

// awsFixture is the folder of AWS CLI outputs FuzzImport copies.
const awsFixture = "../../importer/awscli/testdata/account"

// FuzzImport imports fuzzed infrastructure end to end: drsim import must
// write the scenario (exit 0) or refuse the input as bad (exit 2, with a
// message), never fail otherwise; and the import's neutral rendering (the
// one drsim import loads to check what it wrote), when it loads, runs
// through the whole pipeline of FuzzScenario.
//
//	go test ./cmd/drsim -run '^$' -fuzz '^FuzzImport$' -fuzztime 60s
func FuzzImport(f *testing.F) {
	var awsFiles []string
	_ = filepath.WalkDir(awsFixture, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Ext(p) == ".json" {
			rel, _ := filepath.Rel(awsFixture, p)
			awsFiles = append(awsFiles, rel)
		}
		return nil
	})
	for i, s := range importSources {
		for _, p := range s.seeds {
			data, err := os.ReadFile(p)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(uint8(i), uint8(0), data)
		}
	}
	for j, rel := range awsFiles {
		data, err := os.ReadFile(filepath.Join(awsFixture, rel))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(uint8(2), uint8(j), data)
	}
	dir := f.TempDir()
	account := filepath.Join(dir, "account")
	if err := os.CopyFS(account, os.DirFS(awsFixture)); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, which, file uint8, data []byte) {
		if len(data) > e2eMaxInput {
			return
		}
		src := importSources[int(which)%len(importSources)].source
		input := filepath.Join(dir, "input")
		if src == "aws" {
			// replace one file of the account, and put it back afterwards
			rel := awsFiles[int(file)%len(awsFiles)]
			input = account
			orig, err := os.ReadFile(filepath.Join(account, rel))
			if err != nil {
				t.Fatal(err)
			}
			defer os.WriteFile(filepath.Join(account, rel), orig, 0o644)
			if err := os.WriteFile(filepath.Join(account, rel), data, 0o644); err != nil {
				t.Fatal(err)
			}
		} else if err := os.WriteFile(input, data, 0o644); err != nil {
			t.Fatal(err)
		}
		out := t.TempDir()
		args := []string{"import", src, input, "-o", filepath.Join(out, "imported.toml")}
		if src == "cloudformation" {
			args = append(args, "--region", "us-east-1")
		}
		done := make(chan error, 1)
		ctx, cancel := context.WithTimeout(context.Background(), e2eBudget)
		defer cancel()
		go func() { done <- importRun(ctx, src, input, args, out) }()
		if err := e2eWait(done, data); err != nil {
			t.Fatalf("%v\ninput (%s):\n%s", err, src, data)
		}
	})
}

// importRun runs drsim import with args, then the pipeline of
// FuzzScenario on the import's neutral rendering, written into out.
func importRun(ctx context.Context, src, input string, args []string, out string) error {
	code, _, stderr := e2eDrsim(ctx, args...)
	switch {
	case code == exitInput && stderr != "":
		return nil
	case code != exitOK:
		return fmt.Errorf("drsim %v: exit %d\nstderr:\n%s", args, code, stderr)
	}
	var inv *importer.Inventory
	var err error
	switch src {
	case "terraform":
		var data []byte
		if data, err = os.ReadFile(input); err == nil {
			inv, err = terraform.Decode(input, data)
		}
	case "cloudformation":
		var data []byte
		if data, err = os.ReadFile(input); err == nil {
			inv, err = cloudformation.Decode([]cloudformation.Template{{File: input, Data: data, Region: "us-east-1"}})
		}
	default:
		inv, err = awscli.Decode(os.DirFS(input), input)
	}
	if err != nil {
		return fmt.Errorf("drsim import succeeded, the decoder fails: %v", err)
	}
	inv.Finish()
	neutral := filepath.Join(out, "neutral.toml")
	if err := os.WriteFile(neutral, importer.Render(inv, importer.Options{Neutral: true}).Text, 0o644); err != nil {
		return err
	}
	return e2eRun(ctx, neutral, filepath.Join(out, "run"))
}
