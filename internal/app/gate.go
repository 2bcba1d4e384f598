package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/sethvargo/go-githubactions"
	"golang.org/x/term"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
	"github.com/codescoring-gate/codescoring-gate/internal/gate"
	"github.com/codescoring-gate/codescoring-gate/internal/githubpr"
	"github.com/codescoring-gate/codescoring-gate/internal/i18n"
	"github.com/codescoring-gate/codescoring-gate/internal/report"
	"github.com/codescoring-gate/codescoring-gate/internal/resultfile"
)

// msgClearText warns of a `url` over plain http to a host other than this
// machine; the verbs are the URL and the setting's name.
const msgClearText = "CodeScoring at %s is reached over plain http: the token travels unencrypted; set %s to its https:// address"

// runGate is the default command: the gate itself.
func runGate(ctx context.Context, args []string, sys System) int {
	return runWith(ctx, args, sys, runOptions{})
}

// runOptions are what the doctor subcommand sets beyond the flags.
type runOptions struct {
	command string // forces the command input
	demo    bool   // the demo's run: its terminal report has no footer
}

func runWith(ctx context.Context, args []string, sys System, ro runOptions) int {
	env := readCIEnv(sys.Getenv)

	fs, vals := newFlagSet("codescoring-gate", io.Discard)
	var jsonOut *bool
	if ro.command == "doctor" {
		jsonOut = fs.Bool("json", false, "doctor: print the checks as JSON")
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usageIn(sys.Stdout, version, helpLanguage(*vals["language"], sys.Getenv))
			return 0
		}
		var names []string
		fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
		fmt.Fprintf(sys.Stderr, "codescoring-gate: %s\nRun codescoring-gate --help for the flags.\n", unknownFlag(err, names))
		return exitError
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(sys.Stderr, "codescoring-gate: %s\n", unknownCommand(fs.Arg(0)))
		return exitError
	}
	s := resolveSettings(fs, vals, sys.Getenv)
	if ro.command != "" {
		s["command"] = ro.command
	}
	if s["gitlab-token"] == "" {
		// GitLab's own name for it, as its docs and other tools use.
		s["gitlab-token"] = strings.TrimSpace(sys.Getenv("GITLAB_TOKEN"))
	}

	// Mask before anything else is printed. The mask goes to the raw stream:
	// through the redactor it would itself be redacted.
	if env.Actions {
		raw := githubactions.New(githubactions.WithGetenv(sys.Getenv), githubactions.WithWriter(sys.Stdout))
		for _, sec := range []string{s["token"], s["github-token"], s["gitlab-token"]} {
			if sec != "" {
				raw.AddMask(sec)
			}
		}
	}
	red := newRedactor(s["token"], s["github-token"], s["gitlab-token"], env.GitLab.JobToken)
	stdout, stderr := red.Writer(sys.Stdout), red.Writer(sys.Stderr)
	defer stdout.Flush()
	defer stderr.Flush()
	r := &runner{sys: sys, env: env, red: red, stdout: stdout, stderr: stderr, demo: ro.demo,
		gha: githubactions.New(githubactions.WithGetenv(sys.Getenv), githubactions.WithWriter(stdout))}
	if s["command"] != "doctor" {
		// Written also on bad input, so a CI that reads them sees why.
		r.files, r.settings = filesOf(s), s
	}

	// The warnings before the settings are checked speak the language
	// asked for already (English when it is not known).
	r.lang, _ = i18n.Parse(s["language"])
	pr, prErr := r.pullRequest()
	if prErr != nil {
		r.warn("Pull request", fmt.Sprintf(r.tr("read the pull request event: %v; the gate goes on without a PR comment"), prErr))
	}
	if s["ref"] == "" {
		s["ref"] = r.defaultRef(pr)
	}
	if s["commit"] == "" {
		s["commit"] = r.defaultCommit(pr)
		if !r.env.Actions && r.env.JenkinsChangeCommit {
			r.warn("Commit", r.tr(msgJenkinsCommit))
		}
	}
	if s["baseline-ref"] == "" {
		s["baseline-ref"] = r.defaultBaselineRef(pr)
	}

	cfg, err := parseConfigFor(s, sys.ReadFile, gate.Audience{Actions: r.env.Actions})
	if err != nil {
		return r.badInput(err)
	}
	r.lang = cfg.Language
	if cfg.Command == "doctor" {
		return r.doctor(ctx, cfg, jsonOut != nil && *jsonOut)
	}
	client, err := api.NewClient(cfg.URL.String(), cfg.Token, r.clientOptions(cfg, r.logf)...)
	if err != nil {
		return r.badInput(err)
	}

	if cfg.Gate.BlockOn == gate.BlockOnNew && cfg.Gate.BaselineRef == "" {
		r.logf("block-on is new, but there is no baseline ref (no pull or merge request, and no baseline-ref): every blocking alert blocks, as with block-on all")
	}
	if api.InClearText(cfg.URL) {
		r.warn("CodeScoring over plain http", fmt.Sprintf(r.tr(msgClearText), strings.TrimSuffix(cfg.URL.String(), "/"), gate.Audience{Actions: r.env.Actions, Lang: cfg.Language}.Input("url")))
	}
	r.logf("CodeScoring gate %s: project %s, ref %s, commit %s, stage %s, mode %s, baseline %s, block-on %s, at %s",
		version, projectList(cfg), orDash(cfg.Gate.Ref), orDash(githubpr.ShortSHA(cfg.Gate.Commit)), orDash(cfg.Gate.Stage), cfg.Gate.Mode,
		orDash(cfg.Gate.BaselineRef), cfg.Gate.BlockOn, cfg.URL.Host)
	if g := r.env.GitLab; g.MergeRequest > 0 && !r.env.Actions {
		r.logf(msgGitLabRun, g.MergeRequest, g.Project, orDash(g.Pipeline), orDash(g.Job))
	}
	if p := cfg.APIPaths.String(); p != "" {
		r.logf("api-paths in force: %s (the other endpoints are the built-in ones)", p)
	}
	outs := r.runProjects(ctx, cfg, client)
	code := exitCodeSet(ctx, outs, cfg.OnError)
	r.report(ctx, cfg, outs, pr, code)
	return code
}

