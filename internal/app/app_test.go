package app

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/codescoring-gate/codescoring-gate/internal/githubpr"
	"github.com/codescoring-gate/codescoring-gate/internal/runnertest"
	"github.com/codescoring-gate/codescoring-gate/internal/simulator"
)

// TestActionPullRequest runs the gate as the GitHub runner runs the action on
// a pull_request event and checks exit code, outputs, summary, comment and
// what was asked of CodeScoring.
func TestActionPullRequest(t *testing.T) {
	t.Parallel()
	sim, url := startSim(t, nil)
	gh := runnertest.NewGitHub(t, ghCanary)
	env := actionEnv(t, map[string]string{"url": url, "token": canary, "project": "payments-service", "wait-timeout": "1m"}, gh)

	r := runMain(t, context.Background(), nil, env)

	if r.Code != exitFail {
		t.Fatalf("exit code = %d, want %d\nstdout:\n%s\nstderr:\n%s", r.Code, exitFail, r.Stdout, r.Stderr)
	}
	want := map[string]string{
		"verdict": "fail", "blocking-count": "4", "warning-count": "3", "upcoming-count": "2",
		"analysis-id": "1000", "report-url": url + "/projects/340",
		"comment-url": "https://github.com/acme/app/pull/12#issuecomment-1",
	}
	for k, v := range want {
		if got := r.Outputs[k]; got != v {
			t.Errorf("output %s = %q, want %q", k, got, v)
		}
	}
	for _, s := range []string{"log4j-core", "CVE-2021-44228", "No critical CVEs", "| Fixed in |"} {
		if !strings.Contains(r.Summary, s) {
			t.Errorf("job summary lacks %q:\n%s", s, r.Summary)
		}
	}
	if !strings.Contains(r.Stdout, "::add-mask::"+canary) {
		t.Errorf("the token was not masked: stdout starts %q", head(r.Stdout))
	}
	if !strings.Contains(r.Stdout, "::error title=") {
		t.Errorf("no error annotation in stdout")
	}

	// CodeScoring was asked for the PR head, never the merge commit.
	var starts int
	for _, req := range sim.Requests() {
		if req.Method == http.MethodPost {
			starts++
		}
	}
	if got := sim.MaxPerPage(); got > 100 {
		t.Errorf("max per_page = %d, want <= 100", got)
	}
	if !strings.Contains(r.Stdout, "feature/login @ "+runnertest.HeadSHA[:12]) {
		t.Errorf("the analysis was not started for the PR head feature/login @ %s:\n%s", runnertest.HeadSHA[:12], r.Stdout)
	}
	if starts != 1 {
		t.Errorf("started %d analyses, want 1", starts)
	}
	ids := sim.AnalysisIDs(simulator.DemoProjectID)
	if len(ids) != 1 {
		t.Fatalf("analyses = %v, want one", ids)
	}

	calls, ours := gh.TakeCalls(), gh.Ours()
	body := ""
	if len(ours) > 0 {
		body = ours[0]
	}
	writes := calls[runnertest.RouteCreate] + calls[runnertest.RouteEdit]
	if writes != 1 || !strings.Contains(body, "codescoring-gate:marker") || !strings.Contains(body, "log4j-core") {
		t.Errorf("GitHub writes = %d, comment body starts %q", writes, head(body))
	}
	if calls[runnertest.RouteList] == 0 || gh.Denied() != 0 {
		t.Errorf("GitHub was not called with the github-token")
	}
	if strings.Contains(body, canary) || strings.Contains(r.All(), canary) && strings.Count(r.All(), canary) != 1 {
		t.Errorf("the canary token leaked")
	}

	// The next run of the same job, with the same result (later, so its
	// decision time differs), leaves the comment as it is: no write.
	r2 := runMain(t, context.Background(), nil, env)
	if r2.Code != exitFail {
		t.Fatalf("second run: exit %d", r2.Code)
	}
	if n := len(gh.Ours()); n != 1 {
		t.Errorf("after two runs there are %d comments, want 1", n)
	}
	calls = gh.TakeCalls()
	if writes := calls[runnertest.RouteCreate] + calls[runnertest.RouteEdit]; writes != 0 || calls[runnertest.RouteList] == 0 {
		t.Errorf("a re-run with the same result made %d writes (calls %v), want 0 after listing the comments", writes, calls)
	}
	if !strings.Contains(r2.Stdout, "PR comment unchanged") {
		t.Errorf("the log does not say the comment was left unchanged:\n%s", r2.Stdout)
	}

	// A run that fails before it knows the project's id (a wrong token,
	// the project given by name) still replaces that comment with its
	// error, instead of leaving the earlier verdict on the pull request.
	env["INPUT_TOKEN"] = canary + "-revoked"
	r3 := runMain(t, context.Background(), nil, env)
	if r3.Outputs["verdict"] != "error" {
		t.Fatalf("wrong token: verdict %q, want error\n%s", r3.Outputs["verdict"], r3.Stdout)
	}
	calls = gh.TakeCalls()
	if calls[runnertest.RouteEdit] != 1 || calls[runnertest.RouteCreate] != 0 {
		t.Errorf("wrong token: calls %v, want one edit and no create", calls)
	}
	if ours := gh.Ours(); len(ours) != 1 || !strings.Contains(ours[0], "CodeScoring gate: error") || strings.Contains(ours[0], "log4j-core") {
		t.Errorf("after the error the comments are %d, the first starting %q; want the one comment, saying the gate could not decide", len(ours), head(strings.Join(ours, "")))
	}
}

