package gate

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
)

const commit = "9fceb02d0ae598e95dc970b74767f19372d61af8"

func boolp(b bool) *bool { return &b }

// blockingData makes one alert of an active blocker policy.
func blockingData(s *fakeServer) {
	s.policies = []api.Policy{{ID: 12, Name: "No critical CVEs", Stages: []string{"source"}, IsActive: true, IsBlocksBuild: true}}
	s.alerts = []api.Alert{{ID: 5521, Policy: 12, Status: api.AlertActive, DependencyName: "django", DependencyVersion: "4.2.2"}}
}

var errBoom = errors.New("boom")

// runCase is one Run against a fakeServer on simulated time.
type runCase struct {
	name  string
	cfg   func(*Config)     // changes the default config
	setup func(*fakeServer) // scripts the server
	check func(*testing.T, *fakeServer, *Outcome)

	wantVerdict  Verdict
	wantAnalysis int64 // Outcome.Analysis.ID; 0: nil
	wantAttached bool
	wantStarts   int
	wantErr      string // substring of Err; "" wants a nil Err
	wantErrIs    error
	wantHint     string // substring of Hint
	// cancelOn cancels Run's context: "before" Run, or when the Server
	// method of that name is called.
	cancelOn string
}

func defaultConfig() Config {
	return Config{Project: "340", Ref: "feature/login", Commit: commit, Mode: ModeEnforce, Start: true, WaitTimeout: 30 * time.Minute}
}

