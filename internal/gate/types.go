// Package gate decides whether a build passes CodeScoring's policies: it runs
// the analysis through a Server (start or attach, poll, fetch) and classifies
// every alert. It does no I/O of its own: the Server is injected. It keeps
// time with time.Now, timers and a context deadline, so tests run it in a
// testing/synctest bubble.
package gate

import (
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
)

// Mode says what blocking alerts do to the verdict.
type Mode string

// The modes of the `mode` input.
const (
	ModeEnforce Mode = "enforce" // blocking alerts fail the build
	ModeWarn    Mode = "warn"    // blocking alerts are only reported
)

// Verdict is the gate's answer.
type Verdict string

// The verdicts, as written to the `verdict` output.
const (
	VerdictPass  Verdict = "pass"  // nothing blocks
	VerdictWarn  Verdict = "warn"  // something blocks, but mode is warn
	VerdictFail  Verdict = "fail"  // something blocks in enforce mode
	VerdictError Verdict = "error" // the gate could not decide
)

// Category is what one alert means for the build.
type Category int

// The categories of an alert, most important first.
const (
	Blocking Category = iota // blocks the build now
	Upcoming                 // a delayed block not yet due
	Warning                  // active, but does not block
	Ignored                  // a policy ignore applies; never blocks
	Resolved                 // no longer true; never blocks
	// AlreadyOnBase is a finding the rule makes blocking or upcoming, but
	// which was already on the baseline, under `block-on: new`: it does not
	// fail the build.
	AlreadyOnBase
	// Fixed is an active alert of the baseline whose finding no alert of
	// this analysis has: fixed by this change.
	Fixed
)

// String returns the lower-case name of c.
func (c Category) String() string {
	switch c {
	case Blocking:
		return "blocking"
	case Upcoming:
		return "upcoming"
	case Warning:
		return "warning"
	case Ignored:
		return "ignored"
	case Resolved:
		return "resolved"
	case AlreadyOnBase:
		return "already on base"
	case Fixed:
		return "fixed"
	}
	return "unknown"
}

// BlockOn says which blocking alerts fail the build.
type BlockOn string

// The values of the `block-on` input.
const (
	BlockOnAll BlockOn = "all" // every blocking alert blocks
	BlockOnNew BlockOn = "new" // only blocking alerts the baseline does not have block
)

// Origin says whether the finding of an active alert was already on the
// baseline.
type Origin int

// The origins of a finding.
const (
	OriginUnknown  Origin = iota // no baseline was compared, or the alert is not active
	OriginNew                    // the baseline does not have the finding
	OriginExisting               // the baseline has the finding
)

// String returns the lower-case name of o.
func (o Origin) String() string {
	switch o {
	case OriginNew:
		return "new"
	case OriginExisting:
		return "existing"
	}
	return "unknown"
}

// Finding is one alert with the gate's reading of it.
type Finding struct {
	Alert    api.Alert
	Policy   *api.Policy // nil when the alert's policy is not in the policy list
	Category Category
	// Origin says, for an active alert compared with a baseline, whether its
	// finding is new or was already on the baseline.
	Origin Origin
	// Held is, for a finding in AlreadyOnBase, the category the rule gives
	// it (Blocking or Upcoming); else Category.
	Held Category
	// BlocksAt is when a delayed block starts (or started) blocking; zero
	// when the policy has no delay.
	BlocksAt time.Time
	// Reason says in a few words why the alert is in its category, e.g.
	// "policy is not a blocker" or "stage build is not in the policy's
	// stages dev", in the language it is shown in.
	Reason Text
}

// Decision classifies the alerts of one finished, successful analysis.
// Each list is sorted by policy name, then dependency name and version, then
// alert id, so that output is stable.
type Decision struct {
	Blocking []Finding
	Upcoming []Finding
	Warnings []Finding
	Ignored  []Finding
	Resolved []Finding
	// AlreadyOnBase are, under `block-on: new`, the findings that would
	// block or be upcoming but were already on the baseline.
	AlreadyOnBase []Finding
	// Fixed are the baseline's active alerts whose finding no alert of this
	// analysis has (one per finding), with their policy.
	Fixed []Finding
	// Compared is true when the alerts were compared with a baseline's.
	Compared bool
	// BlockOn is the block-on the decision was made under; with no baseline
	// it is always BlockOnAll (fail-closed).
	BlockOn BlockOn
	// RepeatedAlerts is how many copies of alerts the server listed more
	// than once, which Decide dropped: the list changed while it was read
	// (a Note says so). Every list above has each alert id once.
	RepeatedAlerts int
	// Notes are things the user should know about the data, e.g. an alert
	// whose blocker flag disagrees with its policy, or a missing policy.
	Notes []Text
}

