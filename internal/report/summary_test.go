package report

import (
	"strings"
	"testing"
)

func TestSummaryGolden(t *testing.T) {
	t.Parallel()
	got := Summary(failOutcome(), SummaryOptions{Version: "1.4.0"})
	golden(t, "summary_fail.md", got)
	parseGFM(t, got)
	for _, want := range []string{
		"## ❌ CodeScoring gate: fail",
		"**Decided:** 2026-11-26 10:20:05 UTC, after 4m12s",
		"### Resolved (1): no longer true",
		"| com.google.guava:guava<br>31.1-jre · direct |",
		"**Medium CVEs** · policy is not a blocker · 2 alerts",
		"### Diagnostics (1): what the gate noticed about the data",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("summary lacks %q", want)
		}
	}
	if strings.Contains(got, "<details>") {
		t.Error("summary has <details>; want every section open")
	}
}

func TestSummaryCut(t *testing.T) {
	t.Parallel()
	o := bigOutcome(20000)
	got := Summary(o, SummaryOptions{})
	if len(got) > DefaultSummaryMaxLen {
		t.Fatalf("len(Summary) = %d, want <= %d", len(got), DefaultSummaryMaxLen)
	}
	if len(got) < DefaultSummaryMaxLen-4000 {
		t.Errorf("len(Summary) = %d, want the limit (%d) nearly used", len(got), DefaultSummaryMaxLen)
	}
	m := leftOutRE.FindAllStringSubmatch(got, -1)
	if len(m) == 0 {
		t.Fatal("no left-out line in the summary")
	}
	wantWhere := "the [CodeScoring report](https://codescoring.example.com/projects/340/)"
	for _, s := range m {
		if s[3] != "job summary" || s[4] != wantWhere {
			t.Errorf("left-out line %q, want one about the job summary pointing to %s", s[0], wantWhere)
		}
	}
	if !strings.HasSuffix(got, "<sub>codescoring-gate</sub>\n") {
		t.Error("the footer is gone")
	}
	// Whole rows only: every table line is complete.
	for _, l := range strings.Split(got, "\n") {
		if strings.HasPrefix(l, "|") && !strings.HasSuffix(l, " |") {
			t.Fatalf("cut row %q", l)
		}
	}
}

func TestSummaryFitsWhole(t *testing.T) {
	t.Parallel()
	got := Summary(bigOutcome(1000), SummaryOptions{})
	if strings.Contains(got, "left out") {
		t.Error("a summary under the limit left rows out")
	}
	if n, want := tableRows(got), 1000+5*2+4*(100+2); n != want {
		t.Errorf("%d table lines, want %d", n, want)
	}
}

func TestSummaryNoReportURL(t *testing.T) {
	t.Parallel()
	o := bigOutcome(100)
	o.ReportURL = ""
	got := Summary(o, SummaryOptions{MaxLen: 8000})
	if len(got) > 8000 {
		t.Errorf("len = %d, want <= 8000", len(got))
	}
	if !strings.Contains(got, "size limit: see the project in CodeScoring._") {
		t.Errorf("left-out line does not point to the project in CodeScoring:\n%s", got)
	}
}
