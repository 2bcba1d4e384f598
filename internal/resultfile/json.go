package resultfile

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
	"github.com/codescoring-gate/codescoring-gate/internal/gate"
)

// SchemaVersion is the schema_version of the JSON document. It grows only
// when a field is removed or changes meaning; new fields keep it.
const SchemaVersion = 1

// SchemaID is the $id of the JSON Schema in schema/report.v1.json.
const SchemaID = "https://github.com/codescoring-gate/codescoring-gate/blob/main/internal/resultfile/schema/report.v1.json"

// Document is the report-json file, version SchemaVersion. Absent facts are
// null, never left out, so a reader can tell "unknown" from a typo.
type Document struct {
	SchemaVersion int       `json:"schema_version"`
	Tool          Tool      `json:"tool"`
	Verdict       string    `json:"verdict"`
	ExitCode      int       `json:"exit_code"`
	Mode          string    `json:"mode"`
	BlockOn       string    `json:"block_on"`
	Stage         *string   `json:"stage"`
	Counts        Counts    `json:"counts"`
	Project       *Project  `json:"project"`
	Analysis      *Analysis `json:"analysis"`
	Baseline      *Baseline `json:"baseline"`
	Findings      []Finding `json:"findings"`
	Notes         []string  `json:"notes"`
	Error         *Error    `json:"error"`
	CommentURL    *string   `json:"comment_url"`
	DecidedAt     *string   `json:"decided_at"`
	ElapsedSecs   float64   `json:"elapsed_seconds"`
	// Projects is, for a run over several projects, each one's result in
	// the configured order; null for a run of one. Then the fields above
	// are the run's: the one verdict, the summed counts, every finding (in
	// project order), project, analysis and baseline null.
	Projects []ProjectResult `json:"projects"`
}

// ProjectResult is one project's part of a run over several.
type ProjectResult struct {
	// Configured is the project as the project input names it.
	Configured  string    `json:"configured"`
	Verdict     string    `json:"verdict"`
	Counts      Counts    `json:"counts"`
	Project     *Project  `json:"project"`
	Analysis    *Analysis `json:"analysis"`
	Baseline    *Baseline `json:"baseline"`
	Findings    []Finding `json:"findings"`
	Notes       []string  `json:"notes"`
	Error       *Error    `json:"error"`
	DecidedAt   *string   `json:"decided_at"`
	ElapsedSecs float64   `json:"elapsed_seconds"`
}

// Tool names the program that wrote the document.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Counts are the number of findings per category.
type Counts struct {
	Blocking         int `json:"blocking"`
	Upcoming         int `json:"upcoming"`
	Warning          int `json:"warning"`
	Ignored          int `json:"ignored"`
	Resolved         int `json:"resolved"`
	AlreadyOnBase    int `json:"already_on_base"`
	Fixed            int `json:"fixed"`
	NewBlocking      int `json:"new_blocking"`
	ExistingBlocking int `json:"existing_blocking"`
}

// Project is the CodeScoring project, or what the input named when the run
// stopped before the server answered (then ID is null).
type Project struct {
	ID   *int64  `json:"id"`
	Name string  `json:"name"`
	URL  *string `json:"url"`
}

// Analysis is the analysis the verdict is based on.
type Analysis struct {
	ID         int64   `json:"id"`
	Status     string  `json:"status"`
	Ref        string  `json:"ref"`
	Commit     string  `json:"commit"`
	StartedAt  *string `json:"started_at"`
	FinishedAt *string `json:"finished_at"`
	Attached   bool    `json:"attached"`
	Source     string  `json:"source"`
	// Fallback says why the analysis may not be of this build's code (no
	// commit was given); null when it is the commit's.
	Fallback *string `json:"fallback"`
}

// Baseline is the analysis of the base branch the findings were compared
// with (issue #12); null when the run had none.
type Baseline struct {
	Ref        string  `json:"ref"`
	AnalysisID *int64  `json:"analysis_id"`
	Commit     *string `json:"commit"`
	Available  bool    `json:"available"`
	Reason     *string `json:"reason"`
}

// Finding is one alert with the gate's reading of it.
type Finding struct {
	Fingerprint string     `json:"fingerprint"`
	Category    string     `json:"category"`
	Change      string     `json:"change"`
	Severity    string     `json:"severity"`
	CVSS        *float64   `json:"cvss_score"`
	Level       string     `json:"level"`
	AlertID     int64      `json:"alert_id"`
	Status      string     `json:"status"`
	Policy      Policy     `json:"policy"`
	Dependency  Dependency `json:"dependency"`
	Vuln        *string    `json:"vulnerability"`
	License     *string    `json:"license"`
	FixedIn     *string    `json:"fixed_version"`
	BlocksAt    *string    `json:"blocks_at"`
	Reason      string     `json:"reason"`
	Criteria    []string   `json:"matched_criteria"`
	Links       Links      `json:"links"`
}

