package doctor

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
	"github.com/codescoring-gate/codescoring-gate/internal/gate"
)

// stages are the policy stages of CodeScoring (docs/codescoring-api.md §4).
var stages = api.Stages()

// stuckAfter is how long an analysis may run before doctor calls it stuck.
const stuckAfter = 6 * time.Hour

// checkAPI asks for one page of projects, the first request of the run:
// how far it got makes the dns, tcp and tls checks (checkRoute), and its
// answer tells whether the API answers JSON and whether it accepts the
// token. apiOK is true when the token may read projects; docOK when the
// OpenAPI document is still worth reading.
func (d *doctor) checkAPI(ctx context.Context) (apiOK, docOK bool) {
	a, err := d.client.ProbeEndpoint(ctx, "projects", 0, url.Values{"page": {"1"}, "per_page": {"1"}}, maxAnswer)
	if ctx.Err() != nil || !d.checkRoute(a, err) {
		return false, false
	}
	var (
		apiErr  *api.APIError
		htmlErr *api.HTMLError
	)
	what := "GET " + a.Path
	switch {
	case errors.As(err, &htmlErr):
		d.set(CheckAPI, Fail, fmt.Sprintf("%s answered %s with %s instead of JSON", what, statusLine(a.StatusCode), describeBody(a)), d.advice(err))
		return false, false
	case err == nil && kindOf(a) == kindJSON:
		d.set(CheckAPI, Pass, fmt.Sprintf("%s answers JSON (%s)", what, statusLine(a.StatusCode)), "")
		d.tokenOK = true
		finding := "accepted: its user may read projects"
		if n, ok := count(a); ok {
			finding += fmt.Sprintf(" (%d visible)", n)
		}
		d.set(CheckToken, Pass, finding, "")
		d.anyProject = firstID(a)
		return true, true
	case err == nil:
		// Neither JSON nor a page: what the gate reads as not its API.
		d.set(CheckAPI, Fail, fmt.Sprintf("%s answered %s with %s instead of JSON", what, statusLine(a.StatusCode), describeBody(a)),
			d.advice(&api.HTMLError{StatusCode: a.StatusCode, Method: http.MethodGet, Path: a.Path, ContentType: a.ContentType}))
		return false, false
	case !errors.As(err, &apiErr):
		// No answer after all: a redirect the client does not follow, an
		// answer cut short or too large.
		finding := d.describeFinding(err)
		var redirErr *api.RedirectError
		if errors.As(err, &redirErr) {
			finding = redirErr.Error()
		}
		d.set(CheckAPI, Fail, finding, d.advice(err))
		return false, false
	case apiErr.NotJSON:
		d.set(CheckAPI, Fail, fmt.Sprintf("%s answered %s with %s, not JSON", what, statusLine(a.StatusCode), describeBody(a)), d.advice(err))
		return false, false
	case apiErr.StatusCode == http.StatusUnauthorized:
		d.set(CheckAPI, Pass, fmt.Sprintf("%s answers JSON", what), "")
		d.set(CheckToken, Fail, fmt.Sprintf("CodeScoring refused the token: %s answered %s", what, withDetail(apiErr)), d.advice(err))
		return false, true
	case apiErr.StatusCode == http.StatusForbidden:
		d.set(CheckAPI, Pass, fmt.Sprintf("%s answers JSON", what), "")
		d.set(CheckToken, Fail, fmt.Sprintf("the token's user may not read projects: %s answered %s", what, withDetail(apiErr)), d.advice(err))
		return false, true
	case apiErr.StatusCode == http.StatusNotFound:
		d.set(CheckAPI, Fail, fmt.Sprintf("%s answered %s: the API is not where the gate looks for it", what, withDetail(apiErr)), d.advice(err))
		return false, true
	}
	d.set(CheckAPI, Fail, fmt.Sprintf("%s answered %s", what, withDetail(apiErr)), d.advice(err))
	return false, false
}

