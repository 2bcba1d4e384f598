package report

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
	"github.com/codescoring-gate/codescoring-gate/internal/gate"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// decidedAt is the fixed "now" of every fixture.
var decidedAt = time.Date(2026, 11, 26, 10, 20, 5, 0, time.UTC)

// golden compares got with testdata/name, or rewrites the file with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run go test -update to create it): %v", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs from the golden file (-want +got); run go test -update if the change is intended:\n%s", name, diff)
	}
}

var (
	polCritical = &api.Policy{ID: 12, Name: "No critical CVEs", Level: "critical", Stages: []string{"dev", "source", "build"},
		IsActive: true, IsBlocksBuild: true}
	polCopyleft = &api.Policy{ID: 15, Name: "Copyleft licenses", Level: "warning", Stages: []string{"source"},
		IsActive: true, IsBlocksBuild: true}
	polPinned = &api.Policy{ID: 20, Name: "Pinned versions", Level: "info", Stages: []string{"source"},
		IsActive: true, IsBlocksBuild: true, BlockDelay: 7 * 24 * time.Hour}
	polMedium = &api.Policy{ID: 30, Name: "Medium CVEs", Level: "warning", Stages: []string{"source"},
		IsActive: true}
)

// vuln is a finding of a vulnerability alert.
func vuln(p *api.Policy, cat gate.Category, id int64, name, version, code, fixed, relation string) gate.Finding {
	return gate.Finding{
		Alert: api.Alert{
			ID: id, Policy: p.ID, PolicyName: p.Name, Level: p.Level, Stage: "source", Status: api.AlertActive,
			DependencyPurl: "pkg:pypi/" + name + "@" + version, DependencyName: name, DependencyVersion: version,
			Technology: "python", Relation: relation, VulnerabilityCode: code,
			VulnerabilityLink: "https://nvd.nist.gov/vuln/detail/" + code, MaxFixedVersion: fixed,
			MatchedCriteria:  []string{fmt.Sprintf("%s@%s has %s, CVSS3 Score 7.5 >= 7.00", name, version, code)},
			FirstTriggeredAt: decidedAt.Add(-6 * 24 * time.Hour), CreatedAt: decidedAt.Add(-3 * time.Minute),
		},
		Policy:   p,
		Category: cat,
	}
}

// license is a finding of a license alert.
func license(p *api.Policy, cat gate.Category, id int64, name, version, lic string) gate.Finding {
	return gate.Finding{
		Alert: api.Alert{
			ID: id, Policy: p.ID, PolicyName: p.Name, Level: p.Level, Stage: "source", Status: api.AlertActive,
			DependencyPurl: "pkg:pypi/" + name + "@" + version, DependencyName: name, DependencyVersion: version,
			Technology: "python", Relation: "transitive", LicenseCode: lic,
			MatchedCriteria: []string{"license " + lic + " is in the denied list", "license category is copyleft"},
			CreatedAt:       decidedAt.Add(-3 * time.Minute),
		},
		Policy:   p,
		Category: cat,
	}
}

func baseOutcome(v gate.Verdict, mode gate.Mode) *gate.Outcome {
	return &gate.Outcome{
		Verdict: v,
		Config: gate.Config{Project: "payments-service", Ref: "feature/login",
			Commit: "9fceb02d0ae598e95dc970b74767f19372d61af8", Stage: "source", Mode: mode, Start: true},
		Project: &api.Project{ID: 340, Name: "payments-service", ProjectType: "vcs",
			Repository: "https://github.com/acme/payments-service", PolicyStage: "source"},
		Analysis: &api.Analysis{ID: 977, Project: 340, Status: api.StatusSuccess, BranchOrTag: "feature/login",
			Commit: "9fceb02d0ae598e95dc970b74767f19372d61af8", StartedAt: decidedAt.Add(-4 * time.Minute),
			FinishedAt: decidedAt.Add(-10 * time.Second), DependenciesCount: 212, VulnerabilitiesCount: 9},
		ReportURL: "https://codescoring.example.com/projects/340/",
		DecidedAt: decidedAt,
		Elapsed:   4*time.Minute + 12*time.Second,
	}
}

func upcomingFinding() gate.Finding {
	f := vuln(polPinned, gate.Upcoming, 5540, "requests", "2.19.0", "CVE-2018-18074", "2.20.0", "direct")
	f.Alert.FirstTriggeredAt = decidedAt.Add(-2 * 24 * time.Hour)
	f.BlocksAt = f.Alert.FirstTriggeredAt.Add(polPinned.BlockDelay)
	f.Reason = "delayed block starts later"
	return f
}

