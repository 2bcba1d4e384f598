package app

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/codescoring-gate/codescoring-gate/internal/githubpr"
	"github.com/codescoring-gate/codescoring-gate/internal/gitlabtest"
	"github.com/codescoring-gate/codescoring-gate/internal/resultfile"
	"github.com/codescoring-gate/codescoring-gate/internal/runnertest"
	"github.com/codescoring-gate/codescoring-gate/internal/testcert"
)

const (
	glCanary  = "glpat-CANARYgitlabtoken0042"
	jobCanary = "CANARY-job-token-77a1"
	glProject = "4242"
	glMR      = int64(7)
)

var glBot = gitlabtest.User{ID: 501, Username: "project_4242_bot_3f2a"}

// gitlabJob is a GitLab merge request pipeline's environment, as the
// runner sets it (no GitHub variable), with the gate's settings from
// CODESCORING_* variables and GITLAB_TOKEN.
func gitlabJob(t *testing.T, csURL string, fake *gitlabtest.Server, dir string) map[string]string {
	t.Helper()
	return map[string]string{
		"CI": "true", "GITLAB_CI": "true",
		"CI_MERGE_REQUEST_IID": "7", "CI_MERGE_REQUEST_PROJECT_ID": glProject, "CI_PROJECT_ID": glProject,
		"CI_MERGE_REQUEST_PROJECT_URL": fake.URL + "/group/app", "CI_API_V4_URL": fake.APIURL,
		"CI_JOB_NAME": "codescoring", "CI_JOB_URL": fake.URL + "/group/app/-/jobs/99", "CI_PIPELINE_ID": "1234",
		"CI_MERGE_REQUEST_SOURCE_BRANCH_NAME": "feature/login", "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main",
		"CI_COMMIT_REF_NAME": "feature/login", "CI_COMMIT_SHA": runnertest.HeadSHA,
		"CI_PIPELINE_SOURCE": "merge_request_event", "CI_JOB_TOKEN": jobCanary,
		"GITLAB_TOKEN":      glCanary,
		"CODESCORING_URL":   csURL,
		"CODESCORING_TOKEN": canary, "CODESCORING_PROJECT": "payments-service",
		"CODESCORING_REPORT_JSON": filepath.Join(dir, "reports", "codescoring.json"),
	}
}

// gitlabArgs are the flags of the job's script line.
func gitlabArgs(dir string) []string {
	return []string{"--report-junit", filepath.Join(dir, "junit.xml"), "--report-codequality", filepath.Join(dir, "gl-code-quality-report.json")}
}

func newFakeGitLab(t *testing.T) *gitlabtest.Server {
	t.Helper()
	fake := gitlabtest.New(t, "/gitlab/api/v4", glProject)
	fake.AddToken(glCanary, glBot)
	fake.AddJobToken(jobCanary)
	fake.SetHead(glMR, runnertest.HeadSHA)
	return fake
}

func noSecrets(t *testing.T, where, s string) {
	t.Helper()
	for _, sec := range []string{canary, glCanary, jobCanary} {
		if strings.Contains(s, sec) {
			t.Errorf("%s holds a token", where)
		}
	}
}

