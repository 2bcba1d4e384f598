// Package api is the CodeScoring REST client of the gate. Every path and field
// of the server contract that is not published by the vendor ([assumed] in
// docs/codescoring-api.md) lives in endpoints.go and decode.go, so that an
// installation that differs costs a one-line change.
package api
