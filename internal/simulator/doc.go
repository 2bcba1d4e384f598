// Package simulator is a CodeScoring server for the gate's tests, benchmarks,
// its `demo` command and its `simulator` command. It serves the contract of
// docs/codescoring-api.md over HTTP from a Scenario. Tests that need
// faults or a record of the requests wrap it with package simtest.
//
// It is an independent reading of the contract: it decodes and encodes the
// contract's JSON itself and imports no other package of this module, so a
// field misread by the client cannot hide by being misread here too.
package simulator
