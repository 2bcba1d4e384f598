package gate

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cenkalti/backoff/v4"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
	"github.com/codescoring-gate/codescoring-gate/internal/i18n"
)

// DefaultWaitTimeout is the wait-timeout of a Config that sets none.
const DefaultWaitTimeout = 30 * time.Minute

// recentLimit is how many of a project's newest analyses Run looks at to
// find one to attach to.
const recentLimit = 10

// The reasons of an error outcome that callers may want to tell apart, with
// errors.Is on Outcome.Err.
var (
	// ErrWaitTimeout is in the chain of Err when the wait-timeout ran out.
	ErrWaitTimeout = errors.New("wait-timeout reached")
	// ErrCancelled is in the chain of Err when the caller's context was
	// cancelled (the job was cancelled).
	ErrCancelled = errors.New("cancelled")
)

// Options are what Run is given from outside: the poll schedule, logging,
// randomness. The zero value polls on the default schedule and logs nothing.
// Run measures time on the real clock (time.Now, time.NewTimer, a context
// deadline), which a testing/synctest bubble fakes.
type Options struct {
	// Schedule says how long to wait between status requests; Run resets it
	// when it starts. Nil means NewPollSchedule(Rand).
	Schedule backoff.BackOff
	// Rand draws the jitter of the default schedule; nil means math/rand/v2's
	// global source.
	Rand *rand.Rand
	// Logf prints a progress line; nil prints nothing.
	Logf func(format string, args ...any)
	// ReportURL returns the project's page in CodeScoring; nil leaves
	// Outcome.ReportURL empty.
	ReportURL func(projectID int64) string
	// Audience says how Outcome.Hint names the settings.
	Audience Audience
}

// Run gates one build: it resolves the project, starts an analysis or
// attaches to a running one, polls it until it finishes or cfg.WaitTimeout
// runs out (measured from Run's start, also while a Server call hangs: the
// wait-timeout is a deadline of the context every call gets), then reads the
// policies and alerts and decides. Every failure is an Outcome with
// VerdictError and Err set; an analysis that did not finish with success is
// never a pass. Run never returns nil, never panics, and leaves no goroutine
// behind.
func Run(ctx context.Context, srv Server, cfg Config, opts Options) (out *Outcome) {
	out = &Outcome{Config: cfg}
	r := &runner{srv: srv, cfg: cfg, opts: opts, out: out}
	// Deferred first, so it runs last: after the goroutines are gone.
	defer func() {
		if p := recover(); p != nil {
			r.fail(&gateError{kind: kindBug, said: saying{say("fact.internal", p)}})
		}
		if !r.start.IsZero() {
			out.DecidedAt = time.Now()
			out.Elapsed = out.DecidedAt.Sub(r.start)
		}
	}()
	r.start = time.Now()
	if ctx == nil {
		ctx = context.Background()
	}
	defer r.begin(ctx)()

	if srv == nil {
		r.fail(&gateError{kind: kindBug, said: saying{say("fact.noclient")}})
		return out
	}
	r.run()
	return out
}

// runner is the state of one Run.
type runner struct {
	srv   Server
	cfg   Config
	opts  Options
	out   *Outcome
	sched backoff.BackOff

	start    time.Time
	deadline time.Time
	timeout  time.Duration

	parent context.Context // the caller's
	ctx    context.Context // parent, with the deadline

	// usual is the median duration of the project's recent successful
	// analyses (zero: unknown); seen is when the gate first saw an analysis
	// without started_at; slowSaid the analyses said to take long.
	usual    time.Duration
	seen     map[int64]time.Time
	slowSaid map[int64]bool
}

// errDeadline is the cause of r.ctx's end at the deadline.
var errDeadline = errors.New("wait-timeout deadline reached")

// begin fills in the defaults and makes r.ctx, which ends at the deadline;
// the returned func releases it.
func (r *runner) begin(parent context.Context) (end func()) {
	if r.opts.Logf == nil {
		r.opts.Logf = func(string, ...any) {}
	}
	r.sched = r.opts.Schedule
	if r.sched == nil {
		r.sched = NewPollSchedule(r.opts.Rand)
	}
	r.sched.Reset()

	r.timeout = r.cfg.WaitTimeout
	if r.timeout <= 0 {
		r.timeout = DefaultWaitTimeout
	}
	r.deadline = r.start.Add(r.timeout)
	r.parent = parent
	ctx, cancel := context.WithDeadlineCause(parent, r.deadline, errDeadline)
	r.ctx = ctx
	return cancel
}

func (r *runner) logf(format string, args ...any) {
	r.opts.Logf(format, i18n.New(r.opts.Audience.Lang).Args(args)...)
}

