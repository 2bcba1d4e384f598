package app

import (
	"strings"
	"testing"
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
