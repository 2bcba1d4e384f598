package report

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
	"github.com/codescoring-gate/codescoring-gate/internal/gate"
	"github.com/codescoring-gate/codescoring-gate/internal/i18n"
)

// baselinePolicies are a blocker (12) and a non-blocker (15).
var baselinePolicies = []api.Policy{
	{ID: 12, Name: "No critical CVEs", IsActive: true, IsBlocksBuild: true},
	{ID: 15, Name: "Medium CVEs", IsActive: true},
}

func baseAlert(id, policy int64, name, version, code string) api.Alert {
	return api.Alert{ID: id, Policy: policy, Status: api.AlertActive, Technology: "java",
		DependencyPurl: "pkg:maven/" + strings.ReplaceAll(name, ":", "/") + "@" + version, DependencyName: name,
		DependencyVersion: version, VulnerabilityCode: code, VulnerabilityLink: "https://nvd.nist.gov/vuln/detail/" + code}
}

var (
	log4j    = baseAlert(1, 12, "org.apache.logging.log4j:log4j-core", "2.14.1", "CVE-2021-44228")
	postgres = baseAlert(2, 12, "org.postgresql:postgresql", "42.3.1", "CVE-2022-21724")
	struts   = baseAlert(3, 12, "org.apache.struts:struts2-core", "6.3.0", "CVE-2023-50164")
	tomcat   = baseAlert(4, 15, "org.apache.tomcat.embed:tomcat-embed-core", "9.0.75", "CVE-2023-41080")
	upload   = baseAlert(901, 12, "commons-fileupload:commons-fileupload", "1.3.1", "CVE-2016-1000031")
)

// baselineOutcome decides head against a baseline of main (log4j,
// postgresql and the fileupload the head fixed) under blockOn.
func baselineOutcome(mode gate.Mode, blockOn gate.BlockOn, head ...api.Alert) *gate.Outcome {
	o := baseOutcome(gate.VerdictPass, mode)
	o.Config.BlockOn, o.Config.BaselineRef = blockOn, "main"
	base := []api.Alert{log4j, postgres, upload}
	for i := range base {
		base[i].ID += 800
	}
	o.Decision = gate.Decide(gate.DecideInput{Policies: baselinePolicies, Alerts: head, Now: decidedAt,
		Baseline: base, HasBaseline: true, BaselineRef: "main", BlockOn: blockOn})
	o.Verdict = gate.VerdictFor(o.Decision, mode)
	o.Baseline = &gate.Baseline{Ref: "main", AlertCount: len(base), Analysis: &api.Analysis{ID: 880, Project: 340,
		Status: api.StatusSuccess, BranchOrTag: "main", Commit: "1b2e3c4d5e6f7a8b9c0d1b2e3c4d5e6f7a8b9c0d",
		StartedAt: decidedAt.Add(-26*time.Hour - 5*time.Minute), FinishedAt: decidedAt.Add(-26 * time.Hour)}}
	return o
}

