package gate

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
	"github.com/codescoring-gate/codescoring-gate/internal/i18n"
)

// now is the decision time of the Decide tests.
var now = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

const day = 24 * time.Hour

func blocker() api.Policy {
	return api.Policy{ID: 12, Name: "No critical CVEs", Stages: []string{"dev", "source"}, IsActive: true, IsBlocksBuild: true}
}

// classified is what a test wants of one finding.
type classified struct {
	Category Category
	Reason   string
	BlocksAt time.Time
	PolicyID int64 // of Finding.Policy; 0 when nil
}

func TestDecideRules(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		policy    func(*api.Policy) // changes blocker(); nil policy list when it sets ID 0
		alert     func(*api.Alert)  // changes an active alert of policy 12
		stage     string
		now       time.Time // zero: now
		zeroNow   bool
		want      classified
		wantNotes []string
	}{
		{
			name: "active alert of an active blocker blocks",
			want: classified{Category: Blocking, Reason: "policy is an active blocker", PolicyID: 12},
		},
		{
			name:  "ignored never blocks",
			alert: func(a *api.Alert) { a.Status = api.AlertIgnored },
			want:  classified{Category: Ignored, Reason: "a policy ignore applies", PolicyID: 12},
		},
		{
			name:  "resolved never blocks",
			alert: func(a *api.Alert) { a.Status = api.AlertResolved },
			want:  classified{Category: Resolved, Reason: "no longer true", PolicyID: 12},
		},
		{
			name:  "status in another case is known",
			alert: func(a *api.Alert) { a.Status = " Active" },
			want:  classified{Category: Blocking, Reason: "policy is an active blocker", PolicyID: 12},
		},
		{
			name:      "unknown status is active",
			alert:     func(a *api.Alert) { a.Status = "snoozed" },
			want:      classified{Category: Blocking, Reason: `status "snoozed" treated as active: policy is an active blocker`, PolicyID: 12},
			wantNotes: []string{`alert 1 has the unknown status "snoozed": treated as active (fail-closed)`},
		},
		{
			name:      "empty status is active",
			alert:     func(a *api.Alert) { a.Status = "" },
			want:      classified{Category: Blocking, Reason: `status "" treated as active: policy is an active blocker`, PolicyID: 12},
			wantNotes: []string{`alert 1 has the unknown status "": treated as active (fail-closed)`},
		},
		{
			name:      "unknown status of a non-blocker warns",
			policy:    func(p *api.Policy) { p.IsBlocksBuild = false },
			alert:     func(a *api.Alert) { a.Status = "snoozed" },
			want:      classified{Category: Warning, Reason: `status "snoozed" treated as active: policy is not a blocker`, PolicyID: 12},
			wantNotes: []string{`alert 1 has the unknown status "snoozed": treated as active (fail-closed)`},
		},
		{
			name:   "inactive policy warns",
			policy: func(p *api.Policy) { p.IsActive = false },
			want:   classified{Category: Warning, Reason: "policy is inactive", PolicyID: 12},
		},
		{
			name:   "non-blocker warns",
			policy: func(p *api.Policy) { p.IsBlocksBuild = false },
			want:   classified{Category: Warning, Reason: "policy is not a blocker", PolicyID: 12},
		},
		{
			name:  "stage not in the policy's stages warns",
			stage: "build",
			want:  classified{Category: Warning, Reason: "stage build is not in the policy's stages dev, source", PolicyID: 12},
		},
		{
			name:  "stage in the policy's stages blocks",
			stage: "source",
			want:  classified{Category: Blocking, Reason: "policy is an active blocker", PolicyID: 12},
		},
		{
			name:  "stage matches in any case",
			stage: "SOURCE",
			want:  classified{Category: Blocking, Reason: "policy is an active blocker", PolicyID: 12},
		},
		{
			name:   "policy without stages and a chosen stage warns",
			policy: func(p *api.Policy) { p.Stages = nil },
			stage:  "source",
			want:   classified{Category: Warning, Reason: "stage source is not in the policy's stages none", PolicyID: 12},
		},
		{
			name:   "no chosen stage ignores the policy's stages",
			policy: func(p *api.Policy) { p.Stages = []string{"prod"} },
			want:   classified{Category: Blocking, Reason: "policy is an active blocker", PolicyID: 12},
		},
		{
			name:   "inactive wins over a delay not yet due",
			policy: func(p *api.Policy) { p.IsActive = false; p.BlockDelay = 7 * day },
			alert:  func(a *api.Alert) { a.FirstTriggeredAt = now.Add(-day) },
			want:   classified{Category: Warning, Reason: "policy is inactive", PolicyID: 12},
		},
		{
			name:   "delayed block that is due blocks",
			policy: func(p *api.Policy) { p.BlockDelay = 7 * day },
			alert:  func(a *api.Alert) { a.FirstTriggeredAt = now.Add(-8 * day) },
			want: classified{Category: Blocking, Reason: "block delay of 7 days ended 2026-11-25 12:00 UTC",
				BlocksAt: now.Add(-day), PolicyID: 12},
		},
		{
			name:   "delayed block due this very moment blocks",
			policy: func(p *api.Policy) { p.BlockDelay = day },
			alert:  func(a *api.Alert) { a.FirstTriggeredAt = now.Add(-day) },
			want: classified{Category: Blocking, Reason: "block delay of 1 day ended 2026-11-26 12:00 UTC",
				BlocksAt: now, PolicyID: 12},
		},
		{
			name:   "delayed block not yet due is upcoming",
			policy: func(p *api.Policy) { p.BlockDelay = 7 * day },
			alert:  func(a *api.Alert) { a.FirstTriggeredAt = now.Add(-6 * day) },
			want: classified{Category: Upcoming, Reason: "blocks from 2026-11-27 12:00 UTC (block delay of 7 days)",
				BlocksAt: now.Add(day), PolicyID: 12},
		},
		{
			name:   "delay of hours",
			policy: func(p *api.Policy) { p.BlockDelay = 36 * time.Hour },
			alert:  func(a *api.Alert) { a.FirstTriggeredAt = now.Add(-time.Hour) },
			want: classified{Category: Upcoming, Reason: "blocks from 2026-11-27 23:00 UTC (block delay of 36h0m0s)",
				BlocksAt: now.Add(35 * time.Hour), PolicyID: 12},
		},
		{
			name:   "delay counts from created_at without first_triggered_at",
			policy: func(p *api.Policy) { p.BlockDelay = 7 * day },
			alert:  func(a *api.Alert) { a.CreatedAt = now.Add(-6 * day) },
			want: classified{Category: Upcoming, Reason: "blocks from 2026-11-27 12:00 UTC (block delay of 7 days)",
				BlocksAt: now.Add(day), PolicyID: 12},
		},
		{
			name:   "delay counts from first_triggered_at over created_at",
			policy: func(p *api.Policy) { p.BlockDelay = 7 * day },
			alert:  func(a *api.Alert) { a.FirstTriggeredAt = now.Add(-8 * day); a.CreatedAt = now },
			want: classified{Category: Blocking, Reason: "block delay of 7 days ended 2026-11-25 12:00 UTC",
				BlocksAt: now.Add(-day), PolicyID: 12},
		},
		{
			name:   "delay without dates blocks",
			policy: func(p *api.Policy) { p.BlockDelay = 7 * day },
			want: classified{Category: Blocking,
				Reason: "block delay of 7 days cannot be dated (no first_triggered_at or created_at): treated as due", PolicyID: 12},
			wantNotes: []string{`alert 1 of policy 12 "No critical CVEs" has no first_triggered_at or created_at, so the block delay of 7 days cannot be dated: treated as due (fail-closed)`},
		},
		{
			name:    "delay without a decision time blocks",
			policy:  func(p *api.Policy) { p.BlockDelay = 7 * day },
			alert:   func(a *api.Alert) { a.FirstTriggeredAt = now.Add(-6 * day) },
			zeroNow: true,
			want: classified{Category: Blocking, Reason: "block delay of 7 days ended 2026-11-27 12:00 UTC",
				BlocksAt: now.Add(day), PolicyID: 12},
			wantNotes: []string{"no decision time was given: delayed blocks are treated as due (fail-closed)"},
		},
		{
			name:      "alert says it does not block, the policy list wins",
			alert:     func(a *api.Alert) { a.IsBlocksBuild = boolp(false) },
			want:      classified{Category: Blocking, Reason: "policy is an active blocker", PolicyID: 12},
			wantNotes: []string{`alert 1 says is_blocks_build=false, but policy 12 "No critical CVEs" is a blocker: the policy list wins`},
		},
		{
			name:      "alert says it blocks, the policy list wins",
			policy:    func(p *api.Policy) { p.IsBlocksBuild = false },
			alert:     func(a *api.Alert) { a.IsBlocksBuild = boolp(true) },
			want:      classified{Category: Warning, Reason: "policy is not a blocker", PolicyID: 12},
			wantNotes: []string{`alert 1 says is_blocks_build=true, but policy 12 "No critical CVEs" is not a blocker: the policy list wins`},
		},
		{
			name:  "alert agreeing with its policy makes no note",
			alert: func(a *api.Alert) { a.IsBlocksBuild = boolp(true) },
			want:  classified{Category: Blocking, Reason: "policy is an active blocker", PolicyID: 12},
		},
		{
			name:   "missing policy, alert without a flag blocks",
			policy: func(p *api.Policy) { p.ID = 0 },
			want: classified{Category: Blocking,
				Reason: "policy 12 is not in the policy list and the alert does not say whether it blocks: blocking (fail-closed; stage and block delay not checked)"},
			wantNotes: []string{
				"policy 12 of alert 1 is not in the policy list (deleted, or not visible to the token): decided from the alerts' own is_blocks_build; its stages and block delay cannot be checked",
				"alert 1 of the missing policy 12 does not say whether it blocks: it blocks the build (fail-closed)",
			},
		},
		{
			name:   "missing policy, alert that says it blocks blocks",
			policy: func(p *api.Policy) { p.ID = 0 },
			alert:  func(a *api.Alert) { a.IsBlocksBuild = boolp(true) },
			stage:  "build", // cannot be checked without the policy
			want: classified{Category: Blocking,
				Reason: "policy 12 is not in the policy list; the alert says it blocks (stage and block delay not checked)"},
			wantNotes: []string{
				"policy 12 of alert 1 is not in the policy list (deleted, or not visible to the token): decided from the alerts' own is_blocks_build; its stages and block delay cannot be checked",
			},
		},
		{
			name:   "missing policy, alert that says it does not block warns",
			policy: func(p *api.Policy) { p.ID = 0 },
			alert:  func(a *api.Alert) { a.IsBlocksBuild = boolp(false) },
			want:   classified{Category: Warning, Reason: "policy 12 is not in the policy list; the alert says it does not block"},
			wantNotes: []string{
				"policy 12 of alert 1 is not in the policy list (deleted, or not visible to the token): decided from the alerts' own is_blocks_build; its stages and block delay cannot be checked",
			},
		},
		{
			name:   "missing policy of an ignored alert makes no note",
			policy: func(p *api.Policy) { p.ID = 0 },
			alert:  func(a *api.Alert) { a.Status = api.AlertIgnored },
			want:   classified{Category: Ignored, Reason: "a policy ignore applies"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := blocker()
			if tc.policy != nil {
				tc.policy(&p)
			}
			var policies []api.Policy
			if p.ID != 0 {
				policies = []api.Policy{p, {ID: 13, Name: "Other"}}
			}
			a := api.Alert{ID: 1, Policy: 12, PolicyName: "No critical CVEs", Status: api.AlertActive, DependencyName: "django"}
			if tc.alert != nil {
				tc.alert(&a)
			}
			in := DecideInput{Policies: policies, Alerts: []api.Alert{a}, Stage: tc.stage, Now: now}
			if tc.zeroNow {
				in.Now = time.Time{}
			}

			d := Decide(in)

			all := allFindings(d)
			if len(all) != 1 {
				t.Fatalf("%d findings, want 1: %+v", len(all), d)
			}
			f := all[0]
			got := classified{Category: f.Category, Reason: f.Reason.String(), BlocksAt: f.BlocksAt}
			if f.Policy != nil {
				got.PolicyID = f.Policy.ID
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("finding (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantNotes, english(d.Notes)); diff != "" {
				t.Errorf("notes (-want +got):\n%s", diff)
			}
			if gotList := listOf(d, f.Category); len(gotList) != 1 {
				t.Errorf("category %s but its list has %d findings", f.Category, len(gotList))
			}
			if f.Alert.ID != a.ID {
				t.Errorf("finding of alert %d, want %d", f.Alert.ID, a.ID)
			}
		})
	}
}

