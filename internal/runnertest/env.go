package runnertest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The repository, pull request and commits of every run.
const (
	// Repository is the repository the workflow runs in, owner/name.
	Repository = "acme/app"
	// PullNumber is the pull request of PullRequest events.
	PullNumber = 12
	// HeadRef is the pull request's head branch.
	HeadRef = "feature/login"
	// HeadSHA is the pull request's head commit, and the pushed commit of
	// Push events: the commit the gate must analyse.
	HeadSHA = "9fceb02d0ae598e95dc970b74767f19372d61af8"
	// MergeSHA is the merge commit GITHUB_SHA names on pull_request events,
	// which the gate must never analyse.
	MergeSHA = "1111111111111111111111111111111111111111"
)

// Event is what triggered the workflow run.
type Event int

const (
	// Push is a push of HeadSHA to main; it has no pull request, so no
	// comment.
	Push Event = iota
	// PullRequest is the synchronize event of pull request PullNumber: its
	// head is HeadSHA on HeadRef, its base main.
	PullRequest
)

// Action is the action's step as a workflow runs it.
type Action struct {
	Event Event
	// Inputs are the step's with: values by their names in action.yml; they
	// override the defaults.
	Inputs map[string]string
	// GitHubToken is ${{ github.token }}, the github-token input's default.
	GitHubToken string
	// GitHub, when set, is the API the step talks to (GITHUB_API_URL);
	// unset, GITHUB_API_URL is too.
	GitHub *GitHub
}

// Env returns the environment the runner gives the step: GITHUB_ variables
// for the event, and every input of action.yml as INPUT_<NAME>, upper-cased
// with its hyphens kept (INPUT_WAIT-TIMEOUT), defaults included, as the
// runner sets them. It has no GITHUB_OUTPUT or GITHUB_STEP_SUMMARY: the
// runner makes those for each run of a step (see NewStep). On a
// PullRequest event it writes the event payload into a temporary directory
// of tb's, and fails tb if it cannot.
func (a Action) Env(tb testing.TB) map[string]string {
	tb.Helper()
	env := map[string]string{
		"GITHUB_ACTIONS":    "true",
		"GITHUB_REPOSITORY": Repository,
		"GITHUB_WORKFLOW":   "security",
		"GITHUB_JOB":        "gate",
		"GITHUB_SERVER_URL": "https://github.com",
		"GITHUB_RUN_ID":     "777",
		"GITHUB_EVENT_NAME": "push",
		"GITHUB_REF_NAME":   "main",
		"GITHUB_SHA":        HeadSHA,
	}
	if a.Event == PullRequest {
		env["GITHUB_EVENT_NAME"] = "pull_request"
		env["GITHUB_EVENT_PATH"] = WritePullRequestEvent(tb, tb.TempDir())
		env["GITHUB_SHA"] = MergeSHA
		env["GITHUB_REF_NAME"] = fmt.Sprintf("%d/merge", PullNumber)
		env["GITHUB_HEAD_REF"] = HeadRef
	}
	if a.GitHub != nil {
		env["GITHUB_API_URL"] = a.GitHub.APIURL()
	}
	for k, v := range InputDefaults(a.GitHubToken) {
		env[InputVar(k)] = v
	}
	for k, v := range a.Inputs {
		env[InputVar(k)] = v
	}
	return env
}

// InputDefaults returns the inputs of action.yml that the runner always
// sets, with their defaults; githubToken stands for ${{ github.token }}. The
// required inputs (url, token, project) have none. internal/app's
// TestActionYAMLMatchesCode checks these against action.yml and the code.
func InputDefaults(githubToken string) map[string]string {
	return map[string]string{
		"mode": "enforce", "start": "true", "wait-timeout": "30m", "reuse-max-age": "1h", "on-error": "fail",
		"comment": "always", "github-token": githubToken, "command": "gate", "language": "en",
		"ref": "", "commit": "", "stage": "", "ca-cert": "", "comment-author": "",
		"baseline-ref": "", "block-on": "all",
		"gitlab-token": "", "report-json": "", "report-junit": "", "report-codequality": "", "api-paths": "",
	}
}

// InputVar returns the environment variable the runner passes input name
// in: INPUT_ and the name upper-cased, hyphens kept.
func InputVar(name string) string { return "INPUT_" + strings.ToUpper(name) }

// WritePullRequestEvent writes the payload of the synchronize event of
// pull request PullNumber of Repository (head HeadSHA on HeadRef, base
// main) to event.json in dir, as the runner does for GITHUB_EVENT_PATH, and
// returns its path. It fails tb if it cannot write.
func WritePullRequestEvent(tb testing.TB, dir string) string {
	tb.Helper()
	owner, name, _ := strings.Cut(Repository, "/")
	payload := fmt.Sprintf(`{"action":"synchronize","number":%[1]d,
	"pull_request":{"number":%[1]d,"head":{"sha":%[2]q,"ref":%[3]q,"repo":{"full_name":%[4]q}},
		"base":{"ref":"main","repo":{"name":%[5]q,"full_name":%[4]q,"owner":{"login":%[6]q}}}},
	"repository":{"name":%[5]q,"full_name":%[4]q,"owner":{"login":%[6]q}}}`,
		PullNumber, HeadSHA, HeadRef, Repository, name, owner)
	path := filepath.Join(dir, "event.json")
	if err := os.WriteFile(path, []byte(payload), 0o600); err != nil {
		tb.Fatalf("write the pull_request event: %v", err)
	}
	return path
}
