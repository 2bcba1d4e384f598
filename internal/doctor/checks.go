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
		d.set(CheckAPI, Fail, d.p.T("doctor.api.html", what, statusLine(a.StatusCode), describeBody(d.p, a)), d.advice(err))
		return false, false
	case err == nil && kindOf(a) == kindJSON:
		d.set(CheckAPI, Pass, d.p.T("doctor.api.ok", what, statusLine(a.StatusCode)), "")
		d.tokenOK = true
		finding := d.p.T("doctor.token.ok")
		if n, ok := count(a); ok {
			finding = d.p.T("doctor.token.visible", n)
		}
		d.set(CheckToken, Pass, finding, "")
		d.anyProject = firstID(a)
		return true, true
	case err == nil:
		// Neither JSON nor a page: what the gate reads as not its API.
		d.set(CheckAPI, Fail, d.p.T("doctor.api.html", what, statusLine(a.StatusCode), describeBody(d.p, a)),
			d.advice(&api.HTMLError{StatusCode: a.StatusCode, Method: http.MethodGet, Path: a.Path, ContentType: a.ContentType}))
		return false, false
	case !errors.As(err, &apiErr):
		// No answer after all: a redirect the client does not follow, an
		// answer cut short or too large.
		d.set(CheckAPI, Fail, d.describeFinding(err), d.advice(err))
		return false, false
	case apiErr.NotJSON:
		d.set(CheckAPI, Fail, d.p.T("doctor.api.notjson", what, statusLine(a.StatusCode), describeBody(d.p, a)), d.advice(err))
		return false, false
	case apiErr.StatusCode == http.StatusUnauthorized:
		d.set(CheckAPI, Pass, d.p.T("doctor.api.json", what), "")
		d.set(CheckToken, Fail, d.p.T("doctor.token.refused", what, withDetail(apiErr)), d.advice(err))
		return false, true
	case apiErr.StatusCode == http.StatusForbidden:
		d.set(CheckAPI, Pass, d.p.T("doctor.api.json", what), "")
		d.set(CheckToken, Fail, d.p.T("doctor.token.noprojects", what, withDetail(apiErr)), d.advice(err))
		return false, true
	case apiErr.StatusCode == http.StatusNotFound:
		d.set(CheckAPI, Fail, d.p.T("doctor.api.notfound", what, withDetail(apiErr)), d.advice(err))
		return false, true
	}
	d.set(CheckAPI, Fail, d.p.T("doctor.api.status", what, withDetail(apiErr)), d.advice(err))
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
			d.set(CheckProject, Fail, d.p.T("doctor.project.badid", ref), d.p.T("doctor.project.badid.fix", d.input("project")))
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
			d.set(CheckProject, Fail, d.p.T("doctor.project.near", ref, d.projectList(notFound.Near)), d.p.T("doctor.project.near.fix", d.input("project")))
			return
		}
		d.set(CheckProject, Fail, d.p.T("doctor.project.none", ref), d.p.T("doctor.project.none.fix", d.input("project")))
		return
	case errors.As(err, &ambiguous):
		d.set(CheckProject, Fail, d.p.N("doctor.project.ambiguous", len(ambiguous.Matches), ref, d.projectList(ambiguous.Matches)),
			d.p.T("doctor.project.ambiguous.fix", d.input("project")))
		return
	case errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound && id > 0:
		d.set(CheckProject, Fail, d.p.T("doctor.project.noid", id, d.relPath(apiErr.Path)), d.p.T("doctor.project.noid.fix", d.input("project")))
		return
	case errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusForbidden:
		d.set(CheckProject, Fail, d.p.T("doctor.project.forbidden", ref), d.adviceOp(gate.OpGetProject, err))
		return
	default:
		finding, fix := d.describeErr(gate.OpFindProject, err)
		d.set(CheckProject, Fail, d.p.T("doctor.project.lookup", finding), fix)
		return
	}
	d.project = p
	finding := d.p.T("doctor.project.ok", p.Name, p.ID, d.orNone(p.ProjectType), d.orNone(p.PolicyStage))
	if p.ProjectType != "" && p.ProjectType != "vcs" {
		d.set(CheckProject, Warn, d.p.T("doctor.project.notvcs", finding), d.p.T("doctor.project.notvcs.fix", d.input("start")))
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
		d.set(CheckToken, Pass, d.p.T("doctor.token.policies", tok.Finding, len(ps)), "")
	case errors.As(err, &apiErr) && (apiErr.StatusCode == http.StatusUnauthorized || apiErr.StatusCode == http.StatusForbidden):
		d.policyErr = err
		d.set(CheckToken, Fail, d.p.T("doctor.token.nopolicies", d.relPath(apiErr.Path), statusLine(apiErr.StatusCode)), d.adviceOp(gate.OpReadPolicies, err))
	default:
		d.policyErr = err
		d.set(CheckToken, Pass, d.p.T("doctor.token.policies.later", tok.Finding), "")
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
		d.set(CheckAnalyses, Fail, d.p.T("doctor.analyses.list", finding), fix)
		return
	}
	if len(as) == 0 {
		d.set(CheckAnalyses, Warn, d.p.T("doctor.analyses.none"), d.p.T("doctor.analyses.none.fix"))
		return
	}
	a := as[0]
	d.analysis = &a
	name := d.p.T("doctor.analysis.name", a.ID)
	if a.BranchOrTag != "" {
		name = d.p.T("doctor.analysis.namebranch", a.ID, a.BranchOrTag)
	}
	now := time.Now()
	ago := func(t time.Time) string {
		if t.IsZero() {
			return d.p.T("doctor.ago.not")
		}
		return d.p.T("doctor.ago", humanDuration(d.p, now.Sub(t)))
	}
	switch a.Status {
	case api.StatusSuccess:
		when := a.FinishedAt
		if when.IsZero() {
			when = a.StartedAt
		}
		d.set(CheckAnalyses, Pass, d.p.T("doctor.analysis.succeeded", name, ago(when)), "")
	case api.StatusFailed, api.StatusCanceled:
		finding := d.p.T("doctor.analysis.failed", name, ago(a.FinishedAt))
		if a.Status == api.StatusCanceled {
			finding = d.p.T("doctor.analysis.canceled", name, ago(a.FinishedAt))
		}
		if a.Error != "" {
			finding += fmt.Sprintf(": %q", clip(a.Error, 200))
		}
		d.set(CheckAnalyses, Warn, finding, d.p.T("doctor.analysis.failed.fix"))
	case api.StatusPending, api.StatusInProgress:
		finding := d.p.T("doctor.analysis.inprogress", name, ago(a.StartedAt))
		if a.Status == api.StatusPending {
			finding = d.p.T("doctor.analysis.pending", name, ago(a.StartedAt))
		}
		if !a.StartedAt.IsZero() && now.Sub(a.StartedAt) > stuckAfter {
			d.set(CheckAnalyses, Warn, d.p.T("doctor.analysis.stuck", finding), d.p.T("doctor.analysis.stuck.fix", d.input("wait-timeout")))
			return
		}
		d.set(CheckAnalyses, Pass, finding, "")
	default:
		d.set(CheckAnalyses, Warn, d.p.T("doctor.analysis.unknown", name, clip(string(a.Status), 40)),
			d.p.T("doctor.analysis.unknown.fix", d.input("wait-timeout")))
	}
}

