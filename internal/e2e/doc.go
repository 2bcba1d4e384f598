// Package e2e holds the end-to-end tests of codescoring-gate: they run the
// whole program (app.Main, and the built binary where the real process
// environment or a signal matters) against the CodeScoring simulator with
// the faults a real installation behind a corporate proxy produces, and
// prove that the gate is fail-closed: it never passes a build it could not
// decide, and never prints the CodeScoring token.
//
// The package has no code of its own; everything is in its _test files.
package e2e