// fail makes the outcome an error, with Advice for it. The decision is
// dropped: an error is never a pass, nor a fail that could be mistaken for a
// policy verdict.
func (r *runner) fail(err error) {
	r.out.Verdict = VerdictError
	r.out.Err = err
	r.out.Hint = Advice(err, r.opts.Audience)
	r.out.Decision = nil
}

// failCall makes the outcome an error after the Server call op failed while
// the gate was doing what doing says. A cancelled run or a run past its
// deadline is said as such, whatever error the call returned.
func (r *runner) failCall(op Op, doing said, err error) {
	switch {
	case r.cancelled():
		r.fail(&cancelledError{said: saying{doing, say("fact.cancelled")}})
	case r.pastDeadline():
		msg := saying{say("fact.noanswer", doing, shortDuration(r.timeout), r.waited())}
		// What the retries met says more than the deadline: a host that
		// refuses connections, a proxy answering 503.
		last := lastAttempt(err)
		if last != nil {
			msg = append(msg, say("fact.lastattempt", last))
		}
		r.fail(&timeoutError{said: msg, Timeout: r.timeout, Last: last})
	default:
		r.fail(&CallError{Op: op, Doing: doing.In(i18n.English), Err: err, doing: doing})
	}
}

// lastAttempt returns the error of the client's last attempt inside err, or
// nil when err only says that the deadline passed.
func lastAttempt(err error) error {
	var attempts *api.AttemptsError
	if errors.As(err, &attempts) {
		err = attempts.Err
	}
	if err == nil || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) || errors.Is(err, errDeadline) {
		return nil
	}
	return err
}

func (r *runner) cancelled() bool { return r.parent.Err() != nil }

func (r *runner) pastDeadline() bool {
	return errors.Is(context.Cause(r.ctx), errDeadline) || !time.Now().Before(r.deadline)
}

func (r *runner) waited() time.Duration { return time.Since(r.start).Round(time.Second) }

func (r *runner) run() {
	p := r.project()
	if p == nil {
		return
	}
	r.out.Project = p
	if r.opts.ReportURL != nil {
		r.out.ReportURL = r.opts.ReportURL(p.ID)
	}
	base, stopBase := r.startBaseline(p)
	defer stopBase()

	a := r.analysis(p)
	if a == nil {
		return
	}
	r.out.Analysis = a

	a = r.wait(a)
	if a == nil {
		return
	}
	switch a.Status {
	case api.StatusSuccess:
	default: // failed or canceled; the loop ends on finished statuses only
		r.fail(&AnalysisError{ID: a.ID, Status: a.Status, Message: serverMessage(a)})
		return
	}

	d := r.decide(p, a, base)
	if d == nil {
		return
	}
	r.out.Decision = d
	r.out.Verdict = VerdictFor(d, r.cfg.Mode)
	r.logf("analysis %d: %d blocking, %d warnings, %d upcoming: %s",
		a.ID, len(d.Blocking), len(d.Warnings), len(d.Upcoming), r.out.Verdict)
}

func serverMessage(a *api.Analysis) string {
	if msg := strings.TrimSpace(a.Error); msg != "" {
		return msg
	}
	return "CodeScoring gave no reason"
}

// project resolves cfg.Project: all digits is an id, anything else a name.
func (r *runner) project() *api.Project {
	ref := strings.TrimSpace(r.cfg.Project)
	if ref == "" {
		r.fail(&gateError{kind: kindProjectRef, said: saying{say("fact.noproject")}})
		return nil
	}
	var (
		p     *api.Project
		err   error
		op    Op
		doing said
	)
	if allDigits(ref) {
		id, perr := strconv.ParseInt(ref, 10, 64)
		if perr != nil {
			r.fail(&gateError{kind: kindProjectRef, said: saying{say("fact.projectid", ref, perr)}})
			return nil
		}
		op, doing = OpGetProject, say("doing.getproject", id)
		p, err = r.srv.GetProject(r.ctx, id)
	} else {
		op, doing = OpFindProject, say("doing.findproject", ref)
		p, err = r.srv.FindProject(r.ctx, ref)
	}
	if err == nil && p == nil {
		err = &gateError{kind: kindNoResult, said: saying{say("fact.noresult.project")}}
	}
	if err != nil {
		r.failCall(op, doing, err)
		return nil
	}
	r.logf("CodeScoring project %d %q", p.ID, p.Name)
	return p
}

func allDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

