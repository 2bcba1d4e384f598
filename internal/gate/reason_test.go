package gate

import (
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
	"github.com/codescoring-gate/codescoring-gate/internal/i18n"
)

// inRussian is texts in Russian.
func inRussian(texts []Text) []string {
	var out []string
	for _, t := range texts {
		out = append(out, t.In(i18n.Russian))
	}
	return out
}

// Decide's reasons and notes in Russian: every reason and note it gives,
// a note about one alert and one about several, a stage, a status or a
// policy name as the server sent it, days by CLDR plurals.
func TestDecideInRussian(t *testing.T) {
	t.Parallel()
	at := now.Add(-8 * day)
	for _, tc := range []struct {
		name      string
		policy    func(*api.Policy) // changes blocker(); no policy list when it sets ID 0
		alerts    func(a *api.Alert)
		n         int // alerts like a (ids 1…n); 1 when 0
		stage     string
		zeroNow   bool
		baseline  string // with block-on new and every alert on the baseline when set
		wantWhy   string
		wantNotes []string
	}{
		{name: "blocker", wantWhy: "политика — активный блокер"},
		{name: "inactive", policy: func(p *api.Policy) { p.IsActive = false }, wantWhy: "политика неактивна"},
		{name: "not a blocker", policy: func(p *api.Policy) { p.IsBlocksBuild = false }, wantWhy: "политика не блокер"},
		{name: "ignored", alerts: func(a *api.Alert) { a.Status = api.AlertIgnored }, wantWhy: "действует игнор политики"},
		{name: "resolved", alerts: func(a *api.Alert) { a.Status = api.AlertResolved }, wantWhy: "больше не актуален"},
		{name: "stage", stage: "build", wantWhy: "этапа build нет среди этапов политики: dev, source"},
		{name: "no stages", policy: func(p *api.Policy) { p.Stages = nil }, stage: "build", wantWhy: "этапа build нет среди этапов политики: нет"},
		{name: "delay ended", policy: func(p *api.Policy) { p.BlockDelay = day }, alerts: func(a *api.Alert) { a.FirstTriggeredAt = at },
			wantWhy: "отложенная блокировка на 1 день закончилась 2026-11-19 12:00 UTC"},
		{name: "delay from", policy: func(p *api.Policy) { p.BlockDelay = 22 * day }, alerts: func(a *api.Alert) { a.FirstTriggeredAt = at },
			wantWhy: "блокирует с 2026-12-10 12:00 UTC (отложенная блокировка на 22 дня)"},
		{name: "delay of hours", policy: func(p *api.Policy) { p.BlockDelay = 36 * time.Hour }, alerts: func(a *api.Alert) { a.FirstTriggeredAt = at },
			wantWhy: "отложенная блокировка на 36h0m0s закончилась 2026-11-20 00:00 UTC"},
		{name: "undated", policy: func(p *api.Policy) { p.BlockDelay = 5 * day },
			wantWhy:   "отложенную блокировку на 5 дней не от чего отсчитать (нет first_triggered_at и created_at): считается наступившей",
			wantNotes: []string{`алерт 1 политики 12 "No critical CVEs": нет first_triggered_at и created_at, поэтому отложенную блокировку на 5 дней не от чего отсчитать; она считается наступившей (fail-closed)`}},
		{name: "undated, several", policy: func(p *api.Policy) { p.BlockDelay = 21 * day }, n: 2,
			wantWhy:   "отложенную блокировку на 21 день не от чего отсчитать (нет first_triggered_at и created_at): считается наступившей",
			wantNotes: []string{`алерты 1, 2 политики 12 "No critical CVEs": нет first_triggered_at и created_at, поэтому отложенную блокировку на 21 день не от чего отсчитать; она считается наступившей (fail-closed)`}},
		{name: "no decision time", policy: func(p *api.Policy) { p.BlockDelay = day }, alerts: func(a *api.Alert) { a.FirstTriggeredAt = now }, zeroNow: true,
			wantWhy:   "отложенная блокировка на 1 день закончилась 2026-11-27 12:00 UTC",
			wantNotes: []string{"время решения не задано: отложенные блокировки считаются наступившими (fail-closed)"}},
		{name: "unknown status", alerts: func(a *api.Alert) { a.Status = "reopened" },
			wantWhy:   `статус "reopened" считается активным: политика — активный блокер`,
			wantNotes: []string{`алерт 1: неизвестный статус "reopened", алерт считается активным (fail-closed)`}},
		{name: "unknown status, seven alerts", alerts: func(a *api.Alert) { a.Status = "reopened" }, n: 7,
			wantWhy:   `статус "reopened" считается активным: политика — активный блокер`,
			wantNotes: []string{`алерты 1, 2, 3, 4, 5 и еще 2: неизвестный статус "reopened", алерты считаются активными (fail-closed)`}},
		{name: "flag disagrees", alerts: func(a *api.Alert) { a.IsBlocksBuild = boolp(false) },
			wantWhy:   "политика — активный блокер",
			wantNotes: []string{`алерт 1: is_blocks_build=false, но политика 12 "No critical CVEs" — блокер; верным считается список политик`}},
		{name: "flag disagrees, several", policy: func(p *api.Policy) { p.IsBlocksBuild = false }, alerts: func(a *api.Alert) { a.IsBlocksBuild = boolp(true) }, n: 3,
			wantWhy:   "политика не блокер",
			wantNotes: []string{`алерты 1, 2, 3: is_blocks_build=true, но политика 12 "No critical CVEs" — не блокер; верным считается список политик`}},
		{name: "missing policy", policy: func(p *api.Policy) { p.ID = 0 },
			wantWhy: "политики 12 нет в списке политик, и алерт не говорит, блокирует ли она: блокирует (fail-closed; этап и отложенная блокировка не проверены)",
			wantNotes: []string{
				"алерт 1: политики 12 нет в списке политик (удалена или не видна токену); решение принято по is_blocks_build самого алерта, этапы и отложенную блокировку политики проверить нельзя",
				"алерт 1 отсутствующей политики 12 не указывает, блокирует ли он: алерт блокирует сборку (fail-closed)",
			}},
		{name: "missing policy, several", policy: func(p *api.Policy) { p.ID = 0 }, n: 2,
			wantWhy: "политики 12 нет в списке политик, и алерт не говорит, блокирует ли она: блокирует (fail-closed; этап и отложенная блокировка не проверены)",
			wantNotes: []string{
				"алерты 1, 2: политики 12 нет в списке политик (удалена или не видна токену); решение принято по is_blocks_build самих алертов, этапы и отложенную блокировку политики проверить нельзя",
				"алерты 1, 2 отсутствующей политики 12 не указывают, блокируют ли они: алерты блокируют сборку (fail-closed)",
			}},
		{name: "missing policy, alert blocks", policy: func(p *api.Policy) { p.ID = 0 }, alerts: func(a *api.Alert) { a.IsBlocksBuild = boolp(true) },
			wantWhy:   "политики 12 нет в списке политик; по алерту она блокирует (этап и отложенная блокировка не проверены)",
			wantNotes: []string{"алерт 1: политики 12 нет в списке политик (удалена или не видна токену); решение принято по is_blocks_build самого алерта, этапы и отложенную блокировку политики проверить нельзя"}},
		{name: "missing policy, alert does not block", policy: func(p *api.Policy) { p.ID = 0 }, alerts: func(a *api.Alert) { a.IsBlocksBuild = boolp(false) },
			wantWhy:   "политики 12 нет в списке политик; по алерту она не блокирует",
			wantNotes: []string{"алерт 1: политики 12 нет в списке политик (удалена или не видна токену); решение принято по is_blocks_build самого алерта, этапы и отложенную блокировку политики проверить нельзя"}},
		{name: "already on main", baseline: "main", policy: func(p *api.Policy) { p.BlockDelay = 7 * day }, alerts: func(a *api.Alert) { a.FirstTriggeredAt = now },
			wantWhy: "уже в main (block-on: new): блокирует с 2026-12-03 12:00 UTC (отложенная блокировка на 7 дней)"},
		{name: "already on the baseline", baseline: " ", wantWhy: "уже в базе сравнения (block-on: new): политика — активный блокер"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := blocker()
			if tc.policy != nil {
				tc.policy(&p)
			}
			var policies []api.Policy
			if p.ID != 0 {
				policies = []api.Policy{p}
			}
			var alerts []api.Alert
			for id := range int64(max(tc.n, 1)) {
				a := api.Alert{ID: id + 1, Policy: 12, Status: api.AlertActive, DependencyName: "django"}
				if tc.alerts != nil {
					tc.alerts(&a)
				}
				alerts = append(alerts, a)
			}
			in := DecideInput{Policies: policies, Alerts: alerts, Stage: tc.stage, Now: now}
			if tc.zeroNow {
				in.Now = time.Time{}
			}
			if tc.baseline != "" {
				in.Baseline, in.HasBaseline, in.BaselineRef, in.BlockOn = alerts, true, tc.baseline, BlockOnNew
			}
			d := Decide(in)
			all := slices.Concat(allFindings(d), d.AlreadyOnBase)
			if len(all) == 0 {
				t.Fatal("no finding")
			}
			for _, f := range all {
				if got := f.Reason.In(i18n.Russian); got != tc.wantWhy {
					t.Errorf("reason of alert %d = %q, want %q", f.Alert.ID, got, tc.wantWhy)
				}
			}
			if diff := cmp.Diff(tc.wantNotes, inRussian(d.Notes)); diff != "" {
				t.Errorf("notes (-want +got):\n%s", diff)
			}
		})
	}
}