func TestRun(t *testing.T) {
	t.Parallel()
	for _, tc := range []runCase{
		{
			name:         "start, blocking alert fails in enforce mode",
			setup:        blockingData,
			wantVerdict:  VerdictFail,
			wantAnalysis: 977,
			wantStarts:   1,
			check: func(t *testing.T, s *fakeServer, o *Outcome) {
				t.Helper()
				if got, want := s.starts[0], (api.StartRequest{Project: 340, BranchOrTag: "feature/login", Commit: commit}); got != want {
					t.Errorf("start request %+v, want %+v", got, want)
				}
				if got, want := s.alertsArgs, [][2]int64{{340, 977}}; fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("alerts read for %v, want %v", got, want)
				}
				if got, want := o.Analysis.Status, api.StatusSuccess; got != want {
					t.Errorf("analysis status %s, want %s", got, want)
				}
				if got, want := len(o.Decision.Blocking), 1; got != want {
					t.Errorf("%d blocking, want %d", got, want)
				}
				if got, want := o.ReportURL, "https://cs.example/projects/340"; got != want {
					t.Errorf("ReportURL %q, want %q", got, want)
				}
				if lo, hi := 45*time.Second, 45*time.Second+PollCap(45*time.Second); o.Elapsed < lo || o.Elapsed > hi {
					t.Errorf("Elapsed %v, want %v..%v (the analysis takes 45s)", o.Elapsed, lo, hi)
				}
				if got, want := o.DecidedAt, t0.Add(o.Elapsed); !got.Equal(want) {
					t.Errorf("DecidedAt %v, want %v", got, want)
				}
				if got, want := o.Project.Name, "payments-service"; got != want {
					t.Errorf("project %q, want %q", got, want)
				}
			},
		},
		{
			name:         "blocking alert warns in warn mode",
			cfg:          func(c *Config) { c.Mode = ModeWarn },
			setup:        blockingData,
			wantVerdict:  VerdictWarn,
			wantAnalysis: 977,
			wantStarts:   1,
		},
		{
			name:         "nothing blocks: pass",
			wantVerdict:  VerdictPass,
			wantAnalysis: 977,
			wantStarts:   1,
			check: func(t *testing.T, _ *fakeServer, o *Outcome) {
				t.Helper()
				if o.Decision == nil {
					t.Error("Decision is nil, want one")
				}
			},
		},
		{
			name:         "stage from the config reaches the decision",
			cfg:          func(c *Config) { c.Stage = "build" },
			setup:        blockingData,
			wantVerdict:  VerdictPass,
			wantAnalysis: 977,
			wantStarts:   1,
		},
		{
			name:         "delayed block not yet due at the decision time is upcoming",
			wantVerdict:  VerdictPass,
			wantAnalysis: 977,
			wantStarts:   1,
			setup: func(s *fakeServer) {
				blockingData(s)
				s.policies[0].BlockDelay = 24 * time.Hour
				// Due 2 min after t0; the decision comes about 53 s after t0.
				s.alerts[0].FirstTriggeredAt = t0.Add(-24*time.Hour + 2*time.Minute)
			},
			check: func(t *testing.T, _ *fakeServer, o *Outcome) {
				t.Helper()
				if got := len(o.Decision.Upcoming); got != 1 {
					t.Errorf("%d upcoming, want 1", got)
				}
			},
		},
		{
			name:         "project by name",
			cfg:          func(c *Config) { c.Project = "Payments-Service" },
			wantVerdict:  VerdictPass,
			wantAnalysis: 977,
			wantStarts:   1,
			check:        wantLookups(1, 0),
		},
		{
			name:         "project by id",
			cfg:          func(c *Config) { c.Project = " 340 " },
			wantVerdict:  VerdictPass,
			wantAnalysis: 977,
			wantStarts:   1,
			check:        wantLookups(0, 1),
		},
		{
			name:        "project name not found",
			cfg:         func(c *Config) { c.Project = "payments" },
			wantVerdict: VerdictError,
			wantErr:     `find project "payments": no CodeScoring project is named "payments"`,
			wantHint:    "`project`",
		},
		{
			name:        "project id not found",
			cfg:         func(c *Config) { c.Project = "999" },
			wantVerdict: VerdictError,
			wantErr:     "get project 999: CodeScoring answered GET /api/projects/999/ with 404",
			wantHint:    "`project`",
		},
		{
			name:        "project id out of range",
			cfg:         func(c *Config) { c.Project = "99999999999999999999" },
			wantVerdict: VerdictError,
			wantErr:     `read project id "99999999999999999999"`,
			wantHint:    "`project`",
		},
		{
			name:        "no project",
			cfg:         func(c *Config) { c.Project = "  " },
			wantVerdict: VerdictError,
			wantErr:     "no project given",
			wantHint:    "`project`",
		},
		{
			name: "attach to an unfinished analysis of the same commit",
			setup: func(s *fakeServer) {
				s.addAnalysis(950, "main", strings.ToUpper(commit), time.Minute, lifecycle(90*time.Second, api.StatusSuccess))
				s.addAnalysis(960, "feature/login", "other", 10*time.Second, lifecycle(time.Hour, api.StatusSuccess))
			},
			wantVerdict:  VerdictPass,
			wantAnalysis: 950,
			wantAttached: true,
			check: func(t *testing.T, _ *fakeServer, o *Outcome) {
				t.Helper()
				// The rest of analysis 950 is 30 s; the gate notices within
				// the poll cap of the time it has waited.
				if limit := 30*time.Second + PollCap(30*time.Second); o.Elapsed < 30*time.Second || o.Elapsed > limit {
					t.Errorf("Elapsed %v, want 30s to %v (the rest of analysis 950 plus the poll lag)", o.Elapsed, limit)
				}
			},
		},
		{
			name: "attach by ref when no commit is configured",
			cfg:  func(c *Config) { c.Commit = "" },
			setup: func(s *fakeServer) {
				s.addAnalysis(950, "feature/login", "abc", time.Minute, lifecycle(90*time.Second, api.StatusSuccess))
				s.addAnalysis(960, "main", "def", 10*time.Second, lifecycle(time.Hour, api.StatusSuccess))
			},
			wantVerdict:  VerdictPass,
			wantAnalysis: 950,
			wantAttached: true,
		},
		{
			name: "unfinished analyses of other commits are not attached to",
			setup: func(s *fakeServer) {
				s.addAnalysis(950, "feature/login", "other", time.Minute, lifecycle(time.Hour, api.StatusSuccess))
			},
			wantVerdict:  VerdictPass,
			wantAnalysis: 977,
			wantStarts:   1,
		},
		{
			name: "a finished analysis of the same commit is not attached to",
			setup: func(s *fakeServer) {
				s.addAnalysis(950, "feature/login", commit, time.Hour, lifecycle(time.Minute, api.StatusSuccess))
			},
			wantVerdict:  VerdictPass,
			wantAnalysis: 977,
			wantStarts:   1,
		},
		{
			name: "without commit and ref nothing is attached to",
			cfg:  func(c *Config) { c.Commit, c.Ref = "", "" },
			setup: func(s *fakeServer) {
				s.addAnalysis(950, "", "", time.Minute, lifecycle(time.Hour, api.StatusSuccess))
			},
			wantVerdict:  VerdictPass,
			wantAnalysis: 977,
			wantStarts:   1,
		},
		{
			name: "409 naming an analysis of the same commit attaches to it",
			setup: func(s *fakeServer) {
				// Another job of the same commit starts just before this one.
				s.onCall = raceSameCommit(s)
				s.busy, s.busyNamesID = true, true
			},
			wantVerdict:  VerdictPass,
			wantAnalysis: 960,
			wantAttached: true,
			wantStarts:   1,
		},
		{
			name: "409 for another commit queues behind it, then starts its own",
			setup: func(s *fakeServer) {
				s.addAnalysis(960, "main", "other", 10*time.Second, lifecycle(20*time.Second, api.StatusSuccess))
				s.busy, s.busyNamesID = true, true
			},
			wantVerdict:  VerdictPass,
			wantAnalysis: 977,
			wantStarts:   2,
			check: func(t *testing.T, s *fakeServer, o *Outcome) {
				t.Helper()
				if got := s.starts[1]; got.Commit != commit || got.BranchOrTag != "feature/login" {
					t.Errorf("second start = %+v, want the configured ref and commit", got)
				}
				// 10 s more of 960, then 45 s of its own, each seen within the poll cap.
				if lo, hi := 55*time.Second, 55*time.Second+2*PollCap(45*time.Second); o.Elapsed < lo || o.Elapsed > hi {
					t.Errorf("Elapsed %v, want %v to %v", o.Elapsed, lo, hi)
				}
			},
		},
		{
			name: "409 without an id for another commit queues behind the newest unfinished one",
			setup: func(s *fakeServer) {
				s.addAnalysis(960, "main", "b", time.Minute, lifecycle(90*time.Second, api.StatusSuccess))
				s.busy = true
			},
			wantVerdict:  VerdictPass,
			wantAnalysis: 977,
			wantStarts:   2,
		},
		{
			name: "queueing behind another commit still ends at the wait-timeout",
			cfg:  func(c *Config) { c.WaitTimeout = 5 * time.Minute },
			setup: func(s *fakeServer) {
				s.addAnalysis(960, "main", "other", 10*time.Second, lifecycle(time.Hour, api.StatusSuccess))
				s.busy, s.busyNamesID = true, true
			},
			wantVerdict: VerdictError,
			wantErr:     "analysis 960 did not finish within 5m",
			wantStarts:  1,
		},
		{
			name: "409 without an id attaches to the newest unfinished analysis of the same commit",
			setup: func(s *fakeServer) {
				s.addAnalysis(970, "main", "c", 10*time.Second, lifecycle(5*time.Second, api.StatusSuccess))
				s.onCall = raceSameCommit(s)
				s.busy = true
			},
			wantVerdict:  VerdictPass,
			wantAnalysis: 960,
			wantAttached: true,
			wantStarts:   1,
			check: func(t *testing.T, s *fakeServer, _ *Outcome) {
				t.Helper()
				if got := s.count("RecentAnalyses"); got != 2 {
					t.Errorf("RecentAnalyses ×%d, want 2 (before and after the 409)", got)
				}
			},
		},
		{
			name: "409 with an unknown id",
			setup: func(s *fakeServer) {
				s.startErr = &api.AlreadyRunningError{AnalysisID: 961}
			},
			wantVerdict: VerdictError,
			wantErr:     "read analysis 961: CodeScoring answered GET",
			wantStarts:  1,
		},
		{
			name: "409 without an id and nothing unfinished",
			setup: func(s *fakeServer) {
				s.addAnalysis(970, "main", "c", 10*time.Second, lifecycle(5*time.Second, api.StatusSuccess))
				s.startErr = &api.AlreadyRunningError{}
			},
			wantVerdict: VerdictError,
			wantErr:     "none of its 1 newest analyses is unfinished",
			wantHint:    "re-run",
			wantStarts:  1,
		},
		{
			name: "start false waits for the newest analysis of the commit",
			cfg:  func(c *Config) { c.Start = false },
			setup: func(s *fakeServer) {
				s.addAnalysis(950, "feature/login", commit, time.Minute, lifecycle(2*time.Minute, api.StatusSuccess))
				s.addAnalysis(960, "main", "other", 10*time.Second, lifecycle(time.Hour, api.StatusSuccess))
			},
			wantVerdict:  VerdictPass,
			wantAnalysis: 950,
			wantAttached: true,
		},
		{
			// Another commit's analysis says nothing about this build.
			name: "start false without an analysis of the commit: an error at the deadline naming the newest",
			cfg:  func(c *Config) { c.Start = false },
			setup: func(s *fakeServer) {
				s.addAnalysis(950, "feature/login", "a", time.Minute, lifecycle(2*time.Minute, api.StatusSuccess))
				s.addAnalysis(960, "main", "b", 10*time.Second, lifecycle(time.Minute, api.StatusSuccess))
			},
			wantVerdict: VerdictError,
			wantErr: "no analysis of commit 9fceb02d0ae5 appeared in CodeScoring within the wait-timeout of 30m (start is false); " +
				"the newest analysis of project 340 is 960, of main @ b (success)",
			wantErrIs: ErrWaitTimeout,
			wantHint:  "check that CodeScoring analyses commit 9fceb02d0ae5 on its own",
			check: func(t *testing.T, s *fakeServer, o *Outcome) {
				t.Helper()
				if o.Elapsed != 30*time.Minute {
					t.Errorf("Elapsed %v, want the wait-timeout", o.Elapsed)
				}
				// The poll schedule's budget: at most T/10 s + 15 requests.
				if n, limit := s.count("RecentAnalyses"), 30*60/10+15; n > limit {
					t.Errorf("%d listings in 30 min, want at most %d", n, limit)
				}
				if o.Source != SourceNone || o.Analysis != nil {
					t.Errorf("Source %v, Analysis %v; want none", o.Source, o.Analysis)
				}
			},
		},
		{
			name: "start false without a commit takes the newest of the ref, and says so",
			cfg:  func(c *Config) { c.Start, c.Commit = false, "" },
			setup: func(s *fakeServer) {
				s.addAnalysis(950, "feature/login", "a1b2c3d4e5f6a7b8", time.Hour, lifecycle(time.Minute, api.StatusSuccess))
				s.addAnalysis(960, "main", "b", 10*time.Second, lifecycle(time.Minute, api.StatusSuccess))
			},
			wantVerdict:  VerdictPass,
			wantAnalysis: 950,
			wantAttached: true,
			check: func(t *testing.T, s *fakeServer, o *Outcome) {
				t.Helper()
				if want := "No commit was given, so the gate decided on the newest analysis of feature/login (commit a1b2c3d4e5f6), which may not be this build's code."; o.Fallback.String() != want {
					t.Errorf("Fallback %q, want %q", o.Fallback, want)
				}
				if o.Source != SourceFound {
					t.Errorf("Source %v, want %v", o.Source, SourceFound)
				}
			},
		},
		{
			name: "start false on a finished analysis decides at once",
			cfg:  func(c *Config) { c.Start = false },
			setup: func(s *fakeServer) {
				blockingData(s)
				s.addAnalysis(950, "feature/login", commit, time.Hour, lifecycle(time.Minute, api.StatusSuccess))
			},
			wantVerdict:  VerdictFail,
			wantAnalysis: 950,
			wantAttached: true,
			check: func(t *testing.T, s *fakeServer, o *Outcome) {
				t.Helper()
				if s.gets != 0 || o.Elapsed != 0 {
					t.Errorf("%d status requests in %v, want none", s.gets, o.Elapsed)
				}
			},
		},
		{
			name:        "start false and no analysis",
			cfg:         func(c *Config) { c.Start = false },
			wantVerdict: VerdictError,
			wantErr:     "no analysis of commit 9fceb02d0ae5 appeared in CodeScoring within the wait-timeout of 30m (start is false); project 340 has no analysis",
			wantErrIs:   ErrWaitTimeout,
			wantHint:    "or set the `start` input to true to start the analysis",
		},
		{
			name: "failed analysis",
			setup: func(s *fakeServer) {
				blockingData(s)
				s.newPhases = lifecycle(time.Minute, api.StatusFailed)
				s.newError = "cannot resolve poetry.lock"
			},
			wantVerdict:  VerdictError,
			wantAnalysis: 977,
			wantStarts:   1,
			wantErr:      "analysis 977 failed in CodeScoring: cannot resolve poetry.lock",
			wantHint:     "re-run",
			check: func(t *testing.T, s *fakeServer, o *Outcome) {
				t.Helper()
				if s.count("Policies")+s.count("Alerts") != 0 || o.Decision != nil {
					t.Errorf("read policies/alerts of a failed analysis (decision %v), want not", o.Decision)
				}
			},
		},
		{
			name:         "failed analysis without a message",
			setup:        func(s *fakeServer) { s.newPhases = lifecycle(time.Minute, api.StatusFailed) },
			wantVerdict:  VerdictError,
			wantAnalysis: 977,
			wantStarts:   1,
			wantErr:      "analysis 977 failed in CodeScoring: CodeScoring gave no reason",
		},
		{
			name:         "canceled analysis",
			setup:        func(s *fakeServer) { s.newPhases = lifecycle(time.Minute, api.StatusCanceled) },
			wantVerdict:  VerdictError,
			wantAnalysis: 977,
			wantStarts:   1,
			wantErr:      "analysis 977 was canceled in CodeScoring",
			wantHint:     "re-run",
		},
		{
			name:         "unknown status is not finished",
			setup:        func(s *fakeServer) { s.newPhases = []phase{{0, "queued"}, {time.Minute, api.StatusSuccess}} },
			wantVerdict:  VerdictPass,
			wantAnalysis: 977,
			wantStarts:   1,
		},
		{
			name:         "never finishes: error at the deadline",
			setup:        func(s *fakeServer) { s.newPhases = lifecycle(-1, "") },
			wantVerdict:  VerdictError,
			wantAnalysis: 977,
			wantStarts:   1,
			wantErr:      "analysis 977 did not finish within 30m (last status in_progress, waited 30m0s)",
			wantErrIs:    ErrWaitTimeout,
			wantHint:     "raise the `wait-timeout` input (now 30m)",
			check: func(t *testing.T, s *fakeServer, o *Outcome) {
				t.Helper()
				if got, want := o.Elapsed, 30*time.Minute; got != want {
					t.Errorf("Elapsed %v, want %v", got, want)
				}
				if s.gets > 30*6+15 {
					t.Errorf("%d status requests, want at most %d", s.gets, 30*6+15)
				}
			},
		},
		{
			name:         "a wait-timeout of zero is the default",
			cfg:          func(c *Config) { c.WaitTimeout = 0 },
			setup:        func(s *fakeServer) { s.newPhases = lifecycle(-1, "") },
			wantVerdict:  VerdictError,
			wantAnalysis: 977,
			wantStarts:   1,
			wantErr:      "did not finish within 30m",
			wantErrIs:    ErrWaitTimeout,
		},
		{
			name:         "hanging status request: the deadline holds",
			cfg:          func(c *Config) { c.WaitTimeout = 90 * time.Second },
			setup:        func(s *fakeServer) { s.hang["GetAnalysis"] = true },
			wantVerdict:  VerdictError,
			wantAnalysis: 977,
			wantStarts:   1,
			wantErr:      "analysis 977 did not finish within 1m30s (last status pending, waited 1m30s)",
			wantErrIs:    ErrWaitTimeout,
			check: func(t *testing.T, _ *fakeServer, o *Outcome) {
				t.Helper()
				if got, want := o.Elapsed, 90*time.Second; got != want {
					t.Errorf("Elapsed %v, want %v", got, want)
				}
			},
		},
		{
			name:        "hanging project request: the deadline holds",
			setup:       func(s *fakeServer) { s.hang["GetProject"] = true },
			wantVerdict: VerdictError,
			wantErr:     "get project 340: no answer from CodeScoring within the wait-timeout of 30m (waited 30m0s)",
			wantErrIs:   ErrWaitTimeout,
			wantHint:    "`wait-timeout`",
		},
		{
			name:         "hanging alerts request: the deadline holds",
			setup:        func(s *fakeServer) { s.hang["Alerts"] = true },
			wantVerdict:  VerdictError,
			wantAnalysis: 977,
			wantStarts:   1,
			wantErr:      "read policies and alerts of analysis 977: no answer from CodeScoring within the wait-timeout",
			wantErrIs:    ErrWaitTimeout,
		},
		{
			name:         "cancelled during a status request",
			cancelOn:     "GetAnalysis",
			wantVerdict:  VerdictError,
			wantAnalysis: 977,
			wantStarts:   1,
			wantErr:      "read status of analysis 977: cancelled",
			wantErrIs:    ErrCancelled,
			wantHint:     "cancelled",
		},
		{
			name:        "cancelled before the start",
			cancelOn:    "before",
			wantVerdict: VerdictError,
			wantErr:     "get project 340: cancelled",
			wantErrIs:   ErrCancelled,
		},
		{
			name: "401 on the project",
			setup: func(s *fakeServer) {
				s.errs["GetProject"] = &api.APIError{StatusCode: http.StatusUnauthorized, Method: "GET", Path: "/api/projects/340/"}
			},
			wantVerdict: VerdictError,
			wantErr:     "get project 340: CodeScoring answered GET /api/projects/340/ with 401",
			wantHint:    "`token`",
		},
		{
			name:        "error finding the project",
			cfg:         func(c *Config) { c.Project = "payments-service" },
			setup:       func(s *fakeServer) { s.errs["FindProject"] = errBoom },
			wantVerdict: VerdictError,
			wantErr:     `find project "payments-service": boom`,
			wantErrIs:   errBoom,
		},
		{
			name:        "error listing analyses",
			setup:       func(s *fakeServer) { s.errs["RecentAnalyses"] = errBoom },
			wantVerdict: VerdictError,
			wantErr:     "list recent analyses of project 340: boom",
			wantErrIs:   errBoom,
		},
		{
			name:        "error listing analyses with start false",
			cfg:         func(c *Config) { c.Start = false },
			setup:       func(s *fakeServer) { s.errs["RecentAnalyses"] = errBoom },
			wantVerdict: VerdictError,
			wantErr:     "list recent analyses of project 340: boom",
			wantErrIs:   errBoom,
		},
		{
			name: "403 on start",
			setup: func(s *fakeServer) {
				s.startErr = &api.APIError{StatusCode: http.StatusForbidden, Method: "POST", Path: "/api/analyses/projects/sca/start/"}
			},
			wantVerdict: VerdictError,
			wantStarts:  1,
			wantErr:     "start analysis of project 340: CodeScoring answered POST",
			wantHint:    "Developer or Owner",
		},
		{
			name:         "error reading the status",
			setup:        func(s *fakeServer) { s.errs["GetAnalysis"] = errBoom },
			wantVerdict:  VerdictError,
			wantAnalysis: 977,
			wantStarts:   1,
			wantErr:      "read status of analysis 977: boom",
			wantErrIs:    errBoom,
		},
		{
			name:         "error reading policies",
			setup:        func(s *fakeServer) { s.errs["Policies"] = errBoom },
			wantVerdict:  VerdictError,
			wantAnalysis: 977,
			wantStarts:   1,
			wantErr:      "read policies: boom",
			wantErrIs:    errBoom,
		},
		{
			name:         "error reading alerts",
			setup:        func(s *fakeServer) { s.errs["Alerts"] = errBoom },
			wantVerdict:  VerdictError,
			wantAnalysis: 977,
			wantStarts:   1,
			wantErr:      "read alerts of analysis 977: boom",
			wantErrIs:    errBoom,
		},
		{
			name: "errors reading policies and alerts",
			setup: func(s *fakeServer) {
				s.errs["Policies"] = errBoom
				s.errs["Alerts"] = errors.New("bang")
			},
			wantVerdict:  VerdictError,
			wantAnalysis: 977,
			wantStarts:   1,
			wantErr:      "read policies and alerts of analysis 977: policies: boom\nalerts: bang",
			wantErrIs:    errBoom,
		},
		{
			name:        "a panicking server is an error",
			setup:       func(s *fakeServer) { s.panics["GetProject"] = true },
			wantVerdict: VerdictError,
			wantErr:     "internal error: fake GetProject panics",
		},
		{
			name:         "a panicking server in a goroutine is an error",
			setup:        func(s *fakeServer) { s.panics["Alerts"] = true },
			wantVerdict:  VerdictError,
			wantAnalysis: 977,
			wantStarts:   1,
			wantErr:      "read alerts of analysis 977: internal error: fake Alerts panics",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				opts := testOptions()
				opts.ReportURL = func(id int64) string { return fmt.Sprintf("https://cs.example/projects/%d", id) }

				srv, cfg, got := runFakeCtx(ctx, opts, func(srv *fakeServer, cfg *Config) {
					if tc.cfg != nil {
						tc.cfg(cfg)
					}
					if tc.setup != nil {
						tc.setup(srv)
					}
					switch tc.cancelOn {
					case "":
					case "before":
						cancel()
					default:
						srv.onCall = func(method string) {
							if method == tc.cancelOn {
								cancel()
							}
						}
					}
				})

				checkOutcome(t, tc, srv, cfg, got)
			})
		})
	}
}

