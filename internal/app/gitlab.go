package app

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/codescoring-gate/codescoring-gate/internal/gate"
	"github.com/codescoring-gate/codescoring-gate/internal/githubpr"
	"github.com/codescoring-gate/codescoring-gate/internal/gitlab"
	"github.com/codescoring-gate/codescoring-gate/internal/report"
)

// Texts of the GitLab note and the result files.
const (
	msgNoteTitle      = "Merge request note"
	msgNoteCancelled  = "No merge request note: the job was cancelled."
	msgNoteNotWritten = "the merge request note was not written: %s; the verdict is unchanged and the job log has the result"
	msgNoGitLabToken  = "no merge request note: no `gitlab-token` (GITLAB_TOKEN) is set. " +
		"Create a project access token with the `api` scope and the Reporter role (Settings → Access tokens) " +
		"and store it as a masked CI/CD variable GITLAB_TOKEN; meanwhile the result is in the job log and the report files."
	msgGitLabRun    = "GitLab merge request !%d of project %s, pipeline %s, job %s"
	msgNoGitLabAPI  = "no merge request note: CI_API_V4_URL is not set, so the GitLab API is unknown"
	msgCAFile       = "read CI_SERVER_TLS_CA_FILE %s: %v; GitLab's certificate is checked against the system's roots only"
	msgFixInputs    = "Fix the inputs listed; nothing was sent to CodeScoring."
	msgFilesVerdict = " (the verdict is unchanged)"
	// gitlabWorkflow is the Workflow of a GitLab note's marker: GitLab has
	// no workflow name, and a constant keeps GitHub and GitLab keys apart.
	gitlabWorkflow = "gitlab-ci"
)

// gitlabNote keeps the merge request note of a GitLab merge request
// pipeline and returns its URL ("" when none).
func (r *runner) gitlabNote(ctx context.Context, cfg *Config, outs []*gate.Outcome) string {
	g := r.env.GitLab
	if cfg.Comment == githubpr.PolicyNever {
		return ""
	}
	if ctx.Err() != nil {
		r.logf("%s", msgNoteCancelled)
		return ""
	}
	// Keyed like the PR comment: by the project as configured, so a run
	// that stops before it learns the project's id still finds its note.
	job := g.Job
	if cfg.Gate.Stage != "" {
		// parallel:matrix jobs differ in CI_JOB_NAME already; the stage
		// keeps two gate runs of one job apart too.
		job += "/" + cfg.Gate.Stage
	}
	head := cfg.Gate.Commit
	marker := setMarker(cfg, outs, gitlabWorkflow, job, head)
	// No SummaryURL: GitLab has no job summary, and the comment would call
	// the job log one; the note links the project in CodeScoring instead.
	body := report.CommentSet(outs, report.CommentOptions{Version: version, Marker: marker.String(), Language: cfg.Language})
	req := gitlab.Request{
		Project: g.Project, MergeRequest: g.MergeRequest, WebURL: g.MergeRequestURL(), HeadSHA: head,
		Marker: marker, Body: r.red.String(body), Policy: cfg.Comment,
		Failing: setFailing(outs),
	}

	var note *gitlab.Note
	switch {
	case cfg.GitLabToken != "":
		if g.APIURL == "" {
			r.warn(msgNoteTitle, r.tr(msgNoGitLabAPI))
			return ""
		}
		cc := gitlab.ClientConfig{Token: cfg.GitLabToken, APIURL: g.APIURL, HTTPClient: r.sys.httpClient()}
		if g.CAFile != "" {
			pem, err := r.sys.ReadFile(g.CAFile)
			switch {
			case err == nil:
				cc.CACert = pem
			case errors.Is(err, os.ErrNotExist):
				r.warn(msgNoteTitle, fmt.Sprintf(r.tr(msgCAFile), g.CAFile, r.tr("no such file")))
			default:
				r.warn(msgNoteTitle, fmt.Sprintf(r.tr(msgCAFile), g.CAFile, err))
			}
		}
		c, err := gitlab.NewClient(cc)
		if err != nil {
			r.warn(msgNoteTitle, fmt.Sprintf(r.tr(msgNoteNotWritten), r.red.String(gate.Fact(err, r.lang))))
			return ""
		}
		note = gitlab.NewNoteFromClient(c, gitlab.WithLogf(r.logf))
	case g.JobToken != "":
		note = gitlab.NewNote(nil, nil, nil, gitlab.WithJobTokenOnly())
	default:
		r.warn(msgNoteTitle, r.tr(msgNoGitLabToken))
		return ""
	}

	res, err := note.Post(ctx, req)
	if err != nil {
		r.warn(msgNoteTitle, fmt.Sprintf(r.tr(msgNoteNotWritten), r.red.String(gate.Fact(err, r.lang))))
		return ""
	}
	switch res.Action {
	case githubpr.ActionDenied:
		r.warn(msgNoteTitle, r.red.String(res.Message.In(r.lang)))
	case githubpr.ActionCreated, githubpr.ActionUpdated, githubpr.ActionUnchanged:
		if !res.Message.IsZero() {
			r.logf("%s", r.red.String(res.Message.In(r.lang)))
		}
		r.logf("Merge request note %s: %s", done("mr", res.Action).In(r.lang), res.URL)
		return res.URL
	default:
		if !res.Message.IsZero() {
			r.logf("%s", r.red.String(res.Message.In(r.lang)))
		}
	}
	return ""
}