// A fixed finding's reason, and the fallback of a run without a commit, in
// Russian; a project name and a commit as they came.
func TestTextsInRussian(t *testing.T) {
	t.Parallel()
	a := api.Alert{ID: 1, Policy: 12, Status: api.AlertActive, DependencyName: "django"}
	d := Decide(DecideInput{Policies: []api.Policy{blocker()}, Now: now, Baseline: []api.Alert{a}, HasBaseline: true})
	if len(d.Fixed) != 1 {
		t.Fatalf("%d fixed, want 1", len(d.Fixed))
	}
	for _, tc := range []struct {
		text     Text
		want, en string
	}{
		{d.Fixed[0].Reason, "в базе сравнения, но не в этом анализе", "on the baseline, not in this analysis"},
		{say("fallback.nocommit", say("of.project", "payments-service"), "9fceb02"),
			"Коммит не указан, поэтому гейт принял решение по последнему анализу проекта payments-service (коммит 9fceb02), а это может быть не код этой сборки.",
			"No commit was given, so the gate decided on the newest analysis of project payments-service (commit 9fceb02), which may not be this build's code."},
		{say("fallback.nocommit", "main", orUnknown("")),
			"Коммит не указан, поэтому гейт принял решение по последнему анализу main (коммит неизвестно), а это может быть не код этой сборки.",
			"No commit was given, so the gate decided on the newest analysis of main (commit unknown), which may not be this build's code."},
		{Plain("as the server said"), "as the server said", "as the server said"},
		{Text{}, "", ""},
	} {
		if got := tc.text.In(i18n.Russian); got != tc.want {
			t.Errorf("ru %q, want %q", got, tc.want)
		}
		if got := tc.text.String(); got != tc.en {
			t.Errorf("en %q, want %q", got, tc.en)
		}
	}
}
