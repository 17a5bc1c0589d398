package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

// The tests below run the examples under deploy/ as their engines would:
// each shard with the engine's index variable set (or its matrix value
// substituted), the paths of the shared volume mapped to a temporary
// folder, then the fan-in merge. The trial count of the examples (10^6) is
// lowered to deployTrials to keep the tests short; everything else is run
// as written. Each checks that the merged report is the unsharded run's.

// deployTrials replaces the examples' --trials.
const deployTrials = "1200"

// smallTrials lowers the value of --trials in a command line.
func smallTrials(s string) string {
	return regexp.MustCompile(`--trials(\s+|=)"?1000000"?`).ReplaceAllString(s, "--trials "+deployTrials)
}

// runShell runs a shell command line with the drsim binary first on PATH,
// in dir, with extra environment variables.
func runShell(t *testing.T, bin, dir, line string, env ...string) {
	t.Helper()
	cmd := exec.Command("sh", "-c", line)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(bin)+string(os.PathListSeparator)+os.Getenv("PATH"))
	cmd.Env = append(cmd.Env, env...)
	checkRun(t, line, cmd)
}

// checkRun runs cmd and fails the test unless it exits with 0, or with 3
// for a merge with --check (the examples gate on the objectives, which
// snowy misses: the report is written all the same).
func checkRun(t *testing.T, what string, cmd *exec.Cmd) {
	t.Helper()
	out, err := cmd.CombinedOutput()
	if err == nil {
		return
	}
	if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() == exitCheck && strings.Contains(what, "merge") && strings.Contains(what, "--check") {
		return
	}
	t.Fatalf("%s: %v\n%s", what, err, out)
}

