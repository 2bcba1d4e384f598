package report

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
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
	polHigh = &api.Policy{ID: 20, Name: "High CVEs after 30 days", Level: "error", Stages: []string{"source"},
		IsActive: true, IsBlocksBuild: true, BlockDelay: 30 * 24 * time.Hour}
	polMedium = &api.Policy{ID: 30, Name: "Medium CVEs", Level: "warning", Stages: []string{"source"},
		IsActive: true}
)

// purlOf is a plausible purl of a package name: Maven groupId:artifactId,
// npm (@scope/)name, a Go module path, else PyPI.
func purlOf(name, version string) (purl, tech string) {
	switch {
	case strings.Contains(name, ":"):
		g, a, _ := strings.Cut(name, ":")
		return "pkg:maven/" + g + "/" + a + "@" + version, "java"
	case strings.HasPrefix(name, "@"):
		return "pkg:npm/%40" + name[1:] + "@" + version, "javascript"
	case strings.Contains(name, "/"):
		return "pkg:golang/" + name + "@" + version, "go"
	}
	return "pkg:pypi/" + name + "@" + version, "python"
}

// vuln is a finding of a vulnerability alert whose criteria state the
// score, as the vendor's do.
func vuln(p *api.Policy, cat gate.Category, id int64, name, version, code, fixed, relation string) gate.Finding {
	return vulnScored(p, cat, id, name, version, code, fixed, relation, 7.5)
}

// vulnScored is vuln with the CVSS score the criteria state; severity and
// score are read from them as the api package does.
func vulnScored(p *api.Policy, cat gate.Category, id int64, name, version, code, fixed, relation string, cvss float64) gate.Finding {
	purl, tech := purlOf(name, version)
	score := cvss
	return gate.Finding{
		Alert: api.Alert{
			ID: id, Policy: p.ID, PolicyName: p.Name, Level: p.Level, Stage: "source", Status: api.AlertActive,
			DependencyPurl: purl, DependencyName: name, DependencyVersion: version,
			Technology: tech, Relation: relation, VulnerabilityCode: code,
			VulnerabilityLink: "https://nvd.nist.gov/vuln/detail/" + code, MaxFixedVersion: fixed,
			MatchedCriteria:  []string{fmt.Sprintf("%s@%s has %s, CVSS3 Score %.1f >= 7.00", name, version, code, cvss)},
			Severity:         severityOf(cvss),
			CVSSScore:        &score,
			FirstTriggeredAt: decidedAt.Add(-6 * 24 * time.Hour), CreatedAt: decidedAt.Add(-3 * time.Minute),
		},
		Policy:   p,
		Category: cat,
	}
}

// severityOf is the CVSS v3 rating of a score.
func severityOf(cvss float64) string {
	switch {
	case cvss >= 9:
		return api.SeverityCritical
	case cvss >= 7:
		return api.SeverityHigh
	case cvss >= 4:
		return api.SeverityMedium
	case cvss > 0:
		return api.SeverityLow
	}
	return api.SeverityNone
}

