// Package testnet gives tests network addresses with a known behaviour. It is
// imported by tests only.
package testnet

import "testing"

// RefusedAddr returns a "127.0.0.1:port" at which every connection is
// refused for as long as the test runs. The port stays reserved until the
// test ends, so no parallel test's listener can take it over: where the
// platform allows, the port is held by a socket that is bound but not
// listening; elsewhere it is a listener opened and closed at once, which a
// parallel test may, rarely, bind again.
func RefusedAddr(tb testing.TB) string {
	tb.Helper()
	return refusedAddr(tb)
}