// TestGitLabMergeRequestJob runs app.Main as a GitLab merge request job
// would, against the simulator and a fake GitLab: the exit code, the one
// note, the three files, and a re-run that writes nothing.
func TestGitLabMergeRequestJob(t *testing.T) {
	t.Parallel()
	sim, url := startSim(t, nil)
	fake := newFakeGitLab(t)
	dir := t.TempDir()
	env := gitlabJob(t, url, fake, dir)

	r := runMain(t, context.Background(), gitlabArgs(dir), env)
	if r.Code != exitFail {
		t.Fatalf("exit = %d, want %d\nstdout:\n%s\nstderr:\n%s", r.Code, exitFail, r.Stdout, r.Stderr)
	}
	if strings.Contains(r.Stdout, "::") {
		t.Errorf("workflow commands in a GitLab job:\n%s", r.Stdout)
	}
	if !strings.Contains(r.Stdout, "GitLab merge request !7 of project 4242, pipeline 1234, job codescoring") {
		t.Errorf("the log does not name the merge request pipeline:\n%s", r.Stdout)
	}
	if !strings.Contains(r.Stdout, "feature/login @ "+runnertest.HeadSHA[:12]) {
		t.Errorf("the analysis was not of the merge request's head:\n%s", r.Stdout)
	}
	var starts int
	for _, req := range sim.Requests() {
		if req.Method == http.MethodPost {
			starts++
		}
	}
	if starts != 1 {
		t.Errorf("%d analyses started, want 1", starts)
	}

	notes := fake.Notes(glMR)
	if len(notes) != 1 || fake.Writes() != 1 {
		t.Fatalf("%d notes after %d writes, want 1 and 1", len(notes), fake.Writes())
	}
	note := notes[0]
	m, ok := githubpr.ParseMarker(note.Body)
	if !ok || m.ProjectID != 340 || m.Project != "payments-service" || m.Job != "codescoring" || m.HeadSHA != runnertest.HeadSHA || note.Author.ID != glBot.ID {
		t.Errorf("note marker %+v (%v) by %v, want project 340, job codescoring, the head SHA, by the token's user", m, ok, note.Author)
	}
	for _, w := range []string{"log4j-core", "CVE-2021-44228", "No critical CVEs"} {
		if !strings.Contains(note.Body, w) {
			t.Errorf("note lacks %q", w)
		}
	}
	noteURL := fake.WebURL(glMR) + "#note_" + itoa(note.ID)
	if !strings.Contains(r.Stdout, "Merge request note created: "+noteURL) {
		t.Errorf("stdout does not name the note %s:\n%s", noteURL, r.Stdout)
	}
	for _, req := range fake.Requests() {
		if !strings.Contains(req, " /gitlab/api/v4/") {
			t.Errorf("request %q is not under CI_API_V4_URL", req)
		}
	}

	// The three files.
	jsonPath := env["CODESCORING_REPORT_JSON"]
	var doc resultfile.Document
	b := readFile(t, jsonPath)
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.SchemaVersion != 1 || doc.Verdict != "fail" || doc.ExitCode != exitFail || doc.Counts.Blocking != 4 ||
		doc.CommentURL == nil || *doc.CommentURL != noteURL || doc.Project == nil || doc.Project.Name != "payments-service" {
		t.Errorf("report-json: schema %d, verdict %s, exit %d, blocking %d, comment %v, project %+v",
			doc.SchemaVersion, doc.Verdict, doc.ExitCode, doc.Counts.Blocking, doc.CommentURL, doc.Project)
	}
	blockingFP := map[string]bool{}
	for _, f := range doc.Findings {
		if f.Category == "blocking" {
			blockingFP[f.Fingerprint] = true
		}
	}

	var junit struct {
		Failures int `xml:"failures,attr"`
		Suites   []struct {
			Cases []struct {
				Failure *struct{} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	jb := readFile(t, filepath.Join(dir, "junit.xml"))
	if err := xml.Unmarshal(jb, &junit); err != nil {
		t.Fatalf("junit.xml: %v", err)
	}
	failures := 0
	for _, s := range junit.Suites {
		for _, c := range s.Cases {
			if c.Failure != nil {
				failures++
			}
		}
	}
	if failures != 4 || junit.Failures != 4 {
		t.Errorf("junit.xml has %d failing cases (attribute %d), want 4", failures, junit.Failures)
	}

	cb := readFile(t, filepath.Join(dir, "gl-code-quality-report.json"))
	var issues []struct {
		Fingerprint string `json:"fingerprint"`
		Severity    string `json:"severity"`
	}
	if bytes.HasPrefix(cb, []byte("\xef\xbb\xbf")) || json.Unmarshal(cb, &issues) != nil {
		t.Fatalf("the Code Quality file is not a BOM-less JSON array: %.60q", cb)
	}
	blockers := 0
	for _, is := range issues {
		if is.Severity == "blocker" {
			blockers++
			if !blockingFP[is.Fingerprint] {
				t.Errorf("Code Quality fingerprint %s is not a blocking finding's fingerprint in report-json", is.Fingerprint)
			}
		}
	}
	if blockers == 0 || blockers > 4 {
		t.Errorf("%d blocker issues, want 1..4", blockers)
	}
	for name, s := range map[string]string{"stdout": r.Stdout, "stderr": r.Stderr, "note": note.Body, "report-json": string(b), "junit": string(jb), "codequality": string(cb)} {
		noSecrets(t, name, s)
	}

	// A re-run that waits for that analysis (start false) has the same
	// result and writes nothing.
	env["CODESCORING_START"] = "false"
	r2 := runMain(t, context.Background(), gitlabArgs(dir), env)
	if r2.Code != exitFail || fake.Writes() != 1 || !strings.Contains(r2.Stdout, "Merge request note unchanged: "+noteURL) {
		t.Errorf("re-run: exit %d, %d writes in all, want the note unchanged; stdout:\n%s", r2.Code, fake.Writes(), r2.Stdout)
	}
}

func TestGitLabWithoutAWritingToken(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		edit  func(env map[string]string, fake *gitlabtest.Server)
		want  string
		reads bool // whether GitLab is asked at all
	}{
		{"job token only", func(env map[string]string, _ *gitlabtest.Server) { delete(env, "GITLAB_TOKEN") },
			"the only GitLab token is CI_JOB_TOKEN", false},
		{"no token", func(env map[string]string, _ *gitlabtest.Server) {
			delete(env, "GITLAB_TOKEN")
			delete(env, "CI_JOB_TOKEN")
		}, "no `gitlab-token` (GITLAB_TOKEN) is set", false},
		{"403 on create", func(_ map[string]string, fake *gitlabtest.Server) {
			fake.Fail(gitlabtest.RouteCreate, gitlabtest.Fault{Status: http.StatusForbidden, Body: "403 Forbidden"})
		}, "GitLab answered 403: the token may not write notes on merge request !7", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, url := startSim(t, nil)
			fake := newFakeGitLab(t)
			dir := t.TempDir()
			env := gitlabJob(t, url, fake, dir)
			tc.edit(env, fake)
			r := runMain(t, context.Background(), gitlabArgs(dir), env)
			if r.Code != exitFail {
				t.Fatalf("exit = %d, want the gate's own %d\n%s", r.Code, exitFail, r.Stderr)
			}
			if got := strings.Count(r.Stderr, "warning: "); got != 1 || !strings.Contains(r.Stderr, tc.want) ||
				!strings.Contains(r.Stderr, "project access token") || !strings.Contains(r.Stderr, "`api` scope") {
				t.Errorf("want one warning saying %q and which token to create; stderr:\n%s", tc.want, r.Stderr)
			}
			if got := len(fake.Requests()) > 0; got != tc.reads {
				t.Errorf("GitLab asked: %v, want %v (%v)", got, tc.reads, fake.Requests())
			}
			if len(fake.Notes(glMR)) != 0 {
				t.Errorf("a note was written")
			}
			for _, f := range []string{env["CODESCORING_REPORT_JSON"], filepath.Join(dir, "junit.xml"), filepath.Join(dir, "gl-code-quality-report.json")} {
				if _, err := os.Stat(f); err != nil {
					t.Errorf("report file not written: %v", err)
				}
			}
			noSecrets(t, "stderr", r.Stderr)
			noSecrets(t, "stdout", r.Stdout)
		})
	}
}

// TestGitLabPrivateCA runs the job against a GitLab whose certificate a
// private CA signed: CI_SERVER_TLS_CA_FILE makes it trusted; without it the
// note fails with one warning and the verdict stays.
func TestGitLabPrivateCA(t *testing.T) {
	t.Parallel()
	for _, withCA := range []bool{true, false} {
		t.Run(fmt.Sprintf("CA file %v", withCA), func(t *testing.T) {
			t.Parallel()
			_, url := startSim(t, nil)
			fake := gitlabtest.NewTLS(t, "/api/v4", glProject)
			fake.AddToken(glCanary, glBot)
			fake.SetHead(glMR, runnertest.HeadSHA)
			dir := t.TempDir()
			env := gitlabJob(t, url, fake, dir)
			if withCA {
				ca := filepath.Join(dir, "CI_SERVER_TLS_CA_FILE")
				if err := os.WriteFile(ca, testcert.PEM(fake.Certificate()), 0o600); err != nil {
					t.Fatal(err)
				}
				env["CI_SERVER_TLS_CA_FILE"] = ca
			}
			r := runMain(t, context.Background(), nil, env)
			if r.Code != exitFail {
				t.Fatalf("exit = %d, want %d\n%s", r.Code, exitFail, r.Stderr)
			}
			if withCA {
				if len(fake.Notes(glMR)) != 1 || strings.Contains(r.Stderr, "warning") {
					t.Errorf("%d notes; stderr:\n%s", len(fake.Notes(glMR)), r.Stderr)
				}
				return
			}
			if len(fake.Notes(glMR)) != 0 || strings.Count(r.Stderr, "warning: ") != 1 || !strings.Contains(r.Stderr, "CI_SERVER_TLS_CA_FILE") {
				t.Errorf("without the CA: %d notes; stderr:\n%s", len(fake.Notes(glMR)), r.Stderr)
			}
			noSecrets(t, "stderr", r.Stderr)
		})
	}
}

func TestGitLabStalePipelineLeavesTheNote(t *testing.T) {
	t.Parallel()
	_, url := startSim(t, nil)
	fake := newFakeGitLab(t)
	fake.SetHead(glMR, "1111111111111111111111111111111111111111")
	dir := t.TempDir()
	r := runMain(t, context.Background(), nil, gitlabJob(t, url, fake, dir))
	if r.Code != exitFail || fake.Writes() != 0 || !strings.Contains(r.Stdout, "a newer pipeline is analysing") {
		t.Errorf("exit %d, %d writes; stdout:\n%s", r.Code, fake.Writes(), r.Stdout)
	}
}

func TestReportFilesOnBadInput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "out.json")
	env := map[string]string{"CODESCORING_URL": "cs.example.com", "CODESCORING_PROJECT": "payments-service", "CODESCORING_TOKEN": canary}
	r := runMain(t, context.Background(), []string{"--mode", "strict", "--report-json", path}, env)
	if r.Code != exitError {
		t.Fatalf("exit = %d, want 2", r.Code)
	}
	var doc resultfile.Document
	if err := json.Unmarshal(readFile(t, path), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Verdict != "error" || doc.ExitCode != exitError || doc.Error == nil || !doc.Error.BadInput ||
		!strings.Contains(doc.Error.Message, "`mode` \"strict\"") || !strings.Contains(doc.Error.Message, "the CodeScoring URL cs.example.com does not start with https://") ||
		doc.Project == nil || doc.Project.Name != "payments-service" || doc.Project.ID != nil {
		t.Errorf("report-json on bad input = %+v, error %+v", doc, doc.Error)
	}
}

