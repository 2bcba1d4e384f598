package report

import (
	"strings"
	"testing"
)

// checkText fails t for each of want missing from got and each of wantNone
// in it, and then shows got, named by label.
func checkText(t *testing.T, label, got string, want, wantNone []string) {
	t.Helper()
	for _, s := range want {
		if !strings.Contains(got, s) {
			t.Errorf("missing %q", s)
		}
	}
	for _, s := range wantNone {
		if strings.Contains(got, s) {
			t.Errorf("unexpected %q", s)
		}
	}
	if t.Failed() {
		t.Logf("%s:\n%s", label, got)
	}
}
