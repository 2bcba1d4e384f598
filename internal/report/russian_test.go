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

// englishWords are phrases only the gate's own English messages have (the
// fixtures' server text has none of them): a Russian report has none.
var englishWords = []string{
	"CodeScoring gate", "Project", "Commit", "Stage", "Mode", "Blocks", "blocks ·", "Upcoming", "upcoming",
	"Does not block", "Ignored", "Resolved", "Package", "Finding", "Severity", "Fixed in", "What to do",
	"What failed", "CodeScoring says", "Matched", "Diagnostics", "job summary", " alerts", "1 alert ",
	"left out", "are shown", "analysis 977", "failed in", "re-run", "the job", "the log", "[critical", "critical\u00a0", "replace it", "Decided", "policy is not a blocker", "unknown",
	"· direct", "· transitive", ", direct:", ", transitive:", "the policy list wins", "alert 5550",
}

// ruErrorOutcome is errorOutcome as the gate makes it in Russian: the
// analysis's failure as gate.AnalysisError (the server's message inside)
// and the advice gate.Advice gives in Russian.
func ruErrorOutcome() *gate.Outcome {
	o := errorOutcome()
	o.Err = &gate.AnalysisError{ID: o.Analysis.ID, Status: o.Analysis.Status, Message: o.Analysis.Error}
	o.Hint = gate.Advice(o.Err, gate.Audience{Actions: true, Lang: i18n.Russian})
	return o
}

// The Russian error reports say what failed and what to do in Russian; the
// server's message stays as it sent it.
func TestRussianErrorFacts(t *testing.T) {
	t.Parallel()
	o := ruErrorOutcome()
	got := Comment(o, CommentOptions{Language: i18n.Russian})
	for _, want := range []string{
		"**Что не удалось:** анализ 977 завершился с ошибкой в CodeScoring: git clone failed: repository not found",
		"**Что делать:** исправьте то, о чем сообщает CodeScoring",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the Russian error comment lacks %q:\n%s", want, got)
		}
	}
	if en := Comment(o, CommentOptions{}); !strings.Contains(en, "**What failed:** analysis 977 failed in CodeScoring: git clone failed: repository not found") {
		t.Errorf("the English error comment:\n%s", en)
	}
}

func checkRussian(t *testing.T, name, got string) {
	t.Helper()
	for _, w := range englishWords {
		if strings.Contains(got, w) {
			t.Errorf("%s in Russian has the English %q", name, w)
		}
	}
	if !strings.ContainsAny(got, "абвгдежзийклмнопрстуфхцчшщыэюя") {
		t.Errorf("%s has no Russian word", name)
	}
}

