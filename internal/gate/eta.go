package gate

import (
	"slices"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
)

// slowFactor is how many times the usual duration an analysis runs before
// the gate says, once, that it takes longer than usual.
const slowFactor = 3

// UsualDuration returns the median duration (finished − started) of the
// successful analyses in recent that have both times, the upper one of an
// even count; zero when there is none. It is what the gate expects an
// analysis of the project to take.
func UsualDuration(recent []api.Analysis) time.Duration {
	var ds []time.Duration
	for _, a := range recent {
		if a.Status != api.StatusSuccess || a.StartedAt.IsZero() || a.FinishedAt.IsZero() {
			continue
		}
		if d := a.FinishedAt.Sub(a.StartedAt); d > 0 {
			ds = append(ds, d)
		}
	}
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	return ds[len(ds)/2]
}

// learn keeps the usual duration of the project's analyses from a history
// read; a read without successful analyses keeps what was known.
func (r *runner) learn(recent []api.Analysis) {
	if d := UsualDuration(recent); d > 0 {
		r.usual = d
	}
}

// runningSince returns when a started: its started_at, else when the gate
// first saw it.
func (r *runner) runningSince(a *api.Analysis) time.Time {
	if !a.StartedAt.IsZero() {
		return a.StartedAt
	}
	if r.seen == nil {
		r.seen = map[int64]time.Time{}
	}
	at, ok := r.seen[a.ID]
	if !ok {
		at = time.Now()
		r.seen[a.ID] = at
	}
	return at
}

// etaNote is what a progress line adds about when a will likely finish:
// ", usually 6m (expected by 18:52 UTC)"; "" when the history said nothing.
func (r *runner) etaNote(a *api.Analysis) string {
	if r.usual <= 0 || a.Status.Finished() {
		return ""
	}
	expected := r.runningSince(a).Add(r.usual)
	return r.t("eta.usual", usualText(r.usual), expected.UTC().Format("15:04"))
}

// etaSlack is how long after an analysis' expected finish the gate asks
// whether it finished: finished_at is written when it ends, so a request at
// the expected instant itself would still see it running.
const etaSlack = time.Second

// untilETA shortens a wait of d so that the next request comes etaSlack
// after a's expected finish, when that falls within d: an analysis that
// takes as long as usual is seen within a second, whatever the schedule.
func (r *runner) untilETA(a *api.Analysis, d time.Duration) time.Duration {
	if r.usual <= 0 || a.Status.Finished() {
		return d
	}
	until := time.Until(r.runningSince(a).Add(r.usual + etaSlack))
	if until > 0 && until < d {
		return until
	}
	return d
}

// beforeETA reports whether a is running and not yet expected to finish.
func (r *runner) beforeETA(a *api.Analysis) bool {
	return r.usual > 0 && !a.Status.Finished() && time.Now().Before(r.runningSince(a).Add(r.usual))
}

// noteSlow says once per analysis when a runs slowFactor times longer than
// usual.
func (r *runner) noteSlow(a *api.Analysis) {
	if r.usual <= 0 || a.Status.Finished() || r.slowSaid[a.ID] {
		return
	}
	ran := time.Since(r.runningSince(a))
	if ran < slowFactor*r.usual {
		return
	}
	if r.slowSaid == nil {
		r.slowSaid = map[int64]bool{}
	}
	r.slowSaid[a.ID] = true
	r.logf("analysis %d is taking %d× longer than usual (%s so far, usually %s): CodeScoring may be busy or the analysis stuck",
		a.ID, slowFactor, usualText(ran), usualText(r.usual))
}

// roundUsual rounds a duration for a person: to the second under a minute,
// to 10 s under 10 minutes, else to the minute; written as an input would
// be (45s, 5m30s, 12m, 1h5m).
func roundUsual(d time.Duration) time.Duration {
	switch {
	case d < time.Minute:
		return d.Round(time.Second)
	case d < 10*time.Minute:
		return d.Round(10 * time.Second)
	}
	return d.Round(time.Minute)
}

// usualText is roundUsual(d) as shortDuration writes it.
func usualText(d time.Duration) string { return shortDuration(roundUsual(d)) }
