// Command codescoring-gate gates a build on the policies of a CodeScoring
// server: it starts (or attaches to) an SCA analysis, waits for it, decides
// from the policy alerts and reports. Run it with --help for the details.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/codescoring-gate/codescoring-gate/internal/app"
)

func main() {
	// A cancelled job sends SIGTERM (GitHub) or SIGINT (a terminal): the gate
	// stops polling at once and still sets its outputs.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := app.Main(ctx, os.Args[1:], app.OSSystem())
	stop()
	os.Exit(code)
}
