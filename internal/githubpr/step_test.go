package githubpr

import (
	"net/http"
	"testing"

	"github.com/google/go-github/v62/github"

	"github.com/codescoring-gate/codescoring-gate/internal/gate"
	"github.com/codescoring-gate/codescoring-gate/internal/i18n"
)

// A failed step of Post is said in the reader's language: its English
// word for word as the gate always said it, the Russian in README.ru.md's
// words, GitHub's own answer as it came, and the answer still within
// reach of errors.As.
func TestStepErrorInEachLanguage(t *testing.T) {
	t.Parallel()
	answer := func(status int, msg string) *github.ErrorResponse {
		req, err := http.NewRequest(http.MethodGet, "https://api.github.com/repos/acme/app/issues/12/comments", nil)
		if err != nil {
			t.Fatal(err)
		}
		return &github.ErrorResponse{Response: &http.Response{StatusCode: status, Request: req}, Message: msg}
	}
	rejected := answer(http.StatusUnauthorized, "Bad credentials")
	broken := answer(http.StatusInternalServerError, "Server Error")
	const (
		hintEN = ": GitHub rejected the token: pass a valid one, e.g. ${{ github.token }}"
		hintRU = ": GitHub отверг токен: передайте действительный, например ${{ github.token }}"
	)
	tests := []struct {
		name   string
		err    error
		en, ru string
	}{
		{"list", step(gate.Say("pr.do.list", "acme/app#12"), rejected),
			"list comments on acme/app#12: " + rejected.Error() + hintEN,
			"чтение комментариев acme/app#12: " + rejected.Error() + hintRU},
		{"get", step(gate.Say("pr.do.get", "acme/app#12"), rejected),
			"get pull request acme/app#12: " + rejected.Error() + hintEN,
			"чтение pull request acme/app#12: " + rejected.Error() + hintRU},
		{"edit", step(gate.Say("pr.do.edit", int64(99), "acme/app#12"), rejected),
			"edit comment 99 on acme/app#12: " + rejected.Error() + hintEN,
			"правка комментария 99 в acme/app#12: " + rejected.Error() + hintRU},
		{"create, no hint for a 500", step(gate.Say("pr.do.create", "acme/app#12"), broken),
			"create comment on acme/app#12: " + broken.Error(),
			"создание комментария в acme/app#12: " + broken.Error()},
		{"the token's user", step(gate.Say("pr.do.list", "acme/app#12"), &gate.SaidError{Doing: gate.Say("pr.do.user"), Err: broken}),
			"list comments on acme/app#12: get the token's user: " + broken.Error(),
			"чтение комментариев acme/app#12: чтение пользователя токена: " + broken.Error()},
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
		if statusOf(tc.err) == 0 {
			t.Errorf("%s: GitHub's answer is no longer within reach of errors.As", tc.name)
		}
	}
}