// english is texts in English, as the report files have them.
func english(texts []Text) []string {
	var out []string
	for _, t := range texts {
		out = append(out, t.String())
	}
	return out
}

// allFindings returns every finding of d, most important first.
func allFindings(d *Decision) []Finding {
	return slices.Concat(d.Blocking, d.Upcoming, d.Warnings, d.Ignored, d.Resolved)
}

func listOf(d *Decision, c Category) []Finding {
	return map[Category][]Finding{
		Blocking: d.Blocking, Upcoming: d.Upcoming, Warning: d.Warnings, Ignored: d.Ignored, Resolved: d.Resolved,
	}[c]
}

func TestDecideSortsStably(t *testing.T) {
	t.Parallel()
	policies := []api.Policy{
		{ID: 1, Name: "B policy", IsActive: true, IsBlocksBuild: true},
		{ID: 2, Name: "A policy", IsActive: true, IsBlocksBuild: true},
	}
	alerts := []api.Alert{
		{ID: 9, Policy: 1, Status: "active", DependencyName: "a", DependencyVersion: "1"},
		{ID: 8, Policy: 2, Status: "active", DependencyName: "z", DependencyVersion: "1"},
		{ID: 7, Policy: 2, Status: "active", DependencyName: "m", DependencyVersion: "2"},
		{ID: 6, Policy: 2, Status: "active", DependencyName: "m", DependencyVersion: "1"},
		{ID: 5, Policy: 2, Status: "active", DependencyName: "m", DependencyVersion: "1"},
		// Missing policy: sorted by the alert's own policy name.
		{ID: 4, Policy: 3, PolicyName: "AA policy", Status: "active", DependencyName: "a"},
	}
	input := slices.Clone(alerts)
	d := Decide(DecideInput{Policies: policies, Alerts: alerts, Now: now})

	var got []int64
	for _, f := range d.Blocking {
		got = append(got, f.Alert.ID)
	}
	if want := []int64{5, 6, 7, 8, 4, 9}; !slices.Equal(got, want) {
		t.Errorf("blocking order %v, want %v", got, want)
	}
	if diff := cmp.Diff(input, alerts); diff != "" {
		t.Errorf("Decide changed its input (-before +after):\n%s", diff)
	}
	d.Blocking[0].Policy.Name = "changed"
	if policies[1].Name != "A policy" {
		t.Error("a finding's Policy aliases the caller's policy list")
	}
}

