package i18n

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/feature/plural"
)

// A message missing in one language fails here, whichever it is missing in.
func TestCatalogsHaveTheSameKeys(t *testing.T) {
	t.Parallel()
	want := slices.Sorted(maps.Keys(en))
	for _, l := range Languages {
		got := slices.Sorted(maps.Keys(catalogs[l]))
		for _, k := range want {
			if _, ok := catalogs[l][k]; !ok {
				t.Errorf("%s has no message %q", l, k)
			}
		}
		for _, k := range got {
			if _, ok := en[k]; !ok {
				t.Errorf("%s has message %q that en has not", l, k)
			}
		}
	}
}

var verbRE = regexp.MustCompile(`%(?:\[(\d+)\])?[-+# 0]*\d*(?:\.\d+)?(?:\[(\d+)\])?([a-zA-Z%])`)

// verbs returns the verbs of format by argument number (1-based), e.g.
// {1: "d", 2: "s"}, and an error for a verb without an argument or an
// argument used with two verbs.
func verbs(format string) (map[int]string, error) {
	out := map[int]string{}
	next := 1
	for _, m := range verbRE.FindAllStringSubmatch(format, -1) {
		if m[3] == "%" {
			continue
		}
		for _, idx := range []string{m[1], m[2]} {
			if idx != "" {
				n, _ := strconv.Atoi(idx)
				next = n
			}
		}
		if v, ok := out[next]; ok && v != m[3] {
			return nil, fmt.Errorf("argument %d is both %%%s and %%%s", next, v, m[3])
		}
		out[next] = m[3]
		next++
	}
	return out, nil
}

func formsOf(m Message) map[string]string {
	out := map[string]string{"other": m.Other}
	for name, s := range map[string]string{"one": m.One, "few": m.Few, "many": m.Many} {
		if s != "" {
			out[name] = s
		}
	}
	return out
}

// Every form of every message takes the arguments of the English one, with
// the same verbs, in every language.
func TestMessagesTakeTheSameArguments(t *testing.T) {
	t.Parallel()
	for key, m := range en {
		want, err := verbs(m.Other)
		if err != nil {
			t.Errorf("en %q: %v", key, err)
			continue
		}
		for _, l := range Languages {
			for form, s := range formsOf(catalogs[l][key]) {
				got, err := verbs(s)
				if err != nil {
					t.Errorf("%s %q (%s): %v", l, key, form, err)
					continue
				}
				if !maps.Equal(got, want) {
					t.Errorf("%s %q (%s) %q takes %v, en takes %v", l, key, form, s, got, want)
				}
				if strings.TrimSpace(s) == "" {
					t.Errorf("%s %q (%s) is blank", l, key, form)
				}
			}
		}
	}
}