// TestCanaryNeverPrinted checks that the token appears nowhere but in the
// ::add-mask:: command, across verdicts and failures.
func TestCanaryNeverPrinted(t *testing.T) {
	t.Parallel()
	_, url := startSim(t, nil)
	cases := []struct {
		name   string
		inputs map[string]string
	}{
		{"fail", map[string]string{"url": url, "token": canary, "project": "340"}},
		{"bad input", map[string]string{"url": url + "/api", "token": canary, "project": "340", "mode": "strict"}},
		{"wrong token", map[string]string{"url": url, "token": canary + "x", "project": "340"}},
		{"unknown project", map[string]string{"url": url, "token": canary, "project": "nope"}},
		{"token in url", map[string]string{"url": "https://user:" + canary + "@cs.example.com", "token": canary, "project": "1"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := actionEnv(t, tc.inputs, nil)
			env["GITHUB_EVENT_NAME"] = "push"
			r := runMain(t, context.Background(), nil, env)
			all := strings.ReplaceAll(r.All(), "::add-mask::"+tc.inputs["token"], "")
			if strings.Contains(all, canary) {
				t.Errorf("the token appears in the output:\n%s", all)
			}
			if r.Outputs["verdict"] == "" {
				t.Errorf("no verdict output")
			}
		})
	}
}

func head(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}

// TestCommentDeniedKeepsVerdict checks that a token that cannot write (a
// fork PR, or no pull-requests: write) costs one warning, not the verdict.
func TestCommentDeniedKeepsVerdict(t *testing.T) {
	t.Parallel()
	_, url := startSim(t, nil)
	gh := runnertest.NewGitHub(t, ghCanary)
	gh.DenyWrites(http.StatusForbidden)
	env := actionEnv(t, map[string]string{"url": url, "token": canary, "project": "340", "mode": "warn"}, gh)
	r := runMain(t, context.Background(), nil, env)
	if r.Code != exitPass || r.Outputs["verdict"] != "warn" {
		t.Errorf("exit %d, verdict %q; want 0 and warn", r.Code, r.Outputs["verdict"])
	}
	if got := strings.Count(r.Stdout, "::warning title=PR comment not written::"); got != 1 {
		t.Errorf("%d permission warnings, want 1:\n%s", got, r.Stdout)
	}
	if !strings.Contains(r.Stdout, "pull-requests: write") {
		t.Errorf("the warning does not name the permission to add")
	}
	if r.Outputs["comment-url"] != "" {
		t.Errorf("comment-url = %q, want empty", r.Outputs["comment-url"])
	}
	if r.Summary == "" {
		t.Errorf("no job summary")
	}
}

// TestCommentStaleRun checks that a run whose PR head moved on writes no
// comment.
func TestCommentStaleRun(t *testing.T) {
	t.Parallel()
	_, url := startSim(t, nil)
	gh := runnertest.NewGitHub(t, ghCanary)
	gh.SetHead("2222222222222222222222222222222222222222")
	env := actionEnv(t, map[string]string{"url": url, "token": canary, "project": "340"}, gh)
	r := runMain(t, context.Background(), nil, env)
	if r.Code != exitFail {
		t.Errorf("exit %d, want 1", r.Code)
	}
	calls := gh.TakeCalls()
	if writes := calls[runnertest.RouteCreate] + calls[runnertest.RouteEdit]; writes != 0 {
		t.Errorf("%d writes on a stale run, want 0", writes)
	}
}

// TestCommentSkippedWhenCancelled checks that a cancelled job touches no
// comment: a newer run owns it, and the runner kills the step soon.
func TestCommentSkippedWhenCancelled(t *testing.T) {
	t.Parallel()
	_, url := startSim(t, nil)
	gh := runnertest.NewGitHub(t, ghCanary)
	env := actionEnv(t, map[string]string{"url": url, "token": canary, "project": "340"}, gh)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := runMain(t, ctx, nil, env)
	if r.Code != exitError || r.Outputs["verdict"] != "error" {
		t.Errorf("exit %d, verdict %q; want 2 and error", r.Code, r.Outputs["verdict"])
	}
	if calls := gh.TakeCalls(); len(calls) != 0 {
		t.Errorf("GitHub calls on a cancelled job: %v", calls)
	}
	if !strings.Contains(r.Stdout, "No PR comment: the job was cancelled.") {
		t.Errorf("the log does not say why there is no comment:\n%s", r.Stdout)
	}
}

// TestCommentAuthorInput checks that comment-author finds the comment of a
// GitHub App token, which GET /user cannot name: the run edits it instead of
// posting another. Without the input that comment is not the gate's own.
func TestCommentAuthorInput(t *testing.T) {
	t.Parallel()
	marker := githubpr.Marker{ProjectID: 340, Workflow: "security", Job: "gate"}.String()
	for _, tc := range []struct {
		name                  string
		author                string
		wantCreate, wantEdits int
	}{
		{"app bot login given", "acme-gate[bot]", 0, 1},
		{"no login: the app's comment is not ours", "", 1, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, url := startSim(t, nil)
			gh := runnertest.NewGitHub(t, ghCanary)
			gh.AddComment("acme-gate[bot]", "an old result\n\n"+marker)
			in := map[string]string{"url": url, "token": canary, "project": "340", "comment-author": tc.author}
			r := runMain(t, context.Background(), nil, actionEnv(t, in, gh))
			if r.Code != exitFail {
				t.Fatalf("exit %d, want 1\n%s", r.Code, r.Stdout)
			}
			calls := gh.TakeCalls()
			if calls[runnertest.RouteCreate] != tc.wantCreate || calls[runnertest.RouteEdit] != tc.wantEdits {
				t.Errorf("creates %d, edits %d; want %d and %d", calls[runnertest.RouteCreate], calls[runnertest.RouteEdit], tc.wantCreate, tc.wantEdits)
			}
		})
	}
}
