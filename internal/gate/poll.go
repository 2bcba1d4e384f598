package gate

import (
	"errors"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/cenkalti/backoff/v4"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
)

// The bounds of the poll schedule: the wait before the next status request
// is at most PollCap of the time waited so far, so that a finished analysis
// is seen within max(0.9 s, 20 % of its duration), and at most 10 s, after it
// finished.
const (
	// MinPollCap is the longest wait allowed at the start, while 20 % of the
	// time waited is shorter. It is under 1 s so that a 2 s analysis plus the
	// gate's own work stays within 1 s of overhead (BenchmarkGateRealTime).
	MinPollCap = 900 * time.Millisecond
	// PollCapFraction is the share of the time waited so far that the next
	// wait may last.
	PollCapFraction = 0.2
	// MaxPollInterval is the longest wait between two status requests.
	MaxPollInterval = 10 * time.Second
	// ProgressEvery is the longest gap between two progress lines.
	ProgressEvery = 30 * time.Second
)

// The growth and jitter of the default schedule.
//
// The request budget of a long wait is tight: a schedule that always waits
// the longest it may makes 19 status requests in its first 57.8 s (0.9 s,
// growing to 10 s), then one per 10 s: T/10 s + 13.2 to 14.2 requests for an
// analysis of T, and the target is at most T/10 s + 15. Jitter can only
// shorten a wait, and shortening every wait by a mean fraction j costs about
// j × T/10 s requests, so each wait is shortened by a uniform random fraction
// of at most 0.25 % (25 ms of a 10 s wait; a mean of 0.125 %, 0.45 requests at
// T = 1 h). That is enough to keep gates started together from polling in
// lockstep.
const (
	pollInitial    = 900 * time.Millisecond
	pollMultiplier = 1.5
	pollJitter     = 0.0025
)

// PollCap returns the longest wait allowed before the next status request,
// after waited: min(MaxPollInterval, max(MinPollCap, PollCapFraction × waited)).
func PollCap(waited time.Duration) time.Duration {
	c := time.Duration(PollCapFraction * float64(waited))
	return min(MaxPollInterval, max(MinPollCap, c))
}

// PollSchedule is the gate's default wait between status requests, a
// backoff.BackOff: exponential growth from 0.9 s by ×1.5 up to
// MaxPollInterval, capped by PollCap of the time waited since Reset, then
// shortened by a random jitter of at most 0.25 %. It never returns
// backoff.Stop: the deadline is Run's business. It is not safe for concurrent
// use.
type PollSchedule struct {
	exp   *backoff.ExponentialBackOff
	rnd   func() float64
	start time.Time
}

// NewPollSchedule returns the default schedule drawing jitter from rnd (nil:
// math/rand/v2's global source).
func NewPollSchedule(rnd *rand.Rand) *PollSchedule {
	draw := rand.Float64
	if rnd != nil {
		draw = rnd.Float64
	}
	s := &PollSchedule{
		// The growth comes from backoff's own exponential schedule; its
		// jitter is switched off because it is symmetric (it would break the
		// cap) and draws from a source that cannot be injected.
		exp: backoff.NewExponentialBackOff(
			backoff.WithInitialInterval(pollInitial),
			backoff.WithMultiplier(pollMultiplier),
			backoff.WithMaxInterval(MaxPollInterval),
			backoff.WithRandomizationFactor(0),
			backoff.WithMaxElapsedTime(0),
		),
		rnd: draw,
	}
	s.Reset()
	return s
}

// Reset starts the schedule over: the time waited is measured from now.
func (s *PollSchedule) Reset() {
	s.exp.Reset()
	s.start = time.Now()
}

// NextBackOff returns the wait before the next status request.
func (s *PollSchedule) NextBackOff() time.Duration {
	d := min(s.exp.NextBackOff(), PollCap(time.Since(s.start)))
	return d - time.Duration(pollJitter*s.rnd()*float64(d))
}

// wait polls a until it finishes and returns it; nil when the run failed
// meanwhile (cancelled, past the deadline, a Server error). It logs a
// progress line on every status change and at least every ProgressEvery.
func (r *runner) wait(a *api.Analysis) *api.Analysis {
	var (
		shown    api.AnalysisStatus // the status of the last progress line
		unknowns = map[api.AnalysisStatus]bool{}
	)
	show := func(a *api.Analysis) {
		r.logf("analysis %d: %s, %s elapsed%s", a.ID, a.Status, r.waited(), r.etaNote(a))
		shown = a.Status
	}
	p := r.newPoller(a.ID,
		func(doing said) { r.failCancelled(doing, a) },
		func(lastErr error) { r.failTimeout(a, lastErr) })
	for {
		if !a.Status.Known() && !unknowns[a.Status] {
			unknowns[a.Status] = true
			r.logf("analysis %d: unknown status %q, treated as not finished", a.ID, a.Status)
		}
		if a.Status.Finished() {
			if a.Status != shown {
				show(a)
			}
			return a
		}
		r.noteSlow(a)

		d := r.sched.NextBackOff()
		if d >= 0 {
			d = r.untilETA(a, d)
		}
		if !p.sleep(d, say("doing.wait", a.ID), func(due bool) bool {
			if a.Status != shown || due {
				show(a)
				return true
			}
			return false
		}) {
			return nil
		}

		got, err := r.srv.GetAnalysis(r.ctx, a.ID)
		if err == nil && got == nil {
			err = &gateError{kind: kindNoResult, said: saying{say("fact.noresult.analysis")}}
		}
		switch p.check(OpGetAnalysis, say("doing.status", a.ID), err) {
		case stopped:
			return nil
		case answered:
			a = got
			r.out.Analysis = a
		}
	}
}

