package bench

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// The figures of fake time come from a child process. synctest.Test takes a
// *testing.T, not a *testing.B, so a benchmark that runs the gate on fake
// time runs this package's test binary again with -test.run=^TestFigures$,
// naming in its environment the measurement, its arguments and the file to
// write the figures to. TestFigures measures (in synctest bubbles, as the
// targets tests do) and writes the figures as JSON; the benchmark reports
// them with b.ReportMetric.
const (
	envMeasure = "CODESCORING_BENCH_MEASURE" // a key of measures
	envArgs    = "CODESCORING_BENCH_ARGS"    // its arguments, JSON
	envFigures = "CODESCORING_BENCH_FIGURES" // the file of its figures
)

// measure runs one measurement on its arguments (JSON) and returns figures
// that encoding/json can write.
type measure func(t *testing.T, args []byte) any

// measureOf adapts f to a measure: it decodes f's arguments.
func measureOf[A, F any](f func(*testing.T, A) F) measure {
	return func(t *testing.T, raw []byte) any {
		t.Helper()
		var a A
		if err := json.Unmarshal(raw, &a); err != nil {
			t.Fatalf("arguments %s: %v", raw, err)
		}
		return f(t, a)
	}
}

// measures are the measurements a child process runs, by name.
var measures = map[string]measure{
	"poll":     measureOf(pollFigures),
	"fleet":    measureOf(fleetFigures),
	"rerun":    measureOf(rerunOnce),
	"monorepo": measureOf(monorepoOnce),
}

// inChild runs measurement name on args in a child process of the test
// binary and returns its figures.
func inChild[F any](b *testing.B, name string, args any) F {
	b.Helper()
	raw, err := json.Marshal(args)
	if err != nil {
		b.Fatalf("arguments of %s: %v", name, err)
	}
	file := filepath.Join(b.TempDir(), "figures.json")
	cmd := exec.Command(os.Args[0], "-test.run=^TestFigures$", "-test.count=1")
	cmd.Env = append(os.Environ(), envMeasure+"="+name, envArgs+"="+string(raw), envFigures+"="+file)
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("%s %s in a child process: %v\n%s", name, raw, err, hideToken(string(out)))
	}
	data, err := os.ReadFile(file)
	if err != nil {
		b.Fatalf("%s %s: the child process wrote no figures: %v", name, raw, err)
	}
	var figures F
	if err := json.Unmarshal(data, &figures); err != nil {
		b.Fatalf("%s %s: figures %s: %v", name, raw, data, err)
	}
	return figures
}

// TestFigures is the child process of inChild; without its environment it
// has nothing to measure.
func TestFigures(t *testing.T) {
	name := os.Getenv(envMeasure)
	if name == "" {
		t.Skip("the child process of a benchmark: it measures what " + envMeasure + " names")
	}
	m, ok := measures[name]
	if !ok {
		t.Fatalf("%s=%q names no measurement", envMeasure, name)
	}
	data, err := json.Marshal(m(t, []byte(os.Getenv(envArgs))))
	if err != nil {
		t.Fatalf("figures of %s: %v", name, err)
	}
	if err := os.WriteFile(os.Getenv(envFigures), data, 0o600); err != nil {
		t.Fatal(err)
	}
}
