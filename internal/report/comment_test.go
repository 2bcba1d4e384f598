package report

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/codescoring-gate/codescoring-gate/internal/gate"
)

var commentOpts = CommentOptions{
	Version:    "1.4.0",
	Marker:     testMarker,
	SummaryURL: "https://github.com/acme/payments-service/actions/runs/42",
}

func TestCommentGolden(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		outcome *gate.Outcome
	}{
		{"comment_pass.md", passOutcome()},
		{"comment_warn.md", warnOutcome()},
		{"comment_fail.md", failOutcome()},
		{"comment_error.md", errorOutcome()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := Comment(tc.outcome, commentOpts)
			golden(t, tc.name, got)
			if again := Comment(tc.outcome, commentOpts); again != got {
				t.Error("Comment is not deterministic")
			}
			if !strings.HasSuffix(got, "\n"+testMarker+"\n") {
				t.Errorf("Comment does not end with the marker on its own line:\n%s", got)
			}
		})
	}
}

// tableRows counts the lines of markdown tables (header, delimiter, rows).
func tableRows(s string) int {
	n := 0
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, "|") {
			n++
		}
	}
	return n
}

var leftOutRE = regexp.MustCompile(`(?m)^_(\d+) of \d+ (blocking alerts?|upcoming blocks?|warnings?|ignored alerts?|resolved alerts?) (?:is|are) left out to fit the (comment|job summary) size limit: see (.*)\._$`)

func TestCommentTruncated(t *testing.T) {
	t.Parallel()
	o := bigOutcome(10000)
	got := Comment(o, commentOpts)
	golden(t, "comment_truncated.md", got)
	if len(got) > DefaultCommentMaxLen {
		t.Fatalf("len(Comment) = %d, want <= %d", len(got), DefaultCommentMaxLen)
	}
	if len(got) < DefaultCommentMaxLen-2000 {
		t.Errorf("len(Comment) = %d, want the limit (%d) nearly used", len(got), DefaultCommentMaxLen)
	}
	m := leftOutRE.FindAllStringSubmatch(got, -1)
	if len(m) == 0 {
		t.Fatalf("no left-out line in the comment")
	}
	if m[0][2] != "blocking alerts" {
		t.Errorf("first left-out line is about %s, want blocking alerts", m[0][2])
	}
	wantWhere := "the [job summary](https://github.com/acme/payments-service/actions/runs/42) or the [CodeScoring report](https://codescoring.example.com/projects/340/)"
	if m[0][4] != wantWhere {
		t.Errorf("left-out line points to %q, want %q", m[0][4], wantWhere)
	}
	// Every blocking row is either shown or counted.
	shown := strings.Count(got, "| upgrade to 1&#x2E;0.1 |")
	if shown == 0 {
		t.Fatal("no blocking row shown")
	}
	var left int
	for _, s := range m {
		if s[2] == "blocking alerts" {
			left = atoi(t, s[1])
		}
	}
	if shown+left != 10000 {
		t.Errorf("shown %d + left out %d blocking rows = %d, want 10000", shown, left, shown+left)
	}
	// Less important sections are reduced to their notes.
	for _, noun := range []string{"upcoming blocks", "warnings", "ignored alerts"} {
		if !strings.Contains(got, "_1000 of 1000 "+noun+" are left out") {
			t.Errorf("no note that all 1000 %s are left out", noun)
		}
	}
	if !strings.HasSuffix(got, "\n"+testMarker+"\n") {
		t.Error("the marker is not the last line")
	}
	if strings.Count(got, "<details>") != strings.Count(got, "</details>") {
		t.Error("unbalanced <details>")
	}
}