func fullDecision() *gate.Decision {
	w := vuln(polMedium, gate.Warning, 5550, "urllib3", "1.26.5", "CVE-2023-43804", "1.26.17", "transitive")
	w.Reason = "policy is not a blocker"
	ig := vuln(polCritical, gate.Ignored, 5560, "jinja2", "2.11.2", "CVE-2024-22195", "3.1.3", "transitive")
	ig.Alert.Status = api.AlertIgnored
	ig.Reason = "a policy ignore applies"
	res := vuln(polCritical, gate.Resolved, 5570, "cryptography", "41.0.0", "CVE-2023-50782", "42.0.0", "direct")
	res.Alert.Status = api.AlertResolved
	return &gate.Decision{
		Blocking: []gate.Finding{
			license(polCopyleft, gate.Blocking, 5530, "mysql-connector", "8.0.33", "GPL-2.0-only"),
			vuln(polCritical, gate.Blocking, 5521, "django", "4.2.2", "CVE-2024-38875", "4.2.14", "direct"),
			vuln(polCritical, gate.Blocking, 5525, "pyyaml", "5.3", "CVE-2020-14343", "", "transitive"),
		},
		Upcoming: []gate.Finding{upcomingFinding()},
		Warnings: []gate.Finding{w},
		Ignored:  []gate.Finding{ig},
		Resolved: []gate.Finding{res},
		Notes:    []string{`alert 5550 says it blocks the build but policy "Medium CVEs" is not a blocker: the policy list wins`},
	}
}

func failOutcome() *gate.Outcome {
	o := baseOutcome(gate.VerdictFail, gate.ModeEnforce)
	o.Decision = fullDecision()
	return o
}

func warnOutcome() *gate.Outcome {
	o := baseOutcome(gate.VerdictWarn, gate.ModeWarn)
	o.Decision = fullDecision()
	o.Attached = true
	return o
}

func passOutcome() *gate.Outcome {
	o := baseOutcome(gate.VerdictPass, gate.ModeEnforce)
	d := fullDecision()
	d.Blocking = nil
	d.Notes = nil
	o.Decision = d
	return o
}

func errorOutcome() *gate.Outcome {
	o := baseOutcome(gate.VerdictError, gate.ModeEnforce)
	o.Analysis.Status = api.StatusFailed
	o.Analysis.Error = "git clone failed: repository not found"
	o.Err = errors.New("analysis 977 finished with status failed")
	o.Hint = "Check that CodeScoring can clone the repository (its VCS credentials), then re-run the job."
	return o
}

// bigOutcome has n blocking alerts under 5 policies, and n/10 warnings,
// upcoming blocks, ignored and resolved alerts each.
func bigOutcome(n int) *gate.Outcome {
	o := baseOutcome(gate.VerdictFail, gate.ModeEnforce)
	d := &gate.Decision{}
	pols := make([]*api.Policy, 5)
	for i := range pols {
		pols[i] = &api.Policy{ID: int64(100 + i), Name: fmt.Sprintf("Policy %d", i), Level: "critical", IsActive: true, IsBlocksBuild: true}
	}
	for i := 0; i < n; i++ {
		p := pols[i*len(pols)/n]
		d.Blocking = append(d.Blocking, vuln(p, gate.Blocking, int64(10000+i), fmt.Sprintf("dep-%05d", i), "1.0.0", fmt.Sprintf("CVE-2026-%05d", i), "1.0.1", "direct"))
	}
	for i := 0; i < n/10; i++ {
		u := vuln(polPinned, gate.Upcoming, int64(30000+i), fmt.Sprintf("up-%05d", i), "2.0.0", fmt.Sprintf("CVE-2025-%05d", i), "", "direct")
		u.BlocksAt = decidedAt.Add(time.Duration(i) * time.Hour)
		d.Upcoming = append(d.Upcoming, u)
		d.Warnings = append(d.Warnings, vuln(polMedium, gate.Warning, int64(40000+i), fmt.Sprintf("warn-%05d", i), "3.0.0", fmt.Sprintf("CVE-2024-%05d", i), "", "direct"))
		d.Ignored = append(d.Ignored, vuln(polCritical, gate.Ignored, int64(50000+i), fmt.Sprintf("ign-%05d", i), "4.0.0", fmt.Sprintf("CVE-2023-%05d", i), "", "direct"))
		d.Resolved = append(d.Resolved, vuln(polCritical, gate.Resolved, int64(60000+i), fmt.Sprintf("res-%05d", i), "5.0.0", fmt.Sprintf("CVE-2022-%05d", i), "", "direct"))
	}
	o.Decision = d
	return o
}

// testMarker is what githubpr writes as the sticky comment's marker.
const testMarker = `<!-- codescoring-gate:marker {"tool":"codescoring-gate","v":1,"project_id":340,"workflow":"ci","job":"sca"} -->`
