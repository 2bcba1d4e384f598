package gitlab

import (
	"crypto/x509"
	"errors"
	"net/http"
	"net/url"
	"testing"

	gl "gitlab.com/gitlab-org/api/client-go/v2"

	"github.com/codescoring-gate/codescoring-gate/internal/gate"
	"github.com/codescoring-gate/codescoring-gate/internal/i18n"
)

// A failed step of Post is said in the reader's language: its English
// word for word as the gate always said it, the Russian in README.ru.md's
// words, GitLab's own answer and the system's error as they came.
func TestStepErrorInEachLanguage(t *testing.T) {
	t.Parallel()
	mr := Request{Project: "acme/web", MergeRequest: 7}.said()
	req, err := http.NewRequest(http.MethodGet, "https://gitlab.example/api/v4/projects/acme%2Fweb/merge_requests/7/notes", nil)
	if err != nil {
		t.Fatal(err)
	}
	missing := &gl.ErrorResponse{Response: &http.Response{StatusCode: http.StatusNotFound, Request: req}, Message: "404 Not found"}
	untrusted := &url.Error{Op: "Get", URL: "https://gitlab.example/api/v4/projects/1", Err: x509.UnknownAuthorityError{}}
	broken := errors.New("unexpected EOF")
	const (
		notFoundEN = ": GitLab answered 404: the merge request or project is not visible to the token (check CI_MERGE_REQUEST_PROJECT_ID and that the token's user is a member)"
		notFoundRU = ": GitLab ответил 404: merge request или проект не виден токену (проверьте CI_MERGE_REQUEST_PROJECT_ID и что пользователь токена — участник проекта)"
		certEN     = ": GitLab's TLS certificate is not trusted: the runner passes its CA in CI_SERVER_TLS_CA_FILE when it is registered with tls-ca-file"
		certRU     = ": TLS-сертификату GitLab нет доверия: раннер передает свой CA в CI_SERVER_TLS_CA_FILE, если зарегистрирован с tls-ca-file"
	)
	tests := []struct {
		name   string
		err    error
		en, ru string
	}{
		{"list, 404", step(gate.Say("mr.do.list", mr), missing),
			"list notes of merge request !7 of project acme/web: " + missing.Error() + notFoundEN,
			"чтение заметок merge request !7 проекта acme/web: " + missing.Error() + notFoundRU},
		{"get, certificate", step(gate.Say("mr.do.get", mr), untrusted),
			"get merge request !7 of project acme/web: " + untrusted.Error() + certEN,
			"чтение merge request !7 проекта acme/web: " + untrusted.Error() + certRU},
		{"edit, no hint", step(gate.Say("mr.do.edit", int64(41), mr), broken),
			"edit note 41 on merge request !7 of project acme/web: unexpected EOF",
			"правка заметки 41 в merge request !7 проекта acme/web: unexpected EOF"},
		{"create, the token's user", step(gate.Say("mr.do.create", mr), &gate.SaidError{Doing: gate.Say("mr.do.user"), Err: broken}),
			"create a note on merge request !7 of project acme/web: get the token's user (GET /user): unexpected EOF",
			"создание заметки в merge request !7 проекта acme/web: чтение пользователя токена (GET /user): unexpected EOF"},
	}
	for _, tc := range tests {
		if got := tc.err.Error(); got != tc.en {
			t.Errorf("%s: Error()\n got %q\nwant %q", tc.name, got, tc.en)
		}
		if got := gate.Fact(tc.err, i18n.English); got != tc.en {
			t.Errorf("%s: English\n got %q\nwant %q", tc.name, got, tc.en)
		}
		if got := gate.Fact(tc.err, i18n.Russian); got != tc.ru {
			t.Errorf("%s: Russian\n got %q\nwant %q", tc.name, got, tc.ru)
		}
	}
	if !errors.Is(step(gate.Say("mr.do.get", mr), broken), broken) {
		t.Error("the step's error no longer wraps what failed")
	}
}
