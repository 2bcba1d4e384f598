package gate

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
)

// DecideInput is what Decide classifies: the policies and the alerts of one
// finished, successful analysis.
type DecideInput struct {
	Policies []api.Policy
	Alerts   []api.Alert
	// Stage, when set, limits blocking to policies whose stages contain it.
	Stage string
	// Now is the time the delayed blocks are measured against. A zero Now
	// treats every delayed block as due, so a caller that forgets it cannot
	// turn blocks into upcoming ones.
	Now time.Time
	// Baseline are the alerts of the baseline analysis (the newest successful
	// one of the base branch); HasBaseline says there is one, so that a
	// baseline with no alerts is told apart from none.
	Baseline    []api.Alert
	HasBaseline bool
	// BaselineKeys are KeysOf(Baseline), when the caller computed them
	// ahead (Run does, while it waits for the head analysis); Decide
	// computes them when BaselineKeys does not have one per alert.
	BaselineKeys FindingKeys
	// BaselineRef names the baseline's branch in reasons; may be empty.
	BaselineRef string
	// BlockOn BlockOnNew lets only findings the baseline does not have
	// block. Without a baseline, and for any other value, every blocking
	// alert blocks (fail-closed).
	BlockOn BlockOn
}

// Decide classifies every alert by the rule of the contract (§6): an alert
// blocks when it is active, its policy is an active blocker, the chosen stage
// (if any) is in the policy's stages and its delayed block is due. Where the
// data does not allow the rule to be applied as written (a missing policy, an
// unknown status, a delay without dates) Decide fails closed: the alert
// blocks, and a Note says why.
//
// With a baseline, every active alert is new or existing by its Fingerprint
// (an existing finding is one the baseline has in an alert that is not
// resolved), and the baseline's active alerts whose finding no unresolved
// alert of this analysis has are Fixed. Under BlockOnNew an existing finding
// that would block or be upcoming is AlreadyOnBase instead and does not
// block. Decide never returns nil.
func Decide(in DecideInput) *Decision {
	policies := make(map[int64]*api.Policy, len(in.Policies))
	for i := range in.Policies {
		p := in.Policies[i] // a copy: findings must not alias the caller's slice
		if _, dup := policies[p.ID]; !dup {
			policies[p.ID] = &p
		}
	}

	// A list that changed while it was paged repeats an alert on a later
	// page (docs/codescoring-api.md §1): an id is counted once.
	head, repeated := uniqueAlerts(in.Alerts)
	// The baseline is not copied (it may hold ten thousand alerts): a
	// repeated alert has its copy's finding, and fixed keeps one per finding.
	base := in.Baseline

	// Classify in the output order, so that notes come out in a stable order
	// as well.
	alerts := sortAlerts(head, policies)

	d := &Decision{RepeatedAlerts: len(repeated)}
	var onBase, inHead map[string]bool
	var baseKeys []string // of base, by index
	if in.HasBaseline {
		d.Compared = true
		onBase = make(map[string]bool, len(base))
		baseKeys = in.BaselineKeys
		if len(baseKeys) != len(base) {
			baseKeys = KeysOf(base)
		}
		for i := range base {
			if alertStatus(base[i]) != api.AlertResolved {
				onBase[baseKeys[i]] = true
			}
		}
		inHead = make(map[string]bool, len(alerts))
	}
	blockOnNew := in.HasBaseline && in.BlockOn == BlockOnNew
	d.BlockOn = BlockOnAll
	if blockOnNew {
		d.BlockOn = BlockOnNew
	}
	var notes noteSet
	for _, id := range repeated {
		notes.add("repeated", id, func(ids []int64) Text {
			return several(ids, say("note.repeated", alertList(ids)), say("note.repeated.n", alertList(ids)))
		})
	}
	if in.Now.IsZero() && len(alerts) > 0 {
		notes.add("no-now", 0, func([]int64) Text { return say("note.nonow") })
	}
	for _, a := range alerts {
		f := classify(a, policies[a.Policy], in.Stage, in.Now, &notes)
		if in.HasBaseline {
			key := findingKey(a)
			if f.Category != Resolved {
				inHead[key] = true
			}
			if f.Category <= Warning {
				f.Origin = OriginNew
				if onBase[key] {
					f.Origin = OriginExisting
				}
			}
			if blockOnNew && f.Origin == OriginExisting && (f.Category == Blocking || f.Category == Upcoming) {
				f.Held, f.Category = f.Category, AlreadyOnBase
				f.Reason = say("reason.onbase", baseName(in.BaselineRef), f.Reason)
			}
		}
		switch f.Category {
		case Blocking:
			d.Blocking = append(d.Blocking, f)
		case Upcoming:
			d.Upcoming = append(d.Upcoming, f)
		case Warning:
			d.Warnings = append(d.Warnings, f)
		case Ignored:
			d.Ignored = append(d.Ignored, f)
		case Resolved:
			d.Resolved = append(d.Resolved, f)
		case AlreadyOnBase:
			d.AlreadyOnBase = append(d.AlreadyOnBase, f)
		}
	}
	if in.HasBaseline {
		d.Fixed = fixed(base, baseKeys, policies, inHead)
	}
	d.Notes = notes.texts()
	return d
}

