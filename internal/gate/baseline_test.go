package gate

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
)

// basePolicies are a blocker (12), a delayed blocker (13, 30 days) and a
// non-blocker (14).
func basePolicies() []api.Policy {
	return []api.Policy{
		blocker(),
		{ID: 13, Name: "High CVEs, 30 days", IsActive: true, IsBlocksBuild: true, BlockDelay: 30 * day},
		{ID: 14, Name: "Medium CVEs", IsActive: true},
	}
}

// vuln is an active alert of policy on the Maven artifact at version with cve.
func vuln(id, policy int64, artifact, version, cve string) api.Alert {
	return api.Alert{
		ID: id, Policy: policy, Status: api.AlertActive, Technology: "java",
		DependencyPurl:    "pkg:maven/org.apache.commons/" + artifact + "@" + version,
		DependencyName:    "org.apache.commons:" + artifact,
		DependencyVersion: version, VulnerabilityCode: cve,
		FirstTriggeredAt: now.Add(-2 * day),
	}
}

func withStatus(a api.Alert, status string) api.Alert { a.Status = status; return a }

// placed is where a test wants one head alert: its list and origin.
type placed struct {
	Category Category
	Origin   Origin
	Held     Category // only for AlreadyOnBase
}

func TestDecideBaseline(t *testing.T) {
	t.Parallel()
	text := vuln(1, 12, "commons-text", "1.9", "CVE-2022-42889")
	textBumped := vuln(101, 12, "commons-text", "1.10.0", "CVE-2022-42889")
	coll := vuln(2, 12, "commons-collections4", "4.0", "CVE-2015-7501")
	io := vuln(3, 13, "commons-io", "2.6", "CVE-2021-29425")
	ioBase := vuln(103, 13, "commons-io", "2.6", "CVE-2021-29425")
	medium := vuln(4, 14, "commons-lang3", "3.8", "CVE-2025-48924")
	mediumBase := vuln(104, 14, "commons-lang3", "3.8", "CVE-2025-48924")
	otherPkg := vuln(5, 12, "commons-text-extra", "1.9", "CVE-2022-42889")
	gone := vuln(105, 12, "commons-fileupload", "1.3", "CVE-2016-1000031")
	goneAgain := vuln(106, 12, "commons-fileupload", "1.3.1", "CVE-2016-1000031")

	for _, tc := range []struct {
		name        string
		head, base  []api.Alert
		noBaseline  bool
		blockOn     BlockOn
		want        map[int64]placed
		wantFixed   []int64
		wantBlockOn BlockOn
		wantCounts  [3]int // new blocking, existing blocking, fixed
	}{
		{
			name: "version bump keeping the CVE is existing and blocks under all",
			head: []api.Alert{textBumped}, base: []api.Alert{text}, blockOn: BlockOnAll,
			want:       map[int64]placed{101: {Blocking, OriginExisting, 0}},
			wantCounts: [3]int{0, 1, 0},
		},
		{
			name: "existing blocker is already on base under new",
			head: []api.Alert{textBumped}, base: []api.Alert{text}, blockOn: BlockOnNew,
			want:       map[int64]placed{101: {AlreadyOnBase, OriginExisting, Blocking}},
			wantCounts: [3]int{0, 1, 0},
		},
		{
			name: "new package and same CVE in another package are new and block under new",
			head: []api.Alert{text, coll, otherPkg}, base: []api.Alert{text}, blockOn: BlockOnNew,
			want: map[int64]placed{
				1: {AlreadyOnBase, OriginExisting, Blocking},
				2: {Blocking, OriginNew, 0},
				5: {Blocking, OriginNew, 0},
			},
			wantCounts: [3]int{2, 1, 0},
		},
		{
			name: "existing upcoming is already on base under new, upcoming under all",
			head: []api.Alert{io}, base: []api.Alert{ioBase}, blockOn: BlockOnNew,
			want: map[int64]placed{3: {AlreadyOnBase, OriginExisting, Upcoming}},
		},
		{
			name: "existing upcoming under all",
			head: []api.Alert{io}, base: []api.Alert{ioBase}, blockOn: BlockOnAll,
			want: map[int64]placed{3: {Upcoming, OriginExisting, 0}},
		},
		{
			name: "existing warning stays a warning under new",
			head: []api.Alert{medium}, base: []api.Alert{mediumBase}, blockOn: BlockOnNew,
			want: map[int64]placed{4: {Warning, OriginExisting, 0}},
		},
		{
			name: "base alert no head alert has is fixed, once per finding",
			head: []api.Alert{text}, base: []api.Alert{text, gone, goneAgain}, blockOn: BlockOnAll,
			want:       map[int64]placed{1: {Blocking, OriginExisting, 0}},
			wantFixed:  []int64{105},
			wantCounts: [3]int{0, 1, 1},
		},
		{
			name: "resolved in head is fixed",
			head: []api.Alert{withStatus(text, api.AlertResolved)}, base: []api.Alert{text}, blockOn: BlockOnNew,
			want:       map[int64]placed{1: {Resolved, OriginUnknown, 0}},
			wantFixed:  []int64{1},
			wantCounts: [3]int{0, 0, 1},
		},
		{
			name: "ignored in head is not fixed, and has no origin",
			head: []api.Alert{withStatus(text, api.AlertIgnored)}, base: []api.Alert{text}, blockOn: BlockOnNew,
			want: map[int64]placed{1: {Ignored, OriginUnknown, 0}},
		},
		{
			name: "ignored on base and gone is not fixed, but makes the head finding existing",
			head: []api.Alert{textBumped}, base: []api.Alert{withStatus(text, api.AlertIgnored), withStatus(gone, " Ignored")}, blockOn: BlockOnNew,
			want:       map[int64]placed{101: {AlreadyOnBase, OriginExisting, Blocking}},
			wantCounts: [3]int{0, 1, 0},
		},
		{
			name: "resolved on base does not make the head finding existing",
			head: []api.Alert{textBumped}, base: []api.Alert{withStatus(text, api.AlertResolved)}, blockOn: BlockOnNew,
			want:       map[int64]placed{101: {Blocking, OriginNew, 0}},
			wantCounts: [3]int{1, 0, 0},
		},
		{
			name: "unknown status on base is present and can be fixed",
			head: []api.Alert{}, base: []api.Alert{withStatus(gone, "snoozed")}, blockOn: BlockOnNew,
			want:       map[int64]placed{},
			wantFixed:  []int64{105},
			wantCounts: [3]int{0, 0, 1},
		},
		{
			name: "a baseline with no alerts makes everything new",
			head: []api.Alert{text, coll}, base: nil, blockOn: BlockOnNew,
			want:       map[int64]placed{1: {Blocking, OriginNew, 0}, 2: {Blocking, OriginNew, 0}},
			wantCounts: [3]int{2, 0, 0},
		},
		{
			name: "no baseline: block-on new blocks as all (fail-closed), no origin",
			head: []api.Alert{text, io}, base: []api.Alert{text}, noBaseline: true, blockOn: BlockOnNew,
			want:        map[int64]placed{1: {Blocking, OriginUnknown, 0}, 3: {Upcoming, OriginUnknown, 0}},
			wantBlockOn: BlockOnAll,
			wantCounts:  [3]int{1, 0, 0},
		},
		{
			name: "an unknown block-on is all",
			head: []api.Alert{text}, base: []api.Alert{text}, blockOn: "New ",
			want:        map[int64]placed{1: {Blocking, OriginExisting, 0}},
			wantBlockOn: BlockOnAll,
			wantCounts:  [3]int{0, 1, 0},
		},
		{
			name: "renamed policy with the same id is existing",
			head: []api.Alert{func() api.Alert { a := textBumped; a.PolicyName = "Critical vulnerabilities"; return a }()},
			base: []api.Alert{func() api.Alert { a := text; a.PolicyName = "No critical CVEs (old)"; return a }()}, blockOn: BlockOnNew,
			want:       map[int64]placed{101: {AlreadyOnBase, OriginExisting, Blocking}},
			wantCounts: [3]int{0, 1, 0},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := Decide(DecideInput{
				Policies: basePolicies(), Alerts: tc.head, Now: now,
				Baseline: tc.base, HasBaseline: !tc.noBaseline, BaselineRef: "main", BlockOn: tc.blockOn,
			})
			got := map[int64]placed{}
			for _, f := range slices.Concat(allFindings(d), d.AlreadyOnBase) {
				p := placed{Category: f.Category, Origin: f.Origin}
				if f.Category == AlreadyOnBase {
					p.Held = f.Held
				}
				got[f.Alert.ID] = p
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("placement (-want +got):\n%s", diff)
			}
			var gotFixed []int64
			for _, f := range d.Fixed {
				gotFixed = append(gotFixed, f.Alert.ID)
				if f.Category != Fixed || f.Policy == nil || f.Reason.IsZero() {
					t.Errorf("fixed finding %+v: want category fixed, its policy and a reason", f)
				}
			}
			if diff := cmp.Diff(tc.wantFixed, gotFixed); diff != "" {
				t.Errorf("fixed (-want +got):\n%s", diff)
			}
			wantBlockOn := tc.wantBlockOn
			if wantBlockOn == "" {
				wantBlockOn = tc.blockOn
			}
			if d.BlockOn != wantBlockOn || d.Compared == tc.noBaseline {
				t.Errorf("BlockOn %q, Compared %t; want %q, %t", d.BlockOn, d.Compared, wantBlockOn, !tc.noBaseline)
			}
			n, e, f := d.BaselineCounts()
			if got := [3]int{n, e, f}; got != tc.wantCounts {
				t.Errorf("BaselineCounts = %v, want %v", got, tc.wantCounts)
			}
		})
	}
}