// license is a finding of a license alert.
func license(p *api.Policy, cat gate.Category, id int64, name, version, lic string) gate.Finding {
	purl, tech := purlOf(name, version)
	return gate.Finding{
		Alert: api.Alert{
			ID: id, Policy: p.ID, PolicyName: p.Name, Level: p.Level, Stage: "source", Status: api.AlertActive,
			DependencyPurl: purl, DependencyName: name, DependencyVersion: version,
			Technology: tech, Relation: "transitive", LicenseCode: lic,
			MatchedCriteria: []string{"license category is copyleft"},
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
	f := vulnScored(polHigh, gate.Upcoming, 5540, "github.com/golang-jwt/jwt/v4", "v4.5.0", "CVE-2025-30204", "v4.5.2", "direct", 7.5)
	f.Alert.FirstTriggeredAt = decidedAt.Add(-25 * 24 * time.Hour)
	f.BlocksAt = f.Alert.FirstTriggeredAt.Add(polHigh.BlockDelay)
	f.Reason = gate.Say("reason.from", "2026-11-29 10:00 UTC", gate.Say("n.day", 30))
	return f
}

// longName is a 60-character Maven coordinate.
const longName = "io.opentelemetry.instrumentation:opentelemetry-spring-webmvc"

// fullDecision has a license policy and a CVE policy that block, with
// Maven, npm, Go and PyPI packages, one of them 60 characters long, and an
// alert of each other kind.
func fullDecision() *gate.Decision {
	w := vulnScored(polMedium, gate.Warning, 5550, "github.com/hashicorp/go-retryablehttp", "v0.7.4", "CVE-2024-6104", "v0.7.7", "transitive", 6.0)
	w.Reason = gate.Say("reason.notblocker")
	w2 := vulnScored(polMedium, gate.Warning, 5551, "requests", "2.31.0", "CVE-2024-35195", "2.32.0", "direct", 5.6)
	w2.Reason = gate.Say("reason.notblocker")
	ig := vulnScored(polCritical, gate.Ignored, 5560, "lodash", "4.17.20", "CVE-2021-23337", "4.17.21", "transitive", 7.2)
	ig.Alert.Status = api.AlertIgnored
	ig.Reason = gate.Say("what.ignored")
	res := vulnScored(polCritical, gate.Resolved, 5570, "com.google.guava:guava", "31.1-jre", "CVE-2023-2976", "32.0.0-jre", "direct", 7.1)
	res.Alert.Status = api.AlertResolved
	noFix := vulnScored(polCritical, gate.Blocking, 5526, longName, "1.32.0-alpha", "CVE-2026-21017", "", "transitive", 9.1)
	server := vulnScored(polCritical, gate.Blocking, 5522, "com.fasterxml.jackson.core:jackson-databind", "2.9.10.1", "CVE-2020-9548", "2.9.10.4", "transitive", 9.8)
	server.Alert.MatchedCriteria = []string{"vulnerability severity is critical"}
	return &gate.Decision{
		Blocking: []gate.Finding{
			license(polCopyleft, gate.Blocking, 5530, "@img/sharp-libvips-linux-x64", "1.0.4", "LGPL-3.0-or-later"),
			license(polCopyleft, gate.Blocking, 5531, "mysql:mysql-connector-java", "8.0.33", "GPL-2.0-only"),
			vulnScored(polCritical, gate.Blocking, 5524, "@babel/traverse", "7.22.5", "CVE-2023-45133", "7.23.2", "direct", 9.3),
			server,
			noFix,
			vulnScored(polCritical, gate.Blocking, 5521, "org.apache.logging.log4j:log4j-core", "2.14.1", "CVE-2021-44228", "2.17.1", "direct", 10.0),
			vulnScored(polCritical, gate.Blocking, 5525, "golang.org/x/crypto", "v0.28.0", "CVE-2024-45337", "v0.31.0", "direct", 9.1),
		},
		Upcoming: []gate.Finding{upcomingFinding()},
		Warnings: []gate.Finding{w, w2},
		Ignored:  []gate.Finding{ig},
		Resolved: []gate.Finding{res},
		Notes:    []gate.Text{gate.Say("note.disagree", gate.Say("note.alert", int64(5550)), true, int64(30), "Medium CVEs", gate.Say("note.notblocker"))},
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

// bigOutcome has n blocking alerts under 5 policies of realistic Maven
// packages with scores from 9.0 to 10.0, and n/10 upcoming blocks,
// alerts that do not block, ignored and resolved alerts each.
func bigOutcome(n int) *gate.Outcome {
	o := baseOutcome(gate.VerdictFail, gate.ModeEnforce)
	d := &gate.Decision{}
	pols := make([]*api.Policy, 5)
	for i := range pols {
		pols[i] = &api.Policy{ID: int64(100 + i), Name: fmt.Sprintf("Critical CVEs in tier %d", i+1), Level: "critical", IsActive: true, IsBlocksBuild: true}
	}
	for i := 0; i < n; i++ {
		p := pols[i*len(pols)/n]
		name := fmt.Sprintf("com.acme.platform.module%05d:acme-service-client-core", i)
		d.Blocking = append(d.Blocking, vulnScored(p, gate.Blocking, int64(10000+i), name, "1.0.0", fmt.Sprintf("CVE-2026-%05d", i), "1.0.1", "direct", 9+float64(i%11)/10))
	}
	for i := 0; i < n/10; i++ {
		u := vuln(polHigh, gate.Upcoming, int64(30000+i), fmt.Sprintf("@acme/ui-widget-%05d", i), "2.0.0", fmt.Sprintf("CVE-2025-%05d", i), "", "direct")
		u.BlocksAt = decidedAt.Add(time.Duration(i) * time.Hour)
		d.Upcoming = append(d.Upcoming, u)
		w := vulnScored(polMedium, gate.Warning, int64(40000+i), fmt.Sprintf("github.com/acme/platform/internal/pkg%05d", i), "v3.0.0", fmt.Sprintf("CVE-2024-%05d", i), "", "direct", 5)
		w.Reason = gate.Say("reason.notblocker")
		d.Warnings = append(d.Warnings, w)
		d.Ignored = append(d.Ignored, vuln(polCritical, gate.Ignored, int64(50000+i), fmt.Sprintf("ign-%05d", i), "4.0.0", fmt.Sprintf("CVE-2023-%05d", i), "", "direct"))
		d.Resolved = append(d.Resolved, vuln(polCritical, gate.Resolved, int64(60000+i), fmt.Sprintf("res-%05d", i), "5.0.0", fmt.Sprintf("CVE-2022-%05d", i), "", "direct"))
	}
	o.Decision = d
	return o
}

// testMarker is what githubpr writes as the sticky comment's marker.
const testMarker = `<!-- codescoring-gate:marker {"tool":"codescoring-gate","v":1,"project_id":340,"workflow":"ci","job":"sca"} -->`
