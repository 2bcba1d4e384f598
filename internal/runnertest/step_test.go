package runnertest_test

import (
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/codescoring-gate/codescoring-gate/internal/runnertest"
)

func TestParseOutputs(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		in      string
		want    []runnertest.Output
		wantErr []string // each in the error
	}{
		{name: "empty", in: ""},
		{
			name: "name=value lines, the first = splits",
			in:   "verdict=fail\nreport-url=https://cs.example.com/?a=b\n\nempty=\n",
			want: []runnertest.Output{{"verdict", "fail"}, {"report-url", "https://cs.example.com/?a=b"}, {"empty", ""}},
		},
		{
			name: "heredoc",
			in:   "summary<<ghadelimiter_1\nline one\nx=y\n\nline four\nghadelimiter_1\nverdict=pass\n",
			want: []runnertest.Output{{"summary", "line one\nx=y\n\nline four"}, {"verdict", "pass"}},
		},
		{
			name: "a << after = is part of the value",
			in:   "cmd=a<<b\n",
			want: []runnertest.Output{{"cmd", "a<<b"}},
		},
		{
			name: "a name set twice is kept twice, in order",
			in:   "verdict=pass\nverdict=fail\n",
			want: []runnertest.Output{{"verdict", "pass"}, {"verdict", "fail"}},
		},
		{
			name:    "a line that is neither",
			in:      "verdict=pass\njust text\n",
			want:    []runnertest.Output{{"verdict", "pass"}},
			wantErr: []string{`line "just text" is neither name=value nor a heredoc`},
		},
		{
			name:    "a heredoc that does not end",
			in:      "summary<<EOF\nline\n",
			want:    []runnertest.Output{{"summary", "line\n"}},
			wantErr: []string{`the heredoc of summary has no line "EOF" that ends it`},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := runnertest.ParseOutputs(tc.in)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ParseOutputs() mismatch (-want +got):\n%s", diff)
			}
			if (err != nil) != (len(tc.wantErr) > 0) {
				t.Fatalf("ParseOutputs() error = %v, want one with %q", err, tc.wantErr)
			}
			for _, w := range tc.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("ParseOutputs() error = %v, want it to say %q", err, w)
				}
			}
		})
	}
}

// recorder is a testing.TB that records what a helper reports instead of
// failing the test; Fatalf ends the goroutine as testing's does.
type recorder struct {
	testing.TB
	mu      sync.Mutex
	errs    []string
	fataled bool
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func (r *recorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	r.mu.Lock()
	r.fataled = true
	r.mu.Unlock()
	runtime.Goexit()
}

// record runs f with a recorder on its own goroutine, so that Fatalf can
// end it.
func record(t *testing.T, f func(tb testing.TB)) *recorder {
	t.Helper()
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(r)
	}()
	<-done
	return r
}

