package resultfile

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
	"github.com/codescoring-gate/codescoring-gate/internal/gate"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites the file with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run go test -update to create it): %v", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs from the golden file (-want +got); run go test -update if the change is intended:\n%s", name, diff)
	}
}

var decidedAt = time.Date(2026, 11, 26, 10, 20, 5, 0, time.UTC)

var (
	polCritical = &api.Policy{ID: 12, Name: "No critical CVEs", Level: "critical", IsActive: true, IsBlocksBuild: true}
	polCopyleft = &api.Policy{ID: 15, Name: "Copyleft licenses", Level: "warning", IsActive: true, IsBlocksBuild: true}
	polPinned   = &api.Policy{ID: 20, Name: "High CVEs: fix within 30 days", Level: "critical", IsActive: true, IsBlocksBuild: true, BlockDelay: 30 * 24 * time.Hour}
	polMedium   = &api.Policy{ID: 30, Name: "Medium CVEs", Level: "warning", IsActive: true}
)

func vuln(p *api.Policy, cat gate.Category, id int64, purl, name, version, code, fixed string) gate.Finding {
	return gate.Finding{
		Alert: api.Alert{
			ID: id, Policy: p.ID, PolicyName: p.Name, Level: p.Level, Status: api.AlertActive,
			DependencyPurl: purl, DependencyName: name, DependencyVersion: version, Technology: "maven", Relation: "transitive",
			VulnerabilityCode: code, VulnerabilityLink: "https://nvd.nist.gov/vuln/detail/" + code, MaxFixedVersion: fixed,
			MatchedCriteria: []string{name + "@" + version + " has " + code + ", CVSS3 Score 9.8 >= 9.00"},
			Severity:        api.SeverityCritical, CVSSScore: &cvss98,
		},
		Policy: p, Category: cat,
	}
}

var cvss98 = 9.8

func project() *api.Project {
	return &api.Project{ID: 340, Name: "payments-service", ProjectType: "vcs"}
}

func analysis() *api.Analysis {
	return &api.Analysis{ID: 1001, Project: 340, Status: api.StatusSuccess, BranchOrTag: "feature/JIRA-42-bump",
		Commit: "9fceb02d0ae598e95dc970b74767f19372d61af8", StartedAt: decidedAt.Add(-2 * time.Minute), FinishedAt: decidedAt.Add(-5 * time.Second)}
}