// formsUsed is every plural category language l gives some count.
func formsUsed(l Language) []plural.Form {
	var out []plural.Form
	for n := range 1000 {
		if f := Form(l, n); !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}

// A message for a count has, in every language, a form for each category
// the language uses; a plain message has none in any.
func TestPluralMessagesHaveEveryForm(t *testing.T) {
	t.Parallel()
	for key, m := range en {
		for _, l := range Languages {
			lm := catalogs[l][key]
			if lm.isPlural() != m.isPlural() {
				t.Errorf("%s %q: plural %v, en: plural %v", l, key, lm.isPlural(), m.isPlural())
				continue
			}
			if !m.isPlural() {
				continue
			}
			for _, f := range formsUsed(l) {
				var s string
				switch f {
				case plural.One:
					s = lm.One
				case plural.Few:
					s = lm.Few
				case plural.Many:
					s = lm.Many
				case plural.Other:
					s = lm.Other
				default:
					t.Fatalf("%s uses plural form %v the catalog has no field for", l, f)
				}
				if s == "" {
					t.Errorf("%s %q has no form for plural category %v", l, key, f)
				}
			}
		}
	}
}

func TestFormsUsed(t *testing.T) {
	t.Parallel()
	if got, want := formsUsed(English), []plural.Form{plural.Other, plural.One}; !slices.Equal(got, want) {
		t.Errorf("en forms = %v, want %v", got, want)
	}
	if got, want := formsUsed(Russian), []plural.Form{plural.Many, plural.One, plural.Few}; !slices.Equal(got, want) {
		t.Errorf("ru forms = %v, want %v", got, want)
	}
}

// The counts the reports use, in both languages, by CLDR's rules.
func TestPluralTable(t *testing.T) {
	t.Parallel()
	counts := []int{0, 1, 2, 5, 11, 21, 22, 25, 111, 1_000_001, -1}
	want := map[Language][]string{
		English: {"0 alerts", "1 alert", "2 alerts", "5 alerts", "11 alerts", "21 alerts", "22 alerts", "25 alerts", "111 alerts", "1000001 alerts", "-1 alert"},
		Russian: {"0 алертов", "1 алерт", "2 алерта", "5 алертов", "11 алертов", "21 алерт", "22 алерта", "25 алертов", "111 алертов", "1000001 алерт", "-1 алерт"},
	}
	for _, l := range Languages {
		p := New(l)
		for i, n := range counts {
			if got := p.N("alerts", n); got != want[l][i] {
				t.Errorf("%s N(alerts, %d) = %q, want %q", l, n, got, want[l][i])
			}
		}
	}
}

func TestParse(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want Language
	}{{"en", English}, {"ru", Russian}, {"RU", Russian}, {" ru ", Russian}} {
		in, want := tc.in, tc.want
		got, err := Parse(in)
		if err != nil || got != want {
			t.Errorf("Parse(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "de", "russian", "ru-RU"} {
		_, err := Parse(in)
		if err == nil {
			t.Errorf("Parse(%q) = nil error", in)
			continue
		}
		if want := "use one of en, ru"; !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%q) = %q, want it to say %q", in, err, want)
		}
	}
}

// An unknown language is told in both languages, the one it seems to mean
// first, and Parse returns that language for the other errors of the run.
func TestParseUnknown(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want Language
		msg  string
	}{
		{"de", English, "`language` \"de\" is not known: use one of en, ru / `language` \"de\" неизвестен: укажите один из en, ru"},
		{"", English, "`language` \"\" is not known: use one of en, ru / `language` \"\" неизвестен: укажите один из en, ru"},
		{"ru-RU", Russian, "`language` \"ru-RU\" неизвестен: укажите один из en, ru (может быть, ru?) / `language` \"ru-RU\" is not known: use one of en, ru (did you mean ru?)"},
		{"Русский", Russian, "`language` \"Русский\" неизвестен: укажите один из en, ru (может быть, ru?) / `language` \"Русский\" is not known: use one of en, ru (did you mean ru?)"},
		{"rus", Russian, "`language` \"rus\" неизвестен: укажите один из en, ru (может быть, ru?) / `language` \"rus\" is not known: use one of en, ru (did you mean ru?)"},
		{" English", English, "`language` \" English\" is not known: use one of en, ru (did you mean en?) / `language` \" English\" неизвестен: укажите один из en, ru (может быть, en?)"},
	} {
		got, err := Parse(tc.in)
		var unknown *UnknownError
		if !errors.As(err, &unknown) {
			t.Fatalf("Parse(%q) error %v, want an *UnknownError", tc.in, err)
		}
		if got != tc.want || err.Error() != tc.msg {
			t.Errorf("Parse(%q) = %q, %q; want %q, %q", tc.in, got, err, tc.want, tc.msg)
		}
	}
}

func TestFallbacks(t *testing.T) {
	t.Parallel()
	if got := (Printer{}).N("alerts", 2); got != "2 alerts" {
		t.Errorf("zero Printer = %q, want English", got)
	}
	if got := New("de").Language(); got != English {
		t.Errorf("New(de).Language() = %q, want en", got)
	}
	if got := New(Russian).T("no.such.key"); got != "no.such.key" {
		t.Errorf("unknown key = %q, want the key", got)
	}
}