// exitCode maps an outcome to the process exit code. A configuration error
// and a cancelled job always exit 2; outages honour on-error.
func exitCode(ctx context.Context, o *gate.Outcome, onError string) int {
	switch o.Verdict {
	case gate.VerdictPass, gate.VerdictWarn:
		return exitPass
	case gate.VerdictFail:
		return exitFail
	}
	if errorTolerated(ctx, o, onError) {
		return exitPass
	}
	return exitError
}

// errorTolerated reports whether an error verdict becomes a warning and exit
// 0: on-error is warn, and the error is an outage (api.ClassOf), not a
// configuration error or a cancelled job.
func errorTolerated(ctx context.Context, o *gate.Outcome, onError string) bool {
	return o.Verdict == gate.VerdictError && onError == "warn" && ctx.Err() == nil && api.ClassOf(o.Err) == api.Outage
}

// runner carries what one gate run reports through.
type runner struct {
	sys            System
	env            ciEnv
	red            *redactor
	stdout, stderr *redactingWriter
	gha            *githubactions.Action
	// files are the result files to write; settings the raw inputs, for
	// the files of a run with invalid inputs.
	files    resultfile.Paths
	settings settings
	demo     bool // the demo's run (runOptions.demo)
	// lang is the language of the progress lines, once the inputs are read.
	lang i18n.Language
}

// logf prints a progress line in the run's language: its words by
// logFormat, an error in it by gate.Fact (the server's and the system's
// words as they came).
func (r *runner) logf(format string, args ...any) {
	if r.lang != i18n.English {
		args = slices.Clone(args)
		for i, a := range args {
			if err, ok := a.(error); ok {
				args[i] = gate.Fact(err, r.lang)
			}
		}
	}
	fmt.Fprintf(r.stdout, logFormat(r.lang, format)+"\n", args...)
}

// warn is a warning annotation in GitHub Actions, a line on stderr elsewhere.
func (r *runner) warn(title, msg string) {
	title = r.tr(title)
	if r.env.Actions {
		r.gha.WithFieldsMap(map[string]string{"title": title}).Warningf("%s", msg)
		return
	}
	fmt.Fprintf(r.stderr, r.tr("warning: %s")+"\n", msg)
}