// failOutcome has one finding of every category, a control character and
// markup in server text, and a version bump of a finding (two versions of
// one package with the same CVE).
func failOutcome() *gate.Outcome {
	upcoming := vuln(polPinned, gate.Upcoming, 5003, "pkg:npm/%40babel/traverse@7.22.5", "@babel/traverse", "7.22.5", "CVE-2023-45133", "7.23.2")
	upcoming.Alert.Technology = "npm"
	upcoming.Alert.Relation = "direct"
	upcoming.BlocksAt = decidedAt.Add(9 * 24 * time.Hour)
	upcoming.Reason = gate.Plain("delayed block: blocks from 2026-12-05")
	lic := gate.Finding{
		Alert: api.Alert{ID: 5002, Policy: polCopyleft.ID, PolicyName: polCopyleft.Name, Level: "warning", Status: api.AlertActive,
			DependencyPurl: "pkg:golang/github.com/example/very-long-module-path/internal/gpl-thing@v1.4.0",
			DependencyName: "github.com/example/very-long-module-path/internal/gpl-thing", DependencyVersion: "v1.4.0",
			Technology: "go", Relation: "direct", LicenseCode: "GPL-3.0-only",
			MatchedCriteria: []string{"license GPL-3.0-only is <denied> & \x07copyleft"}},
		Policy: polCopyleft, Category: gate.Blocking,
	}
	warning := vuln(polMedium, gate.Warning, 5004, "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.13.0", "com.fasterxml.jackson.core:jackson-databind", "2.13.0", "CVE-2022-42003", "2.13.4.2")
	warning.Reason = gate.Plain("policy is not a blocker")
	warning.Alert.Severity, warning.Alert.CVSSScore = api.SeverityHigh, nil
	ignored := vuln(polMedium, gate.Ignored, 5005, "pkg:maven/org.yaml/snakeyaml@1.33", "org.yaml:snakeyaml", "1.33", "CVE-2022-1471", "2.0")
	ignored.Alert.Status = api.AlertIgnored
	ignored.Reason = gate.Plain("ignored in CodeScoring")
	resolved := vuln(polCritical, gate.Resolved, 5006, "pkg:maven/org.apache.commons/commons-text@1.9", "org.apache.commons:commons-text", "1.9", "CVE-2022-42889", "1.10.0")
	resolved.Alert.Status = api.AlertResolved
	return &gate.Outcome{
		Verdict: gate.VerdictFail,
		Config:  gate.Config{Project: "payments-service", Ref: "feature/JIRA-42-bump", Stage: "build", Mode: gate.ModeEnforce},
		Project: project(), Analysis: analysis(), Source: gate.SourceStarted,
		Decision: &gate.Decision{
			Blocking: []gate.Finding{
				lic,
				vuln(polCritical, gate.Blocking, 5000, "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", "org.apache.logging.log4j:log4j-core", "2.14.1", "CVE-2021-44228", "2.17.1"),
				vuln(polCritical, gate.Blocking, 5001, "pkg:maven/org.apache.logging.log4j/log4j-core@2.15.0", "org.apache.logging.log4j:log4j-core", "2.15.0", "CVE-2021-44228", "2.17.1"),
			},
			Upcoming: []gate.Finding{upcoming},
			Warnings: []gate.Finding{warning},
			Ignored:  []gate.Finding{ignored},
			Resolved: []gate.Finding{resolved},
			Notes:    []gate.Text{gate.Plain("policy 99 of alert 5007 is not in the policy list: it blocks the build (fail-closed)")},
		},
		ReportURL: "https://codescoring.example.com/projects/340",
		DecidedAt: decidedAt, Elapsed: 2*time.Minute + 300*time.Millisecond,
	}
}

// baselineOutcome is failOutcome compared with the base branch under
// block-on new: the license finding is new and blocks, log4j-core was
// already on the base branch, commons-text was fixed by this change.
func baselineOutcome() *gate.Outcome {
	o := failOutcome()
	d := o.Decision
	d.Compared, d.BlockOn = true, gate.BlockOnNew
	lic, log4j := d.Blocking[0], d.Blocking[1:]
	lic.Origin = gate.OriginNew
	d.Blocking = []gate.Finding{lic}
	d.AlreadyOnBase = nil
	for _, f := range log4j {
		f.Category, f.Held, f.Origin = gate.AlreadyOnBase, gate.Blocking, gate.OriginExisting
		f.Reason = gate.Plain("already on main")
		d.AlreadyOnBase = append(d.AlreadyOnBase, f)
	}
	d.Upcoming[0].Origin = gate.OriginNew
	d.Warnings[0].Origin = gate.OriginExisting
	fixed := d.Resolved[0]
	fixed.Alert.ID, fixed.Alert.Status, fixed.Category = 4900, api.AlertActive, gate.Fixed
	d.Resolved = nil
	d.Fixed = []gate.Finding{fixed}
	o.Config.BaselineRef, o.Config.BlockOn = "main", gate.BlockOnNew
	o.Baseline = &gate.Baseline{Ref: "main", AlertCount: 4, Analysis: &api.Analysis{ID: 990, Project: 340, Status: api.StatusSuccess,
		BranchOrTag: "main", Commit: "3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f", FinishedAt: decidedAt.Add(-26 * time.Hour)}}
	return o
}

// unavailableBaselineOutcome is failOutcome whose baseline could not be
// read: it fails closed.
func unavailableBaselineOutcome() *gate.Outcome {
	o := failOutcome()
	o.Config.BaselineRef, o.Config.BlockOn = "main", gate.BlockOnNew
	o.Baseline = &gate.Baseline{Ref: "main", Unavailable: gate.Plain("project 340 has no successful analysis of main among its 7 analyses")}
	return o
}

