package gate

import (
	"context"
	"errors"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
)

// Baseline is what the gate compared the analysis with: the newest
// successful analysis of the base branch (docs/codescoring-api.md §3).
type Baseline struct {
	// Ref is the baseline ref asked for (`baseline-ref`).
	Ref string
	// Analysis is the baseline analysis; nil when it is unavailable.
	Analysis *api.Analysis
	// AlertCount is the number of the baseline's alerts that were read.
	AlertCount int
	// Unavailable says why there is no baseline, e.g. "project 340 has no
	// successful analysis of main in its history", in the language it is
	// shown in; zero when there is one.
	Unavailable Text
}

// baselineRead is the baseline being read while the head analysis runs.
type baselineRead struct {
	done   chan struct{}
	cancel context.CancelFunc
	// Set before done is closed.
	base   Baseline
	alerts []api.Alert
	keys   FindingKeys // of alerts, computed during the wait
}

// startBaseline starts reading the baseline of project p (its newest
// successful analysis of cfg.BaselineRef, then its alerts) in a goroutine, so
// that it costs no time beyond the wait for the head analysis. It returns
// nil when no baseline ref is configured. The read is stopped and waited for
// by stop, so Run leaves no goroutine behind.
func (r *runner) startBaseline(p *api.Project) (b *baselineRead, stop func()) {
	if r.cfg.BaselineRef == "" {
		return nil, func() {}
	}
	ctx, cancel := context.WithCancel(r.ctx)
	b = &baselineRead{done: make(chan struct{}), cancel: cancel, base: Baseline{Ref: r.cfg.BaselineRef}}
	go func() {
		defer close(b.done)
		var err error
		func() {
			defer catch(&err)
			err = b.read(ctx, r.srv, p.ID)
		}()
		if err != nil {
			b.base.Analysis, b.alerts, b.keys = nil, nil, nil
			b.base.Unavailable = textOf(err)
		}
	}()
	return b, func() {
		cancel()
		<-b.done
	}
}

// read looks the baseline analysis up and reads its alerts.
func (b *baselineRead) read(ctx context.Context, srv Server, projectID int64) error {
	a, err := srv.BaselineAnalysis(ctx, projectID, b.base.Ref)
	var none *api.NoBaselineError
	switch {
	case errors.As(err, &none):
		return err
	case err != nil:
		return &gateError{said: saying{say("base.err.history", projectID, err)}}
	case a == nil:
		return &gateError{said: saying{say("base.err.noanalysis", b.base.Ref)}}
	}
	b.base.Analysis = a
	alerts, err := srv.Alerts(ctx, projectID, a.ID)
	if err != nil {
		return &gateError{said: saying{say("base.err.alerts", a.ID, err)}}
	}
	b.alerts, b.base.AlertCount = alerts, len(alerts)
	b.keys = KeysOf(alerts)
	return nil
}

// result waits for the baseline read (which ends at the latest with the
// run, at its deadline) and returns it, with its alerts and their finding
// keys when there is a baseline. The head analysis a cannot be its own
// baseline.
func (b *baselineRead) result(ctx context.Context, a *api.Analysis) (*Baseline, []api.Alert, FindingKeys) {
	<-b.done
	base := b.base
	if !base.Unavailable.IsZero() {
		if ctx.Err() != nil {
			base.Unavailable = say("base.err.notread")
		}
		return &base, nil, nil
	}
	if base.Analysis.ID == a.ID {
		base.Analysis, base.AlertCount = nil, 0
		base.Unavailable = say("base.err.self", base.Ref, a.ID)
		return &base, nil, nil
	}
	return &base, b.alerts, b.keys
}

func (r *runner) logBaseline(b *Baseline) {
	if b.Analysis == nil {
		if r.cfg.BlockOn == BlockOnNew {
			r.logf("baseline unavailable: %s; block-on new blocks on every blocking alert, as all does (fail-closed)", b.Unavailable)
			return
		}
		r.logf("baseline unavailable: %s", b.Unavailable)
		return
	}
	r.logf("baseline: analysis %d of %s, %d alerts", b.Analysis.ID, describe(b.Analysis.BranchOrTag, b.Analysis.Commit), b.AlertCount)
}
