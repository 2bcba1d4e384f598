// Package bench measures the gate against the targets of "fast to decide,
// light on the server": how soon the gate sees a finished analysis and how
// many status requests it sends (on simulated time, over HTTP to the
// simulator), what a whole run costs beyond the analysis itself, how fast
// and how lean a large alert set is fetched and rendered, how many GitHub
// API calls the sticky comment makes, how fast the binary starts, what a
// re-run of a job costs (BenchmarkRerun), and what many gates cost that
// meet one CodeScoring, which runs one analysis of a project at a time
// (BenchmarkFleet, on a discrete-event clock for many gates at once).
//
// Everything is in its tests: go test benchmarks that report the figures
// with b.ReportMetric, and tests that assert the targets that do not depend
// on the machine. Run them all with
//
//	go test -run '^$' -bench . -benchtime=1x ./internal/bench/
//
// The package has no code of its own for other packages to import.
package bench
