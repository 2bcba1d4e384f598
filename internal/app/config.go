package app

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
	"github.com/codescoring-gate/codescoring-gate/internal/gate"
	"github.com/codescoring-gate/codescoring-gate/internal/githubpr"
	"github.com/codescoring-gate/codescoring-gate/internal/i18n"
	"github.com/codescoring-gate/codescoring-gate/internal/resultfile"
)

// Allowed values of the enumerated inputs.
var (
	stages          = api.Stages()
	modes           = []string{string(gate.ModeEnforce), string(gate.ModeWarn)}
	onErrorValues   = []string{"fail", "warn"}
	commentPolicies = githubpr.Policies()
	commands        = []string{"gate", "doctor"}
	blockOnValues   = []string{string(gate.BlockOnAll), string(gate.BlockOnNew)}
)

// input is one setting of the gate: a GitHub Action input, a CLI flag of the
// same name and an environment variable CODESCORING_<NAME>.
type input struct {
	Name    string
	Default string
	Usage   string
	Secret  bool
}

// inputs lists every setting. action.yml, the README and --help describe
// exactly these (a test keeps them in step).
var inputs = []input{
	{Name: "url", Usage: "CodeScoring installation URL, e.g. https://codescoring.example.com, or with the path prefix a reverse proxy serves it under, e.g. https://tools.example.com/codescoring (never with /api; required)"},
	{Name: "token", Usage: "CodeScoring API token, from the user profile (required; masked in every output)", Secret: true},
	{Name: "project", Usage: "CodeScoring project: its id (digits) or its exact name (required); several projects (a monorepo) one per line or comma-separated, gated in one run with one verdict and one comment"},
	{Name: "ref", Usage: "branch or tag to analyse (default: the pull request's head branch, else the pushed branch or tag)"},
	{Name: "commit", Usage: "commit to analyse (default: the pull request's head commit, else the pushed commit)"},
	{Name: "stage", Usage: "policy stage: only policies with this stage can block; empty: every blocker policy (" + strings.Join(stages, ", ") + ")"},
	{Name: "baseline-ref", Usage: "branch whose newest successful CodeScoring analysis is the baseline: alerts whose finding it has are existing, the others new (default: the pull request's base branch; on GitLab CI_MERGE_REQUEST_TARGET_BRANCH_NAME, on Jenkins CHANGE_TARGET; none on a push)"},
	{Name: "block-on", Default: "all", Usage: "all: every blocking alert blocks; new: only blocking alerts whose finding the baseline does not have (without a baseline every blocking alert blocks: fail-closed)"},
	{Name: "mode", Default: "enforce", Usage: "enforce: blocking alerts fail the build; warn: they are only reported"},
	{Name: "start", Default: "true", Usage: "true: start an SCA analysis (or attach to a running one); false: start none, wait for an analysis of the commit (started by CodeScoring itself) to appear and finish; without a commit, take the newest of the ref"},
	{Name: "reuse-max-age", Default: "1h", Usage: "decide on a successful analysis of the same commit that finished at most this long ago instead of starting another (a re-run job), a Go duration; 0 never reuses"},
	{Name: "wait-timeout", Default: "30m", Usage: "how long to wait for the analysis, a Go duration such as 30m or 1h30m"},
	{Name: "on-error", Default: "fail", Usage: "fail: exit 2 when the gate cannot decide; warn: an outage is a warning and exit 0 (the verdict output still says error), a configuration error (token, role, project, url, invalid input) still exits 2"},
	{Name: "comment", Default: "always", Usage: "pull request comment: always, on-failure (only when something blocks; a stale one is still updated) or never"},
	{Name: "github-token", Usage: "GitHub token for the pull request comment (the action passes github.token)", Secret: true},
	{Name: "comment-author", Usage: "login the PR comment is posted as, to find it again: empty for github.token (github-actions[bot]) or a personal token (asked of GitHub); a GitHub App token needs its bot login, e.g. my-app[bot]"},
	{Name: "gitlab-token", Usage: "GitLab token for the merge request note: a project, group or personal access token with the api scope (default: GITLAB_TOKEN; CI_JOB_TOKEN cannot write notes)", Secret: true},
	{Name: "report-json", Usage: "path to write the outcome to as a versioned JSON document (schema_version 1); empty: not written"},
	{Name: "report-junit", Usage: "path to write JUnit XML to (GitLab test summary, Jenkins junit, Azure Pipelines, TeamCity); empty: not written"},
	{Name: "report-codequality", Usage: "path to write a GitLab Code Quality report to (the merge request widget); empty: not written"},
	{Name: "ca-cert", Usage: "extra CA certificate(s) to trust for CodeScoring: a PEM file path or PEM text"},
	{Name: "api-paths", Usage: "only for an installation whose API differs: overrides of the endpoint table as name=path pairs, one per line or comma-separated, " +
		"e.g. alerts=/api/sca/alerts/ (names: " + strings.Join(api.EndpointKeys(), ", ") + "; `doctor` suggests the value; keep {id} where the default has it)"},
	{Name: "language", Default: "en", Usage: "language of everything a person reads (comment, job summary, log, annotations, errors): en or ru, in the words of CodeScoring's Russian interface; outputs, input names and the comment's marker do not change"},
	{Name: "command", Default: "gate", Usage: "gate: run the gate; doctor: only check that the installation, token and project fit the gate (changes nothing on the server)"},
}

