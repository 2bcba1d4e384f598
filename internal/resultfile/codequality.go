package resultfile

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
	"github.com/codescoring-gate/codescoring-gate/internal/gate"
)

// DefaultPath is the location.path of a Code Quality issue, and the file
// of a JUnit test case, when the server names no manifest for the alert:
// CodeScoring's alerts name a package, not the file that declares it.
const DefaultPath = "codescoring-sca"

// location is where a finding points in the repository.
func location(gate.Finding) string {
	return DefaultPath
}

// codeQualityIssue is one entry of GitLab's Code Quality report (a subset
// of the Code Climate issue format that GitLab reads).
type codeQualityIssue struct {
	Type        string              `json:"type"`
	CheckName   string              `json:"check_name"`
	Description string              `json:"description"`
	Categories  []string            `json:"categories"`
	Severity    string              `json:"severity"`
	Fingerprint string              `json:"fingerprint"`
	Location    codeQualityLocation `json:"location"`
}

type codeQualityLocation struct {
	Path  string           `json:"path"`
	Lines codeQualityLines `json:"lines"`
}

type codeQualityLines struct {
	Begin int `json:"begin"`
}

// errorFingerprint is the fingerprint of the one issue of an error run:
// the same in every run, so the merge request widget shows it once.
var errorFingerprint = func() string {
	sum := sha256.Sum256([]byte("codescoring-gate: could not decide"))
	return hex.EncodeToString(sum[:16])
}()

// CodeQuality returns the report-codequality file of in: a JSON array
// (never null, no byte order mark) with one issue per blocking, upcoming,
// already-on-base or warning finding, fingerprinted by the finding's identity so that GitLab's
// merge request widget tells the findings this change introduced from the
// ones it fixed. Findings with the same identity (one package in two
// versions) are one issue, the most severe. Severity: blocking is
// "blocker", upcoming "critical" (already on base: as if it were not), a
// warning "major", "minor" or "info" by
// its policy level. An error run is one "blocker" issue saying what failed.
//
// A run over several projects has every project's issues, each description
// starting with the project as configured and each fingerprint made of the
// project and the finding's identity, so that the same finding in two
// projects is two issues.
func CodeQuality(in Input) ([]byte, error) {
	issues := []codeQualityIssue{}
	if outs := in.set(); outs != nil {
		for _, o := range outs {
			for _, is := range cqIssues(o) {
				is.Description = label(o) + ": " + is.Description
				sum := sha256.Sum256([]byte(label(o) + "\n" + is.Fingerprint))
				is.Fingerprint = hex.EncodeToString(sum[:16])
				issues = append(issues, is)
			}
		}
	} else {
		in = in.single()
		issues = append(issues, cqIssues(in.outcome())...)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(issues); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// cqIssues are the Code Quality issues of one project's outcome o.
func cqIssues(o *gate.Outcome) []codeQualityIssue {
	issues := []codeQualityIssue{}
	switch {
	case o.Verdict == gate.VerdictError || o.Decision == nil:
		msg := "no error was recorded"
		if o.Err != nil {
			msg = o.Err.Error()
		}
		desc := "CodeScoring gate could not decide: " + firstLine(msg)
		if o.Hint != "" {
			desc += " What to do: " + o.Hint
		}
		issues = append(issues, codeQualityIssue{
			Type: "issue", CheckName: "codescoring-gate-error", Description: desc, Categories: []string{"Bug Risk"},
			Severity: "blocker", Fingerprint: errorFingerprint,
			Location: codeQualityLocation{Path: DefaultPath, Lines: codeQualityLines{Begin: 1}},
		})
	default:
		seen := map[string]bool{}
		for _, fs := range active(o.Decision) {
			for _, f := range fs {
				fp := fingerprint(f)
				if seen[fp] {
					continue
				}
				seen[fp] = true
				issues = append(issues, codeQualityIssue{
					Type: "issue", CheckName: "codescoring-policy-" + itoa(f.Alert.Policy),
					Description: cqDescription(f, o), Categories: []string{"Security"},
					Severity: cqSeverity(f), Fingerprint: fp,
					Location: codeQualityLocation{Path: location(f), Lines: codeQualityLines{Begin: 1}},
				})
			}
		}
	}
	return issues
}

func cqDescription(f gate.Finding, o *gate.Outcome) string {
	var b strings.Builder
	b.WriteString(policyName(f) + ": " + subject(f))
	switch f.Category {
	case gate.Blocking:
		if o.Verdict == gate.VerdictWarn {
			b.WriteString(" would block the build (mode warn)")
		} else {
			b.WriteString(" blocks the build")
		}
	case gate.AlreadyOnBase:
		b.WriteString(" (already on the base branch)")
	case gate.Upcoming:
		b.WriteString(" blocks the build from " + f.BlocksAt.UTC().Format("2006-01-02"))
	default:
		b.WriteString(" (warning)")
	}
	if fix := f.Alert.MaxFixedVersion; fix != "" {
		b.WriteString("; fixed in " + fix)
	}
	return b.String()
}

func cqSeverity(f gate.Finding) string {
	c := f.Category
	if c == gate.AlreadyOnBase {
		c = f.Held
	}
	switch c {
	case gate.Blocking:
		return "blocker"
	case gate.Upcoming:
		return "critical"
	}
	switch f.Alert.Severity {
	case api.SeverityCritical, api.SeverityHigh:
		return "major"
	case api.SeverityMedium:
		return "minor"
	case api.SeverityLow, api.SeverityNone:
		return "info"
	}
	switch f.Alert.Level {
	case "critical":
		return "major"
	case "info":
		return "info"
	}
	return "minor"
}