// runArgs runs a container's command (argv, drsim first), in dir.
func runArgs(t *testing.T, bin, dir string, argv []string, env ...string) {
	t.Helper()
	if len(argv) == 0 || argv[0] != "drsim" {
		t.Fatalf("command %q does not run drsim", argv)
	}
	cmd := exec.Command(bin, argv[1:]...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	checkRun(t, strings.Join(argv, " "), cmd)
}

// wantSameReport checks that the report folder dir holds what an unsharded
// run of snowy with deployTrials trials writes with --out.
func wantSameReport(t *testing.T, bin, dir string) {
	t.Helper()
	whole := t.TempDir()
	runArgs(t, bin, whole, []string{"drsim", "run", "snowy", "--trials", deployTrials, "--out", "report", "--quiet"})
	for _, name := range dirNames(t, filepath.Join(whole, "report")) {
		if readAll(t, filepath.Join(whole, "report", name)) != readAll(t, filepath.Join(dir, name)) {
			t.Errorf("%s differs from the unsharded run's", name)
		}
	}
}

// TestDeployKubernetes runs deploy/kubernetes: the Indexed Job's pods, each
// with JOB_COMPLETION_INDEX (and its $(VAR) expansion, which the kubelet
// makes), then the merge Job.
func TestDeployKubernetes(t *testing.T) {
	bin := drsimBinary(t)
	vol := t.TempDir()
	type container struct {
		Command []string `yaml:"command"`
	}
	type job struct {
		Spec struct {
			CompletionMode string `yaml:"completionMode"`
			Completions    int    `yaml:"completions"`
			Template       struct {
				Spec struct {
					Containers []container `yaml:"containers"`
				} `yaml:"spec"`
			} `yaml:"template"`
		} `yaml:"spec"`
	}
	load := func(name string) job {
		var j job
		if err := yaml.Unmarshal([]byte(readAll(t, filepath.Join("..", "..", "deploy", "kubernetes", name))), &j); err != nil {
			t.Fatal(err)
		}
		if len(j.Spec.Template.Spec.Containers) != 1 {
			t.Fatalf("%s: want one container", name)
		}
		return j
	}
	shards := load("shards.yaml")
	if shards.Spec.CompletionMode != "Indexed" || shards.Spec.Completions < 2 {
		t.Fatalf("shards.yaml: completionMode %q, completions %d", shards.Spec.CompletionMode, shards.Spec.Completions)
	}
	mapArgs := func(argv []string, vars map[string]string) []string {
		out := make([]string, len(argv))
		for i, a := range argv {
			for k, v := range vars {
				a = strings.ReplaceAll(a, "$("+k+")", v)
			}
			a = strings.ReplaceAll(a, "/results", vol)
			out[i] = a
		}
		return strings.Fields(smallTrials(strings.Join(out, " ")))
	}
	for i := 0; i < shards.Spec.Completions; i++ {
		idx := strconv.Itoa(i)
		runArgs(t, bin, vol, mapArgs(shards.Spec.Template.Spec.Containers[0].Command, map[string]string{"JOB_COMPLETION_INDEX": idx}),
			"JOB_COMPLETION_INDEX="+idx)
	}
	merge := load("merge.yaml")
	runArgs(t, bin, vol, mapArgs(merge.Spec.Template.Spec.Containers[0].Command, nil))
	wantSameReport(t, bin, filepath.Join(vol, "report"))
}

// TestDeployAWSBatch runs deploy/aws-batch: the shard job definition once
// per child of a 4-job array (AWS_BATCH_JOB_ARRAY_INDEX 0 to 3), then the
// merge job that depends on it.
func TestDeployAWSBatch(t *testing.T) {
	bin := drsimBinary(t)
	vol := t.TempDir()
	type def struct {
		ContainerProperties struct {
			Command []string `json:"command"`
		} `json:"containerProperties"`
	}
	load := func(name string) string {
		var d def
		if err := json.Unmarshal([]byte(readAll(t, filepath.Join("..", "..", "deploy", "aws-batch", name))), &d); err != nil {
			t.Fatal(err)
		}
		c := d.ContainerProperties.Command
		if len(c) != 3 || c[0] != "sh" || c[1] != "-c" {
			t.Fatalf("%s: command %q, want sh -c LINE", name, c)
		}
		return strings.ReplaceAll(smallTrials(c[2]), "/results", vol)
	}
	shard := load("shard-job-definition.json")
	n := regexp.MustCompile(`--shard-count\s+(\d+)`).FindStringSubmatch(shard)
	if n == nil {
		t.Fatalf("the shard command has no --shard-count: %s", shard)
	}
	count, _ := strconv.Atoi(n[1])
	for i := 0; i < count; i++ {
		runShell(t, bin, vol, shard, "AWS_BATCH_JOB_ARRAY_INDEX="+strconv.Itoa(i))
	}
	runShell(t, bin, vol, load("merge-job-definition.json"))
	wantSameReport(t, bin, filepath.Join(vol, "report"))
}

// TestDeployGitHubActions runs deploy/github-actions: the drsim steps of
// the matrix job once per matrix value (${{ matrix.shard }} substituted,
// each in its own workspace), the artifacts gathered as download-artifact
// with merge-multiple does, then the merge job's drsim step.
func TestDeployGitHubActions(t *testing.T) {
	bin := drsimBinary(t)
	type step struct {
		Name string `yaml:"name"`
		Run  string `yaml:"run"`
	}
	type jobT struct {
		Needs    any `yaml:"needs"`
		Strategy struct {
			Matrix map[string][]int `yaml:"matrix"`
		} `yaml:"strategy"`
		Steps []step `yaml:"steps"`
	}
	var wf struct {
		Jobs map[string]jobT `yaml:"jobs"`
	}
	if err := yaml.Unmarshal([]byte(readAll(t, filepath.Join("..", "..", "deploy", "github-actions", "drsim-sharded.yml"))), &wf); err != nil {
		t.Fatal(err)
	}
	drsimSteps := func(j jobT) []string {
		var lines []string
		for _, s := range j.Steps {
			if strings.HasPrefix(strings.TrimSpace(s.Run), "drsim ") {
				lines = append(lines, smallTrials(s.Run))
			}
		}
		if len(lines) == 0 {
			t.Fatal("a job without drsim steps")
		}
		return lines
	}
	shard, merge := wf.Jobs["shard"], wf.Jobs["merge"]
	values := shard.Strategy.Matrix["shard"]
	if len(values) < 2 || merge.Needs != "shard" {
		t.Fatalf("matrix %v, merge needs %v", values, merge.Needs)
	}
	mergeDir := t.TempDir()
	parts := filepath.Join(mergeDir, "parts")
	if err := os.Mkdir(parts, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, v := range values {
		ws := t.TempDir()
		for _, line := range drsimSteps(shard) {
			runShell(t, bin, ws, strings.ReplaceAll(line, "${{ matrix.shard }}", strconv.Itoa(v)))
		}
		for _, name := range dirNames(t, ws) {
			if strings.HasSuffix(name, ".drsim") {
				if err := os.WriteFile(filepath.Join(parts, name), []byte(readAll(t, filepath.Join(ws, name))), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	for _, line := range drsimSteps(merge) {
		runShell(t, bin, mergeDir, line)
	}
	wantSameReport(t, bin, filepath.Join(mergeDir, "report"))
}

// TestDeployImages: the image the examples run is deploy/Dockerfile's (a
// static binary; a shell in the final stage, since the AWS Batch commands
// are sh -c), every image name is the one marked placeholder, Kubernetes
// pulls it IfNotPresent and says which version it needs, and the GitHub
// Actions jobs build drsim from the checkout instead of installing an
// unpublished module.
func TestDeployImages(t *testing.T) {
	deploy := func(p ...string) string {
		return readAll(t, filepath.Join(append([]string{"..", "..", "deploy"}, p...)...))
	}
	df := deploy("Dockerfile")
	froms := regexp.MustCompile(`(?m)^FROM\s+(\S+)`).FindAllStringSubmatch(df, -1)
	if len(froms) < 2 {
		t.Fatalf("Dockerfile: %d stages, want a build stage and a runtime stage", len(froms))
	}
	if !strings.Contains(df, "CGO_ENABLED=0") || !strings.Contains(df, "./cmd/drsim") {
		t.Error("Dockerfile: the binary is not built static from ./cmd/drsim")
	}
	if final := froms[len(froms)-1][1]; !strings.HasPrefix(final, "busybox") && !strings.HasPrefix(final, "alpine") && !strings.HasPrefix(final, "debian") {
		t.Errorf("Dockerfile: the final stage %s has no sh, which the AWS Batch commands need", final)
	}
	const image = "drsim:REPLACE-ME"
	for _, f := range []string{"kubernetes/shards.yaml", "kubernetes/merge.yaml"} {
		y := deploy(f)
		images := regexp.MustCompile(`(?m)^\s+image:\s*(\S+)`).FindAllStringSubmatch(y, -1)
		pulls := regexp.MustCompile(`(?m)^\s+imagePullPolicy:\s*(\S+)`).FindAllStringSubmatch(y, -1)
		if len(images) != 1 || !strings.HasSuffix(images[0][1], "/"+image) || len(pulls) != 1 || pulls[0][1] != "IfNotPresent" {
			t.Errorf("%s: images %v, pull policies %v; want one %s pulled IfNotPresent", f, images, pulls, image)
		}
	}
	if y := deploy("kubernetes", "shards.yaml"); !strings.Contains(y, "backoffLimitPerIndex") || !strings.Contains(y, "Kubernetes 1.29") {
		t.Error("shards.yaml: backoffLimitPerIndex without the Kubernetes version it needs")
	}
	for _, f := range []string{"shard-job-definition.json", "merge-job-definition.json"} {
		var d struct {
			ContainerProperties struct {
				Image string `json:"image"`
			} `json:"containerProperties"`
		}
		if err := json.Unmarshal([]byte(deploy("aws-batch", f)), &d); err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(d.ContainerProperties.Image, "/"+image) {
			t.Errorf("%s: image %q, want the placeholder %s", f, d.ContainerProperties.Image, image)
		}
	}
	wf := deploy("github-actions", "drsim-sharded.yml")
	if strings.Contains(wf, "go install") || strings.Count(wf, "go build") != 2 || strings.Count(wf, "actions/checkout") != 2 {
		t.Error("drsim-sharded.yml: each job must check out and build drsim (the module is not published)")
	}
	if r := deploy("README.md"); strings.Contains(r, "every point of a sweep") || !strings.Contains(r, "REPLACE-ME") {
		t.Error("deploy/README.md: claims sweeps shard, or does not name the placeholders")
	}
}

// TestDeployVolumeUser: the user the image runs as (the Dockerfile's USER)
// can write the results volume as the examples set it up: both Kubernetes
// Jobs run their pods as that user and group with fsGroup set to its group,
// and deploy/README.md says how to make an NFS or EFS volume (which ignore
// fsGroup) writable, with an EFS access point for AWS Batch.
func TestDeployVolumeUser(t *testing.T) {
	deploy := func(p ...string) string {
		return readAll(t, filepath.Join(append([]string{"..", "..", "deploy"}, p...)...))
	}
	m := regexp.MustCompile(`(?m)^USER\s+(\d+):(\d+)\s*$`).FindStringSubmatch(deploy("Dockerfile"))
	if m == nil {
		t.Fatal("Dockerfile: no numeric USER uid:gid")
	}
	uid, _ := strconv.ParseInt(m[1], 10, 64)
	gid, _ := strconv.ParseInt(m[2], 10, 64)
	type securityContext struct {
		RunAsUser  *int64 `yaml:"runAsUser"`
		RunAsGroup *int64 `yaml:"runAsGroup"`
		FSGroup    *int64 `yaml:"fsGroup"`
	}
	for _, f := range []string{"shards.yaml", "merge.yaml"} {
		var j struct {
			Kind string `yaml:"kind"`
			Spec struct {
				Template struct {
					Spec struct {
						SecurityContext *securityContext `yaml:"securityContext"`
					} `yaml:"spec"`
				} `yaml:"template"`
			} `yaml:"spec"`
		}
		if err := yaml.Unmarshal([]byte(deploy("kubernetes", f)), &j); err != nil {
			t.Fatal(err)
		}
		sc := j.Spec.Template.Spec.SecurityContext
		if j.Kind != "Job" || sc == nil || sc.RunAsUser == nil || *sc.RunAsUser != uid || sc.RunAsGroup == nil || *sc.RunAsGroup != gid || sc.FSGroup == nil || *sc.FSGroup != gid {
			t.Errorf("%s: the pod's securityContext %+v; want runAsUser %d, runAsGroup %d, fsGroup %d (the Dockerfile's USER)", f, sc, uid, gid, gid)
		}
	}
	r := deploy("README.md")
	for _, want := range []string{"**The results volume.**", "fsGroup", "access point", "Uid=" + m[1] + ",Gid=" + m[2], "OwnerUid=" + m[1], "accessPointId"} {
		if !strings.Contains(r, want) {
			t.Errorf("deploy/README.md does not say how to make the volume writable by %s:%s: no %q", m[1], m[2], want)
		}
	}
}
