package simulator

import (
	"fmt"
	"slices"
	"time"
)

// Scenario is the data a Server starts with.
type Scenario struct {
	Projects []Project
	Policies []Policy
	// Alerts are attached to every successful analysis of their project.
	Alerts []AlertTemplate
	// Analyses exist before the server starts, e.g. one already running.
	Analyses []SeedAnalysis
}

// Project is a CodeScoring project and how its analyses run.
type Project struct {
	ID          int64
	Name        string
	ProjectType string // "vcs" when empty
	Repository  string
	PolicyStage string // "source" when empty
	// DefaultBranch is analysed when a start names no branch; "main" when
	// empty. The head commit of a branch is derived from its name.
	DefaultBranch string
	// Dependencies is the dependencies_count of its successful analyses.
	Dependencies int
	// Lifecycle is how its analyses run; SetLifecycle changes it later.
	Lifecycle Lifecycle
}

// Outcome is the final status of an analysis, or OutcomeNever. Any other
// value is served as the status as it is, to test a client with a status the
// contract does not name.
type Outcome string

// The outcomes an analysis can reach.
const (
	OutcomeSuccess  Outcome = "success"
	OutcomeFailed   Outcome = "failed"
	OutcomeCanceled Outcome = "canceled"
	// OutcomeNever keeps the analysis in_progress for ever.
	OutcomeNever Outcome = "never"
)

// Lifecycle is how an analysis runs, measured on time.Now from its start:
// pending for Pending, then in_progress for Running, then Outcome. With zero
// durations it is finished as soon as it starts.
type Lifecycle struct {
	Pending time.Duration
	Running time.Duration
	Outcome Outcome // OutcomeSuccess when empty
	// Error is the analysis' error message when it fails or is canceled; a
	// default message when empty.
	Error string
}

// SeedAnalysis is an analysis that exists when the server starts.
type SeedAnalysis struct {
	// ID is assigned when zero. Analyses started later take ids after the
	// largest seed id, or from 1000 without seeds.
	ID          int64
	Project     int64
	BranchOrTag string // the project's default branch when empty
	Commit      string // the branch's head when empty
	// StartedAgo is how long before New the analysis started; it then
	// follows Lifecycle, so a long Running makes it still running.
	StartedAgo time.Duration
	Lifecycle  Lifecycle
}

// Policy is a CodeScoring policy (docs/codescoring-api.md §4).
type Policy struct {
	ID          int64
	Name        string
	Description string
	Stages      []string
	Level       string // "info", "warning" or "critical"
	Proprietors []int64
	Projects    []int64 // empty: the whole organisation
	// Conditions are opaque to the gate; {} when nil.
	Conditions          map[string]any
	ConditionsConnector string // "and" when empty
	IsActive            bool
	// OmitIsActive leaves is_active out of the JSON.
	OmitIsActive  bool
	IsBlocksBuild bool
	// BlockDelay is block_delay in days; nil serves null.
	BlockDelay *int
}

// Days returns a pointer to n, for Policy.BlockDelay.
func Days(n int) *int { return &n }

// AlertTemplate is a policy alert raised in every successful analysis of its
// project (docs/codescoring-api.md §5). The id, created_at and first_triggered_at are set per
// analysis; empty fields take the values noted.
type AlertTemplate struct {
	Project    int64
	Policy     int64
	PolicyName string // the policy's name
	Level      string // the policy's level
	Stage      string // the project's policy stage
	Status     string // "active"
	// IsBlocksBuild overrides the policy's blocker flag in the alert, e.g. to
	// disagree with it; OmitIsBlocksBuild leaves the field out.
	IsBlocksBuild     *bool
	OmitIsBlocksBuild bool
	DependencyPurl    string // "pkg:generic/<name>@<version>"
	DependencyName    string
	DependencyVersion string
	Technology        string
	Relation          string // "direct", "transitive" or empty
	// VulnerabilityCode, VulnerabilityLink (the NVD page of a CVE when
	// empty), LicenseCode and MaxFixedVersion serve null when empty.
	VulnerabilityCode string
	VulnerabilityLink string
	LicenseCode       string
	MaxFixedVersion   string
	MatchedCriteria   []string
	// FirstTriggeredAgo is how long before the analysis finished the alert
	// first triggered; zero means in this analysis. OmitFirstTriggeredAt
	// serves first_triggered_at as null. created_at is when the analysis
	// finished.
	FirstTriggeredAgo    time.Duration
	OmitFirstTriggeredAt bool
	// Branches limits the alert to analyses of these branches (a finding
	// that a pull request fixes is on its base only); every branch when
	// empty. ExceptBranches leaves it out of analyses of these branches (a
	// finding a pull request brings).
	Branches       []string
	ExceptBranches []string
}