// analysis returns the analysis to wait for: one it starts, or one it
// attaches to (Outcome.Attached).
func (r *runner) analysis(p *api.Project) *api.Analysis {
	if !r.cfg.Start {
		return r.await(p)
	}

	doing := say("doing.recent", p.ID)
	recent, err := r.srv.RecentAnalyses(r.ctx, p.ID, recentLimit)
	if err != nil {
		r.failCall(OpRecentAnalyses, doing, err)
		return nil
	}
	r.learn(recent)
	if a := r.reusable(recent); a != nil {
		return r.reuse(a)
	}
	if a := r.sameUnfinished(recent); a != nil {
		return r.attach(a, r.t("attach.running."+r.sameWhat()))
	}

	req := api.StartRequest{Project: p.ID, BranchOrTag: r.cfg.Ref, Commit: r.cfg.Commit}
	waitedFor := map[int64]bool{}
	for {
		a, err := r.srv.StartAnalysis(r.ctx, req)
		var running *api.AlreadyRunningError
		switch {
		case errors.As(err, &running):
		case err != nil:
			r.failCall(OpStartAnalysis, say("doing.start", p.ID), err)
			return nil
		case a == nil:
			r.fail(&gateError{kind: kindNoResult, said: saying{say("doing.start", p.ID), say("fact.noresult.start")}})
			return nil
		default:
			r.logf("started analysis %d of project %d (%s)", a.ID, p.ID, describe(a.BranchOrTag, a.Commit))
			r.out.Attached, r.out.Source = false, SourceStarted
			return a
		}

		other := r.running(p, running)
		if other == nil {
			return nil
		}
		if other.Status.Finished() {
			// It finished between the 409 and the read: start again, once.
			if waitedFor[other.ID] {
				r.fail(&gateError{kind: kindQueue, said: saying{say("doing.start", p.ID), say("fact.queue.finished", other.ID)}})
				return nil
			}
			waitedFor[other.ID] = true
			continue
		}
		if (r.cfg.Commit == "" && r.cfg.Ref == "") || r.same(other) {
			return r.attach(other, r.t("attach.says"))
		}
		// Another commit's analysis holds the project. Its alerts are not
		// this build's, so the gate queues behind it and then starts its own.
		// The poll schedule is not reset: its waits stay a share of all the
		// time this job has waited.
		waitedFor[other.ID] = true
		switch a, q := r.queue(p, other); q {
		case queueFailed:
			return nil
		case queueUse:
			return a
		}
	}
}

// running returns the analysis that a 409 says is running: the one it names,
// else the newest unfinished one of the project. It returns nil after
// recording the failure.
func (r *runner) running(p *api.Project, e *api.AlreadyRunningError) *api.Analysis {
	if e.AnalysisID != 0 {
		a, err := r.srv.GetAnalysis(r.ctx, e.AnalysisID)
		if err == nil && a == nil {
			err = &gateError{kind: kindNoResult, said: saying{say("fact.noresult.analysis")}}
		}
		if err != nil {
			r.failCall(OpGetAnalysis, say("doing.readanalysis", e.AnalysisID), err)
			return nil
		}
		return a
	}
	recent, err := r.srv.RecentAnalyses(r.ctx, p.ID, recentLimit)
	if err != nil {
		r.failCall(OpRecentAnalyses, say("doing.recent", p.ID), err)
		return nil
	}
	for i := range recent {
		if !recent[i].Status.Finished() {
			return &recent[i]
		}
	}
	r.fail(&gateError{kind: kindQueue, said: saying{say("doing.start", p.ID), say("fact.queue.none", len(recent))}})
	return nil
}

// reusable returns the analysis of recent to decide on instead of starting
// one: the newest analysis of the configured commit, when it succeeded at
// most cfg.ReuseMaxAge ago. Nil when reuse is off, no commit is known, or
// the newest of the commit is running, failed, stale or has no finish time.
func (r *runner) reusable(recent []api.Analysis) *api.Analysis {
	if r.cfg.ReuseMaxAge <= 0 || strings.TrimSpace(r.cfg.Commit) == "" {
		return nil
	}
	for i := range recent {
		a := &recent[i]
		if !r.same(a) {
			continue
		}
		if a.Status != api.StatusSuccess || a.FinishedAt.IsZero() || time.Since(a.FinishedAt) > r.cfg.ReuseMaxAge {
			return nil
		}
		return a
	}
	return nil
}

// reuse records that the gate decides on a, a fresh success of the same
// commit, without starting an analysis.
func (r *runner) reuse(a *api.Analysis) *api.Analysis {
	age := max(time.Since(a.FinishedAt), 0)
	r.out.Attached, r.out.Source, r.out.ReusedAge = true, SourceReused, age
	r.logf("reused analysis %d of %s, finished %s (reuse-max-age %s): no analysis started; the policies and alert statuses are read now",
		a.ID, shortCommit(a.Commit), ago(age), shortDuration(r.cfg.ReuseMaxAge))
	return a
}

// ago says how long ago something happened, for a log line: "just now",
// "40 s ago", "12 min ago", "2 h 5 min ago", in the reader's words.
func ago(d time.Duration) Text {
	switch {
	case d < time.Second:
		return say("ago.now")
	case d < time.Minute:
		return say("ago.s", int(d/time.Second))
	case d < time.Hour:
		return say("ago.min", int(d/time.Minute))
	case d%time.Hour < time.Minute:
		return say("ago.h", int(d/time.Hour))
	}
	return say("ago.hmin", int(d/time.Hour), int(d%time.Hour/time.Minute))
}