func passOutcome() *gate.Outcome {
	return &gate.Outcome{
		Verdict: gate.VerdictPass,
		Config:  gate.Config{Project: "340", Mode: gate.ModeEnforce},
		Project: project(), Analysis: analysis(), Attached: true, Source: gate.SourceAttached,
		Decision:  &gate.Decision{Ignored: failOutcome().Decision.Ignored},
		ReportURL: "https://codescoring.example.com/projects/340",
		DecidedAt: decidedAt, Elapsed: 40 * time.Second,
	}
}

func errorOutcome() *gate.Outcome {
	a := analysis()
	a.Status = api.StatusFailed
	a.FinishedAt = time.Time{}
	a.Error = "git clone failed: repository not found"
	return &gate.Outcome{
		Verdict: gate.VerdictError,
		Config:  gate.Config{Project: "payments-service", Mode: gate.ModeEnforce},
		Project: project(), Analysis: a,
		Err:       errors.New("analysis 1001 failed in CodeScoring"),
		Hint:      "Fix what the server says, then re-run the job.",
		ReportURL: "https://codescoring.example.com/projects/340",
		DecidedAt: decidedAt, Elapsed: 3 * time.Second,
	}
}

// badInputOutcome is what the app knows when the inputs did not parse.
func badInputOutcome() *gate.Outcome {
	return &gate.Outcome{
		Verdict: gate.VerdictError,
		Config:  gate.Config{Project: "payments-service", Mode: "strict"},
		Err:     errors.New("`mode` \"strict\" is not known: use one of enforce, warn\n`wait-timeout` \"30\" is not a duration: use a Go duration such as 30m, 90s or 1h30m"),
	}
}

// cases are the fixtures every renderer is tested with.
var cases = []struct {
	name string
	in   func() Input
}{
	{"fail", func() Input {
		return Input{Outcome: failOutcome(), ExitCode: 1, Version: "v1.2.3", CommentURL: "https://gitlab.example.com/group/payments/-/merge_requests/7#note_99"}
	}},
	{"blockonnew", func() Input { return Input{Outcome: baselineOutcome(), ExitCode: 1, Version: "v1.2.3"} }},
	{"nobaseline", func() Input { return Input{Outcome: unavailableBaselineOutcome(), ExitCode: 1, Version: "v1.2.3"} }},
	{"pass", func() Input { return Input{Outcome: passOutcome(), ExitCode: 0, Version: "v1.2.3"} }},
	{"error", func() Input { return Input{Outcome: errorOutcome(), ExitCode: 2, Version: "v1.2.3"} }},
	{"badinput", func() Input { return Input{Outcome: badInputOutcome(), ExitCode: 2, Version: "v1.2.3", BadInput: true} }},
	{"monorepo", func() Input { return Input{Outcomes: monorepoOutcomes(), ExitCode: 2, Version: "v1.2.3"} }},
}

// monorepoOutcomes are three projects of one run: one fails, one passes
// (with the same ignored finding as the first: two issues in Code
// Quality), one could not be decided.
func monorepoOutcomes() []*gate.Outcome {
	fail := failOutcome()
	pass := passOutcome()
	pass.Config.Project = "payments-gateway"
	pass.Project = &api.Project{ID: 352, Name: "payments-gateway", ProjectType: "vcs"}
	pass.ReportURL = "https://codescoring.example.com/projects/352"
	pass.Decision = &gate.Decision{Warnings: fail.Decision.Warnings}
	errored := errorOutcome()
	errored.Config.Project = "@acme/web-checkout"
	errored.Project = &api.Project{ID: 361, Name: "@acme/web-checkout", ProjectType: "vcs"}
	errored.ReportURL = "https://codescoring.example.com/projects/361"
	return []*gate.Outcome{fail, pass, errored}
}
