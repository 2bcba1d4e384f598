package app

import (
	"context"
	"runtime/debug"
	"strings"
	"testing"
)

// TestCLIConventions runs Main as a newcomer would: the version flag
// anywhere, gate as an explicit command, flags before or after the
// command, doctor's --json as a real bool flag, typos answered with a near
// match, and enumerated inputs in any case.
func TestCLIConventions(t *testing.T) {
	t.Parallel()
	_, url := startSim(t, nil)
	conn := []string{"--url", url, "--token", canary}
	cases := []struct {
		name     string
		args     []string
		wantCode int
		want     []string
		wantNone []string
	}{
		{name: "--version", args: []string{"--version"}, want: []string{"codescoring-gate dev\n"}},
		{name: "-v", args: []string{"-v"}, want: []string{"codescoring-gate dev\n"}},
		{name: "-v after flags", args: append(append([]string{}, conn...), "-v"), want: []string{"codescoring-gate dev\n"}},
		{name: "--version after a command", args: []string{"doctor", "--version"}, want: []string{"codescoring-gate dev\n"}},
		{name: "-v as a flag's value is a value", args: append(append([]string{}, conn...), "--project", "-v"), wantCode: 2,
			want: []string{`no CodeScoring project is named "-v"`}},
		{name: "gate as the command", args: append([]string{"gate", "--project", "payments-service"}, conn...), wantCode: 1,
			want: []string{"CodeScoring gate: FAIL"}},
		{name: "gate after the flags", args: append(append([]string{"--project", "payments-service"}, conn...), "gate"), wantCode: 1,
			want: []string{"CodeScoring gate: FAIL"}},
		{name: "doctor after the flags, --json=true", args: append(append([]string{"--project", "nope"}, conn...), "doctor", "--json=true"), wantCode: 1,
			want: []string{`"ok": false`}},
		{name: "doctor --json=false prints text", args: append([]string{"doctor", "--json=false", "--project", "payments-service"}, conn...),
			want: []string{"✔ project"}, wantNone: []string{`"ok":`}},
		{name: "a flag typo", args: []string{"--projct", "payments-service"}, wantCode: 2,
			want: []string{"flag provided but not defined: -projct (did you mean --project?)"}},
		{name: "a typo of a long flag", args: []string{"--wait-timout", "5m"}, wantCode: 2, want: []string{"(did you mean --wait-timeout?)"}},
		{name: "a command typo", args: []string{"docter"}, wantCode: 2, want: []string{`unexpected argument "docter" (did you mean doctor?)`}},
		{name: "an unknown word", args: []string{"deploy"}, wantCode: 2, want: []string{`unexpected argument "deploy": the commands are`},
			wantNone: []string{"did you mean"}},
		{name: "--json is doctor's", args: []string{"--json"}, wantCode: 2, want: []string{"flag provided but not defined: -json"}},
		{name: "enumerated inputs in any case", args: append([]string{"--project", "payments-service", "--mode", "WARN", "--on-error", "Warn", "--comment", "Never"}, conn...),
			want: []string{"CodeScoring gate: WARN"}},
		{name: "an unknown mode", args: append([]string{"--project", "payments-service", "--mode", "Block"}, conn...), wantCode: 2,
			want: []string{"`mode` \"block\" is not known: use one of enforce, warn"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := runMain(t, context.Background(), tc.args, nil)
			out := r.Stdout + r.Stderr
			if r.Code != tc.wantCode {
				t.Errorf("%v: exit %d, want %d\n%s", tc.args, r.Code, tc.wantCode, out)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("%v: output lacks %q:\n%s", tc.args, w, out)
				}
			}
			for _, w := range tc.wantNone {
				if strings.Contains(out, w) {
					t.Errorf("%v: output has %q:\n%s", tc.args, w, out)
				}
			}
		})
	}
}

func TestVersionFrom(t *testing.T) {
	t.Parallel()
	info := func(v string) func() (*debug.BuildInfo, bool) {
		return func() (*debug.BuildInfo, bool) {
			return &debug.BuildInfo{Main: debug.Module{Path: "x", Version: v}}, true
		}
	}
	none := func() (*debug.BuildInfo, bool) { return nil, false }
	for _, tc := range []struct {
		name   string
		linked string
		info   func() (*debug.BuildInfo, bool)
		want   string
	}{
		{"go install …@v1.2.3", "dev", info("v1.2.3"), "v1.2.3"},
		{"-ldflags -X wins", "v2.0.0", info("v1.2.3"), "v2.0.0"},
		{"a build in the checkout", "dev", info("(devel)"), "dev"},
		{"no build info", "dev", none, "dev"},
		{"empty version", "dev", info(""), "dev"},
	} {
		if got := versionFrom(tc.linked, tc.info); got != tc.want {
			t.Errorf("%s: versionFrom = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestJenkinsPullRequestCommit checks the warning for GIT_COMMIT of a
// Jenkins pull request build, which may be a local merge commit, and that a
// branch build or an explicit --commit gets none.
func TestJenkinsPullRequestCommit(t *testing.T) {
	t.Parallel()
	_, url := startSim(t, nil)
	const warning = "warning: the commit is GIT_COMMIT of a Jenkins pull request build"
	args := []string{"--url", url, "--token", canary, "--project", "payments-service"}
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		want bool
	}{
		{"pull request build", map[string]string{"CHANGE_ID": "12", "CHANGE_BRANCH": "feature/login", "GIT_COMMIT": "0123456789abcdef"}, nil, true},
		{"branch build", map[string]string{"BRANCH_NAME": "main", "GIT_COMMIT": "0123456789abcdef"}, nil, false},
		{"explicit commit", map[string]string{"CHANGE_ID": "12", "GIT_COMMIT": "0123456789abcdef"}, []string{"--commit", "9fceb02d0ae5"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := runMain(t, context.Background(), append(append([]string{}, args...), tc.args...), tc.env)
			if got := strings.Contains(r.Stderr, warning); got != tc.want {
				t.Errorf("warning shown: %t, want %t\n%s%s", got, tc.want, r.Stdout, r.Stderr)
			}
		})
	}
}