// wantLookups checks that the project was looked up find times by name and
// get times by id.
func wantLookups(find, get int) func(*testing.T, *fakeServer, *Outcome) {
	return func(t *testing.T, s *fakeServer, _ *Outcome) {
		t.Helper()
		if s.count("FindProject") != find || s.count("GetProject") != get {
			t.Errorf("FindProject ×%d, GetProject ×%d; want %d, %d", s.count("FindProject"), s.count("GetProject"), find, get)
		}
	}
}

// raceSameCommit makes analysis 960 of the configured commit appear when
// StartAnalysis is called: another job of the same commit started it after
// the gate looked at the recent analyses.
func raceSameCommit(s *fakeServer) func(string) {
	return func(method string) {
		if method != "StartAnalysis" {
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		if _, ok := s.analyses[960]; !ok {
			s.addAnalysis(960, "feature/login", commit, 10*time.Second, lifecycle(20*time.Second, api.StatusSuccess))
		}
	}
}

func checkOutcome(t *testing.T, tc runCase, srv *fakeServer, cfg Config, got *Outcome) {
	t.Helper()
	if got == nil {
		t.Fatal("Run returned nil")
	}
	if got.Verdict != tc.wantVerdict {
		t.Errorf("verdict %s (err %v), want %s", got.Verdict, got.Err, tc.wantVerdict)
	}
	switch {
	case tc.wantErr == "" && got.Err != nil:
		t.Errorf("Err %v, want nil", got.Err)
	case tc.wantErr != "" && (got.Err == nil || !strings.Contains(got.Err.Error(), tc.wantErr)):
		t.Errorf("Err %v, want it to contain %q", got.Err, tc.wantErr)
	}
	if tc.wantErrIs != nil && !errors.Is(got.Err, tc.wantErrIs) {
		t.Errorf("Err %v is not %v", got.Err, tc.wantErrIs)
	}
	if !strings.Contains(got.Hint, tc.wantHint) {
		t.Errorf("Hint %q, want it to contain %q", got.Hint, tc.wantHint)
	}
	if got.Verdict == VerdictError && got.Decision != nil {
		t.Errorf("an error outcome has a decision")
	}
	if got.Verdict != VerdictError && (got.Analysis == nil || got.Analysis.Status != api.StatusSuccess) {
		t.Errorf("verdict %s without a successful analysis (%+v)", got.Verdict, got.Analysis)
	}
	var gotID int64
	if got.Analysis != nil {
		gotID = got.Analysis.ID
	}
	if gotID != tc.wantAnalysis {
		t.Errorf("analysis %d, want %d", gotID, tc.wantAnalysis)
	}
	if got.Attached != tc.wantAttached {
		t.Errorf("Attached %t, want %t", got.Attached, tc.wantAttached)
	}
	if len(srv.starts) != tc.wantStarts {
		t.Errorf("%d analyses started, want %d", len(srv.starts), tc.wantStarts)
	}
	if got.Config != cfg {
		t.Errorf("Config %+v, want %+v", got.Config, cfg)
	}
	if got.DecidedAt.IsZero() {
		t.Error("DecidedAt is zero")
	}
	srv.mu.Lock()
	inflight := srv.inflight
	srv.mu.Unlock()
	if inflight != 0 {
		t.Errorf("%d Server calls still running after Run returned, want 0", inflight)
	}
	if tc.check != nil {
		tc.check(t, srv, got)
	}
}

// TestRunCancelStopsAtOnce checks that a cancelled run makes no more calls
// and does not wait out its schedule.
func TestRunCancelStopsAtOnce(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		srv, _, out := runFakeCtx(ctx, testOptions(), func(s *fakeServer, _ *Config) {
			s.newPhases = lifecycle(-1, "")
			s.onCall = func(method string) {
				if method == "GetAnalysis" && s.count("GetAnalysis") == 3 {
					cancel()
				}
			}
		})
		if !errors.Is(out.Err, ErrCancelled) {
			t.Fatalf("Err %v, want cancelled", out.Err)
		}
		if got := srv.count("GetAnalysis"); got != 3 {
			t.Errorf("%d status requests, want 3: none after the cancel", got)
		}
		if out.Elapsed > 5*time.Second {
			t.Errorf("Elapsed %v, want the time of the third request (about 3s)", out.Elapsed)
		}
	})
}

