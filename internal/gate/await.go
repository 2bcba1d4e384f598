package gate

import (
	"github.com/cenkalti/backoff/v4"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
)

// await returns the analysis to decide on when the gate does not start one
// (start: false): the newest analysis of the build's commit, waiting for it
// to appear (CodeScoring's own webhook or schedule starts it) until the
// wait-timeout. Only without a commit does it take the newest analysis of
// the ref, or of the project, and it says so in Outcome.Fallback. It
// returns nil after recording the failure.
func (r *runner) await(p *api.Project) *api.Analysis {
	if r.cfg.Commit == "" {
		return r.fallback(p)
	}
	timer := r.opts.NewTimer()
	defer timer.Stop()
	want := "commit " + shortCommit(r.cfg.Commit)
	doing := say("doing.recent", p.ID)
	var (
		newest  *api.Analysis // the newest analysis seen, of any commit
		lastErr error         // the last listing's error while it fails
		shownAt = r.clock.Now()
	)
	r.logf("start is false: waiting for an analysis of %s to appear in CodeScoring (its webhook or schedule starts it), for up to %s",
		want, shortDuration(r.timeout))
	for {
		recent, err := r.srv.RecentAnalyses(r.ctx, p.ID, recentLimit)
		switch {
		case err == nil:
			r.learn(recent)
			if lastErr != nil {
				r.logf("CodeScoring answers again")
				lastErr = nil
			}
			for i := range recent {
				if r.same(&recent[i]) {
					return r.attach(&recent[i], r.t("attach.newest.commit"))
				}
			}
			if len(recent) > 0 {
				newest = &recent[0]
			}
		case r.cancelled():
			r.failCall(OpRecentAnalyses, doing, err)
			return nil
		case r.pastDeadline():
			if l := lastAttempt(err); l != nil {
				lastErr = l
			}
			r.failAwait(p, want, newest, lastErr)
			return nil
		case transient(err):
			if lastErr == nil {
				r.logf("listing the analyses failed (%v); polling on until the wait-timeout", err)
			}
			if lastErr = lastAttempt(err); lastErr == nil {
				lastErr = err
			}
		default:
			r.failCall(OpRecentAnalyses, doing, err)
			return nil
		}

		d := r.sched.NextBackOff()
		now := r.clock.Now()
		remaining := r.deadline.Sub(now)
		last := d == backoff.Stop || d >= remaining
		if last {
			d = max(remaining, 0)
		}
		if now.Add(d).Sub(shownAt) > ProgressEvery {
			r.logf("still no analysis of %s, %s elapsed%s", want, r.waited(), r.newestNote(newest))
			shownAt = now
		}
		timer.Start(d)
		select {
		case <-timer.C():
		case <-r.ctx.Done():
		}
		if r.cancelled() {
			r.fail(&cancelledError{said: saying{say("doing.await", want), say("fact.cancelled")}})
			return nil
		}
		if last || r.pastDeadline() {
			r.failAwait(p, want, newest, lastErr)
			return nil
		}
	}
}

// failAwait is the error of a wait-timeout that passed before an analysis
// of the commit appeared; newest is the newest analysis seen, nil when none.
func (r *runner) failAwait(p *api.Project, want string, newest *api.Analysis, lastErr error) {
	msg := saying{say("fact.timeout.await", want, shortDuration(r.timeout))}
	switch {
	case newest != nil:
		msg = append(msg, say("fact.newest", p.ID, newest.ID, describe(newest.BranchOrTag, newest.Commit), newest.Status))
	case lastErr == nil:
		msg = append(msg, say("fact.noanalyses", p.ID))
	}
	if lastErr != nil {
		msg = append(msg, say("fact.lastattempt", lastErr))
	}
	r.fail(&timeoutError{said: msg, Timeout: r.timeout, Last: lastErr, Awaited: want})
}

func (r *runner) newestNote(a *api.Analysis) string {
	if a == nil {
		return ""
	}
	return r.t("log.newest", a.ID, describe(a.BranchOrTag, a.Commit))
}

// fallback takes the newest analysis of the ref, or of the project without
// a ref, when no commit is known (a local run of the CLI), and records in
// Outcome.Fallback that it may not be this build's code.
func (r *runner) fallback(p *api.Project) *api.Analysis {
	recent, err := r.srv.RecentAnalyses(r.ctx, p.ID, recentLimit)
	if err != nil {
		r.failCall(OpRecentAnalyses, say("doing.recent", p.ID), err)
		return nil
	}
	for i := range recent {
		a := &recent[i]
		if r.cfg.Ref != "" && a.BranchOrTag != r.cfg.Ref {
			continue
		}
		var of any = say("of.project", p.Name)
		if r.cfg.Ref != "" {
			of = r.cfg.Ref
		}
		r.out.Fallback = say("fallback.nocommit", of, orUnknown(shortCommit(a.Commit)))
		return r.attach(a, say("attach.nocommit", of).In(r.opts.Audience.Lang))
	}
	if r.cfg.Ref != "" {
		r.fail(&gateError{kind: kindNoAnalysis, said: saying{say("fact.noneof", len(recent), p.ID, r.cfg.Ref)}})
		return nil
	}
	r.fail(&gateError{kind: kindNoAnalysis, said: saying{say("fact.nothingtowait", p.ID)}})
	return nil
}

func shortCommit(c string) string {
	if len(c) > 12 {
		return c[:12]
	}
	return c
}

// orUnknown is s, or "unknown" in the reader's words when s is empty.
func orUnknown(s string) any {
	if s == "" {
		return say("unknown")
	}
	return s
}