func (r *runner) pullRequest() (*githubpr.PullRequest, error) {
	if !r.env.Actions || r.env.EventPath == "" {
		return nil, nil
	}
	if r.env.EventName != githubpr.EventPullRequest && r.env.EventName != githubpr.EventPullRequestTarget {
		return nil, nil
	}
	payload, err := r.sys.ReadFile(r.env.EventPath)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", r.env.EventPath, err)
	}
	return githubpr.ParseEvent(r.env.EventName, payload)
}

// defaultRef is the branch or tag to analyse when the ref input is empty:
// the PR's head branch, else the pushed branch or tag, else what another CI
// system names.
func (r *runner) defaultRef(pr *githubpr.PullRequest) string {
	if pr != nil && pr.HeadRef != "" {
		return pr.HeadRef
	}
	if r.env.Actions {
		return first(r.env.HeadRef, r.env.RefName)
	}
	return r.env.OtherRef
}

// defaultBaselineRef is the branch a pull (merge, change) request goes
// into; none on a push.
func (r *runner) defaultBaselineRef(pr *githubpr.PullRequest) string {
	if pr != nil {
		return pr.BaseRef
	}
	if r.env.Actions {
		return ""
	}
	return r.env.OtherBaseRef
}

// defaultCommit is the PR's head commit, never GITHUB_SHA on a pull request
// (that is the merge commit CodeScoring never sees).
func (r *runner) defaultCommit(pr *githubpr.PullRequest) string {
	if pr != nil {
		return pr.HeadSHA
	}
	if r.env.Actions {
		if r.env.EventName == githubpr.EventPullRequest || r.env.EventName == githubpr.EventPullRequestTarget {
			return ""
		}
		return r.env.SHA
	}
	return r.env.OtherCommit
}

func (r *runner) clientOptions(cfg *Config, logf func(string, ...any)) []api.Option {
	opts := []api.Option{
		api.WithVersion(version),
		api.WithLogger(logf),
		api.WithPaths(cfg.APIPaths),
	}
	if cfg.CACert != nil {
		opts = append(opts, api.WithCACert(cfg.CACert))
	}
	if r.sys.Transport != nil {
		opts = append(opts, api.WithTransport(r.sys.Transport))
	}
	if r.sys.RequestTimeout > 0 {
		opts = append(opts, api.WithRequestTimeout(r.sys.RequestTimeout))
	}
	return opts
}

// badInput reports invalid inputs, all at once, and exits 2.
func (r *runner) badInput(err error) int {
	msgs := strings.Split(err.Error(), "\n")
	lang, _ := i18n.Parse(r.settings["language"])
	p := i18n.New(lang)
	for _, m := range msgs {
		if r.env.Actions {
			r.gha.WithFieldsMap(map[string]string{"title": p.T("bad.title")}).Errorf("%s", m)
		}
		fmt.Fprintln(r.stderr, p.T("bad.line", m))
	}
	fmt.Fprintln(r.stderr, p.N("bad.count", len(msgs)))
	if r.env.Actions && r.env.StepSummary != "" {
		var b strings.Builder
		b.WriteString("## ⚠️ " + p.T("bad.title") + "\n\n" + p.T("bad.fix") + "\n\n")
		for _, m := range msgs {
			b.WriteString("- " + report.EscapeMarkdown(m) + "\n")
		}
		if err := fileCommand(func() { r.gha.AddStepSummary(r.red.String(strings.TrimSuffix(b.String(), "\n"))) }); err != nil {
			fmt.Fprintf(r.stderr, r.tr("warning: write the job summary: %v")+"\n", err)
		}
	}
	r.setOutputs(nil, "")
	if r.files.Any() && len(checkFiles(r.files, i18n.English)) == 0 {
		s := r.settings
		o := &gate.Outcome{Verdict: gate.VerdictError, Err: err, Hint: msgFixInputs,
			Config: gate.Config{Project: s["project"], Ref: s["ref"], Commit: s["commit"], Stage: s["stage"], Mode: gate.Mode(s["mode"]),
				BlockOn: gate.BlockOn(s["block-on"])}}
		r.writeFiles(resultfile.Input{Outcome: o, ExitCode: exitError, Version: version, BadInput: true})
	}
	return exitError
}

