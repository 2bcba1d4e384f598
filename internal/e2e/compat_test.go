package e2e_test

import (
	"testing"
	"testing/synctest"

	"github.com/codescoring-gate/codescoring-gate/internal/simulator"
)

// TestStringBooleans runs the gate against an installation before 2026.3.0,
// which sends the booleans of policies and alerts as "True"/"False": the
// verdict is the same as with JSON booleans.
func TestStringBooleans(t *testing.T) {
	t.Parallel()
	synctest.Test(t, testStringBooleans)
}

func testStringBooleans(t *testing.T) {
	cs := startCS(t, csOptions{Options: func(o *simulator.Options) { o.StringBooleans = true }})
	r := runGate(t, cs, nil, runOptions{})
	wantResult(t, r, 1, demoFail)
}
