package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sethvargo/go-githubactions"

	"github.com/codescoring-gate/codescoring-gate/internal/runnertest"
)

// TestFileCommand checks that the step outputs and the job summary written
// through go-githubactions are what the runner reads, and that a file the
// runner's variables name but nobody can write is an error, not a panic.
func TestFileCommand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	env := map[string]string{
		"GITHUB_OUTPUT":       filepath.Join(dir, "output"),
		"GITHUB_STEP_SUMMARY": filepath.Join(dir, "summary"),
	}
	gha := githubactions.New(githubactions.WithGetenv(func(k string) string { return env[k] }))
	err := fileCommand(func() {
		gha.SetOutput("verdict", "fail")
		gha.SetOutput("report-url", "https://cs.example.com/projects/340")
		gha.AddStepSummary("## CodeScoring gate: fail")
	})
	if err != nil {
		t.Fatalf("fileCommand() = %v, want nil", err)
	}
	b, err := os.ReadFile(env["GITHUB_OUTPUT"])
	if err != nil {
		t.Fatal(err)
	}
	outs, err := runnertest.ParseOutputs(string(b))
	if err != nil {
		t.Fatalf("the runner cannot read GITHUB_OUTPUT %q: %v", b, err)
	}
	want := []runnertest.Output{{Name: "verdict", Value: "fail"}, {Name: "report-url", Value: "https://cs.example.com/projects/340"}}
	if len(outs) != len(want) || outs[0] != want[0] || outs[1] != want[1] {
		t.Errorf("outputs = %v, want %v", outs, want)
	}
	if b, _ := os.ReadFile(env["GITHUB_STEP_SUMMARY"]); string(b) != "## CodeScoring gate: fail\n" {
		t.Errorf("summary = %q, want the markdown and a newline", b)
	}

	env["GITHUB_OUTPUT"] = filepath.Join(dir, "no-such-dir", "output")
	err = fileCommand(func() { gha.SetOutput("verdict", "fail") })
	if err == nil || !strings.Contains(err.Error(), "no-such-dir") {
		t.Errorf("fileCommand() = %v, want the error of writing the missing directory's file", err)
	}
}