// report writes the terminal report and, in GitHub Actions, the outputs,
// job summary, annotations and the PR comment, for the outcomes of every
// project (one project reports as it always did). Reporting never changes
// the verdict: its own failures become warnings.
func (r *runner) report(ctx context.Context, cfg *Config, outs []*gate.Outcome, pr *githubpr.PullRequest, code int) {
	fmt.Fprintln(r.stdout)
	topts := terminalOptions(r.sys.Stdout, r.sys.Getenv)
	topts.NoFooter = r.demo
	topts.APIPaths = cfg.APIPaths.String()
	topts.Language = cfg.Language
	if err := report.TerminalSet(r.stdout, outs, topts); err != nil {
		fmt.Fprintf(r.stderr, r.tr("warning: write the report: %v")+"\n", err)
	}
	tolerated := make([]bool, len(outs))
	anyTolerated, anyConfigError := false, false
	for i, o := range outs {
		tolerated[i] = errorTolerated(ctx, o, cfg.OnError)
		anyTolerated = anyTolerated || tolerated[i]
		anyConfigError = anyConfigError || !tolerated[i] && o.Verdict == gate.VerdictError && cfg.OnError == "warn" && ctx.Err() == nil
	}
	switch {
	case anyConfigError:
		r.logf("on-error is warn, but a configuration error is not an outage: the gate exits 2.")
	case anyTolerated:
		r.logf("on-error is warn: the gate could not decide, and the build goes on (verdict output: error).")
	}
	commentURL := ""
	if r.env.Actions {
		for _, a := range report.AnnotationsSet(outs, tolerated, cfg.Language) {
			a.Message = r.red.String(a.Message)
			r.annotate(a)
		}
		summaryURL := ""
		if r.env.StepSummary != "" {
			summary := r.red.String(report.SummarySet(outs, report.SummaryOptions{Version: version, APIPaths: cfg.APIPaths.String(), Language: cfg.Language}))
			if err := fileCommand(func() { r.gha.AddStepSummary(summary) }); err != nil {
				r.warn("Job summary", fmt.Sprintf(r.tr("write the job summary: %v"), err))
			} else {
				summaryURL = r.env.RunURL()
			}
		}
		commentURL = r.comment(ctx, cfg, outs, pr, summaryURL)
	} else if r.env.GitLab.MergeRequest > 0 {
		commentURL = r.gitlabNote(ctx, cfg, outs)
	}
	r.setOutputs(outs, commentURL)
	r.writeFiles(resultfile.Input{Outcome: outs[0], Outcomes: outs, ExitCode: code, Version: version, CommentURL: commentURL})
}

// writeFiles writes the result files the inputs name; a failure is a
// warning, never a change of the verdict.
func (r *runner) writeFiles(in resultfile.Input) {
	if !r.files.Any() {
		return
	}
	if err := resultfile.Write(r.files, in, r.red.String); err != nil {
		for _, m := range strings.Split(err.Error(), "\n") {
			r.warn("Report files", r.red.String(m)+r.tr(msgFilesVerdict))
		}
	}
}

func (r *runner) annotate(a report.Annotation) {
	g := r.gha.WithFieldsMap(map[string]string{"title": a.Title})
	switch a.Level {
	case "error":
		g.Errorf("%s", a.Message)
	case "warning":
		g.Warningf("%s", a.Message)
	default:
		g.Noticef("%s", a.Message)
	}
}