// Policy is the policy that raised a finding.
type Policy struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Blocks *bool  `json:"blocks_build"`
}

// Dependency is the package a finding is about.
type Dependency struct {
	Name       string  `json:"name"`
	Version    string  `json:"version"`
	Purl       *string `json:"purl"`
	Technology *string `json:"technology"`
	Relation   *string `json:"relation"`
}

// Links are a finding's web pages.
type Links struct {
	Vulnerability *string `json:"vulnerability"`
	Project       *string `json:"project"`
}

// Error is why the gate could not decide.
type Error struct {
	Message  string  `json:"message"`
	Advice   string  `json:"advice"`
	BadInput bool    `json:"bad_input"`
	Server   *string `json:"server_message"`
}

// NewDocument returns the report-json document of in.
func NewDocument(in Input) Document {
	if outs := in.set(); outs != nil {
		return newSetDocument(in, outs)
	}
	in = in.single()
	o := in.outcome()
	doc := Document{
		SchemaVersion: SchemaVersion,
		Tool:          Tool{Name: "codescoring-gate", Version: in.Version},
		Verdict:       string(o.Verdict),
		ExitCode:      in.ExitCode,
		Mode:          knownMode(o.Config.Mode),
		BlockOn:       knownBlockOn(o.Config.BlockOn),
		Stage:         optional(o.Config.Stage),
		Findings:      []Finding{},
		Notes:         []string{},
		CommentURL:    optional(in.CommentURL),
		DecidedAt:     timestamp(o.DecidedAt),
		ElapsedSecs:   math.Round(o.Elapsed.Seconds()*1000) / 1000,
	}
	if doc.Verdict == "" {
		doc.Verdict = string(gate.VerdictError)
	}
	switch {
	case o.Project != nil:
		id := o.Project.ID
		doc.Project = &Project{ID: &id, Name: o.Project.Name, URL: optional(httpURL(o.ReportURL))}
	case o.Config.Project != "":
		doc.Project = &Project{Name: o.Config.Project, URL: optional(httpURL(o.ReportURL))}
	}
	if a := o.Analysis; a != nil {
		doc.Analysis = &Analysis{
			ID: a.ID, Status: string(a.Status), Ref: a.BranchOrTag, Commit: a.Commit,
			StartedAt: timestamp(a.StartedAt), FinishedAt: timestamp(a.FinishedAt), Attached: o.Attached,
			Source: sourceName(o.Source), Fallback: optional(o.Fallback.String()),
		}
	}
	if b := o.Baseline; b != nil {
		doc.Baseline = &Baseline{Ref: b.Ref, Reason: optional(b.Unavailable.String())}
		if a := b.Analysis; a != nil {
			id := a.ID
			doc.Baseline.AnalysisID, doc.Baseline.Commit, doc.Baseline.Available = &id, optional(a.Commit), true
		}
	}
	if d := o.Decision; d != nil {
		newBlocking, existingBlocking, fixed := d.BaselineCounts()
		doc.Counts = Counts{Blocking: len(d.Blocking), Upcoming: len(d.Upcoming), Warning: len(d.Warnings),
			Ignored: len(d.Ignored), Resolved: len(d.Resolved), AlreadyOnBase: len(d.AlreadyOnBase), Fixed: fixed,
			NewBlocking: newBlocking, ExistingBlocking: existingBlocking}
		for _, n := range d.Notes {
			doc.Notes = append(doc.Notes, n.String())
		}
		for _, fs := range categories(d) {
			for _, f := range fs {
				doc.Findings = append(doc.Findings, newFinding(f, o))
			}
		}
	}
	if o.Verdict == gate.VerdictError || o.Verdict == "" {
		e := &Error{Message: "no error was recorded", Advice: o.Hint, BadInput: in.BadInput}
		if o.Err != nil {
			e.Message = o.Err.Error()
		}
		if o.Analysis != nil && o.Analysis.Error != "" {
			e.Server = &o.Analysis.Error
		}
		doc.Error = e
	}
	return doc
}

func newFinding(f gate.Finding, o *gate.Outcome) Finding {
	a := f.Alert
	out := Finding{
		Fingerprint: fingerprint(f),
		Category:    categoryName(f.Category),
		Change:      f.Origin.String(),
		Severity:    severity(a.Severity),
		CVSS:        a.CVSSScore,
		Level:       level(a.Level),
		AlertID:     a.ID,
		Status:      a.Status,
		Policy:      Policy{ID: a.Policy, Name: policyName(f)},
		Dependency: Dependency{
			Name: a.DependencyName, Version: a.DependencyVersion,
			Purl: optional(a.DependencyPurl), Technology: optional(a.Technology), Relation: optional(a.Relation),
		},
		Vuln:     optional(a.VulnerabilityCode),
		License:  optional(a.LicenseCode),
		FixedIn:  optional(a.MaxFixedVersion),
		BlocksAt: timestamp(f.BlocksAt),
		Reason:   f.Reason.String(),
		Criteria: append([]string{}, a.MatchedCriteria...),
		Links:    Links{Vulnerability: optional(httpURL(a.VulnerabilityLink)), Project: optional(httpURL(o.ReportURL))},
	}
	if f.Policy != nil {
		b := f.Policy.IsBlocksBuild
		out.Policy.Blocks = &b
	}
	return out
}