// raisedOn reports whether t is raised in an analysis of branch.
func (t *AlertTemplate) raisedOn(branch string) bool {
	return (len(t.Branches) == 0 || slices.Contains(t.Branches, branch)) && !slices.Contains(t.ExceptBranches, branch)
}

// DemoProjectID is the id of the demo scenario's main project,
// "payments-service".
const DemoProjectID = 340

// day is a day of block_delay (docs/codescoring-api.md §6).
const day = 24 * time.Hour

// DemoScenario returns a realistic scenario: the project "payments-service"
// (id 340, a Java service) with one alert of each kind the gate tells apart,
// and two projects with similar names. Analyses of 340 are pending for 1 s,
// then run for 4 s and succeed.
//
// The alerts of an analysis of 340, read without a stage:
//   - blocking: log4j-core CVE-2021-44228 and postgresql CVE-2022-21724
//     (policy 12), mysql-connector-j GPL-2.0-only (policy 18, whose stages
//     exclude source: not blocking with stage source), jackson-databind
//     CVE-2020-36518 (transitive, policy 14's 30-day delay is due);
//   - upcoming: spring-web CVE-2024-22243 (3 days old) and guava
//     CVE-2023-2976 (29 days old), both on policy 14;
//   - warning: tomcat-embed-core and netty-handler (policy 15, not a blocker),
//     hibernate-core LGPL-2.1-only (policy 19, not a blocker);
//   - ignored: snakeyaml CVE-2022-1471; resolved: commons-text CVE-2022-42889.
func DemoScenario() Scenario {
	life := Lifecycle{Pending: time.Second, Running: 4 * time.Second}
	org := []int64{}
	own := []int64{DemoProjectID}
	allStages := []string{"dev", "source", "build", "stage", "test", "prod", "proxy"}
	s := Scenario{
		Projects: []Project{
			{ID: DemoProjectID, Name: "payments-service", ProjectType: "vcs",
				Repository: "https://github.com/acme/payments-service", PolicyStage: "source",
				DefaultBranch: "main", Dependencies: 214, Lifecycle: life},
			{ID: 341, Name: "payments-service-legacy", ProjectType: "vcs",
				Repository: "https://github.com/acme/payments-service-legacy", PolicyStage: "source",
				DefaultBranch: "master", Dependencies: 97, Lifecycle: life},
			{ID: 352, Name: "payments-gateway", ProjectType: "vcs",
				Repository: "https://github.com/acme/payments-gateway", PolicyStage: "source",
				DefaultBranch: "main", Dependencies: 143, Lifecycle: life},
		},
		Policies: []Policy{
			{ID: 12, Name: "No critical CVEs", Description: "CVSS3 >= 9.0",
				Stages: []string{"dev", "source", "build"}, Level: "critical", Projects: org,
				Conditions: map[string]any{"cvss3_score": map[string]any{"gte": 9.0}},
				IsActive:   true, IsBlocksBuild: true},
			{ID: 14, Name: "High CVEs: fix within 30 days", Description: "7.0 <= CVSS3 < 9.0",
				Stages: []string{"source", "build", "prod"}, Level: "critical", Projects: own,
				Conditions: map[string]any{"cvss3_score": map[string]any{"gte": 7.0, "lt": 9.0}},
				IsActive:   true, IsBlocksBuild: true, BlockDelay: Days(30)},
			{ID: 15, Name: "Medium CVEs", Description: "4.0 <= CVSS3 < 7.0, reported only",
				Stages: allStages, Level: "warning", Projects: org,
				Conditions: map[string]any{"cvss3_score": map[string]any{"gte": 4.0, "lt": 7.0}},
				IsActive:   true, IsBlocksBuild: false},
			{ID: 18, Name: "Strong copyleft licenses", Description: "GPL and AGPL in shipped builds",
				Stages: []string{"build", "prod"}, Level: "critical", Projects: own,
				Conditions: map[string]any{"license_category": []string{"strong_copyleft"}},
				IsActive:   true, IsBlocksBuild: true, BlockDelay: Days(0)},
			{ID: 19, Name: "Weak copyleft licenses", Description: "LGPL and MPL need a legal review",
				Stages: []string{"source", "build"}, Level: "info", Projects: own,
				Conditions: map[string]any{"license_category": []string{"weak_copyleft"}},
				IsActive:   true, IsBlocksBuild: false},
			{ID: 21, Name: "Unmaintained packages", Description: "No release for 3 years (disabled)",
				Stages: []string{"build"}, Level: "warning", Projects: org,
				Conditions: map[string]any{"last_release_days": map[string]any{"gte": 1095}},
				IsActive:   false, IsBlocksBuild: true},
		},
	}
	cve := func(policy int64, group, artifact, version, code string, score float64, fixed, relation, status string, ago time.Duration) AlertTemplate {
		name := group + ":" + artifact
		return AlertTemplate{
			Project: DemoProjectID, Policy: policy, Stage: "source", Status: status,
			DependencyPurl: fmt.Sprintf("pkg:maven/%s/%s@%s", group, artifact, version),
			DependencyName: name, DependencyVersion: version, Technology: "java", Relation: relation,
			VulnerabilityCode: code, MaxFixedVersion: fixed,
			MatchedCriteria:   []string{fmt.Sprintf("%s@%s has %s, CVSS3 Score %.1f", name, version, code, score)},
			FirstTriggeredAgo: ago,
		}
	}
	license := func(policy int64, group, artifact, version, code, relation string, ago time.Duration) AlertTemplate {
		name := group + ":" + artifact
		return AlertTemplate{
			Project: DemoProjectID, Policy: policy, Stage: "source", Status: "active",
			DependencyPurl: fmt.Sprintf("pkg:maven/%s/%s@%s", group, artifact, version),
			DependencyName: name, DependencyVersion: version, Technology: "java", Relation: relation,
			LicenseCode:       code,
			MatchedCriteria:   []string{fmt.Sprintf("%s@%s is licensed under %s", name, version, code)},
			FirstTriggeredAgo: ago,
		}
	}
	s.Alerts = []AlertTemplate{
		cve(12, "org.apache.logging.log4j", "log4j-core", "2.14.1", "CVE-2021-44228", 10.0, "2.15.0", "direct", "active", 2*day),
		cve(12, "org.postgresql", "postgresql", "42.3.1", "CVE-2022-21724", 9.8, "42.3.3", "direct", "active", 0),
		cve(14, "com.fasterxml.jackson.core", "jackson-databind", "2.12.3", "CVE-2020-36518", 7.5, "2.12.6.1", "transitive", "active", 45*day),
		cve(14, "org.springframework", "spring-web", "5.3.20", "CVE-2024-22243", 8.1, "5.3.32", "transitive", "active", 3*day),
		cve(14, "com.google.guava", "guava", "31.1-jre", "CVE-2023-2976", 7.1, "32.0.0-jre", "direct", "active", 29*day),
		cve(15, "org.apache.tomcat.embed", "tomcat-embed-core", "9.0.75", "CVE-2023-41080", 6.1, "9.0.80", "transitive", "active", 10*day),
		cve(15, "io.netty", "netty-handler", "4.1.92.Final", "CVE-2023-34462", 6.5, "4.1.94.Final", "transitive", "active", 60*day),
		cve(12, "org.yaml", "snakeyaml", "1.30", "CVE-2022-1471", 9.8, "2.0", "transitive", "ignored", 90*day),
		cve(12, "org.apache.commons", "commons-text", "1.9", "CVE-2022-42889", 9.8, "1.10.0", "direct", "resolved", 120*day),
		license(18, "com.mysql", "mysql-connector-j", "8.0.33", "GPL-2.0-only", "direct", 14*day),
		license(19, "org.hibernate.orm", "hibernate-core", "6.2.7.Final", "LGPL-2.1-only", "transitive", 30*day),
	}
	return s
}