func TestBaselineHeadline(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		o       *gate.Outcome
		want    string
		verdict gate.Verdict
	}{
		{"new and existing under all", baselineOutcome(gate.ModeEnforce, gate.BlockOnAll, log4j, postgres, struts),
			"1 new alert blocks the build; 2 more were already on main.", gate.VerdictFail},
		{"only existing under all", baselineOutcome(gate.ModeEnforce, gate.BlockOnAll, log4j),
			"1 alert blocks the build; it was already on main, it is not new in this change.", gate.VerdictFail},
		{"only new", baselineOutcome(gate.ModeEnforce, gate.BlockOnNew, struts, tomcat),
			"1 new alert blocks the build.", gate.VerdictFail},
		{"new and existing under new", baselineOutcome(gate.ModeEnforce, gate.BlockOnNew, log4j, postgres, struts),
			"1 new alert blocks the build; 2 more were already on main and do not (block-on: new).", gate.VerdictFail},
		{"only existing under new passes", baselineOutcome(gate.ModeEnforce, gate.BlockOnNew, log4j, postgres, tomcat),
			"No new alert blocks the build; 2 blocking alerts were already on main (block-on: new).", gate.VerdictPass},
		{"warn mode", baselineOutcome(gate.ModeWarn, gate.BlockOnAll, log4j, struts),
			"1 new alert would block the build, but the mode is warn, so the build goes on; 1 more was already on main.", gate.VerdictWarn},
		{"nothing blocks", baselineOutcome(gate.ModeEnforce, gate.BlockOnAll, tomcat),
			"No alert blocks the build.", gate.VerdictPass},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if tc.o.Verdict != tc.verdict {
				t.Fatalf("verdict %s, want %s", tc.o.Verdict, tc.verdict)
			}
			if got := why(tc.o, i18n.Printer{}); got != tc.want {
				t.Errorf("headline %q, want %q", got, tc.want)
			}
			var term strings.Builder
			if err := Terminal(&term, tc.o, TerminalOptions{Width: 400}); err != nil {
				t.Fatal(err)
			}
			for label, got := range map[string]string{"comment": Comment(tc.o, CommentOptions{}), "summary": Summary(tc.o, SummaryOptions{}), "terminal": term.String()} {
				if !strings.Contains(got, tc.want) {
					t.Errorf("%s lacks the headline %q", label, tc.want)
				}
			}
		})
	}
}

func TestBaselineSections(t *testing.T) {
	t.Parallel()
	o := baselineOutcome(gate.ModeEnforce, gate.BlockOnNew, log4j, struts, tomcat)
	comment := Comment(o, CommentOptions{})
	checkText(t, "comment", comment, []string{
		"**Block on:** new",
		"- **Baseline:** main, analysis 880, commit 1b2e3c4, finished 2026-11-25 08:20 UTC\n",
		"* 🚫 **Blocks:** No critical CVEs (1, 1 new)",
		"* 📌 **Already on main, not blocking (block-on: new):** No critical CVEs (1)",
		"* ✅ **Fixed by this change:** No critical CVEs (2)",
		"🆕 marks the alerts new in this change; the others were already on main.",
		"| 🆕\u00a0**new**\u00a0· org.apache.struts:struts2-core<br>6.3.0 |",
		"<summary>Already on main (1): they block, or will on their dates, but block-on is new: they do not fail the build</summary>",
		"| org.apache.logging.log4j:log4j-core<br>2.14.1 |",
		"<summary>Fixed by this change (2): on main, no longer in this analysis</summary>",
		"| Package on the base | Finding |",
		"| commons-fileupload:commons-fileupload<br>1.3.1 | [CVE-2016-1000031](https://nvd.nist.gov/vuln/detail/CVE-2016-1000031) |",
		"| org.postgresql:postgresql<br>42.3.1 | [CVE-2022-21724]",
		"| 🆕\u00a0**new**\u00a0· org.apache.tomcat.embed:tomcat-embed-core<br>9.0.75 |",
	}, []string{"before this run", "🆕\u00a0**new**\u00a0· org.apache.logging"})

	// The comment holds no age: a re-run a day later with the same result
	// gives the same body.
	later := *o
	later.DecidedAt = later.DecidedAt.Add(24 * time.Hour)
	if Comment(&later, CommentOptions{}) != comment {
		t.Error("the comment changed with the time of the run")
	}

	checkText(t, "summary", Summary(o, SummaryOptions{}), []string{
		"- **Baseline:** main, analysis 880, commit 1b2e3c4, finished 2026-11-25 08:20 UTC, 1 day before this run\n",
		"### Already on main (1):", "### Fixed by this change (2):",
	}, nil)

	var term strings.Builder
	if err := Terminal(&term, o, TerminalOptions{Width: 100}); err != nil {
		t.Fatal(err)
	}
	checkText(t, "terminal", term.String(), []string{
		"Analysis: 977, stage source, mode enforce, block-on new\n",
		"Baseline: main, analysis 880, commit 1b2e3c4, finished 2026-11-25 08:20 UTC, 1 day before this run\n",
		"[new] marks the alerts new in this change; the others were already on main.",
		"    - [new] org.apache.struts:struts2-core 6.3.0: CVE-2023-50164",
		"Already on main (1): they block",
		"  - No critical CVEs: org.apache.logging.log4j:log4j-core 2.14.1: CVE-2021-44228",
		"Fixed by this change (2): on main, no longer in this analysis",
		"  - No critical CVEs: commons-fileupload:commons-fileupload 1.3.1: CVE-2016-1000031",
		"  - [new] Medium CVEs: org.apache.tomcat.embed:tomcat-embed-core 9.0.75",
	}, []string{"[new] org.apache.logging"})
}

