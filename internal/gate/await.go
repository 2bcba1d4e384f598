package gate

import (
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
	want := say("of.commit", shortCommit(r.cfg.Commit))
	var newest *api.Analysis // the newest analysis seen, of any commit
	pl := r.newPoller(0,
		func(doing said) { r.failCancelled(doing, nil) },
		func(lastErr error) { r.failAwait(p, want, newest, lastErr) })
	r.logf("start is false: waiting for an analysis of %s to appear in CodeScoring (its webhook or schedule starts it), for up to %s",
		want, shortDuration(r.timeout))
	for {
		recent, err := r.srv.RecentAnalyses(r.ctx, p.ID, recentLimit)
		switch pl.check(OpRecentAnalyses, say("doing.recent", p.ID), err) {
		case stopped:
			return nil
		case answered:
			r.learn(recent)
			for i := range recent {
				if r.same(&recent[i]) {
					return r.attach(&recent[i], r.t("attach.newest.commit"))
				}
			}
			if len(recent) > 0 {
				newest = &recent[0]
			}
		}
		if !pl.sleep(r.sched.NextBackOff(), say("doing.await", want), func(due bool) bool {
			if due {
				r.logf("still no analysis of %s, %s elapsed%s", want, r.waited(), r.newestNote(newest))
			}
			return due
		}) {
			return nil
		}
	}
}

// failAwait is the error of a wait-timeout that passed before an analysis
// of the commit appeared; newest is the newest analysis seen, nil when none.
func (r *runner) failAwait(p *api.Project, want Text, newest *api.Analysis, lastErr error) {
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