func TestDecideAlreadyOnBaseReason(t *testing.T) {
	t.Parallel()
	text := vuln(1, 12, "commons-text", "1.9", "CVE-2022-42889")
	for ref, want := range map[string]string{
		"main": "already on main (block-on: new): policy is an active blocker",
		"":     "already on the baseline (block-on: new): policy is an active blocker",
	} {
		d := Decide(DecideInput{Policies: basePolicies(), Alerts: []api.Alert{text}, Now: now,
			Baseline: []api.Alert{text}, HasBaseline: true, BaselineRef: ref, BlockOn: BlockOnNew})
		if len(d.AlreadyOnBase) != 1 || d.AlreadyOnBase[0].Reason.String() != want {
			t.Errorf("ref %q: already on base %+v, want one with reason %q", ref, d.AlreadyOnBase, want)
		}
	}
}

// randomAlerts draws n alerts from a small space of policies, packages,
// versions, codes and statuses, so that head and baseline share findings.
func randomAlerts(rnd *rand.Rand, n int, firstID int64) []api.Alert {
	statuses := []string{api.AlertActive, api.AlertActive, api.AlertActive, api.AlertIgnored, api.AlertResolved, "snoozed"}
	out := make([]api.Alert, n)
	for i := range out {
		a := api.Alert{
			ID: firstID + int64(i), Policy: int64(11 + rnd.IntN(5)), Status: statuses[rnd.IntN(len(statuses))],
			DependencyName: fmt.Sprintf("lib-%d", rnd.IntN(6)), DependencyVersion: fmt.Sprintf("1.%d", rnd.IntN(3)),
			Technology:       "java",
			FirstTriggeredAt: now.Add(-time.Duration(rnd.IntN(60)) * day),
		}
		if rnd.IntN(4) > 0 {
			a.DependencyPurl = "pkg:maven/org.example/" + a.DependencyName + "@" + a.DependencyVersion
		}
		switch rnd.IntN(3) {
		case 0:
			a.VulnerabilityCode = fmt.Sprintf("CVE-2024-%d", rnd.IntN(3))
		case 1:
			a.LicenseCode = []string{"GPL-3.0-only", "AGPL-3.0-only"}[rnd.IntN(2)]
		}
		out[i] = a
	}
	return out
}

