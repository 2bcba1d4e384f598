package app

import (
	"testing"

	"github.com/codescoring-gate/codescoring-gate/internal/githubpr"
	"github.com/codescoring-gate/codescoring-gate/internal/i18n"
)

// What became of the comment and the note is said in the reader's words,
// in English the action itself as the log always said it.
func TestDoneInEachLanguage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		of, action, ru string
	}{
		{"pr", githubpr.ActionCreated, "написан"},
		{"pr", githubpr.ActionUpdated, "обновлен"},
		{"pr", githubpr.ActionUnchanged, "не изменился"},
		{"mr", githubpr.ActionCreated, "написана"},
		{"mr", githubpr.ActionUpdated, "обновлена"},
		{"mr", githubpr.ActionUnchanged, "не изменилась"},
		{"pr", githubpr.ActionSkippedStale, githubpr.ActionSkippedStale},
	}
	for _, tc := range tests {
		d := done(tc.of, tc.action)
		if got := d.In(i18n.English); got != tc.action {
			t.Errorf("done(%s, %s) in English = %q, want %q", tc.of, tc.action, got, tc.action)
		}
		if got := d.In(i18n.Russian); got != tc.ru {
			t.Errorf("done(%s, %s) in Russian = %q, want %q", tc.of, tc.action, got, tc.ru)
		}
	}
}