func TestCommentCutOrder(t *testing.T) {
	t.Parallel()
	o := failOutcome()
	full := Comment(o, commentOpts)
	// The ignored table is last; cut just before its last row.
	ignoredRow := strings.Index(full, "| No critical CVEs | jinja2 |")
	if ignoredRow < 0 {
		t.Fatalf("no ignored row in:\n%s", full)
	}
	tests := []struct {
		name       string
		maxLen     int
		wantShown  []string
		wantLeft   []string
		wantAbsent []string
	}{
		{
			name:      "everything fits",
			maxLen:    len(full),
			wantShown: []string{"| mysql-connector |", "| django |", "| requests |", "| urllib3 |", "| jinja2 |"},
		},
		{
			// The notes of the later sections are longer than their one row:
			// keeping room for them cuts the warnings.
			name:       "one byte short",
			maxLen:     len(full) - 1,
			wantShown:  []string{"| mysql-connector |", "| django |", "| pyyaml |", "| requests |"},
			wantLeft:   []string{"_1 of 1 warning is left out", "_1 of 1 ignored alert is left out"},
			wantAbsent: []string{"| urllib3 |", "| jinja2 |"},
		},
		{
			name:       "only the first blocking row",
			maxLen:     strings.Index(full, "| django |") + 1400,
			wantShown:  []string{"| mysql-connector |"},
			wantLeft:   []string{"_2 of 3 blocking alerts are", "_1 of 1 upcoming block is", "_1 of 1 warning is", "_1 of 1 ignored alert is"},
			wantAbsent: []string{"| django |", "| pyyaml |", "| requests |", "| urllib3 |", "| jinja2 |"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			opts := commentOpts
			opts.MaxLen = tc.maxLen
			got := Comment(o, opts)
			if len(got) > tc.maxLen {
				t.Errorf("len = %d, want <= %d", len(got), tc.maxLen)
			}
			for _, s := range tc.wantShown {
				if !strings.Contains(got, s) {
					t.Errorf("missing %q", s)
				}
			}
			for _, s := range tc.wantLeft {
				if !strings.Contains(got, s) {
					t.Errorf("missing note %q", s)
				}
			}
			for _, s := range tc.wantAbsent {
				if strings.Contains(got, s) {
					t.Errorf("unexpected %q", s)
				}
			}
			if len(tc.wantLeft) == 0 && strings.Contains(got, "left out") {
				t.Errorf("unexpected left-out note in:\n%s", got)
			}
			if !strings.HasSuffix(got, testMarker+"\n") {
				t.Error("the marker is not the last line")
			}
			if t.Failed() {
				t.Logf("comment:\n%s", got)
			}
		})
	}
}

func TestCommentTinyMaxLen(t *testing.T) {
	t.Parallel()
	for _, maxLen := range []int{200, 500, 1000, 2000, 3000} {
		got := Comment(bigOutcome(100), CommentOptions{Marker: testMarker, MaxLen: maxLen})
		if len(got) > maxLen {
			t.Errorf("MaxLen %d: len = %d", maxLen, len(got))
		}
		if maxLen >= 500 && !strings.Contains(got, testMarker) {
			t.Errorf("MaxLen %d: the marker is gone:\n%s", maxLen, got)
		}
	}
}

func TestCommentContent(t *testing.T) {
	t.Parallel()
	unsafeLink := failOutcome()
	unsafeLink.Decision.Blocking[1].Alert.VulnerabilityLink = "javascript:alert(1)"
	unsafeLink.ReportURL = "data:text/html,hi"

	noFix := failOutcome()
	noFix.Decision.Blocking = noFix.Decision.Blocking[2:]

	errNoHint := errorOutcome()
	errNoHint.Hint = ""
	errNoHint.Err = errors.New("wait for analysis 977: git clone failed: repository not found")

	tests := []struct {
		name     string
		outcome  *gate.Outcome
		opts     CommentOptions
		want     []string
		wantNone []string
	}{
		{
			name:     "vulnerability link that is not http is text",
			outcome:  unsafeLink,
			opts:     commentOpts,
			want:     []string{"| CVE-2024-38875 (javascript&#x3A;alert&#x28;1&#x29;) |", "**Project:** payments-service\n"},
			wantNone: []string{"](javascript", "](data"},
		},
		{
			name:    "no fixed version",
			outcome: noFix,
			opts:    commentOpts,
			want:    []string{"| pyyaml | 5&#x2E;3 | [CVE-2020-14343](https://nvd.nist.gov/vuln/detail/CVE-2020-14343) | – | – | transitive |"},
		},
		{
			name:     "error has no tables and says what to do",
			outcome:  errNoHint,
			opts:     commentOpts,
			want:     []string{"**What failed:** wait for analysis 977&#x3A; git clone failed&#x3A; repository not found", "**What to do:** Re-run the job"},
			wantNone: []string{"| ", "**CodeScoring says:**"},
		},
		{
			name:     "no summary URL, no version, no marker",
			outcome:  failOutcome(),
			opts:     CommentOptions{},
			want:     []string{"<sub>codescoring-gate</sub>\n"},
			wantNone: []string{"job summary](", "<!--"},
		},
		{
			name:    "nil outcome",
			outcome: nil,
			opts:    commentOpts,
			want:    []string{"CodeScoring gate: error", "the gate produced no outcome"},
		},
		{
			name:    "unknown verdict",
			outcome: &gate.Outcome{Verdict: "maybe"},
			opts:    commentOpts,
			want:    []string{"CodeScoring gate: unknown", "**Project:** unknown", "**Stage:** any"},
		},
		{
			name:    "warn names the mode",
			outcome: warnOutcome(),
			opts:    commentOpts,
			want:    []string{"would block the build, but the mode is warn", "(already running; the gate waited for it)"},
		},
		{
			name:    "resolved is a count line",
			outcome: failOutcome(),
			opts:    commentOpts,
			want:    []string{"✔️ 1 resolved alert is no longer true."},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := Comment(tc.outcome, tc.opts)
			checkText(t, "comment", got, tc.want, tc.wantNone)
		})
	}
}
