package app

import (
	"context"
	"strings"
	"testing"

	"github.com/codescoring-gate/codescoring-gate/internal/runnertest"
)

// An unknown language, from the flag or the environment, is bad input:
// exit 2, listing the languages the gate speaks, before any request.
func TestUnknownLanguageIsBadInput(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"flag", []string{"--url", "https://cs.example.com", "--token", canary, "--project", "p", "--language", "de"}, nil,
			"`language` \"de\" is not known: use one of en, ru"},
		{"env", []string{"--url", "https://cs.example.com", "--token", canary, "--project", "p"}, map[string]string{"CODESCORING_LANGUAGE": "russian"},
			"`language` \"russian\" is not known: use one of en, ru"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := runMain(t, t.Context(), tc.args, tc.env)
			if r.Code != 2 {
				t.Errorf("exit %d, want 2", r.Code)
			}
			if !strings.Contains(r.Stderr, tc.want) {
				t.Errorf("stderr %q lacks %q", r.Stderr, tc.want)
			}
		})
	}
}

// A language the gate does not know but the value seems to mean ("rus",
// "ru-RU") is still bad input, told in that language and in English, and
// the other errors of the run are in that language.
func TestMisspelledLanguageSpeaksIt(t *testing.T) {
	t.Parallel()
	r := runMain(t, t.Context(), []string{"--url", "https://cs.example.com", "--token", canary, "--project", "p", "--language", "rus", "--mode", "strict"}, nil)
	if r.Code != 2 {
		t.Errorf("exit %d, want 2", r.Code)
	}
	for _, want := range []string{
		"ошибка: `mode` \"strict\" неизвестен: укажите один из enforce, warn\n",
		"ошибка: `language` \"rus\" неизвестен: укажите один из en, ru (может быть, ru?) / `language` \"rus\" is not known: use one of en, ru (did you mean ru?)\n",
		"codescoring-gate: 2 неверных входа; в CodeScoring ничего не отправлено.",
	} {
		if !strings.Contains(r.Stderr, want) {
			t.Errorf("stderr %q lacks %q", r.Stderr, want)
		}
	}
}

// The demo refuses an unknown language before it starts the simulator.
func TestDemoUnknownLanguage(t *testing.T) {
	t.Parallel()
	r := runMain(t, t.Context(), []string{"demo", "--language", "fr"}, nil)
	if r.Code != 2 || !strings.Contains(r.Stderr, "`language` \"fr\" is not known: use one of en, ru") {
		t.Errorf("exit %d, stderr %q; want 2 and the known languages", r.Code, r.Stderr)
	}
	if strings.Contains(r.Stdout, "simulator listens") {
		t.Errorf("the demo started: %q", r.Stdout)
	}
}

// With language ru, invalid input is reported in Russian, input names as
// they are typed.
func TestInvalidInputRussianCLI(t *testing.T) {
	t.Parallel()
	r := runMain(t, t.Context(), []string{"--url", "https://cs.example.com", "--token", canary, "--project", "p", "--language", "ru", "--mode", "strict"}, nil)
	if r.Code != 2 {
		t.Errorf("exit %d, want 2", r.Code)
	}
	for _, want := range []string{"ошибка: `mode` \"strict\" неизвестен: укажите один из enforce, warn\n", "codescoring-gate: 1 неверный вход; в CodeScoring ничего не отправлено."} {
		if !strings.Contains(r.Stderr, want) {
			t.Errorf("stderr %q lacks %q", r.Stderr, want)
		}
	}
}

// Switching the language edits the same PR comment: the marker does not
// depend on it. The first run (English) posts it, the second (Russian)
// edits it into Russian, and there is still one comment of ours.
func TestSwitchingLanguageEditsTheSameComment(t *testing.T) {
	t.Parallel()
	_, url := startSim(t, nil)
	gh := runnertest.NewGitHub(t, ghCanary)
	for i, lang := range []string{"en", "ru"} {
		in := map[string]string{"url": url, "token": canary, "project": "340", "language": lang}
		r := runMain(t, context.Background(), nil, actionEnv(t, in, gh))
		if r.Code != exitFail {
			t.Fatalf("%s: exit %d, want 1\n%s", lang, r.Code, r.Stdout)
		}
		calls := gh.TakeCalls()
		wantCreate, wantEdit := 1, 0
		if i == 1 {
			wantCreate, wantEdit = 0, 1
		}
		if calls[runnertest.RouteCreate] != wantCreate || calls[runnertest.RouteEdit] != wantEdit {
			t.Errorf("%s: creates %d, edits %d; want %d and %d", lang, calls[runnertest.RouteCreate], calls[runnertest.RouteEdit], wantCreate, wantEdit)
		}
	}
	ours := gh.Ours()
	if len(ours) != 1 || !strings.Contains(ours[0], "Гейт CodeScoring: не пройден") {
		t.Errorf("%d comments of ours, want 1 in Russian: %q", len(ours), ours)
	}
}
