package app

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/codescoring-gate/codescoring-gate/internal/api"
	"github.com/codescoring-gate/codescoring-gate/internal/i18n"
)

var logVerb = regexp.MustCompile(`%[-+# 0]*\d*(?:\.\d+)?[a-zA-Z%]`)

// Every progress line with a literal format, in gate and app and the
// clients that print through app's logf (api, githubpr, gitlab), has its
// Russian form with the same verbs in the same order, and the table has no
// line the code no longer prints.
func TestProgressLinesInRussian(t *testing.T) {
	t.Parallel()
	fset := token.NewFileSet()
	used := map[string]bool{}
	for _, dir := range []string{".", "../gate", "../api", "../githubpr", "../gitlab"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, path := range files {
			if strings.HasSuffix(path, "_test.go") {
				continue
			}
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			f, err := parser.ParseFile(fset, path, src, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok || len(call.Args) == 0 {
					return true
				}
				name := ""
				switch fn := call.Fun.(type) {
				case *ast.SelectorExpr:
					name = fn.Sel.Name
				case *ast.Ident:
					name = fn.Name
				}
				if name != "logf" {
					return true
				}
				lit, ok := call.Args[0].(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return true
				}
				format, _ := strconv.Unquote(lit.Value)
				if format == "%s" || format == "[%s] " {
					return true // a message already made, or the project prefix
				}
				used[format] = true
				ru, ok := logRU[format]
				if !ok {
					t.Errorf("%s: progress line %q has no Russian form in logRU", fset.Position(call.Pos()), format)
					return true
				}
				if got, want := logVerb.FindAllString(ru, -1), logVerb.FindAllString(format, -1); !slices.Equal(got, want) {
					t.Errorf("logRU[%q] takes %v, the English %v", format, got, want)
				}
				return true
			})
		}
	}
	for format := range logRU {
		if !used[format] {
			t.Errorf("logRU has %q, which no logf prints", format)
		}
	}
}

func TestLogFormat(t *testing.T) {
	t.Parallel()
	const f = "started analysis %d of project %d (%s)"
	if got := logFormat(i18n.English, f); got != f {
		t.Errorf("English: %q", got)
	}
	if got, want := logFormat(i18n.Russian, f), "запущен анализ %d проекта %d (%s)"; got != want {
		t.Errorf("Russian: %q, want %q", got, want)
	}
	if got, want := logFormat(i18n.Russian, "[%s] "+f), "[%s] запущен анализ %d проекта %d (%s)"; got != want {
		t.Errorf("Russian with a project: %q, want %q", got, want)
	}
	if got := logFormat(i18n.Russian, "no such line %d"); got != "no such line %d" {
		t.Errorf("unknown line: %q", got)
	}
}

// A progress line says an error in it in the run's language (the client's
// retry line in Russian, the system's words as they came); in English as
// the error says itself.
func TestProgressLineErrorsInTheLanguage(t *testing.T) {
	t.Parallel()
	err := &api.NetworkError{Host: "127.0.0.1:1", Method: "GET", Path: "/api/projects/", Err: errors.New("connect: connection refused")}
	for lang, want := range map[i18n.Language]string{
		i18n.Russian: "нет связи с CodeScoring на 127.0.0.1:1 (GET /api/projects/): connect: connection refused; повтор через 1s (попытка 2)\n",
		i18n.English: err.Error() + "; retrying in 1s (attempt 2)\n",
	} {
		var out strings.Builder
		r := &runner{stdout: &redactingWriter{r: newRedactor(), w: &out}, lang: lang}
		r.logf("%v; retrying in %s (attempt %d)", err, "1s", 2)
		if got := out.String(); got != want {
			t.Errorf("%s: %q, want %q", lang, got, want)
		}
	}
}