func TestRussianCommentGolden(t *testing.T) {
	t.Parallel()
	opts := commentOpts
	opts.Language = i18n.Russian
	for _, tc := range []struct {
		name    string
		outcome *gate.Outcome
		rows    []int
	}{
		{"ru/comment_pass.md", passOutcome(), []int{1, 2, 1}},
		{"ru/comment_fail.md", failOutcome(), []int{5, 2, 1, 2, 1}},
		{"ru/comment_error.md", ruErrorOutcome(), []int{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := Comment(tc.outcome, opts)
			golden(t, tc.name, got)
			checkRussian(t, tc.name, got)
			en := Comment(tc.outcome, commentOpts)
			// The marker is the same in both languages, so a switch edits
			// the same comment; the tables have the same rows.
			if !strings.HasSuffix(got, "\n"+testMarker+"\n") {
				t.Errorf("the Russian comment does not end with the marker:\n%s", got)
			}
			if gotRows, enRows := parseGFM(t, got).rowCounts(), parseGFM(t, en).rowCounts(); !equalInts(gotRows, enRows) || !equalInts(gotRows, tc.rows) {
				t.Errorf("table rows %v, English %v, want %v", gotRows, enRows, tc.rows)
			}
		})
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// A Russian comment of 10 000 blocking alerts (20 rows a table) stays
// within 65 536 characters, and here within as many bytes.
func TestRussianCommentCut(t *testing.T) {
	t.Parallel()
	opts := commentOpts
	opts.Language = i18n.Russian
	got := Comment(bigOutcome(10000), opts)
	golden(t, "ru/comment_truncated.md", got)
	checkRussian(t, "cut comment", got)
	if n := utf8.RuneCountInString(got); n > DefaultCommentMaxLen {
		t.Errorf("the Russian comment has %d characters, want <= %d", n, DefaultCommentMaxLen)
	}
	if len(got) > DefaultCommentMaxLen {
		t.Errorf("the Russian comment has %d bytes, want <= %d", len(got), DefaultCommentMaxLen)
	}
	for _, want := range []string{"_Показаны 20 самых критичных из 2000; все 2000: см. [сводку задания](https://github.com/acme/payments-service/actions/runs/42)._",
		"_Показаны 20 ближайших из 1000; все 1000: см. [проект в CodeScoring](https://codescoring.example.com/projects/340/)._"} {
		if !strings.Contains(got, want) {
			t.Errorf("the cut comment lacks %q", want)
		}
	}
	if !strings.HasSuffix(got, "\n"+testMarker+"\n") {
		t.Error("the cut comment lost its marker")
	}
}

func TestRussianSummary(t *testing.T) {
	t.Parallel()
	got := Summary(failOutcome(), SummaryOptions{Version: "1.4.0", Language: i18n.Russian})
	golden(t, "ru/summary_fail.md", got)
	checkRussian(t, "summary", got)
	parseGFM(t, got)
	for _, want := range []string{"## ❌ Гейт CodeScoring: не пройден", "**Решение:** 2026-11-26 10:20:05 UTC, через 4m12s",
		"### Решенные (1): больше не актуальны", "**Medium CVEs** · политика не блокер · 2 алерта"} {
		if !strings.Contains(got, want) {
			t.Errorf("the Russian summary lacks %q", want)
		}
	}
	// The 1 MiB limit is in bytes.
	big := Summary(bigOutcome(20000), SummaryOptions{Language: i18n.Russian})
	if len(big) > DefaultSummaryMaxLen {
		t.Errorf("the Russian summary has %d bytes, want <= %d", len(big), DefaultSummaryMaxLen)
	}
	if len(big) < DefaultSummaryMaxLen-4000 {
		t.Errorf("the Russian summary has %d bytes, want the limit (%d) nearly used", len(big), DefaultSummaryMaxLen)
	}
	if !strings.Contains(big, "не показаны, чтобы уложиться в лимит размера сводки задания") {
		t.Error("the cut Russian summary does not say rows are left out")
	}
}

func TestRussianTerminal(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		o    *gate.Outcome
	}{{"ru/terminal_fail.txt", failOutcome()}, {"ru/terminal_error.txt", ruErrorOutcome()}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			if err := Terminal(&buf, tc.o, TerminalOptions{Version: "1.4.0", Language: i18n.Russian}); err != nil {
				t.Fatal(err)
			}
			got := buf.String()
			golden(t, tc.name, got)
			checkRussian(t, tc.name, got)
			for i, l := range strings.Split(got, "\n") {
				if n := utf8.RuneCountInString(l); n > DefaultTerminalWidth && strings.Contains(l, " ") {
					t.Errorf("line %d has %d characters, more than %d: %q", i+1, n, DefaultTerminalWidth, l)
				}
			}
		})
	}
}