func TestDecideGathersNotes(t *testing.T) {
	t.Parallel()
	var alerts []api.Alert
	for id := int64(1); id <= 7; id++ {
		alerts = append(alerts, api.Alert{ID: id, Policy: 99, Status: "active", DependencyName: fmt.Sprint(id)})
	}
	alerts = append(alerts, api.Alert{ID: 8, Policy: 98, Status: "active", IsBlocksBuild: boolp(false)})
	d := Decide(DecideInput{Alerts: alerts, Now: now})
	want := []string{
		"policy 98 of alert 8 is not in the policy list (deleted, or not visible to the token): decided from the alerts' own is_blocks_build; its stages and block delay cannot be checked",
		"policy 99 of alerts 1, 2, 3, 4, 5 and 2 more is not in the policy list (deleted, or not visible to the token): decided from the alerts' own is_blocks_build; its stages and block delay cannot be checked",
		"alerts 1, 2, 3, 4, 5 and 2 more of the missing policy 99 do not say whether they block: they block the build (fail-closed)",
	}
	if diff := cmp.Diff(want, english(d.Notes)); diff != "" {
		t.Errorf("notes (-want +got):\n%s", diff)
	}
	if got, want := len(d.Blocking), 7; got != want {
		t.Errorf("%d blocking, want %d", got, want)
	}
}

