package bench

import (
	"fmt"
	"testing"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
	"github.com/codescoring-gate/codescoring-gate/internal/gate"
	"github.com/codescoring-gate/codescoring-gate/internal/simulator"
)

// baselineAlerts is the size of the baseline of the Baseline benchmarks.
const baselineAlerts = 10000

// baselineID is the successful analysis of main the baseline benchmarks
// compare with.
const baselineID = 999

// withBaseline returns sc with a successful analysis of main (started an hour
// before the server) whose alerts are n more, raised on main only: findings
// that the head has not (fixed). The head's own alerts are unchanged.
func withBaseline(sc simulator.Scenario, n int) simulator.Scenario {
	criteria := []string{"generated for the baseline benchmarks"}
	for i := range n {
		sc.Alerts = append(sc.Alerts, simulator.AlertTemplate{
			Project: simulator.DemoProjectID, Policy: []int64{12, 14, 15}[i%3], Status: "active", Stage: "source",
			DependencyPurl:    fmt.Sprintf("pkg:maven/com.example.base/lib-%05d@2.%d.0", i, i%9),
			DependencyName:    fmt.Sprintf("com.example.base:lib-%05d", i),
			DependencyVersion: fmt.Sprintf("2.%d.0", i%9), Technology: "java", Relation: "transitive",
			VulnerabilityCode: fmt.Sprintf("SIM-2025-%05d", i), MatchedCriteria: criteria,
			FirstTriggeredAgo: 40 * 24 * time.Hour, Branches: []string{"main"},
		})
	}
	sc.Analyses = append(sc.Analyses, simulator.SeedAnalysis{ID: baselineID, Project: simulator.DemoProjectID,
		BranchOrTag: "main", StartedAgo: time.Hour})
	return sc
}

// largeWithBaseline is LargeScenario(n) where the head (any branch but main)
// has n alerts and main's baseline n too: nine in ten shared (existing),
// one in ten only in the head (new) and one in ten only on main (fixed).
func largeWithBaseline(n int) simulator.Scenario {
	sc := simulator.LargeScenario(n)
	for i := range sc.Alerts {
		if i%10 == 0 {
			sc.Alerts[i].ExceptBranches = []string{"main"}
		}
	}
	return withBaseline(sc, n/10)
}

// BenchmarkGateRealTimeBaseline is BenchmarkGateRealTime on a pull request
// into main whose baseline has 10 000 alerts more than the head: the
// baseline is read while the 2 s analysis runs, so overhead_s should not
// grow beyond noise.
func BenchmarkGateRealTimeBaseline(b *testing.B) {
	benchmarkGateRealTime(b, withBaseline(demoWithLifecycle(realLifecycle), baselineAlerts), "--baseline-ref", "main")
}

// BenchmarkLargeAlertSetBaseline is BenchmarkLargeAlertSet with a baseline:
// 10 000 head alerts and 10 000 baseline alerts, every alerts page 20 ms
// late, with no analysis wait to hide the baseline's pages behind (targets
// < 1.5 s wall, < 96 MiB peak heap). max_in_flight counts both lists: each
// has the client's bound of 4.
func BenchmarkLargeAlertSetBaseline(b *testing.B) {
	benchmarkLarge(b, largeWithBaseline(largeAlerts), baselineConfig())
}

func baselineConfig() gate.Config {
	return gate.Config{Project: "340", Ref: "feature/login", Commit: headSHA, Mode: gate.ModeEnforce, Start: true,
		WaitTimeout: time.Minute, BaselineRef: "main", BlockOn: gate.BlockOnNew}
}

// TestLargeAlertSetBaseline checks what BenchmarkLargeAlertSetBaseline
// relies on, on a smaller set: the baseline is found and compared, with the
// expected new, existing and fixed findings.
func TestLargeAlertSetBaseline(t *testing.T) {
	t.Parallel()
	const n = 500
	_, url := largeServerFor(t, largeWithBaseline(n), time.Millisecond)
	client, err := api.NewClient(url, benchToken)
	if err != nil {
		t.Fatalf("new client: %v", err)
	}
	res := fetchDecideRenderCfg(t, client, baselineConfig())
	d, b := res.out.Decision, res.out.Baseline
	if b == nil || b.Analysis == nil || b.Analysis.ID != baselineID || b.AlertCount != n {
		t.Fatalf("baseline %+v, want analysis %d with %d alerts", b, baselineID, n)
	}
	var newOnes, existing int
	for _, f := range append(append(append(d.Blocking, d.Upcoming...), d.Warnings...), d.AlreadyOnBase...) {
		switch f.Origin {
		case gate.OriginNew:
			newOnes++
		case gate.OriginExisting:
			existing++
		}
	}
	// Of every 8 generated alerts, 6 are active (LargeScenario's kinds);
	// every 10th is new.
	if newOnes == 0 || existing == 0 || newOnes+existing != findingsActive(d) {
		t.Errorf("%d new, %d existing of %d active findings", newOnes, existing, findingsActive(d))
	}
	if got := len(d.Fixed); got != n/10 {
		t.Errorf("%d fixed findings, want %d", got, n/10)
	}
	if got := findings(d); got != n {
		t.Errorf("decided %d alerts, want %d", got, n)
	}
}

func findingsActive(d *gate.Decision) int {
	return len(d.Blocking) + len(d.Upcoming) + len(d.Warnings) + len(d.AlreadyOnBase)
}
