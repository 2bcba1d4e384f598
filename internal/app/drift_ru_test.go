package app

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// firstCommands returns the commands of the first sh block of a README,
// without their comments.
func firstCommands(t *testing.T, readme string) []string {
	t.Helper()
	_, rest, ok := strings.Cut(readme, "```sh\n")
	if !ok {
		t.Fatal("no sh block")
	}
	block, _, _ := strings.Cut(rest, "```")
	var cmds []string
	for _, l := range strings.Split(strings.TrimSpace(block), "\n") {
		c, _, _ := strings.Cut(l, "#")
		cmds = append(cmds, strings.TrimSpace(c))
	}
	return cmds
}

// TestRussianReadmeInStep keeps README.ru.md in step with README.md and the
// code: the same two commands first, the Russian demo shown in both, linked
// from the English one, and every input and output in its tables.
func TestRussianReadmeInStep(t *testing.T) {
	t.Parallel()
	enB, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	ruB, err := os.ReadFile("../../README.ru.md")
	if err != nil {
		t.Fatal(err)
	}
	en, ru := string(enB), string(ruB)
	if got, want := firstCommands(t, ru), firstCommands(t, en); !slices.Equal(got, want) || len(want) != 2 {
		t.Errorf("README.ru.md starts with %q, README.md with %q; want the same two commands", got, want)
	}
	for name, text := range map[string]string{"README.md": en, "README.ru.md": ru} {
		if !strings.Contains(text, "go run . demo --language ru") {
			t.Errorf("%s does not show go run . demo --language ru", name)
		}
	}
	if !strings.Contains(en, "(README.ru.md)") {
		t.Error("README.md does not link README.ru.md")
	}
	row := regexp.MustCompile("(?m)^\\| `([a-z-]+)` \\|")
	var rows []string
	for _, m := range row.FindAllStringSubmatch(ru, -1) {
		rows = append(rows, m[1])
	}
	for _, in := range inputs {
		if !slices.Contains(rows, in.Name) {
			t.Errorf("README.ru.md's inputs table lacks `%s`", in.Name)
		}
	}
	for _, o := range outputs {
		if !slices.Contains(rows, o.Name) {
			t.Errorf("README.ru.md's outputs table lacks `%s`", o.Name)
		}
	}
	known := map[string]bool{"pass": true, "warn": true, "fail": true, "error": true}
	for _, in := range inputs {
		known[in.Name] = true
	}
	for _, o := range outputs {
		known[o.Name] = true
	}
	for _, r := range rows {
		if !known[r] {
			t.Errorf("README.ru.md has a row for `%s`, which the code does not have", r)
		}
	}
}