// TestRunRealTime runs on the real clock and timers (the zero Options).
func TestRunRealTime(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name        string
		setup       func(*fakeServer)
		timeout     time.Duration
		wantVerdict Verdict
		wantErrIs   error
	}{
		{
			name:        "finished at start",
			setup:       func(s *fakeServer) { s.newPhases = []phase{{0, api.StatusSuccess}} },
			timeout:     time.Minute,
			wantVerdict: VerdictPass,
		},
		{
			name:        "hanging status request ends at the wait-timeout",
			setup:       func(s *fakeServer) { s.hang["Alerts"] = true; s.newPhases = []phase{{0, api.StatusSuccess}} },
			timeout:     50 * time.Millisecond,
			wantVerdict: VerdictError,
			wantErrIs:   ErrWaitTimeout,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newFakeServer()
			tc.setup(srv)
			cfg := defaultConfig()
			cfg.WaitTimeout = tc.timeout
			got := Run(context.Background(), srv, cfg, Options{})
			if got.Verdict != tc.wantVerdict {
				t.Errorf("verdict %s (%v), want %s", got.Verdict, got.Err, tc.wantVerdict)
			}
			if tc.wantErrIs != nil && !errors.Is(got.Err, tc.wantErrIs) {
				t.Errorf("Err %v, want %v", got.Err, tc.wantErrIs)
			}
		})
	}
}

