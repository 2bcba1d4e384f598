package app

import (
	"bytes"
	"strings"
	"testing"
)

// Every input has its Russian --help text, and the Russian help lists every
// flag with it, not the English one.
func TestRussianHelpInStep(t *testing.T) {
	t.Parallel()
	var help bytes.Buffer
	usageRussian(&help, "test")
	got := help.String()
	names := map[string]bool{}
	for _, in := range inputs {
		names[in.Name] = true
		if _, ok := usageRU[in.Name]; !ok {
			t.Errorf("usageRU has no Russian text for --%s", in.Name)
		}
		if !strings.Contains(got, "--"+in.Name+"\n        "+usageRU[in.Name]) {
			t.Errorf("the Russian --help lacks --%s with its Russian text", in.Name)
		}
		if strings.Contains(got, in.Usage) {
			t.Errorf("the Russian --help has the English text of --%s", in.Name)
		}
	}
	for name := range usageRU {
		if !names[name] {
			t.Errorf("usageRU has text for --%s, which is no input", name)
		}
	}
	for _, o := range outputs {
		if !strings.Contains(got, o.Name) {
			t.Errorf("the Russian --help lacks output %s", o.Name)
		}
	}
}

// --help speaks Russian with --language ru before it, CODESCORING_LANGUAGE
// or `help --language ru`; else English.
func TestHelpLanguage(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		args []string
		env  map[string]string
		ru   bool
	}{
		{"default", []string{"--help"}, nil, false},
		{"flag", []string{"--language", "ru", "--help"}, nil, true},
		{"env", []string{"--help"}, map[string]string{"CODESCORING_LANGUAGE": "ru"}, true},
		{"help command", []string{"help", "--language=ru"}, nil, true},
		{"help command en", []string{"help", "--language", "en"}, map[string]string{"CODESCORING_LANGUAGE": "ru"}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := runMain(t, t.Context(), tc.args, tc.env)
			if r.Code != 0 {
				t.Fatalf("exit %d, want 0; stderr %q", r.Code, r.Stderr)
			}
			if got := strings.Contains(r.Stdout, "Использование:"); got != tc.ru {
				t.Errorf("Russian help = %v, want %v:\n%s", got, tc.ru, r.Stdout)
			}
			if !strings.Contains(r.Stdout, "--language\n") {
				t.Errorf("help lacks --language:\n%s", r.Stdout)
			}
		})
	}
}
