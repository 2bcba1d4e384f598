package report

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

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
	command.Decision.Notes = []gate.Text{gate.Plain("\r\n::stop-commands::token")}
	command.Decision.Blocking[1].Alert.VulnerabilityCode = "##[set-output name=verdict]pass"

	noHint := errorOutcome()
	noHint.Hint = ""

	stageless := passOutcome()
	stageless.Decision.Upcoming = nil
	stageless.Config.Stage = "prod"

	manyWarnings := passOutcome()
	for i := 0; i < 30; i++ {
		w := vulnScored(polMedium, gate.Warning, int64(7000+i), fmt.Sprintf("github.com/acme/lib%02d", i), "v1.0.0", fmt.Sprintf("CVE-2024-%05d", i), "v1.0.1", "direct", 5)
		w.Reason = gate.Say("reason.notblocker")
		manyWarnings.Decision.Warnings = append(manyWarnings.Decision.Warnings, w)
	}

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
			want:     []string{"    - evil]0;title[2J31m FAKE: pass 8.0.33, transitive: javascript:alert(1) license GPL-2.0-only\n"},
			wantNone: []string{"\x1b", "\u009b", "\x07", "\r"},
		},
		{
			// GitHub's runner reads lines that start with "::" as workflow
			// commands: server text never starts a line.
			name:     "no workflow commands",
			outcome:  command,
			want:     []string{"    - :\u200b:add-mask::x ::error::fake 1.0.4", "  - :\u200b:stop-commands::token\n", "##\u200b[set-output"},
			wantNone: []string{"\n::", "##["},
		},
		{
			name:    "colour",
			outcome: failOutcome(),
			opts:    TerminalOptions{Color: true},
			want: []string{ansiBold + ansiRed + "CodeScoring gate: FAIL" + ansiReset, ansiBold + ansiRed + "Blocks (7):" + ansiReset,
				ansiBold + ansiYellow + "Upcoming (1): " + ansiReset + "not blocking yet; each starts blocking on its date\n"},
		},
		{
			name:    "pass in colour is green",
			outcome: passOutcome(),
			opts:    TerminalOptions{Color: true},
			want:    []string{ansiBold + ansiGreen + "CodeScoring gate: PASS" + ansiReset, ansiBold + "Does not block (2):" + ansiReset, "Also: 1 ignored alert, 1 resolved alert.\n"},
		},
		{
			name:     "warn",
			outcome:  warnOutcome(),
			want:     []string{"CodeScoring gate: WARN", "Would block (warn mode) (7):", "977 (already running; the gate waited for it)"},
			wantNone: []string{"Blocks (7)"},
		},
		{
			name:    "fix hints and severity",
			outcome: failOutcome(),
			want: []string{
				"    - org.apache.logging.log4j:log4j-core 2.14.1, direct: CVE-2021-44228\n      https://nvd.nist.gov/vuln/detail/CVE-2021-44228 [critical 10.0]\n      fix: upgrade to 2.17.1\n      matched: CVSS3 Score 10.0 >= 7.00\n",
				"      fix: no fixed version is known; replace the dependency or ask for a policy ignore\n",
				"      fix: replace the dependency, or ask for a policy ignore of license GPL-2.0-only\n",
				"  - from 2026-12-01 10:20 UTC, High CVEs after 30 days: github.com/golang-jwt/jwt/v4 v4.5.0, direct:\n    CVE-2025-30204",
			},
		},
		{
			name:    "alerts that do not block are listed with why",
			outcome: passOutcome(),
			want:    []string{"  - Medium CVEs: requests 2.31.0, direct: CVE-2024-35195\n    https://nvd.nist.gov/vuln/detail/CVE-2024-35195 (policy is not a blocker)\n"},
		},
		{
			name:     "the first 20 alerts that do not block, then a count",
			outcome:  manyWarnings,
			want:     []string{"Does not block (32):", "github.com/acme/lib17 ", "  and 12 more: see the job summary or https://codescoring.example.com/projects/340/\n"},
			wantNone: []string{"github.com/acme/lib18 "},
		},
		{
			name:    "no policy blocks at the stage",
			outcome: stageless,
			want:    []string{"Note: No policy of these alerts blocks at stage prod: at this stage nothing they find can fail the\n      build.\n"},
		},
		{
			name:    "wrapped to a narrow terminal with the indentation kept",
			outcome: failOutcome(),
			opts:    TerminalOptions{Width: 60},
			want:    []string{"      fix: no fixed version is known; replace the dependency\n           or ask for a policy ignore\n"},
		},
		{
			name:     "error without hint",
			outcome:  noHint,
			want:     []string{"What failed: analysis 977 finished with status failed\n", "What to do: Re-run the job"},
			wantNone: []string{"Blocks", "Also:"},
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
			width := tc.opts.Width
			if width == 0 {
				width = DefaultTerminalWidth
			}
			checkWidth(t, got, width)
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

// checkWidth fails t for a line of text wider than width that is not a
// lone unbreakable word (a URL) after its indentation and label.
func checkWidth(t *testing.T, text string, width int) {
	t.Helper()
	for _, l := range strings.Split(stripANSI(text), "\n") {
		if utf8.RuneCountInString(l) <= width {
			continue
		}
		if fields := strings.Fields(l); len(fields) > 2 {
			t.Errorf("line of %d columns, want at most %d: %q", utf8.RuneCountInString(l), width, l)
		}
	}
}

var ansiRE = regexp.MustCompile("\x1b\\[[0-9;]*m")

func stripANSI(s string) string { return ansiRE.ReplaceAllString(s, "") }

func TestTerminalBounded(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := Terminal(&buf, bigOutcome(10000), TerminalOptions{}); err != nil {
		t.Fatal(err)
	}
	got := buf.String()
	lines := strings.Count(got, "\n")
	// 5 policies and the upcoming blocks of 20 alerts each, 4 lines an
	// alert at most, 20 alerts that do not block, 2 lines each, and the rest.
	if most := 6*20*4 + 20*2 + 60; lines > most {
		t.Errorf("%d lines for 10 000 alerts, want at most %d", lines, most)
	}
	for _, want := range []string{
		"  Critical CVEs in tier 1 (2000 alerts)\n",
		"    and 1980 more of this policy: see the job summary or\n",
		"  and 980 more: see the job summary or https://codescoring.example.com/projects/340/\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q", want)
		}
	}
	checkWidth(t, got, DefaultTerminalWidth)
}

func TestColorFromEnv(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		env  map[string]string
		tty  bool
		want bool
	}{
		{"terminal", nil, true, true},
		{"not a terminal", nil, false, false},
		{"NO_COLOR on a terminal", map[string]string{"NO_COLOR": "1"}, true, false},
		{"NO_COLOR wins over FORCE_COLOR", map[string]string{"NO_COLOR": "1", "FORCE_COLOR": "1"}, false, false},
		{"FORCE_COLOR in a log", map[string]string{"FORCE_COLOR": "1"}, false, true},
		{"FORCE_COLOR=0", map[string]string{"FORCE_COLOR": "0"}, false, false},
		{"CLICOLOR_FORCE in a log", map[string]string{"CLICOLOR_FORCE": "1"}, false, true},
		{"dumb terminal", map[string]string{"TERM": "dumb"}, true, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := ColorFromEnv(func(k string) string { return tc.env[k] }, tc.tty)
			if got != tc.want {
				t.Errorf("ColorFromEnv = %v, want %v", got, tc.want)
			}
		})
	}
}
