package githubpr

import (
	"net/http"
	"testing"

	"github.com/google/go-github/v62/github"

	"github.com/codescoring-gate/codescoring-gate/internal/gate"
	"github.com/codescoring-gate/codescoring-gate/internal/i18n"
)

// Each answer of the comment is said in the reader's language: English
// word for word as the gate always said it, Russian in README.ru.md's
// words, what GitHub sent as it came.
func TestResultMessageInEachLanguage(t *testing.T) {
	t.Parallel()
	req := baseRequest()
	fork := req
	fork.Fork = true
	refusal := func(status int, msg string) error {
		return &github.ErrorResponse{Response: &http.Response{StatusCode: status}, Message: msg}
	}
	deny := func(err error, what gate.Text, req Request) gate.Text {
		t.Helper()
		res, ok := denied(err, what, req)
		if !ok || res.Action != ActionDenied {
			t.Fatalf("denied(%v) = %+v, %v; want a denial", err, res, ok)
		}
		return res.Message
	}
	grantEN := "Give the job `permissions: pull-requests: write` (it covers reading the pull request and writing its comments; `issues: write` is not needed). " +
		"On pull requests from forks the token is read-only whatever the workflow asks for, so the result is in the job summary instead; " +
		"`pull_request_target` can comment, but it holds the base repository's secrets: use it only with care."
	grantRU := "Дайте заданию `permissions: pull-requests: write` (этого хватает, чтобы читать pull request и писать его комментарии; `issues: write` не нужно). " +
		"В pull request из форков токен только читает, что бы ни запрашивал workflow, поэтому результат — в сводке задания; " +
		"`pull_request_target` может комментировать, но ему доступны секреты базового репозитория: используйте его только с осторожностью."
	tests := []struct {
		name   string
		msg    gate.Text
		en, ru string
	}{
		{"never", gate.Say("pr.never"),
			"comment policy is never: the pull request comment is left alone",
			"политика комментария never: комментарий в pull request оставлен как есть"},
		{"on-failure", gate.Say("pr.onfailure"),
			"comment policy is on-failure and nothing fails: no comment posted",
			"политика комментария on-failure, и ничего не блокирует: комментарий не написан"},
		{"unchecked", gate.Say("pr.unchecked", 12, 403),
			"could not read pull request #12 to check that no newer commit is being analysed (GitHub answered 403): give the workflow `permissions: pull-requests: write`",
			"не удалось прочитать pull request #12, чтобы проверить, что не анализируется более новый коммит (GitHub ответил 403): дайте workflow `permissions: pull-requests: write`"},
		{"stale", gate.Say("pr.stale", ShortSHA(sha1), ShortSHA("2222222222222222222222222222222222222222")),
			"the pull request comment was left alone: this run analysed commit " + ShortSHA(sha1) + ", but the pull request's head is now 222222222222, which a newer run is analysing; that run will update the comment",
			"комментарий в pull request оставлен как есть: этот запуск анализировал коммит " + ShortSHA(sha1) + ", но голова pull request теперь 222222222222, и ее анализирует более новый запуск; он и обновит комментарий"},
		{"denied read", deny(refusal(403, "Resource not accessible by integration"), gate.Say("pr.denied.read"), req),
			"GitHub answered 403: the token may not read the comments of pull request acme/app#12 (Resource not accessible by integration). " + grantEN,
			"GitHub ответил 403: токен не может читать комментарии pull request acme/app#12 (Resource not accessible by integration). " + grantRU},
		{"denied edit, nothing said", deny(refusal(404, ""), gate.Say("pr.denied.edit"), req),
			"GitHub answered 404: the token may not edit its comment on pull request acme/app#12. " + grantEN,
			"GitHub ответил 404: токен не может править свой комментарий в pull request acme/app#12. " + grantRU},
		{"denied create, fork", deny(refusal(403, "Resource not accessible by integration"), gate.Say("pr.denied.create"), fork),
			"GitHub answered 403: the token may not comment on pull request acme/app#12 (Resource not accessible by integration). " +
				"This pull request comes from a fork: GitHub makes the token of its runs read-only whatever the workflow asks for, so the result is in the job summary instead. " +
				"`pull_request_target` runs can comment, but they hold the base repository's secrets: use it only with care, and never build or run the fork's code there.",
			"GitHub ответил 403: токен не может комментировать pull request acme/app#12 (Resource not accessible by integration). " +
				"Этот pull request из форка: GitHub дает токену его запусков только чтение, что бы ни запрашивал workflow, поэтому результат — в сводке задания. " +
				"Запуски `pull_request_target` могут комментировать, но им доступны секреты базового репозитория: используйте его только с осторожностью и никогда не собирайте и не запускайте в нем код форка."},
	}
	for _, tc := range tests {
		if got := tc.msg.String(); got != tc.en {
			t.Errorf("%s: English\n got %q\nwant %q", tc.name, got, tc.en)
		}
		if got := tc.msg.In(i18n.English); got != tc.en {
			t.Errorf("%s: In(en) = %q, want %q", tc.name, got, tc.en)
		}
		if got := tc.msg.In(i18n.Russian); got != tc.ru {
			t.Errorf("%s: Russian\n got %q\nwant %q", tc.name, got, tc.ru)
		}
	}
}
