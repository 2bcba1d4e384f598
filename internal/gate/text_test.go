package gate

import (
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
	"github.com/codescoring-gate/codescoring-gate/internal/i18n"
)

// describe says the default branch in the reader's words, a ref and a
// commit as they are.
func TestDescribe(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		ref, commit string
		en, ru      string
	}{
		{"main", "9fceb02d0ae598e95dc970b74767f19372d61af8", "main @ 9fceb02d0ae5", "main @ 9fceb02d0ae5"},
		{"", "9fceb02", "default branch @ 9fceb02", "ветка по умолчанию @ 9fceb02"},
		{"", "", "default branch", "ветка по умолчанию"},
		{"feature/login", "", "feature/login", "feature/login"},
	} {
		d := describe(tc.ref, tc.commit)
		if got := d.String(); got != tc.en {
			t.Errorf("describe(%q, %q) = %q, want %q", tc.ref, tc.commit, got, tc.en)
		}
		if got := d.In(i18n.Russian); got != tc.ru {
			t.Errorf("describe(%q, %q) in Russian = %q, want %q", tc.ref, tc.commit, got, tc.ru)
		}
	}
}

// The progress lines get what the gate composes into them in the
// audience's language: a run on the default branch says so in Russian (the
// line's own words are app's to translate); in English as before.
func TestProgressLinesSayTextsInTheLanguage(t *testing.T) {
	t.Parallel()
	for lang, want := range map[i18n.Language]string{
		i18n.Russian: "started analysis 977 of project 340 (ветка по умолчанию @ " + commit[:12] + ")",
		i18n.English: "started analysis 977 of project 340 (default branch @ " + commit[:12] + ")",
	} {
		synctest.Test(t, func(t *testing.T) {
			opts, lines := recordLog()
			opts.Audience.Lang = lang
			_, _, out := runFake(opts, func(_ *fakeServer, c *Config) { c.Ref = "" })
			wantPass(t, out)
			var texts []string
			for _, l := range lines() {
				texts = append(texts, l.text)
			}
			if !slices.Contains(texts, want) {
				t.Errorf("%s: no line %q in\n%s", lang, want, strings.Join(texts, "\n"))
			}
		})
	}
}

// A wait for an analysis of the commit that never appears is told in
// Russian: the commit and the newest analysis of the default branch in the
// reader's words, in the error and in its advice.
func TestAwaitInRussian(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		opts := testOptions()
		opts.Audience.Lang = i18n.Russian
		_, _, o := runFake(opts, func(s *fakeServer, c *Config) {
			s.addAnalysis(960, "", "b", 10*time.Second, lifecycle(time.Minute, api.StatusSuccess))
			c.Start = false
		})
		if o.Verdict != VerdictError {
			t.Fatalf("verdict %s, want error", o.Verdict)
		}
		if got, want := Fact(o.Err, i18n.Russian), "анализ коммита 9fceb02d0ae5 не появился в CodeScoring за wait-timeout 30m (start — false); "+
			"последний анализ проекта 340 — 960, ветка по умолчанию @ b (success)"; got != want {
			t.Errorf("Fact = %q, want %q", got, want)
		}
		if want := "проверьте, что CodeScoring сам запускает анализ коммита 9fceb02d0ae5"; !strings.HasPrefix(o.Hint, want) {
			t.Errorf("Hint = %q, want it to start %q", o.Hint, want)
		}
	})
}

// The status of the analysis the gate waited behind is CodeScoring's word,
// or that it is gone from the history in the reader's words.
func TestStatusOf(t *testing.T) {
	t.Parallel()
	var r runner
	recent := []api.Analysis{{ID: 7, Status: api.StatusSuccess}}
	if got := r.statusOf(recent, &api.Analysis{ID: 7}).In(i18n.Russian); got != "success" {
		t.Errorf("listed: %q, want success", got)
	}
	gone := r.statusOf(recent, &api.Analysis{ID: 8})
	if got, en := gone.In(i18n.Russian), gone.String(); got != "его больше нет в списке" || en != "no longer listed" {
		t.Errorf("gone: %q / %q", got, en)
	}
}