// outputs lists every step output with its meaning.
var outputs = []struct{ Name, Usage string }{
	{"verdict", "pass, warn, fail or error"},
	{"blocking-count", "number of alerts that block the build"},
	{"warning-count", "number of active alerts that only warn"},
	{"upcoming-count", "number of delayed blocks not yet due"},
	{"new-blocking-count", "number of blocking alerts whose finding the baseline does not have (all blocking alerts when there is no baseline)"},
	{"existing-blocking-count", "number of blocking alerts already on the baseline (they block only with block-on all)"},
	{"fixed-count", "number of the baseline's active findings this analysis no longer has"},
	{"baseline-analysis-id", "id of the baseline analysis (empty when none)"},
	{"analysis-id", "id of the CodeScoring analysis the verdict is based on (empty when none)"},
	{"reused", "true when the verdict is on a reused analysis of the same commit (reuse-max-age), so none was started; else false"},
	{"report-url", "the project's page in CodeScoring (empty when the project is unknown)"},
	{"comment-url", "URL of the pull request comment, when one was written or is current"},
	{"projects", "per-project results as a JSON array in the order of project: project (as configured), id, name, verdict, blocking, warning, upcoming, new_blocking, existing_blocking, fixed, analysis_id, report_url (null when unknown)"},
}

// Config is the validated configuration of one run.
type Config struct {
	URL         *url.URL
	Token       string
	GitHubToken string
	// CommentAuthor is the login comments are posted as; empty: found out.
	CommentAuthor string
	CACert        []byte // PEM; nil when none
	// GitLabToken writes the merge request note; empty: none.
	GitLabToken string
	// Files are the result files to write.
	Files   resultfile.Paths
	OnError string
	Comment string
	Command string
	// APIPaths overrides the endpoint table (the api-paths input); empty
	// when the built-in paths are used.
	APIPaths api.Paths
	// Language is the language of every report and message a person reads.
	Language i18n.Language
	// Projects are the projects as configured, in order; Gate.Project is
	// the first. One run gates each with Gate's other settings.
	Projects []string
	Gate     gate.Config
}

// settings are the raw values of the inputs, looked up by name.
type settings map[string]string