func TestRunNilServer(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		atT0()
		got := Run(context.Background(), nil, defaultConfig(), testOptions())
		if got == nil || got.Verdict != VerdictError || got.Err == nil {
			t.Fatalf("Run with a nil Server = %+v, want an error outcome", got)
		}
	})
}

// TestRunLogsAttach checks that attaching, queueing and an analysis of
// another commit are said in the log.
func TestRunLogsAttach(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		setup func(*fakeServer, *Config)
		want  []string
	}{
		{
			name: "409 for the same commit",
			setup: func(s *fakeServer, _ *Config) {
				s.onCall = raceSameCommit(s)
				s.busy, s.busyNamesID = true, true
			},
			want: []string{"attaching to analysis 960 (feature/login @ " + commit[:12] + ", in_progress): CodeScoring says it is already running"},
		},
		{
			name: "409 for another commit",
			setup: func(s *fakeServer, _ *Config) {
				s.addAnalysis(960, "main", "0123456789abcdef", 10*time.Second, lifecycle(20*time.Second, api.StatusSuccess))
				s.busy, s.busyNamesID = true, true
			},
			want: []string{
				"analysis 960 of main @ 0123456789ab is running (for 10s), and CodeScoring runs one analysis of a project at a time: waiting for it to finish, then starting one of feature/login @ " + commit[:12],
				"analysis 960 of main @ 0123456789ab finished (success): the project is free",
				"started analysis 977 of project 340 (feature/login @ " + commit[:12] + ")",
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				opts, log := logText(testOptions())
				if _, _, o := runFake(opts, tc.setup); o.Verdict != VerdictPass {
					t.Errorf("verdict %s (%v), want pass", o.Verdict, o.Err)
				}
				for _, want := range tc.want {
					if !strings.Contains(log(), want) {
						t.Errorf("log:\n%s\nwant a line with %q", log(), want)
					}
				}
			})
		})
	}
}