func TestDecideEmpty(t *testing.T) {
	t.Parallel()
	got := Decide(DecideInput{Policies: []api.Policy{blocker()}})
	if diff := cmp.Diff(&Decision{BlockOn: BlockOnAll}, got); diff != "" {
		t.Errorf("Decide of no alerts (-want +got):\n%s", diff)
	}
}

func TestDecideDuplicatePolicyFirstWins(t *testing.T) {
	t.Parallel()
	second := blocker()
	second.IsBlocksBuild = false
	d := Decide(DecideInput{
		Policies: []api.Policy{blocker(), second},
		Alerts:   []api.Alert{{ID: 1, Policy: 12, Status: "active"}},
		Now:      now,
	})
	if len(d.Blocking) != 1 {
		t.Errorf("decision %+v, want the alert to block by the first policy 12", d)
	}
}

func TestVerdictFor(t *testing.T) {
	t.Parallel()
	blocking := &Decision{Blocking: []Finding{{}}}
	nonBlocking := &Decision{Warnings: []Finding{{}}, Upcoming: []Finding{{}}}
	for _, tc := range []struct {
		name string
		d    *Decision
		mode Mode
		want Verdict
	}{
		{"no decision", nil, ModeEnforce, VerdictError},
		{"no decision in warn mode", nil, ModeWarn, VerdictError},
		{"nothing blocks", nonBlocking, ModeEnforce, VerdictPass},
		{"nothing blocks in warn mode", nonBlocking, ModeWarn, VerdictPass},
		{"blocks in enforce mode", blocking, ModeEnforce, VerdictFail},
		{"blocks in warn mode", blocking, ModeWarn, VerdictWarn},
		{"blocks in an unknown mode", blocking, Mode("Warn "), VerdictFail},
		{"blocks in no mode", blocking, "", VerdictFail},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := VerdictFor(tc.d, tc.mode); got != tc.want {
				t.Errorf("VerdictFor(%s) = %s, want %s", tc.mode, got, tc.want)
			}
		})
	}
}

