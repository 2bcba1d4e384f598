// Package bench measures the gate against the targets of "fast to decide,
// light on the server": how soon the gate sees a finished analysis and how
// many status requests it sends (on the fake time of a testing/synctest
// bubble, over HTTP to the simulator through testnet.Memory), what a whole
// run costs beyond the analysis itself, how fast and how lean a large alert
// set is fetched and rendered, how many GitHub API calls the sticky comment
// makes, how fast the binary starts, what a re-run of a job costs
// (BenchmarkRerun), and what many gates cost that meet one CodeScoring,
// which runs one analysis of a project at a time (BenchmarkFleet: many
// gates in one bubble, whose time moves only when every gate waits).
//
// Everything is in its tests: go test benchmarks that report the figures
// with b.ReportMetric, and tests that assert the targets that do not depend
// on the machine. synctest.Test needs a *testing.T: a benchmark on fake time
// runs the package's test binary again as a child process (inChild) whose
// TestFigures measures in bubbles and hands the figures back. Run them all
// with
//
//	go test -run '^$' -bench . -benchtime=1x ./internal/bench/
//
// The package has no code of its own for other packages to import.
package bench
