package report

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
	"github.com/codescoring-gate/codescoring-gate/internal/gate"
	"github.com/codescoring-gate/codescoring-gate/internal/i18n"
)

// setOutcomes are three projects of a monorepo: one fails, one passes, one
// could not be decided.
func setOutcomes() []*gate.Outcome {
	a := failOutcome()
	b := passOutcome()
	b.Project = &api.Project{ID: 352, Name: "payments-gateway"}
	b.Config.Project = "payments-gateway"
	b.ReportURL = "https://codescoring.example.com/projects/352/"
	c := errorOutcome()
	c.Project = &api.Project{ID: 361, Name: "@acme/web-checkout"}
	c.Config.Project = "@acme/web-checkout"
	c.ReportURL = "https://codescoring.example.com/projects/361/"
	return []*gate.Outcome{a, b, c}
}

// TestSetOfOne: one project renders exactly as today.
func TestSetOfOne(t *testing.T) {
	t.Parallel()
	for _, o := range []*gate.Outcome{failOutcome(), passOutcome(), errorOutcome(), nil} {
		copts := CommentOptions{Version: "v1.2.3", Marker: testMarker, SummaryURL: "https://github.com/acme/app/actions/runs/1"}
		if got, want := CommentSet([]*gate.Outcome{o}, copts), Comment(o, copts); got != want {
			t.Errorf("CommentSet of one differs from Comment")
		}
		if got, want := SummarySet([]*gate.Outcome{o}, SummaryOptions{Version: "v1"}), Summary(o, SummaryOptions{Version: "v1"}); got != want {
			t.Errorf("SummarySet of one differs from Summary")
		}
		if got, want := fmt.Sprint(AnnotationsSet([]*gate.Outcome{o}, nil, i18n.English)), fmt.Sprint(Annotations(o, i18n.English)); got != want {
			t.Errorf("AnnotationsSet of one = %s, want %s", got, want)
		}
		var got, want bytes.Buffer
		if err := TerminalSet(&got, []*gate.Outcome{o}, TerminalOptions{Version: "v1"}); err != nil {
			t.Fatal(err)
		}
		if err := Terminal(&want, o, TerminalOptions{Version: "v1"}); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("TerminalSet of one differs from Terminal")
		}
	}
}

// TestCommentSet: the headline has the one verdict and which projects give
// it, the table a row per project in order, then a section each; no time.
func TestCommentSet(t *testing.T) {
	t.Parallel()
	body := CommentSet(setOutcomes(), CommentOptions{Version: "v1.2.3", Marker: testMarker})
	web := EscapeMarkdown("@acme/web-checkout") // no mention of @acme
	checkText(t, "comment", body, []string{
		"### ❓ CodeScoring gate: error · 3 projects\n\n1 of 3 projects could not be decided: " + web + ". 1 of 3 projects block the build: payments-service.\n\n",
		"| Project | Verdict | Blocking | Warnings | Upcoming |\n| --- | --- | --- | --- | --- |\n" +
			"| [payments-service](https://codescoring.example.com/projects/340/) | ❌\u00a0fail | 7 | 2 | 1 |\n" +
			"| [payments-gateway](https://codescoring.example.com/projects/352/) | ✅\u00a0pass | 0 | 2 | 1 |\n" +
			"| [" + web + "](https://codescoring.example.com/projects/361/) | ❓\u00a0error | – | – | – |\n",
		"#### ❌ payments-service: fail\n\n", "#### ✅ payments-gateway: pass\n\n", "#### ❓ " + web + ": error\n\n",
		"**What failed:** analysis 977 finished with status failed", "##### 🚫", testMarker + "\n",
	}, []string{"Decided", "cut to fit"})
	if i, j := strings.Index(body, "payments-service: fail"), strings.Index(body, "payments-gateway: pass"); i < 0 || j < i {
		t.Errorf("sections are not in the configured order")
	}
	if n := strings.Count(body, "codescoring-gate v1.2.3"); n != 1 {
		t.Errorf("%d footers, want 1", n)
	}
}

// TestCommentSetBudget: four projects of 5 000 blocking alerts in a small
// comment keep the whole table and every section's heading, the sections
// cut with notes; a tiny limit still keeps the marker.
func TestCommentSetBudget(t *testing.T) {
	t.Parallel()
	var outs []*gate.Outcome
	for k := range 4 {
		o := bigOutcome(5000)
		o.Project = &api.Project{ID: int64(400 + k), Name: fmt.Sprintf("monorepo/services/svc-%d", k)}
		o.ReportURL = ""
		outs = append(outs, o)
	}
	for _, maxLen := range []int{DefaultCommentMaxLen, 20000} {
		body := CommentSet(outs, CommentOptions{Marker: testMarker, MaxLen: maxLen})
		if n := utf8.RuneCountInString(body); n > maxLen {
			t.Errorf("MaxLen %d: %d characters", maxLen, n)
		}
		for k := range 4 {
			row := fmt.Sprintf("| monorepo/services/svc-%d | ❌\u00a0fail | 5000 | 500 | 500 |\n", k)
			if !strings.Contains(body, row) {
				t.Errorf("MaxLen %d: no row %q", maxLen, row)
			}
			if !strings.Contains(body, fmt.Sprintf("#### ❌ monorepo/services/svc-%d: fail", k)) {
				t.Errorf("MaxLen %d: no section of svc-%d", maxLen, k)
			}
		}
		if !strings.Contains(body, "Some project sections below are cut to fit the comment size limit") ||
			strings.Count(body, "left out to fit the comment size limit") < 4 || !strings.HasSuffix(body, testMarker+"\n") {
			t.Errorf("MaxLen %d: no cut notes or no marker at the end", maxLen)
		}
	}
	if body := CommentSet(outs, CommentOptions{Marker: testMarker, MaxLen: 400}); len(body) > 400 || !strings.HasSuffix(body, testMarker+"\n") {
		t.Errorf("MaxLen 400: %d bytes, marker kept %t", len(body), strings.HasSuffix(body, testMarker+"\n"))
	}
}

// TestAnnotationsSet: at most MaxAnnotations in all, shared between the
// projects, each title naming its project; a tolerated error is a warning.
func TestAnnotationsSet(t *testing.T) {
	t.Parallel()
	var outs []*gate.Outcome
	for k := range 3 {
		o := bigOutcome(50)
		o.Project = &api.Project{ID: int64(400 + k), Name: fmt.Sprintf("svc-%d", k)}
		outs = append(outs, o)
	}
	outs = append(outs, errorOutcome())
	as := AnnotationsSet(outs, []bool{false, false, false, true}, i18n.English)
	if len(as) != MaxAnnotations {
		t.Fatalf("%d annotations, want %d", len(as), MaxAnnotations)
	}
	per := map[string]int{}
	for _, a := range as {
		name, _, _ := strings.Cut(a.Title, ": ")
		per[name]++
		if name == "payments-service" && a.Level != LevelWarning {
			t.Errorf("the tolerated error is %s, want a warning", a.Level)
		}
	}
	if per["svc-0"] != 3 || per["svc-1"] != 3 || per["svc-2"] != 3 || per["payments-service"] != 1 {
		t.Errorf("annotations per project = %v, want 3, 3, 3 and 1", per)
	}
	// svc-0 has 5 blocking policies and upcoming blocks: one of its own,
	// one for the other 4, the notice.
	if rest := as[1]; !strings.HasPrefix(rest.Title, "svc-0: ") || !strings.Contains(rest.Title, "4 more") || as[2].Level != LevelNotice {
		t.Errorf("svc-0's annotations do not sum up the rest: %+v", as[:3])
	}
}