// FuzzDecide checks what holds for any data: every alert lands in exactly
// one list, once however often it is listed, its category matches the
// list, and only active (or unknown) alerts block.
func FuzzDecide(f *testing.F) {
	f.Add("active", true, true, true, int64(7), int64(-3), "source", "dev,source")
	f.Add("ignored", true, true, false, int64(0), int64(0), "", "")
	f.Add("weird", false, true, true, int64(1), int64(5), "build", "build")
	f.Fuzz(func(t *testing.T, status string, active, blocks, known bool, delayDays, triggeredDaysAgo int64, stage, stages string) {
		p := api.Policy{ID: 1, Name: "p", IsActive: active, IsBlocksBuild: blocks,
			Stages: strings.Split(stages, ","), BlockDelay: time.Duration(delayDays%1000) * day}
		a := api.Alert{ID: 1, Policy: 1, Status: status, FirstTriggeredAt: now.Add(-time.Duration(triggeredDaysAgo%1000) * day)}
		b, c := a, a
		b.ID, c.ID = 2, 3
		in := DecideInput{Alerts: []api.Alert{a, b, c, a}, Stage: stage, Now: now}
		if known {
			in.Policies = []api.Policy{p}
		}
		d := Decide(in)
		all := allFindings(d)
		if len(all) != 3 || d.RepeatedAlerts != 1 {
			t.Fatalf("%d findings of 3 alerts, %d repeated; want 3 and 1", len(all), d.RepeatedAlerts)
		}
		for _, f := range all {
			if len(listOf(d, f.Category)) == 0 {
				t.Errorf("finding of category %s is not in its list", f.Category)
			}
			if s := strings.ToLower(strings.TrimSpace(status)); (s == "ignored" || s == "resolved") && f.Category < Warning {
				t.Errorf("a %s alert is %s", status, f.Category)
			}
			if f.Reason.IsZero() || f.Reason.In(i18n.Russian) == "" {
				t.Error("finding without a reason")
			}
		}
	})
}