// checkPolicies tells whether any active policy can block at the stage.
func (d *doctor) checkPolicies() {
	stage := strings.TrimSpace(d.opts.Stage)
	if stage != "" && !slices.Contains(stages, stage) {
		d.set(CheckPolicies, Fail, d.p.T("doctor.stage.bad", stage), d.p.T("doctor.stage.bad.fix", d.input("stage"), strings.Join(stages, ", ")))
		return
	}
	if d.policyErr != nil {
		var apiErr *api.APIError
		if errors.As(d.policyErr, &apiErr) && (apiErr.StatusCode == http.StatusUnauthorized || apiErr.StatusCode == http.StatusForbidden) {
			return // the token check says why
		}
		finding, fix := d.describeErr(gate.OpReadPolicies, d.policyErr)
		d.set(CheckPolicies, Fail, d.p.T("doctor.policies.list", finding), fix)
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
	at := d.p.T("doctor.policies.anystage")
	if stage != "" {
		at = d.p.T("doctor.policies.atstage", stage)
	}
	if len(blockers) == 0 {
		finding := d.p.T("doctor.policies.never", at)
		fix := d.p.T("doctor.policies.mark")
		if stage != "" {
			fix = d.p.T("doctor.policies.markstage", stage)
		}
		if len(otherStages) > 0 {
			var others []string
			for _, s := range stages {
				if otherStages[s] {
					others = append(others, s)
				}
			}
			finding = d.p.T("doctor.policies.elsewhere", finding, strings.Join(others, ", "))
			fix = d.p.T("doctor.policies.orstage", fix, d.input("stage"), orList(d.p, others))
		}
		d.set(CheckPolicies, Warn, finding, fix)
		return
	}
	finding := d.p.N("doctor.policies.ok", len(blockers), at, listOf(d.p, blockers, 5))
	if len(delayed) > 0 {
		finding = d.p.T("doctor.policies.delayed", finding, len(delayed))
	}
	d.set(CheckPolicies, Pass, finding, "")
}

func isDigits(s string) bool {
	return s != "" && !strings.ContainsFunc(s, func(r rune) bool { return r < '0' || r > '9' })
}

func (d *doctor) orNone(s string) string {
	if s == "" {
		return d.p.T("doctor.unknown")
	}
	return s
}

// projectList names projects with their ids, at most 10.
func (d *doctor) projectList(ps []api.Project) string {
	parts := make([]string, 0, len(ps))
	for _, p := range ps {
		parts = append(parts, d.p.T("doctor.item", p.Name, p.ID))
	}
	return listOf(d.p, parts, 10)
}

// input names the setting name as the reader sets it (gate.Audience).
func (d *doctor) input(name string) string { return d.opts.Audience.Input(name) }
