package report

import (
	"strings"
	"testing"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/gate"
	"github.com/codescoring-gate/codescoring-gate/internal/i18n"
)

// TestAnalysisSourceAndFallback checks that the reports label the analysis
// by how it was found, and say in their headline when no commit was given,
// so the analysis may not be of the build's code.
func TestAnalysisSourceAndFallback(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		source gate.Source
		want   string
	}{
		{gate.SourceReused, "(reused analysis of the same commit, finished 12 min ago)"},
		{gate.SourceStarted, "(started by this run)"},
		{gate.SourceAttached, "(already running; the gate waited for it)"},
		{gate.SourceFound, "(finished before the gate ran)"},
	} {
		o := passOutcome()
		o.Source = tc.source
		o.ReusedAge = 12*time.Minute + 30*time.Second
		o.Fallback = gate.Say("fallback.nocommit", "feature/<b>login</b>", "a1b2c3d4e5f6")
		var term strings.Builder
		if err := Terminal(&term, o, TerminalOptions{}); err != nil {
			t.Fatal(err)
		}
		comment := Comment(o, CommentOptions{Marker: testMarker})
		summary := Summary(o, SummaryOptions{})
		// The PR comment names the analysis only when the gate could not
		// decide, so that a re-run with the same result rewrites nothing.
		for name, got := range map[string]string{"terminal": term.String(), "summary": summary} {
			if !strings.Contains(got, tc.want) {
				t.Errorf("%s lacks %q:\n%s", name, tc.want, got)
			}
		}
		if want := why(o, i18n.Printer{}) + "\nNo commit was given, so the gate decided on the newest analysis of"; !strings.Contains(term.String(), want) {
			t.Errorf("the terminal headline lacks the fallback right under it:\n%s", term.String())
		}
		for name, got := range map[string]string{"comment": comment, "summary": summary} {
			if want := why(o, i18n.Printer{}) + "\n\n⚠️ No commit was given, so the gate decided on the newest analysis of feature/&lt;b&gt;login&lt;/b&gt;"; !strings.Contains(got, want) {
				t.Errorf("the %s headline lacks the escaped fallback right under it:\n%s", name, got)
			}
		}
	}
}
