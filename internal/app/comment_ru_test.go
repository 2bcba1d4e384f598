package app

import (
	"context"
	"net/http"
	"regexp"
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

// A Russian run whose GitHub token is rejected (401) says why the comment
// was not written wholly in Russian: the warning, the step, the hint;
// only GitHub's own answer stays as it sent it.
func TestCommentRejectedTokenInRussian(t *testing.T) {
	t.Parallel()
	_, url := startSim(t, nil)
	gh := runnertest.NewGitHub(t, "ghs_ANOTHERgithubtoken0043") // the run's token is not this one
	env := actionEnv(t, map[string]string{"url": url, "token": canary, "project": "340", "mode": "warn", "language": "ru"}, gh)
	r := runMain(t, context.Background(), nil, env)
	if r.Code != exitPass {
		t.Fatalf("exit %d, want 0\n%s", r.Code, r.Stderr)
	}
	var line string
	for l := range strings.Lines(r.Stdout) {
		if strings.HasPrefix(l, "::warning title=Комментарий в PR::") {
			line = strings.TrimSuffix(l, "\n")
		}
	}
	if line == "" {
		t.Fatalf("no warning that the comment was not written; stdout:\n%s", r.Stdout)
	}
	github := regexp.MustCompile(`GET \S+/repos/\S+/issues/\d+/comments\S*: 401 Bad credentials \[\]`)
	if !github.MatchString(line) {
		t.Fatalf("GitHub's answer is not in the warning as it sent it:\n%s", line)
	}
	want := "::warning title=Комментарий в PR::комментарий в pull request не написан: чтение комментариев "
	const tail = ": GitHub отверг токен: передайте действительный, например ${{ github.token }}; "
	if !strings.HasPrefix(line, want) || !strings.Contains(line, tail) {
		t.Errorf("the warning is not the Russian one (%q…%q):\n%s", want, tail, line)
	}
	rest := github.ReplaceAllString(line, "")
	rest = regexp.MustCompile(`\S+/\S+#\d+|\$\{\{ github\.token \}\}|::warning title=|GitHub|PR|pull request`).ReplaceAllString(rest, "")
	if english := regexp.MustCompile(`[A-Za-z]{2,}`).FindAllString(rest, -1); len(english) > 0 {
		t.Errorf("English words %q left in the Russian warning:\n%s", english, line)
	}
}

// A Russian run logs what became of the comment and the note in Russian;
// the outputs keep the English action for machines.
func TestCommentAndNoteLoggedInRussian(t *testing.T) {
	t.Parallel()
	t.Run("github", func(t *testing.T) {
		t.Parallel()
		_, url := startSim(t, nil)
		gh := runnertest.NewGitHub(t, ghCanary)
		env := actionEnv(t, map[string]string{"url": url, "token": canary, "project": "340", "mode": "warn", "language": "ru"}, gh)
		r := runMain(t, context.Background(), nil, env)
		if r.Code != exitPass {
			t.Fatalf("exit %d, want 0\n%s", r.Code, r.Stderr)
		}
		if !strings.Contains(r.Stdout, "Комментарий в PR написан: ") || strings.Contains(r.Stdout, "Комментарий в PR created") {
			t.Errorf("want %q in stdout:\n%s", "Комментарий в PR написан: ", r.Stdout)
		}
	})
	t.Run("gitlab", func(t *testing.T) {
		t.Parallel()
		_, url := startSim(t, nil)
		fake := newFakeGitLab(t)
		dir := t.TempDir()
		env := gitlabJob(t, url, fake, dir)
		env["CODESCORING_LANGUAGE"] = "ru"
		r := runMain(t, context.Background(), gitlabArgs(dir), env)
		if r.Code != exitFail {
			t.Fatalf("exit = %d, want %d\n%s", r.Code, exitFail, r.Stderr)
		}
		if !strings.Contains(r.Stdout, "Заметка в merge request написана: ") || strings.Contains(r.Stdout, "Заметка в merge request created") {
			t.Errorf("want %q in stdout:\n%s", "Заметка в merge request написана: ", r.Stdout)
		}
	})
}