func TestReportFilesMustDiffer(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	env := map[string]string{"CODESCORING_URL": "https://cs.example.com", "CODESCORING_PROJECT": "1", "CODESCORING_TOKEN": canary}
	r := runMain(t, context.Background(), []string{"--report-json", dir + "/r.json", "--report-codequality", dir + "/./r.json"}, env)
	if r.Code != exitError || !strings.Contains(r.Stderr, "`report-json` and `report-codequality` are both") {
		t.Errorf("exit %d, stderr:\n%s", r.Code, r.Stderr)
	}
	if _, err := os.Stat(dir + "/r.json"); err == nil {
		t.Errorf("a file was written to a path two inputs name")
	}
}

func TestGitLabEnv(t *testing.T) {
	t.Parallel()
	base := map[string]string{
		"GITLAB_CI": "true", "CI_MERGE_REQUEST_IID": "7", "CI_PROJECT_ID": "11", "CI_COMMIT_SHA": "merge-commit",
		"CI_MERGE_REQUEST_SOURCE_BRANCH_NAME": "feature", "CI_COMMIT_REF_NAME": "refs/merge-requests/7/merge",
	}
	env := readCIEnv(func(k string) string { return base[k] })
	if env.GitLab.MergeRequest != 7 || env.GitLab.Project != "11" || env.OtherCommit != "merge-commit" || env.OtherRef != "feature" {
		t.Errorf("merge request pipeline: %+v, commit %q, ref %q", env.GitLab, env.OtherCommit, env.OtherRef)
	}
	base["CI_MERGE_REQUEST_SOURCE_BRANCH_SHA"] = "source-head"
	base["CI_MERGE_REQUEST_PROJECT_ID"] = "12"
	env = readCIEnv(func(k string) string { return base[k] })
	if env.OtherCommit != "source-head" || env.GitLab.Project != "12" {
		t.Errorf("merged-results pipeline: commit %q, project %q; want the source branch's head and the MR's project", env.OtherCommit, env.GitLab.Project)
	}
	delete(base, "GITLAB_CI")
	if env := readCIEnv(func(k string) string { return base[k] }); env.GitLab.MergeRequest != 0 {
		t.Errorf("outside GitLab CI: %+v", env.GitLab)
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
