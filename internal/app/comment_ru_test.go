package app

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/codescoring-gate/codescoring-gate/internal/gitlabtest"
	"github.com/codescoring-gate/codescoring-gate/internal/runnertest"
)

// A Russian run says GitHub's refusal to comment in Russian, in the
// warning whose title is Russian too; GitHub's own words stay as sent.
func TestCommentDeniedInRussian(t *testing.T) {
	t.Parallel()
	_, url := startSim(t, nil)
	gh := runnertest.NewGitHub(t, ghCanary)
	gh.DenyWrites(http.StatusForbidden)
	env := actionEnv(t, map[string]string{"url": url, "token": canary, "project": "340", "mode": "warn", "language": "ru"}, gh)
	r := runMain(t, context.Background(), nil, env)
	if r.Code != exitPass {
		t.Fatalf("exit %d, want 0\n%s", r.Code, r.Stderr)
	}
	const want = "::warning title=Комментарий в PR не написан::GitHub ответил 403: токен не может комментировать pull request "
	if !strings.Contains(r.Stdout, want) || !strings.Contains(r.Stdout, "Дайте заданию `permissions: pull-requests: write`") {
		t.Errorf("want the refusal in Russian (%q…); stdout:\n%s", want, r.Stdout)
	}
	if strings.Contains(r.Stdout, "the token may not") {
		t.Errorf("the refusal is still in English:\n%s", r.Stdout)
	}
}

// A Russian GitLab job says GitLab's refusal to write the note in Russian.
func TestGitLabNoteDeniedInRussian(t *testing.T) {
	t.Parallel()
	_, url := startSim(t, nil)
	fake := newFakeGitLab(t)
	dir := t.TempDir()
	env := gitlabJob(t, url, fake, dir)
	env["CODESCORING_LANGUAGE"] = "ru"
	fake.Fail(gitlabtest.RouteCreate, gitlabtest.Fault{Status: http.StatusForbidden, Body: "403 Forbidden"})
	r := runMain(t, context.Background(), gitlabArgs(dir), env)
	if r.Code != exitFail {
		t.Fatalf("exit = %d, want %d\n%s", r.Code, exitFail, r.Stderr)
	}
	const want = "GitLab ответил 403: токен не может писать заметки в merge request !7 проекта "
	if !strings.Contains(r.Stderr, want) || !strings.Contains(r.Stderr, "Создайте токен доступа проекта со scope `api`") {
		t.Errorf("want the refusal in Russian (%q…); stderr:\n%s", want, r.Stderr)
	}
	if strings.Contains(r.Stderr, "the token may not") {
		t.Errorf("the refusal is still in English:\n%s", r.Stderr)
	}
}