// checkProject finds the project as the gate does: by id when the input is
// all digits, else by exact name.
func (d *doctor) checkProject(ctx context.Context) {
	ref := strings.TrimSpace(d.opts.Project)
	var (
		p   *api.Project
		err error
		id  int64
	)
	if isDigits(ref) {
		id, err = strconv.ParseInt(ref, 10, 64)
		if err != nil || id <= 0 {
			d.set(CheckProject, Fail, fmt.Sprintf("%q is not a valid project id", ref),
				"set the `project` input to the id from the project's page in CodeScoring (ids start at 1), or to its exact name")
			return
		}
		p, err = d.client.GetProject(ctx, id)
	} else {
		p, err = d.client.FindProject(ctx, ref)
	}
	var (
		notFound  *api.ProjectNotFoundError
		ambiguous *api.AmbiguousProjectError
		apiErr    *api.APIError
	)
	switch {
	case err == nil:
	case errors.As(err, &notFound):
		if len(notFound.Near) > 0 {
			d.set(CheckProject, Fail, fmt.Sprintf("no project is named %q; near matches: %s", ref, projectList(notFound.Near)),
				"set the `project` input to the exact name or the id of the project to gate")
			return
		}
		d.set(CheckProject, Fail, fmt.Sprintf("no project is named %q, and none has a similar name", ref),
			"check the `project` input (a whole name, case ignored) or use the project's id; the token's user "+
				"sees only the projects it has a role on")
		return
	case errors.As(err, &ambiguous):
		d.set(CheckProject, Fail, fmt.Sprintf("%d projects are named %q: %s", len(ambiguous.Matches), ref, projectList(ambiguous.Matches)),
			"set the `project` input to the id of the project to gate")
		return
	case errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound && id > 0:
		d.set(CheckProject, Fail, fmt.Sprintf("no project has id %d (GET %s answered 404)", id, d.relPath(apiErr.Path)),
			"check the `project` input: the id is in the project's page address in CodeScoring, and the token's user needs a role on it")
		return
	case errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusForbidden:
		d.set(CheckProject, Fail, fmt.Sprintf("the token's user may not read project %s", ref), d.adviceOp(gate.OpGetProject, err))
		return
	default:
		finding, fix := d.describeErr(gate.OpFindProject, err)
		d.set(CheckProject, Fail, "look up the project: "+finding, fix)
		return
	}
	d.project = p
	finding := fmt.Sprintf("%q (id %d, type %s, policy stage %s)", p.Name, p.ID, orNone(p.ProjectType), orNone(p.PolicyStage))
	if p.ProjectType != "" && p.ProjectType != "vcs" {
		d.set(CheckProject, Warn, finding+": CodeScoring analyses only VCS projects from their repository, so the gate cannot start its analyses",
			"set the `start` input to false: the gate then waits for the newest analysis of the project (e.g. one the CodeScoring CLI agent ran)")
		return
	}
	d.set(CheckProject, Pass, finding, "")
}

// fetchPolicies lists the policies; whether the token may read them is part
// of the token check.
func (d *doctor) fetchPolicies(ctx context.Context) {
	ps, err := d.client.Policies(ctx)
	tok := d.checks[CheckToken]
	var apiErr *api.APIError
	switch {
	case err == nil:
		d.policies = ps
		d.set(CheckToken, Pass, fmt.Sprintf("%s and policies (%d); not tested: the Developer or Owner role "+
			"that starting an analysis needs", tok.Finding, len(ps)), "")
	case errors.As(err, &apiErr) && (apiErr.StatusCode == http.StatusUnauthorized || apiErr.StatusCode == http.StatusForbidden):
		d.policyErr = err
		d.set(CheckToken, Fail, fmt.Sprintf("the token's user may read projects, but not policies: GET %s answered %s",
			d.relPath(apiErr.Path), statusLine(apiErr.StatusCode)), d.adviceOp(gate.OpReadPolicies, err))
	default:
		d.policyErr = err
		d.set(CheckToken, Pass, tok.Finding+"; its policies could not be listed (see the policies check)", "")
	}
}