// sameWhat names what sameUnfinished matches on.
// t is the message key in the language of the run's audience, for what
// the gate composes into its progress lines.
func (r *runner) t(key string, args ...any) string {
	return i18n.New(r.opts.Audience.Lang).T(key, args...)
}

func (r *runner) sameWhat() string {
	if r.cfg.Commit != "" {
		return "commit"
	}
	return "ref"
}

// sameUnfinished returns the newest unfinished analysis of recent for the
// configured commit, or, without a commit, the configured ref.
func (r *runner) sameUnfinished(recent []api.Analysis) *api.Analysis {
	if r.cfg.Commit == "" && r.cfg.Ref == "" {
		return nil
	}
	for i := range recent {
		a := &recent[i]
		if !a.Status.Finished() && r.same(a) {
			return a
		}
	}
	return nil
}

// same reports whether a is for the configured commit, or, without a commit,
// the configured ref.
func (r *runner) same(a *api.Analysis) bool {
	if r.cfg.Commit != "" {
		return strings.EqualFold(strings.TrimSpace(a.Commit), strings.TrimSpace(r.cfg.Commit))
	}
	return r.cfg.Ref != "" && a.BranchOrTag == r.cfg.Ref
}

// attach records that the gate waits for an analysis it did not start.
func (r *runner) attach(a *api.Analysis, why string) *api.Analysis {
	r.out.Attached, r.out.Source = true, SourceAttached
	if a.Status.Finished() {
		r.out.Source = SourceFound
	}
	r.logf("attaching to analysis %d (%s, %s): %s", a.ID, describe(a.BranchOrTag, a.Commit), a.Status, why)
	if r.cfg.Commit != "" && a.Commit != "" && !r.same(a) {
		r.logf("warning: analysis %d is for commit %s, not %s: its alerts may not match this build",
			a.ID, a.Commit, r.cfg.Commit)
	}
	return a
}

// describe says a ref and a commit for a log line: "main @ 9fceb02d0ae5",
// "default branch" without a ref.
func describe(ref, commit string) Text {
	of := Plain(ref)
	if ref == "" {
		of = say("ref.default")
	}
	if commit == "" {
		return of
	}
	return say("ref.at", of, shortCommit(commit))
}

// decide reads the policies and the alerts of a, concurrently, and decides,
// with the baseline when one is being read.
func (r *runner) decide(p *api.Project, a *api.Analysis, base *baselineRead) *Decision {
	var (
		wg               sync.WaitGroup
		policies         []api.Policy
		alerts           []api.Alert
		polErr, alertErr error
	)
	wg.Add(2)
	go func() {
		defer wg.Done()
		defer catch(&polErr)
		policies, polErr = r.srv.Policies(r.ctx)
	}()
	go func() {
		defer wg.Done()
		defer catch(&alertErr)
		alerts, alertErr = r.srv.Alerts(r.ctx, p.ID, a.ID)
	}()
	wg.Wait()

	both := say("doing.both", a.ID)
	switch {
	case (polErr != nil || alertErr != nil) && (r.cancelled() || r.pastDeadline()):
		// The other request may have failed only because of that.
		r.failCall(OpReadAlerts, both, errors.Join(polErr, alertErr))
		return nil
	case polErr != nil && alertErr != nil:
		r.failCall(OpReadPolicies, both, errors.Join(&partError{part: say("fact.part.policies"), Err: polErr}, &partError{part: say("fact.part.alerts"), Err: alertErr}))
		return nil
	case polErr != nil:
		r.failCall(OpReadPolicies, say("doing.policies"), polErr)
		return nil
	case alertErr != nil:
		r.failCall(OpReadAlerts, say("doing.alerts", a.ID), alertErr)
		return nil
	}
	in := DecideInput{Policies: policies, Alerts: alerts, Stage: r.cfg.Stage, Now: time.Now(), BlockOn: r.cfg.BlockOn}
	if base != nil {
		r.out.Baseline, in.Baseline, in.BaselineKeys = base.result(r.ctx, a)
		in.HasBaseline, in.BaselineRef = r.out.Baseline.Analysis != nil, r.cfg.BaselineRef
		r.logBaseline(r.out.Baseline)
	}
	return Decide(in)
}

// catch turns a panic of a goroutine into an error; Run's own recover cannot
// see it.
func catch(err *error) {
	if p := recover(); p != nil {
		*err = fmt.Errorf("internal error: %v", p)
	}
}

// shortDuration writes d as a user would configure it: 30m, 1h30m, 90s.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