// BaselineDemoScenario returns DemoScenario with a base branch: the history
// of 340 holds analysis 999 (DemoBaselineID) of main, which succeeded a day
// before the server started, the baseline of a pull request into main.
// Analyses of any other branch raise DemoScenario's alerts. Analyses of main
// raise them but tomcat-embed-core (so it is new on other branches), with
// jackson-databind at 2.12.1 instead of 2.12.3 (the same finding), and two
// alerts that other branches fix: commons-fileupload CVE-2016-1000031
// (policy 12) and xstream CVE-2021-39144 (policy 14). So a pull request into
// main brings no new blocking alert: every blocking alert was already on
// main.
func BaselineDemoScenario() Scenario {
	s := DemoScenario()
	life := s.Projects[0].Lifecycle
	cve := func(policy int64, group, artifact, version, code string, score float64, fixed, relation string, ago time.Duration) AlertTemplate {
		name := group + ":" + artifact
		return AlertTemplate{
			Project: DemoProjectID, Policy: policy, Stage: "source", Status: "active",
			DependencyPurl: fmt.Sprintf("pkg:maven/%s/%s@%s", group, artifact, version),
			DependencyName: name, DependencyVersion: version, Technology: "java", Relation: relation,
			VulnerabilityCode: code, MaxFixedVersion: fixed,
			MatchedCriteria:   []string{fmt.Sprintf("%s@%s has %s, CVSS3 Score %.1f", name, version, code, score)},
			FirstTriggeredAgo: ago, Branches: []string{"main"},
		}
	}
	notOn := func(t AlertTemplate, branches ...string) AlertTemplate { t.ExceptBranches = branches; return t }
	s.Alerts[2] = notOn(s.Alerts[2], "main") // jackson-databind 2.12.3: main has 2.12.1
	s.Alerts[5] = notOn(s.Alerts[5], "main") // tomcat-embed-core: new off main
	s.Alerts[5].FirstTriggeredAgo = 0
	s.Alerts = append(s.Alerts,
		cve(14, "com.fasterxml.jackson.core", "jackson-databind", "2.12.1", "CVE-2020-36518", 7.5, "2.12.6.1", "transitive", 45*day),
		cve(12, "commons-fileupload", "commons-fileupload", "1.3.1", "CVE-2016-1000031", 9.8, "1.3.3", "direct", 200*day),
		cve(14, "com.thoughtworks.xstream", "xstream", "1.4.17", "CVE-2021-39144", 8.5, "1.4.18", "transitive", 20*day),
	)
	s.Analyses = []SeedAnalysis{{ID: DemoBaselineID, Project: DemoProjectID, BranchOrTag: "main", StartedAgo: 26 * time.Hour, Lifecycle: life}}
	return s
}