// Config is the validated configuration of one gate run.
type Config struct {
	// Project is a project id (all digits) or an exact project name.
	Project string
	// Ref is the branch or tag to analyse; Commit the commit (the PR head,
	// never the merge commit). Either may be empty.
	Ref    string
	Commit string
	// Stage, when set, limits blocking to policies whose stages contain it.
	Stage string
	Mode  Mode
	// Start false waits for the newest analysis instead of starting one.
	Start       bool
	WaitTimeout time.Duration
	// BaselineRef is the branch whose newest successful analysis the alerts
	// are compared with; empty compares with nothing.
	BaselineRef string
	// BlockOn is which blocking alerts fail the build; empty is BlockOnAll.
	BlockOn BlockOn
	// ReuseMaxAge, when positive, lets Run decide on a successful analysis
	// of the same commit that finished at most this long ago instead of
	// starting another (a re-run job); zero never reuses one.
	ReuseMaxAge time.Duration
}

// Outcome is everything the reports need about one run, also when it failed.
type Outcome struct {
	Verdict Verdict
	Config  Config
	// Project and Analysis are nil when the run failed before knowing them.
	Project  *api.Project
	Analysis *api.Analysis
	// Attached is true when the gate waited for an analysis it did not start.
	Attached bool
	// Source says how the analysis came to be the one decided on.
	Source Source
	// ReusedAge is, for SourceReused, how long before the run the reused
	// analysis finished.
	ReusedAge time.Duration
	// Fallback, when set, says why the analysis may not be of this build's
	// code: no commit was given, so the gate took the newest analysis of
	// the ref (or of the project). The reports put it in the headline.
	Fallback Text
	// Decision is nil unless the analysis finished with success.
	Decision *Decision
	// Baseline is what the decision compared with; nil when no baseline ref
	// was configured.
	Baseline *Baseline
	// Err is why the verdict is error; nil otherwise.
	Err error
	// Hint says what the user can do about Err, e.g. "raise wait-timeout".
	Hint string
	// ReportURL is the project's page in CodeScoring; empty when unknown.
	ReportURL string
	// DecidedAt is when the decision was made; Elapsed how long the run took.
	DecidedAt time.Time
	Elapsed   time.Duration
}

// BaselineCounts returns the number of blocking alerts whose finding is new
// (or, without a baseline, not known to be existing) and of those already on
// the baseline, whichever block-on was chosen, and the number of fixed
// findings.
func (d *Decision) BaselineCounts() (newBlocking, existingBlocking, fixed int) {
	if d == nil {
		return 0, 0, 0
	}
	for _, f := range d.Blocking {
		if f.Origin == OriginExisting {
			existingBlocking++
		} else {
			newBlocking++
		}
	}
	for _, f := range d.AlreadyOnBase {
		if f.Held == Blocking {
			existingBlocking++
		}
	}
	return newBlocking, existingBlocking, len(d.Fixed)
}

// Reused reports whether the decision is on a reused analysis: a fresh
// success of the same commit, so that no analysis was started.
func (o *Outcome) Reused() bool { return o != nil && o.Source == SourceReused }

// Counts returns the number of blocking, warning and upcoming alerts of o.
func (o *Outcome) Counts() (blocking, warnings, upcoming int) {
	if o == nil || o.Decision == nil {
		return 0, 0, 0
	}
	return len(o.Decision.Blocking), len(o.Decision.Warnings), len(o.Decision.Upcoming)
}

// Source is how the analysis of an Outcome came to be the one decided on.
type Source int

// The sources of an analysis.
const (
	SourceNone     Source = iota // no analysis
	SourceStarted                // this run started it
	SourceAttached               // it was running; the gate waited for it
	SourceFound                  // it had finished when the gate found it (start: false)
	SourceReused                 // a fresh success of the same commit, reused instead of starting one
)

// String says s as the reports label the analysis.
func (s Source) String() string {
	switch s {
	case SourceStarted:
		return "started by this run"
	case SourceAttached:
		return "already running; the gate waited for it"
	case SourceFound:
		return "finished before the gate ran"
	case SourceReused:
		return "reused analysis of the same commit"
	}
	return ""
}