var (
	digits = regexp.MustCompile(`^[0-9]+$`)
	// githubLogin is a user or bot login: letters, digits and inner
	// hyphens, and "[bot]" for apps.
	githubLogin = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$`)
)

// parseConfig validates raw settings and returns every problem at once,
// joined, each saying what to change.
func parseConfig(s settings, readFile func(string) ([]byte, error)) (*Config, error) {
	return parseConfigFor(s, readFile, gate.Audience{Actions: true})
}

// parseConfigFor is parseConfig with advice that names the settings as aud
// sets them.
func parseConfigFor(s settings, readFile func(string) ([]byte, error), aud gate.Audience) (*Config, error) {
	var errs []error
	// The messages speak the language asked for (English when it is not
	// known: that is one of the errors).
	lang, _ := i18n.Parse(s["language"])
	aud.Lang = lang
	bad := func(format string, args ...any) { errs = append(errs, badf(lang, format, args...)) }
	c := &Config{
		Token:         s["token"],
		GitHubToken:   s["github-token"],
		CommentAuthor: s["comment-author"],
		GitLabToken:   s["gitlab-token"],
		Files:         filesOf(s),
		// Enumerated inputs are case-insensitive, as start is.
		OnError: strings.ToLower(s["on-error"]),
		Comment: strings.ToLower(s["comment"]),
		Command: strings.ToLower(s["command"]),
		Gate: gate.Config{
			Project: s["project"],
			Ref:     s["ref"],
			Commit:  s["commit"],
			Stage:   s["stage"],
			Mode:    gate.Mode(strings.ToLower(s["mode"])),
			// A ref given as refs/heads/main names the branch main.
			BaselineRef: strings.TrimPrefix(s["baseline-ref"], "refs/heads/"),
			BlockOn:     gate.BlockOn(s["block-on"]),
		},
	}

	if raw := s["url"]; raw == "" {
		bad("`url` is required: the CodeScoring installation URL, e.g. https://codescoring.example.com (flag --url or env CODESCORING_URL)")
	} else if u, err := api.ParseBaseURL(raw); err != nil {
		errs = append(errs, fmt.Errorf("%s: %s", gate.Fact(err, lang), gate.Advice(err, aud)))
	} else {
		c.URL = u
	}
	if c.Token == "" {
		bad("`token` is required: a CodeScoring API token from your user profile (flag --token or env CODESCORING_TOKEN; in a workflow pass a secret)")
	}
	if c.Gate.Project == "" {
		bad("`project` is required: the CodeScoring project id or exact name (flag --project or env CODESCORING_PROJECT)")
	} else {
		var perrs []error
		c.Projects, perrs = parseProjects(c.Gate.Project, lang)
		errs = append(errs, perrs...)
		if len(c.Projects) > 0 {
			c.Gate.Project = c.Projects[0]
		}
	}
	if c.Gate.Stage != "" && !slices.Contains(stages, c.Gate.Stage) {
		bad("`stage` %q is not a CodeScoring stage: use one of %s, or leave it empty", c.Gate.Stage, strings.Join(stages, ", "))
	}
	if !slices.Contains(modes, string(c.Gate.Mode)) {
		bad("`mode` %q is not known: use one of %s", c.Gate.Mode, strings.Join(modes, ", "))
	}
	if !slices.Contains(blockOnValues, string(c.Gate.BlockOn)) {
		bad("`block-on` %q is not known: use one of %s", c.Gate.BlockOn, strings.Join(blockOnValues, ", "))
	}
	if !slices.Contains(onErrorValues, c.OnError) {
		bad("`on-error` %q is not known: use one of %s", c.OnError, strings.Join(onErrorValues, ", "))
	}
	if !slices.Contains(commentPolicies, c.Comment) {
		bad("`comment` %q is not known: use one of %s", c.Comment, strings.Join(commentPolicies, ", "))
	}
	if a := c.CommentAuthor; a != "" && !githubLogin.MatchString(a) {
		bad("`comment-author` %q is not a GitHub login: use the bot login of a GitHub App token, e.g. my-app[bot], or leave it empty", a)
	}
	if l, err := i18n.Parse(s["language"]); err != nil {
		errs = append(errs, err)
	} else {
		c.Language = l
	}
	if !slices.Contains(commands, c.Command) {
		bad("`command` %q is not known: use one of %s", c.Command, strings.Join(commands, ", "))
	}
	switch strings.ToLower(s["start"]) {
	case "true":
		c.Gate.Start = true
	case "false":
		c.Gate.Start = false
	default:
		bad("`start` %q is not a boolean: use true or false", s["start"])
	}
	if d, err := time.ParseDuration(s["wait-timeout"]); err != nil {
		bad("`wait-timeout` %q is not a duration: use a Go duration such as 30m, 90s or 1h30m", s["wait-timeout"])
	} else if d <= 0 {
		bad("`wait-timeout` %q must be positive, e.g. 30m", s["wait-timeout"])
	} else {
		c.Gate.WaitTimeout = d
	}
	if d, err := time.ParseDuration(s["reuse-max-age"]); err != nil {
		bad("`reuse-max-age` %q is not a duration: use a Go duration such as 1h or 30m, or 0 to never reuse an analysis", s["reuse-max-age"])
	} else if d < 0 {
		bad("`reuse-max-age` %q must not be negative: use 0 to never reuse an analysis", s["reuse-max-age"])
	} else {
		c.Gate.ReuseMaxAge = d
	}
	if v := s["ca-cert"]; v != "" {
		pemBytes, err := loadCACert(v, readFile, lang)
		if err != nil {
			errs = append(errs, err)
		} else {
			c.CACert = pemBytes
		}
	}
	errs = append(errs, checkFiles(c.Files, lang)...)
	if v := s["api-paths"]; v != "" {
		p, err := api.ParsePaths(v)
		var pe api.PathsError
		if errors.As(err, &pe) && lang != i18n.English {
			err = errors.New(pe.In(lang))
		}
		if err != nil {
			errs = append(errs, err)
		} else {
			c.APIPaths = p
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return c, nil
}

// filesOf returns the result file paths of the settings.
func filesOf(s settings) resultfile.Paths {
	return resultfile.Paths{JSON: s["report-json"], JUnit: s["report-junit"], CodeQuality: s["report-codequality"]}
}

// checkFiles refuses two result files at one path: one would overwrite the
// other.
func checkFiles(p resultfile.Paths, lang i18n.Language) []error {
	var errs []error
	seen := map[string]string{}
	for _, f := range [][2]string{{"report-json", p.JSON}, {"report-junit", p.JUnit}, {"report-codequality", p.CodeQuality}} {
		if f[1] == "" {
			continue
		}
		key := filepath.Clean(f[1])
		if other, dup := seen[key]; dup {
			errs = append(errs, badf(lang, "`%s` and `%s` are both %q: give each report file its own path", other, f[0], f[1]))
			continue
		}
		seen[key] = f[0]
	}
	return errs
}

// loadCACert reads PEM text or a file path and checks it as api.CertPool
// does: at least one certificate, and none that does not parse.
func loadCACert(v string, readFile func(string) ([]byte, error), lang i18n.Language) ([]byte, error) {
	data := []byte(v)
	if !strings.Contains(v, "-----BEGIN") {
		b, err := readFile(v)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return nil, badf(lang, "`ca-cert`: no file %q: give a PEM file path or the PEM text itself", v)
			}
			return nil, badf(lang, "`ca-cert`: read %q: %w", v, err)
		}
		data = b
	}
	if _, err := api.CertPool(data); errors.Is(err, api.ErrNoCertificate) {
		return nil, badf(lang, "`ca-cert` holds no PEM certificate (-----BEGIN CERTIFICATE-----): give a PEM file path or the PEM text")
	} else if err != nil {
		return nil, fmt.Errorf("`ca-cert`: %w", err)
	}
	return data, nil
}

// maxProjects is the most projects one run gates: beyond that the comment's
// table alone would crowd out every finding.
const maxProjects = 50

// parseProjects splits the project input into its projects: one per line
// or comma-separated, each trimmed. Every entry is checked before anything
// is sent: none may be empty, none may repeat (an id with leading zeros is
// the same id), an id starts at 1. A single project is returned as given.
func parseProjects(v string, lang i18n.Language) ([]string, []error) {
	var entries []string
	for _, line := range strings.Split(v, "\n") {
		for _, e := range strings.Split(line, ",") {
			entries = append(entries, strings.TrimSpace(e))
		}
	}
	var errs []error
	if len(entries) > maxProjects {
		errs = append(errs, badf(lang, "`project` lists %d projects: one run gates at most %d; split them over several steps", len(entries), maxProjects))
	}
	seen := map[string]int{}
	var out []string
	for i, e := range entries {
		if e == "" {
			errs = append(errs, badf(lang, "`project`: entry %d of %d is empty: give one project id or exact name per line or between commas, with no empty entries", i+1, len(entries)))
			continue
		}
		key := e
		if digits.MatchString(e) {
			key = strings.TrimLeft(e, "0")
			if key == "" {
				errs = append(errs, badf(lang, "`project` %q is not a valid project id: ids start at 1", e))
				continue
			}
		}
		if first, dup := seen[key]; dup {
			errs = append(errs, badf(lang, "`project` lists %q twice (entries %d and %d): give each project once", e, first, i+1))
			continue
		}
		seen[key] = i + 1
		out = append(out, e)
	}
	return out, errs
}
