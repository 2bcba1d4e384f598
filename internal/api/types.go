package api

import "time"

// Project is a CodeScoring project (docs/codescoring-api.md §2).
type Project struct {
	ID          int64
	Name        string
	ProjectType string
	Repository  string
	PolicyStage string
}

// AnalysisStatus is the server's status of an SCA analysis (docs/codescoring-api.md §3).
type AnalysisStatus string

// The analysis statuses the contract names. Any other value is treated as
// not finished.
const (
	StatusPending    AnalysisStatus = "pending"
	StatusInProgress AnalysisStatus = "in_progress"
	StatusSuccess    AnalysisStatus = "success"
	StatusFailed     AnalysisStatus = "failed"
	StatusCanceled   AnalysisStatus = "canceled"
)

// Finished reports whether s is a final status (success, failed, canceled).
// An unknown status is not finished.
func (s AnalysisStatus) Finished() bool {
	return s == StatusSuccess || s == StatusFailed || s == StatusCanceled
}

// Known reports whether s is one of the statuses the contract names.
func (s AnalysisStatus) Known() bool {
	switch s {
	case StatusPending, StatusInProgress, StatusSuccess, StatusFailed, StatusCanceled:
		return true
	}
	return false
}

// Analysis is one SCA analysis of a project (docs/codescoring-api.md §3).
type Analysis struct {
	ID          int64
	Project     int64
	Status      AnalysisStatus
	BranchOrTag string
	Commit      string
	StartedAt   time.Time // zero when the server sent none
	FinishedAt  time.Time // zero while running or when the server sent none
	// DependenciesCount and VulnerabilitiesCount are the server's totals.
	DependenciesCount    int
	VulnerabilitiesCount int
	// Error is the server's message for a failed or canceled analysis.
	Error string
}

// StartRequest asks the server to start an SCA analysis of a VCS project.
// Empty BranchOrTag or Commit are left out of the request body, so the server
// uses its defaults.
type StartRequest struct {
	Project     int64
	BranchOrTag string
	Commit      string
}

// Policy is a CodeScoring policy (docs/codescoring-api.md §4).
type Policy struct {
	ID          int64
	Name        string
	Description string
	Stages      []string
	Level       string
	// IsActive is true when the server says so or omits the field.
	IsActive      bool
	IsBlocksBuild bool
	// BlockDelay is the delayed block (block_delay days × 24 h); zero blocks
	// at once.
	BlockDelay time.Duration
}

// Stages returns the policy stages of CodeScoring in the vendor's order
// (docs/codescoring-api.md §4): the values a policy's Stages and the
// `stage` input take.
func Stages() []string { return []string{"dev", "source", "build", "stage", "test", "prod", "proxy"} }

// Alert statuses (docs/codescoring-api.md §5).
const (
	AlertActive   = "active"
	AlertIgnored  = "ignored"
	AlertResolved = "resolved"
)

// The severities of Alert.Severity, most severe first.
const (
	SeverityCritical = "critical"
	SeverityHigh     = "high"
	SeverityMedium   = "medium"
	SeverityLow      = "low"
	SeverityNone     = "none"
)

// Alert is a policy alert raised on a dependency in an analysis (docs/codescoring-api.md §5).
type Alert struct {
	ID         int64
	Policy     int64
	PolicyName string
	Level      string
	Stage      string
	Status     string
	// IsBlocksBuild is the alert's own copy of its policy's blocker flag; nil
	// when the server omits it.
	IsBlocksBuild     *bool
	DependencyPurl    string
	DependencyName    string
	DependencyVersion string
	Technology        string
	Relation          string // "direct", "transitive" or empty
	VulnerabilityCode string
	VulnerabilityLink string
	LicenseCode       string
	MaxFixedVersion   string
	MatchedCriteria   []string
	// Severity is "critical", "high", "medium", "low" or "none": the
	// server's vulnerability_severity, else the CVSS rating of CVSSScore;
	// empty when neither is known (license alerts).
	Severity string
	// CVSSScore is the server's cvss_score, else the score matched_criteria
	// states ("CVSS3 Score 7.5"); nil when neither says one.
	CVSSScore        *float64
	FirstTriggeredAt time.Time // zero when absent
	CreatedAt        time.Time // zero when absent
}
