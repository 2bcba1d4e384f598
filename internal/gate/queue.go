package gate

import (
	"math/rand/v2"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
)

// The queue behind another commit's analysis. CodeScoring runs one analysis
// of a project at a time, so the pull requests of a busy repository wait for
// each other; the gates waiting behind one analysis must not all start
// theirs the instant it finishes.
const (
	// StartJitter is the longest random wait, once the project is free,
	// before a gate that waited reads the history again and, if still
	// nothing runs, starts its analysis: the waiting gates spread out, and
	// the first to start is seen by the others instead of refusing them.
	StartJitter = 2 * time.Second
	// behindFactor stretches the poll schedule while the gate waits behind
	// another commit's analysis: it reads the history at most every 15 s.
	behindFactor = 1.5
	// behindBeforeETA is the wait between history reads behind an analysis
	// that is not yet expected to finish (the history says how long the
	// project's analyses take): the read at its expected finish is what
	// matters, one earlier only catches a quick one.
	behindBeforeETA = 30 * time.Second
)

// queued is what queue ends with.
type queued int

const (
	queueFailed queued = iota // the failure is recorded
	queueFree                 // nothing runs: start one now
	queueUse                  // the returned analysis is this commit's: decide on it
)

// queue waits behind ahead, an unfinished analysis of another commit, by
// reading the project's history until no analysis of the project runs
// (queueFree), or one of this commit runs or freshly succeeded
// (queueUse: attached or reused, recorded in the outcome). Another
// commit's analysis that starts meanwhile is waited behind too. Once the
// project is free it waits a random part of StartJitter and reads the
// history once more, so that it starts nothing another gate started first.
func (r *runner) queue(p *api.Project, ahead *api.Analysis) (*api.Analysis, queued) {
	r.logf("analysis %d of %s is running (for %s%s), and CodeScoring runs one analysis of a project at a time: waiting for it to finish, then starting one of %s",
		ahead.ID, describe(ahead.BranchOrTag, ahead.Commit), r.ranFor(ahead), r.usualNote(), describe(r.cfg.Ref, r.cfg.Commit))
	pl := r.newPoller(0,
		func(doing said) { r.failCancelled(doing, ahead) },
		func(lastErr error) { r.failTimeout(ahead, lastErr) })
	free := false // the last read showed nothing running
	for {
		d := time.Duration(behindFactor * float64(r.sched.NextBackOff()))
		if r.beforeETA(ahead) {
			d = max(d, behindBeforeETA)
		}
		d = r.untilETA(ahead, d)
		if free {
			d = time.Duration(r.float64() * float64(StartJitter))
		}
		if !pl.sleep(d, say("doing.wait", ahead.ID), func(due bool) bool {
			if due = due && !free; due {
				r.logf("waiting behind analysis %d of %s: %s for %s%s; %s elapsed",
					ahead.ID, describe(ahead.BranchOrTag, ahead.Commit), ahead.Status, r.ranFor(ahead), r.etaNote(ahead), r.waited())
			}
			return due
		}) {
			return nil, queueFailed
		}

		recent, err := r.srv.RecentAnalyses(r.ctx, p.ID, recentLimit)
		switch pl.check(OpRecentAnalyses, say("doing.recent", p.ID), err) {
		case stopped:
			return nil, queueFailed
		case failing:
			free = false
			continue
		}
		r.learn(recent)
		if a := r.reusable(recent); a != nil {
			return r.reuse(a), queueUse
		}
		if a := r.sameUnfinished(recent); a != nil {
			return r.attach(a, r.t("attach.meanwhile."+r.sameWhat())), queueUse
		}
		next := firstUnfinished(recent)
		switch {
		case next == nil && free:
			return nil, queueFree
		case next == nil:
			free = true
			r.logf("analysis %d of %s finished (%s): the project is free", ahead.ID, describe(ahead.BranchOrTag, ahead.Commit), r.statusOf(recent, ahead))
		default:
			free = false
			if next.ID != ahead.ID {
				r.logf("analysis %d of %s started meanwhile (for %s): waiting behind it", next.ID, describe(next.BranchOrTag, next.Commit), r.ranFor(next))
			}
			ahead = next
			r.noteSlow(ahead)
		}
	}
}

// firstUnfinished returns the newest unfinished analysis of recent; nil
// when every one has finished.
func firstUnfinished(recent []api.Analysis) *api.Analysis {
	for i := range recent {
		if !recent[i].Status.Finished() {
			return &recent[i]
		}
	}
	return nil
}

// statusOf returns a's status in recent as CodeScoring says it, or "no
// longer listed" in the reader's words.
func (r *runner) statusOf(recent []api.Analysis, a *api.Analysis) Text {
	for _, b := range recent {
		if b.ID == a.ID {
			return Plain(string(b.Status))
		}
	}
	return say("status.unlisted")
}

// ranFor says how long a has run, rounded for a person.
func (r *runner) ranFor(a *api.Analysis) string {
	return usualText(max(time.Since(r.runningSince(a)), 0))
}

// usualNote is ", usually 6m" when the history says how long analyses of
// the project take.
func (r *runner) usualNote() string {
	if r.usual <= 0 {
		return ""
	}
	return r.t("eta.usual.short", usualText(r.usual))
}

// float64 draws from Options.Rand, else from math/rand/v2's global source.
func (r *runner) float64() float64 {
	if r.opts.Rand != nil {
		return r.opts.Rand.Float64()
	}
	return rand.Float64()
}
