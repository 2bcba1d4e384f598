package app

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
	"github.com/codescoring-gate/codescoring-gate/internal/gate"
)

// maxConcurrentProjects bounds how many projects' analyses one run waits for
// at once: enough for a monorepo's services, few enough not to flood the
// server with starts.
const maxConcurrentProjects = 4

// runProjects gates every configured project, at most
// maxConcurrentProjects at once, and returns their outcomes in the order of
// cfg.Projects. One project's failure does not stop the others: its outcome
// says what failed. A single project runs as it always did, on client and
// with the run's own log lines; with several, each has its own client and
// its log lines start with the project as configured.
func (r *runner) runProjects(ctx context.Context, cfg *Config, client *api.Client) []*gate.Outcome {
	projects := cfg.Projects
	if len(projects) == 0 {
		projects = []string{cfg.Gate.Project}
	}
	outs := make([]*gate.Outcome, len(projects))
	if len(projects) == 1 {
		outs[0] = r.runProject(ctx, cfg, projects[0], client, r.logf)
		return outs
	}
	sem := make(chan struct{}, maxConcurrentProjects)
	var wg sync.WaitGroup
	for i, p := range projects {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			logf := func(format string, args ...any) { r.logf("[%s] "+format, append([]any{p}, args...)...) }
			c, err := api.NewClient(cfg.URL.String(), cfg.Token, r.clientOptions(cfg, logf)...)
			if err != nil {
				// NewClient accepted the same URL and token above.
				outs[i] = &gate.Outcome{Verdict: gate.VerdictError, Err: err, Config: projectConfig(cfg, p)}
				return
			}
			outs[i] = r.runProject(ctx, cfg, p, c, logf)
		})
	}
	wg.Wait()
	return outs
}

// runProject gates one project with the run's settings.
func (r *runner) runProject(ctx context.Context, cfg *Config, project string, client *api.Client, logf func(string, ...any)) *gate.Outcome {
	return gate.Run(ctx, client, projectConfig(cfg, project), gate.Options{
		Logf:      logf,
		ReportURL: func(id int64) string { return api.ProjectPageURL(cfg.URL, id) },
		Audience:  gate.Audience{Actions: r.env.Actions, Lang: cfg.Language},
	})
}

// projectConfig is the gate's configuration for one of the projects.
func projectConfig(cfg *Config, project string) gate.Config {
	g := cfg.Gate
	g.Project = project
	return g
}

// exitCodeSet is the exit code of a run over several projects: the worst of
// theirs, each by exitCode (so a tolerated outage of one counts as 0 and a
// blocked other still exits 1).
func exitCodeSet(ctx context.Context, outs []*gate.Outcome, onError string) int {
	code := exitPass
	if len(outs) == 0 {
		return exitError
	}
	for _, o := range outs {
		code = max(code, exitCode(ctx, o, onError))
	}
	return code
}

// projectResult is one element of the projects output.
type projectResult struct {
	// Project is the project as configured; ID and Name as CodeScoring
	// knows it (null and the configured value when the run did not learn
	// them).
	Project          string  `json:"project"`
	ID               *int64  `json:"id"`
	Name             string  `json:"name"`
	Verdict          string  `json:"verdict"`
	Blocking         int     `json:"blocking"`
	Warning          int     `json:"warning"`
	Upcoming         int     `json:"upcoming"`
	NewBlocking      int     `json:"new_blocking"`
	ExistingBlocking int     `json:"existing_blocking"`
	Fixed            int     `json:"fixed"`
	AnalysisID       *int64  `json:"analysis_id"`
	ReportURL        *string `json:"report_url"`
}

// projectsOutput is the projects output: a JSON array with one object per
// configured project, in order.
func projectsOutput(outs []*gate.Outcome) string {
	res := make([]projectResult, 0, len(outs))
	for _, o := range outs {
		p := projectResult{Project: o.Config.Project, Name: o.Config.Project, Verdict: string(o.Verdict)}
		if o.Project != nil {
			id := o.Project.ID
			p.ID = &id
			if o.Project.Name != "" {
				p.Name = o.Project.Name
			}
		}
		p.Blocking, p.Warning, p.Upcoming = o.Counts()
		p.NewBlocking, p.ExistingBlocking, p.Fixed = o.Decision.BaselineCounts()
		if o.Analysis != nil && o.Analysis.ID != 0 {
			id := o.Analysis.ID
			p.AnalysisID = &id
		}
		if o.ReportURL != "" {
			u := o.ReportURL
			p.ReportURL = &u
		}
		res = append(res, p)
	}
	b, err := json.Marshal(res)
	if err != nil {
		// Strings and integers always marshal.
		return "[]"
	}
	return string(b)
}

// projectList names the configured projects for the log line.
func projectList(cfg *Config) string {
	if len(cfg.Projects) <= 1 {
		return cfg.Gate.Project
	}
	return fmt.Sprintf("%s (%d projects)", strings.Join(cfg.Projects, ", "), len(cfg.Projects))
}