// comment keeps the sticky PR comment and returns its URL ("" when none).
func (r *runner) comment(ctx context.Context, cfg *Config, outs []*gate.Outcome, pr *githubpr.PullRequest, summaryURL string) string {
	if pr == nil || cfg.Comment == githubpr.PolicyNever {
		return ""
	}
	if ctx.Err() != nil {
		// A cancelled job is usually superseded by a newer run, whose
		// comment this one must not overwrite; and the runner gives a
		// cancelled step only seconds before it kills it.
		r.logf("No PR comment: the job was cancelled.")
		return ""
	}
	// The comment is keyed by the project as configured, so a run that
	// stops before it learns the project's id (a wrong token, an unknown
	// name) still replaces this job's earlier comment with its error.
	if cfg.GitHubToken == "" {
		r.warn("PR comment", r.tr("no `github-token`: the result is in the job summary only; pass github-token (the action's default is github.token)"))
		return ""
	}
	gh, err := githubpr.NewGitHubClient(cfg.GitHubToken, r.env.APIURL, r.sys.httpClient())
	if err != nil {
		r.warn("PR comment", r.red.String(err.Error()))
		return ""
	}
	job := r.env.Job
	if cfg.Gate.Stage != "" {
		// Matrix legs of one job share GITHUB_JOB; the stage keeps them apart.
		job += "/" + cfg.Gate.Stage
	}
	marker := setMarker(cfg, outs, r.env.Workflow, job, pr.HeadSHA)
	body := report.CommentSet(outs, report.CommentOptions{Version: version, Marker: marker.String(), SummaryURL: summaryURL,
		APIPaths: cfg.APIPaths.String(), Language: cfg.Language})
	stickyOpts := []githubpr.Option{githubpr.WithLogf(r.logf)}
	if cfg.CommentAuthor != "" {
		stickyOpts = append(stickyOpts, githubpr.WithLogin(cfg.CommentAuthor))
	}
	sticky := githubpr.NewStickyFromClient(gh, stickyOpts...)
	res, err := sticky.Post(ctx, githubpr.Request{
		Owner: pr.BaseOwner, Repo: pr.BaseRepo, Number: pr.Number, HeadSHA: pr.HeadSHA,
		Marker: marker, Body: r.red.String(body), Policy: cfg.Comment,
		Failing: setFailing(outs), Fork: pr.Fork,
	})
	if err != nil {
		r.warn("PR comment", fmt.Sprintf(r.tr("the pull request comment was not written: %s; the verdict is unchanged and the job summary has the result"), r.red.String(gate.Fact(err, r.lang))))
		return ""
	}
	switch res.Action {
	case githubpr.ActionDenied:
		r.warn("PR comment not written", r.red.String(res.Message.In(r.lang)))
	case githubpr.ActionCreated, githubpr.ActionUpdated, githubpr.ActionUnchanged:
		r.logf("PR comment %s: %s", done("pr", res.Action).In(r.lang), res.URL)
		return res.URL
	default:
		if !res.Message.IsZero() {
			r.logf("%s", r.red.String(res.Message.In(r.lang)))
		}
	}
	return ""
}

// setMarker is the marker of the comment (and the merge request note) of a
// run: one project keys it as it always did (the project as configured and
// its id); several by the list as configured, which a later run with a
// project more or less still finds (githubpr.Marker.SameKey).
func setMarker(cfg *Config, outs []*gate.Outcome, workflow, job, head string) githubpr.Marker {
	if len(outs) == 1 {
		return githubpr.Marker{Project: cfg.Gate.Project, ProjectID: markerProjectID(cfg, outs[0]), Workflow: workflow, Job: job, HeadSHA: head}
	}
	return githubpr.Marker{Projects: strings.Join(cfg.Projects, ","), Workflow: workflow, Job: job, HeadSHA: head}
}

// setFailing reports whether the comment shows a failure: something blocks
// in any project, or one could not be decided.
func setFailing(outs []*gate.Outcome) bool {
	for _, o := range outs {
		if blocking, _, _ := o.Counts(); blocking > 0 || o.Verdict == gate.VerdictError {
			return true
		}
	}
	return false
}

// markerProjectID is the CodeScoring project id that keys the sticky PR
// comment and the merge request note; 0 when unknown.
func markerProjectID(cfg *Config, o *gate.Outcome) int64 {
	if o.Project != nil {
		return o.Project.ID
	}
	if id, err := strconv.ParseInt(cfg.Gate.Project, 10, 64); err == nil {
		return id
	}
	return 0
}