// uniqueAlerts returns alerts with each id once, in their order, keeping the
// first copy, and the ids of the copies it dropped.
func uniqueAlerts(alerts []api.Alert) (unique []api.Alert, repeated []int64) {
	seen := make(map[int64]bool, len(alerts))
	unique = make([]api.Alert, 0, len(alerts))
	for _, a := range alerts {
		if seen[a.ID] {
			repeated = append(repeated, a.ID)
			continue
		}
		seen[a.ID] = true
		unique = append(unique, a)
	}
	return unique, repeated
}

// fixed returns the active (or unknown-status) alerts of base (whose
// finding keys are keys) whose finding is not in head, one per finding (the
// first in the output order), sorted as every list is. It sorts indexes, not
// alerts: a baseline can hold ten thousand.
func fixed(base []api.Alert, keys []string, policies map[int64]*api.Policy, head map[string]bool) []Finding {
	var idx []int
	for i := range base {
		if s := alertStatus(base[i]); s == api.AlertIgnored || s == api.AlertResolved || head[keys[i]] {
			continue
		}
		idx = append(idx, i)
	}
	// The policy names once per alert, not once per comparison. An id
	// breaks every tie but between copies of one alert, so the sort need
	// not be stable.
	names := make([]string, len(base))
	for _, i := range idx {
		if p := policies[base[i].Policy]; p != nil {
			names[i] = p.Name
		} else {
			names[i] = base[i].PolicyName
		}
	}
	slices.SortFunc(idx, func(i, j int) int {
		a, b := &base[i], &base[j]
		return cmp.Or(
			strings.Compare(names[i], names[j]),
			strings.Compare(a.DependencyName, b.DependencyName),
			strings.Compare(a.DependencyVersion, b.DependencyVersion),
			cmp.Compare(a.ID, b.ID),
		)
	})
	out := make([]Finding, 0, len(idx))
	seen := make(map[string]bool, len(idx))
	for _, i := range idx {
		if seen[keys[i]] {
			continue
		}
		seen[keys[i]] = true
		b := base[i]
		out = append(out, Finding{Alert: b, Policy: policies[b.Policy], Category: Fixed, Held: Fixed,
			Reason: say("reason.fixed")})
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// sortAlerts returns a sorted copy of alerts: by policy name, dependency
// name and version, then id.
func sortAlerts(in []api.Alert, policies map[int64]*api.Policy) []api.Alert {
	alerts := slices.Clone(in)
	less := alertOrder(policies)
	slices.SortStableFunc(alerts, func(a, b api.Alert) int { return less(&a, &b) })
	return alerts
}

// alertOrder compares two alerts in the output order: by policy name (from
// the policy list, else the alert's own), dependency name and version, id.
func alertOrder(policies map[int64]*api.Policy) func(a, b *api.Alert) int {
	policyName := func(a *api.Alert) string {
		if p := policies[a.Policy]; p != nil {
			return p.Name
		}
		return a.PolicyName
	}
	return func(a, b *api.Alert) int {
		return cmp.Or(
			strings.Compare(policyName(a), policyName(b)),
			strings.Compare(a.DependencyName, b.DependencyName),
			strings.Compare(a.DependencyVersion, b.DependencyVersion),
			cmp.Compare(a.ID, b.ID),
		)
	}
}

func alertStatus(a api.Alert) string { return strings.ToLower(strings.TrimSpace(a.Status)) }

// baseName is the baseline's branch for a reason, "the baseline" without one.
func baseName(ref string) any {
	if ref = strings.TrimSpace(ref); ref != "" {
		return ref
	}
	return say("reason.thebaseline")
}

// VerdictFor returns the verdict of d in mode m: pass when nothing blocks,
// else fail in enforce mode and warn in warn mode. A nil d (no decision could
// be made) is an error; an unknown mode is treated as enforce, so that a typo
// never turns a failure into a pass.
func VerdictFor(d *Decision, m Mode) Verdict {
	switch {
	case d == nil:
		return VerdictError
	case len(d.Blocking) == 0:
		return VerdictPass
	case m == ModeWarn:
		return VerdictWarn
	default:
		return VerdictFail
	}
}

// classify applies the rule to one alert; p is nil when the alert's policy is
// not in the policy list.
func classify(a api.Alert, p *api.Policy, stage string, now time.Time, notes *noteSet) Finding {
	switch status := alertStatus(a); status {
	case api.AlertIgnored:
		return Finding{Alert: a, Policy: p, Category: Ignored, Reason: say("what.ignored")}
	case api.AlertResolved:
		return Finding{Alert: a, Policy: p, Category: Resolved, Reason: say("reason.resolved")}
	case api.AlertActive:
		return classifyActive(a, p, stage, now, notes)
	default:
		notes.add("status\x00"+status, a.ID, func(ids []int64) Text {
			return several(ids, say("note.status", alertList(ids), a.Status), say("note.status.n", alertList(ids), a.Status))
		})
		f := classifyActive(a, p, stage, now, notes)
		f.Reason = say("reason.status", a.Status, f.Reason)
		return f
	}
}

// classifyActive applies the rule to an active alert.
func classifyActive(a api.Alert, p *api.Policy, stage string, now time.Time, notes *noteSet) Finding {
	f := Finding{Alert: a, Policy: p}
	if p == nil {
		return classifyOrphan(f, notes)
	}

	if a.IsBlocksBuild != nil && *a.IsBlocksBuild != p.IsBlocksBuild {
		key := fmt.Sprintf("disagree\x00%d\x00%t", p.ID, p.IsBlocksBuild)
		notes.add(key, a.ID, func(ids []int64) Text {
			is := say("note.notblocker")
			if p.IsBlocksBuild {
				is = say("note.isblocker")
			}
			return several(ids, say("note.disagree", alertList(ids), *a.IsBlocksBuild, p.ID, p.Name, is),
				say("note.disagree.n", alertList(ids), *a.IsBlocksBuild, p.ID, p.Name, is))
		})
	}

	switch {
	case !p.IsActive:
		f.Category, f.Reason = Warning, say("reason.inactive")
		return f
	case !p.IsBlocksBuild:
		f.Category, f.Reason = Warning, say("reason.notblocker")
		return f
	case stage != "" && !hasStage(p.Stages, stage):
		f.Category = Warning
		f.Reason = say("reason.stage", stage, stageList(p.Stages))
		return f
	case p.BlockDelay <= 0:
		f.Category, f.Reason = Blocking, say("reason.blocker")
		return f
	}

	since := a.FirstTriggeredAt
	if since.IsZero() {
		since = a.CreatedAt
	}
	if since.IsZero() {
		notes.add(fmt.Sprintf("undated\x00%d", p.ID), a.ID, func(ids []int64) Text {
			return several(ids, say("note.undated", alertList(ids), p.ID, p.Name, days(p.BlockDelay)),
				say("note.undated.n", alertList(ids), p.ID, p.Name, days(p.BlockDelay)))
		})
		f.Category = Blocking
		f.Reason = say("reason.undated", days(p.BlockDelay))
		return f
	}
	f.BlocksAt = since.Add(p.BlockDelay)
	if now.IsZero() || !f.BlocksAt.After(now) {
		f.Category = Blocking
		f.Reason = say("reason.ended", days(p.BlockDelay), stamp(f.BlocksAt))
		return f
	}
	f.Category = Upcoming
	f.Reason = say("reason.from", stamp(f.BlocksAt), days(p.BlockDelay))
	return f
}

// classifyOrphan decides an active alert whose policy is not in the policy
// list from the alert's own blocker flag; without one it blocks.
func classifyOrphan(f Finding, notes *noteSet) Finding {
	a := f.Alert
	notes.add(fmt.Sprintf("orphan\x00%d", a.Policy), a.ID, func(ids []int64) Text {
		return several(ids, say("note.orphan", a.Policy, alertList(ids)), say("note.orphan.n", a.Policy, alertList(ids)))
	})
	switch {
	case a.IsBlocksBuild == nil:
		notes.add(fmt.Sprintf("orphan-nil\x00%d", a.Policy), a.ID, func(ids []int64) Text {
			return several(ids, say("note.orphan.nil", alertList(ids), a.Policy), say("note.orphan.nil.n", alertList(ids), a.Policy))
		})
		f.Category = Blocking
		f.Reason = say("reason.unlisted.unknown", a.Policy)
	case *a.IsBlocksBuild:
		f.Category = Blocking
		f.Reason = say("reason.unlisted.blocks", a.Policy)
	default:
		f.Category = Warning
		f.Reason = say("reason.unlisted.nonblocking", a.Policy)
	}
	return f
}

func hasStage(stages []string, stage string) bool {
	stage = strings.TrimSpace(stage)
	return slices.ContainsFunc(stages, func(s string) bool {
		return strings.EqualFold(strings.TrimSpace(s), stage)
	})
}

// days is a block delay the way users configure it, in days: a count of
// days when it is whole days, else the duration as Go writes it.
func days(d time.Duration) any {
	const day = 24 * time.Hour
	if d%day == 0 {
		return say("n.day", int(d/day))
	}
	return d.String()
}

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

// noteSet gathers notes by key, so that a thousand alerts with the same
// problem make one note that lists a few of them.
type noteSet struct {
	order []*note
	byKey map[string]*note
}

type note struct {
	ids  []int64
	text func(ids []int64) Text
}

// add counts alert id under key; text writes the note from all ids of key.
// An id of zero adds the note without naming an alert.
func (s *noteSet) add(key string, id int64, text func(ids []int64) Text) {
	n := s.byKey[key]
	if n == nil {
		if s.byKey == nil {
			s.byKey = map[string]*note{}
		}
		n = &note{text: text}
		s.byKey[key] = n
		s.order = append(s.order, n)
	}
	if id != 0 {
		n.ids = append(n.ids, id)
	}
}

func (s *noteSet) texts() []Text {
	var out []Text
	for _, n := range s.order {
		out = append(out, n.text(n.ids))
	}
	return out
}

// alertList says "alert 1" or "alerts 1, 2, 3, 4, 5 and 7 more".
func alertList(ids []int64) Text {
	const shown = 5
	if len(ids) == 1 {
		return say("note.alert", ids[0])
	}
	parts := make([]string, 0, shown)
	for i, id := range ids {
		if i == shown {
			break
		}
		parts = append(parts, strconv.FormatInt(id, 10))
	}
	list := strings.Join(parts, ", ")
	if n := len(ids) - shown; n > 0 {
		return say("note.alerts.more", list, n)
	}
	return say("note.alerts", list)
}

// several is one, the sentence about a single alert, when ids has one
// alert, else many: the words of a sentence agree with how many alerts it
// names, which is not the plural of a count (none is shown).
func several(ids []int64, one, many Text) Text {
	if len(ids) == 1 {
		return one
	}
	return many
}

// stageList writes stages as a list a person reads: "dev, source, build",
// or "none" when the policy has none.
func stageList(stages []string) any {
	if len(stages) == 0 {
		return say("reason.none")
	}
	return strings.Join(stages, ", ")
}
