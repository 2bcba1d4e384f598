package runnertest

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Step is one run of a step: its environment and the log it writes.
type Step struct {
	Env            map[string]string
	Stdout, Stderr bytes.Buffer
}

// NewStep returns a run of a step with a copy of env. When env has
// GITHUB_ACTIONS=true it also sets GITHUB_OUTPUT and GITHUB_STEP_SUMMARY to
// files in a fresh temporary directory of tb's, as the runner does for each
// run of a step, so that two runs never append to the same files; outside
// GitHub Actions (a CLI run) there are none.
func NewStep(tb testing.TB, env map[string]string) *Step {
	tb.Helper()
	s := &Step{Env: maps.Clone(env)}
	if s.Env == nil {
		s.Env = map[string]string{}
	}
	if env["GITHUB_ACTIONS"] == "true" {
		dir := tb.TempDir()
		s.Env["GITHUB_OUTPUT"] = filepath.Join(dir, "output")
		s.Env["GITHUB_STEP_SUMMARY"] = filepath.Join(dir, "summary")
	}
	return s
}

// Getenv returns the value of the step's environment variable name, empty
// when unset: app.System.Getenv.
func (s *Step) Getenv(name string) string { return s.Env[name] }

// Environ returns the step's environment as sorted name=value pairs:
// exec.Cmd.Env, for a run of the built binary.
func (s *Step) Environ() []string {
	env := make([]string, 0, len(s.Env))
	for _, k := range slices.Sorted(maps.Keys(s.Env)) {
		env = append(env, k+"="+s.Env[k])
	}
	return env
}

// Result is what one run of a step left behind.
type Result struct {
	Code           int // the exit code
	Stdout, Stderr string
	// Outputs are the step outputs written to GITHUB_OUTPUT; never nil.
	Outputs map[string]string
	// Summary is what was written to GITHUB_STEP_SUMMARY.
	Summary string
}

// Result returns what the step left behind after it exited with code: its
// log, and its outputs and job summary when the files exist. It fails tb
// when GITHUB_OUTPUT is not what the runner can read, and reports an error
// when it sets an output twice (the runner keeps the last; the gate must
// not depend on that).
func (s *Step) Result(tb testing.TB, code int) Result {
	tb.Helper()
	r := Result{Code: code, Stdout: s.Stdout.String(), Stderr: s.Stderr.String(), Outputs: map[string]string{}}
	if b, err := os.ReadFile(s.Env["GITHUB_OUTPUT"]); err == nil {
		outs, err := ParseOutputs(string(b))
		if err != nil {
			tb.Fatalf("read GITHUB_OUTPUT: %v", err)
		}
		for _, o := range outs {
			if _, dup := r.Outputs[o.Name]; dup {
				tb.Errorf("GITHUB_OUTPUT sets %s twice", o.Name)
			}
			r.Outputs[o.Name] = o.Value
		}
	}
	if b, err := os.ReadFile(s.Env["GITHUB_STEP_SUMMARY"]); err == nil {
		r.Summary = string(b)
	}
	return r
}

// All returns everything the run wrote: its log, its job summary and its
// outputs as name=value lines sorted by name, for checks that a secret
// appears nowhere.
func (r Result) All() string {
	var b strings.Builder
	b.WriteString(r.Stdout + r.Stderr + r.Summary)
	for _, k := range slices.Sorted(maps.Keys(r.Outputs)) {
		b.WriteString(k + "=" + r.Outputs[k] + "\n")
	}
	return b.String()
}

// Output is one step output set in a GITHUB_OUTPUT file.
type Output struct {
	Name, Value string
}

// ParseOutputs reads a GITHUB_OUTPUT file as the runner does: name=value
// lines and name<<DELIMITER heredocs (the value is the lines up to the one
// that is exactly DELIMITER), in the order they were written. It returns an
// error naming every line that is neither, and every heredoc that does not
// end.
func ParseOutputs(s string) ([]Output, error) {
	var out []Output
	var errs []error
	lines := strings.Split(s, "\n")
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if line == "" {
			continue
		}
		if name, delim, ok := strings.Cut(line, "<<"); ok && !strings.Contains(name, "=") {
			var val []string
			for i++; i < len(lines) && lines[i] != delim; i++ {
				val = append(val, lines[i])
			}
			if i == len(lines) {
				errs = append(errs, fmt.Errorf("the heredoc of %s has no line %q that ends it", name, delim))
			}
			out = append(out, Output{Name: name, Value: strings.Join(val, "\n")})
			continue
		}
		name, val, ok := strings.Cut(line, "=")
		if !ok {
			errs = append(errs, fmt.Errorf("line %q is neither name=value nor a heredoc", line))
			continue
		}
		out = append(out, Output{Name: name, Value: val})
	}
	return out, errors.Join(errs...)
}
