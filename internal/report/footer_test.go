package report

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/codescoring-gate/codescoring-gate/internal/gate"
)

// TestFooterNamesAPIPaths: every report says when the gate talked to paths
// the api-paths input set, and says nothing of it otherwise.
func TestFooterNamesAPIPaths(t *testing.T) {
	t.Parallel()
	o := &gate.Outcome{Verdict: gate.VerdictError, Err: errors.New("boom")}
	const paths = "analysis=/api/scans/{id}/, alerts=/api/sca/alerts/"
	render := func(apiPaths string) map[string]string {
		var term bytes.Buffer
		if err := Terminal(&term, o, TerminalOptions{Version: "1.2.3", APIPaths: apiPaths}); err != nil {
			t.Fatal(err)
		}
		return map[string]string{
			"comment":  Comment(o, CommentOptions{Version: "1.2.3", APIPaths: apiPaths}),
			"summary":  Summary(o, SummaryOptions{Version: "1.2.3", APIPaths: apiPaths}),
			"terminal": term.String(),
		}
	}
	for name, body := range render(paths) {
		last := lastLine(body)
		want := " · api-paths: " + paths
		if !strings.HasPrefix(strings.TrimPrefix(last, "<sub>"), "codescoring-gate 1") || !strings.Contains(last, want) {
			t.Errorf("%s footer = %q, want it to contain %q", name, last, want)
		}
	}
	for name, body := range render("") {
		if strings.Contains(body, "api-paths") {
			t.Errorf("%s names api-paths without an override:\n%s", name, body)
		}
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}