// FuzzDecideBaseline checks the properties of the classification on random
// head and baseline alert sets: new ∪ existing are exactly the head's active
// alerts; fixed share no finding with them; block-on new never blocks more
// than all (and blocks a subset of it); without a baseline, new decides
// exactly as all.
func FuzzDecideBaseline(f *testing.F) {
	f.Add(uint64(1), uint8(10), uint8(10), "")
	f.Add(uint64(2), uint8(40), uint8(0), "build")
	f.Add(uint64(3), uint8(0), uint8(40), "source")
	f.Fuzz(func(t *testing.T, seed uint64, nHead, nBase uint8, stage string) {
		rnd := rand.New(rand.NewPCG(seed, 12))
		policies := []api.Policy{
			{ID: 11, Name: "Critical", IsActive: true, IsBlocksBuild: true, Stages: []string{"source"}},
			{ID: 12, Name: "Delayed", IsActive: true, IsBlocksBuild: true, BlockDelay: 30 * day},
			{ID: 13, Name: "Info", IsActive: true},
			{ID: 14, Name: "Inactive", IsBlocksBuild: true},
		} // 15 is missing: decided from the alert's own flag
		head := randomAlerts(rnd, int(nHead), 1)
		base := randomAlerts(rnd, int(nBase), 10_000)
		in := DecideInput{Policies: policies, Alerts: head, Stage: stage, Now: now,
			Baseline: base, HasBaseline: true, BaselineRef: "main"}
		decide := func(blockOn BlockOn, has bool) *Decision {
			in := in
			in.BlockOn, in.HasBaseline = blockOn, has
			return Decide(in)
		}
		all, onlyNew := decide(BlockOnAll, true), decide(BlockOnNew, true)

		// Keys computed ahead decide the same; keys of another length are
		// recomputed.
		wrong := append(KeysOf(base), "wrong")
		wrong[0] = "wrong"
		for _, keys := range []FindingKeys{KeysOf(base), wrong} {
			ahead := in
			ahead.BlockOn, ahead.BaselineKeys = BlockOnNew, keys
			if diff := cmp.Diff(onlyNew, Decide(ahead)); diff != "" {
				t.Fatalf("with BaselineKeys of %d alerts (-without +with):\n%s", len(keys), diff)
			}
		}

		for _, d := range []*Decision{all, onlyNew} {
			var active, classified []int64
			for _, a := range head {
				if s := alertStatus(a); s != api.AlertIgnored && s != api.AlertResolved {
					active = append(active, a.ID)
				}
			}
			headActive := map[string]bool{}
			for _, f := range slices.Concat(d.Blocking, d.Upcoming, d.Warnings, d.AlreadyOnBase) {
				if f.Origin != OriginNew && f.Origin != OriginExisting {
					t.Fatalf("%s: active alert %d has origin %s", d.BlockOn, f.Alert.ID, f.Origin)
				}
				classified = append(classified, f.Alert.ID)
				headActive[Fingerprint(f.Alert)] = true
			}
			slices.Sort(active)
			slices.Sort(classified)
			if !slices.Equal(active, classified) {
				t.Fatalf("%s: new ∪ existing = %v, want the active head alerts %v", d.BlockOn, classified, active)
			}
			for _, f := range d.Fixed {
				if headActive[Fingerprint(f.Alert)] {
					t.Fatalf("%s: fixed alert %d shares its finding with an active head alert", d.BlockOn, f.Alert.ID)
				}
			}
		}

		ids := func(fs []Finding) map[int64]bool {
			m := map[int64]bool{}
			for _, f := range fs {
				m[f.Alert.ID] = true
			}
			return m
		}
		allBlocking, newBlocking := ids(all.Blocking), ids(onlyNew.Blocking)
		for id := range newBlocking {
			if !allBlocking[id] {
				t.Fatalf("alert %d blocks under new but not under all", id)
			}
		}
		if VerdictFor(onlyNew, ModeEnforce) == VerdictFail && VerdictFor(all, ModeEnforce) != VerdictFail {
			t.Fatal("block-on new fails a build that all passes")
		}
		if !maps.Equal(ids(all.Fixed), ids(onlyNew.Fixed)) {
			t.Fatal("fixed depends on block-on")
		}

		noBaseNew, noBaseAll := decide(BlockOnNew, false), decide(BlockOnAll, false)
		if diff := cmp.Diff(noBaseAll, noBaseNew); diff != "" {
			t.Fatalf("without a baseline, new decides differently from all (-all +new):\n%s", diff)
		}
		if len(noBaseNew.Fixed) != 0 || len(noBaseNew.AlreadyOnBase) != 0 || noBaseNew.Compared {
			t.Fatal("without a baseline there is no fixed or already-on-base finding")
		}
		// Without a baseline, what blocks is what all blocks with one.
		if !maps.Equal(ids(noBaseNew.Blocking), allBlocking) {
			t.Fatal("the baseline changes what blocks under all")
		}
	})
}
