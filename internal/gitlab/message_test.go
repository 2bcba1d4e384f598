package gitlab

import (
	"net/http"
	"testing"

	gl "gitlab.com/gitlab-org/api/client-go/v2"

	"github.com/codescoring-gate/codescoring-gate/internal/gate"
	"github.com/codescoring-gate/codescoring-gate/internal/githubpr"
	"github.com/codescoring-gate/codescoring-gate/internal/i18n"
)

// Each answer of the note is said in the reader's language: English word
// for word as the gate always said it, Russian in README.ru.md's words.
func TestResultMessageInEachLanguage(t *testing.T) {
	t.Parallel()
	req := Request{Project: "acme/web", MergeRequest: 7}
	deny := func(code int, what gate.Text) gate.Text {
		t.Helper()
		res, ok := denied(&gl.ErrorResponse{Response: &http.Response{StatusCode: code}}, what, req)
		if !ok || res.Action != githubpr.ActionDenied {
			t.Fatalf("denied(%d) = %+v, %v; want a denial", code, res, ok)
		}
		return res.Message
	}
	whichEN := "Create a project access token with the `api` scope and the Reporter role (Settings → Access tokens; a group or personal one works too) " +
		"and store it as a masked CI/CD variable GITLAB_TOKEN; meanwhile the result is in the job log and the report files."
	whichRU := "Создайте токен доступа проекта со scope `api` и ролью Reporter (Settings → Access tokens; подойдет и токен группы или личный) " +
		"и сохраните его как маскированную переменную CI/CD GITLAB_TOKEN; пока результат — в журнале задания и файлах отчетов."
	tests := []struct {
		name   string
		msg    gate.Text
		en, ru string
	}{
		{"never", gate.Say("mr.never"),
			"comment policy is never: the merge request note is left alone",
			"политика комментария never: заметка в merge request оставлена как есть"},
		{"on-failure", gate.Say("mr.onfailure"),
			"comment policy is on-failure and nothing fails: no merge request note posted",
			"политика комментария on-failure, и ничего не блокирует: заметка в merge request не написана"},
		{"job token", msgJobTokenOnly(req),
			"no merge request note on merge request !7 of project acme/web: the only GitLab token is CI_JOB_TOKEN, which can read merge request notes but not write them. " + whichEN,
			"заметки в merge request !7 проекта acme/web нет: единственный токен GitLab — CI_JOB_TOKEN, который может читать заметки merge request, но не писать их. " + whichRU},
		{"denied read", deny(http.StatusForbidden, gate.Say("mr.denied.read")),
			"GitLab answered 403: the token may not read the notes of merge request !7 of project acme/web. " + whichEN,
			"GitLab ответил 403: токен не может читать заметки merge request !7 проекта acme/web. " + whichRU},
		{"rejected edit", deny(http.StatusUnauthorized, gate.Say("mr.denied.edit")),
			"GitLab answered 401: GitLab rejected the token (wrong, expired or revoked), so it may not edit its note on merge request !7 of project acme/web. " + whichEN,
			"GitLab ответил 401: GitLab отверг токен (неверный, истекший или отозванный), поэтому он не может править свою заметку в merge request !7 проекта acme/web. " + whichRU},
		{"denied create", deny(http.StatusForbidden, gate.Say("mr.denied.create")),
			"GitLab answered 403: the token may not write notes on merge request !7 of project acme/web. " + whichEN,
			"GitLab ответил 403: токен не может писать заметки в merge request !7 проекта acme/web. " + whichRU},
		{"unchecked", msgGuardUnchecked(req, 404),
			"could not read merge request !7 of project acme/web to check that no newer pipeline is analysing a newer commit (GitLab answered 404); the note was written anyway",
			"не удалось прочитать merge request !7 проекта acme/web, чтобы проверить, что более новый пайплайн не анализирует более новый коммит (GitLab ответил 404); заметка все равно написана"},
		{"stale", msgStale("1111111111111111111111111111111111111111", "2222222222222222222222222222222222222222"),
			"the merge request note was left alone: this pipeline analysed commit 111111111111, but the merge request's head is now 222222222222, which a newer pipeline is analysing; that pipeline will update the note",
			"заметка в merge request оставлена как есть: этот пайплайн анализировал коммит 111111111111, но голова merge request теперь 222222222222, и ее анализирует более новый пайплайн; он и обновит заметку"},
	}
	for _, tc := range tests {
		if got := tc.msg.String(); got != tc.en {
			t.Errorf("%s: English\n got %q\nwant %q", tc.name, got, tc.en)
		}
		if got := tc.msg.In(i18n.Russian); got != tc.ru {
			t.Errorf("%s: Russian\n got %q\nwant %q", tc.name, got, tc.ru)
		}
	}
	if _, ok := denied(&gl.ErrorResponse{Response: &http.Response{StatusCode: http.StatusNotFound}}, gate.Say("mr.denied.read"), req); ok {
		t.Error("a 404 is taken for a denial, want it left to hint")
	}
}