// setOutputs writes every step output, also on error, so later steps can
// act on the verdict. With several projects the counts are their sums, the
// verdict is gate.SetVerdict's, and the outputs of one analysis
// (analysis-id, baseline-analysis-id, report-url) are empty: projects has
// them per project.
func (r *runner) setOutputs(outs []*gate.Outcome, commentURL string) {
	if !r.env.Actions || r.sys.Getenv("GITHUB_OUTPUT") == "" {
		return
	}
	var blocking, warnings, upcoming, newBlocking, existingBlocking, fixed int
	reused := len(outs) > 0
	for _, o := range outs {
		b, w, u := o.Counts()
		nb, eb, f := o.Decision.BaselineCounts()
		blocking, warnings, upcoming = blocking+b, warnings+w, upcoming+u
		newBlocking, existingBlocking, fixed = newBlocking+nb, existingBlocking+eb, fixed+f
		reused = reused && o.Reused()
	}
	analysisID, baselineID, reportURL := "", "", ""
	if len(outs) == 1 {
		o := outs[0]
		if o.Analysis != nil && o.Analysis.ID != 0 {
			analysisID = strconv.FormatInt(o.Analysis.ID, 10)
		}
		if o.Baseline != nil && o.Baseline.Analysis != nil {
			baselineID = strconv.FormatInt(o.Baseline.Analysis.ID, 10)
		}
		reportURL = o.ReportURL
	}
	outputs := [][2]string{
		{"verdict", string(gate.SetVerdict(outs))},
		{"blocking-count", strconv.Itoa(blocking)},
		{"warning-count", strconv.Itoa(warnings)},
		{"upcoming-count", strconv.Itoa(upcoming)},
		{"new-blocking-count", strconv.Itoa(newBlocking)},
		{"existing-blocking-count", strconv.Itoa(existingBlocking)},
		{"fixed-count", strconv.Itoa(fixed)},
		{"analysis-id", analysisID},
		{"reused", strconv.FormatBool(reused)},
		{"baseline-analysis-id", baselineID},
		{"report-url", reportURL},
		{"comment-url", commentURL},
		{"projects", projectsOutput(outs)},
	}
	err := fileCommand(func() {
		for _, kv := range outputs {
			// One line each, whatever the server sent: a value never ends
			// the heredoc SetOutput writes it in.
			r.gha.SetOutput(kv[0], strings.NewReplacer("\r", "", "\n", " ").Replace(r.red.String(kv[1])))
		}
	})
	if err != nil {
		fmt.Fprintf(r.stderr, r.tr("error: write the step outputs to GITHUB_OUTPUT: %v")+"\n", err)
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// terminalOptions decides how the terminal report looks on w: in colour on
// a terminal (or when FORCE_COLOR or CLICOLOR_FORCE asks, never with
// NO_COLOR), wrapped to the terminal's width (100 columns when w is not a
// terminal).
func terminalOptions(w io.Writer, getenv func(string) string) report.TerminalOptions {
	opts := report.TerminalOptions{Version: version}
	tty := false
	if f, ok := w.(interface{ Fd() uintptr }); ok {
		fd := int(f.Fd())
		if term.IsTerminal(fd) {
			tty = true
			if width, _, err := term.GetSize(fd); err == nil && width > 0 {
				opts.Width = width
			}
		}
	}
	opts.Color = report.ColorFromEnv(getenv, tty)
	return opts
}

// done is what a comment's or note's Post did, the action it logs, in the
// catalogs' words: of is "pr" or "mr", for the comment's or the note's
// grammar. An action without words of its own is said as it is.
func done(of, action string) gate.Text {
	switch of + " " + action {
	case "pr " + githubpr.ActionCreated:
		return gate.Say("pr.done.created")
	case "pr " + githubpr.ActionUpdated:
		return gate.Say("pr.done.updated")
	case "pr " + githubpr.ActionUnchanged:
		return gate.Say("pr.done.unchanged")
	case "mr " + githubpr.ActionCreated:
		return gate.Say("mr.done.created")
	case "mr " + githubpr.ActionUpdated:
		return gate.Say("mr.done.updated")
	case "mr " + githubpr.ActionUnchanged:
		return gate.Say("mr.done.unchanged")
	}
	return gate.Plain(action)
}