// sourceName says how the analysis came to be the one decided on.
func sourceName(s gate.Source) string {
	switch s {
	case gate.SourceStarted:
		return "started"
	case gate.SourceAttached:
		return "attached"
	case gate.SourceFound:
		return "found"
	case gate.SourceReused:
		return "reused"
	}
	return "unknown"
}

// knownMode is m when it is a mode, else "" (bad input).
func knownMode(m gate.Mode) string {
	if m == gate.ModeEnforce || m == gate.ModeWarn {
		return string(m)
	}
	return ""
}

// knownBlockOn is b when it is a block-on value (empty is all), else ""
// (bad input).
func knownBlockOn(b gate.BlockOn) string {
	switch b {
	case "", gate.BlockOnAll:
		return string(gate.BlockOnAll)
	case gate.BlockOnNew:
		return string(b)
	}
	return ""
}

// severity is the alert's vulnerability severity (critical, high, medium,
// low, none), or "unknown" (a license alert, or the server said none).
func severity(s string) string {
	switch s {
	case api.SeverityCritical, api.SeverityHigh, api.SeverityMedium, api.SeverityLow, api.SeverityNone:
		return s
	}
	return "unknown"
}

// level is the alert's policy level (info, warning, critical), or
// "unknown".
func level(l string) string {
	switch l {
	case "info", "warning", "critical":
		return l
	}
	return "unknown"
}

// JSON returns the report-json file of in: the Document, indented, with a
// final newline.
func JSON(in Input) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(NewDocument(in)); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func timestamp(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(time.RFC3339)
	return &s
}

// newSetDocument is the document of a run over several projects: the run's
// verdict and exit code, the counts summed, every finding, the notes each
// with its project, an error naming the projects that could not be
// decided, and each project's own result in projects.
func newSetDocument(in Input, outs []*gate.Outcome) Document {
	first := outs[0]
	doc := Document{
		SchemaVersion: SchemaVersion,
		Tool:          Tool{Name: "codescoring-gate", Version: in.Version},
		Verdict:       string(gate.SetVerdict(outs)),
		ExitCode:      in.ExitCode,
		Mode:          knownMode(first.Config.Mode),
		BlockOn:       knownBlockOn(first.Config.BlockOn),
		Stage:         optional(first.Config.Stage),
		Findings:      []Finding{},
		Notes:         []string{},
		CommentURL:    optional(in.CommentURL),
		Projects:      []ProjectResult{},
	}
	var undecided []string
	var latest time.Time
	for _, o := range outs {
		d := NewDocument(Input{Outcome: o, Version: in.Version})
		doc.Projects = append(doc.Projects, ProjectResult{
			Configured: o.Config.Project, Verdict: d.Verdict, Counts: d.Counts, Project: d.Project,
			Analysis: d.Analysis, Baseline: d.Baseline, Findings: d.Findings, Notes: d.Notes, Error: d.Error,
			DecidedAt: d.DecidedAt, ElapsedSecs: d.ElapsedSecs,
		})
		c := &doc.Counts
		c.Blocking += d.Counts.Blocking
		c.Upcoming += d.Counts.Upcoming
		c.Warning += d.Counts.Warning
		c.Ignored += d.Counts.Ignored
		c.Resolved += d.Counts.Resolved
		c.AlreadyOnBase += d.Counts.AlreadyOnBase
		c.Fixed += d.Counts.Fixed
		c.NewBlocking += d.Counts.NewBlocking
		c.ExistingBlocking += d.Counts.ExistingBlocking
		doc.Findings = append(doc.Findings, d.Findings...)
		for _, n := range d.Notes {
			doc.Notes = append(doc.Notes, label(o)+": "+n)
		}
		if d.Error != nil {
			undecided = append(undecided, label(o))
		}
		if o.DecidedAt.After(latest) {
			latest = o.DecidedAt
		}
		doc.ElapsedSecs = max(doc.ElapsedSecs, d.ElapsedSecs)
	}
	doc.DecidedAt = timestamp(latest)
	if len(undecided) > 0 {
		doc.Error = &Error{
			Message: fmt.Sprintf("%d of %d projects could not be decided: %s", len(undecided), len(outs), strings.Join(undecided, ", ")),
			Advice:  "see each project's error in projects",
		}
	}
	return doc
}