// TestRunStale409 checks that a 409 naming a finished analysis is retried
// once, then reported instead of looping.
func TestRunStale409(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, _, o := runFake(testOptions(), func(s *fakeServer, _ *Config) {
			s.addAnalysis(960, "main", "other", time.Hour, lifecycle(time.Minute, api.StatusSuccess))
			s.startErr = &api.AlreadyRunningError{AnalysisID: 960}
		})
		if o.Verdict != VerdictError || o.Err == nil || !strings.Contains(o.Err.Error(), "names analysis 960, which has finished") {
			t.Errorf("outcome %s, %v; want an error naming the finished analysis", o.Verdict, o.Err)
		}
		if got := srv.count("StartAnalysis"); got != 2 {
			t.Errorf("StartAnalysis ×%d, want 2", got)
		}
	})
}

func TestShortDuration(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   time.Duration
		want string
	}{
		{30 * time.Minute, "30m"},
		{90 * time.Minute, "1h30m"},
		{2 * time.Hour, "2h"},
		{90 * time.Second, "1m30s"},
		{45 * time.Second, "45s"},
		{50 * time.Millisecond, "50ms"},
	} {
		t.Run(tc.want, func(t *testing.T) {
			t.Parallel()
			if got := shortDuration(tc.in); got != tc.want {
				t.Errorf("shortDuration(%v) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