// DemoBaselineID is the id of the demo scenario's successful analysis of
// main, the baseline of a pull request into main.
const DemoBaselineID = 999

// LargeScenario returns DemoScenario with n generated alerts on project 340
// instead of its own, for benchmarks: policies, statuses, relations and ages
// cycle so that every category occurs. The alerts share their slices, so a
// scenario of 10 000 alerts costs a few megabytes.
func LargeScenario(n int) Scenario {
	s := DemoScenario()
	type kind struct {
		policy int64
		status string
		ago    time.Duration
	}
	kinds := []kind{
		{12, "active", day}, {14, "active", 45 * day}, {14, "active", 2 * day},
		{15, "active", 5 * day}, {15, "active", 0}, {19, "active", 30 * day},
		{12, "ignored", 9 * day}, {12, "resolved", 20 * day},
	}
	criteria := []string{"generated by the simulator's large scenario"}
	alerts := make([]AlertTemplate, n)
	for i := range alerts {
		k := kinds[i%len(kinds)]
		name := fmt.Sprintf("com.example.generated:lib-%05d", i)
		version := fmt.Sprintf("1.%d.%d", i%50, i%7)
		relation := "direct"
		if i%3 != 0 {
			relation = "transitive"
		}
		a := AlertTemplate{
			Project: DemoProjectID, Policy: k.policy, Status: k.status, Stage: "source",
			DependencyPurl:    fmt.Sprintf("pkg:maven/com.example.generated/lib-%05d@%s", i, version),
			DependencyName:    name,
			DependencyVersion: version, Technology: "java", Relation: relation,
			MatchedCriteria: criteria, FirstTriggeredAgo: k.ago,
		}
		if k.policy == 19 {
			a.LicenseCode = "LGPL-2.1-only"
		} else {
			a.VulnerabilityCode = fmt.Sprintf("SIM-2026-%05d", i)
			a.VulnerabilityLink = "https://codescoring.example.com/vulnerabilities/" + a.VulnerabilityCode
			a.MaxFixedVersion = fmt.Sprintf("1.%d.%d", i%50+1, 0)
		}
		alerts[i] = a
	}
	s.Alerts = alerts
	return s
}
