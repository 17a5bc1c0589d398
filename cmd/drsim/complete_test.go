package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// completions runs cobra's hidden __complete command, as the shell scripts
// do, and returns the candidates (without descriptions) and the directive.
func completions(t *testing.T, args ...string) ([]string, string) {
	t.Helper()
	code, stdout, stderr := drsim(t, append([]string{"__complete"}, args...)...)
	if code != 0 {
		t.Fatalf("__complete %q: code %d, stderr %q", args, code, stderr)
	}
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	var out []string
	for _, l := range lines[:len(lines)-1] {
		name, _, _ := strings.Cut(l, "\t")
		out = append(out, name)
	}
	return out, lines[len(lines)-1]
}

func TestCompletion(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "mine.toml"), nil, 0o644)
	os.WriteFile(filepath.Join(dir, "notes.txt"), nil, 0o644)
	os.Mkdir(filepath.Join(dir, "more"), 0o755)
	t.Chdir(dir)
	tests := []struct {
		args []string
		want string // the candidates, joined by spaces
	}{
		{[]string{"r"}, "run"},
		{[]string{"co"}, "compare completion"},
		{[]string{"run", "sn"}, "snowy"},
		{[]string{"run", "pi"}, "pilot-light"},
		{[]string{"run", "m"}, "mine.toml more/"},
		{[]string{"run", "snowy", ""}, ""}, // run takes one scenario
		{[]string{"compare", "snowy", "wa"}, "warm-standby"},
		{[]string{"run", "snowy", "--format", ""}, "text json markdown partial"},
		{[]string{"validate", "--format", ""}, "text json"},
		{[]string{"init", "--strategy", ""}, "backup-and-restore pilot-light warm-standby active-active"},
		{[]string{"init", "--key", ""}, "mrk single"},
		{[]string{"completion", ""}, "bash zsh fish powershell"},
		{[]string{"run", "snowy", "--tr"}, "--trace --trace-trial --trials"},
		{[]string{"help", "v"}, "validate version"},
	}
	for _, tt := range tests {
		got, _ := completions(t, tt.args...)
		if strings.Join(got, " ") != tt.want {
			t.Errorf("drsim %s<TAB>: %q, want %q", strings.Join(tt.args, " "), got, tt.want)
		}
	}
}

// "drsim r<TAB>" completes to "run" in bash, through the script that
// 'drsim completion bash' prints (it needs the bash-completion package, as
// every cobra program's does).
func TestBashCompletionScript(t *testing.T) {
	const bashCompletion = "/usr/share/bash-completion/bash_completion"
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	if _, err := os.Stat(bashCompletion); err != nil {
		t.Skip("no bash-completion package (.ci/run installs it)")
	}
	bin := drsimBinary(t)
	script := `source ` + bashCompletion + `
source <(drsim completion bash)
complete_line() {
	COMP_LINE="$1"; COMP_POINT=${#COMP_LINE}
	read -r -a COMP_WORDS <<< "$COMP_LINE"
	if [[ "$COMP_LINE" == *" " ]]; then COMP_WORDS+=(""); fi
	COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
	COMPREPLY=()
	__start_drsim drsim "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}" 2>/dev/null
	echo "$COMP_LINE => ${COMPREPLY[*]}"
}
complete_line "drsim r"
complete_line "drsim run sno"
complete_line "drsim run snowy --format j"
complete_line "drsim compare warm-standby act"
`
	cmd := exec.Command(bash, "--noprofile", "--norc", "-c", script)
	cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(bin)+string(os.PathListSeparator)+os.Getenv("PATH"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	want := `drsim r => run
drsim run sno => snowy
drsim run snowy --format j => json
drsim compare warm-standby act => active-active
`
	if string(out) != want {
		t.Errorf("bash completed\n%s\nwant\n%s", out, want)
	}
}

// Every shell's script is generated.
func TestCompletionScripts(t *testing.T) {
	for shell, want := range map[string]string{
		"bash":       "__start_drsim",
		"zsh":        "#compdef drsim",
		"fish":       "complete -c drsim",
		"powershell": "Register-ArgumentCompleter",
		"PowerShell": "Register-ArgumentCompleter",
	} {
		code, stdout, stderr := drsim(t, "completion", shell)
		if code != 0 || !strings.Contains(stdout, want) {
			t.Errorf("completion %s: code %d, stderr %q, no %q", shell, code, stderr, want)
		}
	}
}
