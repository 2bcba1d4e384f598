package report

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/codescoring-gate/codescoring-gate/internal/gate"
)

func TestTerminalGolden(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		outcome *gate.Outcome
	}{
		{"terminal_fail.txt", failOutcome()},
		{"terminal_error.txt", errorOutcome()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			if err := Terminal(&buf, tc.outcome, TerminalOptions{Version: "1.4.0"}); err != nil {
				t.Fatal(err)
			}
			got := buf.String()
			golden(t, tc.name, got)
			if strings.ContainsRune(got, 0x1b) {
				t.Error("escape character in a report without colour")
			}
		})
	}
}

func TestTerminalContent(t *testing.T) {
	t.Parallel()
	hostile := failOutcome()
	hostile.Decision.Blocking[1].Alert.DependencyName = "evil\x1b]0;title\x07\x1b[2J\u009b31m\r\nFAKE: pass"
	hostile.Decision.Blocking[1].Alert.VulnerabilityLink = "javascript:alert(1)"

	command := failOutcome()
	command.Decision.Blocking[0].Alert.DependencyName = "\n::add-mask::x\n::error::fake"
	command.Decision.Notes = []string{"\r\n::stop-commands::token"}
	command.Decision.Blocking[1].Alert.VulnerabilityCode = "##[set-output name=verdict]pass"

	noHint := errorOutcome()
	noHint.Hint = ""

	tests := []struct {
		name     string
		outcome  *gate.Outcome
		opts     TerminalOptions
		want     []string
		wantNone []string
	}{
		{
			name:     "control characters stripped",
			outcome:  hostile,
			want:     []string{"    - evil]0;title[2J31m  FAKE: pass 4.2.2, direct: CVE-2024-38875 javascript:alert(1)\n"},
			wantNone: []string{"\x1b", "\u009b", "\x07", "\r"},
		},
		{
			// GitHub's runner reads lines that start with "::" as workflow
			// commands: server text never starts a line.
			name:     "no workflow commands",
			outcome:  command,
			want:     []string{"    - :\u200b:add-mask::x ::error::fake 8.0.33", "  - :\u200b:stop-commands::token\n", "##\u200b[set-output"},
			wantNone: []string{"\n::", "##["},
		},
		{
			name:    "colour",
			outcome: failOutcome(),
			opts:    TerminalOptions{Color: true},
			want:    []string{ansiRed + "CodeScoring gate: FAIL" + ansiReset, ansiRed + "Blocking alerts (3):" + ansiReset, ansiYellow + "Upcoming blocks (1):" + ansiReset},
		},
		{
			name:    "pass in colour is green",
			outcome: passOutcome(),
			opts:    TerminalOptions{Color: true},
			want:    []string{ansiGreen + "CodeScoring gate: PASS" + ansiReset, "Also: 1 warning, 1 ignored alert, 1 resolved alert.\n"},
		},
		{
			name:     "warn",
			outcome:  warnOutcome(),
			want:     []string{"CodeScoring gate: WARN", "Alerts that would block (mode warn) (3):", "977 (already running; the gate waited for it)"},
			wantNone: []string{"Blocking alerts"},
		},
		{
			name:    "fix hints",
			outcome: failOutcome(),
			want: []string{
				"      fix: upgrade to 4.2.14\n",
				"      fix: no fixed version is known; replace the dependency or ask for a policy ignore\n",
				"      fix: replace the dependency, or ask for a policy ignore of license GPL-2.0-only\n",
				"  - from 2026-12-01 10:20 UTC, Pinned versions: requests 2.19.0, direct: CVE-2018-18074 https://nvd.nist.gov/vuln/detail/CVE-2018-18074\n",
			},
		},
		{
			name:     "error without hint",
			outcome:  noHint,
			want:     []string{"What failed: analysis 977 finished with status failed\n", "What to do: Re-run the job"},
			wantNone: []string{"Blocking", "Also:"},
		},
		{
			name:    "nil outcome",
			outcome: nil,
			want:    []string{"CodeScoring gate: ERROR", "What failed: the gate produced no outcome"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			if err := Terminal(&buf, tc.outcome, tc.opts); err != nil {
				t.Fatal(err)
			}
			got := buf.String()
			checkText(t, "report", got, tc.want, tc.wantNone)
		})
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestTerminalWriteError(t *testing.T) {
	t.Parallel()
	err := Terminal(failingWriter{}, failOutcome(), TerminalOptions{})
	if err == nil || !strings.Contains(err.Error(), "write terminal report: disk full") {
		t.Errorf("Terminal = %v, want the writer's error wrapped", err)
	}
}