// Every p.T, p.N and say call in the module with a literal key names a message
// the catalogs have and passes it as many arguments as it takes.
func TestCallSitesMatchTheCatalog(t *testing.T) {
	t.Parallel()
	root := filepath.Join("..", "..")
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			// p.T, p.N, and gate's say and Say (a message said later, in
			// the language it is shown in: T or N by the message).
			var name string
			switch fn := call.Fun.(type) {
			case *ast.SelectorExpr:
				name = fn.Sel.Name
			case *ast.Ident:
				name = fn.Name
			}
			if name != "T" && name != "N" && name != "say" && name != "Say" {
				return true
			}
			lit, ok := call.Args[0].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			key, _ := strconv.Unquote(lit.Value)
			m, ok := en[key]
			if !ok {
				if strings.Contains(key, ".") || regexp.MustCompile(`^[a-z][a-z0-9.-]*$`).MatchString(key) {
					t.Errorf("%s: message %q is in no catalog", fset.Position(call.Pos()), key)
				}
				return true
			}
			if call.Ellipsis.IsValid() {
				return true
			}
			args := len(call.Args) - 1 // N's count is its first argument
			vs, _ := verbs(m.Other)
			if (name == "T" || name == "N") && name == "N" != m.isPlural() {
				t.Errorf("%s: %s(%q) but the message is plural: %v", fset.Position(call.Pos()), name, key, m.isPlural())
			}
			if _, counted := vs[1]; m.isPlural() && !counted {
				args-- // a form may leave the count unsaid
			}
			if args != len(vs) {
				t.Errorf("%s: %q gets %d arguments, takes %d", fset.Position(call.Pos()), key, args, len(vs))
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Say formats a plain message as T does and a plural one as N does, with
// its first argument as the count.
func TestSay(t *testing.T) {
	t.Parallel()
	ru := New(Russian)
	for _, tc := range []struct {
		key  string
		args []any
		want string
	}{
		{"n.day", []any{1}, "1 день"},
		{"n.day", []any{int64(22)}, "22 дня"},
		{"n.day", []any{11}, "11 дней"},
		{"policy.id", []any{int64(12)}, ru.T("policy.id", int64(12))},
		{"n.day", []any{"7"}, ru.T("n.day", "7")},
		{"no.such.key", nil, "no.such.key"},
	} {
		if got := ru.Say(tc.key, tc.args...); got != tc.want {
			t.Errorf("Say(%q, %v) = %q, want %q", tc.key, tc.args, got, tc.want)
		}
	}
	if got, want := New(English).Say("n.day", 21), "21 days"; got != want {
		t.Errorf("en Say(n.day, 21) = %q, want %q", got, want)
	}
}

// sayer is words in two languages.
type sayer map[Language]string

func (s sayer) In(l Language) string { return s[l] }

// A Sayer argument is said in the language of the message it is in, by T,
// N and Say, and by Args for a line formatted with fmt.
func TestSayerArguments(t *testing.T) {
	t.Parallel()
	branch := sayer{English: "default branch", Russian: "ветка по умолчанию"}
	ru := New(Russian)
	if got, want := ru.T("of.project", branch), "проекта ветка по умолчанию"; got != want {
		t.Errorf("T = %q, want %q", got, want)
	}
	if got, want := ru.N("why.fail", 2, branch), ru.N("why.fail", 2, "ветка по умолчанию"); got != want || !strings.Contains(got, "ветка по умолчанию") {
		t.Errorf("N = %q, want %q", got, want)
	}
	if got, want := ru.Say("fact.noneof", 5, int64(340), branch), New(Russian).T("fact.noneof", 5, int64(340), "ветка по умолчанию"); got != want {
		t.Errorf("Say = %q, want %q", got, want)
	}
	args := []any{1, branch, "x"}
	if got := ru.Args(args); !slices.Equal(got, []any{1, "ветка по умолчанию", "x"}) {
		t.Errorf("Args = %v", got)
	}
	if _, ok := args[1].(sayer); !ok {
		t.Error("Args changed its argument slice")
	}
	plain := []any{1, "x"}
	if got := ru.Args(plain); &got[0] != &plain[0] {
		t.Error("Args copied args without a Sayer")
	}
}