// checkAnalyses reports the project's newest analysis.
func (d *doctor) checkAnalyses(ctx context.Context) {
	if d.project == nil {
		return
	}
	as, err := d.client.RecentAnalyses(ctx, d.project.ID, 1)
	if err != nil {
		finding, fix := d.describeErr(gate.OpRecentAnalyses, err)
		d.set(CheckAnalyses, Fail, "list the project's analyses: "+finding, fix)
		return
	}
	if len(as) == 0 {
		d.set(CheckAnalyses, Warn, "the project has no analyses yet",
			"run one in CodeScoring (or let the gate start the first) to see that its repository can be analysed")
		return
	}
	a := as[0]
	d.analysis = &a
	name := fmt.Sprintf("newest analysis %d", a.ID)
	if a.BranchOrTag != "" {
		name += fmt.Sprintf(" (%s)", a.BranchOrTag)
	}
	now := time.Now()
	ago := func(t time.Time) string {
		if t.IsZero() {
			return "at an unknown time"
		}
		return humanDuration(now.Sub(t)) + " ago"
	}
	switch a.Status {
	case api.StatusSuccess:
		when := a.FinishedAt
		if when.IsZero() {
			when = a.StartedAt
		}
		d.set(CheckAnalyses, Pass, fmt.Sprintf("%s succeeded %s", name, ago(when)), "")
	case api.StatusFailed, api.StatusCanceled:
		finding := fmt.Sprintf("%s %s %s", name, a.Status, ago(a.FinishedAt))
		if a.Error != "" {
			finding += fmt.Sprintf(": %q", clip(a.Error, 200))
		}
		d.set(CheckAnalyses, Warn, finding,
			"look at the analysis in CodeScoring and fix its cause (repository access, branch, build files): "+
				"the gate reports an analysis that does not succeed as an error (exit 2)")
	case api.StatusPending, api.StatusInProgress:
		finding := fmt.Sprintf("%s is %s, started %s", name, strings.ReplaceAll(string(a.Status), "_", " "), ago(a.StartedAt))
		if !a.StartedAt.IsZero() && now.Sub(a.StartedAt) > stuckAfter {
			d.set(CheckAnalyses, Warn, finding+": it may be stuck",
				"look at the analysis in CodeScoring: the gate attaches to a running analysis and waits for it until `wait-timeout`")
			return
		}
		d.set(CheckAnalyses, Pass, finding, "")
	default:
		d.set(CheckAnalyses, Warn, fmt.Sprintf("%s has the status %q, which the gate does not know", name, clip(string(a.Status), 40)),
			"the gate treats it as not finished and waits until `wait-timeout`: open an issue for codescoring-gate naming the status")
	}
}

// checkPolicies tells whether any active policy can block at the stage.
func (d *doctor) checkPolicies() {
	stage := strings.TrimSpace(d.opts.Stage)
	if stage != "" && !slices.Contains(stages, stage) {
		d.set(CheckPolicies, Fail, fmt.Sprintf("stage %q is not a CodeScoring stage: the gate refuses it", stage),
			"set the `stage` input to one of "+strings.Join(stages, ", ")+", or leave it empty")
		return
	}
	if d.policyErr != nil {
		var apiErr *api.APIError
		if errors.As(d.policyErr, &apiErr) && (apiErr.StatusCode == http.StatusUnauthorized || apiErr.StatusCode == http.StatusForbidden) {
			return // the token check says why
		}
		finding, fix := d.describeErr(gate.OpReadPolicies, d.policyErr)
		d.set(CheckPolicies, Fail, "list the policies: "+finding, fix)
		return
	}
	var blockers, delayed []string
	otherStages := map[string]bool{}
	for _, p := range d.policies {
		if !p.IsActive || !p.IsBlocksBuild {
			continue
		}
		if stage != "" && !slices.Contains(p.Stages, stage) {
			for _, s := range p.Stages {
				otherStages[s] = true
			}
			continue
		}
		blockers = append(blockers, fmt.Sprintf("%q", p.Name))
		if p.BlockDelay > 0 {
			delayed = append(delayed, p.Name)
		}
	}
	at := "(no stage chosen: blockers of every stage count)"
	if stage != "" {
		at = fmt.Sprintf("at stage %s", stage)
	}
	if len(blockers) == 0 {
		finding := fmt.Sprintf("the gate can never fail: no active policy is a blocker %s", at)
		fix := "mark a policy as Blocker in CodeScoring"
		if stage != "" {
			fix = fmt.Sprintf("mark a policy for stage %s as Blocker in CodeScoring", stage)
		}
		if len(otherStages) > 0 {
			var others []string
			for _, s := range stages {
				if otherStages[s] {
					others = append(others, s)
				}
			}
			finding += fmt.Sprintf(" (blockers exist at %s)", strings.Join(others, ", "))
			fix += fmt.Sprintf(", or set the `stage` input to %s", orList(others))
		}
		d.set(CheckPolicies, Warn, finding, fix)
		return
	}
	finding := fmt.Sprintf("%s %s: %s", plural(len(blockers), "active blocker policy"), at, listOf(blockers, 5))
	if len(delayed) > 0 {
		finding += fmt.Sprintf("; %d with a delayed block", len(delayed))
	}
	d.set(CheckPolicies, Pass, finding, "")
}

func isDigits(s string) bool {
	return s != "" && !strings.ContainsFunc(s, func(r rune) bool { return r < '0' || r > '9' })
}

func orNone(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

// projectList names projects with their ids, at most 10.
func projectList(ps []api.Project) string {
	parts := make([]string, 0, len(ps))
	for _, p := range ps {
		parts = append(parts, fmt.Sprintf("%q (id %d)", p.Name, p.ID))
	}
	return listOf(parts, 10)
}