// poller is what the gate's three waits share: for an analysis of the
// commit to appear (await), behind another commit's analysis (queue) and
// for an analysis to finish (wait). Each turn sleeps, never past the
// deadline, and makes one request; a request that fails for a while
// (CodeScoring or a proxy in front of it restarting) is logged once and
// polled on until the deadline, whose error then names what the last
// attempt met.
type poller struct {
	r *runner
	// status is the analysis whose status the poller requests; 0 when it
	// lists the project's analyses.
	status int64
	// cancelled records the failure of a run cancelled while the gate did
	// what doing says; timedOut the failure at the deadline, with the last
	// request's error when it failed.
	cancelled func(doing said)
	timedOut  func(lastErr error)

	shownAt time.Time // when the last progress line was written
	// lastErr is the error of the last request while CodeScoring does not
	// answer; nil once it answers again.
	lastErr error
}

func (r *runner) newPoller(status int64, cancelled func(doing said), timedOut func(lastErr error)) *poller {
	return &poller{r: r, status: status, cancelled: cancelled, timedOut: timedOut, shownAt: time.Now()}
}

// sleep waits d before the next request: until the deadline when d is
// negative (backoff.Stop) or reaches it. First it calls show with whether a
// progress line is due (the next chance to write one comes more than
// ProgressEvery after the last line); show says whether it wrote one. sleep
// returns false after recording the failure when the run was cancelled
// meanwhile, doing what doing says, or the deadline has come.
func (p *poller) sleep(d time.Duration, doing said, show func(due bool) bool) bool {
	r := p.r
	now := time.Now()
	remaining := r.deadline.Sub(now)
	last := d < 0 || d >= remaining
	if last {
		d = max(remaining, 0)
	}
	if show(now.Add(d).Sub(p.shownAt) > ProgressEvery) {
		p.shownAt = now
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
	case <-r.ctx.Done():
	}
	switch {
	case r.cancelled():
		p.cancelled(doing)
	case last || r.pastDeadline():
		p.timedOut(p.lastErr)
	default:
		return true
	}
	return false
}

// turn is how a poller's request ended.
type turn int

const (
	answered turn = iota // it succeeded
	failing              // it failed for now: poll on
	stopped              // the run failed; the failure is recorded
)

// check sorts out err, the error of the request op that the gate made doing
// what doing says: nil, a transient failure before the deadline (logged
// when it starts), or the end of the run (cancelled, the deadline, an error
// a later request would meet too).
func (p *poller) check(op Op, doing said, err error) turn {
	r := p.r
	switch {
	case err == nil:
		switch {
		case p.lastErr == nil:
		case p.status != 0:
			r.logf("analysis %d: CodeScoring answers again", p.status)
		default:
			r.logf("CodeScoring answers again")
		}
		p.lastErr = nil
		return answered
	case r.cancelled():
		p.cancelled(doing)
	case r.pastDeadline():
		// The deadline cut the request short: what its attempts met says
		// more than the deadline.
		if l := lastAttempt(err); l != nil {
			p.lastErr = l
		}
		p.timedOut(p.lastErr)
	case transient(err):
		switch {
		case p.lastErr != nil:
		case p.status != 0:
			r.logf("analysis %d: the status request failed (%v); polling on until the wait-timeout", p.status, err)
		default:
			r.logf("listing the analyses failed (%v); polling on until the wait-timeout", err)
		}
		if p.lastErr = lastAttempt(err); p.lastErr == nil {
			p.lastErr = err
		}
		return failing
	default:
		r.failCall(op, doing, err)
	}
	return stopped
}

// transient reports whether err is a failure of CodeScoring or the way to
// it that a later status request may not meet: no answer, a 5xx (but 501)
// or a 429, after the client's own retries.
func transient(err error) bool {
	var (
		netErr *api.NetworkError
		apiErr *api.APIError
	)
	if errors.As(err, &netErr) {
		return true
	}
	if !errors.As(err, &apiErr) {
		return false
	}
	switch s := apiErr.StatusCode; {
	case s == http.StatusTooManyRequests, s == http.StatusRequestTimeout:
		return true
	case s >= 500 && s != http.StatusNotImplemented:
		return true
	}
	return false
}

// failTimeout makes the outcome the error of an analysis that did not finish
// in time; a is the last state seen, lastErr the error of the last status
// request when it failed.
func (r *runner) failTimeout(a *api.Analysis, lastErr error) {
	msg := saying{say("fact.timeout.analysis", a.ID, shortDuration(r.timeout), a.Status, r.waited())}
	if lastErr != nil {
		msg = append(msg, say("fact.laststatus", lastErr))
	}
	r.fail(&timeoutError{said: append(msg, r.stillRunning(a)...), Timeout: r.timeout, Last: lastErr})
}

// failCancelled makes the outcome the error of a run cancelled while it
// waited for a (nil: no analysis yet), doing what doing says.
func (r *runner) failCancelled(doing said, a *api.Analysis) {
	r.fail(&cancelledError{said: append(saying{doing, say("fact.cancelled")}, r.stillRunning(a)...)})
}

// stillRunning says that a, which the gate stops waiting for, goes on in
// CodeScoring, and where to see it; nothing when a is nil or has finished.
func (r *runner) stillRunning(a *api.Analysis) saying {
	if a == nil || a.Status.Finished() {
		return nil
	}
	s := saying{say("fact.stillrunning", a.ID, a.Status)}
	if r.out.ReportURL != "" {
		s = append(s, say("fact.at", r.out.ReportURL))
	}
	return s
}