func TestRussianAnnotations(t *testing.T) {
	t.Parallel()
	got := Annotations(failOutcome(), i18n.Russian)
	en := Annotations(failOutcome(), i18n.English)
	if len(got) != len(en) || len(got) == 0 {
		t.Fatalf("%d Russian annotations, %d English", len(got), len(en))
	}
	for i, a := range got {
		if a.Level != en[i].Level {
			t.Errorf("annotation %d level %q, English %q", i, a.Level, en[i].Level)
		}
		checkRussian(t, "annotation "+a.Title, a.Title+" "+a.Message)
		if len(a.Title) > maxTitleLen || len(a.Message) > maxMessageLen || !utf8.ValidString(a.Message) {
			t.Errorf("annotation %d: title %d bytes, message %d bytes (valid UTF-8: %v)", i, len(a.Title), len(a.Message), utf8.ValidString(a.Message))
		}
	}
	if want := `Политика CodeScoring "No critical CVEs" блокирует сборку`; got[0].Title != want {
		t.Errorf("first title %q, want %q", got[0].Title, want)
	}
	e := Annotations(ruErrorOutcome(), i18n.Russian)
	if len(e) != 1 || !strings.HasPrefix(e[0].Message, "Что не удалось: ") || !strings.Contains(e[0].Message, " Что делать: ") {
		t.Errorf("error annotation %+v", e)
	}
}

// The headline counts in Russian, by CLDR's plural rules.
func TestRussianHeadlineCounts(t *testing.T) {
	t.Parallel()
	want := map[int]string{
		1: "1 алерт из 1 политики блокирует сборку.", 2: "2 алерта из 2 политик блокируют сборку.",
		5: "5 алертов из 5 политик блокируют сборку.", 11: "11 алертов из 5 политик блокируют сборку.",
		21: "21 алерт из 5 политик блокирует сборку.", 22: "22 алерта из 5 политик блокируют сборку.",
		25: "25 алертов из 5 политик блокируют сборку.", 111: "111 алертов из 5 политик блокируют сборку.",
	}
	for n, w := range want {
		if got := why(bigOutcome(n), i18n.New(i18n.Russian)); got != w {
			t.Errorf("%d alerts: %q, want %q", n, got, w)
		}
	}
	if got := why(passOutcome(), i18n.New(i18n.Russian)); !strings.HasPrefix(got, "Пока ни один алерт не блокирует сборку: 1 отложенная блокировка, первая с ") {
		t.Errorf("pass: %q", got)
	}
}

// GitHub's comment limit is 65 536 characters, and the comment is cut by
// characters: a Russian comment of 400 blockers' policies (Cyrillic names,
// two bytes a letter) fills the limit in characters, more than 65 536
// bytes, stays within it, and says what it left out. The same outcome in
// English is cut by characters too.
func TestRussianCommentCutByCharacters(t *testing.T) {
	t.Parallel()
	o := baseOutcome(gate.VerdictFail, gate.ModeEnforce)
	d := &gate.Decision{}
	for i := range 400 {
		pol := &api.Policy{ID: int64(1000 + i), Name: fmt.Sprintf("Критические уязвимости в зависимостях уровня %d", i+1), Level: "critical", IsActive: true, IsBlocksBuild: true}
		for j := range 3 {
			k := i*3 + j
			d.Blocking = append(d.Blocking, vulnScored(pol, gate.Blocking, int64(10000+k), fmt.Sprintf("com.acme.platform.module%05d:acme-service-client-core", k), "1.0.0", fmt.Sprintf("CVE-2026-%05d", k), "1.0.1", "direct", 9.8))
		}
	}
	o.Decision = d
	for _, l := range []i18n.Language{i18n.Russian, i18n.English} {
		opts := commentOpts
		opts.Language = l
		got := Comment(o, opts)
		if n := utf8.RuneCountInString(got); n > DefaultCommentMaxLen || n < DefaultCommentMaxLen-2000 {
			t.Errorf("%s: the cut comment has %d characters, want at most %d and nearly that", l, n, DefaultCommentMaxLen)
		}
		if l == i18n.Russian && len(got) <= DefaultCommentMaxLen {
			t.Errorf("the Russian cut comment has %d bytes: the characters' room is not used", len(got))
		}
		if !strings.HasSuffix(got, "\n"+testMarker+"\n") {
			t.Errorf("%s: the cut comment lost its marker", l)
		}
		if l == i18n.Russian {
			checkRussian(t, "comment cut by characters", got)
			if !strings.Contains(got, "не показаны, чтобы уложиться в лимит размера комментария") {
				t.Error("the Russian cut comment does not say rows are left out")
			}
		}
	}
}