func TestStepResult(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		env  map[string]string
		// output and summary are what the step writes to GITHUB_OUTPUT
		// and GITHUB_STEP_SUMMARY, when it has them.
		output, summary string
		wantFiles       bool
		want            runnertest.Result
		wantErrs        []string
		wantFatal       bool
	}{
		{
			name:      "in GitHub Actions",
			env:       map[string]string{"GITHUB_ACTIONS": "true", "INPUT_MODE": "warn"},
			output:    "verdict=warn\nreport-url<<D\nhttps://cs.example.com/projects/340\nD\n",
			summary:   "## CodeScoring gate\n",
			wantFiles: true,
			want: runnertest.Result{Code: 1, Stdout: "out", Stderr: "err", Summary: "## CodeScoring gate\n",
				Outputs: map[string]string{"verdict": "warn", "report-url": "https://cs.example.com/projects/340"}},
		},
		{
			name: "outside GitHub Actions there are no files",
			env:  map[string]string{"CODESCORING_URL": "https://cs.example.com"},
			want: runnertest.Result{Code: 1, Stdout: "out", Stderr: "err", Outputs: map[string]string{}},
		},
		{
			name: "no environment at all",
			want: runnertest.Result{Code: 1, Stdout: "out", Stderr: "err", Outputs: map[string]string{}},
		},
		{
			name:      "an output set twice is an error",
			env:       map[string]string{"GITHUB_ACTIONS": "true"},
			output:    "verdict=pass\nverdict=fail\n",
			wantFiles: true,
			want:      runnertest.Result{Code: 1, Stdout: "out", Stderr: "err", Outputs: map[string]string{"verdict": "fail"}},
			wantErrs:  []string{"GITHUB_OUTPUT sets verdict twice"},
		},
		{
			name:      "a file the runner cannot read is fatal",
			env:       map[string]string{"GITHUB_ACTIONS": "true"},
			output:    "verdict pass\n",
			wantFiles: true,
			wantErrs:  []string{`read GITHUB_OUTPUT: line "verdict pass" is neither name=value nor a heredoc`},
			wantFatal: true,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			st := runnertest.NewStep(t, tc.env)
			for k, v := range tc.env {
				if st.Env[k] != v {
					t.Errorf("Env[%s] = %q, want %q", k, st.Env[k], v)
				}
			}
			st.Env["CHANGED"] = "yes" // the step's copy, not tc.env
			if tc.env["CHANGED"] != "" {
				t.Errorf("NewStep shares the caller's map")
			}
			out, sum := st.Getenv("GITHUB_OUTPUT"), st.Getenv("GITHUB_STEP_SUMMARY")
			if gotFiles := out != "" && sum != ""; gotFiles != tc.wantFiles {
				t.Fatalf("GITHUB_OUTPUT %q, GITHUB_STEP_SUMMARY %q; want files %v", out, sum, tc.wantFiles)
			}
			if tc.wantFiles {
				writeFile(t, out, tc.output)
				writeFile(t, sum, tc.summary)
			}
			st.Stdout.WriteString("out")
			st.Stderr.WriteString("err")

			var got runnertest.Result
			rec := record(t, func(tb testing.TB) {
				tb.Helper()
				got = st.Result(tb, 1)
			})
			if rec.fataled != tc.wantFatal {
				t.Errorf("fatal = %v, want %v", rec.fataled, tc.wantFatal)
			}
			if !slices.Equal(rec.errs, tc.wantErrs) {
				t.Errorf("reported %q, want %q", rec.errs, tc.wantErrs)
			}
			if tc.wantFatal {
				return
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Result() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestNewStepFreshFiles checks that two runs of one environment never share
// their files, as two runs of a step on the runner do not.
func TestNewStepFreshFiles(t *testing.T) {
	t.Parallel()
	env := map[string]string{"GITHUB_ACTIONS": "true"}
	a, b := runnertest.NewStep(t, env), runnertest.NewStep(t, env)
	for _, k := range []string{"GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY"} {
		if a.Env[k] == b.Env[k] {
			t.Errorf("two steps share %s = %q", k, a.Env[k])
		}
	}
	if _, ok := env["GITHUB_OUTPUT"]; ok {
		t.Errorf("NewStep changed the caller's environment")
	}
}

func TestEnviron(t *testing.T) {
	t.Parallel()
	st := runnertest.NewStep(t, map[string]string{"B": "2=two", "A": "1", "INPUT_WAIT-TIMEOUT": "1m"})
	want := []string{"A=1", "B=2=two", "INPUT_WAIT-TIMEOUT=1m"}
	if got := st.Environ(); !slices.Equal(got, want) {
		t.Errorf("Environ() = %q, want %q", got, want)
	}
}

func TestResultAll(t *testing.T) {
	t.Parallel()
	r := runnertest.Result{Stdout: "o;", Stderr: "e;", Summary: "s;", Outputs: map[string]string{"b": "2", "a": "1"}}
	if got, want := r.All(), "o;e;s;a=1\nb=2\n"; got != want {
		t.Errorf("All() = %q, want %q", got, want)
	}
}

func writeFile(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
}
