package resultfile

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/codescoring-gate/codescoring-gate/internal/gate"
)

// Input is what every result file is made of.
type Input struct {
	// Outcome is the gate's result; a nil Outcome is an error verdict with
	// no error recorded.
	Outcome *gate.Outcome
	// ExitCode is the process exit code of this run (0, 1 or 2).
	ExitCode int
	// Version is the gate's version.
	Version string
	// BadInput is true when the run stopped on invalid inputs: nothing was
	// sent to CodeScoring.
	BadInput bool
	// CommentURL is the pull or merge request comment, when one is current.
	CommentURL string
	// Outcomes are, for a run over several projects, each project's
	// outcome in the configured order; then Outcome is ignored. Nil or one
	// outcome is a run of one project (Outcome, or the one).
	Outcomes []*gate.Outcome
}

// set returns the outcomes of a run over several projects (nil values as
// error outcomes), or nil for a run of one.
func (in Input) set() []*gate.Outcome {
	if len(in.Outcomes) < 2 {
		return nil
	}
	outs := make([]*gate.Outcome, len(in.Outcomes))
	for i, o := range in.Outcomes {
		outs[i] = Input{Outcome: o}.outcome()
	}
	return outs
}

// single returns in as a run of one project: Outcome, or the one of
// Outcomes.
func (in Input) single() Input {
	if len(in.Outcomes) == 1 {
		in.Outcome = in.Outcomes[0]
	}
	in.Outcomes = nil
	return in
}

// label names o's project as configured, else as CodeScoring does.
func label(o *gate.Outcome) string {
	if o.Config.Project != "" {
		return o.Config.Project
	}
	if o.Project != nil {
		return o.Project.Name
	}
	return "unknown"
}

// outcome returns in.Outcome, or an error outcome for nil.
func (in Input) outcome() *gate.Outcome {
	if in.Outcome == nil {
		return &gate.Outcome{Verdict: gate.VerdictError}
	}
	return in.Outcome
}

// categories lists a decision's findings in the order the files show them.
func categories(d *gate.Decision) [][]gate.Finding {
	if d == nil {
		return nil
	}
	return [][]gate.Finding{d.Blocking, d.Upcoming, d.AlreadyOnBase, d.Warnings, d.Ignored, d.Resolved, d.Fixed}
}

// active lists the findings of active alerts of this analysis that the
// JUnit and Code Quality files show: blocking, upcoming, already on the
// base branch, warnings.
func active(d *gate.Decision) [][]gate.Finding {
	return [][]gate.Finding{d.Blocking, d.Upcoming, d.AlreadyOnBase, d.Warnings}
}

// categoryName is the category as the JSON document names it.
func categoryName(c gate.Category) string {
	if c == gate.AlreadyOnBase {
		return "already_on_base"
	}
	return c.String()
}

// policyName is the finding's policy name as the policy list says, else as
// the alert says.
func policyName(f gate.Finding) string {
	if f.Policy != nil && f.Policy.Name != "" {
		return f.Policy.Name
	}
	if f.Alert.PolicyName != "" {
		return f.Alert.PolicyName
	}
	return "policy " + strconv.FormatInt(f.Alert.Policy, 10)
}

// subject names the finding's dependency and problem in one line, e.g.
// "django 4.2.2: CVE-2024-38875".
func subject(f gate.Finding) string {
	a := f.Alert
	s := strings.TrimSpace(a.DependencyName + " " + a.DependencyVersion)
	if s == "" {
		s = "(no dependency named)"
	}
	switch {
	case a.VulnerabilityCode != "":
		s += ": " + a.VulnerabilityCode
	case a.LicenseCode != "":
		s += ": license " + a.LicenseCode
	}
	return s
}

// httpURL returns s when it is an absolute http(s) URL, else "".
func httpURL(s string) string {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return ""
	}
	return u.String()
}

// fingerprint is the finding identity of issue #12 (gate.Fingerprint):
// the same in every analysis that has the finding.
func fingerprint(f gate.Finding) string { return gate.Fingerprint(f.Alert) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