func TestBaselineUnavailable(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		blockOn gate.BlockOn
		want    string
	}{
		{gate.BlockOnNew, "Baseline unavailable: project 340 has no successful analysis of main in its history. Every blocking alert blocks, as with block-on all (fail-closed)."},
		{gate.BlockOnAll, "Baseline unavailable: project 340 has no successful analysis of main in its history. New and existing alerts are not told apart."},
	} {
		o := baseOutcome(gate.VerdictFail, gate.ModeEnforce)
		o.Config.BlockOn, o.Config.BaselineRef = tc.blockOn, "main"
		o.Decision = gate.Decide(gate.DecideInput{Policies: baselinePolicies, Alerts: []api.Alert{log4j}, Now: decidedAt, BlockOn: tc.blockOn})
		o.Baseline = &gate.Baseline{Ref: "main", Unavailable: gate.Plain("project 340 has no successful analysis of main in its history")}
		var term strings.Builder
		if err := Terminal(&term, o, TerminalOptions{Width: 400}); err != nil {
			t.Fatal(err)
		}
		none := []string{"🆕", "[new]", "Baseline:**", "Fixed by this change"}
		checkText(t, "comment", Comment(o, CommentOptions{}), []string{"1 alert of 1 policy blocks the build.\n\n⚠️ " + tc.want + "\n"}, none)
		checkText(t, "terminal", term.String(), []string{"1 alert of 1 policy blocks the build.\n" + tc.want + "\n"}, none)
	}
}

// TestBaselineManyFixed checks that a baseline with many findings the head
// no longer has costs the report at most 100 rows (the first in the
// decision's order: Medium CVEs, the odd ones, then the first 25 even ones),
// counted in full in the overview.
func TestBaselineManyFixed(t *testing.T) {
	t.Parallel()
	o := baselineOutcome(gate.ModeEnforce, gate.BlockOnAll, log4j)
	base := []api.Alert{log4j}
	for i := range 150 {
		base = append(base, baseAlert(int64(10000+i), 12+3*int64(i%2), fmt.Sprintf("com.example:lib-%03d", i), "1.0", fmt.Sprintf("CVE-2024-%05d", i)))
	}
	o.Decision = gate.Decide(gate.DecideInput{Policies: baselinePolicies, Alerts: []api.Alert{log4j}, Now: decidedAt,
		Baseline: base, HasBaseline: true, BaselineRef: "main"})
	for label, got := range map[string]string{"comment": Comment(o, CommentOptions{}), "summary": Summary(o, SummaryOptions{})} {
		checkText(t, label, got, []string{
			"* ✅ **Fixed by this change:** Medium CVEs (75), No critical CVEs (75)\n",
			"Fixed by this change (150): on main, no longer in this analysis",
			"_The first 100 of 150 are shown; the baseline analysis in CodeScoring has them all._",
			"com.example:lib-001<br>",
		}, []string{"com.example:lib-050<br>", "com.example:lib-148<br>"})
	}
}

func TestBaselineAnnotations(t *testing.T) {
	t.Parallel()
	o := baselineOutcome(gate.ModeEnforce, gate.BlockOnAll, log4j, struts)
	var msgs []string
	for _, a := range Annotations(o, i18n.English) {
		msgs = append(msgs, a.Message)
	}
	checkText(t, "annotations", strings.Join(msgs, "\n"), []string{"[new] org.apache.struts:struts2-core 6.3.0"}, []string{"[new] org.apache.logging"})
}
