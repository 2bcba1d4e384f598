package report

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
	"github.com/codescoring-gate/codescoring-gate/internal/gate"
	"github.com/codescoring-gate/codescoring-gate/internal/i18n"
)

var commentOpts = CommentOptions{
	Version:    "1.4.0",
	Marker:     testMarker,
	SummaryURL: "https://github.com/acme/payments-service/actions/runs/42",
}

// The tables of the full decision, as a GFM parser reads them.
const (
	cveTable      = "Package|Finding|Severity|Fixed in"
	licenseTable  = "Package|Finding|What to do"
	upcomingTable = "Blocks from|Package|Finding|Severity|Fixed in"
)

func TestCommentGolden(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		outcome     *gate.Outcome
		wantHeaders []string
		wantRows    []int
	}{
		{"comment_pass.md", passOutcome(), []string{upcomingTable, cveTable, cveTable}, []int{1, 2, 1}},
		{"comment_warn.md", warnOutcome(), []string{cveTable, licenseTable, upcomingTable, cveTable, cveTable}, []int{5, 2, 1, 2, 1}},
		{"comment_fail.md", failOutcome(), []string{cveTable, licenseTable, upcomingTable, cveTable, cveTable}, []int{5, 2, 1, 2, 1}},
		{"comment_error.md", errorOutcome(), []string{}, []int{}},
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
			doc := parseGFM(t, got)
			if diff := cmp.Diff(tc.wantHeaders, doc.headers()); diff != "" {
				t.Errorf("table columns (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantRows, doc.rowCounts()); diff != "" {
				t.Errorf("table rows (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCommentReads checks what a reader of the fail comment sees first and
// in which order.
func TestCommentReads(t *testing.T) {
	t.Parallel()
	got := Comment(failOutcome(), commentOpts)
	before := func(a, b string) {
		t.Helper()
		i, j := strings.Index(got, a), strings.Index(got, b)
		if i < 0 || j < 0 || i > j {
			t.Errorf("%q (at %d) should come before %q (at %d)", a, i, b, j)
		}
	}
	// Every policy is named with its count before any table.
	before("* 🚫 **Blocks:** No critical CVEs (5), Copyleft licenses (2)\n", "| Package |")
	before("* ⏳ **Upcoming:** High CVEs after 30 days (1, from 2026-12-01 10:20 UTC)\n", "| Package |")
	before("* **Does not block:** Medium CVEs (2); 1 ignored alert; 1 resolved alert\n", "| Package |")
	// The most severe policy and rows first.
	before("#### 🚫 No critical CVEs · blocks · 5 alerts", "#### 🚫 Copyleft licenses · blocks · 2 alerts")
	before("| org.apache.logging.log4j:log4j-core<br>2.14.1 · direct |", "| com.fasterxml.jackson.core:jackson-databind<br>2.9.10.1 · transitive |")
	before("| com.fasterxml.jackson.core:jackson-databind<br>", "| @\u200dbabel/traverse<br>7.22.5 · direct |")
	before("| @\u200dbabel/traverse<br>", "| "+longName+"<br>1.32.0-alpha · transitive |")
	// Diagnostics last, collapsed.
	before("<summary>Ignored (1)", "<summary>Diagnostics (1): what the gate noticed about the data</summary>")
	before("<summary>Diagnostics (1)", "---\n<sub>codescoring-gate")
	checkText(t, "comment", got, []string{
		"| 🔴\u00a0critical\u00a010.0 | 2.17.1 |",
		"| [CVE-2026-21017](https://nvd.nist.gov/vuln/detail/CVE-2026-21017) | 🔴\u00a0critical\u00a09.1 | none known: replace it or ask for an ignore |",
		"| license GPL-2.0-only | replace it or ask for an ignore |",
		"Matched: license category is copyleft\n",
		"- org.apache.logging.log4j:log4j-core: CVSS3 Score 10.0 &gt;= 7.00\n",
		"- com.fasterxml.jackson.core:jackson-databind: vulnerability severity is critical\n",
	}, []string{
		"log4j-core@2.14.1", // criteria do not repeat the row's name@version
		"Decided", "4m12s",  // nothing that changes between runs
		"&#x", "&#46;", "&#58;", // versions and coordinates stay readable
		"| – |", // no all-empty column
	})
}

func TestCommentSameResultSameBody(t *testing.T) {
	t.Parallel()
	first := failOutcome()
	second := failOutcome()
	second.DecidedAt = first.DecidedAt.Add(37 * time.Minute)
	second.Elapsed = 11 * time.Second
	if a, b := Comment(first, commentOpts), Comment(second, commentOpts); a != b {
		t.Errorf("the comment changed with the decision time:\n%s", cmp.Diff(a, b))
	}
	// Each run starts its own analysis, or attaches to a running one.
	second.Analysis.ID++
	second.Attached = true
	if a, b := Comment(first, commentOpts), Comment(second, commentOpts); a != b {
		t.Errorf("the comment changed with the analysis:\n%s", cmp.Diff(a, b))
	}
	s := Summary(second, SummaryOptions{})
	for _, want := range []string{"**Decided:** 2026-11-26 10:57:05 UTC, after 11s", "**Analysis:** 978 (already running; the gate waited for it)"} {
		if !strings.Contains(s, want) {
			t.Errorf("the job summary lacks %q:\n%s", want, s)
		}
	}
}

// budgetRE matches the line above a table that leaves rows out.
var budgetRE = regexp.MustCompile(`(?m)^_The (\d+) (?:most severe|soonest) of (\d+) are shown; all \d+ are in the \[(job summary|project in CodeScoring)\]\((\S+)\)\._$`)

func TestCommentTruncated(t *testing.T) {
	t.Parallel()
	o := bigOutcome(10000)
	got := Comment(o, commentOpts)
	golden(t, "comment_truncated.md", got)
	if len(got) > DefaultCommentMaxLen {
		t.Fatalf("len(Comment) = %d, want <= %d", len(got), DefaultCommentMaxLen)
	}
	t.Logf("the comment of 10 000 blocking alerts has %d bytes", len(got))
	doc := parseGFM(t, got)

	// Every policy is named with its count up front.
	overview, _, ok := strings.Cut(got, "####")
	if !ok {
		t.Fatal("no table heading")
	}
	for i := 1; i <= 5; i++ {
		if want := fmt.Sprintf("Critical CVEs in tier %d (2000)", i); !strings.Contains(overview, want) {
			t.Errorf("the overview lacks %q:\n%s", want, overview)
		}
	}
	for _, want := range []string{"High CVEs after 30 days (1000, from 2026-11-26 10:20 UTC)", "Medium CVEs (1000); 1000 ignored alerts; 1000 resolved alerts"} {
		if !strings.Contains(overview, want) {
			t.Errorf("the overview lacks %q:\n%s", want, overview)
		}
	}

	// At most 20 rows a policy, each table under a line saying how many
	// more there are and where all of them are.
	wantRows := []int{20, 20, 20, 20, 20, 20, 20, 20}
	if diff := cmp.Diff(wantRows, doc.rowCounts()); diff != "" {
		t.Errorf("table rows (-want +got):\n%s", diff)
	}
	lines := budgetRE.FindAllStringSubmatchIndex(got, -1)
	if len(lines) != len(wantRows) {
		t.Fatalf("%d budget lines, want %d", len(lines), len(wantRows))
	}
	summary := Summary(o, SummaryOptions{Version: commentOpts.Version})
	for i, m := range lines {
		shown, total, place, link := got[m[2]:m[3]], got[m[4]:m[5]], got[m[6]:m[7]], got[m[8]:m[9]]
		if shown != "20" {
			t.Errorf("budget line %d shows %s, want 20", i, shown)
		}
		// The line comes before its table's rows.
		if next := strings.Index(got[m[1]:], "|"); next < 0 || strings.Contains(got[m[1]:m[1]+next], "####") {
			t.Errorf("budget line %d is not right above its table", i)
		}
		// It links the job summary only when the summary has the rows.
		group := groupOfLine(t, got, m[0], o)
		last := group.findings[len(group.findings)-1].Alert.DependencyName
		inSummary := strings.Contains(summary, "| "+last+"<br>")
		switch {
		case inSummary && (place != "job summary" || link != commentOpts.SummaryURL):
			t.Errorf("budget line %d (%s of %s) links %s %s, want the job summary, which has all rows", i, shown, total, place, link)
		case !inSummary && (place != "project in CodeScoring" || link != o.ReportURL):
			t.Errorf("budget line %d (%s of %s) links %s %s, want the project in CodeScoring: the job summary does not show %s", i, shown, total, place, link, last)
		}
	}
	if !strings.Contains(got, "](https://github.com/acme/payments-service/actions/runs/42)._") ||
		!strings.Contains(got, "](https://codescoring.example.com/projects/340/)._") {
		t.Error("want budget lines to both places: the summary has the first policies whole, not the later ones")
	}
	if !strings.HasSuffix(got, "\n"+testMarker+"\n") {
		t.Error("the marker is not the last line")
	}
	if strings.Count(got, "<details>") != strings.Count(got, "</details>") {
		t.Error("unbalanced <details>")
	}
}

// groupOfLine returns the group whose heading comes last before offset at.
func groupOfLine(t *testing.T, body string, at int, o *gate.Outcome) alertGroup {
	t.Helper()
	head := body[:at]
	d := o.Decision
	var best alertGroup
	bestAt := -1
	for _, gs := range [][]alertGroup{groupFindings(i18n.Printer{}, d.Blocking, false), groupFindings(i18n.Printer{}, d.Upcoming, false), groupFindings(i18n.Printer{}, d.Warnings, true), groupFindings(i18n.Printer{}, d.Ignored, false)} {
		for _, g := range gs {
			if i := strings.LastIndex(head, " "+g.policy+" ·"); i > bestAt {
				bestAt, best = i, g
			}
		}
	}
	if bestAt < 0 {
		t.Fatalf("no group heading before offset %d", at)
	}
	if best.policy == "High CVEs after 30 days" {
		best.findings = sortedUpcoming(best.findings)
	}
	return best
}

func TestCommentCutOrder(t *testing.T) {
	t.Parallel()
	o := failOutcome()
	full := Comment(o, commentOpts)
	ignoredRow := strings.Index(full, "| lodash<br>")
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
			maxLen:    utf8.RuneCountInString(full),
			wantShown: []string{"| org.apache.logging.log4j:log4j-core<br>", "| mysql:mysql-connector-java<br>", "| github.com/golang-jwt/jwt/v4<br>", "| requests<br>", "| lodash<br>"},
		},
		{
			// The notes of the later sections are longer than their rows:
			// keeping room for them cuts the ignored alert.
			name:       "one character short",
			maxLen:     utf8.RuneCountInString(full) - 1,
			wantShown:  []string{"| org.apache.logging.log4j:log4j-core<br>", "| mysql:mysql-connector-java<br>", "| github.com/golang-jwt/jwt/v4<br>"},
			wantLeft:   []string{"_1 of 1 ignored alert is left out"},
			wantAbsent: []string{"| lodash<br>"},
		},
		{
			name:       "only the first blocking rows",
			maxLen:     strings.Index(full, "| com.fasterxml") + 2200,
			wantShown:  []string{"| org.apache.logging.log4j:log4j-core<br>"},
			wantLeft:   []string{"blocking alerts are left out", "_1 of 1 upcoming block is", "_2 of 2 alerts that do not block are", "_1 of 1 ignored alert is"},
			wantAbsent: []string{"| mysql:mysql-connector-java<br>", "| github.com/golang-jwt/jwt/v4<br>", "| requests<br>", "| lodash<br>"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			opts := commentOpts
			opts.MaxLen = tc.maxLen
			got := Comment(o, opts)
			if n := utf8.RuneCountInString(got); n > tc.maxLen {
				t.Errorf("%d characters, want <= %d", n, tc.maxLen)
			}
			checkText(t, "comment", got, append(tc.wantShown, tc.wantLeft...), tc.wantAbsent)
			if len(tc.wantLeft) == 0 && strings.Contains(got, "left out") {
				t.Errorf("unexpected left-out note in:\n%s", got)
			}
			if !strings.HasSuffix(got, testMarker+"\n") {
				t.Error("the marker is not the last line")
			}
			parseGFM(t, got)
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
	unsafeLink.Decision.Blocking[5].Alert.VulnerabilityLink = "javascript:alert(1)"
	unsafeLink.ReportURL = "data:text/html,hi"

	noSeverity := failOutcome()
	nd := noSeverity.Decision
	for _, fs := range [][]gate.Finding{nd.Blocking, nd.Upcoming, nd.Warnings, nd.Ignored} {
		for i := range fs {
			fs[i].Alert.Severity = ""
			fs[i].Alert.CVSSScore = nil
		}
	}

	serverOnly := failOutcome()
	serverOnly.Decision.Blocking[3].Alert.CVSSScore = nil

	errNoHint := errorOutcome()
	errNoHint.Hint = ""
	errNoHint.Err = errors.New("wait for analysis 977: git clone failed: repository not found")

	noSummary := failOutcome()
	noSummary.ReportURL = ""

	stageless := passOutcome()
	stageless.Decision.Upcoming = nil
	stageless.Config.Stage = "prod"
	for i := range stageless.Decision.Warnings {
		stageless.Decision.Warnings[i].Reason = gate.Say("reason.stage", "prod", "source")
	}

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
			want:     []string{"| CVE-2021-44228 (javascript:alert&#40;1&#41;) |", "**Project:** payments-service\n"},
			wantNone: []string{"](javascript", "](data"},
		},
		{
			name:     "no severity known: no severity column",
			outcome:  noSeverity,
			opts:     commentOpts,
			want:     []string{"| Package | Finding | Fixed in |\n"},
			wantNone: []string{"| Package | Finding | Severity |"},
		},
		{
			name:    "severity without a score",
			outcome: serverOnly,
			opts:    commentOpts,
			want:    []string{"| [CVE-2020-9548](https://nvd.nist.gov/vuln/detail/CVE-2020-9548) | 🔴\u00a0critical | 2.9.10.4 |"},
		},
		{
			name:     "error has no tables and says what to do",
			outcome:  errNoHint,
			opts:     commentOpts,
			want:     []string{"### ❓ CodeScoring gate: error\n", "**What failed:** wait for analysis 977: git clone failed: repository not found", "**What to do:** Re-run the job"},
			wantNone: []string{"| ", "**CodeScoring says:**", "❌"},
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
			name:     "warn uses the warn-mode words",
			outcome:  warnOutcome(),
			opts:     commentOpts,
			want:     []string{"### ⚠️ CodeScoring gate: warn\n", "would block the build, but the mode is warn, so the build goes on", "* ⚠️ **Would block (warn mode):** No critical CVEs (5), Copyleft licenses (2)", "#### ⚠️ No critical CVEs · would block (warn mode) · 5 alerts"},
			wantNone: []string{"🚫", "· blocks ·", "(already running; the gate waited for it)", "**Analysis:**"},
		},
		{
			name:    "resolved is a count line",
			outcome: failOutcome(),
			opts:    commentOpts,
			want:    []string{"✔️ 1 resolved alert is no longer true."},
		},
		{
			name:     "no report URL: budget and notes name the project",
			outcome:  noSummary,
			opts:     CommentOptions{Marker: testMarker},
			want:     []string{"**Project:** payments-service\n"},
			wantNone: []string{"](https://codescoring"},
		},
		{
			name:    "no policy blocks at the stage",
			outcome: stageless,
			opts:    commentOpts,
			want:    []string{"No policy of these alerts blocks at stage prod: at this stage nothing they find can fail the build.\n"},
		},
		{
			name:     "a policy that blocks at the stage: no such line",
			outcome:  passOutcome(),
			opts:     commentOpts,
			wantNone: []string{"No policy of these alerts blocks"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := Comment(tc.outcome, tc.opts)
			checkText(t, "comment", got, tc.want, tc.wantNone)
			parseGFM(t, got)
		})
	}
}

func TestGroupFindingsBySeverity(t *testing.T) {
	t.Parallel()
	score := func(v float64) *float64 { return &v }
	f := func(policy string, id int64, sev string, cvss *float64) gate.Finding {
		return gate.Finding{Alert: api.Alert{ID: id, Policy: int64(len(policy)), PolicyName: policy, Severity: sev, CVSSScore: cvss}}
	}
	fs := []gate.Finding{
		f("Licenses", 1, "", nil),
		f("CVEs", 2, api.SeverityHigh, score(7.5)),
		f("CVEs", 3, api.SeverityCritical, nil),
		f("CVEs", 4, api.SeverityCritical, score(9.8)),
		f("CVEs", 5, api.SeverityLow, nil),
		f("Licenses", 6, "", nil),
	}
	var got [][]int64
	for _, g := range groupFindings(i18n.Printer{}, fs, false) {
		var ids []int64
		for _, f := range g.findings {
			ids = append(ids, f.Alert.ID)
		}
		got = append(got, ids)
	}
	want := [][]int64{{4, 3, 2, 5}, {1, 6}}
	if !slices.EqualFunc(got, want, slices.Equal[[]int64]) {
		t.Errorf("groups = %v, want %v", got, want)
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

var leftOutRE = regexp.MustCompile(`(?m)^_(\d+) of \d+ (blocking alerts?|upcoming blocks?|alerts? that do(?:es)? not block|ignored alerts?|resolved alerts?) (?:is|are) left out to fit the (comment|job summary) size limit: see (.*)\._$`)
