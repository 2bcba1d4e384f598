package app

import (
	"fmt"
	"strconv"
	"strings"
)

// ciEnv is everything the gate reads from the CI environment, read in one
// place.
type ciEnv struct {
	Actions     bool   // running in GitHub Actions
	EventName   string // GITHUB_EVENT_NAME
	EventPath   string // GITHUB_EVENT_PATH
	Repository  string // GITHUB_REPOSITORY, owner/name
	Workflow    string // GITHUB_WORKFLOW
	Job         string // GITHUB_JOB
	APIURL      string // GITHUB_API_URL
	ServerURL   string // GITHUB_SERVER_URL
	RunID       string // GITHUB_RUN_ID
	HeadRef     string // GITHUB_HEAD_REF (pull requests)
	RefName     string // GITHUB_REF_NAME
	SHA         string // GITHUB_SHA (the merge commit on pull requests)
	StepSummary string // GITHUB_STEP_SUMMARY
	// Ref and Commit fall-backs of other CI systems, when not on GitHub.
	OtherRef    string
	OtherCommit string
	// JenkinsChangeCommit is true when OtherCommit is GIT_COMMIT of a
	// Jenkins pull request build, which may be a local merge commit.
	JenkinsChangeCommit bool
	// OtherBaseRef is the target branch of a merge or change request on
	// another CI system: the default baseline ref.
	OtherBaseRef string
	// GitLab is GitLab CI's merge request pipeline; zero elsewhere.
	GitLab gitlabEnv
}

// gitlabEnv is what a GitLab CI merge request pipeline says about itself.
type gitlabEnv struct {
	MergeRequest int64  // CI_MERGE_REQUEST_IID; 0 outside a merge request pipeline
	Project      string // CI_MERGE_REQUEST_PROJECT_ID, else CI_PROJECT_ID
	ProjectURL   string // CI_MERGE_REQUEST_PROJECT_URL, else CI_PROJECT_URL
	APIURL       string // CI_API_V4_URL (self-managed GitLab names its own)
	Job          string // CI_JOB_NAME
	Pipeline     string // CI_PIPELINE_ID
	CAFile       string // CI_SERVER_TLS_CA_FILE
	JobToken     string // CI_JOB_TOKEN: may read notes, never write them
}

// MergeRequestURL is the merge request's page, or "".
func (g gitlabEnv) MergeRequestURL() string {
	if g.ProjectURL == "" || g.MergeRequest == 0 {
		return ""
	}
	return fmt.Sprintf("%s/-/merge_requests/%d", strings.TrimRight(g.ProjectURL, "/"), g.MergeRequest)
}

func readCIEnv(getenv func(string) string) ciEnv {
	e := ciEnv{
		Actions:     getenv("GITHUB_ACTIONS") == "true",
		EventName:   getenv("GITHUB_EVENT_NAME"),
		EventPath:   getenv("GITHUB_EVENT_PATH"),
		Repository:  getenv("GITHUB_REPOSITORY"),
		Workflow:    getenv("GITHUB_WORKFLOW"),
		Job:         getenv("GITHUB_JOB"),
		APIURL:      getenv("GITHUB_API_URL"),
		ServerURL:   getenv("GITHUB_SERVER_URL"),
		RunID:       getenv("GITHUB_RUN_ID"),
		HeadRef:     getenv("GITHUB_HEAD_REF"),
		RefName:     getenv("GITHUB_REF_NAME"),
		SHA:         getenv("GITHUB_SHA"),
		StepSummary: getenv("GITHUB_STEP_SUMMARY"),
	}
	// GitLab CI: merge request pipelines name the source branch.
	e.OtherRef = first(getenv("CI_MERGE_REQUEST_SOURCE_BRANCH_NAME"), getenv("CI_COMMIT_REF_NAME"),
		// Jenkins multibranch: CHANGE_BRANCH on change requests, BRANCH_NAME otherwise.
		getenv("CHANGE_BRANCH"), getenv("BRANCH_NAME"))
	// GitLab's merged-results pipelines run on a merge commit and name the
	// source branch's head apart.
	e.OtherCommit = first(getenv("CI_MERGE_REQUEST_SOURCE_BRANCH_SHA"), getenv("CI_COMMIT_SHA"), getenv("GIT_COMMIT"))
	// A Jenkins pull request build (CHANGE_ID) that merges the pull request
	// into its target builds a local merge commit, and GIT_COMMIT names it.
	e.JenkinsChangeCommit = getenv("CHANGE_ID") != "" && e.OtherCommit != "" && e.OtherCommit == getenv("GIT_COMMIT") &&
		getenv("CI_COMMIT_SHA") == ""
	e.OtherBaseRef = first(getenv("CI_MERGE_REQUEST_TARGET_BRANCH_NAME"), getenv("CHANGE_TARGET"))
	if getenv("GITLAB_CI") == "true" {
		iid, _ := strconv.ParseInt(getenv("CI_MERGE_REQUEST_IID"), 10, 64)
		e.GitLab = gitlabEnv{
			MergeRequest: max(iid, 0),
			Project:      first(getenv("CI_MERGE_REQUEST_PROJECT_ID"), getenv("CI_PROJECT_ID")),
			ProjectURL:   first(getenv("CI_MERGE_REQUEST_PROJECT_URL"), getenv("CI_PROJECT_URL")),
			APIURL:       getenv("CI_API_V4_URL"),
			Job:          getenv("CI_JOB_NAME"),
			Pipeline:     getenv("CI_PIPELINE_ID"),
			CAFile:       getenv("CI_SERVER_TLS_CA_FILE"),
			JobToken:     getenv("CI_JOB_TOKEN"),
		}
	}
	return e
}

// RunURL is the link to this workflow run, where the job summary is; empty
// outside GitHub Actions.
func (e ciEnv) RunURL() string {
	if e.ServerURL == "" || e.Repository == "" || e.RunID == "" {
		return ""
	}
	return fmt.Sprintf("%s/%s/actions/runs/%s", strings.TrimRight(e.ServerURL, "/"), e.Repository, e.RunID)
}

func first(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}