// TestDecideRepeatedAlerts reads a list that changed while it was paged: the
// second page begins with the first page's last alert. Each alert is counted
// and listed once, the first copy kept, and a note says the list changed.
func TestDecideRepeatedAlerts(t *testing.T) {
	t.Parallel()
	warn := api.Policy{ID: 13, Name: "Licenses", IsActive: true}
	page1 := []api.Alert{
		{ID: 1, Policy: 12, Status: "active", DependencyName: "a"},
		{ID: 2, Policy: 13, Status: "active", DependencyName: "b"},
		{ID: 3, Policy: 12, Status: "active", DependencyName: "c"},
	}
	// The repeated alert was ignored meanwhile; the first copy is kept.
	page2 := []api.Alert{
		{ID: 3, Policy: 12, Status: "ignored", DependencyName: "c"},
		{ID: 4, Policy: 13, Status: "active", DependencyName: "d"},
		{ID: 2, Policy: 13, Status: "active", DependencyName: "b"},
	}
	d := Decide(DecideInput{Policies: []api.Policy{blocker(), warn}, Alerts: append(page1, page2...), Now: now,
		Baseline: append(page1[:1:1], page1[0]), HasBaseline: true})

	ids := func(fs []Finding) []int64 {
		var out []int64
		for _, f := range fs {
			out = append(out, f.Alert.ID)
		}
		return out
	}
	if got, want := ids(d.Blocking), []int64{1, 3}; !slices.Equal(got, want) {
		t.Errorf("blocking %v, want %v", got, want)
	}
	if got, want := ids(d.Warnings), []int64{2, 4}; !slices.Equal(got, want) {
		t.Errorf("warnings %v, want %v", got, want)
	}
	if len(d.Ignored) != 0 {
		t.Errorf("ignored %v, want none: the first copy of alert 3 is kept", ids(d.Ignored))
	}
	if got, want := d.RepeatedAlerts, 2; got != want {
		t.Errorf("RepeatedAlerts = %d, want %d", got, want)
	}
	want := []string{"the alert list changed while it was read: alerts 3, 2 were listed more than once and counted once"}
	if diff := cmp.Diff(want, english(d.Notes)); diff != "" {
		t.Errorf("notes (-want +got):\n%s", diff)
	}

	one := Decide(DecideInput{Policies: []api.Policy{blocker()}, Alerts: append(page1[:1:1], page1[0]), Now: now})
	if got, want := english(one.Notes), []string{"the alert list changed while it was read: alert 1 was listed more than once and counted once"}; !slices.Equal(got, want) {
		t.Errorf("notes %q, want %q", got, want)
	}
}
